import { ApplicationFailure } from '@temporalio/common';
import { ActivityFailureType } from '../common/failure-types';
import { ProviderError, ProviderUnreachableError } from '../providers/adapter';

/** Translate an adapter error into the failure the workflow understands. */
export function toFailure(err: unknown, opts: { destructive?: boolean } = {}): unknown {
  if (err instanceof ProviderError) {
    return ApplicationFailure.create({
      type: err.retryable ? ActivityFailureType.transient : ActivityFailureType.rejected,
      message: err.message,
      nonRetryable: !err.retryable || opts.destructive,
      details: [err.toJSON()],
    });
  }
  if (err instanceof ProviderUnreachableError) {
    return opts.destructive
      ? ApplicationFailure.nonRetryable(err.message, ActivityFailureType.outcomeUnknown)
      : ApplicationFailure.retryable(err.message, ActivityFailureType.unreachable);
  }
  return err;
}

/** Run an adapter call and translate its errors. */
export async function translated<T>(fn: () => Promise<T>, opts: { destructive?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toFailure(err, opts);
  }
}
