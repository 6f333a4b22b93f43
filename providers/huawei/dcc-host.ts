import type { CallReceipt, Disk, HostVm, ReleaseAction, ResourceRef, ResourceSnapshot, ResourceStatus, VmDeleteJob } from '../../domain/resource';
import { ProviderError } from '../adapter';
import type { HuaweiApi } from './api';
import { bssClosed, bssFrozen, readBilling, readBillingRefusals, subscriptionCharging } from './billing';
import { destructive, isNotFound, scopeOf, tagMap, unsupported } from './common';
import { diskSnapshots } from './disks';
import type { Scope } from './api';
import { goneSnapshot } from '../../domain/resource';
import { notHuawei, PROVIDER } from './sdk';
import { hostStatus } from './status-map';
import type { DedicatedHostWire, EcsJobWire, HostServersWire } from './wire';

/** ECS accepts at most this many servers in one cloudservers/delete. */
export const MAX_VMS_PER_DELETE = 1000;

const UNSUBSCRIBE_REASON = 'DCC host released by the cloud-release orchestrator after its VMs were deleted.';

/** A VM on the host. `created_by_service` is the modelled marker of a managed-service VM (absent: ECS). */
export function hostVm(server: NonNullable<HostServersWire['servers']>[number]): HostVm | undefined {
  if (!server.id) return undefined;
  const meta = server.metadata ?? {};
  return {
    id: server.id,
    ...(server.name ? { name: server.name } : {}),
    service: meta.created_by_service ?? 'ECS',
    chargingMode: meta.charging_mode === '1' ? 'subscription' : 'pay-per-use',
    status: server.status ?? 'UNKNOWN',
  };
}

