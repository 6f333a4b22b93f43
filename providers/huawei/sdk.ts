// The logger must be silenced before any SDK module can log: keep this import first.
import { sdkLoggerSilenced } from './sdk-logger';
import { BasicCredentials, GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import type { EcsClient } from '@huaweicloud/huaweicloud-sdk-ecs';
import { ProviderError, ProviderUnreachableError } from '../adapter';
import { classifyHuaweiError } from './errors';
import { $HuaweiEcs } from './ecs-sdk';

export const PROVIDER = 'huawei';

export interface HuaweiCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  domainId: string;
}

/** A successful answer: the parsed JSON body and the `X-Request-Id` it came with. */
export interface Answer<T> {
  body: T;
  requestId?: string;
}

// The request ID travels on the parsed body under a symbol: invisible to JSON and to the SDK's models.
const REQUEST_ID = Symbol('huawei.requestId');

interface HeaderBag {
  get?: (name: string) => unknown;
  [name: string]: unknown;
}

/**
 * Replaces axios's default response transform (which only parses JSON): also tags the body with
 * the `X-Request-Id` header. The ECS SDK drops response headers on success, so this is the only
 * way to learn the request ID of an accepted `deleteServers`.
 */
function parseAndTagRequestId(data: unknown, headers: unknown): unknown {
  let body = data;
  if (typeof data === 'string' && data.length > 0) {
    try {
      body = JSON.parse(data);
    } catch {
      return data; // not JSON: left for the caller to reject as a non-Huawei answer
    }
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const bag = headers as HeaderBag | undefined;
    const id = typeof bag?.get === 'function' ? bag.get('x-request-id') : bag?.['x-request-id'];
    if (typeof id === 'string') Object.defineProperty(body, REQUEST_ID, { value: id, enumerable: false });
  }
  return body;
}

/**
 * Builds and caches the SDK clients: one per (service endpoint, project), one per BSS endpoint.
 * Every client: `withEndpoint` only (never `withRegion`, which makes the SDK call IAM on the
 * internet), a single endpoint (the SDK retries only on a second, backup endpoint, so there is no
 * internal retry), a per-request timeout, and a custom user agent (without one, the SDK writes
 * ~/.huaweicloud/application_id and sends it in every User-Agent).
 */
export class HuaweiClients {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly credentials: HuaweiCredentials,
    private readonly timeoutMs: number,
  ) {
    if (!sdkLoggerSilenced()) throw new Error('huawei adapter: the SDK logger is not silenced');
  }

  /** A signed client for a project-scoped API (ModelArts, DeH, EVS): sends X-Project-Id. */
  project(endpoint: string, projectId: string): HcClient {
    return this.cached(`project|${endpoint}|${projectId}`, () =>
      this.options(new ClientBuilder((c: HcClient) => c, 'BasicCredentials'))
        .withCredential(this.basic(projectId))
        .withEndpoint(endpoint)
        .build(),
    );
  }

  /** A signed client for the global Billing Center: GlobalCredentials, sends X-Domain-Id. */
  global(endpoint: string): HcClient {
    return this.cached(`global|${endpoint}`, () =>
      this.options(new ClientBuilder((c: HcClient) => c, 'GlobalCredentials'))
        .withCredential(
          new GlobalCredentials().withAk(this.credentials.accessKeyId).withSk(this.credentials.secretAccessKey).withDomainId(this.credentials.domainId),
        )
        .withEndpoint(endpoint)
        .build(),
    );
  }

  /** The official ECS client for one project. */
  ecs(endpoint: string, projectId: string): EcsClient {
    return this.cached(`ecs|${endpoint}|${projectId}`, () =>
      this.options($HuaweiEcs.EcsClient.newBuilder()).withCredential(this.basic(projectId)).withEndpoint(endpoint).build(),
    );
  }

  private basic(projectId: string): BasicCredentials {
    return new BasicCredentials().withAk(this.credentials.accessKeyId).withSk(this.credentials.secretAccessKey).withProjectId(projectId);
  }

  private options<T>(builder: ClientBuilder<T>): ClientBuilder<T> {
    return builder.withOptions({
      customUserAgent: 'cloud-release',
      axiosRequestConfig: { timeout: this.timeoutMs, transformResponse: [parseAndTagRequestId] },
    });
  }

  private cached<T>(key: string, build: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (client === undefined) {
      client = build();
      this.cache.set(key, client);
    }
    return client;
  }
}

