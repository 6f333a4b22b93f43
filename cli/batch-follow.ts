// Following a batch (`batch watch`, and `batch start` after it starts): poll `batchProgress`, print each change
// (a progress bar redrawn in place on a terminal, one line per change otherwise, one JSON line with --json),
// say what it waits for with the exact command to run, then how it ended.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchHandle, batchProgress, type BatchHandle } from '../client/batch';
import { progress } from '../client/release';
import { BatchFailureType, type BatchResult } from '../domain/batch';
import type { Gate } from '../domain/plan';
import type { releaseResource } from '../workflows';
import type { BatchProgress } from '../workflows/batch-messages';
import { bar, formatBatchResult, notes, progressLine } from './batch-format';
import { ExitCode, type ExitCodeValue } from './exit-codes';
import { pendingGate } from './follow';
import type { Output } from './output';

/** What a batch waits for from a person: its own confirmation, or a gate of its releases not yet given for the batch. */
export interface BatchWait {
  update: 'confirmBatch' | 'confirmBackup' | 'approveOverride';
  detail: string;
  command: string;
}

/** Releases looked at for a gate on each poll (the window is at most 100; the first ones tell). */
const GATE_PROBES = 20;

export async function batchWait(client: Client, workflowId: string, p: BatchProgress): Promise<BatchWait | undefined> {
  if (p.phase === 'awaiting-confirmation') {
    return {
      update: 'confirmBatch',
      detail: p.waitingFor ?? 'confirmBatch: the batch is over its safety cap',
      command: `cloud-release batch confirm ${workflowId} --by <your name, not the requester's>`,
    };
  }
  const open: Gate[] = [];
  if (!p.approvals.backupConfirmedBy) open.push('backup');
  if (!p.approvals.overrideApprovedBy) open.push('protection-override');
  if (!open.length || !p.running.length) return undefined;
  const gates = await Promise.all(
    p.running.slice(0, GATE_PROBES).map((id) => progress(client.workflow.getHandle<typeof releaseResource>(id)).then(pendingGate, () => undefined)),
  );
  const waiting = (gate: Gate) => gates.filter((g) => g === gate).length;
  if (open.includes('backup') && waiting('backup')) {
    return {
      update: 'confirmBackup',
      detail: `confirmBackup: ${waiting('backup')} release(s) wait for a backup confirmation, given once for the whole batch`,
      command: `cloud-release batch confirm-backup ${workflowId} --by <your name> --backup-reference <backup or snapshot ID>`,
    };
  }
  if (open.includes('protection-override') && waiting('protection-override')) {
    return {
      update: 'approveOverride',
      detail: `approveOverride: ${waiting('protection-override')} release(s) wait for a protection-override approval, given once for the whole batch`,
      command: `cloud-release batch approve ${workflowId} --by <your name, not the requester's>`,
    };
  }
  return undefined;
}

/** 0 when every resource ended well, 4 when any failed or was not started (cancel, breaker). */
export function exitCodeOfBatch(r: BatchResult): ExitCodeValue {
  return r.failuresTotal > 0 || (r.counts['not-started'] ?? 0) > 0 ? ExitCode.failed : ExitCode.ok;
}

export interface BatchFollowOptions {
  intervalMs: number;
  /** Stop with exit code 5 as soon as the batch waits for a person. */
  exitWhenWaiting: boolean;
}

export async function followBatch(client: Client, id: string, out: Output, opts: BatchFollowOptions): Promise<ExitCodeValue> {
  const handle = batchHandle(client, id);
  const live = process.stdout.isTTY && !out.json;
  let last = '';
  let said = '';
  for (;;) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') {
      if (live && last) process.stdout.write('\n');
      return batchEnded(handle, out);
    }
    const p = await batchProgress(handle);
    const wait = await batchWait(client, handle.workflowId, p);
    const seen = JSON.stringify([p.phase, p.total, p.byPhase, p.byOutcome, p.paused, p.stopped, wait?.command]);
    if (seen !== last) {
      last = seen;
      // What the batch waits for is said once, when it changes.
      const told = notes(handle.workflowId, p, wait);
      const fresh = told.join('\n') !== said ? told : [];
      said = told.join('\n');
      if (out.json) out.result('', { event: 'progress', workflowId: handle.workflowId, ...summary(p), wait });
      else if (live) {
        // The bar is redrawn in place; the notes go above it.
        for (const n of fresh) process.stdout.write(`\r\x1b[K${clock()} ${n}\n`);
        process.stdout.write(`\r\x1b[K${bar(p.byPhase.ended, p.total)} ${progressLine(p)}`);
      } else out.result([`${clock()} ${progressLine(p)}`, ...fresh.map((n) => `         ${n}`)], undefined);
    }
    if (wait && opts.exitWhenWaiting) {
      if (live) process.stdout.write('\n');
      return ExitCode.waiting;
    }
    await sleep(opts.intervalMs);
  }
}

const summary = (p: BatchProgress) => ({
  phase: p.phase,
  total: p.total,
  byPhase: p.byPhase,
  byOutcome: p.byOutcome,
  paused: p.paused,
  stopped: p.stopped,
  waitingFor: p.waitingFor,
});

/** Print how a batch ended and return its exit code. */
export async function batchEnded(handle: BatchHandle, out: Output, all = false): Promise<ExitCodeValue> {
  let result: BatchResult;
  try {
    result = await handle.result();
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const type = (err.cause as { type?: string } | undefined)?.type;
    const code = type === BatchFailureType.invalidRequest ? ExitCode.usage : ExitCode.failed;
    const message = err.cause?.message ?? err.message;
    out.result(`${handle.workflowId} failed${type ? ` (${type})` : ''}: ${message}`, {
      event: 'end',
      workflowId: handle.workflowId,
      failureType: type,
      message,
      exitCode: code,
    });
    return code;
  }
  const code = exitCodeOfBatch(result);
  out.result(formatBatchResult(result, !all), { event: 'end', workflowId: handle.workflowId, result, exitCode: code });
  return code;
}

const clock = () => new Date().toISOString().slice(11, 19);
