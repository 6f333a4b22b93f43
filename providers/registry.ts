import type { Provider } from '../domain/resource';
import type { ProviderAdapter } from './adapter';
import { createAlibabaAdapter } from './alibaba';
import { createBaiduAdapter } from './baidu';
import { resolveCredentials, type ProvidersConfig } from './config';
import { createHuaweiAdapter } from './huawei';
import { metered } from './metered';
import { processRateLimits, type RateLimits } from './rate-limit';

export interface Adapters {
  adapters: Partial<Record<Provider, ProviderAdapter>>;
  /** Why a provider has no adapter (missing credentials), for the worker's start-up lines. Never a secret. */
  unconfigured: string[];
}

export interface AdapterOptions {
  /**
   * Where the providers' request limits (`rateLimit.requestsPerSecond`) live: the worker passes rateLimitsFromEnv();
   * by default in this process, shared by every worker given these adapters.
   */
  limits?: RateLimits;
}

/** One adapter per provider whose credentials resolve, metered (providers/metered.ts), each request counted against its provider's limit. */
export function createAdapters(config: ProvidersConfig, env: NodeJS.ProcessEnv = process.env, { limits = processRateLimits() }: AdapterOptions = {}): Adapters {
  const adapters: Adapters['adapters'] = {};
  const unconfigured: string[] = [];
  const limiter = (provider: Provider) => limits.limiter(provider, config[provider].rateLimit.requestsPerSecond);

  const alibaba = resolveCredentials('alibaba', config.alibaba.credentials, env);
  if ('missing' in alibaba) unconfigured.push(alibaba.missing);
  else adapters.alibaba = metered('alibaba', createAlibabaAdapter({ endpoint: config.alibaba.endpoint, credentials: alibaba, limiter: limiter('alibaba') }));

  const baidu = resolveCredentials('baidu', config.baidu.credentials, env);
  if ('missing' in baidu) unconfigured.push(baidu.missing);
  else adapters.baidu = metered('baidu', createBaiduAdapter({ endpoint: config.baidu.endpoint, credentials: baidu, limiter: limiter('baidu') }));

  const huawei = resolveCredentials('huawei', config.huawei.credentials, env);
  if ('missing' in huawei) unconfigured.push(huawei.missing);
  else if (!huawei.domainId) unconfigured.push('huawei: no domain (account) ID: the Billing Center needs it');
  else
    adapters.huawei = metered(
      'huawei',
      createHuaweiAdapter({ endpoints: config.huawei.endpoints, credentials: { ...huawei, domainId: huawei.domainId }, limiter: limiter('huawei') }),
    );

  return { adapters, unconfigured };
}
