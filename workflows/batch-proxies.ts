// Activity proxies of batchRelease: discovery on the provider's own queue, one page (one limited request) per call;
// following releases and passing approvals to them on the workflow's queue, polling through retries.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ActivityFailureType as F } from '../common/failure-types';
import { providerTaskQueue } from '../common/temporal';
import type { Provider } from '../domain/resource';

const FINAL = [F.rejected, F.invalidRequest, F.failed];

export function discovery(provider: Provider) {
  return proxyActivities<Pick<Activities, 'listInventory'>>({
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider),
    startToCloseTimeout: '60s',
    heartbeatTimeout: '10s',
    scheduleToCloseTimeout: '30m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s', nonRetryableErrorTypes: FINAL },
  });
}

export const prior = proxyActivities<Pick<Activities, 'priorReleases'>>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * Polling (each attempt reads once and fails with NotYet; no history event per poll) for as long as a release
 * may take: confirmations wait up to 30 days each.
 */
export const follow = proxyActivities<Pick<Activities, 'awaitRelease' | 'deliverApproval'>>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '62d',
  retry: { initialInterval: '1s', backoffCoefficient: 1.5, maximumInterval: '10s' },
});
