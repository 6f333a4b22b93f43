// The last step before an adapter's request leaves (docs/destructive-calls.md). A destructive activity runs its
// adapter call inside a fence (activities/send-fence.ts); every adapter passes each of its requests through
// `admit`, right after the request's rate-limit slot, so the fence can record "maybe sent" with the Temporal server
// before anything is sent. Outside a fence (reads, polls, scripts, tests) `admit` is the rate limit alone.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestLimiter } from './rate-limit';

/** Resolves once the request may leave; rejects (nothing sent) when "maybe sent" could not be recorded. */
export type BeforeSend = () => Promise<void>;

const fences = new AsyncLocalStorage<BeforeSend>();

/** Run `fn` with every request it makes passing `beforeSend` first. */
export function withSendFence<T>(beforeSend: BeforeSend, fn: () => Promise<T>): Promise<T> {
  return fences.run(beforeSend, fn);
}

/** One request's way out: its rate-limit token, then the fence of the activity it is made in, if any. */
export async function admit(limiter: RequestLimiter): Promise<void> {
  await limiter.take();
  await fences.getStore()?.();
}
