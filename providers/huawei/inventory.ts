import { ownerOf, type InventoryItem, type InventoryPage, type InventoryQuery } from '../../domain/inventory';
import type { Charging, NormalizedStatus, ResourceKind } from '../../domain/resource';
import { ProviderError } from '../adapter';
import { pageAcrossKinds, type KindLister } from '../inventory-paging';
import type { HuaweiApi, Scope } from './api';
import { bssClosed, subscriptionCharging } from './billing';
import { tagMap } from './common';
import { nodeDisks } from './disks';
import { notHuawei, PROVIDER } from './sdk';
import { devServerStatus, hostStatus, hyperinstanceStatus } from './status-map';
import type { BssResourceWire, DevServerWire, ModelArtsPageWire } from './wire';

/** One BSS query names at most 50 resource IDs: a page's billing records come in one query. */
const PAGE_CAP = 50;
const RACK_TYPE = 'hws.resource.type.modelarts.spod';

const iso = (t: number | string | undefined) => {
  const ms = typeof t === 'number' ? t : t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const invalidToken = () => new ProviderError(PROVIDER, 'InvalidPageToken', 'the page token was not issued by this inventory', 'final');

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const n = Number(cursor);
  if (!Number.isSafeInteger(n) || n < 0) throw invalidToken();
  return n;
}

interface Line {
  kind: ResourceKind;
  id: string;
  name?: string;
  status: NormalizedStatus;
  rawStatus: string;
  charging: Charging | undefined;
  tags: Record<string, string>;
  createdAt?: string;
}

function item(s: Scope, l: Line): InventoryItem {
  const owner = ownerOf(l.tags);
  return {
    provider: 'huawei',
    kind: l.kind,
    region: s.region,
    projectId: s.projectId,
    resourceId: l.id,
    ...(l.name ? { name: l.name } : {}),
    status: l.status,
    rawStatus: l.rawStatus,
    chargingMode: l.charging?.mode ?? 'unknown',
    ...(l.charging?.expiresAt ? { expiresAt: l.charging.expiresAt } : {}),
    expired: l.charging?.expired ?? false,
    tags: l.tags,
    ...(owner !== undefined ? { owner } : {}),
    ...(l.createdAt ? { createdAt: l.createdAt } : {}),
  };
}

/** The Billing Center records of these resources, by resource ID (one query: at most PAGE_CAP IDs). */
async function billingOf(api: HuaweiApi, ids: string[]): Promise<Map<string, BssResourceWire>> {
  if (ids.length === 0) return new Map();
  const records = await api.queryAllResources({ resource_ids: ids });
  return new Map(records.flatMap((r) => (r.resource_id ? [[r.resource_id, r] as const] : [])));
}

/** A DevServer's charging as inspect reads it: PRE_PAID, or COMMON with a live billing record, is a subscription. */
function chargingOf(mode: string | undefined, own: BssResourceWire | undefined): Charging | undefined {
  if (mode === 'POST_PAID') return { mode: 'pay-per-use', expired: false };
  if (mode === 'PRE_PAID' || !bssClosed(own)) return subscriptionCharging(own);
  return mode === 'COMMON' ? { mode: 'pay-per-use', expired: false } : undefined;
}

/** The tags of a node: its cloud server's (ECS ShowServer, BMS ShowBaremetalServer), as inspect reads them. */
const serverTags = async (api: HuaweiApi, s: Scope, dev: DevServerWire) => (await nodeDisks(api, s, dev, 'pay-per-use')).tags;

/** One ModelArts list page at an offset, and the next offset while `total` says there is more. */
async function modelartsPage<T>(what: string, cursor: string | undefined, read: (offset: number) => Promise<{ body: ModelArtsPageWire<T> }>) {
  const offset = offsetOf(cursor);
  const { body } = await read(offset);
  if (!Array.isArray(body.data)) throw notHuawei(what, 'no data');
  const end = offset + body.data.length;
  return { entries: body.data, ...(body.data.length > 0 && end < (body.total ?? 0) ? { next: String(end) } : {}) };
}

