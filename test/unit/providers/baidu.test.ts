import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DestroyOptions, ResourceRef } from '../../../domain/resource';
import { ProviderError, ProviderUnreachableError, type ProviderAdapter } from '../../../providers/adapter';
import { createBaiduAdapter } from '../../../providers/baidu';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const AK = 'sim-baidu-ak-0001';
const SK = 'sim-baidu-sk-0001-not-a-real-secret';
const PLAIN: DestroyOptions = { releaseDataDisks: false, releaseSnapshots: false, force: false };

let sims: RunningSimulators;
let admin: SimAdminClient;
let baidu: ProviderAdapter;

const ref = (resourceId: string): ResourceRef => ({ provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId });
const adapterWith = (over: { endpoint?: string; secret?: string; ak?: string; timeoutMs?: number } = {}) =>
  createBaiduAdapter({
    endpoint: over.endpoint ?? sims.endpoints.baidu,
    credentials: { accessKeyId: over.ak ?? AK, secretAccessKey: over.secret ?? SK },
    timeoutMs: over.timeoutMs,
  });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

interface BaiduState {
  instances: { id: string; status: string }[];
  volumes: { id: string; instanceId: string | null }[];
  snapshots: { id: string }[];
}
const state = async () => (await admin.state<{ baidu: BaiduState }>()).baidu;

async function pollUntilGone(r: ResourceRef): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    const s = await baidu.status(r);
    seen.push(s.state);
    if (s.state === 'gone') return seen;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`still ${seen.at(-1)}`);
}

beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.endpoints.admin);
  baidu = adapterWith();
});
afterAll(async () => {
  await sims.close();
});
beforeEach(async () => {
  await admin.reset();
});

describe('inspect', () => {
  it('a running postpaid instance: status, charging, tags, disks with roles, snapshots with their source disk', async () => {
    const s = await baidu.inspect(ref('i-post0001'));
    expect(s).toMatchObject({
      exists: true,
      status: 'running',
      rawStatus: 'Running',
      name: 'postpaid-running',
      charging: { mode: 'pay-per-use', expired: false },
      locks: [],
      deletionProtection: false,
      tags: { env: 'test', owner: 'ml-team' },
    });
    expect(s.disks).toEqual(
      expect.arrayContaining([
        { id: 'v-sys00001', role: 'system', origin: 'with-resource', sizeGb: 40, chargingMode: 'pay-per-use' },
        { id: 'v-cds00001', role: 'data', origin: 'attached-later', sizeGb: 200, chargingMode: 'pay-per-use' },
      ]),
    );
    expect(s.snapshots).toEqual(
      expect.arrayContaining([
        { id: 's-sys00001', sourceDiskId: 'v-sys00001', type: 'auto' },
        { id: 's-cds00001', sourceDiskId: 'v-cds00001', type: 'manual' },
      ]),
    );
    expect(Date.parse(s.readAt)).not.toBeNaN();
  });

  it('prepaid instances: unexpired with its expiry, expired by date and status', async () => {
    expect((await baidu.inspect(ref('i-prep0002'))).charging).toEqual({ mode: 'subscription', expiresAt: '2099-12-31T16:00:00Z', expired: false });
    const expired = await baidu.inspect(ref('i-prep0003'));
    expect(expired).toMatchObject({ status: 'other', rawStatus: 'Expired', charging: { mode: 'subscription', expired: true } });
  });

  it('mixed disks: system vs data snapshots are told apart by their source disk role, disk charging modes kept', async () => {
    const s = await baidu.inspect(ref('i-mixd0005'));
    const roleOf = new Map(s.disks.map((d) => [d.id, d.role]));
    const bySource = (role: string) =>
      s.snapshots
        .filter((x) => roleOf.get(x.sourceDiskId) === role)
        .map((x) => `${x.id}:${x.type}`)
        .sort();
    expect(bySource('system')).toEqual(['s-sys0005a:auto', 's-sys0005m:manual']);
    expect(bySource('data')).toEqual(['s-cds005p1:manual', 's-cds005p2:auto', 's-cds005q1:manual']);
    expect(s.disks.find((d) => d.id === 'v-cds0005q')?.chargingMode).toBe('subscription');
  });

  it('creating, protected, stopped and recycled instances; a missing one does not exist', async () => {
    expect((await baidu.inspect(ref('i-crea0004'))).status).toBe('creating');
    expect((await baidu.inspect(ref('i-prot0006'))).deletionProtection).toBe(true);
    expect((await baidu.inspect(ref('i-stop0007'))).status).toBe('stopped');
    expect((await baidu.inspect(ref('i-recy0008'))).status).toBe('recycled');
    expect(await baidu.inspect(ref('i-missing'))).toMatchObject({ exists: false, status: 'deleted', disks: [], snapshots: [] });
  });
});

