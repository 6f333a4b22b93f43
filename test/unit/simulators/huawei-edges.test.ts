// The Huawei simulator at the edges of the providers' rules, through the official SDK client only.
import { describe, expect, it, vi } from 'vitest';
import type { HuaweiFixture } from '../../../simulators/huawei/fixture';
import { attempt, globalClient, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { defaultFixture } from '../../../simulators/runtime';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const DOMAIN = '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const id = (p: string, n: number) => `${p}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

const ctx = useHuaweiSim();
const bss = () => globalClient(ctx.sims.endpoints.huawei, CRED, DOMAIN);
const hc = () => projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT);
const unsubscribe = (ids: string[]) =>
  attempt(
    send<{ order_ids: string[] }>(
      bss(),
      'POST',
      '/v2/orders/subscriptions/resources/unsubscribe',
      {},
      { resource_ids: ids, unsubscribe_type: 1, unsubscribe_reason_type: 5 },
    ),
  );
const release = (ids: string[]) =>
  attempt(send<{ order_ids: string[] }>(bss(), 'POST', '/v2/orders/subscriptions/resources/release', {}, { resource_ids: ids }));
const billing = async () =>
  (await ctx.admin.state<{ huawei: { billing: { resources: { resource_id: string; status: number }[] } } }>()).huawei.billing.resources;
const withFixture = (change: (h: HuaweiFixture) => void) => {
  const fixture = defaultFixture();
  const huawei = structuredClone(fixture.huawei) as HuaweiFixture;
  change(huawei);
  ctx.sims.reset({ ...fixture, huawei });
};

describe('Billing Center reads that reveal refusals in advance', () => {
  it('ShowCustomerAccountBalances: no debt normally, a debt while the account is frozen', async () => {
    const balances = () =>
      send<{ debt_amount: number; account_balances: unknown[]; currency: string }>(bss(), 'GET', '/v2/accounts/customer-accounts/balances');
    expect(await balances()).toMatchObject({ debt_amount: 0, currency: 'CNY', account_balances: [expect.objectContaining({ account_type: 1 })] });
    withFixture((h) => (h.account = { frozen: true, debtAmount: 42 }));
    expect((await balances()).debt_amount).toBe(42);
  });

  it('ListCustomerOrders status 5: the orders pending payment', async () => {
    const r = await send<{ total_count: number; order_infos: { order_id: string; status: number }[] }>(
      bss(),
      'GET',
      '/v2/orders/customer-orders',
      {},
      undefined,
      { status: '5', limit: '100', offset: '0' },
    );
    expect(r.order_infos.map((o) => o.order_id).sort()).toEqual(['CS2501010000DCC07', 'CS2501010000PND01']);
    expect(await attempt(send(bss(), 'GET', '/v2/orders/customer-orders', {}, undefined, { limit: '101' }))).toMatchObject({
      ok: false,
      error: { errorCode: 'CBC.0100' },
    });
  });

  it('a host pending payment is refused CBC.99003100 before its VMs are even looked at', async () => {
    expect(await unsubscribe([id('7', 7)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003100' } });
  });
});

describe('unsubscription units (seed 001)', () => {
  it('a primary goes alone: host 5 of order DCC05 leaves host 6 (with its VM) in use', async () => {
    expect(await unsubscribe([id('7', 5)])).toMatchObject({ ok: true });
    const rows = await billing();
    expect(rows.find((r) => r.resource_id === id('7', 5))?.status).toBe(3);
    expect(rows.find((r) => r.resource_id === id('7', 6))?.status).toBe(2);
    // Host 6 still has its VM, so it cannot be unsubscribed.
    expect(await unsubscribe([id('7', 6)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.0151' } });
  });

  it('a primary takes its secondaries: rack a2 with its two nodes', async () => {
    expect(await unsubscribe([id('a', 2)])).toMatchObject({ ok: true });
    const rows = await billing();
    for (const r of [id('a', 2), id('d', 15), id('d', 16)]) expect(rows.find((x) => x.resource_id === r)?.status).toBe(3);
    expect(rows.find((x) => x.resource_id === id('a', 1))?.status).toBe(2);
  });

  it('a solution portfolio goes only as a whole: one host refused, both in one request accepted', async () => {
    const partial = await unsubscribe([id('7', 8)]);
    expect(partial).toMatchObject({ ok: false, error: { errorCode: 'CBC.0100', errorMsg: expect.stringContaining(id('7', 9)) } });
    expect(await unsubscribe([id('7', 8), id('7', 9)])).toMatchObject({ ok: true, value: { order_ids: [expect.stringMatching(/^CS/)] } });
  });
});

describe('ModelArts edges', () => {
  it('a frozen yearly/monthly node in ERROR is released', async () => {
    expect(await unsubscribe([id('d', 18)])).toMatchObject({ ok: false, error: { errorCode: 'CBC.99003656' } });
    expect(await release([id('d', 18)])).toMatchObject({ ok: true });
    await vi.waitFor(
      async () =>
        expect(await attempt(send(hc(), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: id('d', 18) }))).toMatchObject({
          ok: false,
          error: { httpStatusCode: 404 },
        }),
      { timeout: 5000, interval: 50 },
    );
  });

  it('a pay-per-use supernode REIMAGING cannot be deleted', async () => {
    expect(await attempt(send(hc(), 'DELETE', '/v1/{project_id}/dev-servers/hyperinstance/{id}', { id: id('c', 3) }))).toMatchObject({
      ok: false,
      error: { errorCode: 'ModelArts.7003' },
    });
  });

  it('a DevServer seeded DELETING becomes DELETED, then 404, with its system disk gone and nothing asked', async () => {
    const show = () => attempt(send<{ status: string }>(hc(), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: id('d', 19) }));
    expect(await show()).toMatchObject({ ok: true, value: { status: 'DELETING' } });
    await vi.waitFor(async () => expect(await show()).toMatchObject({ ok: false, error: { httpStatusCode: 404 } }), { timeout: 5000, interval: 50 });
    const vols = (await ctx.admin.state<{ huawei: { volumes: { id: string }[] } }>()).huawei.volumes;
    expect(vols.some((v) => v.id === id('f', 191))).toBe(false);
  });
});
