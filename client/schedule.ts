// Scheduled decommission jobs: a Temporal Schedule that starts releaseResource. The Schedule names its runs
// after itself, so each run hands over to the resource's canonical release (one release per resource).
import type { Client, ScheduleSpec } from '@temporalio/client';
import { releaseTaskQueue } from './connection';
import type { ReleaseRequest } from '../domain/request';
import { startDetails, startSummary } from '../domain/summaries';

export async function scheduleDecommission(client: Client, scheduleId: string, request: ReleaseRequest, spec: ScheduleSpec, taskQueue = releaseTaskQueue()) {
  return client.schedule.create({
    scheduleId,
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: 'releaseResource',
      taskQueue,
      workflowId: `scheduled/${scheduleId}`,
      args: [request],
      staticSummary: `Scheduled: ${startSummary(request, request.requestedBy, request.dryRun === true)}`,
      staticDetails: `${startDetails(request, request)}\n\nStarted by the schedule ${scheduleId}; hands over to the resource's canonical release.`,
    },
    memo: { summary: `scheduled release of ${request.kind} ${request.resourceId} (${request.provider} ${request.region}), ticket ${request.ticket}` },
  });
}
