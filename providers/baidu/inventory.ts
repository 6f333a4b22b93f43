import { ownerOf, type InventoryItem, type InventoryPage, type InventoryQuery } from '../../domain/inventory';
import { ProviderError } from '../adapter';
import { pageAcrossKinds } from '../inventory-paging';
import { chargingMode, isExpired, normalizeStatus, type BccInstance, type BccRecycledInstance } from './mapping';
import type { BaiduAnswer, BaiduRequest } from './transport';

/** Both lists take maxKeys up to 1000; an inventory page stays at 100. */
const MAX_KEYS = 100;

/** The cursor says which list a page is in: `i:` the instance list, `r:` the recycle bin, then the BCE marker. */
const INSTANCES = 'i:';
const BIN = 'r:';

const iso = (t: string | null | undefined) => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

function item(region: string, i: BccInstance, now: number): InventoryItem {
  const tags = Object.fromEntries((i.tags ?? []).map((t) => [t.tagKey, t.tagValue ?? '']));
  const mode = chargingMode(i.paymentTiming);
  const expiresAt = mode === 'subscription' ? iso(i.expireTime) : undefined;
  const createdAt = iso(i.createTime);
  const owner = ownerOf(tags);
  return {
    provider: 'baidu',
    kind: 'bcc-instance',
    region,
    resourceId: i.id,
    ...(i.name ? { name: i.name } : {}),
    status: normalizeStatus(i.status),
    rawStatus: i.status,
    chargingMode: mode,
    ...(expiresAt ? { expiresAt } : {}),
    expired: isExpired(i, now),
    tags,
    ...(owner !== undefined ? { owner } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

/** One BCE list page: its entries under `key`, and the next marker when `isTruncated`. */
async function listPage<T>(send: (req: BaiduRequest) => Promise<BaiduAnswer>, req: BaiduRequest, key: string): Promise<{ entries: T[]; nextMarker?: string }> {
  const { body } = await send(req);
  if (!Array.isArray(body[key])) throw new ProviderError('baidu', 'UnexpectedAnswer', `${req.method} ${req.path} answered without ${key}`, 'retryable');
  const more = body.isTruncated === true && typeof body.nextMarker === 'string' && body.nextMarker !== '';
  return { entries: body[key] as T[], ...(more ? { nextMarker: body.nextMarker as string } : {}) };
}

/**
 * BCC instances: GET /v2/instance (marker / maxKeys), then the recycle bin, POST /v2/recycle/instance
 * (marker / maxKeys in the body). An instance in the bin is listed from the bin only (whether the instance
 * list shows it too is unverified); a bin entry has no tags (RecycleInstanceModel carries none). BCC's
 * list has no tag filter: tag conditions apply to each page.
 */
export function baiduInventory(send: (req: BaiduRequest) => Promise<BaiduAnswer>, query: InventoryQuery): Promise<InventoryPage> {
  return pageAcrossKinds(
    'baidu',
    ['bcc-instance'],
    query,
    {
      'bcc-instance': async (cursor = INSTANCES, pageSize) => {
        const now = Date.now();
        const marker = cursor.slice(2);
        if (cursor.startsWith(INSTANCES)) {
          const params: Record<string, string> = { maxKeys: String(pageSize), ...(marker ? { marker } : {}) };
          const page = await listPage<BccInstance>(send, { method: 'GET', path: '/v2/instance', params }, 'instances');
          const items = page.entries.filter((i) => i.id && i.status !== 'Recycled').map((i) => item(query.region, i, now));
          return { items, next: page.nextMarker ? INSTANCES + page.nextMarker : BIN };
        }
        if (!cursor.startsWith(BIN)) throw new ProviderError('baidu', 'InvalidPageToken', 'the page token was not issued by this inventory', 'final');
        const body = { maxKeys: pageSize, ...(marker ? { marker } : {}) };
        const page = await listPage<BccRecycledInstance>(send, { method: 'POST', path: '/v2/recycle/instance', body }, 'instances');
        const items = page.entries
          .filter((e) => e.id)
          .map((e) => item(query.region, { id: e.id, name: e.name, status: 'Recycled', paymentTiming: e.paymentTiming, expireTime: null }, now));
        return { items, ...(page.nextMarker ? { next: BIN + page.nextMarker } : {}) };
      },
    },
    MAX_KEYS,
  );
}
