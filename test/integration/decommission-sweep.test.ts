// decommissionSweep on the dev server, against the simulators' sweepable fleet (Alibaba cn-shanghai, Baidu bj).
import { ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, verifyWebhookSignature, type OwnerNotice } from '../../activities/notify';
import {
  createSweepSchedule,
  deleteSweepSchedule,
  describeSweepSchedule,
  listSweepSchedules,
  optOut,
  pauseSweepSchedule,
  startSweep,
  triggerSweepSchedule,
  unpauseSweepSchedule,
} from '../../client/sweep';
import type { SweepPolicy } from '../../domain/sweep-policy';
import { parseConfig } from '../../providers/config';
import { createAdapters } from '../../providers/registry';
import { SimAdminClient } from '../../simulators/admin-client';
import { defaultFixture, startSimulators, type RunningSimulators } from '../../simulators/runtime';
import { sandboxProviderConfig } from '../../simulators/sandbox-config';
import * as workflows from '../../workflows';
import { sweepProgressQuery, type SweepResult } from '../../workflows/sweep-messages';
import { recordHistory, startHarness, type Harness } from './harness';

const SECRET = 'whsec-sweep-integration-test';

type Instances = { alibaba: { instances: { id: string; region: string; status: string; tags: Record<string, string> }[] } };

let h: Harness;
let sims: RunningSimulators;
let admin: SimAdminClient;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  sims = await startSimulators();
  const { config, env } = sandboxProviderConfig(sims.endpoints);
  const { adapters } = createAdapters(parseConfig(config, 'test'), env);
  // The harness's own sim setup has no webhook secret: this file builds the worker's deps itself.
  h = await startHarness({ adapters, webhookSecret: SECRET });
  admin = new SimAdminClient(sims.endpoints.admin);
});
afterAll(async () => {
  await h?.close();
  await sims?.close();
});
beforeEach(async () => admin.reset());
afterEach(async () => {
  const test = expect.getState().currentTestName ?? 'unnamed';
  for (const handle of started.splice(0)) {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') await handle.terminate('test cleanup');
    else if (process.env.RECORD_HISTORIES) await recordHistory(handle, test, 'sweep');
  }
});

const policy = (over: Partial<SweepPolicy>): SweepPolicy => ({
  name: `fleet-${randomUUID().slice(0, 8)}`,
  provider: 'alibaba',
  region: 'cn-shanghai',
  match: { expired: true, decommissionTagPassed: {} },
  mode: 'report',
  requestedBy: 'alice@platform',
  ticket: 'CHG-3001',
  ...over,
});

async function sweep(p: SweepPolicy) {
  const handle = await startSweep(h.client, p, h.taskQueue);
  started.push(handle);
  return handle;
}

