// The send fence of the destructive activities (activities/send-fence.ts): a request leaves only once the server has
// recorded "maybe sent"; before that every heartbeat says "not sent"; heartbeats are one at a time; and when a
// heartbeat could not be recorded nothing is sent. With the SDK's mock activity environment and an adapter whose
// requests go out the way every real one's do (providers/send-fence.ts `admit`).
import { MockActivityEnvironment } from '@temporalio/testing';
import { failureOf } from './application-failure';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities';
import { FENCE_HEARTBEAT_EVERY_MS, type HeartbeatRecorder } from '../../activities/send-fence';
import { ActivityFailureType, SendStage, type SendStageName } from '../../common/failure-types';
import type { ResourceRef } from '../../domain/resource';
import type { ProviderAdapter } from '../../providers/adapter';
import { UNLIMITED, type RequestLimiter } from '../../providers/rate-limit';
import { admit } from '../../providers/send-fence';

const ref: ResourceRef = { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-1' };
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };

/** What happened, in order: heartbeats as the server records them, requests as they leave. */
type Event = { heartbeat: SendStageName } | { sent: string };

/** An adapter whose destroy sends `requests` requests through `admit`, each logged as it leaves. */
function adapter(log: Event[], { limiter = UNLIMITED, requests = 1 }: { limiter?: RequestLimiter; requests?: number } = {}): ProviderAdapter {
  const unused = () => Promise.reject(new Error('not used in this test'));
  const send = async (what: string) => {
    await admit(limiter);
    log.push({ sent: what });
  };
  return {
    kinds: ['ecs-instance'],
    inspect: unused,
    status: unused,
    observe: unused,
    inventory: unused,
    async destroy() {
      for (let i = 1; i <= requests; i++) await send(`DeleteInstances #${i}`);
      return { alreadyDone: false, requestId: 'r-1' };
    },
    async deleteDisk(_ref, diskId) {
      await send(`DeleteDisk ${diskId}`);
      return { alreadyDone: false };
    },
    deleteSnapshot: unused,
  };
}

/** A server that records each heartbeat after `delayMs`, or fails the ones `fail` picks. */
function server(log: Event[], { delayMs = 0, fail = () => false }: { delayMs?: number; fail?: (n: number, stage: SendStageName) => boolean } = {}) {
  let n = 0;
  let inFlight = 0;
  let overlapped = false;
  const recorder: HeartbeatRecorder = {
    async heartbeat(_token, stage) {
      const k = ++n;
      inFlight++;
      overlapped ||= inFlight > 1;
      try {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (fail(k, stage)) throw new Error(`heartbeat ${k} lost`);
        log.push({ heartbeat: stage });
      } finally {
        inFlight--;
      }
    },
  };
  return { recorder, overlapped: () => overlapped };
}

afterEach(() => vi.useRealTimers());

describe('the send fence of a destructive activity', () => {
  it('sends the request only after the server has recorded "maybe sent", and no SDK heartbeat', async () => {
    const log: Event[] = [];
    const a = createActivities({ adapters: { alibaba: adapter(log) }, heartbeats: server(log).recorder });
    const env = new MockActivityEnvironment();
    const sdkBeats = vi.fn();
    env.on('heartbeat', sdkBeats);
    await env.run(a.sendDestroyFenced, ref, 'delete' as const, NO_OPTIONS);
    expect(log).toEqual([{ heartbeat: SendStage.maybeSent }, { sent: 'DeleteInstances #1' }]);
    expect(sdkBeats).not.toHaveBeenCalled();
  });

  it('heartbeats "not sent" while the request waits for its rate-limit slot, "maybe sent" afterwards, one at a time', async () => {
    vi.useFakeTimers();
    const log: Event[] = [];
    let slot: () => void = () => undefined;
    const limiter: RequestLimiter = { take: () => new Promise<void>((r) => (slot = r)) };
    // Each heartbeat takes longer than the interval: a second one must still wait for the first.
    const srv = server(log, { delayMs: FENCE_HEARTBEAT_EVERY_MS * 1.5 });
    const a = createActivities({ adapters: { alibaba: adapter(log, { limiter }) }, heartbeats: srv.recorder });
    const done = new MockActivityEnvironment().run(a.sendDestroyFenced, ref, 'delete' as const, NO_OPTIONS);
    await vi.advanceTimersByTimeAsync(FENCE_HEARTBEAT_EVERY_MS * 4);
    slot();
    await vi.advanceTimersByTimeAsync(FENCE_HEARTBEAT_EVERY_MS * 10);
    await done;
    const sentAt = log.findIndex((e) => 'sent' in e);
    const before = log.slice(0, sentAt);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.at(-1)).toEqual({ heartbeat: SendStage.maybeSent });
    expect(before.slice(0, -1).every((e) => 'heartbeat' in e && e.heartbeat === SendStage.notSent)).toBe(true);
    expect(log.slice(sentAt + 1).every((e) => 'heartbeat' in e && e.heartbeat === SendStage.maybeSent)).toBe(true);
    expect(srv.overlapped()).toBe(false);
  });

  it('sends nothing when "maybe sent" could not be recorded: a retryable failure, not an unknown outcome', async () => {
    const log: Event[] = [];
    const a = createActivities({ adapters: { alibaba: adapter(log) }, heartbeats: server(log, { fail: () => true }).recorder });
    const f = await failureOf(new MockActivityEnvironment().run(a.sendDestroyFenced, ref, 'delete' as const, NO_OPTIONS));
    expect(f).toMatchObject({ type: ActivityFailureType.transient, nonRetryable: true });
    expect(f.message).toContain('request not sent');
    expect(log).toEqual([]);
  });

  it('sends nothing when an earlier "not sent" got no answer (it could still land after the "maybe sent")', async () => {
    vi.useFakeTimers();
    const log: Event[] = [];
    let slot: () => void = () => undefined;
    const limiter: RequestLimiter = { take: () => new Promise<void>((r) => (slot = r)) };
    const srv = server(log, { fail: (_n, stage) => stage === SendStage.notSent });
    const a = createActivities({ adapters: { alibaba: adapter(log, { limiter }) }, heartbeats: srv.recorder });
    const done = failureOf(new MockActivityEnvironment().run(a.deleteDiskFenced, ref, 'd-1'));
    await vi.advanceTimersByTimeAsync(FENCE_HEARTBEAT_EVERY_MS + 1);
    slot();
    const f = await done;
    expect(f).toMatchObject({ type: ActivityFailureType.transient });
    expect(log).toEqual([]);
  });

  it('a call of several requests records "maybe sent" once, before the first', async () => {
    const log: Event[] = [];
    const a = createActivities({ adapters: { alibaba: adapter(log, { requests: 3 }) }, heartbeats: server(log).recorder });
    await new MockActivityEnvironment().run(a.sendDestroy, ref, 'delete' as const, NO_OPTIONS);
    expect(log).toEqual([{ heartbeat: SendStage.maybeSent }, { sent: 'DeleteInstances #1' }, { sent: 'DeleteInstances #2' }, { sent: 'DeleteInstances #3' }]);
  });

  it('outside a fenced activity a request passes its rate limit alone', async () => {
    const take = vi.fn(() => Promise.resolve());
    await admit({ take });
    expect(take).toHaveBeenCalledTimes(1);
  });
});
