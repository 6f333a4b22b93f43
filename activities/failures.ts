import { Context } from '@temporalio/activity';
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

/** How often a running provider call heartbeats (the SDK throttles further to its heartbeat timeout). */
export const HEARTBEAT_EVERY_MS = 2_000;

/** Run an adapter call and translate its errors, heartbeating while it runs. */
export async function translated<T>(fn: () => Promise<T>, opts: { destructive?: boolean } = {}): Promise<T> {
  try {
    return await heartbeating(fn);
  } catch (err) {
    throw toFailure(err, opts);
  }
}

/**
 * Run `fn` while the activity heartbeats: a worker that dies mid-call is then noticed at the activity's heartbeat
 * timeout (seconds) instead of its start-to-close timeout.
 */
export async function heartbeating<T>(fn: () => Promise<T>): Promise<T> {
  // A local activity has no heartbeat (the workflow task's own timeout covers it).
  const context = activityContext();
  const beat = context && !context.info.isLocal && setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    if (beat) clearInterval(beat);
  }
}

/** The running activity's context; none when an adapter call is made outside an activity (scripts, tests). */
function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}
