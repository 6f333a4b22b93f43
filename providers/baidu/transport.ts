import type { ClientRequest } from 'node:http';
import type { RequestOptions } from 'node:https';
import { createRequire } from 'node:module';
import { ProviderError, ProviderUnreachableError } from '../adapter';
import type { RequestLimiter } from '../rate-limit';
import { admit } from '../send-fence';
import { classifyBaiduError } from './classify';

/**
 * The official SDK's signer and HTTP client, used per request without the SDK's error wrapper.
 *
 * `BceBaseClient.sendHTTPRequest` is bypassed on purpose: on any error answer it writes a clock
 * offset onto the prototype shared by every Baidu client in the process, and on a 403
 * RequestTimeTooSkewed it silently sends the request a second time — a destructive call must go
 * out exactly once. We call the SDK's own `HttpClient.sendRequest` with the client's
 * `createSignature` (same bce-auth-v1 signing), with the client's clock offset pinned to 0.
 *
 * The SDK also sets `rejectUnauthorized = false` on every https request; we switch certificate
 * verification back on for each request before it is sent.
 */

interface SdkOk {
  http_headers: Record<string, string>;
  body: unknown;
}
interface SdkFailure {
  status_code: number;
  message?: unknown;
  code?: string;
  request_id?: string;
}
interface SdkHttpClient {
  _req?: ClientRequest;
  _doRequest(options: RequestOptions, body: unknown, outputStream: unknown): PromiseLike<SdkOk>;
  sendRequest(
    method: string,
    path: string,
    body: string | null,
    headers: Record<string, string>,
    params: Record<string, string>,
    sign: unknown,
  ): PromiseLike<SdkOk>;
}
interface SdkBccClient {
  config: Record<string, unknown>;
  timeOffset: number;
  createSignature(...args: unknown[]): unknown;
}
interface SdkModule {
  BccClient: new (config: { endpoint: string; credentials: { ak: string; sk: string } }) => SdkBccClient;
  HttpClient: new (config: Record<string, unknown>) => SdkHttpClient;
}
// The package ships no declared typings: type the few members we use.
const load = createRequire(__filename);
const bce = load('@baiducloud/sdk') as SdkModule;

/** `DEBUG=bce-sdk:*` would print the derived signing key and the Authorization header: never let it. */
function silenceSdkDebugOutput(): void {
  const debug = createRequire(load.resolve('@baiducloud/sdk'))('debug') as { enable(ns: string): void; load(): string | undefined };
  const current = debug.load() ?? '';
  if (!current.split(/[\s,]+/).includes('-bce-sdk:*')) debug.enable([current, '-bce-sdk:*'].filter(Boolean).join(','));
}
silenceSdkDebugOutput();

export interface BaiduRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params?: Record<string, string>;
  body?: unknown;
}

export interface BaiduAnswer {
  body: Record<string, unknown>;
  requestId?: string;
}

export interface BaiduTransportConfig {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  timeoutMs: number;
  /** The provider's request limit, shared by the transports of every region. */
  limiter: RequestLimiter;
}

export class BaiduTransport {
  private readonly client: SdkBccClient;

  constructor(private readonly cfg: BaiduTransportConfig) {
    this.client = new bce.BccClient({ endpoint: cfg.endpoint, credentials: { ak: cfg.accessKeyId, sk: cfg.secretAccessKey } });
    // An own property shadows whatever offset another Baidu client put on the shared prototype.
    this.client.timeOffset = 0;
  }

  /** One HTTP request, signed by the SDK, once the request limit lets it go. Throws ProviderError for a BCE error answer, ProviderUnreachableError for no answer. */
  async send(req: BaiduRequest): Promise<BaiduAnswer> {
    // Before the request's deadline starts: waiting for a slot (and the send fence) is not the provider's slowness. A refusal is not sent.
    await admit(this.cfg.limiter);
    const http = new bce.HttpClient(this.client.config);
    let inFlight: ClientRequest | undefined;
    // The SDK's own method, called with the SDK's `this` below: unbound on purpose.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const doRequest = http._doRequest;
    http._doRequest = function (options, body, outputStream) {
      options.rejectUnauthorized = true;
      const sent = doRequest.call(this, options, body, outputStream);
      inFlight = this._req;
      return sent;
    };

    const headers: Record<string, string> = req.body === undefined ? {} : { 'Content-Type': 'application/json' };
    const sending = Promise.resolve(
      http.sendRequest(
        req.method,
        req.path,
        req.body === undefined ? null : JSON.stringify(req.body),
        headers,
        req.params ?? {},
        this.client.createSignature.bind(this.client),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        inFlight?.destroy();
        reject(new ProviderUnreachableError('baidu', `${req.method} ${req.path}: no answer within ${this.cfg.timeoutMs} ms`));
      }, this.cfg.timeoutMs);
    });
    try {
      const ok = await Promise.race([sending, deadline]);
      if (!ok.body || typeof ok.body !== 'object' || Buffer.isBuffer(ok.body)) {
        throw new ProviderUnreachableError('baidu', `${req.method} ${req.path}: the answer is not a BCE JSON body`);
      }
      return { body: ok.body as Record<string, unknown>, requestId: ok.http_headers['x-bce-request-id'] };
    } catch (err) {
      throw toProviderError(err, req);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The SDK rejects with a plain object for an HTTP error answer and with an Error for a transport failure. */
function toProviderError(err: unknown, req: BaiduRequest): Error {
  if (err instanceof ProviderUnreachableError || err instanceof ProviderError) return err;
  if (err instanceof Error) return new ProviderUnreachableError('baidu', `${req.method} ${req.path}: ${err.message}`);
  const f = err as Partial<SdkFailure> | null;
  if (f && typeof f.status_code === 'number' && typeof f.code === 'string' && f.code) {
    const message = typeof f.message === 'string' ? f.message : f.code;
    return new ProviderError('baidu', f.code, message, classifyBaiduError(f.code, f.status_code), f.status_code, f.request_id);
  }
  const status = f && typeof f.status_code === 'number' ? `HTTP ${f.status_code}` : 'an unexpected answer';
  return new ProviderUnreachableError('baidu', `${req.method} ${req.path}: ${status} without a BCE error body`);
}
