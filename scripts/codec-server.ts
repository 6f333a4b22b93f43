// `npm run codec-server`: Temporal's remote codec protocol over the payload codec, so the Web UI (and the CLI's
// --codec-endpoint) can show decoded payloads. POST /encode and POST /decode take and answer `{ "payloads": [...] }`,
// payloads in proto3 JSON (base64 metadata values and data). Browsers get CORS answers for the UI's origins only.
// With CLOUD_RELEASE_CODEC_AUTH_TOKEN set, a request without `Authorization: Bearer <token>` gets 401.
import { ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { codecFromEnv } from '../common/codec';

export interface CodecServerOptions {
  codec: PayloadCodec;
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** Origins of the Web UI allowed to call from a browser. */
  origins?: string[];
  /** When set, every POST needs `Authorization: Bearer <authToken>`. */
  authToken?: string;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_UI_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];
/** A history's payloads, well above Temporal's 2 MB per payload. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startCodecServer({
  codec,
  host = '127.0.0.1',
  port = 8888,
  origins = DEFAULT_UI_ORIGINS,
  authToken,
}: CodecServerOptions): Promise<RunningCodecServer> {
  const authorised = authToken === undefined ? () => true : bearerCheck(authToken);
  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && origins.includes(origin)) {
      // Echoed (not `*`): the UI may send credentials, and then `*` is refused by browsers.
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    res.setHeader('Vary', 'Origin');
    handle(req, res).catch((err: unknown) => {
      // A codec's ValueError (unknown key ID, altered payload) names a key ID at most, never a key nor payload content.
      const status = err instanceof HttpError ? err.status : err instanceof ValueError ? 400 : 500;
      if (status >= 500) console.error(`codec-server: ${req.method} ${req.url}: ${messageOf(err)}`);
      reply(res, status, { error: messageOf(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://codec').pathname;
    if (path !== '/encode' && path !== '/decode') throw new HttpError(404, 'not found: POST /encode or /decode');
    if (req.method === 'OPTIONS') {
      // A preflight carries no Authorization: it is answered without it.
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} not allowed: POST only`);
    if (!authorised(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorised');
    }
    const payloads = parseBody(await readBody(req));
    const out = path === '/encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    reply(res, 200, { payloads: out.map(toJSON) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as { port: number };
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Compares digests in constant time: neither the token nor its length leaks through timing. */
function bearerCheck(token: string) {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const expected = digest(token);
  return (header: string | undefined) => header?.startsWith('Bearer ') === true && timingSafeEqual(digest(header.slice(7)), expected);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface JSONPayload {
  metadata?: Record<string, string>;
  data?: string;
}

function parseBody(text: string): Payload[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new HttpError(400, 'the body has no "payloads" array');
  return payloads.map((p: unknown, i) => {
    const { metadata = {}, data } = (p ?? {}) as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((v) => typeof v !== 'string')) {
      throw new HttpError(400, `payloads[${i}].metadata is not an object of base64 strings`);
    }
    if (data !== undefined && data !== null && typeof data !== 'string') throw new HttpError(400, `payloads[${i}].data is not a base64 string`);
    return {
      metadata: Object.fromEntries(Object.entries(metadata as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(data ?? '', 'base64'),
    };
  });
}

function toJSON({ metadata, data }: Payload): JSONPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function main() {
  const codec = codecFromEnv();
  if (!codec) throw new Error('CLOUD_RELEASE_CODEC_KEYS is not set: there is nothing to decode with (see README "Payload encryption")');
  const origins = process.env.CLOUD_RELEASE_CODEC_CORS_ORIGINS?.split(',').map((o) => o.trim());
  const server = await startCodecServer({
    codec,
    port: Number(process.env.CLOUD_RELEASE_CODEC_PORT ?? 8888),
    origins,
    authToken: process.env.CLOUD_RELEASE_CODEC_AUTH_TOKEN || undefined,
  });
  console.log(
    `codec-server: listening on ${server.url} (encrypting with key "${codec.activeKeyId}"; UI origins: ${(origins ?? DEFAULT_UI_ORIGINS).join(', ')})`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`codec-server: ${messageOf(err)}`);
    process.exit(1);
  });
}
