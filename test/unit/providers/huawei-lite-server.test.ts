import { describe, expect, it } from 'vitest';
import type { ResourceKind, ResourceRef, ResourceStatus } from '../../../domain/resource';
import { defaultFixture } from '../../../simulators/runtime';
import { rejection, useHuaweiAdapter } from './huawei-setup';

// The default fixture (simulators/fixtures/default/huawei.json).
const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const NODE = {
  payg: 'd0000001-0000-4000-8000-000000000001',
  prepaid: 'd0000002-0000-4000-8000-000000000002',
  prepaidBms: 'd0000003-0000-4000-8000-000000000003',
  error: 'd0000004-0000-4000-8000-000000000004',
  createFailed: 'd0000005-0000-4000-8000-000000000005',
  rackChild: 'd0000006-0000-4000-8000-000000000006',
  rackChild2: 'd0000007-0000-4000-8000-000000000007',
  frozen: 'd0000011-0000-4000-8000-000000000011',
  pendingPayment: 'd0000012-0000-4000-8000-000000000012',
  busy: 'd0000013-0000-4000-8000-000000000013',
  deleteFails: 'd0000014-0000-4000-8000-000000000014',
};
const SUPERNODE = { payg: 'c0000001-0000-4000-8000-000000000001', prepaid: 'c0000002-0000-4000-8000-000000000002' };
const RACK = 'a0000001-0000-4000-8000-000000000001';
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };

const ctx = useHuaweiAdapter({ timeoutMs: 5000 });

const ref = (kind: ResourceKind, resourceId: string): ResourceRef => ({ provider: 'huawei', kind, region: 'cn-southwest-2', projectId: PROJECT, resourceId });
const node = (id: string) => ref('modelarts-node', id);

