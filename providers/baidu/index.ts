import type { CallReceipt, DestroyOptions, ReleaseAction, ResourceRef, ResourceSnapshot, ResourceStatus } from '../../domain/resource';
import { goneSnapshot } from '../../domain/resource';
import { ProviderError, type Observation, type ProviderAdapter } from '../adapter';
import { UNLIMITED, type RequestLimiter } from '../rate-limit';
import {
  chargingMode,
  goneState,
  isExpired,
  normalizeStatus,
  observedState,
  toDisk,
  toSnapshot,
  type BccInstance,
  type BccRecycledInstance,
  type BccSnapshot,
  type BccVolume,
} from './mapping';
import { baiduInventory } from './inventory';
import { BaiduTransport, type BaiduAnswer, type BaiduRequest } from './transport';

export { classifyBaiduError } from './classify';

export interface BaiduAdapterConfig {
  /** Endpoint URL; `{region}` is replaced by ResourceRef.region. Real: https://bcc.{region}.baidubce.com ; sim: http://127.0.0.1:PORT */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Per request, default 15000. */
  timeoutMs?: number;
  /** Takes a token for every request; default none (createAdapters gives the configured one). */
  limiter?: RequestLimiter;
}

const KINDS = ['bcc-instance'] as const;
/** A list page never exceeds 1000 entries; 50 pages is far beyond any instance's disks or snapshots. */
const MAX_PAGES = 50;

const unsupported = (what: string) => new ProviderError('baidu', 'UnsupportedAction', what, 'final');
const isNotFound = (err: unknown) => err instanceof ProviderError && err.errorClass === 'not-found';

