// Activity proxies and their policies. Provider calls go to the provider's own task queue (the adapters limit
// their requests, providers/rate-limit.ts); destructive calls get a single attempt: the workflow decides on retries.
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ActivityFailureType as F } from '../common/failure-types';
import { providerTaskQueue } from '../common/temporal';
import type { DestroyOptions, Provider, ReleaseAction, ResourceRef } from '../domain/resource';
import type { ObservedItem } from '../providers/adapter';

const FINAL = [F.rejected, F.invalidRequest, F.failed, F.outcomeUnknown];

/** Every provider activity heartbeats while its calls run (activities/failures.ts): a killed worker's task is retried after this. */
const HEARTBEAT = '10s';

/** How long a read keeps retrying through a provider outage or throttling before the release ends typed. */
export const READ_BUDGET = '30m';

/** v2: validation as an activity on the workflow task queue (the name is older than v3's local activity). */
export const local = proxyActivities<Pick<Activities, 'validateRequest'>>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: FINAL },
});

/** v3: validation runs in the worker that runs the workflow (pure CPU, no I/O): a marker, no task queue round trip. */
export const inWorker = proxyLocalActivities<Pick<Activities, 'validateRequest'>>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: FINAL },
});

/**
 * The ended release's audit record, on the workflow task queue. Retried for as long as the store is unreachable: the
 * record is durable, so the workflow stays open (its result decided) until it is written. Only a worker without a
 * store, or an entry the store refuses, ends the attempt for good (the workflow then logs it and ends).
 */
export const control = proxyActivities<Pick<Activities, 'recordAudit'>>({
  // One insert (an embedded store may wait for its lock): a killed worker's attempt is retried after the heartbeat timeout.
  startToCloseTimeout: '2m',
  heartbeatTimeout: HEARTBEAT,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['AuditStoreMissing', 'InvalidAuditEntry'] },
});

/** `pollFromMs`: the first retry interval of the polls (v2 executions keep their 1 s). */
/**
 * v3: the audit record in a local activity, run by the worker that runs the release: no task queue round trip, one
 * marker. The write is idempotent, so the re-run after a worker dies mid-write (at the workflow task timeout) is safe;
 * retried without end as above (beyond a minute between attempts the SDK waits on a timer).
 */
export const inWorkerAudit = proxyLocalActivities<Pick<Activities, 'recordAudit'>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['AuditStoreMissing', 'InvalidAuditEntry'] },
});

/**
 * `fenced` (v4): destructive calls go to the fenced activities (activities/send-fence.ts), whose attempts that timed out
 * before the server recorded "maybe sent" are made again instead of judged "maybe made" (workflows/destructive.ts).
 */
