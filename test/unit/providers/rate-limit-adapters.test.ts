// The request limit where each adapter sends its requests (providers/rate-limit.ts): against the simulators, every
// HTTP request takes one token (an inspection as many as it sends), createAdapters gives each provider the configured
// rate, and a refused token is a retryable ProviderError with nothing sent, also for a destructive call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toFailure } from '../../../activities/failures';
import { ActivityFailureType } from '../../../common/failure-types';
import type { ResourceRef } from '../../../domain/resource';
import { ProviderError, type ProviderAdapter } from '../../../providers/adapter';
import { createAlibabaAdapter } from '../../../providers/alibaba';
import { createBaiduAdapter } from '../../../providers/baidu';
import { parseConfig } from '../../../providers/config';
import { createHuaweiAdapter } from '../../../providers/huawei';
import type { RateLimits, RequestLimiter } from '../../../providers/rate-limit';
import { createAdapters } from '../../../providers/registry';
import { sandboxProviderConfig } from '../../../simulators/sandbox-config';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const REFS: Record<'alibaba' | 'baidu' | 'huawei', ResourceRef> = {
  alibaba: { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-bp1stoppedpaygo01' },
  baidu: { provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: 'i-post0001' },
  huawei: {
    provider: 'huawei',
    kind: 'modelarts-node',
    region: 'cn-southwest-2',
    projectId: '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e',
    resourceId: 'd0000001-0000-4000-8000-000000000001',
  },
};
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };

/** Counts its tokens. */
const counting = () => {
  const l = { takes: 0, take: () => (l.takes++, Promise.resolve()) };
  return l;
};

let sims: RunningSimulators;

function adapters(limiter: RequestLimiter): Record<keyof typeof REFS, ProviderAdapter> {
  const url = sims.endpoints.huawei;
  return {
    alibaba: createAlibabaAdapter({
      endpoint: sims.endpoints.alibaba,
      credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: 'sim-alibaba-sk' },
      limiter,
    }),
    baidu: createBaiduAdapter({
      endpoint: sims.endpoints.baidu,
      credentials: { accessKeyId: 'sim-baidu-ak-0001', secretAccessKey: 'sim-baidu-sk-0001-not-a-real-secret' },
      limiter,
    }),
    huawei: createHuaweiAdapter({
      endpoints: { modelarts: url, ecs: url, dcc: url, bss: url },
      credentials: {
        accessKeyId: 'HWSIMAKDEFAULT000001',
        secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001',
        domainId: '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c',
      },
      limiter,
    }),
  };
}

beforeAll(async () => {
  sims = await startSimulators();
});
afterAll(() => sims.close());
beforeEach(() => sims.reset());

describe('every request takes a token', () => {
  it('an Alibaba inspection is three requests (DescribeInstances, DescribeDisks, DescribeSnapshots), three tokens', async () => {
    const limiter = counting();
    await adapters(limiter).alibaba.inspect(REFS.alibaba);
    expect(sims.ctx.calls.list({ provider: 'alibaba' }).map((c) => c.action)).toEqual(['DescribeInstances', 'DescribeDisks', 'DescribeSnapshots']);
    expect(limiter.takes).toBe(3);
  });

  it.each(['alibaba', 'baidu', 'huawei'] as const)('%s: as many tokens as requests, for reads, polls and a destructive call alike', async (provider) => {
    const limiter = counting();
    const adapter = adapters(limiter)[provider];
    const ref = REFS[provider];
    await adapter.inspect(ref);
    await adapter.status(ref);
    await adapter.destroy(ref, 'delete', provider === 'alibaba' ? { ...NO_OPTIONS, force: true } : NO_OPTIONS);
    await adapter.inventory({ region: ref.region, projectId: ref.projectId });
    const sent = sims.ctx.calls.list({ provider }).length;
    expect(sent).toBeGreaterThan(3);
    expect(limiter.takes).toBe(sent);
  });
});

describe('a refused token', () => {
  const refusal = new ProviderError('alibaba', 'RateLimit.Unavailable', 'request not sent: test', 'retryable');
  const refusing: RequestLimiter = { take: () => Promise.reject(refusal) };

  it.each(['alibaba', 'baidu', 'huawei'] as const)(
    '%s: the destructive call fails with it as it is, retryable and "try later", nothing sent',
    async (provider) => {
      const adapter = adapters(refusing)[provider];
      const err = await adapter.destroy(REFS[provider], 'delete', NO_OPTIONS).catch((e: unknown) => e);
      expect(err).toBe(refusal);
      expect(sims.ctx.calls.list({ provider })).toEqual([]);
      // What the workflow sees: a definite "not now" (retried by it), never "maybe applied".
      expect(toFailure(err, { destructive: true })).toMatchObject({ type: ActivityFailureType.transient });
    },
  );
});

describe('createAdapters', () => {
  it('gives each provider a limiter at its configured rate, and every request of the metered adapter goes through it', async () => {
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    config.providers.alibaba.rateLimit = { requestsPerSecond: 7 };
    const asked: string[] = [];
    const limiter = counting();
    const limits: RateLimits = {
      description: 'test',
      limiter: (provider, rps) => (asked.push(`${provider} ${rps}`), limiter),
      close: () => Promise.resolve(),
    };
    const { adapters: made } = createAdapters(parseConfig(config, 'test'), env, { limits });
    expect(asked.sort()).toEqual(['alibaba 7', 'baidu 10000', 'huawei 10000']);
    await made.alibaba!.inspect(REFS.alibaba);
    expect(limiter.takes).toBe(3);
  });

  it('by default limits in the process at the configured rate: an Alibaba inspection at 20/s takes at least 2 × 50 ms', async () => {
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    config.providers.alibaba.rateLimit = { requestsPerSecond: 20 };
    const { adapters: made } = createAdapters(parseConfig(config, 'test'), env);
    const started = performance.now();
    await made.alibaba!.inspect(REFS.alibaba);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});
