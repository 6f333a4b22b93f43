// Human-readable batches: counts by outcome, a progress bar, the running batch and its result line by line.
import { isFailure, type BatchLine, type BatchOutcome, type BatchResult } from '../domain/batch';
import type { BatchProgress } from '../workflows/batch-messages';
import type { BatchWait } from './batch-follow';
import { table } from './format';

/** "released 3, blocked 2", or "none yet". */
export function counts(byOutcome: Partial<Record<BatchOutcome, number>>): string {
  const parts = Object.entries(byOutcome).map(([outcome, n]) => `${outcome} ${n}`);
  return parts.length ? parts.join(', ') : 'none yet';
}

/** `[########--------] 7/12` */
export function bar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** One line: phase, where the resources are, outcomes so far. */
export function progressLine(p: BatchProgress): string {
  const { pending, running, ended } = p.byPhase;
  const state = p.paused ? ', paused' : p.stopped ? `, stopped: ${p.stopped}` : '';
  return `${p.phase}${state}: ${ended}/${p.total} ended, ${running} running, ${pending} pending; ${counts(p.byOutcome)}`;
}

/** What the batch waits for and the command to run. */
export function notes(workflowId: string, p: BatchProgress, wait: BatchWait | undefined): string[] {
  if (wait) return [`waiting for ${wait.detail}`, `run: ${wait.command}`];
  if (p.paused) return ['paused: no new release starts', `run: cloud-release batch resume ${workflowId} --by <your name>`];
  return p.waitingFor ? [`waiting for ${p.waitingFor}`] : [];
}

function lineRows(lines: BatchLine[]): string[][] {
  return lines.map((l) => [l.resourceId, l.outcome, l.workflowId, [l.failureType, l.message].filter(Boolean).join(': ')]);
}

/** A running batch: counts, what it waits for (and the command), running releases, latest failures, approvals. */
export function formatBatchProgress(workflowId: string, p: BatchProgress, wait: BatchWait | undefined): string[] {
  const given = Object.entries(p.approvals).filter(([, by]) => by !== undefined);
  return [
    `${workflowId}: running, ${progressLine(p)}`,
    ...notes(workflowId, p, wait),
    ...(p.cancelled ? [`cancelled by ${p.cancelled.by}: ${p.cancelled.reason}`] : []),
    ...(p.running.length ? ['', 'running:', ...p.running.map((id) => `  ${id}`)] : []),
    ...(p.failures.length
      ? [
          '',
          `failures (${p.failuresTotal} in all, the latest):`,
          ...table(['RESOURCE', 'OUTCOME', 'WORKFLOW ID', 'WHY'], lineRows(p.failures)).map((l) => `  ${l}`),
        ]
      : []),
    ...(given.length ? ['', `approvals: ${given.map(([k, by]) => `${k.replace(/By$/, '')} by ${String(by)}`).join(', ')}`] : []),
  ];
}

/** A batch that ended: its counts and one line per resource (`failuresOnly`: just the failures, for `watch`). */
export function formatBatchResult(r: BatchResult, failuresOnly = false): string[] {
  const lines = failuresOnly ? r.lines.filter((l) => isFailure(l.outcome)) : r.lines;
  return [
    `${r.batchId}: ${r.dryRun ? 'dry run ' : ''}ended, ${r.total} resource(s): ${counts(r.counts)}`,
    `requested by ${r.requestedBy}, ticket ${r.ticket}${r.runs ? `, ${r.runs + 1} runs (continue-as-new)` : ''}`,
    ...(r.stopped ? [`stopped: ${r.stopped}`] : []),
    ...(lines.length ? ['', ...table(['RESOURCE', 'OUTCOME', 'WORKFLOW ID', 'WHY'], lineRows(lines))] : []),
    ...(r.moreLines && !failuresOnly ? [`… and ${r.moreLines} more (not kept in the result)`] : []),
  ];
}
