import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DestroyOptions, ResourceRef } from '../../../domain/resource';
import { ProviderError, ProviderUnreachableError, type ProviderAdapter } from '../../../providers/adapter';
import { createAlibabaAdapter } from '../../../providers/alibaba';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const DELETE_MS = 300;
const NO_FORCE: DestroyOptions = { releaseDataDisks: false, releaseSnapshots: false, force: false };
const FORCE: DestroyOptions = { ...NO_FORCE, force: true };

let sims: RunningSimulators;
let admin: SimAdminClient;
let adapter: ProviderAdapter;

const ref = (resourceId: string, region = 'cn-hangzhou'): ResourceRef => ({ provider: 'alibaba', kind: 'ecs-instance', region, resourceId });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.endpoints.admin);
  adapter = createAlibabaAdapter({
    endpoint: sims.endpoints.alibaba,
    credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: 'sim-alibaba-sk' },
    timeoutMs: 3000,
  });
});
afterAll(() => sims.close());
beforeEach(() => sims.reset());

describe('inspect', () => {
  it('a stopped pay-as-you-go instance with its disks (role, origin, flags) and snapshots', async () => {
    const snap = await adapter.inspect(ref('i-bp1stoppedpaygo01'));
    expect(snap).toMatchObject({
      exists: true,
      status: 'stopped',
      rawStatus: 'Stopped',
      name: 'train-stopped-postpaid',
      charging: { mode: 'pay-per-use', expired: false },
      locks: [],
      deletionProtection: false,
      tags: { env: 'test', owner: 'ml-team' },
    });
    expect(snap.charging.expiresAt).toBeUndefined();
    expect(Date.parse(snap.readAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(snap.disks).toEqual(
      expect.arrayContaining([
        {
          id: 'd-bp1stopped01sys',
          role: 'system',
          origin: 'with-resource',
          sizeGb: 40,
          chargingMode: 'pay-per-use',
          deleteWithInstance: true,
          deleteAutoSnapshot: true,
        },
        {
          id: 'd-bp1stopped01dat1',
          role: 'data',
          origin: 'with-resource',
          sizeGb: 500,
          chargingMode: 'pay-per-use',
          deleteWithInstance: true,
          deleteAutoSnapshot: false,
        },
        {
          id: 'd-bp1stopped01dat2',
          role: 'data',
          origin: 'attached-later',
          sizeGb: 1000,
          chargingMode: 'pay-per-use',
          deleteWithInstance: false,
          deleteAutoSnapshot: true,
        },
      ]),
    );
    expect(snap.disks).toHaveLength(3);
    expect(snap.snapshots).toEqual(
      expect.arrayContaining([
        { id: 's-bp1stopped01sysauto', sourceDiskId: 'd-bp1stopped01sys', type: 'auto' },
        { id: 's-bp1stopped01dat1user', sourceDiskId: 'd-bp1stopped01dat1', type: 'manual' },
      ]),
    );
    expect(snap.snapshots).toHaveLength(5);
  });

  it.each([
    ['i-bp1runningpaygo02', { status: 'running', rawStatus: 'Running' }],
    ['i-bp1pending07', { status: 'creating', rawStatus: 'Pending' }],
    ['i-bp1protected05', { status: 'stopped', deletionProtection: true }],
    ['i-bp1routeentry08', { status: 'stopped', charging: { mode: 'pay-per-use', expired: false } }],
    ['i-bp1slbbackend09', { status: 'stopped' }],
    ['i-bp1seclocked06', { locks: [{ reason: 'security', detail: 'The instance is under security control: suspected mining.' }] }],
    ['i-bp1prepaidexpired04', { status: 'stopped', charging: { mode: 'subscription', expired: true }, locks: [] }],
  ] as const)('%s', async (id, expected) => {
    expect(await adapter.inspect(ref(id))).toMatchObject({ exists: true, ...expected });
  });

  it('an unexpired subscription, with its expiry', async () => {
    const snap = await adapter.inspect(ref('i-bp1prepaidactive03'));
    expect(snap.charging).toMatchObject({ mode: 'subscription', expired: false });
    expect(Date.parse(snap.charging.expiresAt!)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(snap.disks[0]).toMatchObject({ role: 'system', chargingMode: 'subscription' });
  });

  it('an unknown instance (or one in another region) is not an error', async () => {
    for (const r of [ref('i-bp1nosuchthing'), ref('i-bp1stoppedpaygo01', 'cn-beijing')]) {
      expect(await adapter.inspect(r)).toMatchObject({ exists: false, status: 'deleted', disks: [], snapshots: [] });
    }
  });
});

describe('destroy', () => {
  it.each([
    ['a stopped pay-as-you-go instance', 'i-bp1stoppedpaygo01', NO_FORCE],
    ['an expired subscription', 'i-bp1prepaidexpired04', NO_FORCE],
    ['a running instance with force', 'i-bp1runningpaygo02', FORCE],
    ['a security-locked instance with force', 'i-bp1seclocked06', FORCE],
  ] as const)('releases %s with exactly one call', async (_what, id, options) => {
    const receipt = await adapter.destroy(ref(id), 'delete', options);
    expect(receipt).toMatchObject({ alreadyDone: false, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    expect(await admin.calls({ provider: 'alibaba', action: 'DeleteInstance' })).toHaveLength(1);
  });

  it.each([
    ['i-bp1pending07', NO_FORCE, 'IncorrectInstanceStatus.Initializing', 'retryable', 403],
    ['i-bp1seclocked06', NO_FORCE, 'InstanceLockedForSecurity', 'final', 403],
    ['i-bp1protected05', NO_FORCE, 'InvalidOperation.DeletionProtection', 'final', 400],
    ['i-bp1prepaidactive03', NO_FORCE, 'ChargeTypeViolation', 'final', 403],
    ['i-bp1runningpaygo02', NO_FORCE, 'IncorrectInstanceStatus', 'final', 403],
    ['i-bp1routeentry08', NO_FORCE, 'DependencyViolation.RouteEntry', 'retryable', 400],
    ['i-bp1slbbackend09', NO_FORCE, 'DependencyViolation.SLBConfiguring', 'retryable', 400],
    ['i-bp1protected05', FORCE, 'InvalidOperation.DeletionProtection', 'final', 400],
  ] as const)('%s (force=%o) is refused with %s (%s)', async (id, options, code, errorClass, httpStatus) => {
    const err = await providerError(adapter.destroy(ref(id), 'delete', options));
    expect(err).toMatchObject({ provider: 'alibaba', code, errorClass, httpStatus, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
  });

  it('an unknown instance resolves alreadyDone', async () => {
    expect(await adapter.destroy(ref('i-bp1nosuchthing'), 'delete', NO_FORCE)).toMatchObject({ alreadyDone: true });
  });

  it('is idempotent: after the release, a retry resolves alreadyDone; status polls from present to gone', async () => {
    await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE);
    expect(await adapter.status(ref('i-bp1stoppedpaygo01'))).toEqual({ state: 'present', rawStatus: 'Stopped' });
    await sleep(DELETE_MS + 100);
    expect(await adapter.status(ref('i-bp1stoppedpaygo01'))).toEqual({ state: 'gone', rawStatus: 'NotFound' });
    expect(await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE)).toMatchObject({ alreadyDone: true });
  });

  it('refuses unsubscribe / release without calling the provider', async () => {
    for (const action of ['unsubscribe', 'release'] as const) {
      const err = await providerError(adapter.destroy(ref('i-bp1stoppedpaygo01'), action, NO_FORCE));
      expect(err).toMatchObject({ code: 'UnsupportedAction', errorClass: 'final' });
    }
    expect(await admin.calls({ provider: 'alibaba' })).toHaveLength(0);
  });
});

describe('stop', () => {
  it('stops a running instance; asking again while it stops resolves alreadyDone', async () => {
    expect(await adapter.stopper!.stop(ref('i-bp1runningpaygo02'))).toMatchObject({ alreadyDone: false });
    expect(await adapter.stopper!.stop(ref('i-bp1runningpaygo02'))).toMatchObject({ alreadyDone: true });
    expect((await adapter.inspect(ref('i-bp1runningpaygo02'))).status).toBe('stopping');
  });

  it('a pending or locked instance is refused', async () => {
    expect((await providerError(adapter.stopper!.stop(ref('i-bp1pending07')))).errorClass).toBe('retryable');
    expect((await providerError(adapter.stopper!.stop(ref('i-bp1seclocked06')))).code).toBe('InstanceLockedForSecurity');
  });
});

describe('cleanup after the release', () => {
  it('deletes the disk and snapshots left behind; repeats resolve alreadyDone', async () => {
    await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE);
    await sleep(DELETE_MS + 100);
    const r = ref('i-bp1stoppedpaygo01');
    expect(await adapter.deleteDisk(r, 'd-bp1stopped01dat2')).toMatchObject({ alreadyDone: false });
    expect(await adapter.deleteDisk(r, 'd-bp1stopped01dat2')).toMatchObject({ alreadyDone: true });
    expect(await adapter.deleteSnapshot(r, 's-bp1stopped01dat2user')).toMatchObject({ alreadyDone: false });
    expect(await adapter.deleteSnapshot(r, 's-bp1stopped01dat2user')).toMatchObject({ alreadyDone: true });
  });

  it('an attached disk cannot be deleted (final)', async () => {
    const err = await providerError(adapter.deleteDisk(ref('i-bp1stoppedpaygo01'), 'd-bp1stopped01dat2'));
    expect(err).toMatchObject({ code: 'IncorrectDiskStatus', errorClass: 'final', httpStatus: 403 });
  });
});

describe('errors without and with an answer', () => {
  it('throttling is retryable', async () => {
    await admin.setThrottle('alibaba', { rps: 0.001, burst: 1 });
    await adapter.status(ref('i-bp1stoppedpaygo01'));
    expect(await providerError(adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE))).toMatchObject({
      code: 'Throttling',
      errorClass: 'retryable',
      httpStatus: 400,
    });
  });

  it('an injected 5xx is retryable', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', error: { code: 'InternalError' } });
    expect(await providerError(adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE))).toMatchObject({
      code: 'InternalError',
      errorClass: 'retryable',
      httpStatus: 500,
    });
  });

  it('a dropped response is ProviderUnreachableError, though the release was applied', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', dropResponse: true, times: 1 });
    expect(await rejection(adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE))).toBeInstanceOf(ProviderUnreachableError);
    const state = sims.sims.alibaba.snapshot() as { instances: { id: string; releasing: boolean }[] };
    expect(state.instances.find((i) => i.id === 'i-bp1stoppedpaygo01')?.releasing).toBe(true);
    expect(await admin.calls({ action: 'DeleteInstance' })).toHaveLength(1);
  });

  it('a timeout is ProviderUnreachableError', async () => {
    const slow = createAlibabaAdapter({
      endpoint: sims.endpoints.alibaba,
      credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: 'sim-alibaba-sk' },
      timeoutMs: 150,
    });
    await admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', latencyMs: 600 });
    expect(await rejection(slow.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE))).toBeInstanceOf(ProviderUnreachableError);
  });

  it('a refused connection and a body that is not Alibaba’s are ProviderUnreachableError', async () => {
    const foreign: Server = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    const port = (foreign.address() as AddressInfo).port;
    try {
      const viaProxy = createAlibabaAdapter({ endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, timeoutMs: 2000 });
      expect(await rejection(viaProxy.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE))).toBeInstanceOf(ProviderUnreachableError);
    } finally {
      await new Promise((r) => foreign.close(r));
    }
    const closed = createAlibabaAdapter({ endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, timeoutMs: 2000 });
    expect(await rejection(closed.status(ref('i-bp1stoppedpaygo01')))).toBeInstanceOf(ProviderUnreachableError);
  });

  it('a wrong secret is a clear final error that leaks neither the secret nor the signature', async () => {
    const secret = 'wrong-secret-4b1d9c';
    const wrong = createAlibabaAdapter({
      endpoint: sims.endpoints.alibaba,
      credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: secret },
      timeoutMs: 3000,
    });
    const captured: string[] = [];
    const restore = captureOutput(captured);
    let err: unknown;
    try {
      err = await rejection(wrong.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE));
    } finally {
      restore();
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'IncompleteSignature', errorClass: 'final', httpStatus: 400 });
    const serialised = JSON.stringify(err) + String(err) + (err as Error).stack + captured.join('');
    for (const needle of [secret, 'Signature=', 'Authorization']) expect(serialised).not.toContain(needle);
  });

  it('an unknown access key is final', async () => {
    const unknown = createAlibabaAdapter({ endpoint: sims.endpoints.alibaba, credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' } });
    expect(await providerError(unknown.inspect(ref('i-bp1stoppedpaygo01')))).toMatchObject({
      code: 'InvalidAccessKeyId.NotFound',
      errorClass: 'final',
      httpStatus: 404,
    });
  });
});

