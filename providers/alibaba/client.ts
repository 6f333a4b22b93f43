import type Ecs from '@alicloud/ecs20140526';
import { $Ecs, $OpenApi } from './sdk';

export interface EcsClientOptions {
  /** Endpoint URL with an optional `{region}` placeholder, e.g. https://ecs.{region}.aliyuncs.com or http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  timeoutMs: number;
}

/**
 * An official ECS SDK client for one region. The SDK wants `host[:port]` without a scheme (a scheme
 * ends up doubled) and speaks https unless told `protocol: 'http'`, so both come from the parsed URL.
 * No `retryOptions`: the SDK then makes exactly one attempt per call.
 */
export function createEcsClient(o: EcsClientOptions): Ecs {
  const url = new URL(o.endpoint.replaceAll('{region}', o.region));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`alibaba endpoint must be http(s): ${url.protocol}`);
  return new $Ecs.default(
    new $OpenApi.Config({
      accessKeyId: o.accessKeyId,
      accessKeySecret: o.accessKeySecret,
      endpoint: url.host,
      protocol: url.protocol.slice(0, -1),
      regionId: o.region,
      connectTimeout: o.timeoutMs,
      readTimeout: o.timeoutMs,
    }),
  );
}
