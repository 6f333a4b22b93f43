// The Huawei adapter against the simulator at the edges of the providers' rules: each inspection is
// planned with planRelease(), as the workflow and the dry run do, so every refusal shows before any change.
import { describe, expect, it, vi } from 'vitest';
import { isGone, planRelease, type ExistingPlan } from '../../../domain/plan';
import type { ValidRequest } from '../../../domain/request';
import type { ResourceKind, ResourceRef, ResourceSnapshot } from '../../../domain/resource';
import type { HuaweiFixture } from '../../../simulators/huawei/fixture';
import { defaultFixture } from '../../../simulators/runtime';
import { rejection, useHuaweiAdapter } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const id = (p: string, n: number) => `${p}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };
const REQUEST: Pick<ValidRequest, 'options' | 'backup'> = {
  options: { stopIfRunning: false, retainedDataDisks: 'keep', retainedSnapshots: 'keep', overrideProtectionTag: false },
  backup: { required: true, confirmWithinMs: 60_000 },
};

const ctx = useHuaweiAdapter({ timeoutMs: 5000 });
const ref = (kind: ResourceKind, resourceId: string): ResourceRef => ({ provider: 'huawei', kind, region: 'cn-southwest-2', projectId: PROJECT, resourceId });
const plan = (s: ResourceSnapshot): ExistingPlan => {
  const p = planRelease(s, REQUEST);
  if (isGone(p)) throw new Error(`gone: ${p.rawStatus}`);
  return p;
};
const inspectAndPlan = async (kind: ResourceKind, resourceId: string) => {
  const s = await ctx.adapter.inspect(ref(kind, resourceId));
  return { s, p: plan(s) };
};
const withFixture = (change: (h: HuaweiFixture) => void) => {
  const fixture = defaultFixture();
  const huawei = structuredClone(fixture.huawei) as HuaweiFixture;
  change(huawei);
  ctx.sims.reset({ ...fixture, huawei });
};
const state = async () =>
  (
    await ctx.admin.state<{
      huawei: {
        volumes: { id: string }[];
        snapshots: { id: string }[];
        servers: { id: string }[];
        billing: { resources: { resource_id: string; status: number }[] };
      };
    }>()
  ).huawei;
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 5000, interval: 50 });

describe('item 1: a frozen account is known before the drain', () => {
  it('DCC host with VMs on a frozen account: blocked, no drain planned, and nothing was changed', async () => {
    withFixture((h) => (h.account = { frozen: true }));
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 2));
    expect(s.accountFrozen).toMatchObject({ reason: 'arrears', detail: expect.stringContaining('debt_amount') });
    expect(p.outcome).toBe('blocked');
    expect(p.blockers.map((b) => b.code)).toEqual(['account-frozen']);
    expect(p.prepare).toEqual([]);
    expect(await ctx.admin.calls({ provider: 'huawei', action: 'ShowCustomerAccountBalances' })).toHaveLength(1);
    expect((await ctx.admin.calls({ provider: 'huawei' })).every((c) => c.method === 'GET' || c.path.endsWith('/resources/query'))).toBe(true);
  });

  it('every Billing Center kind reads it: node, rack, supernode; a frozen node is still released', async () => {
    withFixture((h) => (h.account = { frozen: true }));
    for (const [kind, rid] of [
      ['modelarts-node', id('d', 2)],
      ['modelarts-rack', id('a', 1)],
      ['modelarts-supernode', id('c', 2)],
    ] as const) {
      const { p } = await inspectAndPlan(kind, rid);
      expect(p.blockers.map((b) => b.code)).toContain('account-frozen');
    }
    const frozenNode = await inspectAndPlan('modelarts-node', id('d', 11));
    expect(frozenNode.p).toMatchObject({ action: 'release', outcome: 'proceed' });
    expect(await ctx.adapter.destroy(ref('modelarts-node', id('d', 11)), 'release', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
  });

  it('a pay-per-use node does not read the account (no Billing Center call); an unfrozen account leaves no mark', async () => {
    await ctx.admin.clearCalls();
    expect((await ctx.adapter.inspect(ref('modelarts-node', id('d', 1)))).accountFrozen).toBeUndefined();
    expect(await ctx.admin.calls({ provider: 'huawei', action: 'ShowCustomerAccountBalances' })).toEqual([]);
    expect((await ctx.adapter.inspect(ref('dcc-host', id('7', 2)))).accountFrozen).toBeUndefined();
  });

  it('an account read that is refused leaves the state unknown, which blocks; a throttled one fails the inspection', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'ShowCustomerAccountBalances', error: { code: 'CBC.0151' }, times: 1 });
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 1));
    expect(s.accountFrozen).toMatchObject({ reason: 'unknown' });
    expect(p.blockers.map((b) => b.code)).toEqual(['account-frozen']);
    await ctx.admin.injectFault({ provider: 'huawei', action: 'ShowCustomerAccountBalances', error: { code: 'APIGW.0308' }, times: 1 });
    expect(await rejection(ctx.adapter.inspect(ref('dcc-host', id('7', 1))))).toMatchObject({ errorClass: 'retryable' });
  });

  it('pending payment (CBC.99003100) is known in advance: host 7 with a VM, node d12', async () => {
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 7));
    expect(s.pendingPayment).toContain('CS2501010000DCC07');
    expect(p).toMatchObject({ outcome: 'blocked', prepare: [] });
    expect(p.blockers.map((b) => b.code)).toEqual(['pending-payment']);
    expect((await inspectAndPlan('modelarts-node', id('d', 12))).p.blockers.map((b) => b.code)).toEqual(['pending-payment']);
    expect((await ctx.adapter.inspect(ref('modelarts-node', id('d', 2)))).pendingPayment).toBeUndefined();
  });
});

describe('item 2: one unsubscription takes one primary and its secondaries', () => {
  it('two hosts of one order: the empty one goes alone, the other keeps its VM and subscription', async () => {
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 5));
    expect(s.order).toEqual({ orderId: 'CS2501010000DCC05', billingResourceId: id('7', 5), members: [id('7', 5)] });
    expect(p).toMatchObject({ outcome: 'proceed', action: 'unsubscribe' });
    await ctx.adapter.destroy(ref('dcc-host', id('7', 5)), 'unsubscribe', NO_OPTIONS);
    await eventually(async () => expect((await ctx.adapter.status(ref('dcc-host', id('7', 5)))).state).toBe('gone'));
    const other = await ctx.adapter.inspect(ref('dcc-host', id('7', 6)));
    expect(other).toMatchObject({ exists: true, rawStatus: 'available', vms: [{ id: id('9', 8) }] });
    expect((await state()).billing.resources.find((r) => r.resource_id === id('7', 6))?.status).toBe(2);
  });

  it('a solution portfolio: the plan refuses a host the call would take only with another; BSS refuses it too', async () => {
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 8));
    expect(s.order).toMatchObject({ members: [id('7', 8), id('7', 9)], otherPrimaries: [id('7', 9)] });
    expect(p.blockers.map((b) => b.code)).toEqual(['order-member']);
    expect(await rejection(ctx.adapter.destroy(ref('dcc-host', id('7', 8)), 'unsubscribe', NO_OPTIONS))).toMatchObject({
      code: 'CBC.0100',
      errorClass: 'final',
    });
  });
});

describe('item 3: a rack lists every member disk and snapshot', () => {
  it('rack a2: member disks with fates, snapshots, backup gate; after the unsubscription the snapshots are still there', async () => {
    const { s, p } = await inspectAndPlan('modelarts-rack', id('a', 2));
    const fates = Object.fromEntries(p.disks.map((d) => [d.disk.id, [d.fate, d.disk.attachedTo]]));
    expect(fates).toEqual({
      [id('f', 151)]: ['deleted', id('d', 15)],
      [id('f', 152)]: ['deleted', id('d', 15)],
      [id('f', 153)]: ['retained', id('d', 15)],
      [id('f', 161)]: ['deleted', id('d', 16)],
      [id('f', 162)]: ['deleted', id('d', 16)],
    });
    expect(s.snapshots.map((x) => x.id).sort()).toEqual([id('5', 4), id('5', 5), id('5', 6)]);
    expect(p.snapshots.every((x) => x.fate === 'retained')).toBe(true);
    expect(p).toMatchObject({ outcome: 'proceed', action: 'unsubscribe', dataAtRisk: true, gates: ['backup'] });

    await ctx.adapter.destroy(ref('modelarts-rack', id('a', 2)), 'unsubscribe', NO_OPTIONS);
    await eventually(async () => expect((await ctx.adapter.status(ref('modelarts-rack', id('a', 2)))).state).toBe('gone'));
    const items = [
      ...p.disks.map((d) => ({ type: 'disk' as const, id: d.disk.id })),
      ...p.snapshots.map((x) => ({ type: 'snapshot' as const, id: x.snapshot.id })),
    ];
    const seen = Object.fromEntries((await ctx.adapter.observe(ref('modelarts-rack', id('a', 2)), items)).map((o) => [o.id, o.state]));
    // What the plan said: deleted disks gone, the kept disk and every snapshot present.
    for (const d of p.disks) expect(seen[d.disk.id]).toBe(d.fate === 'deleted' ? 'gone' : 'present');
    for (const x of p.snapshots) expect(seen[x.snapshot.id]).toBe('present');
  });
});

describe('item 4: ModelArts preconditions in the plan', () => {
  it('a pay-per-use supernode REIMAGING: blocked, and ModelArts refuses the delete', async () => {
    const { p } = await inspectAndPlan('modelarts-supernode', id('c', 3));
    expect(p).toMatchObject({ action: 'delete', outcome: 'blocked' });
    expect(p.blockers.map((b) => b.code)).toEqual(['state-not-allowed']);
    expect(await rejection(ctx.adapter.destroy(ref('modelarts-supernode', id('c', 3)), 'delete', NO_OPTIONS))).toMatchObject({
      code: 'ModelArts.7003',
      errorClass: 'final',
    });
  });

  it('supernode member servers released as nodes: blocked (pay-per-use d8, yearly/monthly d10); ModelArts refuses', async () => {
    const payg = await inspectAndPlan('modelarts-node', id('d', 8));
    expect(payg.s.memberOf).toEqual({ kind: 'modelarts-supernode' });
    expect(payg.p.blockers.map((b) => b.code)).toEqual(['supernode-member']);
    const prepaid = await inspectAndPlan('modelarts-node', id('d', 10));
    expect(prepaid.s.memberOf).toEqual({ kind: 'modelarts-supernode', id: id('c', 2) });
    expect(prepaid.p.blockers.map((b) => b.code)).toEqual(['supernode-member']);
    expect(await rejection(ctx.adapter.destroy(ref('modelarts-node', id('d', 8)), 'delete', NO_OPTIONS))).toMatchObject({ code: 'ModelArts.7005' });
  });
});

describe('item 5: a frozen yearly/monthly node in ERROR is released', () => {
  it('d18: plan release, the simulator accepts it, the node goes with its creation-time disk', async () => {
    const { s, p } = await inspectAndPlan('modelarts-node', id('d', 18));
    expect(s).toMatchObject({ status: 'error', frozen: { reason: 'frozen' } });
    expect(p).toMatchObject({ action: 'release', outcome: 'proceed' });
    expect(await ctx.adapter.destroy(ref('modelarts-node', id('d', 18)), 'release', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    await eventually(async () => expect((await ctx.adapter.status(ref('modelarts-node', id('d', 18)))).state).toBe('gone'));
    const vols = new Set((await state()).volumes.map((v) => v.id));
    expect([vols.has(id('f', 181)), vols.has(id('f', 182))]).toEqual([false, false]);
  });
});

describe('item 7: the drained VMs disks are in the plan', () => {
  it('host 6: system disk deleted, data disk and its snapshot kept; what the drain did matches', async () => {
    const { s, p } = await inspectAndPlan('dcc-host', id('7', 6));
    expect(s.disks).toEqual([
      { id: id('8', 81), role: 'system', origin: 'with-resource', attachedTo: id('9', 8) },
      { id: id('8', 82), role: 'data', origin: 'with-resource', attachedTo: id('9', 8) },
    ]);
    expect(Object.fromEntries(p.disks.map((d) => [d.disk.id, d.fate]))).toEqual({ [id('8', 81)]: 'deleted', [id('8', 82)]: 'retained' });
    expect(p.snapshots.map((x) => [x.snapshot.id, x.fate])).toEqual([[id('5', 7), 'retained']]);
    expect(p).toMatchObject({ outcome: 'proceed', prepare: [{ step: 'drain', vmIds: [id('9', 8)] }], gates: ['backup'] });

    const { jobId } = await ctx.adapter.drainer!.deleteVms(ref('dcc-host', id('7', 6)), [id('9', 8)]);
    await eventually(async () => expect((await ctx.adapter.drainer!.vmDeleteJob(ref('dcc-host', id('7', 6)), jobId)).status).toBe('SUCCESS'));
    const seen = await ctx.adapter.observe(ref('dcc-host', id('7', 6)), [
      { type: 'vm', id: id('9', 8) },
      { type: 'disk', id: id('8', 81) },
      { type: 'disk', id: id('8', 82) },
      { type: 'snapshot', id: id('5', 7) },
      { type: 'resource', id: id('7', 6) },
    ]);
    expect(seen.map((o) => [o.type, o.state])).toEqual([
      ['vm', 'gone'],
      ['disk', 'gone'],
      ['disk', 'present'],
      ['snapshot', 'present'],
      ['resource', 'present'],
    ]);
    expect(seen[2]?.detail).toBe('available');
  });
});

describe('item 8: fixtures seeded mid-transition move on', () => {
  it('d19 seeded DELETING: in-progress, then gone without any call', async () => {
    const s = await ctx.adapter.inspect(ref('modelarts-node', id('d', 19)));
    expect(planRelease(s, REQUEST).outcome).toBe('in-progress');
    await eventually(async () => expect((await ctx.adapter.status(ref('modelarts-node', id('d', 19)))).state).toBe('gone'));
    expect(await ctx.admin.calls({ provider: 'huawei', action: 'DeleteDevServer' })).toEqual([]);
    expect((await state()).volumes.some((v) => v.id === id('f', 191))).toBe(false);
  });

  it('a supernode seeded TERMINATING and a host seeded released go too', async () => {
    withFixture((h) => {
      h.hyperinstances!.find((x) => x.id === id('c', 1))!.status = 'TERMINATING';
      h.hosts!.find((x) => x.dedicated_host_id === id('7', 1))!.state = 'released';
    });
    await eventually(async () => expect((await ctx.adapter.status(ref('modelarts-supernode', id('c', 1)))).state).toBe('gone'));
    await eventually(async () => expect((await ctx.adapter.inspect(ref('modelarts-supernode', id('c', 1)))).absence).toBe('unknown-id'));
    expect((await ctx.adapter.inspect(ref('modelarts-node', id('d', 8)))).absence).toBe('unknown-id');
    await eventually(async () => expect((await ctx.adapter.inspect(ref('dcc-host', id('7', 1)))).absence).toBe('unknown-id'));
  });
});

describe('item 9: observe', () => {
  it('present, deleting and gone for each item type, with the raw status', async () => {
    const node = ref('modelarts-node', id('d', 1));
    await ctx.adapter.destroy(node, 'delete', NO_OPTIONS);
    const seen = await ctx.adapter.observe(node, [
      { type: 'resource', id: id('d', 1) },
      { type: 'disk', id: id('f', 12) },
      { type: 'snapshot', id: id('5', 1) },
      { type: 'vm', id: id('e', 1) },
      { type: 'disk', id: 'f-unknown' },
      { type: 'snapshot', id: '5-unknown' },
    ]);
    expect(seen).toEqual([
      { type: 'resource', id: id('d', 1), state: 'deleting', detail: 'DELETING' },
      { type: 'disk', id: id('f', 12), state: 'present', detail: 'in-use' },
      { type: 'snapshot', id: id('5', 1), state: 'present', detail: 'available' },
      { type: 'vm', id: id('e', 1), state: 'present', detail: 'ACTIVE' },
      { type: 'disk', id: 'f-unknown', state: 'gone', detail: 'not found (EVS.5404)' },
      { type: 'snapshot', id: '5-unknown', state: 'gone', detail: 'not found (EVS.5404)' },
    ]);
    await eventually(async () => expect((await ctx.adapter.observe(node, [{ type: 'resource', id: id('d', 1) }]))[0]?.state).toBe('gone'));
    expect((await ctx.adapter.observe(node, [{ type: 'vm', id: id('e', 1) }]))[0]).toMatchObject({ state: 'gone', detail: 'not found (Ecs.0114)' });
  });

  it('a read that fails is unknown, never an exception; no project ID throws before any call', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'ShowVolume', error: { code: 'Ecs.0000', httpStatus: 500 } });
    const seen = await ctx.adapter.observe(ref('modelarts-node', id('d', 1)), [
      { type: 'disk', id: id('f', 12) },
      { type: 'snapshot', id: id('5', 1) },
    ]);
    expect(seen.map((o) => o.state)).toEqual(['unknown', 'present']);
    expect(seen[0]?.detail).toContain('Ecs.0000');
    const { projectId: _p, ...noProject } = ref('modelarts-node', id('d', 1));
    expect(await rejection(ctx.adapter.observe(noProject, [{ type: 'disk', id: 'x' }]))).toMatchObject({ code: 'InvalidParameter' });
  });
});
