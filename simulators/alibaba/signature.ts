import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { rawBody } from '../core/sim-server';
import type { SimError } from '../core/types';
import { aliError, missing } from './errors';
import { rpcCall } from './params';
import type { AccessKey } from './state';

/** Both schemes accept a timestamp this far from the server clock, either way. */
export const TIMESTAMP_WINDOW_MS = 15 * 60_000;

/** Alibaba's percent-encoding (RFC 3986: encodeURIComponent plus !'()*). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Nonces seen within the timestamp window, per access key: a replayed request answers SignatureNonceUsed. */
export class NonceStore {
  /** Nonce → when it expires, in the order they expire (each is claimed once, at now + the window): pruned from the front. */
  private seen = new Map<string, number>();

  /** false if the nonce was already used; otherwise remember it. */
  claim(accessKeyId: string, nonce: string, now: number): boolean {
    for (const [k, exp] of this.seen) {
      if (exp > now) break;
      this.seen.delete(k);
    }
    const key = `${accessKeyId}\n${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, now + 2 * TIMESTAMP_WINDOW_MS);
    return true;
  }

  clear(): void {
    this.seen.clear();
  }
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function checkTimestamp(value: string, now: number): SimError | null {
  if (!ISO_SECONDS.test(value)) return aliError('InvalidTimeStamp.Format');
  const at = Date.parse(value);
  if (Number.isNaN(at)) return aliError('InvalidTimeStamp.Format');
  if (Math.abs(now - at) > TIMESTAMP_WINDOW_MS) return aliError('InvalidTimeStamp.Expired');
  return null;
}

function keyFor(keys: ReadonlyMap<string, AccessKey>, accessKeyId: string): AccessKey | SimError {
  const key = keys.get(accessKeyId);
  if (!key) return aliError('InvalidAccessKeyId.NotFound');
  if (key.disabled) return aliError('InvalidAccessKeyId.Inactive');
  return key;
}

const isError = (x: AccessKey | SimError): x is SimError => 'code' in x;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * ACS3-HMAC-SHA256, what the current SDKs send:
 *   Authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=h1;h2,Signature=hex
 * over METHOD \n URI \n sorted query \n signed headers \n header list \n hex sha256(body).
 * Host and every x-acs-* header must be signed, so the action, version, date and nonce are covered.
 */
export function verifyAcs3(req: FastifyRequest, keys: ReadonlyMap<string, AccessKey>, nonces: NonceStore, now: number): SimError | null {
  const auth = header(req, 'authorization') ?? '';
  const space = auth.indexOf(' ');
  const algorithm = space < 0 ? auth : auth.slice(0, space);
  if (algorithm !== 'ACS3-HMAC-SHA256') return aliError('InvalidSignatureMethod');
  const fields = new Map<string, string>();
  for (const part of auth.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders')?.split(';').filter(Boolean);
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return aliError('IncompleteSignature');

  const key = keyFor(keys, accessKeyId);
  if (isError(key)) return key;

  const date = header(req, 'x-acs-date');
  if (!date) return missing('Timestamp');
  const stale = checkTimestamp(date, now);
  if (stale) return stale;
  const nonce = header(req, 'x-acs-signature-nonce');
  if (!nonce) return missing('SignatureNonce');

  const mustSign = Object.keys(req.headers).filter((h) => h.startsWith('x-acs-') || h === 'host');
  const unsigned = mustSign.filter((h) => !signedHeaders.includes(h));
  if (unsigned.length > 0)
    return aliError('IncompleteSignature', `The request signature does not conform to Aliyun standards. Unsigned headers: ${unsigned.join(', ')}.`);

  const { query: queryParams } = rpcCall(req);
  const query = [...queryParams.keys()]
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(queryParams.get(k)!)}`)
    .join('&');
  const path = (req.url.split('?')[0] ?? '/') || '/';
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map((h) => `${h}:${(header(req, h) ?? '').trim()}\n`)
    .join('');
  const payloadHash = createHash('sha256').update(rawBody(req)).digest('hex');
  const canonicalRequest = [req.method, path, query, canonicalHeaders, [...signedHeaders].sort().join(';'), payloadHash].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', key.accessKeySecret).update(stringToSign).digest('hex');
  if (!sameText(expected, signature.toLowerCase())) {
    return aliError('IncompleteSignature', `The request signature does not conform to Aliyun standards. server string to sign is:${stringToSign}`);
  }
  if (!nonces.claim(accessKeyId, nonce, now)) return aliError('SignatureNonceUsed');
  return null;
}

/**
 * The older RPC scheme (classic SDKs, CLIs): every parameter in the query (or form body), and
 * Signature = base64(HMAC-SHA1(secret + "&", METHOD + "&%2F&" + encode(sorted, encoded params))).
 */
export function verifyRpcSha1(req: FastifyRequest, keys: ReadonlyMap<string, AccessKey>, nonces: NonceStore, now: number): SimError | null {
  const { params } = rpcCall(req);
  for (const name of ['AccessKeyId', 'SignatureMethod', 'Timestamp', 'SignatureNonce']) {
    if (!params.get(name)) return missing(name);
  }
  if (params.get('SignatureMethod') !== 'HMAC-SHA1') return aliError('InvalidSignatureMethod');
  const version = params.get('SignatureVersion');
  if (version !== undefined && version !== '1.0') return aliError('InvalidSignatureVersion');

  const accessKeyId = params.get('AccessKeyId')!;
  const key = keyFor(keys, accessKeyId);
  if (isError(key)) return key;
  const stale = checkTimestamp(params.get('Timestamp')!, now);
  if (stale) return stale;

  const canonical = [...params.keys()]
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params.get(k)!)}`)
    .join('&');
  const stringToSign = `${req.method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${key.accessKeySecret}&`).update(stringToSign).digest('base64');
  if (!sameText(expected, params.get('Signature')!)) {
    return aliError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
  }
  if (!nonces.claim(accessKeyId, params.get('SignatureNonce')!, now)) return aliError('SignatureNonceUsed');
  return null;
}
