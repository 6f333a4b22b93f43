// Payload encryption: an AES-256-GCM payload codec shared by the worker, the clients and the codec server (for the
// Web UI and the Temporal CLI). Codecs run outside the workflow sandbox, so Node's crypto is right here; nothing
// under workflows/ imports this file.
import { METADATA_ENCODING_KEY, ValueError, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
// eslint-disable-next-line no-restricted-imports -- see above: never part of the workflow bundle
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Encrypts each payload whole (its metadata too) with the active key; its key ID goes beside it in the metadata, so
 * payloads written under an older key still decode once another key is active. Payloads that are not encrypted
 * (written before encryption was switched on, or by a client without the codec) pass through unchanged.
 * Data layout: IV (12 bytes) | ciphertext | GCM tag (16 bytes), as WebCrypto writes it.
 */
export class EncryptionCodec implements PayloadCodec {
  /** Keys as KeyObjects: their bytes do not show in util.inspect, JSON or error messages. */
  readonly #keys: ReadonlyMap<string, KeyObject>;
  constructor(
    keys: ReadonlyMap<string, KeyObject>,
    readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId)) throw new ValueError(`the active encryption key "${activeKeyId}" is not among the configured keys`);
    this.#keys = keys;
  }

  // Synchronous work in a promise executor: a throw becomes a rejection, as the SDK expects of a codec.
  encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.#keys.get(this.activeKeyId)!;
    return new Promise((resolve) =>
      resolve(
        payloads.map((payload) => {
          const iv = randomBytes(IV_BYTES);
          const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
          const plain = temporal.api.common.v1.Payload.encode(payload).finish();
          return {
            metadata: { [METADATA_ENCODING_KEY]: encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encode(this.activeKeyId) },
            data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
          };
        }),
      ),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decodeOne(payload))));
  }

  private decodeOne(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!keyIdBytes) throw new ValueError(`an encrypted payload has no ${KEY_ID_METADATA} metadata`);
    const keyId = decode(keyIdBytes);
    const key = this.#keys.get(keyId);
    if (!key) throw new ValueError(`a payload is encrypted with key "${keyId}", which is not configured (configured: ${[...this.#keys.keys()].join(', ')})`);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError(`a payload encrypted with key "${keyId}" is truncated`);
    const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`a payload encrypted with key "${keyId}" failed authentication: altered, or encrypted with another key of that ID`);
    }
    const { metadata, data: inner } = temporal.api.common.v1.Payload.decode(plain);
    return { metadata, data: inner };
  }
}

/**
 * The codec configured by the environment, or undefined when encryption is off (CLOUD_RELEASE_CODEC_KEYS unset, the
 * sandbox's default):
 * - CLOUD_RELEASE_CODEC_KEYS: `<keyId>=<base64 of 32 bytes>` entries separated by commas (key IDs: letters, digits,
 *   `.`, `_`, `-`, at most 64);
 * - CLOUD_RELEASE_CODEC_KEY_ID: the key that encrypts (default: the first); every listed key decrypts.
 * Errors name the variable and the key ID at fault, never a key.
 */
export function codecFromEnv(env: NodeJS.ProcessEnv = process.env): EncryptionCodec | undefined {
  const spec = env.CLOUD_RELEASE_CODEC_KEYS?.trim();
  const activeKeyId = env.CLOUD_RELEASE_CODEC_KEY_ID?.trim();
  if (!spec) {
    if (activeKeyId) throw new ValueError('CLOUD_RELEASE_CODEC_KEY_ID is set but CLOUD_RELEASE_CODEC_KEYS is not: no key to encrypt with');
    return undefined;
  }
  const keys = parseKeys(spec);
  const active = activeKeyId || keys.keys().next().value!;
  if (!keys.has(active)) throw new ValueError(`CLOUD_RELEASE_CODEC_KEY_ID "${active}" is not one of the key IDs in CLOUD_RELEASE_CODEC_KEYS`);
  return new EncryptionCodec(keys, active);
}

/** The data converter for clients and workers: the codec from the environment, or the SDK's default (undefined). */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = codecFromEnv(env);
  return codec && { payloadCodecs: [codec] };
}

function parseKeys(spec: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const [i, entry] of spec.split(',').entries()) {
    const at = entry.indexOf('=');
    const id = entry.slice(0, at).trim();
    const b64 = entry.slice(at + 1).trim();
    // A bare key (no `=`, or only its base64 padding after the first `=`) must not be shown as a key ID: by position.
    if (at < 0 || /^=*$/.test(b64)) throw new ValueError(`CLOUD_RELEASE_CODEC_KEYS: entry ${i + 1} is not <keyId>=<base64 key>`);
    if (!KEY_ID.test(id)) throw new ValueError(`CLOUD_RELEASE_CODEC_KEYS: entry ${i + 1} has no valid key ID (letters, digits, ".", "_", "-"; at most 64)`);
    if (keys.has(id)) throw new ValueError(`CLOUD_RELEASE_CODEC_KEYS: key "${id}" is listed twice`);
    const bytes = Buffer.from(b64, 'base64');
    // Node's base64 decoder skips stray characters: only a canonical encoding of exactly 32 bytes is a key.
    if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== b64) {
      throw new ValueError(`CLOUD_RELEASE_CODEC_KEYS: key "${id}" is not the standard base64 of ${KEY_BYTES} bytes (AES-256)`);
    }
    keys.set(id, createSecretKey(bytes));
  }
  return keys;
}
