// The bench's floor: what a release costs Temporal at the least. The activities a release with no gate and no
// prepare step cannot do without (validate, inspect, the destructive call, wait until gone, verify, write the audit
// record), of the same kinds (local or not) on the same task queues, and no-op bodies. No markers, no upserts, no re-check.
// Bundled with the product's workflows for the bench only (scripts/bench/workflows.ts); never deployed.
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { providerTaskQueue } from '../../common/temporal';
import type { FloorActivities } from './floor-activities';

export interface FloorInput {
  provider: string;
  resourceId: string;
}

export async function releaseFloor(input: FloorInput): Promise<{ outcome: 'released' }> {
  const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10s' });
  const onProvider = proxyActivities<FloorActivities>({
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, input.provider),
    startToCloseTimeout: '30s',
    heartbeatTimeout: '10s',
  });
  await local.floorValidate(input);
  await onProvider.floorInspect(input);
  await onProvider.floorDestroy(input);
  await onProvider.floorAwaitGone(input);
  await onProvider.floorVerify(input);
  await local.floorRecordAudit(input);
  return { outcome: 'released' };
}
