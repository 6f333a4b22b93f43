// Scheduled decommission jobs: a Temporal Schedule that starts releaseResource. The Schedule names its runs
// after itself, so each run hands over to the resource's canonical release (one release per resource).
import type { Client, ScheduleSpec } from '@temporalio/client';
import { releaseTaskQueue } from './connection';
import type { ReleaseRequest } from '../domain/request';

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
    },
    memo: { summary: `scheduled release of ${request.kind} ${request.resourceId} (${request.provider} ${request.region}), ticket ${request.ticket}` },
  });
}
