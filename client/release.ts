// Starting and steering releases from code. One release per resource: the workflow ID is the resource's,
// a second start joins the running release, and a release that succeeded is not started again.
import { WorkflowNotFoundError, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { releaseTaskQueue } from './connection';
import { releaseAttributes, startDetails, startSummary } from '../domain/summaries';
import { validateReleaseRequest } from '../activities/validate-request';
import { dryRunWorkflowId, releaseWorkflowId, type FieldError, type ReleaseRequest } from '../domain/request';
import type { ReleaseReport } from '../domain/report';
import type { ResourceRef } from '../domain/resource';
import type { releaseResource } from '../workflows';
import {
  approveOverrideUpdate,
  cancelReleaseUpdate,
  confirmBackupUpdate,
  progressQuery,
  type BackupConfirmation,
  type CancelRequest,
  type OverrideApproval,
  type Progress,
} from '../workflows/messages';

export type ReleaseHandle = WorkflowHandle<typeof releaseResource>;

/**
 * Start a release, or join the one already running for this resource. A release that succeeded is not
 * started again (WorkflowExecutionAlreadyStartedError); one that ended without releasing can be, and so can
 * one whose last run under the resource's ID was only a dry run: a dry run never blocks a release.
 */
export async function startRelease(
  client: Client,
  request: ReleaseRequest,
  taskQueue = releaseTaskQueue(),
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof releaseResource>> {
  // Checked here as the workflow checks it: a service gets every wrong field at once, and nothing is started
  // (an ID too long for Temporal could not even be looked up).
  const validation = validateReleaseRequest(request);
  if (!validation.ok) throw new InvalidReleaseRequestError(validation.errors);
  const workflowId = request.dryRun ? dryRunWorkflowId(request) : releaseWorkflowId(request);
  if (!request.dryRun && (await succeededBefore(client, workflowId))) {
    throw new WorkflowExecutionAlreadyStartedError(`the release ${workflowId} already succeeded: it is not started again`, workflowId, 'releaseResource');
  }
  return client.workflow.start<typeof releaseResource>('releaseResource', {
    taskQueue,
    workflowId,
    args: [request],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // Any finished run may be followed by a new one; the guard against repeating a success is above, and the
    // workflow itself inspects first, so nothing is deleted twice whoever starts it.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: startSummary(request, request.requestedBy, request.dryRun === true),
    staticDetails: startDetails(request, request),
    // Listed from the start (the workflow then writes none of them again): fewer history events, filterable at once.
    ...releaseAttributes(validation.request),
  });
}

/** A request refused before anything was started: every wrong field, as the workflow would name them. */
export class InvalidReleaseRequestError extends Error {
  override readonly name = 'InvalidReleaseRequestError';
  constructor(readonly errors: FieldError[]) {
    super(`invalid release request: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
}

/** The last run under this ID completed a real release (not a dry run, which completes too). */
async function succeededBefore(client: Client, workflowId: string): Promise<boolean> {
  const last = await client.workflow
    .getHandle(workflowId)
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  if (last?.status.name !== 'COMPLETED') return false;
  const memo = (last.memo ?? {}) as { dryRun?: unknown; summary?: unknown };
  // v1 runs have no dryRun flag in their memo, only the summary.
  const dryRun = memo.dryRun === true || (typeof memo.summary === 'string' && memo.summary.startsWith('Dry run: '));
  return !dryRun;
}

export function releaseHandle(client: Client, ref: Pick<ResourceRef, 'provider' | 'region' | 'resourceId'>): ReleaseHandle {
  return client.workflow.getHandle<typeof releaseResource>(releaseWorkflowId(ref));
}

export const progress = (h: ReleaseHandle): Promise<Progress> => h.query(progressQuery);
export const confirmBackup = (h: ReleaseHandle, c: BackupConfirmation) => h.executeUpdate(confirmBackupUpdate, { args: [c] });
export const approveOverride = (h: ReleaseHandle, a: OverrideApproval) => h.executeUpdate(approveOverrideUpdate, { args: [a] });
export const cancelRelease = (h: ReleaseHandle, c: CancelRequest) => h.executeUpdate(cancelReleaseUpdate, { args: [c] });

export type { ReleaseReport };
