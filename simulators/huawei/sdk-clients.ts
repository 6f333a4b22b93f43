import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { EcsClient } from '@huaweicloud/huaweicloud-sdk-ecs';
import { configure as configureLog4js } from 'log4js';

/**
 * Official-SDK clients pointed at the Huawei simulator, for tests and scripts.
 *
 * The SDK configures log4js when it is loaded and logs every failed request to stdout with its
 * Authorization header; loading this module turns that logging off again. Clients are always built
 * with `withEndpoint` (never `withRegion`, which would call IAM on the internet).
 */
configureLog4js({ appenders: { none: { type: 'stdout' } }, categories: { default: { appenders: ['none'], level: 'off' } } });

export interface HuaweiCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A project-scoped client (ModelArts, ECS, DeH, EVS calls): signs with X-Project-Id. */
export function projectClient(endpoint: string, cred: HuaweiCredentials, projectId: string): HcClient {
  const credentials = new BasicCredentials().withAk(cred.accessKeyId).withSk(cred.secretAccessKey).withProjectId(projectId);
  return new ClientBuilder((c) => c).withCredential(credentials).withEndpoint(endpoint).build();
}

/** A global client (Billing Center): signs with X-Domain-Id. */
export function globalClient(endpoint: string, cred: HuaweiCredentials, domainId: string): HcClient {
  const credentials = new GlobalCredentials().withAk(cred.accessKeyId).withSk(cred.secretAccessKey).withDomainId(domainId);
  return new ClientBuilder((c) => c, 'GlobalCredentials').withCredential(credentials).withEndpoint(endpoint).build();
}

export function ecsClient(endpoint: string, cred: HuaweiCredentials, projectId: string): EcsClient {
  const credentials = new BasicCredentials().withAk(cred.accessKeyId).withSk(cred.secretAccessKey).withProjectId(projectId);
  return EcsClient.newBuilder().withCredential(credentials).withEndpoint(endpoint).build();
}

export interface HuaweiCallError {
  httpStatusCode?: number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

export type HuaweiCallResult<T> = { ok: true; value: T } | { ok: false; error: HuaweiCallError };

/** Run an SDK call and keep its error (the SDK's ClientRequestException fields) instead of throwing. */
export async function attempt<T>(call: Promise<T>): Promise<HuaweiCallResult<T>> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    const e = err as HuaweiCallError;
    return { ok: false, error: { httpStatusCode: e.httpStatusCode, errorCode: e.errorCode, errorMsg: e.errorMsg, requestId: e.requestId } };
  }
}

/** `HcClient.sendRequest` with the options every call spells out the same way. */
export function send<T = Record<string, unknown>>(
  client: HcClient,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  pathParams: Record<string, string> = {},
  data?: unknown,
  queryParams: Record<string, string> = {},
): Promise<T> {
  return client.sendRequest({ method, url, pathParams, queryParams, headers: {}, contentType: 'application/json', data } as never) as Promise<T>;
}
