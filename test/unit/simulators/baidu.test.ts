import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

// The tests read the SDK's parsed JSON answers loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

// The official SDK, exactly as other clients would point it at the simulator.
const sdk = createRequire(__filename)('@baiducloud/sdk') as {
  BccClient: new (c: { endpoint: string; credentials: { ak: string; sk: string } }) => {
    sendRequest(
      method: string,
      path: string,
      args?: { body?: string; headers?: Record<string, string>; params?: Record<string, string> },
    ): PromiseLike<{ http_headers: Record<string, string>; body: Json }>;
  };
};

const AK = 'sim-baidu-ak-0001';
const SK = 'sim-baidu-sk-0001-not-a-real-secret';

let sims: RunningSimulators;
let admin: SimAdminClient;
let bcc: InstanceType<typeof sdk.BccClient>;

interface SdkError {
  status_code: number;
  code: string;
  message: string;
  request_id: string;
}
type Answer = { ok: true; body: Json; headers: Record<string, string> } | { ok: false; err: SdkError };

async function call(method: string, path: string, args: { body?: unknown; params?: Record<string, string> } = {}): Promise<Answer> {
  try {
    const r = await bcc.sendRequest(method, path, {
      params: args.params,
      ...(args.body === undefined
        ? {}
        : { body: typeof args.body === 'string' ? args.body : JSON.stringify(args.body), headers: { 'Content-Type': 'application/json' } }),
    });
    return { ok: true, body: r.body, headers: r.http_headers };
  } catch (err) {
    return { ok: false, err: err as SdkError };
  }
}

function expectError(a: Answer, status: number, code: string) {
  expect(a.ok, `expected ${code}`).toBe(false);
  if (a.ok) return;
  expect(a.err.status_code).toBe(status);
  expect(a.err.code).toBe(code);
  expect(a.err.request_id).toMatch(/^[0-9a-f-]{36}$/);
}

interface BaiduState {
  instances: { id: string; status: string }[];
  volumes: { id: string; instanceId: string | null; status: string }[];
  snapshots: { id: string; volumeId: string }[];
  images: { id: string }[];
}
const state = async () => (await admin.state<{ baidu: BaiduState }>()).baidu;
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

