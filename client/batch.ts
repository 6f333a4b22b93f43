// Starting and steering batches from code. A batch's ID is `batch/<id>`: give your own (a change ticket, a
// job run) to make a second start join the first, or let one be generated.
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { releaseTaskQueue } from './connection';
import type { BatchReleaseInput, BatchResult } from '../domain/batch';
import type { batchRelease } from '../workflows';
import {
  approveOverrideUpdate,
  batchProgressQuery,
  cancelBatchUpdate,
  confirmBackupUpdate,
  confirmBatchUpdate,
  pauseBatchUpdate,
  resumeBatchUpdate,
  type BackupConfirmation,
  type BatchConfirmation,
  type BatchControl,
  type BatchProgress,
  type CancelRequest,
  type OverrideApproval,
} from '../workflows/batch-messages';

export type BatchHandle = WorkflowHandle<typeof batchRelease>;

export interface StartBatchOptions {
  /** The batch's own ID (becomes `batch/<id>`); a second start with the same ID while it runs joins it. */
  id?: string;
  taskQueue?: string;
}

export const batchWorkflowId = (id: string) => `batch/${id}`;

export function startBatch(
  client: Client,
  input: BatchReleaseInput,
  opts: StartBatchOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof batchRelease>> {
  return client.workflow.start<typeof batchRelease>('batchRelease', {
    taskQueue: opts.taskQueue ?? releaseTaskQueue(),
    workflowId: batchWorkflowId(opts.id ?? randomUUID()),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

export const batchHandle = (client: Client, id: string): BatchHandle =>
  client.workflow.getHandle<typeof batchRelease>(id.startsWith('batch/') ? id : batchWorkflowId(id));
export const batchProgress = (h: BatchHandle): Promise<BatchProgress> => h.query(batchProgressQuery);
export const confirmBatch = (h: BatchHandle, c: BatchConfirmation) => h.executeUpdate(confirmBatchUpdate, { args: [c] });
export const pauseBatch = (h: BatchHandle, c: BatchControl) => h.executeUpdate(pauseBatchUpdate, { args: [c] });
export const resumeBatch = (h: BatchHandle, c: BatchControl) => h.executeUpdate(resumeBatchUpdate, { args: [c] });
export const cancelBatch = (h: BatchHandle, c: CancelRequest) => h.executeUpdate(cancelBatchUpdate, { args: [c] });
export const confirmBatchBackup = (h: BatchHandle, c: BackupConfirmation) => h.executeUpdate(confirmBackupUpdate, { args: [c] });
export const approveBatchOverride = (h: BatchHandle, a: OverrideApproval) => h.executeUpdate(approveOverrideUpdate, { args: [a] });

export type { BatchResult };