describe('destroy', () => {
  it('releases a postpaid instance with exactly one DELETE; status goes deleting → gone; a retry is alreadyDone', async () => {
    const receipt = await baidu.destroy(ref('i-post0001'), 'delete', PLAIN);
    expect(receipt.alreadyDone).toBe(false);
    expect(receipt.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const calls = await admin.calls({ provider: 'baidu', target: 'i-post0001' });
    expect(calls.map((c) => [c.method, c.action])).toEqual([['DELETE', 'ReleaseInstance']]);

    const seen = await pollUntilGone(ref('i-post0001'));
    expect(seen[0]).toBe('deleting');
    expect((await state()).volumes.find((v) => v.id === 'v-cds00001')?.instanceId).toBeNull();

    expect(await baidu.destroy(ref('i-post0001'), 'delete', PLAIN)).toMatchObject({ alreadyDone: true });
  });

  it('releases an expired prepaid instance', async () => {
    expect((await baidu.destroy(ref('i-prep0003'), 'delete', PLAIN)).alreadyDone).toBe(false);
  });

  it('releaseDataDisks uses the related-release POST: postpaid data disks go, their snapshots stay', async () => {
    await baidu.destroy(ref('i-mixd0005'), 'delete', { ...PLAIN, releaseDataDisks: true });
    expect((await admin.calls({ provider: 'baidu', target: 'i-mixd0005' })).map((c) => [c.method, c.action])).toEqual([['POST', 'ReleaseInstanceWithRelated']]);
    await pollUntilGone(ref('i-mixd0005'));
    const s = await state();
    expect(s.volumes.map((v) => v.id)).not.toContain('v-cds0005p');
    expect(s.volumes.find((v) => v.id === 'v-cds0005q')?.instanceId).toBeNull();
    expect(s.snapshots.map((x) => x.id)).toEqual(expect.arrayContaining(['s-cds005p1', 's-cds005p2']));
  });

  it('releaseDataDisks + releaseSnapshots also deletes the released disks snapshots', async () => {
    await baidu.destroy(ref('i-mixd0005'), 'delete', { ...PLAIN, releaseDataDisks: true, releaseSnapshots: true });
    await pollUntilGone(ref('i-mixd0005'));
    const snaps = (await state()).snapshots.map((x) => x.id);
    expect(snaps).not.toContain('s-cds005p1');
    expect(snaps).toContain('s-cds005q1');
  });

  it('refuses without calling: another action, or releaseSnapshots without releaseDataDisks', async () => {
    const wrong = await providerError(baidu.destroy(ref('i-post0001'), 'unsubscribe', PLAIN));
    expect(wrong).toMatchObject({ code: 'UnsupportedAction', errorClass: 'final' });
    const opts = await providerError(baidu.destroy(ref('i-post0001'), 'delete', { ...PLAIN, releaseSnapshots: true }));
    expect(opts).toMatchObject({ code: 'InvalidDestroyOptions', errorClass: 'final' });
    expect(await admin.calls({ provider: 'baidu' })).toEqual([]);
  });

  it('classifies the refusals: unexpired prepaid and protection are final, creating is retryable', async () => {
    expect(await providerError(baidu.destroy(ref('i-prep0002'), 'delete', PLAIN))).toMatchObject({
      code: 'Instance.ReleaseNotPrepay',
      errorClass: 'final',
      httpStatus: 403,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await providerError(baidu.destroy(ref('i-prot0006'), 'delete', PLAIN))).toMatchObject({ code: 'Instance.DeletionProtection', errorClass: 'final' });
    expect(await providerError(baidu.destroy(ref('i-crea0004'), 'delete', PLAIN))).toMatchObject({
      code: 'Instance.ReleaseWhileCreating',
      errorClass: 'retryable',
    });
  });
});

describe('cleanup calls', () => {
  it('has no stop: a BCC instance is released running', () => {
    expect(baidu.stopper).toBeUndefined();
  });

  it('deletes a detached disk and a snapshot; missing ones are alreadyDone; refusals are classified', async () => {
    expect(await baidu.deleteDisk(ref('i-post0001'), 'v-free0009')).toMatchObject({ alreadyDone: false });
    expect(await baidu.deleteDisk(ref('i-post0001'), 'v-free0009')).toMatchObject({ alreadyDone: true });
    expect(await baidu.deleteSnapshot(ref('i-post0001'), 's-free0009')).toMatchObject({ alreadyDone: false });
    expect(await baidu.deleteSnapshot(ref('i-post0001'), 's-free0009')).toMatchObject({ alreadyDone: true });
    expect(await providerError(baidu.deleteDisk(ref('i-post0001'), 'v-cds00001'))).toMatchObject({
      code: 'Volume.DiskStatusCannotBeDeleted',
      errorClass: 'retryable',
    });
    expect(await providerError(baidu.deleteDisk(ref('i-post0001'), 'v-sys00001'))).toMatchObject({
      code: 'Volume.SystemDiskCannotBeDeleted',
      errorClass: 'final',
    });
    expect(await providerError(baidu.deleteDisk(ref('i-post0001'), 'v-free0010'))).toMatchObject({
      code: 'Volume.PrepayVolumeCannotBeDeleted',
      errorClass: 'final',
    });
  });
});

describe('errors and lost answers', () => {
  it('throttling and an injected 5xx are retryable', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'ReleaseInstance', error: { code: 'InternalError' }, times: 1 });
    expect(await providerError(baidu.destroy(ref('i-post0001'), 'delete', PLAIN))).toMatchObject({
      code: 'InternalError',
      httpStatus: 500,
      errorClass: 'retryable',
    });
    await admin.setThrottle('baidu', { rps: 0.01, burst: 1 });
    await baidu.status(ref('i-post0001'));
    expect(await providerError(baidu.status(ref('i-post0001')))).toMatchObject({ code: 'TooManyRequests', httpStatus: 429, errorClass: 'retryable' });
  });

  it('a wrong secret is a clear final error, and no secret or signature is printed or thrown', async () => {
    const secret = 'a-wrong-secret-that-must-not-leak';
    const printed: string[] = [];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void printed.push(a.join(' '))),
      ),
    ];
    let err: unknown;
    try {
      err = await rejection(adapterWith({ secret }).destroy(ref('i-post0001'), 'delete', PLAIN));
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(err).toMatchObject({ code: 'SignatureDoesNotMatch', errorClass: 'final', httpStatus: 400 });
    const everything = [...printed, JSON.stringify(err), String(err), JSON.stringify(Object.entries(err as object))].join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Signature=|bce-auth-v1\/|[0-9a-f]{64}/);
    expect(await providerError(adapterWith({ ak: 'no-such-ak' }).status(ref('i-post0001')))).toMatchObject({ code: 'InvalidAccessKeyId', errorClass: 'final' });
  });

  it('a dropped response is ProviderUnreachableError, although the release happened', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'ReleaseInstance', dropResponse: true, times: 1 });
    expect(await rejection(baidu.destroy(ref('i-post0001'), 'delete', PLAIN))).toBeInstanceOf(ProviderUnreachableError);
    expect((await state()).instances.find((i) => i.id === 'i-post0001')?.status).toBe('Deleting');
  });

  it('a timeout, a refused connection and a non-BCE answer are ProviderUnreachableError', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'GetInstance', latencyMs: 1000, times: 1 });
    expect(await rejection(adapterWith({ timeoutMs: 200 }).status(ref('i-post0001')))).toBeInstanceOf(ProviderUnreachableError);
    expect(await rejection(adapterWith({ endpoint: 'http://127.0.0.1:1' }).status(ref('i-post0001')))).toBeInstanceOf(ProviderUnreachableError);

    const proxy: Server = createHttpServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      expect(await rejection(adapterWith({ endpoint: url }).destroy(ref('i-post0001'), 'delete', PLAIN))).toBeInstanceOf(ProviderUnreachableError);
    } finally {
      proxy.close();
    }
  });

  it('ignores the clock offset another Baidu client left on the shared SDK prototype', async () => {
    const proto = createRequire(__filename)('@baiducloud/sdk').BceBaseClient.prototype as { timeOffset?: number };
    proto.timeOffset = -2 * 3600_000;
    try {
      expect((await baidu.inspect(ref('i-post0001'))).exists).toBe(true);
    } finally {
      delete proto.timeOffset;
    }
  });

  it('keeps the SDK debug channels (which print the signing key) switched off', () => {
    const debug = createRequire(createRequire(__filename).resolve('@baiducloud/sdk'))('debug') as { enabled(ns: string): boolean };
    expect(debug.enabled('bce-sdk:auth')).toBe(false);
    expect(process.env.DEBUG ?? '').toContain('-bce-sdk:*');
  });

  const hasOpenssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasOpenssl)('verifies https certificates although the SDK turns verification off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baidu-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
      { stdio: 'ignore' },
    );
    let reached = false;
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
      reached = true;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await rejection(adapterWith({ endpoint: url }).destroy(ref('i-post0001'), 'delete', PLAIN));
      expect(err).toBeInstanceOf(ProviderUnreachableError);
      expect(String((err as Error).message)).toMatch(/certificate/i);
      expect(reached).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('recycle bin', () => {
  it('inspect recognises an instance in the bin, with what went into the bin with it', async () => {
    const s = await baidu.inspect(ref('i-recy0011'));
    expect(s).toMatchObject({ exists: true, status: 'recycled', rawStatus: 'Recycled', charging: { mode: 'pay-per-use' } });
    expect(s.disks.map((d) => [d.id, d.role])).toEqual(
      expect.arrayContaining([
        ['v-sys00011', 'system'],
        ['v-cds00011', 'data'],
      ]),
    );
    expect(s.snapshots.map((x) => x.id).sort()).toEqual(['s-cds00011', 's-sys00011']);
    expect(await baidu.status(ref('i-recy0011'))).toEqual({ state: 'present', rawStatus: 'Recycled', detail: 'the instance is in the recycle bin' });
  });

  it('inspect falls back to the bin list when GET does not know an instance that is in the bin', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'GetInstance', target: 'i-recy0011', error: { code: 'NoSuchObject', httpStatus: 404 } });
    const s = await baidu.inspect(ref('i-recy0011'));
    expect(s).toMatchObject({ exists: true, status: 'recycled', rawStatus: 'Recycled' });
    expect((await admin.calls({ provider: 'baidu' })).map((c) => c.action)).toEqual(expect.arrayContaining(['GetInstance', 'ListRecycleInstances']));
    // Not in the bin either: it does not exist.
    expect(await baidu.inspect(ref('i-missing'))).toMatchObject({ exists: false, absence: 'unknown-id' });
  });

  it('destroy with fromRecycleBin: one DELETE /v2/recycle/instance/{id}; deleting → gone; disks bound into the bin go, CDS snapshots stay', async () => {
    const r = ref('i-recy0011');
    await admin.clearCalls();
    const receipt = await baidu.destroy(r, 'delete', { ...PLAIN, fromRecycleBin: true });
    expect(receipt.alreadyDone).toBe(false);
    expect((await admin.calls({ provider: 'baidu' })).map((c) => [c.method, c.path, c.action])).toEqual([
      ['DELETE', '/v2/recycle/instance/i-recy0011', 'DeleteRecycledInstance'],
    ]);
    const seen = await pollUntilGone(r);
    expect(seen[0]).toBe('deleting');
    const s = await state();
    expect(s.volumes.map((v) => v.id)).not.toContain('v-cds00011');
    expect(s.snapshots.map((x) => x.id)).toContain('s-cds00011');
    expect(s.snapshots.map((x) => x.id)).not.toContain('s-sys00011');
    expect((await baidu.destroy(r, 'delete', { ...PLAIN, fromRecycleBin: true })).alreadyDone).toBe(true);
  });
});

