import { describe, expect, it, vi } from 'vitest';
import type { HuaweiFixture } from '../../../simulators/huawei/fixture';
import { attempt, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { defaultFixture } from '../../../simulators/runtime';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const node = (n: number) => id('d', n);
const vol = (n: number) => id('f', n);
const SUPERNODE_PAYG = id('c', 1);
const SUPERNODE_PREPAID = id('c', 2);

interface HuaweiState {
  devServers: { id: string; status: string }[];
  hyperinstances: { id: string }[];
  volumes: { id: string; status: string; attachments: unknown[] }[];
  snapshots: { id: string; volume_id: string }[];
  servers: { id: string }[];
  billing: { resources: { resource_id: string }[]; closedResourceIds: string[] };
}

const ctx = useHuaweiSim();

const client = () => projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT);
const showDevServer = (n: string) => attempt(send(client(), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: n }));
const deleteDevServer = (n: string) => attempt(send(client(), 'DELETE', '/v1/{project_id}/dev-servers/{id}', { id: n }));
const showSupernode = (n: string) => attempt(send(client(), 'GET', '/v1/{project_id}/dev-servers/hyperinstance/{id}', { id: n }));
const deleteSupernode = (n: string) => attempt(send(client(), 'DELETE', '/v1/{project_id}/dev-servers/hyperinstance/{id}', { id: n }));
const state = async () => (await ctx.admin.state<{ huawei: HuaweiState }>()).huawei;
const volumeIds = async () => new Set((await state()).volumes.map((v) => v.id));

/** Wait until the node answers 404 (DELETING → DELETED → gone). */
async function waitGone(show: () => ReturnType<typeof showDevServer>) {
  await vi.waitFor(async () => expect(await show()).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'ModelArts.6309' } }), {
    timeout: 5000,
    interval: 50,
  });
}

describe('ModelArts DevServer', () => {
  it('shows a node with the seed-002 fields and answers 404 ModelArts.6309 for an unknown one', async () => {
    const r = await showDevServer(node(1));
    expect(r).toMatchObject({
      ok: true,
      value: {
        id: node(1),
        status: 'RUNNING',
        charging_mode: 'POST_PAID',
        category: 'SERVER',
        cloud_server: { type: 'ECS' },
        volumes: [{ type: 'ROOT' }, { type: 'DATA' }],
      },
    });
    expect(r.ok && 'sim' in r.value).toBe(false);
    expect(await showDevServer('00000000-0000-4000-8000-000000000000')).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'ModelArts.6309' },
    });
  });

  it('deletes a pay-per-use ECS node: 200 DELETING, then DELETED, then 404; creation-time and later disks kept, system disk gone', async () => {
    const r = await deleteDevServer(node(1));
    expect(r).toMatchObject({ ok: true, value: { id: node(1), status: 'DELETING', charging_mode: 'POST_PAID' } });
    await vi.waitFor(async () => expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { status: 'DELETED' } }), {
      timeout: 5000,
      interval: 50,
    });
    await waitGone(() => showDevServer(node(1)));
    const s = await state();
    const vols = new Set(s.volumes.map((v) => v.id));
    expect(vols.has(vol(11))).toBe(false); // system disk
    expect(vols.has(vol(12))).toBe(true); // data disk chosen at creation: kept (pay-per-use ECS)
    expect(vols.has(vol(13))).toBe(true); // attached later: kept
    expect(s.volumes.find((v) => v.id === vol(12))).toMatchObject({ status: 'available', attachments: [] });
    // EVS keeps the snapshots of every disk, the deleted system disk's included (modelled on cascade=false).
    expect(
      s.snapshots
        .filter((x) => [vol(11), vol(12), vol(13)].includes(x.volume_id))
        .map((x) => x.volume_id)
        .sort(),
    ).toEqual([vol(12), vol(13)].sort());
    expect(s.servers.some((x) => x.id === id('e', 1))).toBe(false);
  });

  it('refuses to delete a running yearly/monthly node (ModelArts.7003 400): it must be unsubscribed', async () => {
    for (const n of [2, 3]) {
      expect(await deleteDevServer(node(n))).toMatchObject({
        ok: false,
        error: { httpStatusCode: 400, errorCode: 'ModelArts.7003', errorMsg: expect.stringContaining('Billing Center') },
      });
    }
    expect(await showDevServer(node(2))).toMatchObject({ ok: true, value: { status: 'RUNNING' } });
  });

  it('deletes a yearly/monthly node in ERROR: its creation-time data disk goes, the later one stays, its subscription closes', async () => {
    expect(await deleteDevServer(node(4))).toMatchObject({ ok: true, value: { status: 'DELETING' } });
    await waitGone(() => showDevServer(node(4)));
    const vols = await volumeIds();
    expect([vols.has(vol(41)), vols.has(vol(42)), vols.has(vol(43))]).toEqual([false, false, true]);
    const s = await state();
    expect(s.billing.closedResourceIds).toContain(node(4));
  });

  it('deletes a yearly/monthly node whose creation failed', async () => {
    expect(await deleteDevServer(node(5))).toMatchObject({ ok: true, value: { status: 'DELETING' } });
    await waitGone(() => showDevServer(node(5)));
  });

  it('ends DELETE_FAILED when the fixture says so', async () => {
    expect(await deleteDevServer(node(14))).toMatchObject({ ok: true, value: { status: 'DELETING' } });
    await vi.waitFor(async () => expect(await showDevServer(node(14))).toMatchObject({ ok: true, value: { status: 'DELETE_FAILED' } }), {
      timeout: 5000,
      interval: 50,
    });
    // Nothing was removed.
    expect((await volumeIds()).has(vol(141))).toBe(true);
  });

  it('refuses a second delete while DELETING (ModelArts.7004) and a supernode server alone (ModelArts.7005)', async () => {
    await deleteDevServer(node(1));
    expect(await deleteDevServer(node(1))).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'ModelArts.7004' } });
    expect(await deleteDevServer(node(8))).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'ModelArts.7005' } });
  });

  it('honours the fixture timing', async () => {
    const fixture = defaultFixture();
    const huawei = fixture.huawei as HuaweiFixture;
    ctx.sims.reset({ ...fixture, huawei: { ...huawei, timing: { deleteMs: 60_000 } } });
    await deleteDevServer(node(1));
    await new Promise((r) => setTimeout(r, 400));
    expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { status: 'DELETING' } });
  });
});

