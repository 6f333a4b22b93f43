// How the fault suite (scripts/faults.ts) and the cluster run (scripts/cluster.ts) judge what happened: endings of
// releases, destructive calls per resource, reports against the simulators' state, workflow-task failures.
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, TerminatedFailure } from '@temporalio/common';
import { ReleaseFailureType } from '../../common/failure-types';
import type { ReleaseReport } from '../../domain/report';
import type { CallRecord } from '../../simulators/core/call-log';
import type { releaseResource } from '../../workflows';
import { messageOf, sleep, TimeoutError, withTimeout } from './support';

const FAILURE_TYPES = new Set<string>(Object.values(ReleaseFailureType));

export interface Ending {
  /** `released`, `dry-run`… for a completed run; the failure type for a failed one; else what happened. */
  got: string;
  /** A completed run, or a failure of the project's own types that carries its report. */
  typed: boolean;
  report?: ReleaseReport;
  detail?: string;
  /** Client calls that failed on the way (the server was down): retried until the deadline. */
  clientRetries: number;
}

/** How a workflow ended, by `deadline` (epoch ms). Connection errors while the server is down are waited out. */
export async function endingOf(handle: WorkflowHandle<typeof releaseResource>, deadline: number): Promise<Ending> {
  let clientRetries = 0;
  for (;;) {
    try {
      const report = await withTimeout(handle.result(), deadline - Date.now(), handle.workflowId);
      return { got: report.outcome, typed: true, report, clientRetries };
    } catch (err) {
      if (err instanceof TimeoutError) return { got: 'not-ended', typed: false, detail: err.message, clientRetries };
      if (err instanceof WorkflowFailedError) {
        const cause = err.cause;
        if (cause instanceof TerminatedFailure) return { got: 'terminated', typed: true, clientRetries };
        if (!(cause instanceof ApplicationFailure)) return { got: cause?.name ?? 'unknown failure', typed: false, detail: cause?.message, clientRetries };
        const report = cause.details?.[0] as ReleaseReport | undefined;
        const carriesReport = !!report && typeof report.outcome === 'string' && Array.isArray(report.deleted);
        return { got: cause.type ?? 'untyped', typed: FAILURE_TYPES.has(cause.type ?? '') && carriesReport, report, detail: cause.message, clientRetries };
      }
      clientRetries++;
      if (Date.now() > deadline) return { got: 'client error', typed: false, detail: messageOf(err), clientRetries };
      await sleep(1_000);
    }
  }
}

/** The calls that change or remove something, per provider (the destructive call, drain jobs and cleanup deletes). */
export const DESTRUCTIVE: Record<string, Set<string>> = {
  alibaba: new Set(['DeleteInstance', 'DeleteInstances', 'DeleteDisk', 'DeleteSnapshot']),
  baidu: new Set(['ReleaseInstance', 'ReleasePrepaidInstance', 'ReleaseInstanceWithRelated', 'DeleteRecycledInstance', 'DeleteVolume', 'DeleteSnapshot']),
  huawei: new Set(['DeleteDevServer', 'DeleteHyperinstance', 'DeleteServers', 'UnsubscribeResources', 'ReleaseResources', 'DeleteVolume', 'DeleteSnapshot']),
};

/**
 * Destructive calls that reached the API, per `provider id`. A call answered by an injected fault had no effect,
 * unless `tookEffect` says that fault applies the call before answering.
 */
export function destructiveCallsPerResource(calls: CallRecord[], tookEffect: (call: CallRecord) => boolean = () => false): Map<string, number> {
  const perTarget = new Map<string, number>();
  for (const call of calls) {
    if (!DESTRUCTIVE[call.provider]?.has(call.action) || (call.injected && !tookEffect(call))) continue;
    for (const id of (call.target ?? '(no target)').split(',')) perTarget.set(`${call.provider} ${id}`, (perTarget.get(`${call.provider} ${id}`) ?? 0) + 1);
  }
  return perTarget;
}

/** Items of a provider's simulated state that still exist, with the rules of test/integration/witness.ts. */
function presentIds(state: Record<string, unknown>): Set<string> {
  const ID_KEYS = ['resource_id', 'dedicated_host_id', 'id', 'instanceId', 'volumeId', 'snapshotId'];
  const GONE = new Set<unknown>(['DELETED', 'Deleted', 'deleted', 'released', 'TERMINATED', 3]);
  const present = new Set<string>();
  const walk = (value: unknown) => {
    if (!Array.isArray(value)) {
      if (value && typeof value === 'object') for (const v of Object.values(value)) if (Array.isArray(v)) walk(v);
      return;
    }
    for (const item of value) {
      if (!item || typeof item !== 'object') continue;
      const o = item as Record<string, unknown>;
      const id = ID_KEYS.map((k) => o[k]).find((v): v is string => typeof v === 'string');
      if (id && !GONE.has(o.status) && !GONE.has(o.state)) present.add(id);
    }
  };
  for (const [k, v] of Object.entries(state)) if (k !== 'timing') walk(v);
  return present;
}

/** Every released report against the simulators' final state: what it says deleted is gone, what it says kept is there. */
export function reportMismatches(reports: { workflowId: string; report: ReleaseReport }[], state: Record<string, Record<string, unknown>>): string[] {
  const present = new Map<string, Set<string>>();
  const out: string[] = [];
  for (const { workflowId, report } of reports) {
    const provider = report.resource.provider;
    if (!present.has(provider)) present.set(provider, presentIds(state[provider] ?? {}));
    const ids = present.get(provider)!;
    for (const d of report.deleted) if (ids.has(d.id)) out.push(`${workflowId}: ${d.type} ${d.id} reported deleted, still there`);
    for (const r of report.retained) if (!ids.has(r.id)) out.push(`${workflowId}: ${r.type} ${r.id} reported kept, gone`);
  }
  return out;
}

/** WorkflowTaskFailed and WorkflowTaskTimedOut events over every execution of the namespace. */
export async function workflowTaskEvents(client: Client): Promise<{ executions: number; failed: string[]; timedOut: number }> {
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const wf of client.workflow.list()) runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  const failed: string[] = [];
  let timedOut = 0;
  for (let i = 0; i < runs.length; i += 8) {
    await Promise.all(
      runs.slice(i, i + 8).map(async ({ workflowId, runId }) => {
        const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
        const n = events.filter((e) => e.workflowTaskFailedEventAttributes != null).length;
        if (n > 0) failed.push(`${workflowId} ×${n}`);
        timedOut += events.filter((e) => e.workflowTaskTimedOutEventAttributes != null).length;
      }),
    );
  }
  return { executions: runs.length, failed, timedOut };
}
