// The activities' contract with the workflow, with a stand-in adapter and the SDK's mock activity environment:
// polling answers "not yet" as a BENIGN failure (neither logged as an error nor counted as one), the
// verification read settles while the provider still deletes, and the destructive call is one request.
import { ApplicationFailureCategory } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { failureOf } from './application-failure';
import { describe, expect, it, vi } from 'vitest';
import { createActivities } from '../../activities';
import { HEARTBEAT_EVERY_MS } from '../../activities/failures';
import { ActivityFailureType } from '../../common/failure-types';
import type { ResourceRef } from '../../domain/resource';
import type { Observation, ObservedItem, ProviderAdapter } from '../../providers/adapter';

/** A Temporal server that records every heartbeat at once. */
const RECORDED = { heartbeat: () => Promise.resolve() };
const disk1: ObservedItem[] = [{ type: 'disk', id: 'd-1' }];
const ref: ResourceRef = { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-1' };

function adapterWith(overrides: Partial<ProviderAdapter>): ProviderAdapter {
  const unused = () => Promise.reject(new Error('not used in this test'));
  return {
    kinds: ['ecs-instance'],
    inspect: unused,
    destroy: unused,
    status: unused,
    deleteDisk: unused,
    deleteSnapshot: unused,
    observe: unused,
    inventory: unused,
    ...overrides,
  };
}

describe('activities', () => {
  it('awaitGone: "still there" is a retryable NotYet failure of category BENIGN', async () => {
    const a = createActivities({
      heartbeats: RECORDED,
      adapters: { alibaba: adapterWith({ status: () => Promise.resolve({ state: 'deleting', rawStatus: 'Stopped' }) }) },
    });
    const f = await failureOf(new MockActivityEnvironment().run(a.awaitGone, ref));
    expect(f).toMatchObject({ type: ActivityFailureType.notYet, nonRetryable: false, category: ApplicationFailureCategory.BENIGN });
  });

  it('awaitGone: a provider-reported failure ends the polling at once, not benign', async () => {
    const a = createActivities({
      heartbeats: RECORDED,
      adapters: { alibaba: adapterWith({ status: () => Promise.resolve({ state: 'failed', rawStatus: 'DELETE_FAILED' }) }) },
    });
    const f = await failureOf(new MockActivityEnvironment().run(a.awaitGone, ref));
    expect(f).toMatchObject({ type: ActivityFailureType.failed, nonRetryable: true });
    expect(f.category).toBeUndefined();
  });

  it('observeItems: retries (BENIGN) while something is still being deleted, then returns what it sees', async () => {
    const seen: Observation[] = [{ type: 'disk', id: 'd-1', state: 'deleting' }];
    const a = createActivities({ heartbeats: RECORDED, adapters: { alibaba: adapterWith({ observe: () => Promise.resolve(seen) }) } });
    const early = await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(a.observeItems, ref, disk1, 3));
    expect(early).toMatchObject({ type: ActivityFailureType.notYet, category: ApplicationFailureCategory.BENIGN });
    await expect(new MockActivityEnvironment({ attempt: 3 }).run(a.observeItems, ref, disk1, 3)).resolves.toEqual(seen);
  });

  it('a capability the kind lacks is a final error, never a call', async () => {
    const a = createActivities({ heartbeats: RECORDED, adapters: { alibaba: adapterWith({}) } });
    const f = await failureOf(new MockActivityEnvironment().run(a.submitVmDeletion, ref, ['vm-1']));
    expect(f).toMatchObject({ type: ActivityFailureType.rejected, nonRetryable: true });
    expect(f.message).toContain('no VMs to drain');
  });

  it('observeItems: an item whose read failed is read again (a retryable, not benign, failure) before it is reported unknown', async () => {
    const seen: Observation[] = [{ type: 'snapshot', id: 's-1', state: 'unknown', detail: 'Throttling.User' }];
    const a = createActivities({ heartbeats: RECORDED, adapters: { alibaba: adapterWith({ observe: () => Promise.resolve(seen) }) } });
    const early = await failureOf(new MockActivityEnvironment({ attempt: 2 }).run(a.observeItems, ref, disk1, 5));
    expect(early).toMatchObject({ type: ActivityFailureType.unreachable, nonRetryable: false });
    expect(early.category).toBeUndefined();
    await expect(new MockActivityEnvironment({ attempt: 5 }).run(a.observeItems, ref, disk1, 5)).resolves.toEqual(seen);
  });

  it('sendDestroy: exactly one provider request, no read first', async () => {
    const destroy = vi.fn(() => Promise.resolve({ alreadyDone: false, requestId: 'r-1' }));
    const status = vi.fn();
    const a = createActivities({ heartbeats: RECORDED, adapters: { alibaba: adapterWith({ destroy, status }) } });
    await new MockActivityEnvironment().run(a.sendDestroy, ref, 'delete' as const, { releaseDataDisks: false, releaseSnapshots: false, force: false });
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(status).not.toHaveBeenCalled();
  });

  it('a provider call heartbeats while it runs, so a dead worker is noticed at the heartbeat timeout', async () => {
    vi.useFakeTimers();
    try {
      let answer: (s: { state: 'gone'; rawStatus: string }) => void = () => undefined;
      const status = () => new Promise<{ state: 'gone'; rawStatus: string }>((r) => (answer = r));
      const a = createActivities({ heartbeats: RECORDED, adapters: { alibaba: adapterWith({ status }) } });
      const env = new MockActivityEnvironment();
      const beats = vi.fn();
      env.on('heartbeat', beats);
      const done = env.run(a.awaitGone, ref);
      await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 3);
      expect(beats).toHaveBeenCalledTimes(3);
      answer({ state: 'gone', rawStatus: 'gone' });
      await done;
      await vi.advanceTimersByTimeAsync(HEARTBEAT_EVERY_MS * 3);
      expect(beats).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
