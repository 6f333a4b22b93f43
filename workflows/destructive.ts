// One destructive call, at most once. The activity makes a single attempt; this decides what follows:
// a definite "try later" from the provider is retried here, a definite "no" ends it, an attempt whose request
// provably never left (docs/destructive-calls.md) is made again, and no answer at all (lost response, timeout, worker
// crash after the request may have left) means "maybe done": it is never repeated, the caller checks the state.
import { ActivityFailure, ApplicationFailure, TimeoutFailure, sleep } from '@temporalio/workflow';
import { ActivityFailureType, SendStage } from '../common/failure-types';
import type { CallReceipt } from '../domain/resource';
import { failureMessage, failureTypeOf, providerErrorOf, type Audit } from './audit';

export type DestructiveResult<R> =
  | { kind: 'accepted'; receipt: R }
  | { kind: 'refused'; error: unknown }
  | { kind: 'unknown'; error: unknown }
  /** A retry was due, but a fresh read shows the earlier attempt took effect after all (an error answer on an applied call). */
  | { kind: 'took-effect'; evidence: string };

const MAX_REJECTED_TRIES = 8;

/** The activities that send nothing before the server has recorded "maybe sent" (activities/send-fence.ts, workflows/proxies.ts). */
const FENCED: ReadonlySet<string> = new Set(['sendDestroyFenced', 'deleteDiskFenced', 'deleteSnapshotFenced', 'submitVmDeletionFenced']);

/**
 * Why a failed attempt of a fenced call cannot have sent its request, if it cannot: it timed out (its worker killed or
 * stalled) before the server had recorded "maybe sent", or no worker polling the queue had the activity at all.
 */
export function neverSent(err: unknown): string | undefined {
  if (!(err instanceof ActivityFailure) || !FENCED.has(err.activityType)) return undefined;
  const { cause } = err;
  if (cause instanceof TimeoutFailure && cause.lastHeartbeatDetails !== SendStage.maybeSent) {
    return `the attempt timed out (${cause.timeoutType === undefined ? 'timeout' : String(cause.timeoutType)}) before its request was sent`;
  }
  if (cause instanceof ApplicationFailure && cause.type === 'NotFoundError') return `the worker that took it does not have the activity: ${cause.message}`;
  return undefined;
}

/**
 * `tookEffect`, when given, is read before every retry: a provider can answer an error to a request it
 * nevertheless applied, so "try later" is retried only while the state shows that nothing happened.
 */
export async function destructiveCall<R extends CallReceipt>(
  audit: Audit,
  call: () => Promise<R>,
  tookEffect?: () => Promise<string | undefined>,
): Promise<DestructiveResult<R>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'accepted', receipt: await call() };
    } catch (err) {
      const unsent = neverSent(err);
      if (unsent && attempt < MAX_REJECTED_TRIES) {
        // Nothing reached the provider: asking again is the first request, not a second one.
        audit.note(audit.phase, 'destructive request never sent: made again', 'skipped', unsent);
        await sleep(Math.min(1_000 * 2 ** (attempt - 1), 60_000), { summary: 'back off: the request was never sent' });
        const evidence = await tookEffect?.();
        if (evidence) return { kind: 'took-effect', evidence };
        continue;
      }
      const type = failureTypeOf(err);
      if (type === ActivityFailureType.transient && attempt < MAX_REJECTED_TRIES) {
        // The provider answered "not now": asking again is safe unless the state says otherwise.
        audit.providerError(err);
        await sleep(Math.min(1_000 * 2 ** (attempt - 1), 60_000), { summary: 'back off: the provider answered "try later"' });
        const evidence = await tookEffect?.();
        if (evidence) return { kind: 'took-effect', evidence };
        continue;
      }
      if (type === ActivityFailureType.transient || type === ActivityFailureType.rejected || providerErrorOf(err)) {
        audit.providerError(err);
        return { kind: 'refused', error: err };
      }
      return { kind: 'unknown', error: err };
    }
  }
}

/** How a destructive step is recorded: its request ID, and a refusal or a lost answer as what it is. */
export function judgeDestructive<R extends CallReceipt>(r: DestructiveResult<R>): { requestIds?: (string | undefined)[]; failed?: string; unknown?: string } {
  switch (r.kind) {
    case 'accepted':
      return { requestIds: [r.receipt.requestId] };
    case 'refused':
      return { requestIds: [providerErrorOf(r.error)?.requestId], failed: failureMessage(r.error) };
    case 'unknown':
      return { unknown: `no answer (${failureMessage(r.error)}): maybe applied, never repeated` };
    case 'took-effect':
      return { unknown: `an error was answered, but it took effect: ${r.evidence}` };
  }
}