async function pollUntil(read: () => Promise<ResourceStatus>, until: (s: ResourceStatus) => boolean): Promise<ResourceStatus[]> {
  const seen: ResourceStatus[] = [];
  for (let i = 0; i < 100; i++) {
    const s = await read();
    seen.push(s);
    if (until(s)) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never reached: ${JSON.stringify(seen.at(-1))}`);
}

describe('inspect', () => {
  it('pay-per-use ECS node: creation disks, a later disk, its snapshots, no BSS order', async () => {
    const s = await ctx.adapter.inspect(node(NODE.payg));
    expect(s).toMatchObject({
      exists: true,
      status: 'running',
      rawStatus: 'RUNNING',
      serverType: 'ECS',
      charging: { mode: 'pay-per-use', expired: false },
      locks: [],
      deletionProtection: false,
    });
    expect(s.order).toBeUndefined();
    expect(s.frozen).toBeUndefined();
    expect(s.disks).toEqual([
      { id: 'f0000011-0000-4000-8000-000000000011', role: 'system', origin: 'with-resource', sizeGb: expect.any(Number), chargingMode: 'pay-per-use' },
      { id: 'f0000012-0000-4000-8000-000000000012', role: 'data', origin: 'with-resource', sizeGb: expect.any(Number), chargingMode: 'pay-per-use' },
      { id: 'f0000013-0000-4000-8000-000000000013', role: 'data', origin: 'attached-later' },
    ]);
    expect(s.snapshots).toEqual([
      { id: '50000001-0000-4000-8000-000000000001', sourceDiskId: 'f0000012-0000-4000-8000-000000000012', type: 'manual' },
      { id: '50000002-0000-4000-8000-000000000002', sourceDiskId: 'f0000013-0000-4000-8000-000000000013', type: 'manual' },
    ]);
    expect(Date.parse(s.readAt)).not.toBeNaN();
  });

  it('yearly/monthly ECS node: expiry and its own one-member order (its billed disk is not a member)', async () => {
    const s = await ctx.adapter.inspect(node(NODE.prepaid));
    expect(s.charging).toEqual({ mode: 'subscription', expiresAt: '2026-12-31T16:00:00.000Z', expired: false });
    expect(s.order).toEqual({ orderId: 'CS2501010000NODE1', billingResourceId: NODE.prepaid, members: [NODE.prepaid] });
    expect(s.disks.map((d) => [d.role, d.origin])).toEqual([
      ['system', 'with-resource'],
      ['data', 'with-resource'],
      ['data', 'attached-later'],
    ]);
  });

  it('yearly/monthly BMS node: the attached-later disk comes from the BMS API', async () => {
    const s = await ctx.adapter.inspect(node(NODE.prepaidBms));
    expect(s.serverType).toBe('BMS');
    expect(s.disks.find((d) => d.origin === 'attached-later')?.id).toBe('f0000033-0000-4000-8000-000000000033');
    expect((await ctx.admin.calls({ provider: 'huawei', action: 'ShowBaremetalServer' })).length).toBe(1);
  });

  it('ERROR and CREATE_FAILED nodes', async () => {
    expect(await ctx.adapter.inspect(node(NODE.error))).toMatchObject({ status: 'error', rawStatus: 'ERROR', charging: { mode: 'subscription' } });
    const failed = await ctx.adapter.inspect(node(NODE.createFailed));
    expect(failed).toMatchObject({ status: 'create-failed', rawStatus: 'CREATE_FAILED', disks: [] });
  });

  it('a node of a rack: the order lists the rack and the other node', async () => {
    const s = await ctx.adapter.inspect(node(NODE.rackChild));
    expect(s.order?.orderId).toBe('CS2501010000RACK1');
    expect([...(s.order?.members ?? [])].sort()).toEqual([RACK, NODE.rackChild, NODE.rackChild2].sort());
  });

  it('frozen node: frozen, expired', async () => {
    const s = await ctx.adapter.inspect(node(NODE.frozen));
    expect(s.frozen?.reason).toBe('frozen');
    expect(s.charging).toMatchObject({ mode: 'subscription', expired: true });
  });

  it('pending-payment and busy nodes still read as plain subscriptions', async () => {
    for (const id of [NODE.pendingPayment, NODE.busy])
      expect(await ctx.adapter.inspect(node(id))).toMatchObject({ exists: true, charging: { mode: 'subscription' } });
  });

  it('supernodes: pay-per-use (no order) and yearly/monthly (order with its server)', async () => {
    const payg = await ctx.adapter.inspect(ref('modelarts-supernode', SUPERNODE.payg));
    expect(payg).toMatchObject({ exists: true, status: 'running', rawStatus: 'ACTIVE', serverType: 'HPS', charging: { mode: 'pay-per-use' } });
    expect(payg.disks.filter((d) => d.role === 'system')).toHaveLength(2);
    expect(payg.disks.filter((d) => d.origin === 'attached-later').map((d) => d.id)).toEqual(['f0000083-0000-4000-8000-000000000083']);
    const prepaid = await ctx.adapter.inspect(ref('modelarts-supernode', SUPERNODE.prepaid));
    expect(prepaid).toMatchObject({
      charging: { mode: 'subscription', expired: false },
      order: { orderId: 'CS2501010000HPS01', billingResourceId: SUPERNODE.prepaid },
    });
    expect(prepaid.order?.members).toEqual([SUPERNODE.prepaid, 'd0000010-0000-4000-8000-000000000010']);
  });

  it('rack: the Billing Center order, then every member node with its disks', async () => {
    const s = await ctx.adapter.inspect(ref('modelarts-rack', RACK));
    expect(s).toMatchObject({
      exists: true,
      status: 'running',
      rawStatus: 'BSS_STATUS_2',
      name: 'lite-rack-1',
      charging: { mode: 'subscription', expiresAt: '2026-12-31T16:00:00.000Z' },
    });
    expect([...(s.order?.members ?? [])].sort()).toEqual([RACK, NODE.rackChild, NODE.rackChild2].sort());
    expect(s.disks.map((d) => [d.id.slice(0, 8), d.role, d.origin, d.attachedTo])).toEqual([
      ['f0000061', 'system', 'with-resource', NODE.rackChild],
      ['f0000062', 'data', 'with-resource', NODE.rackChild],
      ['f0000063', 'data', 'attached-later', NODE.rackChild],
      ['f0000071', 'system', 'with-resource', NODE.rackChild2],
      ['f0000072', 'data', 'with-resource', NODE.rackChild2],
    ]);
    // Reads only.
    const calls = await ctx.admin.calls({ provider: 'huawei' });
    expect(calls.every((c) => c.method === 'GET' || c.path.endsWith('/resources/query'))).toBe(true);
  });

  it('charging_mode COMMON: the Billing Center record decides', async () => {
    const fixture = defaultFixture();
    const huawei = structuredClone(fixture.huawei) as { devServers: { id: string; charging_mode: string }[] };
    for (const d of huawei.devServers) if (d.id === NODE.payg || d.id === NODE.prepaid) d.charging_mode = 'COMMON';
    ctx.sims.reset({ ...fixture, huawei });
    expect((await ctx.adapter.inspect(node(NODE.payg))).charging).toEqual({ mode: 'pay-per-use', expired: false });
    expect((await ctx.adapter.inspect(node(NODE.prepaid))).charging).toMatchObject({ mode: 'subscription', expiresAt: '2026-12-31T16:00:00.000Z' });
  });

  it('unknown resources are gone, not errors', async () => {
    for (const kind of ['modelarts-node', 'modelarts-supernode', 'modelarts-rack'] as const) {
      expect(await ctx.adapter.inspect(ref(kind, 'd9999999-0000-4000-8000-000000000000'))).toMatchObject({ exists: false, status: 'deleted' });
    }
  });

  it('refuses a ref without projectId before any call', async () => {
    await ctx.admin.clearCalls();
    const { projectId: _omit, ...noProject } = node(NODE.payg);
    for (const p of [
      ctx.adapter.inspect(noProject),
      ctx.adapter.destroy(noProject, 'delete', NO_OPTIONS),
      ctx.adapter.status(noProject),
      ctx.adapter.deleteDisk(noProject, 'x'),
    ]) {
      expect(await rejection(p)).toMatchObject({ code: 'InvalidParameter', errorClass: 'final' });
    }
    expect(await ctx.admin.calls({ provider: 'huawei' })).toEqual([]);
  });
});

describe('delete (ModelArts)', () => {
  it('pay-per-use node: accepted, DELETING -> gone, a retry is alreadyDone; creation data disk kept', async () => {
    const receipt = await ctx.adapter.destroy(node(NODE.payg), 'delete', NO_OPTIONS);
    expect(receipt).toMatchObject({ alreadyDone: false, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await ctx.adapter.status(node(NODE.payg))).toMatchObject({ state: 'deleting', rawStatus: 'DELETING' });
    expect((await ctx.adapter.destroy(node(NODE.payg), 'delete', NO_OPTIONS)).alreadyDone).toBe(true);
    const seen = await pollUntil(
      () => ctx.adapter.status(node(NODE.payg)),
      (s) => s.state === 'gone',
    );
    expect(seen.at(-1)?.state).toBe('gone');
    expect((await ctx.adapter.destroy(node(NODE.payg), 'delete', NO_OPTIONS)).alreadyDone).toBe(true);
    // Retained disks are cleaned up explicitly.
    const disk = await ctx.adapter.deleteDisk(node(NODE.payg), 'f0000012-0000-4000-8000-000000000012');
    expect(disk).toMatchObject({ alreadyDone: false, references: [expect.any(String)] });
    expect((await ctx.adapter.deleteSnapshot(node(NODE.payg), '50000002-0000-4000-8000-000000000002')).alreadyDone).toBe(false);
    expect((await ctx.adapter.deleteSnapshot(node(NODE.payg), '50000002-0000-4000-8000-000000000002')).alreadyDone).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect((await ctx.adapter.deleteDisk(node(NODE.payg), 'f0000012-0000-4000-8000-000000000012')).alreadyDone).toBe(true);
  });

  it('an attached disk cannot be deleted yet: retryable', async () => {
    const err = await rejection(ctx.adapter.deleteDisk(node(NODE.payg), 'f0000013-0000-4000-8000-000000000013'));
    expect(err).toMatchObject({ code: 'EVS.2024', errorClass: 'retryable' });
  });

  it('yearly/monthly RUNNING node: refused, final; in ERROR: accepted', async () => {
    const err = await rejection(ctx.adapter.destroy(node(NODE.prepaid), 'delete', NO_OPTIONS));
    expect(err).toMatchObject({ code: 'ModelArts.7003', errorClass: 'final', httpStatus: 400, requestId: expect.any(String) });
    expect(await ctx.adapter.destroy(node(NODE.error), 'delete', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    expect(await ctx.adapter.destroy(node(NODE.createFailed), 'delete', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
  });

  it('a delete that ends DELETE_FAILED is reported failed with detail', async () => {
    await ctx.adapter.destroy(node(NODE.deleteFails), 'delete', NO_OPTIONS);
    const seen = await pollUntil(
      () => ctx.adapter.status(node(NODE.deleteFails)),
      (s) => s.state !== 'deleting',
    );
    expect(seen.at(-1)).toMatchObject({ state: 'failed', rawStatus: 'DELETE_FAILED', detail: expect.stringContaining('DELETE_FAILED') });
  });

  it('supernodes: pay-per-use deleted to gone; yearly/monthly refused', async () => {
    const sn = ref('modelarts-supernode', SUPERNODE.payg);
    expect(await ctx.adapter.destroy(sn, 'delete', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    expect(
      (
        await pollUntil(
          () => ctx.adapter.status(sn),
          (s) => s.state === 'gone',
        )
      ).map((s) => s.state),
    ).toContain('gone');
    expect(await rejection(ctx.adapter.destroy(ref('modelarts-supernode', SUPERNODE.prepaid), 'delete', NO_OPTIONS))).toMatchObject({ errorClass: 'final' });
  });

  it('a rack cannot be deleted: UnsupportedAction without a call', async () => {
    await ctx.admin.clearCalls();
    expect(await rejection(ctx.adapter.destroy(ref('modelarts-rack', RACK), 'delete', NO_OPTIONS))).toMatchObject({
      code: 'UnsupportedAction',
      errorClass: 'final',
    });
    expect(ctx.adapter.stopper).toBeUndefined();
    expect(await ctx.admin.calls({ provider: 'huawei' })).toEqual([]);
  });
});

describe('unsubscribe and release (Billing Center)', () => {
  it('yearly/monthly node: order IDs, deleting -> gone, a retry is alreadyDone', async () => {
    const receipt = await ctx.adapter.destroy(node(NODE.prepaid), 'unsubscribe', NO_OPTIONS);
    expect(receipt).toMatchObject({ alreadyDone: false, requestId: expect.any(String), references: [expect.stringMatching(/^CS/)] });
    const calls = await ctx.admin.calls({ provider: 'huawei', action: 'UnsubscribeResources' });
    expect(calls).toHaveLength(1);
    const seen = await pollUntil(
      () => ctx.adapter.status(node(NODE.prepaid)),
      (s) => s.state === 'gone',
    );
    expect(seen[0]?.state).toBe('deleting');
    expect(await ctx.adapter.destroy(node(NODE.prepaid), 'unsubscribe', NO_OPTIONS)).toMatchObject({ alreadyDone: true });
    expect(await ctx.adapter.inspect(node(NODE.prepaid))).toMatchObject({ exists: false, status: 'deleted' });
  });

  it('a rack: the whole order, status deleting while its nodes go, then gone', async () => {
    const rack = ref('modelarts-rack', RACK);
    expect(await ctx.adapter.destroy(rack, 'unsubscribe', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    const seen = await pollUntil(
      () => ctx.adapter.status(rack),
      (s) => s.state === 'gone',
    );
    expect(seen[0]?.state).toBe('deleting');
    expect(await ctx.adapter.status(node(NODE.rackChild))).toMatchObject({ state: 'gone' });
    expect(await ctx.adapter.inspect(rack)).toMatchObject({ exists: false });
  });

  it('a yearly/monthly supernode unsubscribes to gone', async () => {
    const sn = ref('modelarts-supernode', SUPERNODE.prepaid);
    expect(await ctx.adapter.destroy(sn, 'unsubscribe', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    await pollUntil(
      () => ctx.adapter.status(sn),
      (s) => s.state === 'gone',
    );
  });

  it('refusals: rack child alone, frozen, pending payment, busy, release of a live resource', async () => {
    expect(await rejection(ctx.adapter.destroy(node(NODE.rackChild), 'unsubscribe', NO_OPTIONS))).toMatchObject({ code: 'CBC.0100', errorClass: 'final' });
    expect(await rejection(ctx.adapter.destroy(node(NODE.frozen), 'unsubscribe', NO_OPTIONS))).toMatchObject({ code: 'CBC.99003656', errorClass: 'final' });
    expect(await rejection(ctx.adapter.destroy(node(NODE.pendingPayment), 'unsubscribe', NO_OPTIONS))).toMatchObject({
      code: 'CBC.99003100',
      errorClass: 'final',
    });
    expect(await rejection(ctx.adapter.destroy(node(NODE.busy), 'unsubscribe', NO_OPTIONS))).toMatchObject({ code: 'CBC.99003651', errorClass: 'retryable' });
    expect(await rejection(ctx.adapter.destroy(node(NODE.prepaid), 'release', NO_OPTIONS))).toMatchObject({ code: 'CBC.0100', errorClass: 'final' });
  });

  it('a frozen node is released', async () => {
    const receipt = await ctx.adapter.destroy(node(NODE.frozen), 'release', NO_OPTIONS);
    expect(receipt.references).toHaveLength(1);
    await pollUntil(
      () => ctx.adapter.status(node(NODE.frozen)),
      (s) => s.state === 'gone',
    );
    expect(await ctx.adapter.destroy(node(NODE.frozen), 'release', NO_OPTIONS)).toMatchObject({ alreadyDone: true });
  });

  it('a frozen account: CBC.7281, final', async () => {
    const fixture = defaultFixture();
    ctx.sims.reset({ ...fixture, huawei: { ...(fixture.huawei as object), account: { frozen: true } } });
    expect(await rejection(ctx.adapter.destroy(node(NODE.prepaid), 'unsubscribe', NO_OPTIONS))).toMatchObject({ code: 'CBC.7281', errorClass: 'final' });
  });
});
