import { randomUUID } from 'node:crypto';
import type { Timeline } from '../core/timeline';
import {
  DEFAULT_TIMING,
  type AccessKeyFixture,
  type BillingResource,
  type DevServer,
  type Host,
  type HuaweiFixture,
  type HuaweiTiming,
  type Hyperinstance,
  type Server,
  type Snapshot,
  type Volume,
} from './fixture';

export interface SubJob {
  status: JobStatus;
  entities: { server_id: string };
  job_id: string;
  job_type: 'deleteServer';
  begin_time: string;
  end_time: string | null;
  error_code: string | null;
  fail_reason: string | null;
}

export type JobStatus = 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL';

/** An ECS / EVS asynchronous job, in the shape of ShowJob. */
export interface Job {
  job_id: string;
  job_type: 'deleteServers' | 'deleteVolume';
  status: JobStatus;
  begin_time: string;
  end_time: string | null;
  error_code: string | null;
  fail_reason: string | null;
  entities: { sub_jobs_total?: number; sub_jobs?: SubJob[]; volume_id?: string };
}

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Huawei job, order and request IDs are 32 hex characters. */
export const hexId = () => randomUUID().replace(/-/g, '');

const byId = <T>(items: T[] | undefined, key: (t: T) => string) => new Map((items ?? []).map((t) => [key(t), structuredClone(t)]));

/**
 * Everything the Huawei simulator knows, plus the side effects shared by several APIs: deleting a
 * server with its disks, applying the Lite Server data-disk retention rules, closing a BSS order.
 */
export class HuaweiState {
  region = 'cn-southwest-2';
  projectId = '';
  accessKeys = new Map<string, AccessKeyFixture>();
  accountFrozen = false;
  /** Amount the account owes (ShowCustomerAccountBalances `debt_amount`): positive while it is frozen for arrears. */
  accountDebt = 0;
  timing: HuaweiTiming = { ...DEFAULT_TIMING };
  devServers = new Map<string, DevServer>();
  hyperinstances = new Map<string, Hyperinstance>();
  billing = new Map<string, BillingResource>();
  /** Resource IDs whose subscription was closed (unsubscribed, released or deleted): answers CBC.30000067. */
  closedResources = new Set<string>();
  hosts = new Map<string, Host>();
  servers = new Map<string, Server>();
  volumes = new Map<string, Volume>();
  snapshots = new Map<string, Snapshot>();
  jobs = new Map<string, Job>();

  constructor(private readonly timeline: Timeline) {}

  load(section: HuaweiFixture | undefined): void {
    const f = section ?? {};
    this.region = f.region ?? 'cn-southwest-2';
    this.accessKeys = byId(f.accessKeys, (k) => k.accessKeyId);
    this.projectId = f.projectId ?? f.accessKeys?.[0]?.projectIds[0] ?? '';
    this.accountFrozen = f.account?.frozen ?? false;
    this.timing = { ...DEFAULT_TIMING, ...f.timing };
    this.devServers = byId(f.devServers, (d) => d.id);
    this.hyperinstances = byId(f.hyperinstances, (h) => h.id);
    this.billing = byId(f.billing?.resources, (r) => r.resource_id);
    this.closedResources = new Set();
    this.hosts = byId(f.hosts, (h) => h.dedicated_host_id);
    this.servers = byId(f.servers, (s) => s.id);
    this.volumes = byId(f.volumes, (v) => v.id);
    this.snapshots = byId(f.snapshots, (s) => s.id);
    this.jobs = new Map();
    this.accountDebt = f.account?.debtAmount ?? (this.accountFrozen ? 1280.5 : 0);
    this.resumeTransitions();
  }

  /**
   * A fixture may seed an object mid-transition (a DevServer DELETING, a supernode TERMINATING, a host
   * released): it goes on as the real service would, after the modelled delay, so no fixture can hold
   * a release forever (only a "stuck" fault does that).
   */
  private resumeTransitions(): void {
    for (const ds of this.devServers.values()) if (ds.status === 'DELETING') this.finishDevServerDelete(ds);
    for (const h of this.hyperinstances.values()) if (h.status === 'TERMINATING') this.finishHyperinstanceDelete(h);
    for (const host of this.hosts.values()) {
      if (host.state === 'released') this.after(this.timing.goneAfterMs, host.dedicated_host_id, () => this.hosts.delete(host.dedicated_host_id));
    }
  }

  /** A DevServer already DELETING: DELETED (or DELETE_FAILED) after deleteMs, its disks handled, then 404. */
  finishDevServerDelete(ds: DevServer): void {
    this.after(this.timing.deleteMs, ds.id, () => {
      ds.update_at = Date.now();
      if (ds.sim?.failDelete) {
        ds.status = 'DELETE_FAILED';
        return;
      }
      ds.status = 'DELETED';
      this.retireDevServer(ds);
      if (ds.charging_mode === 'PRE_PAID') this.closeBilling(this.billingFamily(ds.id).map((r) => r.resource_id));
      this.after(this.timing.goneAfterMs, ds.id, () => this.devServers.delete(ds.id));
    });
  }

