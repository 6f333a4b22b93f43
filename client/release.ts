// Starting and steering releases from code. One release per resource: the workflow ID is the resource's,
// a second start joins the running release, and a release that succeeded is not started again.
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TASK_QUEUE } from '../common/temporal';
import { dryRunWorkflowId, releaseWorkflowId, type ReleaseRequest } from '../domain/request';
import type { ReleaseReport } from '../domain/report';
import type { ResourceRef } from '../domain/resource';
import type { releaseResource } from '../workflows';
import { approveOverrideUpdate, cancelReleaseUpdate, confirmBackupUpdate, progressQuery, type BackupConfirmation, type CancelRequest, type OverrideApproval, type Progress } from '../workflows/messages';

export type ReleaseHandle = WorkflowHandle<typeof releaseResource>;

/**
 * Start a release, or join the one already running for this resource. A release that succeeded is not
 * started again (WorkflowExecutionAlreadyStartedError); one that ended without releasing can be.
 */
export async function startRelease(client: Client, request: ReleaseRequest, taskQueue = TASK_QUEUE): Promise<WorkflowHandleWithFirstExecutionRunId<typeof releaseResource>> {
  return client.workflow.start<typeof releaseResource>('releaseResource', {
    taskQueue,
    workflowId: request.dryRun ? dryRunWorkflowId(request) : releaseWorkflowId(request),
    args: [request],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: request.dryRun ? 'ALLOW_DUPLICATE' : 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
}

export function releaseHandle(client: Client, ref: Pick<ResourceRef, 'provider' | 'region' | 'resourceId'>): ReleaseHandle {
  return client.workflow.getHandle<typeof releaseResource>(releaseWorkflowId(ref));
}

export const progress = (h: ReleaseHandle): Promise<Progress> => h.query(progressQuery);
export const confirmBackup = (h: ReleaseHandle, c: BackupConfirmation) => h.executeUpdate(confirmBackupUpdate, { args: [c] });
export const approveOverride = (h: ReleaseHandle, a: OverrideApproval) => h.executeUpdate(approveOverrideUpdate, { args: [a] });
export const cancelRelease = (h: ReleaseHandle, c: CancelRequest) => h.executeUpdate(cancelReleaseUpdate, { args: [c] });

export type { ReleaseReport };
