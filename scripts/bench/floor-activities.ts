// The floor's activities (scripts/bench/floor.ts): registered by the bench's worker beside the product's, bodies empty.
import type { FloorInput } from './floor';

const nothing = async (input: FloorInput): Promise<FloorInput> => Promise.resolve(input);

export const floorActivities = {
  floorValidate: nothing,
  floorInspect: nothing,
  floorDestroy: nothing,
  floorAwaitGone: nothing,
  floorVerify: nothing,
  floorRecordAudit: nothing,
};

export type FloorActivities = typeof floorActivities;
