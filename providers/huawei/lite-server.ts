import type { CallReceipt, Charging, Disk, ReleaseAction, ResourceRef, ResourceSnapshot, ResourceStatus } from '../../domain/resource';
import type { HuaweiApi, Scope } from './api';
import { bssClosed, bssFrozen, readBilling, readBillingRefusals, subscriptionCharging, type BillingRefusals, type BillingView } from './billing';
import { destructive, isNotFound, scopeOf, unsupported } from './common';
import { goneSnapshot } from '../../domain/resource';
import { diskSnapshots, nodeDisks } from './disks';
import { notHuawei } from './sdk';
import { devServerStatus, goneState, hyperinstanceStatus } from './status-map';
import type { BssResourceWire, DevServerWire, HyperinstanceWire } from './wire';

const UNSUBSCRIBE_REASON = 'Released by the cloud-release orchestrator after an approved release request.';

/**
 * DevServer charging_mode: PRE_PAID is a subscription, POST_PAID pay-per-use. COMMON ("both are
 * supported") says nothing about this instance: a live Billing Center record decides (BSS lists
 * yearly/monthly resources only).
 */
function chargingOf(mode: string | undefined, own: BssResourceWire | undefined): Charging {
  if (mode === 'POST_PAID') return { mode: 'pay-per-use', expired: false };
  if (mode === 'PRE_PAID' || !bssClosed(own)) return subscriptionCharging(own);
  return { mode: 'pay-per-use', expired: false };
}

const readsBilling = (modes: (string | undefined)[]) => modes.some((m) => m !== 'POST_PAID');

async function snapshotFrom(
  api: HuaweiApi,
  s: Scope,
  ref: ResourceRef,
  base: { rawStatus: string; status: ResourceSnapshot['status']; name?: string; serverType?: string },
  billing: BillingView,
  charging: Charging,
  disks: Disk[],
  tags: Record<string, string>,
  extra: Pick<ResourceSnapshot, 'memberOf'> = {},
): Promise<ResourceSnapshot> {
  const frozen = bssFrozen(billing.own);
  const refusals = await refusalsFor(api, ref, charging, billing);
  return {
    ref,
    exists: true,
    ...base,
    charging,
    ...(frozen ? { frozen } : {}),
    ...refusals,
    ...extra,
    locks: [],
    deletionProtection: false,
    tags,
    disks,
    snapshots: await diskSnapshots(api, s, disks),
    ...(billing.order ? { order: billing.order } : {}),
    readAt: new Date().toISOString(),
  };
}

/**
 * The Billing Center's refusals known in advance (frozen account, pending payment), read only when the
 * release goes through it: a yearly/monthly resource (pay-per-use ones are deleted through ModelArts).
 */
async function refusalsFor(api: HuaweiApi, ref: ResourceRef, charging: Charging, billing: BillingView): Promise<BillingRefusals> {
  if (charging.mode !== 'subscription') return {};
  return readBillingRefusals(api, ref.resourceId, billing.order?.orderId);
}

/** The disks of member servers, each tagged with its server (the report names which member a disk is on). */
async function memberDisks(
  api: HuaweiApi,
  s: Scope,
  servers: DevServerWire[],
  mode: Charging['mode'],
): Promise<{ disks: Disk[]; tags: Record<string, string> }> {
  const disks: Disk[] = [];
  const tags: Record<string, string> = {};
  for (const dev of servers) {
    const node = await nodeDisks(api, s, dev, mode);
    disks.push(...node.disks.map((d) => (dev.id ? { ...d, attachedTo: dev.id } : d)));
    Object.assign(tags, node.tags);
  }
  return { disks, tags };
}

// ---- modelarts-node: a DevServer ----

