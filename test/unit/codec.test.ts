// Payload encryption (common/codec.ts) and the codec server's HTTP protocol (scripts/codec-server.ts), without
// Temporal. The real history and the Web UI: test/integration/codec.test.ts.
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecFromEnv, dataConverterFromEnv, ENCRYPTED_ENCODING, KEY_ID_METADATA, type EncryptionCodec } from '../../common/codec';
import { startCodecServer, type RunningCodecServer } from '../../scripts/codec-server';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const codecWith = (keys: string, active?: string) => codecFromEnv({ CLOUD_RELEASE_CODEC_KEYS: keys, CLOUD_RELEASE_CODEC_KEY_ID: active })!;
const request = { provider: 'baidu', resourceId: 'i-secret0001', ticket: 'CHG-4242' };
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const configError = (env: NodeJS.ProcessEnv) => {
  try {
    codecFromEnv(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('the encryption codec', () => {
  const codec = codecWith(`a=${keyA}`);

  it('round-trips a payload, metadata included, behind binary/encrypted and its key ID', async () => {
    const [encrypted] = await codec.encode([payloadOf(request)]);
    expect(text(encrypted.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('a');
    expect(Object.keys(encrypted.metadata ?? {})).toHaveLength(2); // json/plain is inside, not beside
    expect(text(encrypted.data)).not.toContain('i-secret0001');
    const [decoded] = await codec.decode([encrypted]);
    expect(text(decoded.metadata?.[METADATA_ENCODING_KEY])).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(request);
  });

  it('encrypts the same payload differently each time (a random IV per payload)', async () => {
    const [x, y] = await codec.encode([payloadOf(request), payloadOf(request)]);
    expect(Buffer.from(x.data!).equals(Buffer.from(y.data!))).toBe(false);
    expect(Buffer.from(x.data!).subarray(0, 12).equals(Buffer.from(y.data!).subarray(0, 12))).toBe(false);
  });

  it('refuses an altered payload (the GCM tag)', async () => {
    const [encrypted] = await codec.encode([payloadOf(request)]);
    for (const at of [0, 15, encrypted.data!.length - 1]) {
      const data = Buffer.from(encrypted.data!);
      data[at] ^= 1;
      await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow('a payload encrypted with key "a" failed authentication');
    }
    await expect(codec.decode([{ ...encrypted, data: encrypted.data!.subarray(0, 20) }])).rejects.toThrow('truncated');
  });

  it('rotates: B encrypts, payloads written under A still decode', async () => {
    const [underA] = await codec.encode([payloadOf('old')]);
    const rotated = codecWith(`a=${keyA},b=${keyB}`, 'b');
    const [underB] = await rotated.encode([payloadOf('new')]);
    expect(text(underB.metadata?.[KEY_ID_METADATA])).toBe('b');
    const decoded = await rotated.decode([underA, underB]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['old', 'new']);
    // A worker that has not received key b yet says which key it misses, and never shows one.
    const error = await codec.decode([underB]).catch((e: Error) => e);
    expect((error as Error).message).toBe('a payload is encrypted with key "b", which is not configured (configured: a)');
    expect((error as Error).message).not.toContain(keyA);
  });

  it('passes payloads that are not encrypted through unchanged (history written before encryption was on)', async () => {
    const plain: Payload[] = [payloadOf(request), payloadOf(null), payloadOf(undefined), { data: new Uint8Array([1]) }];
    expect(await codec.decode(plain)).toEqual(plain);
  });

  it('keeps its keys out of inspect and JSON', () => {
    for (const shown of [inspect(codec, { depth: 10, showHidden: true }), JSON.stringify(codec)]) {
      expect(shown).not.toContain(keyA);
      expect(shown).not.toContain(Buffer.from(keyA, 'base64').toString('hex'));
    }
  });
});

describe('the codec configuration', () => {
  it('is off when CLOUD_RELEASE_CODEC_KEYS is unset (the sandbox default)', () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({ CLOUD_RELEASE_CODEC_KEYS: ' ' })).toBeUndefined();
  });

  it('encrypts with the first key unless CLOUD_RELEASE_CODEC_KEY_ID names another', () => {
    expect(codecWith(` a = ${keyA} , b=${keyB}`).activeKeyId).toBe('a');
    expect(codecWith(`a=${keyA},b=${keyB}`, 'b').activeKeyId).toBe('b');
    expect(dataConverterFromEnv({ CLOUD_RELEASE_CODEC_KEYS: `a=${keyA}` })?.payloadCodecs).toHaveLength(1);
  });

  it.each([
    ['a key of the wrong length', `a=${keyA},short=${randomBytes(16).toString('base64')}`, 'key "short" is not the standard base64 of 32 bytes'],
    ['a key that is not base64', `a=${keyA.slice(0, -4)}!!!!`, 'key "a" is not the standard base64 of 32 bytes'],
    ['base64url instead of base64', `a=${Buffer.from(keyA, 'base64').toString('base64url')}x`, 'key "a" is not the standard base64'],
    ['a bare key', `a=${keyA},${keyB}`, 'entry 2 is not <keyId>=<base64 key>'],
    ['a bare key that looks like a key ID', `a=${keyA},${'A'.repeat(43)}=`, 'entry 2 is not <keyId>=<base64 key>'],
    ['a bare key without padding', randomBytes(33).toString('base64'), 'entry 1 is not <keyId>=<base64 key>'],
    ['an empty key ID', `=${keyB}`, 'entry 1 has no valid key ID'],
    ['a key listed twice', `a=${keyA},a=${keyB}`, 'key "a" is listed twice'],
  ])('refuses %s, naming the key ID and never a key', (_, keys, message) => {
    const error = configError({ CLOUD_RELEASE_CODEC_KEYS: keys });
    expect(error).toContain(message);
    for (const key of [keyA, keyB, keyA.slice(0, 20), keyB.slice(0, 20), 'AAAAAAAA']) expect(error).not.toContain(key);
  });

  it('refuses an active key that is not configured, and an active key without keys', () => {
    expect(configError({ CLOUD_RELEASE_CODEC_KEYS: `a=${keyA}`, CLOUD_RELEASE_CODEC_KEY_ID: 'c' })).toBe(
      'CLOUD_RELEASE_CODEC_KEY_ID "c" is not one of the key IDs in CLOUD_RELEASE_CODEC_KEYS',
    );
    expect(configError({ CLOUD_RELEASE_CODEC_KEY_ID: 'a' })).toContain('CLOUD_RELEASE_CODEC_KEYS is not');
  });
});

describe('the codec server', () => {
  const UI = 'http://127.0.0.1:8233';
  let codec: EncryptionCodec;
  let server: RunningCodecServer;
  const post = (path: string, body: unknown, headers: Record<string, string> = { Authorization: 'Bearer s3cret' }) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: UI, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  type JSONPayload = { metadata: Record<string, string>; data: string };
  const asJSON = (p: Payload): JSONPayload => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const fromJSON = (p: JSONPayload): Payload => ({
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  });
  const payloadsIn = async (res: Response) => ((await res.json()) as { payloads: JSONPayload[] }).payloads;

  beforeAll(async () => {
    codec = codecWith(`a=${keyA}`);
    server = await startCodecServer({ codec, port: 0, origins: [UI], authToken: 's3cret' });
  });
  afterAll(async () => server?.close());

  it('decodes and encodes `{ payloads }` in proto3 JSON, as the Web UI sends them', async () => {
    const encrypted = await codec.encode([payloadOf(request)]);
    const decoded = await post('/decode', { payloads: encrypted.map(asJSON) });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI);
    const payloads = await payloadsIn(decoded);
    expect(payloads).toEqual([asJSON(payloadOf(request))]);

    const encoded = (await payloadsIn(await post('/encode', { payloads }))).map(fromJSON);
    expect(text(encoded[0].metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded[0].metadata?.[KEY_ID_METADATA])).toBe('a');
    const [back] = await codec.decode(encoded);
    expect(defaultPayloadConverter.fromPayload(back)).toEqual(request);
  });

  it("answers the UI's preflight, with X-Namespace and Authorization, and no other origin", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' },
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase().split(', ')).toEqual(
      expect.arrayContaining(['x-namespace', 'authorization', 'content-type']),
    );
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('needs the bearer token when one is configured', async () => {
    const body = { payloads: [] };
    expect((await post('/decode', body, { Authorization: '' })).status).toBe(401);
    expect((await post('/decode', body, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post('/decode', body, { Authorization: 's3cret' })).status).toBe(401);
    expect((await post('/decode', body)).status).toBe(200);
  });

  it('answers 400 with the reason for bad bodies and undecodable payloads, 404 and 405 elsewhere', async () => {
    expect((await post('/decode', 'not json')).status).toBe(400);
    expect((await post('/decode', { payload: [] })).status).toBe(400);
    expect((await post('/decode', { payloads: [{ data: 1 }] })).status).toBe(400);
    const [underB] = await codecWith(`b=${keyB}`).encode([payloadOf(request)]);
    const unknown = await post('/decode', { payloads: [asJSON(underB)] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toBe('a payload is encrypted with key "b", which is not configured (configured: a)');
    expect((await post('/other', { payloads: [] })).status).toBe(404);
    expect((await fetch(`${server.url}/decode`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(405);
  });
});
