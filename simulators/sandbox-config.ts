// The provider configuration that points the product at the simulators: the same config file and
// credentials-by-environment-variable path a real deployment uses, with the simulators' sim-only keys.
import type { SimProviderName } from './core/types';
import { defaultFixture, type Fixture } from './runtime';

interface SimKey {
  accessKeyId: string;
  accessKeySecret?: string;
  secretAccessKey?: string;
  domainId?: string;
  disabled?: boolean;
}

/** The first enabled access key of a provider's fixture section. */
export function simKey(fixture: Fixture, provider: SimProviderName): { accessKeyId: string; secretAccessKey: string; domainId?: string } {
  const keys = ((fixture[provider] as { accessKeys?: SimKey[] } | undefined)?.accessKeys ?? []).filter((k) => !k.disabled);
  const k = keys[0];
  if (!k) throw new Error(`the ${provider} fixture has no access key`);
  return { accessKeyId: k.accessKeyId, secretAccessKey: (k.secretAccessKey ?? k.accessKeySecret)!, domainId: k.domainId };
}

/**
 * Far above what the simulators are ever driven at: the sandbox, the tests and the bench measure the product, not a
 * limit (that has tests of its own: test/unit/providers/rate-limit.test.ts), yet every request still takes its token.
 */
export const SANDBOX_REQUESTS_PER_SECOND = 10_000;

export function sandboxProviderConfig(endpoints: Record<SimProviderName, string>, fixture: Fixture = defaultFixture()) {
  const ali = simKey(fixture, 'alibaba');
  const bd = simKey(fixture, 'baidu');
  const hw = simKey(fixture, 'huawei');
  const rateLimit = { requestsPerSecond: SANDBOX_REQUESTS_PER_SECOND };
  const config = {
    providers: {
      alibaba: { endpoint: endpoints.alibaba, credentials: { accessKeyIdEnv: 'SIM_ALIBABA_AK', secretEnv: 'SIM_ALIBABA_SK' }, rateLimit },
      baidu: { endpoint: endpoints.baidu, credentials: { accessKeyIdEnv: 'SIM_BAIDU_AK', secretEnv: 'SIM_BAIDU_SK' }, rateLimit },
      huawei: {
        endpoints: { modelarts: endpoints.huawei, ecs: endpoints.huawei, dcc: endpoints.huawei, bss: endpoints.huawei },
        credentials: { accessKeyIdEnv: 'SIM_HUAWEI_AK', secretEnv: 'SIM_HUAWEI_SK', domainIdEnv: 'SIM_HUAWEI_DOMAIN_ID' },
        rateLimit,
      },
    },
  };
  const env: Record<string, string> = {
    SIM_ALIBABA_AK: ali.accessKeyId,
    SIM_ALIBABA_SK: ali.secretAccessKey,
    SIM_BAIDU_AK: bd.accessKeyId,
    SIM_BAIDU_SK: bd.secretAccessKey,
    SIM_HUAWEI_AK: hw.accessKeyId,
    SIM_HUAWEI_SK: hw.secretAccessKey,
    SIM_HUAWEI_DOMAIN_ID: hw.domainId ?? '',
  };
  return { config, env };
}