/** Record everything written to the console, stdout and stderr until the returned function is called. */
function captureOutput(into: string[]): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m].bind(console));
  process.stdout.write = (chunk: unknown) => (into.push(String(chunk)), true);
  process.stderr.write = (chunk: unknown) => (into.push(String(chunk)), true);
  for (const m of methods) console[m] = (...args: unknown[]) => void into.push(args.map(String).join(' '));
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
    methods.forEach((m, i) => (console[m] = saved[i]!));
  };
}

describe('observe', () => {
  it('answers present / gone per item with the raw status, in one batched read per type', async () => {
    const before = (await admin.calls()).length;
    const got = await adapter.observe(ref('i-bp1stoppedpaygo01'), [
      { type: 'resource', id: 'i-bp1stoppedpaygo01' },
      { type: 'resource', id: 'i-bp1nosuchthing' },
      { type: 'disk', id: 'd-bp1stopped01dat2' },
      { type: 'disk', id: 'd-bp1orphan01' },
      { type: 'disk', id: 'd-bp1nosuchdisk' },
      { type: 'snapshot', id: 's-bp1stopped01dat1user' },
      { type: 'snapshot', id: 's-bp1nosuchsnap' },
      { type: 'vm', id: 'vm-1' },
    ]);
    expect(got).toEqual([
      { type: 'resource', id: 'i-bp1stoppedpaygo01', state: 'present', detail: 'Stopped' },
      { type: 'resource', id: 'i-bp1nosuchthing', state: 'gone', detail: 'NotFound' },
      { type: 'disk', id: 'd-bp1stopped01dat2', state: 'present', detail: 'In_use' },
      { type: 'disk', id: 'd-bp1orphan01', state: 'present', detail: 'Available' },
      { type: 'disk', id: 'd-bp1nosuchdisk', state: 'gone', detail: 'NotFound' },
      { type: 'snapshot', id: 's-bp1stopped01dat1user', state: 'present', detail: 'accomplished' },
      { type: 'snapshot', id: 's-bp1nosuchsnap', state: 'gone', detail: 'NotFound' },
      { type: 'vm', id: 'vm-1', state: 'unknown', detail: 'ECS has no vm to read' },
    ]);
    const calls = (await admin.calls()).slice(before).map((c) => c.action);
    expect(calls).toEqual(['DescribeInstances', 'DescribeDisks', 'DescribeSnapshots']);
  });

  it('after a release: the instance and its DeleteWithInstance disks are gone, the kept disk and manual snapshot present', async () => {
    await adapter.destroy(ref('i-bp1autosnap10'), 'delete', NO_FORCE);
    await sleep(DELETE_MS + 150);
    const got = await adapter.observe(ref('i-bp1autosnap10'), [
      { type: 'resource', id: 'i-bp1autosnap10' },
      { type: 'disk', id: 'd-bp1autosnap10sys' },
      { type: 'disk', id: 'd-bp1autosnap10dat1' },
      { type: 'snapshot', id: 's-bp1autosnap10sysauto' },
      { type: 'snapshot', id: 's-bp1autosnap10dat1auto1' },
      { type: 'snapshot', id: 's-bp1autosnap10dat1user' },
    ]);
    expect(got.map((o) => [o.id, o.state])).toEqual([
      ['i-bp1autosnap10', 'gone'],
      ['d-bp1autosnap10sys', 'gone'],
      ['d-bp1autosnap10dat1', 'present'],
      ['s-bp1autosnap10sysauto', 'gone'],
      ['s-bp1autosnap10dat1auto1', 'present'],
      ['s-bp1autosnap10dat1user', 'present'],
    ]);
    // The cleanup of the kept disk takes its automatic snapshots with it (DeleteAutoSnapshot=true).
    await adapter.deleteDisk(ref('i-bp1autosnap10'), 'd-bp1autosnap10dat1');
    const after = await adapter.observe(ref('i-bp1autosnap10'), [
      { type: 'disk', id: 'd-bp1autosnap10dat1' },
      { type: 'snapshot', id: 's-bp1autosnap10dat1auto1' },
      { type: 'snapshot', id: 's-bp1autosnap10dat1auto2' },
      { type: 'snapshot', id: 's-bp1autosnap10dat1user' },
    ]);
    expect(after.map((o) => o.state)).toEqual(['gone', 'gone', 'gone', 'present']);
  });

  it('a failed read makes its items unknown, never an exception', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DescribeDisks', error: { code: 'ServiceUnavailable' } });
    const got = await adapter.observe(ref('i-bp1stoppedpaygo01'), [
      { type: 'resource', id: 'i-bp1stoppedpaygo01' },
      { type: 'disk', id: 'd-bp1stopped01dat2' },
    ]);
    expect(got[0]).toMatchObject({ state: 'present' });
    expect(got[1]).toMatchObject({ state: 'unknown', detail: expect.stringContaining('ServiceUnavailable') });
  });
});

