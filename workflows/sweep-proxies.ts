// The sweep's activities: discovery pages on the provider's queue (one limited request each), owner webhooks on the workflow's own.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ActivityFailureType as F } from '../common/failure-types';
import { providerTaskQueue } from '../common/temporal';
import type { Provider } from '../domain/resource';

export function discovery(provider: Provider) {
  return proxyActivities<Pick<Activities, 'listInventory'>>({
    taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider),
    startToCloseTimeout: '60s',
    heartbeatTimeout: '10s',
    // A provider outage or throttling: keep reading the page for a while, then the sweep ends typed.
    scheduleToCloseTimeout: '30m',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s', nonRetryableErrorTypes: [F.rejected, F.invalidRequest] },
  });
}

/** Retried through a receiver's outage for up to an hour; a refusal (WebhookRejected) or no secret is final. */
export const notifications = proxyActivities<Pick<Activities, 'notifyOwner'>>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '1h',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', nonRetryableErrorTypes: ['WebhookRejected', 'WebhookNotConfigured'] },
});
