import { describe, expect, it, vi } from 'vitest';
import type { HuaweiFixture } from '../../../simulators/huawei/fixture';
import { attempt, globalClient, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { defaultFixture } from '../../../simulators/runtime';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const DOMAIN = '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const node = (n: number) => id('d', n);
const vol = (n: number) => id('f', n);
const RACK = id('a', 1);
const SUPERNODE_PREPAID = id('c', 2);
const host = (n: number) => id('7', n);
const vm = (n: number) => id('9', n);

interface BillingRow {
  resource_id: string;
  status: number;
  is_main_resource: number;
  order_id: string;
  main_resource_id?: string;
  parent_resource_id?: string;
  expire_time: string;
}
interface HuaweiState {
  devServers: { id: string; status: string }[];
  volumes: { id: string }[];
  hosts: { dedicated_host_id: string; state: string }[];
  servers: { id: string }[];
  billing: { resources: BillingRow[]; closedResourceIds: string[] };
}

const ctx = useHuaweiSim();

const bss = () => globalClient(ctx.sims.endpoints.huawei, CRED, DOMAIN);
const query = (body: unknown) => attempt(send<{ total_count: number; data: BillingRow[] }>(bss(), 'POST', '/v2/orders/suscriptions/resources/query', {}, body));
const unsubscribe = (ids: unknown, extra: Record<string, unknown> = {}) =>
  attempt(
    send<{ order_ids: string[] }>(
      bss(),
      'POST',
      '/v2/orders/subscriptions/resources/unsubscribe',
      {},
      { resource_ids: ids, unsubscribe_type: 1, unsubscribe_reason_type: 5, unsubscribe_reason: 'released by the orchestrator', ...extra },
    ),
  );
const release = (ids: unknown) =>
  attempt(send<{ order_ids: string[] }>(bss(), 'POST', '/v2/orders/subscriptions/resources/release', {}, { resource_ids: ids }));
const state = async () => (await ctx.admin.state<{ huawei: HuaweiState }>()).huawei;
const showDevServer = (n: string) =>
  attempt(send(projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: n }));
const withFixture = (change: (h: HuaweiFixture) => void) => {
  const fixture = defaultFixture();
  const huawei = structuredClone(fixture.huawei) as HuaweiFixture;
  change(huawei);
  ctx.sims.reset({ ...fixture, huawei });
};
const gone = async (n: string) =>
  vi.waitFor(async () => expect(await showDevServer(n)).toMatchObject({ ok: false, error: { httpStatusCode: 404 } }), { timeout: 5000, interval: 50 });

describe('BSS resource query', () => {
  it('lists a rack with its child nodes (only_main_resource 0) and only the rack with only_main_resource 1', async () => {
    const all = await query({ resource_ids: [RACK] });
    expect(all).toMatchObject({ ok: true, value: { total_count: 3 } });
    const rows = all.ok ? all.value.data : [];
    expect(rows.map((r) => r.resource_id).sort()).toEqual([RACK, node(6), node(7)].sort());
    expect(rows.find((r) => r.resource_id === node(6))).toMatchObject({
      is_main_resource: 0,
      parent_resource_id: RACK,
      main_resource_id: RACK,
      order_id: 'CS2501010000RACK1',
      status: 2,
    });
    expect(await query({ resource_ids: [RACK], only_main_resource: 1 })).toMatchObject({
      ok: true,
      value: { total_count: 1, data: [{ resource_id: RACK, is_main_resource: 1 }] },
    });
  });

  it('filters by order and status, pages with limit/offset, and reports frozen (4) resources', async () => {
    expect(await query({ order_id: 'CS2501010000NODE1' })).toMatchObject({ ok: true, value: { total_count: 2 } });
    const frozen = await query({ status_list: [4] });
    expect(frozen.ok && frozen.value.data.map((r) => r.resource_id).sort()).toEqual([node(11), node(18), host(4)].sort());
    const page = await query({ limit: 2, offset: 1 });
    expect(page.ok && page.value.data.length).toBe(2);
  });

  it('refuses more than 50 IDs and bad parameters with CBC.0100', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `r${i}`);
    expect(await query({ resource_ids: many })).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'CBC.0100' } });
    expect(await query({ only_main_resource: 3 })).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100' } });
  });
});