export async function inspectNode(api: HuaweiApi, ref: ResourceRef): Promise<ResourceSnapshot> {
  const s = scopeOf(ref);
  let dev: DevServerWire;
  try {
    dev = (await api.getDevServer(s, ref.resourceId)).body;
  } catch (err) {
    if (isNotFound(err)) return goneSnapshot(ref, 'unknown-id', 'NOT_FOUND', new Date().toISOString());
    throw err;
  }
  if (typeof dev.status !== 'string') throw notHuawei('ModelArts ShowDevServer', 'no status');
  if (dev.status === 'DELETED') return goneSnapshot(ref, 'reported-deleted', dev.status, new Date().toISOString());
  const billing = readsBilling([dev.charging_mode]) ? await readBilling(api, ref.resourceId, dev.order_id) : {};
  const charging = chargingOf(dev.charging_mode, billing.own);
  const { disks, tags } = await nodeDisks(api, s, dev, charging.mode);
  // A supernode's server (category HPS) cannot be deleted, unsubscribed or released alone (seed 000).
  const memberOf =
    dev.category === 'HPS' ? { kind: 'modelarts-supernode' as const, id: billing.own?.main_resource_id ?? billing.own?.parent_resource_id } : undefined;
  return snapshotFrom(
    api,
    s,
    ref,
    { rawStatus: dev.status, status: devServerStatus(dev.status), name: dev.name, serverType: dev.cloud_server?.type },
    billing,
    charging,
    disks,
    tags,
    memberOf ? { memberOf } : {},
  );
}

export async function nodeStatus(api: HuaweiApi, ref: ResourceRef): Promise<ResourceStatus> {
  const s = scopeOf(ref);
  try {
    const { body } = await api.getDevServer(s, ref.resourceId);
    if (typeof body.status !== 'string') throw notHuawei('ModelArts ShowDevServer', 'no status');
    const state = goneState(devServerStatus(body.status));
    return { state, rawStatus: body.status, ...(state === 'failed' ? { detail: `DevServer ${ref.resourceId} is ${body.status}` } : {}) };
  } catch (err) {
    if (isNotFound(err)) return { state: 'gone', rawStatus: 'NOT_FOUND' };
    throw err;
  }
}

// ---- modelarts-supernode: a hyperinstance and its HPS servers ----

export async function inspectSupernode(api: HuaweiApi, ref: ResourceRef): Promise<ResourceSnapshot> {
  const s = scopeOf(ref);
  let hyper: HyperinstanceWire;
  try {
    hyper = (await api.getHyperinstance(s, ref.resourceId)).body;
  } catch (err) {
    if (isNotFound(err)) return goneSnapshot(ref, 'unknown-id', 'NOT_FOUND', new Date().toISOString());
    throw err;
  }
  if (typeof hyper.status !== 'string') throw notHuawei('ModelArts GetHyperinstance', 'no status');
  if (hyper.status === 'TERMINATED') return goneSnapshot(ref, 'reported-deleted', hyper.status, new Date().toISOString());
  const servers = hyper.servers ?? [];
  // The hyperinstance has no charging mode of its own: its servers' modes, then BSS, decide.
  const modes = servers.length > 0 ? servers.map((d) => d.charging_mode) : [undefined];
  const billing = readsBilling(modes) ? await readBilling(api, ref.resourceId, hyper.order_id) : {};
  const charging = modes.includes('PRE_PAID') ? subscriptionCharging(billing.own) : chargingOf(modes[0], billing.own);
  const { disks, tags } = await memberDisks(api, s, servers, charging.mode);
  return snapshotFrom(
    api,
    s,
    ref,
    { rawStatus: hyper.status, status: hyperinstanceStatus(hyper.status), name: hyper.name, serverType: 'HPS' },
    billing,
    charging,
    disks,
    tags,
  );
}

export async function supernodeStatus(api: HuaweiApi, ref: ResourceRef): Promise<ResourceStatus> {
  const s = scopeOf(ref);
  try {
    const { body } = await api.getHyperinstance(s, ref.resourceId);
    if (typeof body.status !== 'string') throw notHuawei('ModelArts GetHyperinstance', 'no status');
    const state = goneState(hyperinstanceStatus(body.status));
    return { state, rawStatus: body.status, ...(state === 'failed' ? { detail: `supernode ${ref.resourceId} is ${body.status}` } : {}) };
  } catch (err) {
    if (isNotFound(err)) return { state: 'gone', rawStatus: 'NOT_FOUND' };
    throw err;
  }
}