describe('ModelArts supernode (hyperinstance)', () => {
  it('shows a supernode with its servers', async () => {
    expect(await showSupernode(SUPERNODE_PAYG)).toMatchObject({
      ok: true,
      value: { id: SUPERNODE_PAYG, status: 'ACTIVE', servers: [{ id: node(8), category: 'HPS' }, { id: node(9) }] },
    });
  });

  it('deletes a pay-per-use ACTIVE supernode: TERMINATING → TERMINATED → 404; creation-time disks go, later-attached stay', async () => {
    expect(await deleteSupernode(SUPERNODE_PAYG)).toMatchObject({ ok: true, value: { status: 'TERMINATING' } });
    await vi.waitFor(async () => expect(await showSupernode(SUPERNODE_PAYG)).toMatchObject({ ok: true, value: { status: 'TERMINATED' } }), {
      timeout: 5000,
      interval: 50,
    });
    await vi.waitFor(async () => expect(await showSupernode(SUPERNODE_PAYG)).toMatchObject({ ok: false, error: { httpStatusCode: 404 } }), {
      timeout: 5000,
      interval: 50,
    });
    await waitGone(() => showDevServer(node(8)));
    const vols = await volumeIds();
    expect([vols.has(vol(81)), vols.has(vol(82)), vols.has(vol(83)), vols.has(vol(91)), vols.has(vol(92))]).toEqual([false, false, true, false, false]);
  });

  it('refuses a yearly/monthly ACTIVE supernode (ModelArts.7003) but deletes any supernode in ERROR', async () => {
    expect(await deleteSupernode(SUPERNODE_PREPAID)).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'ModelArts.7003' } });
    const fixture = defaultFixture();
    const huawei = structuredClone(fixture.huawei) as HuaweiFixture;
    huawei.hyperinstances!.find((h) => h.id === SUPERNODE_PREPAID)!.status = 'ERROR';
    ctx.sims.reset({ ...fixture, huawei });
    expect(await deleteSupernode(SUPERNODE_PREPAID)).toMatchObject({ ok: true, value: { status: 'TERMINATING' } });
    await vi.waitFor(async () => expect(await showSupernode(SUPERNODE_PREPAID)).toMatchObject({ ok: false, error: { httpStatusCode: 404 } }), {
      timeout: 5000,
      interval: 50,
    });
    const vols = await volumeIds();
    expect([vols.has(vol(101)), vols.has(vol(102)), vols.has(vol(103))]).toEqual([false, false, true]);
    expect((await state()).billing.closedResourceIds).toEqual(expect.arrayContaining([SUPERNODE_PREPAID, node(10)]));
  });

  it('answers 404 for an unknown supernode', async () => {
    expect(await deleteSupernode('00000000-0000-4000-8000-000000000000')).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'ModelArts.6309' },
    });
  });
});