describe('BSS unsubscribe', () => {
  it('unsubscribes a single-node order: the node goes with its creation-time disk, the later disk stays', async () => {
    const r = await unsubscribe([node(2)]);
    expect(r).toMatchObject({ ok: true, value: { order_ids: [expect.stringMatching(/^CS/)] } });
    expect(await query({ resource_ids: [node(2)], only_main_resource: 1 })).toMatchObject({ ok: true, value: { data: [{ status: 3 }] } });
    await gone(node(2));
    const s = await state();
    const vols = new Set(s.volumes.map((v) => v.id));
    expect([vols.has(vol(21)), vols.has(vol(22)), vols.has(vol(23))]).toEqual([false, false, true]);
    expect(s.billing.resources.some((b) => b.order_id === 'CS2501010000NODE1')).toBe(false);
  });

  it('unsubscribes a whole rack through its primary resource', async () => {
    expect(await unsubscribe([RACK])).toMatchObject({ ok: true });
    await gone(node(6));
    await gone(node(7));
    const vols = new Set((await state()).volumes.map((v) => v.id));
    expect([vols.has(vol(62)), vols.has(vol(63)), vols.has(vol(72))]).toEqual([false, true, false]);
  });

  it('unsubscribes a yearly/monthly supernode as a whole', async () => {
    expect(await unsubscribe([SUPERNODE_PREPAID])).toMatchObject({ ok: true });
    await gone(node(10));
  });

  it('refuses a child node of a rack and an attached disk alone (CBC.0100, naming the primary)', async () => {
    expect(await unsubscribe([node(6)])).toMatchObject({
      ok: false,
      error: { httpStatusCode: 400, errorCode: 'CBC.0100', errorMsg: expect.stringContaining(RACK) },
    });
    expect(await unsubscribe([vol(22)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100', errorMsg: expect.stringContaining(node(2)) } });
  });

  it('refuses a frozen resource (CBC.99003656), a pending payment (CBC.99003100), a transaction in progress (CBC.99003651)', async () => {
    expect(await unsubscribe([node(11)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003656' } });
    expect(await unsubscribe([node(12)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003100' } });
    expect(await unsubscribe([node(13)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003651' } });
  });

  it('answers CBC.30000067 for an already unsubscribed resource, before and after it is gone', async () => {
    await unsubscribe([node(3)]);
    expect(await unsubscribe([node(3)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.30000067' } });
    await gone(node(3));
    expect(await unsubscribe([node(3)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.30000067' } });
  });

  it('answers CBC.99003012 for an unknown or pay-per-use resource', async () => {
    expect(await unsubscribe(['no-such-resource'])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003012' } });
    expect(await unsubscribe([node(1)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003012' } });
  });

  it('refuses more than 10 IDs, an empty list, a bad unsubscribe_type or reason (CBC.0100)', async () => {
    expect(await unsubscribe(Array.from({ length: 11 }, (_, i) => `r${i}`))).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100' } });
    expect(await unsubscribe([])).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100' } });
    expect(await unsubscribe([node(2)], { unsubscribe_type: 3 })).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100' } });
    expect(await unsubscribe([node(2)], { unsubscribe_reason_type: 9 })).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100' } });
    const calls = await ctx.admin.calls({ provider: 'huawei', action: 'UnsubscribeResources' });
    expect(calls.every((c) => c.httpStatus === 400)).toBe(true);
  });

  it('changes nothing when one of several resources is refused', async () => {
    expect(await unsubscribe([node(2), node(11)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003656' } });
    expect(await showDevServer(node(2))).toMatchObject({ ok: true, value: { status: 'RUNNING' } });
  });

  it('unsubscribe_type 2 (renewals only) leaves the resource in use', async () => {
    expect(await unsubscribe([node(2)], { unsubscribe_type: 2 })).toMatchObject({ ok: true });
    expect(await query({ resource_ids: [node(2)], only_main_resource: 1 })).toMatchObject({ ok: true, value: { data: [{ status: 2 }] } });
  });

  it('refuses everything while the account is frozen (CBC.7281)', async () => {
    withFixture((h) => (h.account = { frozen: true }));
    expect(await unsubscribe([node(2)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.7281' } });
  });
});

describe('BSS and DCC hosts', () => {
  it('refuses a host that still has VMs (CBC.0151 403, naming them), including managed-service VMs', async () => {
    const r = await unsubscribe([host(3)]);
    expect(r).toMatchObject({ ok: false, error: { httpStatusCode: 403, errorCode: 'CBC.0151' } });
    for (const n of [3, 4, 5, 6, 7]) expect(r.ok ? '' : r.error.errorMsg).toContain(vm(n));
    expect(await unsubscribe([host(2)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.0151' } });
  });

  it('unsubscribes an empty host: released, then gone', async () => {
    expect(await unsubscribe([host(1)])).toMatchObject({ ok: true });
    const show = () =>
      attempt(send(projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT), 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}', { id: host(1) }));
    await vi.waitFor(async () => expect(await show()).toMatchObject({ ok: true, value: { dedicated_host: { state: 'released' } } }), {
      timeout: 5000,
      interval: 50,
    });
    await vi.waitFor(async () => expect(await show()).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'DEH.0404' } }), {
      timeout: 5000,
      interval: 50,
    });
  });

  it('refuses a frozen host (CBC.99003656) and releases it instead', async () => {
    expect(await unsubscribe([host(4)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003656' } });
    expect(await release([host(4)])).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect((await state()).billing.closedResourceIds).toContain(host(4)), { timeout: 5000, interval: 50 });
  });

  it('unsubscribes a yearly/monthly VM through BSS: it leaves its host', async () => {
    expect(await unsubscribe([vm(7)])).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect((await state()).servers.some((s) => s.id === vm(7))).toBe(false), { timeout: 5000, interval: 50 });
  });
});

describe('BSS release of frozen resources (modelled)', () => {
  it('releases a frozen node as a whole order', async () => {
    expect(await release([node(11)])).toMatchObject({ ok: true, value: { order_ids: [expect.any(String)] } });
    await gone(node(11));
    const vols = new Set((await state()).volumes.map((v) => v.id));
    expect([vols.has(vol(111)), vols.has(vol(112))]).toEqual([false, false]);
  });

  it('refuses to release a resource that is not frozen (CBC.0100), and an unknown one (CBC.99003012)', async () => {
    expect(await release([node(2)])).toMatchObject({
      ok: false,
      error: { httpStatusCode: 400, errorCode: 'CBC.0100', errorMsg: expect.stringContaining('not frozen') },
    });
    expect(await release(['nope'])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003012' } });
  });

  it('releases a resource in its grace period (status 5), which unsubscribe refuses', async () => {
    withFixture((h) => (h.billing!.resources!.find((r) => r.resource_id === node(2))!.status = 5));
    expect(await unsubscribe([node(2)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003656' } });
    expect(await release([node(2)])).toMatchObject({ ok: true });
  });
});