// ---- modelarts-rack: a Billing Center order only (no ModelArts object of its own) ----

const bssRaw = (own: BssResourceWire | undefined) => (own ? `BSS_STATUS_${own.status ?? 'UNKNOWN'}` : 'NOT_IN_BSS');

export async function inspectRack(api: HuaweiApi, ref: ResourceRef): Promise<ResourceSnapshot> {
  const s = scopeOf(ref);
  const billing = await readBilling(api, ref.resourceId);
  if (bssClosed(billing.own)) return goneSnapshot(ref, billing.own ? 'reported-deleted' : 'unknown-id', bssRaw(billing.own), new Date().toISOString());
  const charging = subscriptionCharging(billing.own);
  // The rack's order takes every member node with its system disk and creation-time data disks (seed 000):
  // read each member's DevServer and disks so that the plan lists them (and the backup gate applies).
  const servers: DevServerWire[] = [];
  for (const member of billing.members ?? []) {
    if (member === ref.resourceId) continue;
    try {
      servers.push((await api.getDevServer(s, member)).body);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  // Member servers' tags count for the rack: a protection tag on any member protects the whole order.
  const { disks, tags } = await memberDisks(api, s, servers, charging.mode);
  return snapshotFrom(
    api,
    s,
    ref,
    { rawStatus: bssRaw(billing.own), status: billing.own?.status === 2 ? 'running' : 'other', name: billing.own?.resource_name },
    billing,
    charging,
    disks,
    tags,
  );
}

/**
 * A rack is gone when BSS no longer lists it; closed (status 3) while a member node still exists
 * in ModelArts is `deleting`: the order was closed and its nodes are being removed.
 */
export async function rackStatus(api: HuaweiApi, ref: ResourceRef): Promise<ResourceStatus> {
  scopeOf(ref);
  const billing = await readBilling(api, ref.resourceId);
  const raw = bssRaw(billing.own);
  if (!billing.own) return { state: 'gone', rawStatus: raw };
  if (!bssClosed(billing.own)) return { state: 'present', rawStatus: raw };
  for (const member of billing.order?.members ?? []) {
    if (member === ref.resourceId) continue;
    const node = await nodeStatus(api, { ...ref, kind: 'modelarts-node', resourceId: member });
    if (node.state !== 'gone') return { state: 'deleting', rawStatus: raw, detail: `member ${member} is ${node.rawStatus}` };
  }
  return { state: 'gone', rawStatus: raw };
}

// ---- destroy: ModelArts delete, or the Billing Center for the whole order ----

export async function destroyLiteServer(api: HuaweiApi, ref: ResourceRef, action: ReleaseAction): Promise<CallReceipt> {
  const s = scopeOf(ref);
  if (action === 'delete') {
    if (ref.kind === 'modelarts-rack') throw unsupported(ref, "'delete'");
    return destructive(async () => {
      const what = ref.kind === 'modelarts-supernode' ? 'ModelArts DeleteHyperinstance' : 'ModelArts DeleteDevServer';
      const answer = ref.kind === 'modelarts-supernode' ? await api.deleteHyperinstance(s, ref.resourceId) : await api.deleteDevServer(s, ref.resourceId);
      if (typeof answer.body.status !== 'string') throw notHuawei(what, 'no status');
      return { requestId: answer.requestId, references: [] };
    });
  }
  return destructive(async () => {
    // The billing resource ID of a Lite Server resource is its ModelArts ID (seed 000), the rack's its own ID.
    const answer = action === 'unsubscribe' ? await api.unsubscribe([ref.resourceId], UNSUBSCRIBE_REASON) : await api.release([ref.resourceId]);
    if (!Array.isArray(answer.body.order_ids)) throw notHuawei(`BSS ${action}`, 'no order_ids');
    return { requestId: answer.requestId, references: answer.body.order_ids };
  });
}