/** Baidu AI Cloud BCC instances through the official `@baiducloud/sdk` (bce-auth-v1 signing, v2 paths). */
export function createBaiduAdapter(cfg: BaiduAdapterConfig): ProviderAdapter {
  const transports = new Map<string, BaiduTransport>();
  const transportFor = (ref: ResourceRef): BaiduTransport => {
    if (ref.kind !== 'bcc-instance') throw unsupported(`baidu adapter does not handle kind ${ref.kind}`);
    const endpoint = cfg.endpoint.replaceAll('{region}', ref.region);
    let t = transports.get(endpoint);
    if (!t) {
      t = new BaiduTransport({
        endpoint,
        accessKeyId: cfg.credentials.accessKeyId,
        secretAccessKey: cfg.credentials.secretAccessKey,
        timeoutMs: cfg.timeoutMs ?? 15_000,
        limiter: cfg.limiter ?? UNLIMITED,
      });
      transports.set(endpoint, t);
    }
    return t;
  };
  const send = (ref: ResourceRef, req: BaiduRequest) => transportFor(ref).send(req);
  const path = (prefix: string, id: string) => `${prefix}/${encodeURIComponent(id)}`;

  /** A destructive or cleanup call: not found means it is already done. */
  async function once(ref: ResourceRef, req: BaiduRequest): Promise<CallReceipt> {
    try {
      const answer: BaiduAnswer = await send(ref, req);
      return { requestId: answer.requestId, alreadyDone: false };
    } catch (err) {
      if (isNotFound(err)) return { requestId: (err as ProviderError).requestId, alreadyDone: true };
      throw err;
    }
  }

  async function listAll<T>(ref: ResourceRef, listPath: string, key: string, params: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    let marker: string | undefined;
    for (let i = 0; i < MAX_PAGES; i++) {
      const { body } = await send(ref, { method: 'GET', path: listPath, params: { ...params, maxKeys: '1000', ...(marker ? { marker } : {}) } });
      const page = body[key];
      if (!Array.isArray(page)) throw new ProviderError('baidu', 'UnexpectedAnswer', `${listPath} answered without ${key}`, 'retryable');
      items.push(...(page as T[]));
      if (body.isTruncated !== true || typeof body.nextMarker !== 'string' || !body.nextMarker) break;
      marker = body.nextMarker;
    }
    return items;
  }

  /**
   * GET /v2/instance/{id}; when that does not know the ID, the recycle bin (POST /v2/recycle/instance with the
   * instanceId filter): whether GET answers for an instance in the bin is unverified, so a bin entry is read as
   * a Recycled instance.
   */
  async function getInstance(ref: ResourceRef, id = ref.resourceId): Promise<BccInstance | undefined> {
    try {
      const { body } = await send(ref, { method: 'GET', path: path('/v2/instance', id) });
      const inst = body.instance as BccInstance | undefined;
      if (!inst || typeof inst.status !== 'string')
        throw new ProviderError('baidu', 'UnexpectedAnswer', 'GET instance answered without instance.status', 'retryable');
      return inst;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const { body } = await send(ref, { method: 'POST', path: '/v2/recycle/instance', body: { instanceId: id, maxKeys: 1 } });
    if (!Array.isArray(body.instances)) throw new ProviderError('baidu', 'UnexpectedAnswer', 'the recycle bin list answered without instances', 'retryable');
    const entry = (body.instances as BccRecycledInstance[]).find((i) => i.id === id);
    if (!entry) return undefined;
    // Only a released or expired instance is in the bin: a prepaid one there has expired.
    return { id, name: entry.name, status: 'Recycled', paymentTiming: entry.paymentTiming, expireTime: null };
  }

  /** GET one volume or snapshot for `observe`. */
  async function observeOne(ref: ResourceRef, listPath: string, key: string, id: string): Promise<{ state: Observation['state']; detail?: string }> {
    try {
      const { body } = await send(ref, { method: 'GET', path: path(listPath, id) });
      const item = body[key] as { status?: unknown } | undefined;
      if (!item || typeof item.status !== 'string') return { state: 'unknown', detail: `GET ${listPath}/${id} answered without ${key}.status` };
      return { state: observedState(item.status), detail: item.status };
    } catch (err) {
      if (isNotFound(err)) return { state: 'gone', detail: (err as ProviderError).code };
      return { state: 'unknown', detail: err instanceof Error ? err.message : String(err) };
    }
  }

  return {
    kinds: KINDS,

    async inspect(ref): Promise<ResourceSnapshot> {
      const inst = await getInstance(ref);
      const readAt = new Date().toISOString();
      if (!inst || inst.status === 'Deleted') {
        return goneSnapshot(ref, inst ? 'reported-deleted' : 'unknown-id', inst?.status ?? 'NotFound', readAt);
      }
      const volumes = await listAll<BccVolume>(ref, '/v2/volume', 'volumes', { instanceId: ref.resourceId });
      const snapshots: BccSnapshot[] = [];
      for (const v of volumes) snapshots.push(...(await listAll<BccSnapshot>(ref, '/v2/snapshot', 'snapshots', { volumeId: v.id })));
      const mode = chargingMode(inst.paymentTiming);
      return {
        ref,
        exists: true,
        status: normalizeStatus(inst.status),
        rawStatus: inst.status,
        name: inst.name,
        charging: {
          mode,
          ...(mode === 'subscription' && inst.expireTime ? { expiresAt: inst.expireTime } : {}),
          expired: isExpired(inst, Date.now()),
        },
        locks: [],
        deletionProtection: inst.deletionProtection === 1,
        tags: Object.fromEntries((inst.tags ?? []).map((t) => [t.tagKey, t.tagValue ?? ''])),
        disks: volumes.map(toDisk),
        snapshots: snapshots.map(toSnapshot),
        readAt,
      };
    },

    async destroy(ref: ResourceRef, action: ReleaseAction, options: DestroyOptions): Promise<CallReceipt> {
      transportFor(ref);
      if (action !== 'delete') throw unsupported(`BCC instances are released with 'delete', not '${action}'`);
      if (options.releaseSnapshots && !options.releaseDataDisks) {
        // deleteCdsSnapshotFlag only acts together with relatedReleaseFlag: refuse rather than silently keep them.
        throw new ProviderError(
          'baidu',
          'InvalidDestroyOptions',
          'releaseSnapshots needs releaseDataDisks (deleteCdsSnapshotFlag works only with relatedReleaseFlag)',
          'final',
        );
      }
      // clientToken: none of BCC's release calls takes one (bce-sdk-go sends it only on create/resize/purchase),
      // so options.idempotencyToken is not sent; a repeated release is harmless (Deleting: no-op; gone: NoSuchObject).
      // An instance in the recycle bin is released from the bin; that call takes no flags.
      if (options.fromRecycleBin) return once(ref, { method: 'DELETE', path: path('/v2/recycle/instance', ref.resourceId) });
      const id = path('/v2/instance', ref.resourceId);
      if (!options.releaseDataDisks) return once(ref, { method: 'DELETE', path: id });
      return once(ref, {
        method: 'POST',
        path: id,
        body: { relatedReleaseFlag: true, deleteCdsSnapshotFlag: options.releaseSnapshots, deleteRelatedEnisFlag: false, bccRecycleFlag: false },
      });
    },

    async status(ref): Promise<ResourceStatus> {
      const inst = await getInstance(ref);
      if (!inst) return { state: 'gone', rawStatus: 'NotFound' };
      return { ...goneState(inst.status), rawStatus: inst.status };
    },

    async observe(ref, items): Promise<Observation[]> {
      transportFor(ref);
      const out: Observation[] = [];
      for (const item of items) {
        if (item.type === 'resource') {
          try {
            const inst = await getInstance(ref, item.id);
            if (!inst) out.push({ ...item, state: 'gone', detail: 'NotFound' });
            else {
              const g = goneState(inst.status);
              out.push({ ...item, state: g.state === 'failed' ? 'present' : g.state, detail: inst.status });
            }
          } catch (err) {
            out.push({ ...item, state: 'unknown', detail: err instanceof Error ? err.message : String(err) });
          }
        } else if (item.type === 'disk') out.push({ ...item, ...(await observeOne(ref, '/v2/volume', 'volume', item.id)) });
        else if (item.type === 'snapshot') out.push({ ...item, ...(await observeOne(ref, '/v2/snapshot', 'snapshot', item.id)) });
        else out.push({ ...item, state: 'unknown', detail: `BCC has no ${item.type} to read` });
      }
      return out;
    },

    deleteDisk: (ref, diskId) => once(ref, { method: 'DELETE', path: path('/v2/volume', diskId) }),

    deleteSnapshot: (ref, snapshotId) => once(ref, { method: 'DELETE', path: path('/v2/snapshot', snapshotId) }),

    inventory: (query) => baiduInventory((req) => send({ provider: 'baidu', kind: 'bcc-instance', region: query.region, resourceId: '' }, req), query),
  };
}
