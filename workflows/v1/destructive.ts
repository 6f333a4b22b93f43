// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// One destructive call, at most once. The activity makes a single attempt; this decides what follows:
// a definite "try later" from the provider is retried here, a definite "no" ends it, and no answer at all
// (lost response, timeout, worker crash) means "maybe done": it is never repeated, the caller checks the state.
import { isCancellation, sleep } from '@temporalio/workflow';
import { ActivityFailureType } from '../../common/failure-types';
import type { CallReceipt } from '../../domain/resource';
import { failureTypeOf, providerErrorOf, type Audit } from './audit';

export type DestructiveResult<R> =
  | { kind: 'accepted'; receipt: R }
  | { kind: 'refused'; error: unknown }
  | { kind: 'unknown'; error: unknown };

const MAX_REJECTED_TRIES = 8;

export async function destructiveCall<R extends CallReceipt>(audit: Audit, call: () => Promise<R>): Promise<DestructiveResult<R>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'accepted', receipt: await call() };
    } catch (err) {
      if (isCancellation(err)) throw err; // the release was cancelled: not an answer from the provider
      const type = failureTypeOf(err);
      if (type === ActivityFailureType.transient && attempt < MAX_REJECTED_TRIES) {
        // The provider answered "not now": nothing happened, so asking again is safe.
        audit.providerError(err);
        await sleep(Math.min(1_000 * 2 ** (attempt - 1), 60_000));
        continue;
      }
      if (type === ActivityFailureType.transient || type === ActivityFailureType.rejected || providerErrorOf(err)) {
        return { kind: 'refused', error: err };
      }
      return { kind: 'unknown', error: err };
    }
  }
}
