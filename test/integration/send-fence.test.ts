// The send fence end to end (docs/destructive-calls.md), on the real dev server: a worker that stops before the
// server has recorded "maybe sent" never sent its request, so the release makes it again (once in all, observed at
// the simulator); one that stops after it may have sent it, so the call is judged "maybe made" and never repeated.
// The worker "stops" in the fence's heartbeat: nothing more of that attempt reaches the server, and the server times
// the attempt out at its heartbeat timeout, as it does for a killed process.
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { HeartbeatRecorder } from '../../activities/send-fence';
import { SendStage } from '../../common/failure-types';
import type { ReleaseRequest } from '../../domain/request';
import { ecsRequest, failureOf, testNamespace, useSimHarness } from './harness';

const ecs = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ecsRequest(resourceId, 'CHG-FENCE', extra);
type AlibabaState = { alibaba: { instances: { id: string }[] } };

/** How the next fenced attempt stops: before the server has "maybe sent", or right after. Later ones run normally. */
let nextStop: 'before-recording' | 'after-recording' | undefined;
let server: Client['activity'];

/** The server's heartbeats, except that the next fenced attempt stops at its "maybe sent" for as long as the worker lives. */
const recorder: HeartbeatRecorder = {
  async heartbeat(taskToken, stage) {
    const stop = stage === SendStage.maybeSent ? nextStop : undefined;
    if (!stop) return server.heartbeat(taskToken, stage);
    nextStop = undefined;
    if (stop === 'after-recording') await server.heartbeat(taskToken, stage);
    // Stopped: until the worker shuts down (which cancels its activities), at most a minute.
    const { cancelled } = Context.current();
    await Promise.race([cancelled, new Promise((r) => setTimeout(r, 60_000))]).catch(() => undefined);
    throw new Error('the worker stopped');
  },
};

describe('a worker that stops around the destructive request', { timeout: 60_000 }, () => {
  const h = useSimHarness({ heartbeats: recorder });
  beforeAll(async () => {
    server = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), namespace: testNamespace() }).activity;
  });
  const instances = async () => (await h.admin.state<AlibabaState>()).alibaba.instances.map((i) => i.id);

  it('before "maybe sent" was recorded: the request was never sent, so it is made by the next attempt, once in all', async () => {
    nextStop = 'before-recording';
    const report = await (await h.start(ecs('i-bp1stoppedpaygo01'))).result();
    expect(report.outcome).toBe('released');
    const unsent = report.steps.find((s) => s.name.startsWith('destructive request never sent'));
    expect(unsent?.detail).toContain('timed out');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
  });

  it('after "maybe sent" was recorded: the call counts as maybe made and is never repeated, though nothing was sent', async () => {
    nextStop = 'after-recording';
    const f = await failureOf((await h.start(ecs('i-bp1stoppedpaygo01', { options: { waitGoneWithin: '3s' } }))).result());
    expect(f.type).toBe('DestructiveOutcomeUnknown');
    expect(f.report.steps.find((s) => s.name.endsWith('(once)'))?.outcome).toBe('unknown');
    expect(f.report.steps.some((s) => s.name.startsWith('destructive request never sent'))).toBe(false);
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
    expect(await instances()).toContain('i-bp1stoppedpaygo01');
  });
});
