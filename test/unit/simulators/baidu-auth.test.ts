import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

/** bce-auth-v1 as the SDK computes it (its own Auth class), sent with fetch so a test can tamper with the request. */
const Auth = createRequire(__filename)('@baiducloud/sdk').Auth as new (
  ak: string,
  sk: string,
) => {
  generateAuthorization(
    method: string,
    path: string,
    params: Record<string, string>,
    headers: Record<string, string>,
    timestampS?: number,
    expirationS?: number,
  ): string;
};

const AK = 'sim-baidu-ak-0001';
const SK = 'sim-baidu-sk-0001-not-a-real-secret';

let sims: RunningSimulators;
let host: string;

beforeAll(async () => {
  sims = await startSimulators();
  host = new URL(sims.endpoints.baidu).host;
});
afterAll(async () => {
  await sims.close();
});

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

interface Signed {
  method?: string;
  /** What the signature covers. */
  path?: string;
  params?: Record<string, string>;
  /** What is actually sent (defaults to what was signed). */
  sendPath?: string;
  sendQuery?: string;
  ak?: string;
  sk?: string;
  atMs?: number;
  expirationS?: number;
}

async function send(s: Signed = {}) {
  const method = s.method ?? 'GET';
  const path = s.path ?? '/v2/instance/i-post0001';
  const params = s.params ?? {};
  const at = s.atMs ?? Date.now();
  const headers = { host, 'x-bce-date': isoSeconds(at) };
  const authorization = new Auth(s.ak ?? AK, s.sk ?? SK).generateAuthorization(method, path, params, headers, Math.floor(at / 1000), s.expirationS ?? 1800);
  const query = s.sendQuery ?? new URLSearchParams(params).toString();
  const res = await fetch(`${sims.endpoints.baidu}${s.sendPath ?? path}${query ? `?${query}` : ''}`, {
    method,
    headers: { 'x-bce-date': headers['x-bce-date'], authorization },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('bce-auth-v1 verification', () => {
  it('accepts the SDK signature (host;x-bce-date signed), with the query in the canonical request', async () => {
    expect((await send()).status).toBe(200);
    expect((await send({ path: '/v2/volume', params: { instanceId: 'i-post0001', maxKeys: '10' } })).status).toBe(200);
  });

  it('accepts the default signed-header set when the Authorization lists none', async () => {
    const at = Date.now();
    const ts = isoSeconds(at);
    const signingKey = createHmac('sha256', SK).update(`bce-auth-v1/${AK}/${ts}/1800`).digest('hex');
    const canonical = [
      'GET',
      '/v2/instance/i-post0001',
      '',
      [`host:${encodeURIComponent(host)}`, `x-bce-date:${encodeURIComponent(ts)}`].sort().join('\n'),
    ].join('\n');
    const signature = createHmac('sha256', signingKey).update(canonical).digest('hex');
    const res = await fetch(`${sims.endpoints.baidu}/v2/instance/i-post0001`, {
      headers: { 'x-bce-date': ts, authorization: `bce-auth-v1/${AK}/${ts}/1800//${signature}` },
    });
    expect(res.status).toBe(200);
  });

  it('rejects an unknown access key: InvalidAccessKeyId 403', async () => {
    const r = await send({ ak: 'no-such-ak' });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'InvalidAccessKeyId' });
  });

  it('rejects a wrong secret: SignatureDoesNotMatch 400, without echoing any signature', async () => {
    const r = await send({ sk: 'not-the-secret' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(JSON.stringify(r.body)).not.toMatch(/[0-9a-f]{64}/);
  });

  it('rejects a tampered path or query', async () => {
    expect((await send({ sendPath: '/v2/instance/i-prep0002' })).body).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const q = await send({ path: '/v2/volume', params: { instanceId: 'i-post0001' }, sendQuery: 'instanceId=i-mixd0005' });
    expect(q.status).toBe(400);
    expect(q.body).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('rejects a signature older than its expiration, or too far in the future: RequestExpired 400', async () => {
    const stale = await send({ atMs: Date.now() - 3600_000, expirationS: 1800 });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ code: 'RequestExpired' });
    const future = await send({ atMs: Date.now() + 3600_000 });
    expect(future.body).toMatchObject({ code: 'RequestExpired' });
    // Within its own expiration window an old timestamp is fine.
    expect((await send({ atMs: Date.now() - 600_000, expirationS: 1800 })).status).toBe(200);
  });

  it('rejects a missing or malformed Authorization header', async () => {
    const none = await fetch(`${sims.endpoints.baidu}/v2/instance/i-post0001`);
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ code: 'AccessDenied' });
    const bad = await fetch(`${sims.endpoints.baidu}/v2/instance/i-post0001`, { headers: { authorization: 'Bearer something' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'InvalidHTTPAuthHeader' });
  });

  it('answers errors as { requestId, code, message } with x-bce-request-id and a Date header (the SDK reads it)', async () => {
    const r = await send({ sk: 'not-the-secret' });
    expect(Object.keys(r.body).sort()).toEqual(['code', 'message', 'requestId']);
    expect(r.headers.get('x-bce-request-id')).toBe(r.body.requestId);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number.isNaN(Date.parse(r.headers.get('date') ?? ''))).toBe(false);
  });
});
