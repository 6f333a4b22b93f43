import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResourceRef } from '../../../domain/resource';
import { ProviderError, ProviderUnreachableError } from '../../../providers/adapter';
import { createHuaweiAdapter, type HuaweiAdapterConfig } from '../../../providers/huawei';
import { useHuaweiAdapter } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const KEY = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001', domainId: '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c' };
const WRONG_SECRET = 'hwsim-WRONG-secret-that-must-never-be-printed';
const NODE = 'd0000001-0000-4000-8000-000000000001';
const PREPAID = 'd0000002-0000-4000-8000-000000000002';
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };

const ctx = useHuaweiAdapter({ timeoutMs: 3000 });
const node = (id: string): ResourceRef => ({ provider: 'huawei', kind: 'modelarts-node', region: 'cn-southwest-2', projectId: PROJECT, resourceId: id });
const config = (over: Partial<HuaweiAdapterConfig> = {}): HuaweiAdapterConfig => {
  const url = ctx.sims.endpoints.huawei;
  return { endpoints: { modelarts: url, ecs: url, dcc: url, bss: url }, credentials: KEY, timeoutMs: 3000, ...over };
};

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('the call should have failed'),
    (e: unknown) => e,
  );
}

afterEach(() => vi.restoreAllMocks());

describe('classified provider errors', () => {
  it('API gateway throttling is retryable (APIGW.0308, 429)', async () => {
    await ctx.admin.setThrottle('huawei', { rps: 0.001, burst: 1 });
    await ctx.adapter.status(node(NODE));
    const err = await failure(ctx.adapter.status(node(NODE)));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'APIGW.0308', httpStatus: 429, errorClass: 'retryable', requestId: expect.any(String) });
  });

  it('5xx from ModelArts, BSS and ECS is retryable', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteDevServer', error: { code: 'ModelArts.0001' }, times: 1 });
    expect(await failure(ctx.adapter.destroy(node(NODE), 'delete', NO_OPTIONS))).toMatchObject({
      code: 'ModelArts.0001',
      httpStatus: 500,
      errorClass: 'retryable',
    });
    await ctx.admin.injectFault({ provider: 'huawei', action: 'UnsubscribeResources', error: { code: 'CBC.0999' }, times: 1 });
    expect(await failure(ctx.adapter.destroy(node(PREPAID), 'unsubscribe', NO_OPTIONS))).toMatchObject({
      code: 'CBC.0999',
      httpStatus: 500,
      errorClass: 'retryable',
    });
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteServers', error: { code: 'Ecs.0000', httpStatus: 503 }, times: 1 });
    const host: ResourceRef = { ...node('70000002-0000-4000-8000-000000000002'), kind: 'dcc-host' };
    expect(await failure(ctx.adapter.drainer!.deleteVms(host, ['90000001-0000-4000-8000-000000000001']))).toMatchObject({
      code: 'Ecs.0000',
      httpStatus: 503,
      errorClass: 'retryable',
    });
    // A refused call did nothing: the node is still there.
    expect(await ctx.adapter.status(node(NODE))).toMatchObject({ state: 'present' });
  });

  it('destroy makes exactly one request, even when it fails', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteDevServer', error: { code: 'ModelArts.0001' } });
    await failure(ctx.adapter.destroy(node(NODE), 'delete', NO_OPTIONS));
    expect(await ctx.admin.calls({ provider: 'huawei', action: 'DeleteDevServer' })).toHaveLength(1);
  });
});

describe('no answer: ProviderUnreachableError', () => {
  it('a dropped response: the delete was applied, the adapter cannot know', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteDevServer', dropResponse: true, times: 1 });
    const err = await failure(ctx.adapter.destroy(node(NODE), 'delete', NO_OPTIONS));
    expect(err).toBeInstanceOf(ProviderUnreachableError);
    expect(await ctx.adapter.status(node(NODE))).toMatchObject({ state: 'deleting' });
  });

  it('a timeout', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'ShowDevServer', latencyMs: 600, times: 1 });
    const slow = createHuaweiAdapter(config({ timeoutMs: 150 }));
    expect(await failure(slow.status(node(NODE)))).toBeInstanceOf(ProviderUnreachableError);
  });

  it('a refused connection', async () => {
    const dead = 'http://127.0.0.1:1';
    const nowhere = createHuaweiAdapter(config({ endpoints: { modelarts: dead, ecs: dead, dcc: dead, bss: dead } }));
    expect(await failure(nowhere.inspect(node(NODE)))).toBeInstanceOf(ProviderUnreachableError);
    expect(await failure(nowhere.destroy(node(PREPAID), 'unsubscribe', NO_OPTIONS))).toBeInstanceOf(ProviderUnreachableError);
  });
});

describe('credentials', () => {
  it('a wrong secret is a clear final error, and no secret, AK or signature is printed or carried', async () => {
    const printed: string[] = [];
    const capture = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
    const wrong = createHuaweiAdapter(config({ credentials: { ...KEY, secretAccessKey: WRONG_SECRET } }));
    const errors = [
      await failure(wrong.inspect(node(NODE))),
      await failure(wrong.destroy(node(PREPAID), 'unsubscribe', NO_OPTIONS)),
      await failure(wrong.destroy(node(NODE), 'delete', NO_OPTIONS)),
      await failure(wrong.drainer!.deleteVms({ ...node('70000002-0000-4000-8000-000000000002'), kind: 'dcc-host' }, ['90000001-0000-4000-8000-000000000001'])),
    ];
    vi.restoreAllMocks();
    for (const err of errors) {
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ code: 'APIGW.0301', httpStatus: 401, errorClass: 'final' });
    }
    const everything = [
      ...printed,
      ...errors.flatMap((e) => [JSON.stringify(e), String(e), (e as Error).stack ?? '', JSON.stringify(Object.entries(e as object))]),
    ].join('\n');
    expect(everything).not.toContain(WRONG_SECRET);
    expect(everything).not.toContain(KEY.accessKeyId);
    expect(everything).not.toContain('Signature=');
    expect(everything).not.toContain('SDK-HMAC-SHA256');
  });

  it('a project the key does not own is refused', async () => {
    const err = await failure(ctx.adapter.inspect({ ...node(NODE), projectId: '9f8e7d6c5b4a40312f1e0d9c8b7a6f5e' }));
    expect(err).toMatchObject({ code: 'APIGW.0301', errorClass: 'final' });
  });

  it('does not write ~/.huaweicloud/application_id (custom user agent)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hw-home-'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const fresh = createHuaweiAdapter(config());
      await fresh.status(node(NODE));
    } finally {
      process.env.HOME = saved;
    }
    expect(existsSync(join(home, '.huaweicloud'))).toBe(false);
  });
});
