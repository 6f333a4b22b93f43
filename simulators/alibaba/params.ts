import type { FastifyRequest } from 'fastify';
import { rawBody } from '../core/sim-server';
import { aliFail, failMissing, invalidParameter, type AlibabaErrorCode } from './errors';

/**
 * An RPC call's parameters: the query string, plus a form body for the tools that send them there.
 * Both signature schemes cover exactly these, so they are parsed once per request.
 */
export interface RpcCall {
  /** Query and form body together: what the handlers read and the HMAC-SHA1 signature covers. */
  params: Map<string, string>;
  /** The query string alone: what the ACS3 canonical request covers (the body is covered by its hash). */
  query: Map<string, string>;
  /** ACS3-HMAC-SHA256 (Authorization header), the older HMAC-SHA1 `Signature` parameter, or unsigned. */
  scheme: 'acs3' | 'rpc' | 'none';
  action: string;
}

const parsed = new WeakMap<FastifyRequest, RpcCall>();

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function rpcCall(req: FastifyRequest): RpcCall {
  const cached = parsed.get(req);
  if (cached) return cached;
  const query = new Map<string, string>();
  const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  for (const [k, v] of new URLSearchParams(search)) if (!query.has(k)) query.set(k, v);
  const params = new Map(query);
  if ((header(req, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(rawBody(req).toString('utf8'))) if (!params.has(k)) params.set(k, v);
  }
  const authorization = header(req, 'authorization') ?? '';
  const scheme: RpcCall['scheme'] = authorization.startsWith('ACS3-') ? 'acs3' : params.has('Signature') ? 'rpc' : 'none';
  // ACS3 names the action in a signed header; the HMAC-SHA1 scheme in the signed Action parameter.
  const action = (scheme === 'acs3' ? header(req, 'x-acs-action') : params.get('Action')) ?? params.get('Action') ?? header(req, 'x-acs-action') ?? '';
  const call: RpcCall = { params, query, scheme, action };
  parsed.set(req, call);
  return call;
}

export function rpcVersion(req: FastifyRequest): string | undefined {
  const call = rpcCall(req);
  return (call.scheme === 'acs3' ? header(req, 'x-acs-version') : undefined) ?? call.params.get('Version') ?? header(req, 'x-acs-version');
}

/** Typed readers over the parameters; a malformed value answers InvalidParameter like ECS does. */
export class Params {
  constructor(private readonly p: Map<string, string>) {}

  str(name: string): string | undefined {
    return this.p.get(name);
  }

  required(name: string): string {
    const v = this.p.get(name);
    if (v === undefined) failMissing(name);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.p.get(name);
    if (v === undefined || v === '') return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    return invalidParameter(name);
  }

  int(name: string, min: number, max: number, fallback: number): number {
    const v = this.p.get(name);
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) invalidParameter(name);
    return n;
  }

  /** A JSON array of IDs such as InstanceIds='["i-1","i-2"]' (at most 100). */
  jsonIds(name: string, malformed: AlibabaErrorCode): string[] | undefined {
    const v = this.p.get(name);
    if (v === undefined || v === '') return undefined;
    let ids: unknown;
    try {
      ids = JSON.parse(v);
    } catch {
      return aliFail(malformed);
    }
    if (!Array.isArray(ids) || ids.length > 100 || !ids.every((id) => typeof id === 'string')) aliFail(malformed);
    return ids;
  }

  /** A repeat list such as DiskIds.1=d-1&DiskIds.2=d-2. */
  repeatList(name: string): string[] {
    const out: string[] = [];
    for (let n = 1; this.p.has(`${name}.${n}`); n++) out.push(this.p.get(`${name}.${n}`)!);
    return out;
  }

  /** Tag.N.Key / Tag.N.Value filters. */
  tags(): { key: string; value?: string }[] {
    const out: { key: string; value?: string }[] = [];
    for (let n = 1; this.p.has(`Tag.${n}.Key`); n++) out.push({ key: this.p.get(`Tag.${n}.Key`)!, value: this.p.get(`Tag.${n}.Value`) });
    return out;
  }
}

export function paramsOf(req: FastifyRequest): Params {
  return new Params(rpcCall(req).params);
}
