import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimError } from '../core/types';
import { BAIDU_ERRORS, type BaiduErrorCode } from './errors';

/** How far in the future a signing timestamp may be (clock skew); the past is bounded by the expiration. */
export const MAX_FUTURE_SKEW_MS = 15 * 60 * 1000;

/** Headers signed when the Authorization string lists none (BCE default). */
const DEFAULT_SIGNED = ['host', 'content-length', 'content-type', 'content-md5'];

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (`req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
}

const fail = (code: BaiduErrorCode, message?: string): SimError => ({
  httpStatus: BAIDU_ERRORS[code].httpStatus,
  code,
  message: message ?? BAIDU_ERRORS[code].message,
});

/** BCE "normalized string": RFC 3986 percent-encoding of everything but unreserved characters. */
export function bceNormalize(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/gi, '/') : encoded;
}

function canonicalUri(path: string): string {
  return bceNormalize(decodeURIComponent(path), true);
}

function canonicalQuery(query: string): string {
  const items: string[] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (key.toLowerCase() === 'authorization') continue;
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    items.push(`${bceNormalize(key)}=${bceNormalize(value)}`);
  }
  return items.sort().join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, signed: string[]): string {
  const names = signed.length > 0 ? signed : [...DEFAULT_SIGNED, ...Object.keys(headers).filter((h) => h.startsWith('x-bce-'))];
  const lines: string[] = [];
  for (const name of new Set(names.map((n) => n.toLowerCase()))) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).trim();
    if (value) lines.push(`${bceNormalize(name)}:${bceNormalize(value)}`);
  }
  return lines.sort().join('\n');
}

const hmacHex = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');

/**
 * Verify `Authorization: bce-auth-v1/{ak}/{timestamp}/{expirationSeconds}/{signedHeaders}/{signature}`
 * the way BCE does: signingKey = HMAC(SK, "bce-auth-v1/{ak}/{timestamp}/{expiration}"), signature =
 * HMAC(signingKey, method \n canonicalURI \n canonicalQuery \n canonicalHeaders).
 * Order of checks: header format, access key, time window, signature.
 */
export function verifyBceAuth(req: SignedRequest, secretOf: (ak: string) => string | undefined, now: number): SimError | null {
  const header = req.headers.authorization;
  if (!header) return fail('AccessDenied', 'Access denied: the request carries no Authorization header.');
  const parts = header.trim().split('/');
  if (parts.length !== 6 || parts[0] !== 'bce-auth-v1') return fail('InvalidHTTPAuthHeader');
  const [version, ak, timestamp, expiration, signedHeaders, signature] = parts as [string, string, string, string, string, string];
  const expiresInS = Number(expiration);
  const signedAt = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (!ak || !Number.isInteger(expiresInS) || expiresInS <= 0 || Number.isNaN(signedAt) || !/^[0-9a-f]{64}$/.test(signature)) {
    return fail('InvalidHTTPAuthHeader');
  }

  const sk = secretOf(ak);
  if (sk === undefined) return fail('InvalidAccessKeyId');

  if (now > signedAt + expiresInS * 1000 || signedAt - now > MAX_FUTURE_SKEW_MS) {
    return fail('RequestExpired', `Request has expired. Timestamp date is ${timestamp}.`);
  }

  const [path = '/', query = ''] = splitUrl(req.url);
  let canonical: string;
  try {
    canonical = [
      req.method.toUpperCase(),
      canonicalUri(path),
      canonicalQuery(query),
      canonicalHeaders(req.headers, signedHeaders ? signedHeaders.split(';') : []),
    ].join('\n');
  } catch {
    return fail('InvalidURI');
  }
  const signingKey = hmacHex(sk, `${version}/${ak}/${timestamp}/${expiration}`);
  const expected = Buffer.from(hmacHex(signingKey, canonical));
  const given = Buffer.from(signature);
  return timingSafeEqual(expected, given) ? null : fail('SignatureDoesNotMatch');
}

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}
