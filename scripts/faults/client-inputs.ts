// The malformed inputs through the client (client/release.ts `startRelease`), as a service would send them. Each
// must end InvalidReleaseRequest, or be refused before anything is started. startRelease starts under the
// canonical ID and joins a release running there: inputs with the same ID go one after the other, so that
// each is one run that looked at that input.
import type { Client } from '@temporalio/client';
import { startRelease } from '../../client/release';
import { ReleaseFailureType } from '../../common/failure-types';
import { dryRunWorkflowId, releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import type { BadInput } from './catalogue';
import { endingOf } from './evidence';
import { messageOf, sleep } from './support';

export const REFUSED_BY_CLIENT = 'refused by the client';
/**
 * An input whose workflow ID is over Temporal's limit (limit.maxIDLength, 1000 characters by default) can never
 * start; startRelease describes that ID first, and the server does not answer a describe of a 1 MB ID.
 */
export const UNSTARTABLE_ID = 'not started: workflow ID over the server limit';
export const MAX_WORKFLOW_ID = 1000;
/** A run's refusal, as the raw path bounds it. */
const REFUSAL_MS = 90_000;
/** One start (its describe included), the server's crash aside. */
const START_MS = 20_000;

export interface InputResult {
  name: string;
  /** The run's workflow ID, or the one it would have had ('-' when there is none). */
  workflowId: string;
  got: string;
  ms: number;
  detail?: string;
}

/** The workflow ID startRelease would use, undefined when the input has no such shape (null). */
export function canonicalIdOf(input: unknown): string | undefined {
  try {
    const r = input as ReleaseRequest;
    return r.dryRun ? dryRunWorkflowId(r) : releaseWorkflowId(r);
  } catch {
    return undefined;
  }
}

/** The gRPC status code of an error or one of its causes. */
export function grpcCode(err: unknown): number | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** Whether the client path refused this input as it must. */
export const clientRefused = (r: InputResult) => [ReleaseFailureType.invalidRequest, REFUSED_BY_CLIENT, UNSTARTABLE_ID].includes(r.got);

/** Every input through startRelease, by `deadline` (epoch ms); a start while the server is down is tried again. */
export async function runClientInputs(c: Client, inputs: BadInput[], taskQueue: string, deadline: number): Promise<InputResult[]> {
  const groups = new Map<string, BadInput[]>();
  for (const [i, b] of inputs.entries()) {
    const key = canonicalIdOf(b.args[0]) ?? `(none) ${i}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const one = async (b: BadInput): Promise<InputResult> => {
    const began = Date.now();
    const workflowId = canonicalIdOf(b.args[0]) ?? '-';
    for (;;) {
      try {
        const handle = await c.connection.withDeadline(Date.now() + START_MS, () => startRelease(c, b.args[0] as ReleaseRequest, taskQueue));
        const e = await endingOf(handle, Math.min(deadline, began + REFUSAL_MS));
        return { name: b.name, workflowId: handle.workflowId, got: e.got, ms: Date.now() - began, detail: e.detail };
      } catch (err) {
        const code = grpcCode(err);
        const startable = workflowId.length <= MAX_WORKFLOW_ID;
        if (startable && (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) && Date.now() < deadline) {
          await sleep(1_000);
          continue;
        }
        const got = code === undefined ? REFUSED_BY_CLIENT : startable ? `refused by the server (gRPC ${code})` : UNSTARTABLE_ID;
        return { name: b.name, workflowId, got, ms: Date.now() - began, detail: messageOf(err) };
      }
    }
  };
  const results: InputResult[] = [];
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const b of group) results.push(await one(b));
    }),
  );
  return results;
}