export function providerActivities(provider: Provider, { pollFromMs = 1_000, fenced = false }: { pollFromMs?: number; fenced?: boolean } = {}) {
  const taskQueue = providerTaskQueue(workflowInfo().taskQueue, provider);
  const reads = proxyActivities<Pick<Activities, 'inspectResource' | 'resourceStatus' | 'stopInstance'>>({
    taskQueue,
    startToCloseTimeout: '30s',
    heartbeatTimeout: HEARTBEAT,
    scheduleToCloseTimeout: READ_BUDGET,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s', nonRetryableErrorTypes: FINAL },
  });
  // Polling through retries, for at most `ceilingMs`: each attempt reads once and fails with NotYet (BENIGN); no history event per poll.
  const polls = (ceilingMs: number) =>
    proxyActivities<Pick<Activities, 'awaitGone' | 'awaitStopped' | 'awaitVmDeletion'>>({
      taskQueue,
      startToCloseTimeout: '20s',
      heartbeatTimeout: HEARTBEAT,
      scheduleToCloseTimeout: ceilingMs,
      retry: { initialInterval: pollFromMs, backoffCoefficient: 1.5, maximumInterval: '30s', nonRetryableErrorTypes: FINAL },
    });
  const verify = proxyActivities<Pick<Activities, 'observeItems'>>({
    taskQueue,
    startToCloseTimeout: '60s',
    heartbeatTimeout: HEARTBEAT,
    scheduleToCloseTimeout: READ_BUDGET,
    retry: { initialInterval: '2s', backoffCoefficient: 1.5, maximumInterval: '30s', nonRetryableErrorTypes: FINAL },
  });
  const once = {
    taskQueue,
    // One provider call (adapters time out at 15s); a worker that dies mid-call is noticed at the heartbeat
    // timeout, and its call then counts as "maybe made" unless its heartbeats say it was never sent.
    startToCloseTimeout: '30s',
    heartbeatTimeout: HEARTBEAT,
    retry: { maximumAttempts: 1 },
  } as const;
  const unfenced = proxyActivities<Pick<Activities, 'sendDestroy' | 'deleteDisk' | 'deleteSnapshot' | 'submitVmDeletion'>>(once);
  const behindFence = proxyActivities<Pick<Activities, 'sendDestroyFenced' | 'deleteDiskFenced' | 'deleteSnapshotFenced' | 'submitVmDeletionFenced'>>(once);
  const destructive = fenced
    ? {
        sendDestroy: behindFence.sendDestroyFenced,
        deleteDisk: behindFence.deleteDiskFenced,
        deleteSnapshot: behindFence.deleteSnapshotFenced,
        submitVmDeletion: behindFence.submitVmDeletionFenced,
      }
    : unfenced;
  // Each call carries a one-line summary, shown on its activity in the Web UI (metadata only: replay ignores it).
  const as = (summary: string) => ({ summary });
  const polling = (ceilingMs: number) => {
    const p = polls(ceilingMs);
    return {
      awaitGone: (ref: ResourceRef) => p.awaitGone.executeWithOptions(as(`wait until ${ref.resourceId} is gone`), [ref]),
      awaitStopped: (ref: ResourceRef) => p.awaitStopped.executeWithOptions(as(`wait until ${ref.resourceId} is stopped`), [ref]),
      awaitVmDeletion: (ref: ResourceRef, jobId: string) =>
        p.awaitVmDeletion.executeWithOptions(as(`wait for the VM delete job ${jobId} on ${ref.resourceId}`), [ref, jobId]),
    };
  };
  return {
    inspectResource: (ref: ResourceRef, summary = `inspect ${ref.kind} ${ref.resourceId}`) => reads.inspectResource.executeWithOptions(as(summary), [ref]),
    resourceStatus: (ref: ResourceRef) => reads.resourceStatus.executeWithOptions(as(`read the status of ${ref.resourceId}`), [ref]),
    stopInstance: (ref: ResourceRef) => reads.stopInstance.executeWithOptions(as(`stop ${ref.resourceId}`), [ref]),
    sendDestroy: (ref: ResourceRef, action: ReleaseAction, options: DestroyOptions) =>
      destructive.sendDestroy.executeWithOptions(as(`${action} ${ref.kind} ${ref.resourceId} (destructive, once)`), [ref, action, options]),
    deleteDisk: (ref: ResourceRef, diskId: string) => destructive.deleteDisk.executeWithOptions(as(`delete disk ${diskId} (destructive, once)`), [ref, diskId]),
    deleteSnapshot: (ref: ResourceRef, snapshotId: string) =>
      destructive.deleteSnapshot.executeWithOptions(as(`delete snapshot ${snapshotId} (destructive, once)`), [ref, snapshotId]),
    submitVmDeletion: (ref: ResourceRef, vmIds: string[]) =>
      destructive.submitVmDeletion.executeWithOptions(as(`delete ${vmIds.length} VM(s) on host ${ref.resourceId} (destructive, once)`), [ref, vmIds]),
    observeItems: (ref: ResourceRef, items: ObservedItem[], settleAttempts: number) =>
      verify.observeItems.executeWithOptions(as(`verify ${items.length} item(s) of ${ref.resourceId}`), [ref, items, settleAttempts]),
    polls: polling,
  };
}

export type ProviderActivities = ReturnType<typeof providerActivities>;
