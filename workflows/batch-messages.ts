// batchRelease's messages. Clients import these definitions to steer a batch; confirmBackup and approveOverride
// are the release's own definitions: the same names and payloads at the batch level.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BatchLine, BatchOutcome } from '../domain/batch';
import { approveOverrideUpdate, confirmBackupUpdate, type BackupConfirmation, type CancelRequest, type OverrideApproval } from './messages';

export type BatchPhase = 'discovering' | 'awaiting-confirmation' | 'releasing' | 'finishing' | 'done';

export interface BatchProgress {
  phase: BatchPhase;
  /** Resources the batch took on so far (after exclusions and duplicates). */
  total: number;
  /** By where each resource is: not started yet, running (started or joined), ended. */
  byPhase: { pending: number; running: number; ended: number };
  byOutcome: Partial<Record<BatchOutcome, number>>;
  /** The workflow IDs of the releases running now. */
  running: string[];
  pending: number;
  /** The latest failures (at most 50), and how many there were in all. */
  failures: BatchLine[];
  failuresTotal: number;
  paused: boolean;
  cancelled?: { by: string; reason: string };
  /** Why no more releases start (cancel, breaker), if so. */
  stopped?: string;
  /** What the batch waits for, with the update to send. */
  waitingFor?: string;
  /** The batch-level approvals given, passed to every release that waits for them. */
  approvals: { backupConfirmedBy?: string; overrideApprovedBy?: string; batchConfirmedBy?: string };
  runs: number;
}

export interface BatchConfirmation {
  /** Who confirms a batch over the safety cap; must not be the requester. */
  confirmedBy: string;
}

export interface BatchControl {
  by: string;
  reason?: string;
}

export interface BatchAnswer {
  ok: true;
  detail: string;
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');
export const confirmBatchUpdate = defineUpdate<BatchAnswer, [BatchConfirmation]>('confirmBatch');
export const pauseBatchUpdate = defineUpdate<BatchAnswer, [BatchControl]>('pause');
export const resumeBatchUpdate = defineUpdate<BatchAnswer, [BatchControl]>('resume');
export const cancelBatchUpdate = defineUpdate<BatchAnswer, [CancelRequest]>('cancel');
export { approveOverrideUpdate, confirmBackupUpdate };
export type { BackupConfirmation, CancelRequest, OverrideApproval };
