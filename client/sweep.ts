// Decommission sweeps from code: one-off runs and Temporal Schedules of them. A schedule never runs two sweeps
// at once (overlap SKIP) and, after an outage, takes a missed run only within its catch-up window.
import {
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleSpec,
  type ScheduleSummary,
  type WorkflowHandle,
} from '@temporalio/client';
import { releaseTaskQueue } from './connection';
import { validateSweepPolicy, type SweepPolicy } from '../domain/sweep-policy';
import type { decommissionSweep } from '../workflows';
import { optOutUpdate, type OptOutRecord } from '../workflows/sweep-messages';
import type { OptOutRequest } from '../domain/sweep-policy';

export const SWEEP_WORKFLOW_TYPE = 'decommissionSweep';
export const DEFAULT_CATCHUP_WINDOW_MS = 3_600_000;

export type SweepHandle = WorkflowHandle<typeof decommissionSweep>;

/** A one-off sweep runs as `sweep/<name>`; a scheduled run as `sweep/<name>-<time>` (the server appends the time). */
export const sweepWorkflowId = (name: string) => `sweep/${name}`;

/** The policy's field errors, thrown before anything is started or scheduled. */
export class InvalidSweepPolicyError extends Error {
  override readonly name = 'InvalidSweepPolicyError';
  constructor(readonly errors: { field: string; message: string }[]) {
    super(`invalid sweep policy: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
}

function checked(policy: SweepPolicy): SweepPolicy {
  const v = validateSweepPolicy(policy);
  if (!v.ok) throw new InvalidSweepPolicyError(v.errors);
  return policy;
}

/** Run a sweep now. Refused (WorkflowExecutionAlreadyStartedError) while a one-off sweep of that policy runs. */
export async function startSweep(client: Client, policy: SweepPolicy, taskQueue = releaseTaskQueue()): Promise<SweepHandle> {
  return client.workflow.start<typeof decommissionSweep>(SWEEP_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: sweepWorkflowId(checked(policy).name),
    args: [policy],
    workflowIdConflictPolicy: 'FAIL',
  });
}

export interface SweepScheduleOptions {
  /** How late a missed run may still be taken, in milliseconds (default an hour): a sweep days late is skipped, not run. */
  catchupWindowMs?: number;
  paused?: boolean;
  note?: string;
  taskQueue?: string;
}

export async function createSweepSchedule(client: Client, scheduleId: string, policy: SweepPolicy, spec: ScheduleSpec, opts: SweepScheduleOptions = {}) {
  return client.schedule.create({
    scheduleId,
    spec,
    action: {
      type: 'startWorkflow',
      workflowType: SWEEP_WORKFLOW_TYPE,
      taskQueue: opts.taskQueue ?? releaseTaskQueue(),
      workflowId: sweepWorkflowId(checked(policy).name),
      args: [policy],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: opts.catchupWindowMs ?? DEFAULT_CATCHUP_WINDOW_MS },
    state: { paused: opts.paused ?? false, note: opts.note },
    memo: { summary: `${policy.mode} sweep ${policy.name} of ${policy.provider} ${policy.region}, ticket ${policy.ticket}` },
  });
}

/** The schedules that start sweeps. */
export async function listSweepSchedules(client: Client): Promise<ScheduleSummary[]> {
  const out: ScheduleSummary[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.type === 'startWorkflow' && s.action.workflowType === SWEEP_WORKFLOW_TYPE) out.push(s);
  }
  return out;
}

const handle = (client: Client, scheduleId: string): ScheduleHandle => client.schedule.getHandle(scheduleId);

export const describeSweepSchedule = (client: Client, scheduleId: string): Promise<ScheduleDescription> => handle(client, scheduleId).describe();
export const pauseSweepSchedule = (client: Client, scheduleId: string, note?: string) => handle(client, scheduleId).pause(note);
export const unpauseSweepSchedule = (client: Client, scheduleId: string, note?: string) => handle(client, scheduleId).unpause(note);
/** Run it now; skipped, like a scheduled run, while one of its sweeps still runs. */
export const triggerSweepSchedule = (client: Client, scheduleId: string) => handle(client, scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
export const deleteSweepSchedule = (client: Client, scheduleId: string) => handle(client, scheduleId).delete();

/** During a sweep's grace period: keep one candidate out of it (refused with the reason otherwise). */
export const optOut = (sweep: SweepHandle, request: OptOutRequest): Promise<OptOutRecord> => sweep.executeUpdate(optOutUpdate, { args: [request] });
