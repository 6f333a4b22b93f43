// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// Activity proxies and their policies. Provider calls go to the provider's own task queue (rate-limited
// there for every worker together); destructive calls get a single attempt: the workflow decides on retries.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../../activities';
import { providerTaskQueue } from '../../common/temporal';
import type { Provider } from '../../domain/resource';
import { ActivityFailureType as F } from '../../common/failure-types';

const FINAL = [F.rejected, F.invalidRequest, F.failed, F.outcomeUnknown];

export const local = proxyActivities<Pick<Activities, 'validateRequest'>>({
  startToCloseTimeout: '10s',
  retry: { nonRetryableErrorTypes: FINAL },
});

export function providerActivities(provider: Provider) {
  const taskQueue = providerTaskQueue(workflowInfo().taskQueue, provider);
  const reads = proxyActivities<Pick<Activities, 'inspectResource' | 'stopInstance'>>({
    taskQueue,
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes: FINAL },
  });
  // Polling through retries: each attempt reads once and fails with NotYet; no history event per poll.
  const polls = (ceiling: Duration) =>
    proxyActivities<Pick<Activities, 'awaitGone' | 'awaitStopped' | 'awaitVmDeletion'>>({
      taskQueue,
      startToCloseTimeout: '20s',
      scheduleToCloseTimeout: ceiling,
      retry: { initialInterval: '1s', backoffCoefficient: 1.5, maximumInterval: '30s', nonRetryableErrorTypes: FINAL },
    });
  const destructive = proxyActivities<Pick<Activities, 'destroyResource' | 'deleteDisk' | 'deleteSnapshot' | 'submitVmDeletion'>>({
    taskQueue,
    // Long enough for a pre-read and one provider call (adapters time out at 15s); a worker that dies
    // mid-call is noticed this soon, and its call then counts as "maybe made".
    startToCloseTimeout: '45s',
    retry: { maximumAttempts: 1 },
  });
  // Proxies have no own keys to spread: name each activity.
  return {
    inspectResource: reads.inspectResource,
    stopInstance: reads.stopInstance,
    destroyResource: destructive.destroyResource,
    deleteDisk: destructive.deleteDisk,
    deleteSnapshot: destructive.deleteSnapshot,
    submitVmDeletion: destructive.submitVmDeletion,
    polls,
  };
}

export type ProviderActivities = ReturnType<typeof providerActivities>;
