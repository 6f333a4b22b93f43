import * as $Ecs from '@alicloud/ecs20140526';
import Ecs from '@alicloud/ecs20140526';
import { Config } from '@alicloud/openapi-client';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEcsClient } from '../../../providers/alibaba/client';
import { NonceStore, TIMESTAMP_WINDOW_MS } from '../../../simulators/alibaba/signature';
import { useAlibabaSim } from './alibaba-setup';

// Both signature schemes, signed by hand with node:crypto (and by the SDK), accepted and rejected.

const AK = 'sim-alibaba-ak';
const SK = 'sim-alibaba-sk';
const ctx = useAlibabaSim();

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const sortedQuery = (params: Record<string, string>) =>
  Object.keys(params)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k])}`)
    .join('&');

interface Answer {
  status: number;
  body: { Code?: string; Message?: string; RequestId?: string; TotalCount?: number };
}

async function answer(res: Response): Promise<Answer> {
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

interface Acs3Options {
  action?: string;
  params?: Record<string, string>;
  ak?: string;
  sk?: string;
  date?: string;
  nonce?: string;
  /** Change the query after signing. */
  sendParams?: Record<string, string>;
  /** A header sent but left out of SignedHeaders. */
  unsignedHeader?: [string, string];
  /** Parameters sent as a form body (covered by the payload hash), and what is actually sent. */
  form?: Record<string, string>;
  sendForm?: Record<string, string>;
}

/** An ACS3-HMAC-SHA256 request built from the published algorithm, not from the SDK. */
function acs3Request(o: Acs3Options = {}): { url: string; init: RequestInit } {
  const params = o.params ?? { RegionId: 'cn-hangzhou' };
  const host = new URL(ctx.sims.endpoints.alibaba).host;
  const body = o.form ? sortedQuery(o.form) : '';
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = {
    host,
    ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    'x-acs-action': o.action ?? 'DescribeInstances',
    'x-acs-version': '2014-05-26',
    'x-acs-date': o.date ?? isoSeconds(Date.now()),
    'x-acs-signature-nonce': o.nonce ?? randomUUID(),
    'x-acs-content-sha256': payloadHash,
  };
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', '/', sortedQuery(params), signed.map((h) => `${h}:${headers[h]}\n`).join(''), signed.join(';'), payloadHash].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', o.sk ?? SK)
    .update(stringToSign)
    .digest('hex');
  const { host: _host, ...sent } = headers;
  if (o.unsignedHeader) sent[o.unsignedHeader[0]] = o.unsignedHeader[1];
  return {
    url: `${ctx.sims.endpoints.alibaba}/?${sortedQuery(o.sendParams ?? params)}`,
    init: {
      method: 'POST',
      headers: { ...sent, authorization: `ACS3-HMAC-SHA256 Credential=${o.ak ?? AK},SignedHeaders=${signed.join(';')},Signature=${signature}` },
      body: o.form ? sortedQuery(o.sendForm ?? o.form) : undefined,
    },
  };
}

interface Sha1Options {
  method?: 'GET' | 'POST';
  action?: string;
  params?: Record<string, string>;
  ak?: string;
  sk?: string;
  timestamp?: string;
  nonce?: string;
  /** Send the parameters as a form body instead of the query string. */
  form?: boolean;
  /** Change one parameter after signing. */
  tamper?: Record<string, string>;
}

/** An RPC HMAC-SHA1 request: Signature = base64(HMAC-SHA1(SK + "&", METHOD&%2F&encode(sorted query))). */
function sha1Request(o: Sha1Options = {}): { url: string; init: RequestInit } {
  const method = o.method ?? 'POST';
  const params: Record<string, string> = {
    Action: o.action ?? 'DescribeInstances',
    Version: '2014-05-26',
    Format: 'JSON',
    AccessKeyId: o.ak ?? AK,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: o.nonce ?? randomUUID(),
    Timestamp: o.timestamp ?? isoSeconds(Date.now()),
    ...(o.params ?? { RegionId: 'cn-hangzhou' }),
  };
  const stringToSign = `${method}&${enc('/')}&${enc(sortedQuery(params))}`;
  const Signature = createHmac('sha1', `${o.sk ?? SK}&`)
    .update(stringToSign)
    .digest('base64');
  const sent = sortedQuery({ ...params, ...o.tamper, Signature });
  if (o.form) {
    return { url: `${ctx.sims.endpoints.alibaba}/`, init: { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: sent } };
  }
  return { url: `${ctx.sims.endpoints.alibaba}/?${sent}`, init: { method } };
}

const send = async (r: { url: string; init: RequestInit }) => answer(await fetch(r.url, r.init));

async function failure(p: Promise<unknown>): Promise<{ code: string; statusCode: number; name: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; statusCode: number; name: string };
  }
  throw new Error('expected the call to fail');
}

const sdk = (accessKeyId = AK, accessKeySecret = SK) =>
  createEcsClient({ endpoint: ctx.sims.endpoints.alibaba, region: 'cn-hangzhou', accessKeyId, accessKeySecret, timeoutMs: 5000 });

describe('ACS3-HMAC-SHA256', () => {
  it('accepts the SDK and a hand-signed request', async () => {
    const res = await sdk().describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }));
    expect(res.body?.totalCount).toBe(13);
    const hand = await send(acs3Request());
    expect(hand.status).toBe(200);
    expect(hand.body.TotalCount).toBe(13);
  });

  it('rejects a wrong secret with IncompleteSignature (400), and the call does not happen', async () => {
    const err = await failure(sdk(AK, 'not-the-secret').deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect([err.code, err.statusCode]).toEqual(['IncompleteSignature', 400]);
    const state = ctx.sims.sims.alibaba.snapshot() as { instances: { id: string; releasing: boolean }[] };
    expect(state.instances.find((i) => i.id === 'i-bp1stoppedpaygo01')?.releasing).toBe(false);
  });

  it('rejects an unknown key with InvalidAccessKeyId.NotFound (404) and a disabled one with InvalidAccessKeyId.Inactive (400)', async () => {
    const unknown = await failure(sdk('no-such-key', SK).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' })));
    expect([unknown.code, unknown.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
    const disabled = await send(acs3Request({ ak: 'sim-alibaba-ak-disabled', sk: 'sim-alibaba-sk-disabled' }));
    expect([disabled.body.Code, disabled.status]).toEqual(['InvalidAccessKeyId.Inactive', 400]);
  });

  it('rejects a query changed after signing', async () => {
    const res = await send(
      acs3Request({
        params: { RegionId: 'cn-hangzhou', InstanceIds: '["i-bp1runningpaygo02"]' },
        sendParams: { RegionId: 'cn-hangzhou', InstanceIds: '["i-bp1stoppedpaygo01"]' },
      }),
    );
    expect([res.body.Code, res.status]).toEqual(['IncompleteSignature', 400]);
  });

  it('accepts parameters in a signed form body, and rejects a body changed after signing', async () => {
    const ok = await send(acs3Request({ params: {}, form: { RegionId: 'cn-hangzhou', InstanceIds: '["i-bp1runningpaygo02"]' } }));
    expect([ok.status, ok.body.TotalCount]).toEqual([200, 1]);
    const tampered = await send(acs3Request({ params: {}, form: { RegionId: 'cn-hangzhou' }, sendForm: { RegionId: 'cn-beijing' } }));
    expect([tampered.body.Code, tampered.status]).toEqual(['IncompleteSignature', 400]);
  });

  it('rejects an action header changed after signing', async () => {
    const r = acs3Request();
    (r.init.headers as Record<string, string>)['x-acs-action'] = 'DeleteInstance';
    expect((await send(r)).body.Code).toBe('IncompleteSignature');
  });

  it('rejects an x-acs-* header left out of the signature', async () => {
    const res = await send(acs3Request({ unsignedHeader: ['x-acs-extra', '1'] }));
    expect([res.body.Code, res.status]).toEqual(['IncompleteSignature', 400]);
  });

  it('rejects a date outside the 15-minute window with InvalidTimeStamp.Expired (400)', async () => {
    const res = await send(acs3Request({ date: isoSeconds(Date.now() - 16 * 60_000) }));
    expect([res.body.Code, res.status]).toEqual(['InvalidTimeStamp.Expired', 400]);
    expect((await send(acs3Request({ date: isoSeconds(Date.now() - 14 * 60_000) }))).status).toBe(200);
  });

  it('rejects a replayed nonce with SignatureNonceUsed (400)', async () => {
    const nonce = randomUUID();
    expect((await send(acs3Request({ nonce }))).status).toBe(200);
    const replay = await send(acs3Request({ nonce }));
    expect([replay.body.Code, replay.status]).toEqual(['SignatureNonceUsed', 400]);
  });

  it('keeps a nonce for twice the timestamp window, per access key, however many others come after it', () => {
    const store = new NonceStore();
    const t0 = 1_000_000;
    expect(store.claim('ak', 'n-0', t0)).toBe(true);
    for (let i = 1; i <= 20_000; i++) expect(store.claim('ak', `n-${i}`, t0 + i)).toBe(true);
    expect(store.claim('ak', 'n-0', t0 + 2 * TIMESTAMP_WINDOW_MS - 1)).toBe(false);
    expect(store.claim('other-ak', 'n-0', t0 + 1)).toBe(true);
    expect(store.claim('ak', 'n-0', t0 + 2 * TIMESTAMP_WINDOW_MS)).toBe(true);
    expect(store.claim('ak', 'n-20000', t0 + 2 * TIMESTAMP_WINDOW_MS)).toBe(false);
  });
});

describe('RPC HMAC-SHA1 (Signature parameter)', () => {
  it('accepts a hand-signed POST, GET and form-body request', async () => {
    for (const o of [{}, { method: 'GET' as const }, { form: true }]) {
      const res = await send(sha1Request(o));
      expect(res.status).toBe(200);
      expect(res.body.TotalCount).toBe(13);
    }
  });

  it('accepts the SDK in its HMAC-SHA1 mode', async () => {
    const v1 = new Ecs(
      new Config({
        accessKeyId: AK,
        accessKeySecret: SK,
        endpoint: new URL(ctx.sims.endpoints.alibaba).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
        signatureAlgorithm: 'v2',
      }),
    );
    const res = await v1.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: 'cn-hangzhou', instanceId: 'i-bp1stoppedpaygo01' }));
    expect(res.body?.totalCount).toBe(3);
  });

  it('releases an instance through a hand-signed DeleteInstance', async () => {
    const res = await send(sha1Request({ action: 'DeleteInstance', params: { InstanceId: 'i-bp1stoppedpaygo01' } }));
    expect(res.status).toBe(200);
    expect(res.body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('rejects a wrong secret with SignatureDoesNotMatch (400)', async () => {
    const res = await send(sha1Request({ sk: 'not-the-secret' }));
    expect([res.body.Code, res.status]).toEqual(['SignatureDoesNotMatch', 400]);
  });

  it('rejects a parameter changed after signing', async () => {
    const res = await send(
      sha1Request({ action: 'DeleteInstance', params: { InstanceId: 'i-bp1runningpaygo02' }, tamper: { InstanceId: 'i-bp1stoppedpaygo01' } }),
    );
    expect([res.body.Code, res.status]).toEqual(['SignatureDoesNotMatch', 400]);
  });

  it('rejects a stale or malformed Timestamp', async () => {
    const stale = await send(sha1Request({ timestamp: isoSeconds(Date.now() - 20 * 60_000) }));
    expect([stale.body.Code, stale.status]).toEqual(['InvalidTimeStamp.Expired', 400]);
    const future = await send(sha1Request({ timestamp: isoSeconds(Date.now() + 20 * 60_000) }));
    expect(future.body.Code).toBe('InvalidTimeStamp.Expired');
    const malformed = await send(sha1Request({ timestamp: '2024/01/01 00:00:00' }));
    expect([malformed.body.Code, malformed.status]).toEqual(['InvalidTimeStamp.Format', 400]);
  });

  it('rejects a replayed SignatureNonce with SignatureNonceUsed (400)', async () => {
    const nonce = randomUUID();
    expect((await send(sha1Request({ nonce }))).status).toBe(200);
    expect((await send(sha1Request({ nonce }))).body.Code).toBe('SignatureNonceUsed');
  });

  it('rejects an unknown key, and an unsigned request', async () => {
    const unknown = await send(sha1Request({ ak: 'no-such-key' }));
    expect([unknown.body.Code, unknown.status]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
    const unsigned = await answer(
      await fetch(`${ctx.sims.endpoints.alibaba}/?Action=DescribeInstances&Version=2014-05-26&RegionId=cn-hangzhou`, { method: 'POST' }),
    );
    expect([unsigned.body.Code, unsigned.status]).toEqual(['MissingAccessKeyId', 400]);
  });
});