describe('destroy with an idempotency token (DeleteInstances + ClientToken)', () => {
  it('sends DeleteInstances with the token; a repeat with the same token has no second effect and the same RequestId', async () => {
    const before = (await admin.calls()).length;
    const first = await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', { ...NO_FORCE, idempotencyToken: 'release-wf-1-attempt' });
    expect(first.alreadyDone).toBe(false);
    await sleep(DELETE_MS + 150);
    const again = await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', { ...NO_FORCE, idempotencyToken: 'release-wf-1-attempt' });
    expect(again).toEqual({ requestId: first.requestId, alreadyDone: false });
    const calls = (await admin.calls()).slice(before);
    expect(calls.map((c) => [c.action, c.target])).toEqual([
      ['DeleteInstances', 'i-bp1stoppedpaygo01'],
      ['DeleteInstances', 'i-bp1stoppedpaygo01'],
    ]);
  });

  it('keeps the Stopped-only rule and Force; without a token it is DeleteInstance as before', async () => {
    const err = await providerError(adapter.destroy(ref('i-bp1runningpaygo02'), 'delete', { ...NO_FORCE, idempotencyToken: 't-running' }));
    expect([err.code, err.errorClass]).toEqual(['IncorrectInstanceStatus', 'final']);
    await expect(adapter.destroy(ref('i-bp1runningpaygo02'), 'delete', { ...FORCE, idempotencyToken: 't-running-force' })).resolves.toMatchObject({
      alreadyDone: false,
    });
    expect(await adapter.destroy(ref('i-bp1nosuchthing'), 'delete', { ...NO_FORCE, idempotencyToken: 't-gone' })).toMatchObject({ alreadyDone: true });
    const before = (await admin.calls()).length;
    await adapter.destroy(ref('i-bp1stoppedpaygo01'), 'delete', NO_FORCE);
    expect((await admin.calls()).slice(before).map((c) => c.action)).toEqual(['DeleteInstance']);
  });
});
