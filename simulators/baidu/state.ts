import type { SimContext } from '../core/types';
import { baiduFail } from './errors';
import type { BaiduFixture, ImageRecord, InstanceRecord, SnapshotRecord, VolumeRecord } from './fixture';

const isoSecond = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The release flags of POST /v2/instance/{id} (DeleteInstanceWithRelateResourceArgs). */
export interface ReleaseFlags {
  relatedReleaseFlag: boolean;
  deleteCdsSnapshotFlag: boolean;
  deleteRelatedEnisFlag: boolean;
  bccRecycleFlag: boolean;
}

export const NO_FLAGS: ReleaseFlags = { relatedReleaseFlag: false, deleteCdsSnapshotFlag: false, deleteRelatedEnisFlag: false, bccRecycleFlag: false };

/**
 * Which release API was called: the documented release (postpaid, or prepaid and expired) or the
 * early release of a prepaid instance (POST /v2/instance/delete), which refunds the subscription
 * and, as its documentation says, releases the prepaid CDS disks bound to the instance.
 */
export type ReleaseApi = 'release' | 'release-prepaid';

/** What a release will remove, as POST /v2/instance/delete reports it. */
export interface ReleasePlan {
  instanceId: string;
  volumeIds: string[];
  snapshotIds: string[];
  instanceRefundFlag: boolean;
}

const DELETABLE_VOLUME_STATUSES = new Set(['Available', 'Expired', 'Error']);

/** All BCC resources of the simulator and the rules that change them. */
export class BaiduStore {
  readonly instances = new Map<string, InstanceRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly images = new Map<string, ImageRecord>();
  readonly accessKeys = new Map<string, string>();
  private timing: BaiduFixture['timing'] = { releaseMs: 300, stopMs: 200, startMs: 200, createMs: 30_000, recycleRetentionMs: 7 * 86_400_000 };

  constructor(
    private readonly ctx: SimContext,
    private readonly now: () => number = Date.now,
  ) {}

  seed(fixture: BaiduFixture): void {
    for (const m of [this.instances, this.volumes, this.snapshots, this.images, this.accessKeys]) m.clear();
    this.timing = fixture.timing;
    for (const k of fixture.accessKeys) this.accessKeys.set(k.accessKeyId, k.secretAccessKey);
    for (const i of fixture.instances) this.instances.set(i.id, { ...i, tags: i.tags.map((t) => ({ ...t })) });
    for (const v of fixture.volumes) this.volumes.set(v.id, { ...v, status: v.status ?? (v.instanceId ? 'InUse' : 'Available') });
    for (const s of fixture.snapshots) this.snapshots.set(s.id, { ...s });
    for (const m of fixture.images) this.images.set(m.id, { ...m });
    for (const i of this.instances.values()) this.scheduleSeededTransition(i);
  }

  /**
   * A fixture may catch an instance mid-transition: it completes as the real service would, after a modelled
   * delay on the shared timeline (so a stuck fault can still hold it). Creating → Running, Starting →
   * Running, Stopping → Stopped, Deleting → gone (as a plain release), Recycled → released when the bin's
   * retention ends.
   */
  private scheduleSeededTransition(inst: InstanceRecord): void {
    const id = inst.id;
    const after = (fallback: number, apply: (current: InstanceRecord) => void, status = inst.status) =>
      this.ctx.timeline.after(inst.transitionMs ?? fallback, id, () => {
        const current = this.instances.get(id);
        if (current === inst && current.status === status) apply(current);
      });
    switch (inst.status) {
      case 'Creating':
        return after(this.timing.createMs, (i) => {
          i.status = 'Running';
          for (const v of this.volumesOf(id)) if (v.status === 'Creating') v.status = 'InUse';
        });
      case 'Starting':
        return after(this.timing.startMs, (i) => (i.status = 'Running'));
      case 'Stopping':
        return after(this.timing.stopMs, (i) => (i.status = 'Stopped'));
      case 'Deleting': {
        const plan = this.plan(inst, NO_FLAGS, 'release');
        return after(this.timing.releaseMs, () => this.completeRelease(id, plan));
      }
      case 'Recycled': {
        const now = this.now();
        const recycledAt = inst.recycleTime ? Date.parse(inst.recycleTime) : now;
        const endsInMs = inst.recycleEndsInMs ?? Math.max(0, recycledAt + this.timing.recycleRetentionMs - now);
        return this.intoRecycleBin(inst, recycledAt, endsInMs);
      }
      default:
        return;
    }
  }

