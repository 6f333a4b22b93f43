import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { describe, expect, it } from 'vitest';
import { attempt, globalClient, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { formatSdkDate } from '../../../simulators/huawei/signing';
import { defaultFixture } from '../../../simulators/runtime';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const OTHER_PROJECT_SAME_ACCOUNT = '1a2b3c4d5e6f40718293a4b5c6d7e8f9';
const DOMAIN = '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const OTHER_ACCOUNT = { accessKeyId: 'HWSIMAKOTHERACCOUNT2', secretAccessKey: 'hwsim-secret-other-account-not-real-0002' };
const NODE = 'd0000001-0000-4000-8000-000000000001';
const RACK = 'a0000001-0000-4000-8000-000000000001';

const ctx = useHuaweiSim();

/** Headers exactly as the official SDK signer computes them, for requests we then send (or tamper) by hand. */
function sdkSignedHeaders(method: string, path: string, data?: unknown, extra: Record<string, string> = {}, secret = CRED.secretAccessKey) {
  const credential = new BasicCredentials().withAk(CRED.accessKeyId).withSk(secret).withProjectId(PROJECT);
  const request = {
    endpoint: `${ctx.sims.endpoints.huawei}${path}`,
    method,
    headers: { 'content-type': 'application/json', 'X-Project-Id': PROJECT, ...extra },
    queryParams: Object.fromEntries(new URL(`${ctx.sims.endpoints.huawei}${path}`).searchParams),
    data,
  };
  return AKSKSigner.sign(request, credential) as Record<string, string>;
}

async function rawCall(method: string, path: string, headers: Record<string, string>, body?: string) {
  const { host: _host, ...rest } = headers;
  const res = await fetch(`${ctx.sims.endpoints.huawei}${path}`, { method, headers: rest, body });
  return { status: res.status, requestId: res.headers.get('x-request-id'), body: (await res.json()) as Record<string, unknown> };
}

describe('Huawei signature verification (SDK-HMAC-SHA256)', () => {
  it('accepts requests signed by the official SDK, project-scoped and global', async () => {
    const ds = await send(projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: NODE });
    expect(ds).toMatchObject({ id: NODE, status: 'RUNNING', charging_mode: 'POST_PAID' });
    const q = await send(
      globalClient(ctx.sims.endpoints.huawei, CRED, DOMAIN),
      'POST',
      '/v2/orders/suscriptions/resources/query',
      {},
      { resource_ids: [RACK] },
    );
    expect(q.total_count).toBe(3);
  });

  it('rejects a wrong secret key with APIGW.0301 401 and a request ID', async () => {
    const r = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, { ...CRED, secretAccessKey: 'not-the-secret' }, PROJECT), 'GET', '/v1/{project_id}/dev-servers/{id}', {
        id: NODE,
      }),
    );
    expect(r).toMatchObject({
      ok: false,
      error: { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: expect.stringContaining('verify aksk signature fail') },
    });
    expect(r.ok ? '' : r.error.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rejects an unknown access key', async () => {
    const r = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, { ...CRED, accessKeyId: 'UNKNOWNAK00000000000' }, PROJECT), 'GET', '/v1/{project_id}/dev-servers/{id}', {
        id: NODE,
      }),
    );
    expect(r).toMatchObject({ ok: false, error: { httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: expect.stringContaining('ak not exist') } });
  });

  it('accepts the SDK signature sent by hand, and rejects a tampered body, path or query', async () => {
    const path = '/v2/orders/suscriptions/resources/query';
    const data = { resource_ids: [RACK] };
    const globalHeaders = (() => {
      const credential = new BasicCredentials().withAk(CRED.accessKeyId).withSk(CRED.secretAccessKey);
      return AKSKSigner.sign(
        {
          endpoint: `${ctx.sims.endpoints.huawei}${path}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-Domain-Id': DOMAIN },
          queryParams: {},
          data,
        },
        credential,
      ) as Record<string, string>;
    })();
    expect((await rawCall('POST', path, globalHeaders, JSON.stringify(data))).status).toBe(200);
    const tamperedBody = await rawCall('POST', path, globalHeaders, JSON.stringify({ resource_ids: ['d0000002-0000-4000-8000-000000000002'] }));
    expect(tamperedBody).toMatchObject({ status: 401, body: { error_code: 'APIGW.0301', error_msg: expect.stringContaining('verify aksk signature fail') } });
    expect(tamperedBody.body.request_id).toBe(tamperedBody.requestId);

    const get = `/v1/${PROJECT}/dev-servers/${NODE}`;
    const signedGet = sdkSignedHeaders('GET', get);
    expect((await rawCall('GET', get, signedGet)).status).toBe(200);
    expect((await rawCall('GET', `/v1/${PROJECT}/dev-servers/d0000002-0000-4000-8000-000000000002`, signedGet)).status).toBe(401);
    const withQuery = `${get}?a=1&b=x%20y`;
    const signedQuery = sdkSignedHeaders('GET', withQuery);
    expect((await rawCall('GET', withQuery, signedQuery)).status).toBe(200);
    expect((await rawCall('GET', `${get}?a=2&b=x%20y`, signedQuery)).status).toBe(401);
  });

  it('rejects a stale or future X-Sdk-Date (15-minute window) and a missing signature', async () => {
    const get = `/v1/${PROJECT}/dev-servers/${NODE}`;
    const stale = sdkSignedHeaders('GET', get, undefined, { 'X-Sdk-Date': formatSdkDate(Date.now() - 16 * 60_000) });
    const r = await rawCall('GET', get, stale);
    expect(r).toMatchObject({ status: 401, body: { error_code: 'APIGW.0301', error_msg: expect.stringContaining('signature expired') } });
    const recent = sdkSignedHeaders('GET', get, undefined, { 'X-Sdk-Date': formatSdkDate(Date.now() - 10 * 60_000) });
    expect((await rawCall('GET', get, recent)).status).toBe(200);
    const future = sdkSignedHeaders('GET', get, undefined, { 'X-Sdk-Date': formatSdkDate(Date.now() + 16 * 60_000) });
    expect((await rawCall('GET', get, future)).status).toBe(401);
    const unsigned = await fetch(`${ctx.sims.endpoints.huawei}${get}`);
    expect(unsigned.status).toBe(401);
  });

  it('checks the credential scope: X-Project-Id against the path and the AK, X-Domain-Id against the AK', async () => {
    // A project of the same account, but not the path's project.
    const wrongPath = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, CRED, OTHER_PROJECT_SAME_ACCOUNT), 'GET', `/v1/${PROJECT}/dev-servers/{id}`, { id: NODE }),
    );
    expect(wrongPath).toMatchObject({ ok: false, error: { httpStatusCode: 403, errorCode: 'APIGW.0302' } });
    // Another account's AK on this project.
    const otherAccount = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, OTHER_ACCOUNT, PROJECT), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: NODE }),
    );
    expect(otherAccount).toMatchObject({ ok: false, error: { httpStatusCode: 401, errorCode: 'APIGW.0301' } });
    // The Billing Center needs the AK's own domain.
    const wrongDomain = await attempt(
      send(globalClient(ctx.sims.endpoints.huawei, CRED, '2d4f6a8c0e1b43579bdf13579bdf1357'), 'POST', '/v2/orders/suscriptions/resources/query', {}, {}),
    );
    expect(wrongDomain).toMatchObject({ ok: false, error: { httpStatusCode: 401, errorCode: 'APIGW.0301' } });
    // A project-scoped credential on the global service is refused too.
    const projectOnBss = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT), 'POST', '/v2/orders/suscriptions/resources/query', {}, {}),
    );
    expect(projectOnBss).toMatchObject({ ok: false, error: { httpStatusCode: 401, errorCode: 'APIGW.0301' } });
    // The project of the same account with no resources: authenticated, but nothing is there.
    const emptyProject = await attempt(
      send(projectClient(ctx.sims.endpoints.huawei, CRED, OTHER_PROJECT_SAME_ACCOUNT), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: NODE }),
    );
    expect(emptyProject).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'ModelArts.6309' } });
  });

  it('answers an unknown API with APIGW.0101 404', async () => {
    const r = await attempt(send(projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT), 'GET', '/v1/{project_id}/no-such-api'));
    expect(r).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'APIGW.0101' } });
  });

  it('puts X-Request-Id on successful answers and never echoes secrets in errors', async () => {
    const get = `/v1/${PROJECT}/dev-servers/${NODE}`;
    const ok = await rawCall('GET', get, sdkSignedHeaders('GET', get));
    expect(ok.requestId).toMatch(/^[0-9a-f]{32}$/);
    const bad = await rawCall('GET', get, sdkSignedHeaders('GET', get, undefined, {}, 'wrong-secret-key-value'));
    const text = JSON.stringify(bad.body);
    expect(text).not.toContain('wrong-secret-key-value');
    expect(text).not.toContain(CRED.secretAccessKey);
    expect(text).not.toContain('Signature=');
  });
});

describe('Huawei throttling', () => {
  it('answers APIGW.0308 429 once the bucket is empty, in the gateway error shape', async () => {
    await ctx.admin.setThrottle('huawei', { rps: 0.001, burst: 2 });
    const client = projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await attempt(send(client, 'GET', '/v1/{project_id}/dev-servers/{id}', { id: NODE })));
    expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
    expect(results[2]).toMatchObject({
      ok: false,
      error: { httpStatusCode: 429, errorCode: 'APIGW.0308', errorMsg: expect.stringContaining('throttling threshold') },
    });
    const calls = await ctx.admin.calls({ provider: 'huawei', action: 'ShowDevServer' });
    expect(calls.map((c) => c.httpStatus)).toEqual([200, 200, 429]);
  });

  it('the default fixture loads without throttling', () => {
    expect(defaultFixture().huawei).toBeDefined();
  });
});