describe('observe', () => {
  it('present / deleting / gone per item with the raw status', async () => {
    await baidu.destroy(ref('i-post0001'), 'delete', PLAIN);
    const got = await baidu.observe(ref('i-post0001'), [
      { type: 'resource', id: 'i-post0001' },
      { type: 'resource', id: 'i-recy0008' },
      { type: 'resource', id: 'i-missing' },
      { type: 'disk', id: 'v-free0009' },
      { type: 'disk', id: 'v-nosuch' },
      { type: 'snapshot', id: 's-free0009' },
      { type: 'snapshot', id: 's-nosuch' },
      { type: 'vm', id: 'vm-1' },
    ]);
    expect(got).toEqual([
      { type: 'resource', id: 'i-post0001', state: 'deleting', detail: 'Deleting' },
      { type: 'resource', id: 'i-recy0008', state: 'present', detail: 'Recycled' },
      { type: 'resource', id: 'i-missing', state: 'gone', detail: 'NotFound' },
      { type: 'disk', id: 'v-free0009', state: 'present', detail: 'Available' },
      { type: 'disk', id: 'v-nosuch', state: 'gone', detail: 'NoSuchObject' },
      { type: 'snapshot', id: 's-free0009', state: 'present', detail: 'Available' },
      { type: 'snapshot', id: 's-nosuch', state: 'gone', detail: 'NoSuchObject' },
      { type: 'vm', id: 'vm-1', state: 'unknown', detail: 'BCC has no vm to read' },
    ]);
    await pollUntilGone(ref('i-post0001'));
    const after = await baidu.observe(ref('i-post0001'), [
      { type: 'resource', id: 'i-post0001' },
      { type: 'disk', id: 'v-sys00001' },
      { type: 'disk', id: 'v-cds00001' },
      { type: 'snapshot', id: 's-sys00001' },
      { type: 'snapshot', id: 's-cds00001' },
    ]);
    expect(after.map((o) => [o.id, o.state])).toEqual([
      ['i-post0001', 'gone'],
      ['v-sys00001', 'gone'],
      ['v-cds00001', 'present'],
      ['s-sys00001', 'gone'],
      ['s-cds00001', 'present'],
    ]);
  });

  it('a failed read is unknown, never an exception', async () => {
    await admin.injectFault({ provider: 'baidu', action: 'GetVolume', error: { code: 'InternalError', httpStatus: 500 } });
    const got = await baidu.observe(ref('i-post0001'), [
      { type: 'disk', id: 'v-cds00001' },
      { type: 'resource', id: 'i-post0001' },
    ]);
    expect(got[0]).toMatchObject({ state: 'unknown', detail: expect.stringContaining('InternalError') });
    expect(got[1]).toMatchObject({ state: 'present', detail: 'Running' });
  });
});

describe('idempotency token', () => {
  it('is not sent: BCC release calls take no clientToken (a repeat is harmless: no-op while Deleting, NoSuchObject after)', async () => {
    await admin.clearCalls();
    await baidu.destroy(ref('i-post0001'), 'delete', { ...PLAIN, idempotencyToken: 'tok-1' });
    await baidu.destroy(ref('i-post0001'), 'delete', { ...PLAIN, idempotencyToken: 'tok-1' });
    const calls = await admin.calls({ provider: 'baidu' });
    expect(calls.map((c) => c.path)).toEqual(['/v2/instance/i-post0001', '/v2/instance/i-post0001']);
    expect(calls.every((c) => c.httpStatus === 200)).toBe(true);
  });
});