  /** The instance is in the recycle bin until it is released from it or the retention ends. */
  private intoRecycleBin(inst: InstanceRecord, recycledAt: number, endsInMs: number): void {
    inst.status = 'Recycled';
    inst.recycledAt = isoSecond(recycledAt);
    inst.recycleEndsAt = isoSecond(this.now() + endsInMs);
    const endsAt = this.now() + endsInMs;
    this.ctx.timeline.after(endsInMs, inst.id, () => {
      if (this.instances.get(inst.id) === inst && inst.status === 'Recycled') this.releaseFromBin(inst, endsAt);
    });
  }

  /**
   * Release from the recycle bin (modelled, see docs/baidu.md): whatever is still attached to the instance
   * went into the bin with it and is released with it, with the system disk's snapshots (seed 004); the
   * snapshots of CDS disks are kept.
   */
  private releaseFromBin(inst: InstanceRecord, startedAt = this.now()): void {
    const volumes = this.volumesOf(inst.id);
    const plan: ReleasePlan = {
      instanceId: inst.id,
      volumeIds: volumes.map((v) => v.id),
      snapshotIds: volumes.filter((v) => v.isSystemVolume).flatMap((v) => this.snapshotsOf(v.id).map((x) => x.id)),
      instanceRefundFlag: false,
    };
    inst.status = 'Deleting';
    // The timeline applies transitions lazily: a release that began at the retention end counts from then.
    this.ctx.timeline.after(Math.max(0, startedAt + this.timing.releaseMs - this.now()), inst.id, () => this.completeRelease(inst.id, plan));
  }

  /** POST /v2/recycle/instance: the recycle bin, filtered, in BCE marker paging. */
  recycleBin(filter: { instanceId?: string; name?: string; paymentTiming?: string; recycleBegin?: number; recycleEnd?: number }): InstanceRecord[] {
    return [...this.instances.values()].filter((i) => {
      if (i.status !== 'Recycled' || !i.recycledAt) return false;
      const at = Date.parse(i.recycledAt);
      return (
        (!filter.instanceId || i.id === filter.instanceId) &&
        (!filter.name || (i.name ?? i.id) === filter.name) &&
        (!filter.paymentTiming || i.paymentTiming === filter.paymentTiming) &&
        (filter.recycleBegin === undefined || at >= filter.recycleBegin) &&
        (filter.recycleEnd === undefined || at <= filter.recycleEnd)
      );
    });
  }

  /** Everything but the access keys (secrets never leave the simulator). */
  snapshot() {
    return {
      timing: { ...this.timing },
      instances: [...this.instances.values()],
      volumes: [...this.volumes.values()],
      snapshots: [...this.snapshots.values()],
      images: [...this.images.values()],
    };
  }

  instance(id: string): InstanceRecord {
    return this.instances.get(id) ?? baiduFail('NoSuchObject', `The instance ${id} is not found or does not exist.`);
  }

  volume(id: string): VolumeRecord {
    return this.volumes.get(id) ?? baiduFail('NoSuchObject', `The volume ${id} is not found or does not exist.`);
  }

  snapshotOf(id: string): SnapshotRecord {
    return this.snapshots.get(id) ?? baiduFail('NoSuchObject', `The snapshot ${id} is not found or does not exist.`);
  }

  volumesOf(instanceId: string): VolumeRecord[] {
    return [...this.volumes.values()].filter((v) => v.instanceId === instanceId);
  }

  snapshotsOf(volumeId: string): SnapshotRecord[] {
    return [...this.snapshots.values()].filter((s) => s.volumeId === volumeId);
  }

  isExpired(r: { paymentTiming: string; expireTime: string | null; status: string }): boolean {
    if (r.paymentTiming !== 'Prepaid') return false;
    return r.status === 'Expired' || (r.expireTime !== null && Date.parse(r.expireTime) <= this.now());
  }