function listers(api: HuaweiApi, s: Scope): Partial<Record<ResourceKind, KindLister>> {
  const nodes: KindLister = async (cursor, limit) => {
    const page = await modelartsPage('ModelArts ListDevServers', cursor, (offset) => api.listDevServers(s, { limit, offset }));
    // A supernode's (HPS) or rack's (SPOD) server is released with its supernode or rack: listed as that.
    const devs = page.entries.filter((d) => d.id && d.status !== 'DELETED' && d.category !== 'HPS' && d.category !== 'SPOD');
    const billing = await billingOf(
      api,
      devs.filter((d) => d.charging_mode !== 'POST_PAID').map((d) => d.id!),
    );
    const items: InventoryItem[] = [];
    for (const d of devs) {
      const status = d.status ?? 'UNKNOWN';
      const charging = chargingOf(d.charging_mode, billing.get(d.id!));
      items.push(
        item(s, {
          kind: 'modelarts-node',
          id: d.id!,
          name: d.name,
          status: devServerStatus(status),
          rawStatus: status,
          charging,
          tags: await serverTags(api, s, d),
          createdAt: iso(d.create_at),
        }),
      );
    }
    return { items, next: page.next };
  };

  const supernodes: KindLister = async (cursor, limit) => {
    const page = await modelartsPage('ModelArts ListHyperinstances', cursor, (offset) => api.listHyperinstances(s, { limit, offset }));
    const hypers = page.entries.filter((h) => h.id && h.status !== 'TERMINATED');
    const modesOf = (h: (typeof hypers)[number]) => ((h.servers ?? []).length > 0 ? (h.servers ?? []).map((d) => d.charging_mode) : [undefined]);
    const billing = await billingOf(
      api,
      hypers.filter((h) => modesOf(h).some((m) => m !== 'POST_PAID')).map((h) => h.id!),
    );
    const items: InventoryItem[] = [];
    for (const h of hypers) {
      const modes = modesOf(h);
      const own = billing.get(h.id!);
      const charging = modes.includes('PRE_PAID') ? subscriptionCharging(own) : chargingOf(modes[0], own);
      // A protection tag on any member server protects the supernode (as inspect reads it).
      const tags: Record<string, string> = {};
      for (const d of h.servers ?? []) Object.assign(tags, await serverTags(api, s, d));
      const status = h.status ?? 'UNKNOWN';
      items.push(
        item(s, {
          kind: 'modelarts-supernode',
          id: h.id!,
          name: h.name,
          status: hyperinstanceStatus(status),
          rawStatus: status,
          charging,
          tags,
          createdAt: iso(h.create_at),
        }),
      );
    }
    return { items, next: page.next };
  };

  // A rack has no ModelArts object: it is a Billing Center primary resource of the rack type, in this region and project.
  const racks: KindLister = async (cursor, limit) => {
    const offset = offsetOf(cursor);
    const { body } = await api.queryResources({ only_main_resource: 1, offset, limit });
    if (!Array.isArray(body.data)) throw notHuawei('BSS ListPayPerUseCustomerResources', 'no data');
    const end = offset + body.data.length;
    const mine = body.data.filter(
      (r) =>
        r.resource_id &&
        r.resource_type_code === RACK_TYPE &&
        r.region_code === s.region &&
        (r.project_id === undefined || r.project_id === s.projectId) &&
        !bssClosed(r),
    );
    const items = mine.map((r) =>
      item(s, {
        kind: 'modelarts-rack',
        id: r.resource_id!,
        name: r.resource_name,
        status: r.status === 2 ? 'running' : 'other',
        rawStatus: `BSS_STATUS_${r.status ?? 'UNKNOWN'}`,
        charging: subscriptionCharging(r),
        tags: {},
        createdAt: iso(r.effective_time),
      }),
    );
    return { items, ...(body.data.length > 0 && end < (body.total_count ?? 0) ? { next: String(end) } : {}) };
  };

  const hosts: KindLister = async (cursor, limit) => {
    const { body } = await api.listHosts(s, { limit, marker: cursor });
    if (!Array.isArray(body.dedicated_hosts)) throw notHuawei('DeH ListDedicatedHosts', 'no dedicated_hosts');
    const page = body.dedicated_hosts;
    const live = page.filter((h) => h.dedicated_host_id && h.state !== 'released');
    const billing = await billingOf(
      api,
      live.map((h) => h.dedicated_host_id!),
    );
    // DCC hosts are sold yearly/monthly only (as inspect reads them).
    const items = live.map((h) =>
      item(s, {
        kind: 'dcc-host',
        id: h.dedicated_host_id!,
        name: h.name,
        status: hostStatus(h.state ?? ''),
        rawStatus: h.state ?? 'UNKNOWN',
        charging: subscriptionCharging(billing.get(h.dedicated_host_id!)),
        tags: tagMap(h.tags),
        createdAt: iso(h.allocated_at),
      }),
    );
    const last = page[page.length - 1]?.dedicated_host_id;
    return { items, ...(page.length === limit && last ? { next: last } : {}) };
  };

  return { 'modelarts-node': nodes, 'modelarts-supernode': supernodes, 'modelarts-rack': racks, 'dcc-host': hosts };
}

/**
 * Lite Server nodes (ListDevServers), supernodes (ListHyperinstances), racks (Billing Center primary
 * resources of the rack type) and DCC hosts (DeH ListDedicatedHosts, their model). Expiry comes from one
 * Billing Center query per page; tags from each node's cloud server (ModelArts lists carry none) and from
 * DeH. None of these lists filters by tag: tag conditions apply to each page.
 */
export function huaweiInventory(api: HuaweiApi, kinds: readonly ResourceKind[], query: InventoryQuery): Promise<InventoryPage> {
  if (!query.projectId)
    throw new ProviderError(PROVIDER, 'InvalidParameter', 'the Huawei inventory needs projectId (every Huawei list is project-scoped)', 'final');
  const s: Scope = { region: query.region, projectId: query.projectId };
  return pageAcrossKinds(PROVIDER, kinds, query, listers(api, s), PAGE_CAP);
}
