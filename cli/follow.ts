// Following a release (`watch`, and `release` after it starts): poll the `progress` query, print each change of
// phase and what the release waits for (with the exact command that unblocks it), then how it ended.
import type { Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseEnding, type ReleaseEnding } from '../client/outcome';
import { progress } from '../client/release';
import type { Gate } from '../domain/plan';
import { isGone } from '../domain/plan';
import type { releaseResource } from '../workflows';
import type { Progress } from '../workflows/messages';
import { ExitCode, exitCodeOfCompletion, exitCodeOfFailure, type ExitCodeValue } from './exit-codes';
import type { Output } from './output';

export interface FollowOptions {
  intervalMs: number;
  /** Stop with exit code 5 as soon as the release waits for a person, instead of waiting with it. */
  exitWhenWaiting: boolean;
}

/** The gate a release in `confirm` waits for: in its plan and not yet given. */
export function pendingGate(p: Progress): Gate | undefined {
  if (p.phase !== 'confirm' || !p.plan || isGone(p.plan)) return undefined;
  return p.plan.gates.find((g) => !p.approvals.some((a) => a.gate === g));
}

/** The command a person runs to pass the gate. */
export function unblockCommand(workflowId: string, gate: Gate): string {
  return gate === 'backup'
    ? `cloud-release confirm ${workflowId} --by <your name> --backup-reference <backup or snapshot ID>`
    : `cloud-release approve ${workflowId} --by <your name, not the requester's>`;
}

export async function follow(client: Client, workflowId: string, out: Output, opts: FollowOptions): Promise<ExitCodeValue> {
  const handle = client.workflow.getHandle<typeof releaseResource>(workflowId);
  let last = '';
  for (;;) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return ended(workflowId, await releaseEnding(handle), out);
    const p = await progress(handle);
    const gate = pendingGate(p);
    const seen = `${p.phase}\n${p.waitingFor ?? ''}\n${gate ?? ''}`;
    if (seen !== last) {
      last = seen;
      const command = gate && unblockCommand(workflowId, gate);
      out.result([`${clock()} ${p.phase}${p.waitingFor ? `: waiting for ${p.waitingFor}` : ''}`, ...(command ? [`         run: ${command}`] : [])], {
        event: 'phase',
        workflowId,
        phase: p.phase,
        waitingFor: p.waitingFor,
        gate,
        command,
      });
      if (gate && opts.exitWhenWaiting) return ExitCode.waiting;
    }
    await sleep(opts.intervalMs);
  }
}

/** Print how a release ended and return its exit code. */
export function ended(workflowId: string, ending: ReleaseEnding, out: Output): ExitCodeValue {
  if (ending.ok) {
    const { report } = ending;
    const code = exitCodeOfCompletion(report.outcome, report.plan?.outcome);
    out.result(`${clock()} ${report.outcome}: ${report.summary}`, {
      event: 'end',
      workflowId,
      outcome: report.outcome,
      summary: report.summary,
      exitCode: code,
    });
    return code;
  }
  const code = exitCodeOfFailure(ending.type);
  const outcome = ending.report?.outcome ?? 'failed';
  out.result(`${clock()} ${outcome}${ending.type ? ` (${ending.type})` : ''}: ${ending.message}`, {
    event: 'end',
    workflowId,
    outcome,
    failureType: ending.type,
    summary: ending.message,
    exitCode: code,
  });
  return code;
}

const clock = () => new Date().toISOString().slice(11, 19);