  /**
   * Release one instance. A repeated release while it is already Deleting is accepted as a no-op
   * (unverified: the documentation is silent; this keeps a retried call harmless).
   */
  release(id: string, flags: ReleaseFlags, api: ReleaseApi): ReleasePlan {
    const inst = this.instance(id);
    const plan = this.plan(inst, flags, api);
    if (inst.status === 'Deleting') return plan;
    // Modelled: a plain release of an instance in the bin releases it from the bin (same effect as the bin's own call).
    if (inst.status === 'Recycled') {
      this.releaseFromBin(inst);
      return plan;
    }
    if (inst.status === 'Creating') return baiduFail('Instance.ReleaseWhileCreating');
    if (inst.deletionProtection === 1) return baiduFail('Instance.DeletionProtection');
    if (api === 'release' && inst.paymentTiming === 'Prepaid' && !this.isExpired(inst)) return baiduFail('Instance.ReleaseNotPrepay');

    if (flags.bccRecycleFlag && api === 'release') {
      // The recycle bin keeps the instance with its disks, stopped, until it is released for good.
      this.intoRecycleBin(inst, this.now(), this.timing.recycleRetentionMs);
      return plan;
    }
    inst.status = 'Deleting';
    this.ctx.timeline.after(this.timing.releaseMs, id, () => this.completeRelease(id, plan));
    return plan;
  }

  /** DELETE /v2/recycle/instance/{id}: only an instance in the recycle bin. */
  releaseRecycled(id: string): void {
    const inst = this.instance(id);
    // A repeat while the release from the bin is under way is a no-op (like a repeated release).
    if (inst.status === 'Deleting') return;
    if (inst.status !== 'Recycled') return baiduFail('Instance.InvalidStatus', `The instance ${id} is not in the recycle bin.`);
    this.releaseFromBin(inst);
  }

  /** PUT /v2/instance/{id}?stop. Stopping or Stopped again is a no-op. */
  stop(id: string): void {
    const inst = this.instance(id);
    if (inst.status === 'Stopped' || inst.status === 'Stopping') return;
    if (inst.status !== 'Running') return baiduFail('Instance.InvalidStatus', `The instance ${id} is ${inst.status} and can not be stopped.`);
    inst.status = 'Stopping';
    this.ctx.timeline.after(this.timing.stopMs, id, () => {
      const current = this.instances.get(id);
      if (current?.status === 'Stopping') current.status = 'Stopped';
    });
  }

  deleteVolume(id: string): void {
    const v = this.volume(id);
    if (v.isSystemVolume) return baiduFail('Volume.SystemDiskCannotBeDeleted');
    if (!DELETABLE_VOLUME_STATUSES.has(v.status)) return baiduFail('Volume.DiskStatusCannotBeDeleted', `Volume ${id} is ${v.status} and can not be deleted.`);
    if (v.paymentTiming === 'Prepaid' && !this.isExpired(v)) return baiduFail('Volume.PrepayVolumeCannotBeDeleted');
    // Documented: the snapshots of a released disk are retained.
    this.volumes.delete(id);
  }

  deleteSnapshot(id: string): void {
    this.snapshotOf(id);
    this.snapshots.delete(id);
  }

  /**
   * What goes with the instance (seed 004): the system disk and all its snapshots; CDS disks are
   * detached and kept with their snapshots, except postpaid CDS disks under relatedReleaseFlag
   * (and their snapshots under deleteCdsSnapshotFlag). Prepaid CDS disks go only with the early
   * release of a prepaid instance. Custom images always stay.
   */
  private plan(inst: InstanceRecord, flags: ReleaseFlags, api: ReleaseApi): ReleasePlan {
    const volumeIds: string[] = [];
    const snapshotIds: string[] = [];
    for (const v of this.volumesOf(inst.id)) {
      const releaseCds =
        !v.isSystemVolume && ((api === 'release-prepaid' && v.paymentTiming === 'Prepaid') || (flags.relatedReleaseFlag && v.paymentTiming === 'Postpaid'));
      if (v.isSystemVolume || releaseCds) volumeIds.push(v.id);
      const dropSnapshots = v.isSystemVolume || (releaseCds && flags.relatedReleaseFlag && flags.deleteCdsSnapshotFlag);
      if (dropSnapshots) snapshotIds.push(...this.snapshotsOf(v.id).map((s) => s.id));
    }
    const refund = api === 'release-prepaid' && inst.paymentTiming === 'Prepaid' && !this.isExpired(inst);
    return { instanceId: inst.id, volumeIds, snapshotIds, instanceRefundFlag: refund };
  }

  private completeRelease(id: string, plan: ReleasePlan): void {
    if (this.instances.get(id)?.status !== 'Deleting') return;
    this.instances.delete(id);
    for (const volumeId of plan.volumeIds) this.volumes.delete(volumeId);
    for (const snapshotId of plan.snapshotIds) this.snapshots.delete(snapshotId);
    for (const v of this.volumesOf(id)) {
      v.instanceId = null;
      v.status = this.isExpired(v) ? 'Expired' : 'Available';
      delete v.device;
    }
  }
}