async function readHost(api: HuaweiApi, ref: ResourceRef): Promise<NonNullable<DedicatedHostWire['dedicated_host']> | undefined> {
  try {
    const host = (await api.getHost(scopeOf(ref), ref.resourceId)).body.dedicated_host;
    if (!host || typeof host.state !== 'string') throw notHuawei('DeH ShowDedicatedHost', 'no dedicated_host.state');
    return host;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * The disks of the host's VMs (ECS ShowServer `os-extended-volumes:volumes_attached`), tagged with their VM:
 * the drain deletes a VM's system disk and detaches its data disks, so the plan must list them. Whether a
 * VM's disk was chosen at its creation is not known here (and does not matter for a drain).
 */
async function vmDisks(api: HuaweiApi, s: Scope, vms: HostVm[]): Promise<Disk[]> {
  const out: Disk[] = [];
  for (const vm of vms) {
    let attached;
    try {
      attached = (await api.showServer(s, vm.id)).body.server?.['os-extended-volumes:volumes_attached'] ?? [];
    } catch (err) {
      if (isNotFound(err)) continue; // deleted meanwhile: no disk to report
      throw err;
    }
    for (const v of attached) {
      if (v.id) out.push({ id: v.id, role: v.bootIndex === '0' ? 'system' : 'data', origin: 'with-resource', attachedTo: vm.id });
    }
  }
  return out;
}

/** The host (DeH shape), its VMs, and its Billing Center record: the host ID is its billing resource ID. */
export async function inspectHost(api: HuaweiApi, ref: ResourceRef): Promise<ResourceSnapshot> {
  const s = scopeOf(ref);
  const host = await readHost(api, ref);
  if (!host) return goneSnapshot(ref, 'unknown-id', 'NOT_FOUND', new Date().toISOString());
  const state = host.state ?? 'UNKNOWN';
  if (state === 'released') return goneSnapshot(ref, 'reported-deleted', state, new Date().toISOString());
  const { body } = await api.getHostServers(s, ref.resourceId);
  if (!Array.isArray(body.servers)) throw notHuawei('DeH ListServersDedicatedHost', 'no servers');
  const vms = body.servers.flatMap((v) => hostVm(v) ?? []);
  const billing = await readBilling(api, ref.resourceId);
  const frozen = bssFrozen(billing.own);
  // Seed 001: no unsubscription while the account is frozen; BSS says so only at unsubscription time, after
  // the drain has deleted every VM. Read it (and pending payment) now, so the plan blocks before the drain.
  const refusals = await readBillingRefusals(api, ref.resourceId, billing.order?.orderId);
  const disks = await vmDisks(api, s, vms);
  return {
    ref,
    exists: true,
    status: hostStatus(state),
    rawStatus: state,
    ...(host.name ? { name: host.name } : {}),
    // DCC hosts are sold yearly/monthly only; no BSS record means the subscription is over.
    charging: subscriptionCharging(billing.own),
    ...(frozen ? { frozen } : {}),
    ...refusals,
    locks: [],
    deletionProtection: false,
    tags: tagMap(host.tags),
    disks,
    snapshots: await diskSnapshots(api, s, disks),
    ...(billing.order ? { order: billing.order } : {}),
    vms,
    readAt: new Date().toISOString(),
  };
}

/** Gone when DeH no longer knows the host or reports it released; deleting once BSS closed it. */
export async function hostGoneStatus(api: HuaweiApi, ref: ResourceRef): Promise<ResourceStatus> {
  const host = await readHost(api, ref);
  if (!host) return { state: 'gone', rawStatus: 'NOT_FOUND' };
  const raw = host.state ?? 'UNKNOWN';
  if (raw === 'released') return { state: 'gone', rawStatus: raw };
  const billing = await readBilling(api, ref.resourceId);
  if (bssClosed(billing.own)) return { state: 'deleting', rawStatus: raw, detail: 'the subscription is closed; the host is being released' };
  return { state: 'present', rawStatus: raw };
}

/** A DCC host is only ever unsubscribed (BSS, resource_ids [host ID]). */
export async function destroyHost(api: HuaweiApi, ref: ResourceRef, action: ReleaseAction): Promise<CallReceipt> {
  scopeOf(ref);
  if (action !== 'unsubscribe') throw unsupported(ref, `'${action}'`);
  return destructive(async () => {
    const answer = await api.unsubscribe([ref.resourceId], UNSUBSCRIBE_REASON);
    if (!Array.isArray(answer.body.order_ids)) throw notHuawei('BSS unsubscribe', 'no order_ids');
    return { requestId: answer.requestId, references: answer.body.order_ids };
  });
}

/**
 * Drain: one ECS batch delete of the host's VMs. `delete_volume: false` and `delete_publicip: false`:
 * the system disk always goes with a server, but data disks and EIPs are separate resources that do
 * not block the host's unsubscription; deleting them would destroy data or addresses the release
 * request never named. They are left for an explicit cleanup (docs/huawei.md).
 */
export async function deleteHostVms(api: HuaweiApi, ref: ResourceRef, vmIds: string[]): Promise<CallReceipt & { jobId: string }> {
  const s = scopeOf(ref);
  if (ref.kind !== 'dcc-host') throw unsupported(ref, 'deleteVms');
  const ids = [...new Set(vmIds)];
  if (ids.length === 0 || ids.length > MAX_VMS_PER_DELETE) {
    throw new ProviderError(PROVIDER, 'InvalidParameter', `deleteVms takes 1 to ${MAX_VMS_PER_DELETE} VM IDs, got ${ids.length}`, 'final');
  }
  const answer = await api.deleteServers(s, ids, { deletePublicip: false, deleteVolume: false });
  if (typeof answer.body.job_id !== 'string') throw notHuawei('ECS DeleteServers', 'no job_id');
  return { jobId: answer.body.job_id, requestId: answer.requestId, references: [answer.body.job_id], alreadyDone: false };
}

const JOB_STATUSES = ['INIT', 'RUNNING', 'SUCCESS', 'FAIL'] as const;
type JobStatus = (typeof JOB_STATUSES)[number];
const jobStatus = (raw: string | undefined): JobStatus | undefined => JOB_STATUSES.find((s) => s === raw);

/** ECS ShowJob, with one sub-job per server and each failure's reason. */
export async function readVmDeleteJob(api: HuaweiApi, ref: ResourceRef, jobId: string): Promise<VmDeleteJob> {
  const s = scopeOf(ref);
  const { body } = await api.showJob(s, jobId);
  const status = jobStatus(body.status);
  if (!status) throw notHuawei('ECS ShowJob', `status ${String(body.status)}`);
  const subJobs: VmDeleteJob['subJobs'] = (body.entities?.sub_jobs ?? []).map((sub: NonNullable<NonNullable<EcsJobWire['entities']>['sub_jobs']>[number]) => ({
    serverId: sub.entities?.server_id ?? '',
    status: jobStatus(sub.status) ?? 'INIT',
    ...(sub.fail_reason ? { failReason: sub.fail_reason } : {}),
  }));
  return { jobId: body.job_id ?? jobId, status, subJobs, ...(body.fail_reason ? { failReason: body.fail_reason } : {}) };
}
