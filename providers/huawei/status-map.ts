import type { GoneState, NormalizedStatus } from '../../domain/resource';

/**
 * DevServer statuses. Only ERROR is 'error' (ModelArts allows deleting a yearly/monthly node in
 * ERROR or CREATE_FAILED only): the other *_FAILED statuses of a live server are 'other'.
 */
const DEV_SERVER: Record<string, NormalizedStatus> = {
  CREATING: 'creating',
  CREATE_FAILED: 'create-failed',
  RUNNING: 'running',
  STARTING: 'starting',
  STOPPING: 'stopping',
  STOPPED: 'stopped',
  DELETING: 'deleting',
  DELETE_FAILED: 'delete-failed',
  DELETED: 'deleted',
  ERROR: 'error',
};

export const devServerStatus = (raw: string): NormalizedStatus => DEV_SERVER[raw] ?? 'other';

/** Supernode (hyperinstance) statuses. */
const HYPERINSTANCE: Record<string, NormalizedStatus> = {
  PROVISIONING: 'creating',
  ACTIVE: 'running',
  ERROR: 'error',
  TERMINATING: 'deleting',
  TERMINATED: 'deleted',
};

export const hyperinstanceStatus = (raw: string): NormalizedStatus => HYPERINSTANCE[raw] ?? 'other';

/** DeH host states, standing for a DCC host. */
const HOST: Record<string, NormalizedStatus> = { available: 'running', fault: 'error', released: 'deleted' };

export const hostStatus = (raw: string): NormalizedStatus => HOST[raw] ?? 'other';

/** Progress after the destructive call, from a normalised status. */
export function goneState(status: NormalizedStatus): GoneState {
  switch (status) {
    case 'deleting':
      return 'deleting';
    case 'deleted':
      return 'gone';
    case 'delete-failed':
    case 'error':
      return 'failed';
    default:
      return 'present';
  }
}