/** Encode one resource ID for a path: the SDK substitutes path parameters verbatim. */
export const pathId = (id: string): string => encodeURIComponent(id);

/** Remove anything that could identify or reproduce a signature from a provider's message. */
export function redact(text: string, credentials: HuaweiCredentials): string {
  let out = text
    .replace(/Signature=[^,\s"']*/gi, 'Signature=[redacted]')
    .replace(/Access=[^,\s"']*/gi, 'Access=[redacted]')
    .replace(/Credential=[^,\s"']*/gi, 'Credential=[redacted]');
  for (const secret of [credentials.secretAccessKey, credentials.accessKeyId]) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  return out;
}

interface SdkException {
  httpStatusCode?: number;
  errorCode?: string;
  errorMsg?: string;
  requestId?: string;
}

const isSdkException = (err: unknown): err is SdkException => err instanceof Error && ('httpStatusCode' in err || 'errorCode' in err || 'errorMsg' in err);

/**
 * Runs one SDK call and turns what happened into the adapter's vocabulary:
 * - an error answer with a Huawei error code -> ProviderError, classified; with `businessErrorIn200`
 *   (BSS, which may answer business errors with HTTP 200), so is a 2xx whose body carries a
 *   non-success `error_code` (not for ECS: a finished job's body carries its own `error_code`);
 * - no answer (refused, reset, timeout, dropped) or an answer that is not Huawei's (no error code,
 *   not JSON) -> ProviderUnreachableError: the call may or may not have been applied.
 */
export async function huaweiCall<T>(
  what: string,
  credentials: HuaweiCredentials,
  send: () => Promise<unknown>,
  businessErrorIn200 = false,
): Promise<Answer<T>> {
  let raw: unknown;
  try {
    raw = await send();
  } catch (err) {
    throw toAdapterError(what, credentials, err);
  }
  if (raw === null || typeof raw !== 'object') throw new ProviderUnreachableError(PROVIDER, `${what}: the answer is not JSON`);
  const body = raw as Record<string | symbol, unknown>;
  const requestId = typeof body[REQUEST_ID] === 'string' ? body[REQUEST_ID] : undefined;
  const code = body.error_code;
  if (businessErrorIn200 && typeof code === 'string' && code !== '' && code !== 'CBC.0000') {
    const status = typeof body.httpStatusCode === 'number' ? body.httpStatusCode : 200;
    const msg = typeof body.error_msg === 'string' ? body.error_msg : 'error';
    throw providerError(what, credentials, code, msg, status, requestId);
  }
  return { body: raw as T, requestId };
}

function toAdapterError(what: string, credentials: HuaweiCredentials, err: unknown): Error {
  if (!isSdkException(err)) {
    // Raised before anything was sent (building or signing the request): no answer, nothing applied.
    const message = err instanceof Error ? err.message : String(err);
    return new Error(`huawei ${what}: request not sent: ${redact(message, credentials)}`);
  }
  const message = redact(err.errorMsg ?? 'no message', credentials);
  if (!err.httpStatusCode) return new ProviderUnreachableError(PROVIDER, `${what}: ${message}`);
  if (!err.errorCode) {
    return new ProviderUnreachableError(PROVIDER, `${what}: HTTP ${err.httpStatusCode} without a Huawei error body`);
  }
  return providerError(what, credentials, err.errorCode, err.errorMsg ?? '', err.httpStatusCode, err.requestId);
}

function providerError(
  what: string,
  credentials: HuaweiCredentials,
  code: string,
  message: string,
  httpStatus: number,
  requestId: string | undefined,
): ProviderError {
  const { errorClass } = classifyHuaweiError(code, httpStatus);
  return new ProviderError(PROVIDER, code, `${what}: ${redact(message, credentials)}`, errorClass, httpStatus, requestId);
}

/** The answer is JSON but not the shape this API returns: treated as no answer from Huawei. */
export function notHuawei(what: string, detail: string): ProviderUnreachableError {
  return new ProviderUnreachableError(PROVIDER, `${what}: unexpected answer (${detail})`);
}
