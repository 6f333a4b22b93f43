import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verification of Huawei's SDK-HMAC-SHA256 request signature (the scheme of the official SDKs and of
 * APIG's signing guide):
 *
 *   canonical = METHOD \n URI(each segment encoded, ends with "/") \n sorted query \n
 *               "name:value\n" for each signed header \n signed header names \n hex sha256(body)
 *   stringToSign = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex sha256(canonical)
 *   Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex hmac(SK, stringToSign)
 */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** APIG rejects a signature whose X-Sdk-Date is more than 15 minutes from the server clock. */
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface ParsedAuthorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  if (!header?.startsWith(`${SIGNING_ALGORITHM} `)) return null;
  const fields = new Map<string, string>();
  for (const part of header.slice(SIGNING_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return null;
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20240101T120000Z` → epoch ms, or null when malformed. */
export function parseSdkDate(value: string | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? null : ms;
}

export function formatSdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The SDK's encoding: RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
export function sdkUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Canonical URIs to accept. The Node SDK encodes each segment of the path exactly as sent; the Go SDK
 * encodes each segment of the decoded path. They only differ for paths holding percent-escapes, so both
 * readings are accepted.
 */
export function canonicalUris(rawPath: string): string[] {
  const withSlash = (p: string) => (p.endsWith('/') ? p : `${p}/`);
  const asSent = withSlash(rawPath.split('/').map(sdkUrlEncode).join('/'));
  let decoded: string | null = null;
  try {
    decoded = withSlash(
      rawPath
        .split('/')
        .map((s) => sdkUrlEncode(decodeURIComponent(s)))
        .join('/'),
    );
  } catch {
    decoded = null;
  }
  return decoded && decoded !== asSent ? [asSent, decoded] : [asSent];
}

/** Sorted by key, then value; keys and values decoded from the wire and re-encoded the SDK's way. */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  const pairs = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      const key = decode(eq < 0 ? p : p.slice(0, eq));
      const value = eq < 0 ? '' : decode(p.slice(eq + 1));
      return [sdkUrlEncode(key), sdkUrlEncode(value)] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received. */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Every canonical request this signed request may have been built from (see canonicalUris). */
export function canonicalRequests(req: SignedRequest, signedHeaders: string[]): string[] {
  const q = req.rawUrl.indexOf('?');
  const path = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const query = canonicalQuery(q < 0 ? '' : req.rawUrl.slice(q + 1));
  const names = signedHeaders.map((h) => h.toLowerCase());
  const canonicalHeaders = names.map((n) => `${n}:${(headerValue(req.headers, n) ?? '').trim()}\n`).join('');
  const contentSha = names.includes('x-sdk-content-sha256') ? headerValue(req.headers, 'x-sdk-content-sha256') : undefined;
  const payloadHash = contentSha === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(req.body);
  return canonicalUris(path).map((uri) => [req.method.toUpperCase(), uri, query, canonicalHeaders, names.join(';'), payloadHash].join('\n'));
}

export function signatureFor(secretKey: string, sdkDate: string, canonical: string): string {
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', secretKey).update(stringToSign).digest('hex');
}

/** Constant-time check of the request's signature against every acceptable canonical form. */
export function signatureMatches(req: SignedRequest, auth: ParsedAuthorization, secretKey: string, sdkDate: string): boolean {
  const given = Buffer.from(auth.signature.toLowerCase(), 'utf8');
  return canonicalRequests(req, auth.signedHeaders).some((canonical) => {
    const expected = Buffer.from(signatureFor(secretKey, sdkDate, canonical), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