  /** A supernode already TERMINATING: TERMINATED with its servers after deleteMs, then 404. */
  finishHyperinstanceDelete(h: Hyperinstance): void {
    const children = h.server_ids.flatMap((sid) => this.devServers.get(sid) ?? []);
    const payPerUse = children.length > 0 && children.every((c) => c.charging_mode === 'POST_PAID');
    for (const c of children) c.status = 'DELETING';
    this.after(this.timing.deleteMs, h.id, () => {
      h.status = 'TERMINATED';
      h.update_at = Date.now();
      for (const c of children) {
        c.status = 'DELETED';
        this.retireDevServer(c);
      }
      if (!payPerUse) this.closeBilling([h.id, ...children.map((c) => c.id)].flatMap((rid) => this.billingFamily(rid).map((r) => r.resource_id)));
      this.after(this.timing.goneAfterMs, h.id, () => {
        this.hyperinstances.delete(h.id);
        for (const c of children) this.devServers.delete(c.id);
      });
    });
  }

  snapshot() {
    const all = <T>(m: Map<string, T>) => [...m.values()];
    return {
      region: this.region,
      projectId: this.projectId,
      account: { frozen: this.accountFrozen, debtAmount: this.accountDebt },
      timing: this.timing,
      devServers: all(this.devServers),
      hyperinstances: all(this.hyperinstances),
      billing: { resources: all(this.billing), closedResourceIds: [...this.closedResources] },
      hosts: all(this.hosts),
      servers: all(this.servers),
      jobs: all(this.jobs),
      volumes: all(this.volumes),
      snapshots: all(this.snapshots),
    };
  }

  /** Servers (VMs) currently placed on a dedicated host. */
  serversOnHost(hostId: string): Server[] {
    return [...this.servers.values()].filter((s) => s.sim?.hostId === hostId);
  }

  volumesOf(serverId: string): Volume[] {
    return [...this.volumes.values()].filter((v) => v.attachments.some((a) => a.server_id === serverId));
  }

  /**
   * Delete a disk. Its snapshots are KEPT unless `cascade` (EVS `DELETE volume` default cascade=false,
   * providers.md). A disk deleted by a server / DevServer / order deletion keeps its snapshots too: unverified
   * at Huawei, modelled on the EVS default, and the planner says the same (docs/huawei.md).
   */
  deleteVolume(volumeId: string, cascade = false): void {
    this.volumes.delete(volumeId);
    if (cascade) for (const s of [...this.snapshots.values()]) if (s.volume_id === volumeId) this.snapshots.delete(s.id);
  }

  detachVolume(volumeId: string, serverId: string): void {
    const v = this.volumes.get(volumeId);
    if (!v) return;
    v.attachments = v.attachments.filter((a) => a.server_id !== serverId);
    if (v.attachments.length === 0) v.status = 'available';
  }

  /**
   * Remove an ECS/BMS server. Its system disk (the bootable one) always goes; each data disk is deleted when
   * `deleteData(volumeId)` says so, otherwise detached and kept.
   */
  removeServer(serverId: string, deleteData: (volumeId: string) => boolean): void {
    for (const v of this.volumesOf(serverId)) {
      if (v.bootable === 'true' || deleteData(v.id)) this.deleteVolume(v.id);
      else this.detachVolume(v.id, serverId);
    }
    this.servers.delete(serverId);
  }

  /**
   * Seed 000 data-disk rules when a Lite Server node goes: the system disk goes; data disks chosen at
   * creation go for yearly/monthly nodes and for any supernode server, and stay for pay-per-use ECS/BMS
   * nodes; disks attached later always stay.
   */
  retireDevServer(ds: DevServer): void {
    const creationData = new Set(ds.volumes.filter((v) => v.type === 'DATA').map((v) => v.evs_id));
    const deleteCreationData = ds.charging_mode === 'PRE_PAID' || ds.category === 'HPS';
    const deleteData = (volumeId: string) => deleteCreationData && creationData.has(volumeId);
    if (ds.cloud_server && this.servers.has(ds.cloud_server.id)) {
      this.removeServer(ds.cloud_server.id, deleteData);
    }
    // Disks listed on the node but not (or no longer) attached to a known server.
    for (const v of ds.volumes) {
      if (!this.volumes.has(v.evs_id)) continue;
      if (v.type === 'ROOT' || deleteData(v.evs_id)) this.deleteVolume(v.evs_id);
    }
  }

  /** Close the subscriptions of these resources: they leave the BSS list and answer "already unsubscribed". */
  closeBilling(resourceIds: Iterable<string>): void {
    for (const id of resourceIds) {
      this.billing.delete(id);
      this.closedResources.add(id);
    }
  }

  /**
   * What one BSS unsubscribe / release of `resourceId` takes (seed 001): the primary resource with the
   * secondary resources attached to it (a rack's or supernode's nodes, a server's disks), never another
   * primary of the same order, except for a solution product portfolio (modelled `portfolio_id`), which
   * only goes as a whole: every primary of the portfolio with their secondaries.
   */
  billingUnit(resourceId: string): BillingResource[] {
    const r = this.billing.get(resourceId);
    if (!r) return [];
    const primaries = r.portfolio_id ? [...this.billing.values()].filter((p) => p.is_main_resource === 1 && p.portfolio_id === r.portfolio_id) : [r];
    return primaries.flatMap((p) => this.billingFamily(p.resource_id));
  }

  /** The resource and every billing resource attached to it (children of a rack / supernode, disks). */
  billingFamily(resourceId: string): BillingResource[] {
    return [...this.billing.values()].filter((r) => r.resource_id === resourceId || r.main_resource_id === resourceId || r.parent_resource_id === resourceId);
  }

  /** Schedule a transition through the shared timeline (held by a "stuck" fault on `resourceId`). */
  after(delayMs: number, resourceId: string, apply: () => void): void {
    this.timeline.after(delayMs, resourceId, apply);
  }
}
