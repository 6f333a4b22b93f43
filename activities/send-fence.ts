// A destructive activity's request leaves only once the Temporal server has recorded "maybe sent" in the activity's
// heartbeat details (docs/destructive-calls.md). Until then its heartbeats say "not sent". An attempt that times
// out (its worker killed, its process stalled) therefore tells the workflow, in the timeout's last heartbeat details,
// whether its request can have left: the server's record is the one point everybody agrees on. Heartbeats go one at a
// time and are awaited (the SDK's own are neither, so these activities send none of those), so a "not sent" never
// lands after the "maybe sent".
import { Context } from '@temporalio/activity';
import { SendStage, type SendStageName } from '../common/failure-types';
import type { Provider } from '../domain/resource';
import { ProviderError } from '../providers/adapter';
import { withSendFence } from '../providers/send-fence';
import { toFailure } from './failures';

/** Records an activity heartbeat with the Temporal server, resolving once the server has it (the SDK's AsyncCompletionClient). */
export interface HeartbeatRecorder {
  heartbeat(taskToken: Uint8Array, details: SendStageName): Promise<void>;
}

/** How often a fenced activity heartbeats (its heartbeat timeout is 10 s). */
export const FENCE_HEARTBEAT_EVERY_MS = 2_000;

const notSent = (provider: Provider, err: unknown) =>
  new ProviderError(
    provider,
    'SendFence.NotRecorded',
    `request not sent: the Temporal server could not record that it is about to be sent (${err instanceof Error ? err.message : String(err)})`,
    'retryable',
  );

/**
 * Run a destructive adapter call behind the send fence, its errors translated as a destructive call's are. A failure
 * to record "maybe sent" fails the call as a provider's "try later" (retryable), with nothing sent.
 */
export async function fencedDestructive<T>(recorder: HeartbeatRecorder, provider: Provider, fn: () => Promise<T>): Promise<T> {
  const { taskToken } = Context.current().info;
  let stage: SendStageName = SendStage.notSent;
  /** A "not sent" whose answer never came may still reach the server late: then nothing may be sent. */
  let lost: unknown;
  let chain = Promise.resolve();
  const record = (s: SendStageName): Promise<void> => {
    const beat = chain.then(async () => {
      if (s === SendStage.maybeSent && lost !== undefined) throw lost instanceof Error ? lost : new Error('an earlier heartbeat got no answer');
      await recorder.heartbeat(taskToken, s);
    });
    chain = beat.catch((err: unknown) => {
      if (s === SendStage.notSent) lost ??= err;
    });
    return beat;
  };
  // Recorded once; every request of the call waits for it, and none leaves if it failed.
  let fence: Promise<void> | undefined;
  const beforeSend = () => {
    if (!fence) {
      stage = SendStage.maybeSent;
      fence = record(SendStage.maybeSent).catch((err: unknown) => {
        throw notSent(provider, err);
      });
    }
    return fence;
  };
  const timer = setInterval(() => void record(stage).catch(() => undefined), FENCE_HEARTBEAT_EVERY_MS);
  try {
    return await withSendFence(beforeSend, fn);
  } catch (err) {
    throw toFailure(err, { destructive: true });
  } finally {
    clearInterval(timer);
  }
}