async function waitGone(id: string) {
  for (let i = 0; i < 60; i++) {
    const r = await call('GET', `/v2/instance/${id}`);
    if (!r.ok && r.err.code === 'NoSuchObject') return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${id} still exists`);
}

beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.endpoints.admin);
  bcc = new sdk.BccClient({ endpoint: sims.endpoints.baidu, credentials: { ak: AK, sk: SK } });
});
afterAll(async () => {
  await sims.close();
});
beforeEach(async () => {
  await admin.reset();
});

describe('GET /v2/instance/{id}', () => {
  it('answers the real InstanceModel field names', async () => {
    const r = await call('GET', '/v2/instance/i-prep0002');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.headers['x-bce-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.instance).toMatchObject({
      id: 'i-prep0002',
      name: 'prepaid-unexpired',
      status: 'Running',
      paymentTiming: 'Prepaid',
      createTime: '2024-03-01T08:00:00Z',
      expireTime: '2099-12-31T16:00:00Z',
      desc: '',
      zoneName: 'cn-bj-a',
      instanceType: 'N5',
      deletionProtection: 0,
    });
    const tagged = await call('GET', '/v2/instance/i-post0001');
    expect(tagged.ok && tagged.body.instance.tags).toEqual([
      { tagKey: 'env', tagValue: 'test' },
      { tagKey: 'owner', tagValue: 'ml-team' },
    ]);
  });

  it('answers NoSuchObject 404 for a missing instance, with the request ID in body and header', async () => {
    const res = await fetch(`${sims.endpoints.baidu}/v2/instance/i-missing`);
    expect(res.status).toBe(403); // unsigned: rejected before the lookup
    const r = await call('GET', '/v2/instance/i-missing');
    expectError(r, 404, 'NoSuchObject');
  });
});

describe('DELETE /v{version}/instance/{id}', () => {
  it('releases a postpaid instance: 200 empty body, Deleting, then gone; CDS detached and kept, system disk and its snapshots deleted', async () => {
    const r = await call('DELETE', '/v2/instance/i-post0001');
    expect(r).toMatchObject({ ok: true, body: {} });
    if (r.ok) expect(r.headers['x-bce-request-id']).toBeTruthy();
    const during = await call('GET', '/v2/instance/i-post0001');
    expect(during.ok && during.body.instance.status).toBe('Deleting');

    await waitGone('i-post0001');
    const s = await state();
    expect(s.volumes.find((v) => v.id === 'v-cds00001')).toMatchObject({ instanceId: null, status: 'Available' });
    expect(ids(s.volumes)).not.toContain('v-sys00001');
    expect(ids(s.snapshots)).toContain('s-cds00001');
    expect(ids(s.snapshots)).not.toContain('s-sys00001');
  });

  it('accepts the v1 path too', async () => {
    expect((await call('DELETE', '/v1/instance/i-stop0007')).ok).toBe(true);
    await waitGone('i-stop0007');
  });

  it('releases an expired prepaid instance; its prepaid CDS disk is detached, not released', async () => {
    expect((await call('DELETE', '/v2/instance/i-prep0003')).ok).toBe(true);
    await waitGone('i-prep0003');
    const s = await state();
    expect(s.volumes.find((v) => v.id === 'v-cds00003')).toMatchObject({ instanceId: null, status: 'Expired' });
  });

  it('refuses an unexpired prepaid instance: Instance.ReleaseNotPrepay 403', async () => {
    expectError(await call('DELETE', '/v2/instance/i-prep0002'), 403, 'Instance.ReleaseNotPrepay');
    expect((await state()).instances.find((i) => i.id === 'i-prep0002')?.status).toBe('Running');
  });

  it('refuses while Creating: Instance.ReleaseWhileCreating 403', async () => {
    expectError(await call('DELETE', '/v2/instance/i-crea0004'), 403, 'Instance.ReleaseWhileCreating');
  });

  it('refuses a protected instance and answers NoSuchObject for a missing one', async () => {
    expectError(await call('DELETE', '/v2/instance/i-prot0006'), 403, 'Instance.DeletionProtection');
    expectError(await call('DELETE', '/v2/instance/i-missing'), 404, 'NoSuchObject');
  });

  it('accepts a repeated release while Deleting as a no-op', async () => {
    expect((await call('DELETE', '/v2/instance/i-post0001')).ok).toBe(true);
    expect((await call('DELETE', '/v2/instance/i-post0001')).ok).toBe(true);
    await waitGone('i-post0001');
    expectError(await call('DELETE', '/v2/instance/i-post0001'), 404, 'NoSuchObject');
  });
});

describe('POST /v2/instance/{id} (release with related resources)', () => {
  it('relatedReleaseFlag: postpaid CDS released, its snapshots kept; prepaid CDS detached; system snapshots deleted; image kept', async () => {
    expect((await call('POST', '/v2/instance/i-mixd0005', { body: { relatedReleaseFlag: true } })).ok).toBe(true);
    await waitGone('i-mixd0005');
    const s = await state();
    expect(ids(s.volumes)).not.toContain('v-cds0005p');
    expect(ids(s.volumes)).not.toContain('v-sys00005');
    expect(s.volumes.find((v) => v.id === 'v-cds0005q')).toMatchObject({ instanceId: null, status: 'Available' });
    expect(ids(s.snapshots)).toEqual(expect.arrayContaining(['s-cds005p1', 's-cds005p2', 's-cds005q1']));
    expect(ids(s.snapshots)).not.toContain('s-sys0005a');
    expect(ids(s.snapshots)).not.toContain('s-sys0005m');
    expect(ids(s.images)).toContain('m-img00005');
  });

  it('relatedReleaseFlag + deleteCdsSnapshotFlag: the released CDS disk snapshots go too, the prepaid disk keeps its own', async () => {
    const body = { relatedReleaseFlag: true, deleteCdsSnapshotFlag: true, deleteRelatedEnisFlag: false, bccRecycleFlag: false };
    expect((await call('POST', '/v2/instance/i-mixd0005', { body })).ok).toBe(true);
    await waitGone('i-mixd0005');
    const s = await state();
    expect(ids(s.snapshots)).not.toContain('s-cds005p1');
    expect(ids(s.snapshots)).not.toContain('s-cds005p2');
    expect(ids(s.snapshots)).toContain('s-cds005q1');
  });

  it('deleteCdsSnapshotFlag alone has no effect: every CDS disk is detached and kept with its snapshots', async () => {
    expect((await call('POST', '/v2/instance/i-mixd0005', { body: { deleteCdsSnapshotFlag: true } })).ok).toBe(true);
    await waitGone('i-mixd0005');
    const s = await state();
    expect(s.volumes.find((v) => v.id === 'v-cds0005p')).toMatchObject({ instanceId: null, status: 'Available' });
    expect(ids(s.snapshots)).toEqual(expect.arrayContaining(['s-cds005p1', 's-cds005p2']));
  });

  it('bccRecycleFlag: the instance goes to the recycle bin with its disks; DELETE /v2/recycle/instance releases it', async () => {
    expect((await call('POST', '/v2/instance/i-post0001', { body: { bccRecycleFlag: true } })).ok).toBe(true);
    const r = await call('GET', '/v2/instance/i-post0001');
    expect(r.ok && r.body.instance.status).toBe('Recycled');
    expect((await state()).volumes.find((v) => v.id === 'v-cds00001')?.instanceId).toBe('i-post0001');
    expect((await call('DELETE', '/v2/recycle/instance/i-post0001')).ok).toBe(true);
    await waitGone('i-post0001');
  });

  it('applies the same preconditions as DELETE', async () => {
    expectError(await call('POST', '/v2/instance/i-prep0002', { body: { relatedReleaseFlag: true } }), 403, 'Instance.ReleaseNotPrepay');
    expectError(await call('POST', '/v2/instance/i-crea0004', { body: {} }), 403, 'Instance.ReleaseWhileCreating');
  });

  it('rejects a body that is not JSON (MalformedJSON) or a flag that is not a boolean (InappropriateJSON)', async () => {
    expectError(await call('POST', '/v2/instance/i-post0001', { body: '{not json' }), 400, 'MalformedJSON');
    expectError(await call('POST', '/v2/instance/i-post0001', { body: { relatedReleaseFlag: 'yes' } }), 400, 'InappropriateJSON');
  });
});

describe('POST /v2/instance/delete (early release of a prepaid instance)', () => {
  it('releases an unexpired prepaid instance and reports what went with it', async () => {
    const r = await call('POST', '/v2/instance/delete', {
      body: { instanceId: 'i-prep0002', relatedReleaseFlag: true, deleteCdsSnapshotFlag: false, deleteRelatedEnisFlag: false },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).toEqual({
      successResources: { instanceId: 'i-prep0002', eip: '', insnapIds: [], snapshotIds: [], volumeIds: ['v-sys00002'] },
      failResources: { instanceId: '', eip: '', insnapIds: [], snapshotIds: [], volumeIds: [] },
      instanceRefundFlag: true,
    });
    await waitGone('i-prep0002');
  });
});

describe('PUT /v2/instance/{id}?stop', () => {
  it('stops a running instance: Stopping, then Stopped', async () => {
    expect((await call('PUT', '/v2/instance/i-post0001', { params: { stop: '' }, body: { forceStop: false } })).ok).toBe(true);
    const during = await call('GET', '/v2/instance/i-post0001');
    expect(during.ok && during.body.instance.status).toBe('Stopping');
    await new Promise((r) => setTimeout(r, 250));
    const after = await call('GET', '/v2/instance/i-post0001');
    expect(after.ok && after.body.instance.status).toBe('Stopped');
    expectError(await call('PUT', '/v2/instance/i-crea0004', { params: { stop: '' } }), 409, 'Instance.InvalidStatus');
  });
});

describe('CDS volumes', () => {
  it('lists the volumes of an instance with the VolumeModel fields', async () => {
    const r = await call('GET', '/v2/volume', { params: { instanceId: 'i-mixd0005' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).toMatchObject({ marker: '', isTruncated: false, nextMarker: '', maxKeys: 1000 });
    expect(ids(r.body.volumes)).toEqual(['v-cds0005p', 'v-cds0005q', 'v-sys00005']);
    expect(r.body.volumes.find((v: { id: string }) => v.id === 'v-cds0005q')).toMatchObject({
      name: 'prepaid-data',
      diskSizeInGB: 300,
      paymentTiming: 'Prepaid',
      status: 'InUse',
      type: 'Cds',
      isSystemVolume: false,
      attachments: [{ volumeId: 'v-cds0005q', instanceId: 'i-mixd0005', device: '/dev/vdb', serial: 'v-cds0005q' }],
    });
    const sys = await call('GET', '/v2/volume/v-sys00005');
    expect(sys.ok && sys.body.volume).toMatchObject({ type: 'System', isSystemVolume: true, snapshotNum: '2' });
  });

  it('pages with marker and maxKeys', async () => {
    const first = await call('GET', '/v2/volume', { params: { instanceId: 'i-mixd0005', maxKeys: '2' } });
    expect(first.ok && first.body).toMatchObject({ isTruncated: true, nextMarker: 'v-sys00005', maxKeys: 2 });
    const second = await call('GET', '/v2/volume', { params: { instanceId: 'i-mixd0005', maxKeys: '2', marker: 'v-sys00005' } });
    expect(second.ok && ids(second.body.volumes)).toEqual(['v-sys00005']);
  });

  it('deletes only a detached, postpaid data disk; its snapshots are retained', async () => {
    expectError(await call('DELETE', '/v2/volume/v-cds00001'), 409, 'Volume.DiskStatusCannotBeDeleted');
    expectError(await call('DELETE', '/v2/volume/v-sys00001'), 403, 'Volume.SystemDiskCannotBeDeleted');
    expectError(await call('DELETE', '/v2/volume/v-free0010'), 403, 'Volume.PrepayVolumeCannotBeDeleted');
    expectError(await call('DELETE', '/v2/volume/v-missing'), 404, 'NoSuchObject');
    expect((await call('DELETE', '/v2/volume/v-free0009')).ok).toBe(true);
    const s = await state();
    expect(ids(s.volumes)).not.toContain('v-free0009');
    expect(ids(s.snapshots)).toContain('s-free0009');
  });
});

describe('snapshots', () => {
  it('lists by volume with the SnapshotModel fields, deletes, then answers NoSuchObject', async () => {
    const r = await call('GET', '/v2/snapshot', { params: { volumeId: 'v-cds0005p' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.snapshots).toEqual([
      expect.objectContaining({ id: 's-cds005p1', volumeId: 'v-cds0005p', createMethod: 'manual', status: 'Available', sizeInGB: 500 }),
      expect.objectContaining({ id: 's-cds005p2', volumeId: 'v-cds0005p', createMethod: 'auto' }),
    ]);
    expect((await call('DELETE', '/v2/snapshot/s-cds005p2')).ok).toBe(true);
    expectError(await call('DELETE', '/v2/snapshot/s-cds005p2'), 404, 'NoSuchObject');
    expectError(await call('GET', '/v2/snapshot/s-cds005p2'), 404, 'NoSuchObject');
  });

  it('lists custom images, which a release never removes', async () => {
    const r = await call('GET', '/v2/image');
    expect(r.ok && r.body.images).toEqual([expect.objectContaining({ id: 'm-img00005', type: 'Custom' })]);
  });
});

describe('call log, faults and throttling', () => {
  it('logs every call with its action, target, status and error code', async () => {
    await call('GET', '/v2/instance/i-post0001');
    await call('DELETE', '/v2/instance/i-prep0002');
    await call('GET', '/v2/volume', { params: { instanceId: 'i-post0001' } });
    await call('GET', '/v2/snapshot', { params: { volumeId: 'v-cds00001' } });
    await call('DELETE', '/v2/volume/v-free0009');
    await call('DELETE', '/v2/snapshot/s-free0009');
    const calls = await admin.calls({ provider: 'baidu' });
    expect(calls.map((c) => [c.action, c.target, c.httpStatus, c.errorCode])).toEqual([
      ['GetInstance', 'i-post0001', 200, undefined],
      ['ReleaseInstance', 'i-prep0002', 403, 'Instance.ReleaseNotPrepay'],
      ['ListVolumes', 'i-post0001', 200, undefined],
      ['ListSnapshots', 'v-cds00001', 200, undefined],
      ['DeleteVolume', 'v-free0009', 200, undefined],
      ['DeleteSnapshot', 's-free0009', 200, undefined],
    ]);
    expect(calls[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an injected error answers in the Baidu shape, with the catalogue status', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'ReleaseInstance', error: { code: 'InternalError' }, times: 1 });
    expectError(await call('DELETE', '/v2/instance/i-post0001'), 500, 'InternalError');
    expect((await state()).instances.find((i) => i.id === 'i-post0001')?.status).toBe('Running');
    const [logged] = await admin.calls({ provider: 'baidu', action: 'ReleaseInstance' });
    expect(logged).toMatchObject({ httpStatus: 500, errorCode: 'InternalError', injected: true });
  });

  it('latency delays the answer', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'GetInstance', latencyMs: 300, times: 1 });
    const t0 = Date.now();
    expect((await call('GET', '/v2/instance/i-post0001')).ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('a dropped response: the release is applied, the client gets no answer', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'ReleaseInstance', dropResponse: true, times: 1 });
    const r = await call('DELETE', '/v2/instance/i-post0001');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.err).toBeInstanceOf(Error);
    expect((await state()).instances.find((i) => i.id === 'i-post0001')?.status).toBe('Deleting');
    await waitGone('i-post0001');
  });

  it('a stuck release stays Deleting until the fault is cleared', async () => {
    await admin.injectFault({ provider: 'baidu', target: 'i-post0001', stuck: true });
    expect((await call('DELETE', '/v2/instance/i-post0001')).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 450));
    const held = await call('GET', '/v2/instance/i-post0001');
    expect(held.ok && held.body.instance.status).toBe('Deleting');
    expect((await state()).volumes.find((v) => v.id === 'v-cds00001')?.instanceId).toBe('i-post0001');
    await admin.clearFaults();
    await waitGone('i-post0001');
  });

  it('throttles with 429 TooManyRequests', async () => {
    await admin.setThrottle('baidu', { rps: 0.01, burst: 1 });
    expect((await call('GET', '/v2/instance/i-post0001')).ok).toBe(true);
    expectError(await call('GET', '/v2/instance/i-post0001'), 429, 'TooManyRequests');
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('recycle bin', () => {
  it('POST /v2/recycle/instance lists the bin (RecycleInstanceModel) with marker/maxKeys paging and filters', async () => {
    const all = await call('POST', '/v2/recycle/instance', { body: {} });
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(all.body).toMatchObject({ marker: '', isTruncated: false, nextMarker: '' });
    expect(all.body.instances.map((i: Json) => i.id)).toEqual(['i-recy0008', 'i-recy0011', 'i-recy0012']);
    expect(all.body.instances[1]).toMatchObject({
      id: 'i-recy0011',
      name: 'recycled-with-cds',
      paymentTiming: 'Postpaid',
      serviceType: 'BCC',
      recycleTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      deleteTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    // Retention: 7 days by default.
    const entry = all.body.instances[1];
    expect(Date.parse(entry.deleteTime) - Date.parse(entry.recycleTime)).toBeGreaterThan(6.9 * 86_400_000);
    const first = await call('POST', '/v2/recycle/instance', { body: { maxKeys: 2 } });
    expect(first.ok && [first.body.isTruncated, first.body.nextMarker, first.body.instances.length]).toEqual([true, 'i-recy0012', 2]);
    const rest = await call('POST', '/v2/recycle/instance', { body: { maxKeys: 2, marker: 'i-recy0012' } });
    expect(rest.ok && rest.body.instances.map((i: Json) => i.id)).toEqual(['i-recy0012']);
    const one = await call('POST', '/v2/recycle/instance', { body: { instanceId: 'i-recy0011' } });
    expect(one.ok && one.body.instances.map((i: Json) => i.id)).toEqual(['i-recy0011']);
    const none = await call('POST', '/v2/recycle/instance', { body: { instanceId: 'i-post0001' } });
    expect(none.ok && none.body.instances).toEqual([]);
    expectError(await call('POST', '/v2/recycle/instance', { body: { maxKeys: 'ten' } }), 400, 'InappropriateJSON');
  });

  it('DELETE /v2/recycle/instance/{id} releases the instance with what went into the bin; CDS snapshots stay', async () => {
    expect((await call('DELETE', '/v2/recycle/instance/i-recy0011')).ok).toBe(true);
    const during = await call('GET', '/v2/instance/i-recy0011');
    expect(during.ok && during.body.instance.status).toBe('Deleting');
    // A repeat while it is being released is a no-op.
    expect((await call('DELETE', '/v2/recycle/instance/i-recy0011')).ok).toBe(true);
    await waitGone('i-recy0011');
    const s = await state();
    expect(ids(s.volumes)).not.toEqual(expect.arrayContaining(['v-sys00011']));
    expect(s.volumes.map((v) => v.id)).not.toContain('v-cds00011');
    expect(s.snapshots.map((x) => x.id)).not.toContain('s-sys00011');
    expect(s.snapshots.map((x) => x.id)).toContain('s-cds00011');
    expectError(await call('DELETE', '/v2/recycle/instance/i-recy0011'), 404, 'NoSuchObject');
    expectError(await call('DELETE', '/v2/recycle/instance/i-post0001'), 409, 'Instance.InvalidStatus');
    expectError(await call('GET', '/v2/volume/v-cds00011'), 404, 'NoSuchObject');
    expectError(await call('GET', '/v2/snapshot/s-sys00011'), 404, 'NoSuchObject');
  });

  it('the bin releases an instance by itself when its retention ends', async () => {
    const r = await call('GET', '/v2/instance/i-recy0012');
    expect(r.ok && r.body.instance.status).toBe('Recycled');
    await sleep(1500 + 300 + 150);
    // The first request after the due time applies the retention end, the next one sees it gone.
    await call('GET', '/v2/instance/i-recy0012');
    expectError(await call('GET', '/v2/instance/i-recy0012'), 404, 'NoSuchObject');
    expect((await state()).volumes.map((v) => v.id)).not.toContain('v-sys00012');
  });
});

describe('seeded transitional states advance on the timeline', () => {
  it('Starting → Running, Stopping → Stopped, Deleting → gone (as a plain release); Creating of i-crea0004 lasts a day', async () => {
    const status = async (id: string) => {
      const r = await call('GET', `/v2/instance/${id}`);
      return r.ok ? r.body.instance.status : r.err.code;
    };
    expect([await status('i-star0013'), await status('i-stpg0014'), await status('i-dele0015')]).toEqual(['Starting', 'Stopping', 'Deleting']);
    await sleep(450);
    expect([await status('i-star0013'), await status('i-stpg0014'), await status('i-dele0015')]).toEqual(['Running', 'Stopped', 'NoSuchObject']);
    const s = await state();
    expect(s.volumes.find((v) => v.id === 'v-cds00015')).toMatchObject({ instanceId: null, status: 'Available' });
    expect(s.volumes.map((v) => v.id)).not.toContain('v-sys00015');
    expect(s.snapshots.map((x) => x.id)).not.toContain('s-sys00015');
    expect(await status('i-crea0004')).toBe('Creating');
  });

  it('Creating without transitionMs becomes Running after timing.createMs, its disks InUse', async () => {
    const { defaultFixture } = await import('../../../simulators/runtime');
    const fixture = defaultFixture();
    const section = fixture.baidu as { timing: Record<string, number>; instances: { id: string; transitionMs?: number }[] };
    delete section.instances.find((i) => i.id === 'i-crea0004')!.transitionMs;
    section.timing.createMs = 100;
    await admin.reset(fixture);
    await sleep(200);
    const r = await call('GET', '/v2/instance/i-crea0004');
    expect(r.ok && r.body.instance.status).toBe('Running');
    expect((await state()).volumes.find((v) => v.id === 'v-sys00004')?.status).toBe('InUse');
  });
});

describe('GET /v2/instance (list, marker paging)', () => {
  it('a marker loop sees every instance once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await call('GET', '/v2/instance', { params: { maxKeys: '5', ...(marker ? { marker } : {}) } });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      seen.push(...r.body.instances.map((x: Json) => x.id));
      if (!r.body.isTruncated) break;
      marker = r.body.nextMarker;
    }
    const total = (await state()).instances.length;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