const ids = (xs: { resourceId: string }[]) => xs.map((x) => x.resourceId).sort();

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    const v = await read();
    if (ok(v)) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('decommissionSweep', () => {
  it('report mode plans every candidate as a dry run and releases nothing', async () => {
    const fleet = async () =>
      (await admin.state<Instances>()).alibaba.instances.filter((i) => i.region === 'cn-shanghai').map(({ id, status, tags }) => ({ id, status, tags }));
    const before = await fleet();
    const result = await (await sweep(policy({ exclude: { ids: ['i-uf6fleetexpired02'] } }))).result();

    expect(result.mode).toBe('report');
    expect(ids(result.candidates)).toEqual(['i-uf6fleetdecom04', 'i-uf6fleetdecom05', 'i-uf6fleetdecom06', 'i-uf6fleetexpired01', 'i-uf6fleetexpired03']);
    expect(result.candidates.find((c) => c.resourceId === 'i-uf6fleetexpired01')?.reasons[0]).toMatch(/^subscription expired/);
    expect(result.candidates.find((c) => c.resourceId === 'i-uf6fleetdecom04')?.reasons).toEqual(['decommission-date 2025-06-30 has passed']);
    for (const c of result.candidates) expect(c.plan, c.resourceId).toMatch(/^would /);
    expect(result.excluded).toEqual(
      expect.arrayContaining([
        { kind: 'ecs-instance', resourceId: 'i-uf6fleetexpired02', reasons: ['listed in exclude.ids'] },
        { kind: 'ecs-instance', resourceId: 'i-uf6fleetprotect07', reasons: ['protected by the tag release-protection=true'] },
        { kind: 'ecs-instance', resourceId: 'i-uf6fleetprotect08', reasons: ['protected by the tag Release_Protection=yes'] },
      ]),
    );
    expect(result.excluded).toHaveLength(3);
    expect(result.counts).toMatchObject({ candidates: 5, excluded: 3, notified: 0, handedToBatch: 0 });

    // Only reads reached the provider; the inventory is as it was.
    const actions = new Set((await admin.calls({ provider: 'alibaba' })).map((c) => c.action));
    expect([...actions].filter((a) => !a.startsWith('Describe'))).toEqual([]);
    expect(await fleet()).toEqual(before);
  });

  it('refuses a bad policy at once, naming the fields', async () => {
    const bad = await h.client.workflow.start('decommissionSweep', {
      taskQueue: h.taskQueue,
      workflowId: `sweep/bad-${randomUUID()}`,
      args: [{ ...policy({}), mode: 'execute', gracePeriod: 'forever' }],
    });
    started.push(bad);
    const err = await bad.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidSweepPolicy');
    expect(cause.message).toMatch(/notify: is required in execute mode.*gracePeriod: must be a duration/s);
  });

  it('execute mode: signed webhooks, a grace period with opt-outs by update and by tag, then only the still-matching go to batchRelease', async () => {
    const deliveries: { path: string; notice: OwnerNotice; verified: boolean }[] = [];
    const receiver = await listen((path, headers, body) => {
      const verified = verifyWebhookSignature(SECRET, headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, body).ok;
      deliveries.push({ path, notice: JSON.parse(body) as OwnerNotice, verified });
      return verified ? 204 : 401;
    });
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const handle = await sweep(
        policy({
          match: { decommissionTagPassed: {}, ids: ['i-uf6fleetpaygo11'] },
          mode: 'execute',
          notify: { webhooks: { 'ml-team': `${url}/ml-team`, 'web-team': `${url}/web-team` } },
          gracePeriod: '6s',
          release: { backup: { required: false }, options: { stopIfRunning: true } },
        }),
      );
      await until(
        () => handle.query(sweepProgressQuery),
        (p) => p.phase === 'grace',
        'the grace period',
      );

      expect(deliveries.every((d) => d.verified)).toBe(true);
      const byOwner = Object.fromEntries(deliveries.map((d) => [d.notice.owner, d]));
      expect(Object.keys(byOwner).sort()).toEqual(['ml-team', 'web-team']);
      expect(byOwner['ml-team'].path).toBe('/ml-team');
      expect(ids(byOwner['ml-team'].notice.resources)).toEqual(['i-uf6fleetdecom04', 'i-uf6fleetdecom06']);
      expect(ids(byOwner['web-team'].notice.resources)).toEqual(['i-uf6fleetdecom05', 'i-uf6fleetpaygo11']);
      expect(Date.parse(byOwner['ml-team'].notice.releaseAfter)).toBeGreaterThan(Date.now());

      // Opt-outs: one by update (validated: a non-candidate is refused), one by tag, set in the simulator's state.
      await expect(optOut(handle, { resourceId: 'i-uf6fleetkeep09', by: 'bob@web', reason: 'x' })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect(await optOut(handle, { resourceId: 'i-uf6fleetdecom05', by: 'bob@web', reason: 'still serving traffic' })).toMatchObject({ via: 'update' });
      const fixture = defaultFixture() as { alibaba: { instances: { id: string; tags?: Record<string, string> }[] } };
      fixture.alibaba.instances.find((i) => i.id === 'i-uf6fleetpaygo11')!.tags!['Decommission-Opt-Out'] = 'keep until Q3';
      await admin.reset(fixture);

      const result: SweepResult = await handle.result();
      const outcome = (id: string) => result.candidates.find((c) => c.resourceId === id)?.outcome;
      expect([outcome('i-uf6fleetdecom04'), outcome('i-uf6fleetdecom06')]).toEqual(['handed-to-batch', 'handed-to-batch']);
      expect([outcome('i-uf6fleetdecom05'), outcome('i-uf6fleetpaygo11')]).toEqual(['opted-out', 'opted-out']);
      expect(result.candidates.filter((c) => c.release).map((c) => [c.resourceId, c.release])).toEqual([
        ['i-uf6fleetdecom04', 'released'],
        ['i-uf6fleetdecom06', 'released'],
      ]);
      expect(result.batch).toMatchObject({ targets: 2, counts: { released: 2 } });
      expect(result.batch?.error).toBeUndefined();
      const left = (await admin.state<Instances>()).alibaba.instances.map((i) => i.id);
      expect(left).not.toContain('i-uf6fleetdecom04');
      expect(left).not.toContain('i-uf6fleetdecom06');
      expect(left).toEqual(expect.arrayContaining(['i-uf6fleetdecom05', 'i-uf6fleetpaygo11', 'i-uf6fleetprotect07', 'i-uf6fleetkeep09']));
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('a schedule of sweeps: created (overlap skip, catch-up window), listed, described, triggered, paused, unpaused, deleted', async () => {
    const scheduleId = `sweep-test-${randomUUID()}`;
    const p = policy({ provider: 'baidu', region: 'bj', match: { decommissionTagPassed: {} } });
    await createSweepSchedule(h.client, scheduleId, p, { intervals: [{ every: '1h' }] }, { taskQueue: h.taskQueue });
    try {
      const d = await describeSweepSchedule(h.client, scheduleId);
      expect(d.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 3_600_000 });
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'decommissionSweep', workflowId: `sweep/${p.name}` });
      await until(
        () => listSweepSchedules(h.client),
        (l) => l.some((s) => s.scheduleId === scheduleId),
        'the schedule in the list',
      );

      await triggerSweepSchedule(h.client, scheduleId);
      const described = await until(
        () => describeSweepSchedule(h.client, scheduleId),
        (x) => x.info.recentActions.length > 0,
        'a sweep run',
      );
      const run = h.client.workflow.getHandle<typeof workflows.decommissionSweep>(described.info.recentActions[0].action.workflow.workflowId);
      started.push(run);
      const result = await run.result();
      expect(result.sweep).toBe(p.name);
      expect(ids(result.candidates)).toEqual(['i-flt00017']);
      expect(ids(result.excluded)).toEqual(['i-flt00018']);

      await pauseSweepSchedule(h.client, scheduleId, 'change freeze');
      expect((await describeSweepSchedule(h.client, scheduleId)).state).toMatchObject({ paused: true, note: 'change freeze' });
      await unpauseSweepSchedule(h.client, scheduleId);
      expect((await describeSweepSchedule(h.client, scheduleId)).state.paused).toBe(false);
    } finally {
      await deleteSweepSchedule(h.client, scheduleId);
    }
    await expect(describeSweepSchedule(h.client, scheduleId)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});

/** A webhook receiver on 127.0.0.1: `answer` gets the raw body and returns the HTTP status. */
function listen(answer: (path: string, headers: Record<string, string | string[] | undefined>, body: string) => number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.statusCode = answer(req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
