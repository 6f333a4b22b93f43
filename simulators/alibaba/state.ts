import { resolveTime, type InstanceStatus, type ParsedAlibabaSection } from './fixture';

export type ChargeType = 'PrePaid' | 'PostPaid';

export interface InstanceLock {
  reason: string;
  msg?: string;
}

export interface InstanceState {
  id: string;
  region: string;
  zone: string;
  name: string;
  description: string;
  status: InstanceStatus;
  chargeType: ChargeType;
  /** ms since epoch; PrePaid only. */
  expiredAt?: number;
  createdAt: number;
  startedAt: number;
  stoppedMode: 'KeepCharging' | 'StopCharging' | 'Not-applicable';
  deletionProtection: boolean;
  locks: InstanceLock[];
  tags: Record<string, string>;
  routeEntry: boolean;
  slbConfiguring: boolean;
  instanceType: string;
  cpu: number;
  memoryMb: number;
  imageId: string;
  osName: string;
  /** DeleteInstance was accepted: it disappears once timing.deleteMs has passed. */
  releasing: boolean;
}

export type DiskStatus = 'In_use' | 'Available';

export interface DiskState {
  id: string;
  region: string;
  zone: string;
  instanceId: string | null;
  type: 'system' | 'data';
  category: string;
  sizeGb: number;
  deleteWithInstance: boolean;
  deleteAutoSnapshot: boolean;
  enableAutoSnapshot: boolean;
  chargeType: ChargeType;
  name: string;
  status: DiskStatus;
  device: string;
  createdAt: number;
  attachedAt?: number;
  detachedAt?: number;
  sourceSnapshotId?: string;
}

export interface SnapshotState {
  id: string;
  region: string;
  sourceDiskId: string;
  sourceDiskType: 'system' | 'data';
  sourceDiskSizeGb: number;
  type: 'auto' | 'user';
  name: string;
  createdAt: number;
  usedByImage: boolean;
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  disabled: boolean;
}

export interface Timing {
  stopMs: number;
  startMs: number;
  deleteMs: number;
  /** Pending → Running of an instance seeded Pending (unless the instance sets its own pendingMs). */
  createMs: number;
  /** How long a DeleteInstances ClientToken is remembered (modelled: ECS documents no window). */
  clientTokenMs: number;
}

interface SeenToken {
  fingerprint: string;
  requestId: string;
  at: number;
}

export function isSecurityLocked(i: InstanceState): boolean {
  return i.locks.some((l) => l.reason === 'security');
}

export function isExpired(i: InstanceState, now: number): boolean {
  return i.chargeType === 'PrePaid' && i.expiredAt !== undefined && i.expiredAt <= now;
}

/**
 * Every resource of the simulated account, across regions (each resource carries its region). Read by ID, by instance
 * and by disk through indexes, as ECS answers them: a request costs the same whatever else the account holds (the
 * bench's holds thousands). Resources change only through the methods below (and their own fields).
 */
export class AlibabaState {
  readonly instances = new Map<string, InstanceState>();
  readonly disks = new Map<string, DiskState>();
  readonly snapshots = new Map<string, SnapshotState>();
  accessKeys = new Map<string, AccessKey>();
  timing: Timing = { stopMs: 300, startMs: 300, deleteMs: 300, createMs: 30_000, clientTokenMs: 3_600_000 };
  private tokens = new Map<string, SeenToken>();
  /** instance ID → its attached disks; disk ID → the snapshots made of it; snapshot ID → how many disks were made from it. */
  private readonly attached = new Map<string, Set<DiskState>>();
  private readonly snapshotsOfDisk = new Map<string, Set<SnapshotState>>();
  private readonly disksFromSnapshot = new Map<string, number>();
  /** The order of the fixture, in which the Describe* actions list what they find. */
  private readonly loadOrder = new WeakMap<object, number>();

  load(section: ParsedAlibabaSection, now: number): void {
    for (const m of [this.instances, this.disks, this.snapshots, this.accessKeys, this.tokens, this.attached, this.snapshotsOfDisk, this.disksFromSnapshot])
      m.clear();
    let order = 0;
    this.timing = {
      stopMs: section.timing.stopMs,
      deleteMs: section.timing.deleteMs,
      startMs: section.timing.startMs ?? section.timing.stopMs,
      createMs: section.timing.createMs,
      clientTokenMs: section.timing.clientTokenMs,
    };
    for (const k of section.accessKeys) this.accessKeys.set(k.accessKeyId, { ...k });

    for (const i of section.instances) {
      const createdAt = resolveTime(i.createdAt, now);
      this.instances.set(i.id, {
        id: i.id,
        region: i.region,
        zone: i.zone ?? `${i.region}-h`,
        name: i.name ?? i.id,
        description: i.description,
        status: i.status,
        chargeType: i.chargeType,
        expiredAt: i.chargeType === 'PrePaid' && i.expiredTime ? resolveTime(i.expiredTime, now) : undefined,
        createdAt,
        startedAt: createdAt,
        stoppedMode: i.status === 'Stopped' ? (i.chargeType === 'PostPaid' ? 'KeepCharging' : 'Not-applicable') : 'Not-applicable',
        deletionProtection: i.deletionProtection,
        locks: i.locks.map((l) => ({ ...l })),
        tags: { ...i.tags },
        routeEntry: i.routeEntry,
        slbConfiguring: i.slbConfiguring,
        instanceType: i.instanceType,
        cpu: i.cpu,
        memoryMb: i.memoryMb,
        imageId: i.imageId,
        osName: i.osName,
        releasing: false,
      });
      this.loadOrder.set(this.instances.get(i.id)!, order++);
    }

    const dataDiskCount = new Map<string, number>();
    for (const d of section.disks) {
      const owner = d.instanceId ? this.instances.get(d.instanceId) : undefined;
      if (d.instanceId && !owner) throw new Error(`alibaba fixture: disk ${d.id} is attached to unknown instance ${d.instanceId}`);
      const createdAt = resolveTime(d.createdAt, now);
      let device = '';
      if (owner) {
        const n = d.type === 'data' ? (dataDiskCount.get(owner.id) ?? 0) + 1 : 0;
        if (d.type === 'data') dataDiskCount.set(owner.id, n);
        device = `/dev/xvd${String.fromCharCode(97 + n)}`;
      }
      this.disks.set(d.id, {
        id: d.id,
        region: d.region ?? owner?.region ?? 'cn-hangzhou',
        zone: owner?.zone ?? `${d.region ?? 'cn-hangzhou'}-h`,
        instanceId: owner ? owner.id : null,
        type: d.type,
        category: d.category,
        sizeGb: d.sizeGb,
        deleteWithInstance: d.deleteWithInstance,
        deleteAutoSnapshot: d.deleteAutoSnapshot,
        enableAutoSnapshot: d.enableAutoSnapshot,
        chargeType: d.chargeType,
        name: d.name,
        status: owner ? 'In_use' : 'Available',
        device,
        createdAt,
        attachedAt: owner ? (d.attachedAt ? resolveTime(d.attachedAt, now) : createdAt) : undefined,
        sourceSnapshotId: d.sourceSnapshotId,
      });
      const disk = this.disks.get(d.id)!;
      this.loadOrder.set(disk, order++);
      if (disk.instanceId) add(this.attached, disk.instanceId, disk);
      if (disk.sourceSnapshotId) this.disksFromSnapshot.set(disk.sourceSnapshotId, (this.disksFromSnapshot.get(disk.sourceSnapshotId) ?? 0) + 1);
    }

    for (const s of section.snapshots) {
      const source = this.disks.get(s.sourceDiskId);
      this.snapshots.set(s.id, {
        id: s.id,
        region: s.region ?? source?.region ?? 'cn-hangzhou',
        sourceDiskId: s.sourceDiskId,
        sourceDiskType: source?.type ?? 'data',
        sourceDiskSizeGb: source?.sizeGb ?? 40,
        type: s.type,
        name: s.name ?? (s.type === 'auto' ? `auto_${s.id}` : s.id),
        createdAt: resolveTime(s.createdAt, now),
        usedByImage: s.usedByImage,
      });
      const snapshot = this.snapshots.get(s.id)!;
      this.loadOrder.set(snapshot, order++);
      add(this.snapshotsOfDisk, snapshot.sourceDiskId, snapshot);
    }
  }

  /** A ClientToken accepted within the window, if any. */
  clientToken(token: string, now: number): SeenToken | undefined {
    const seen = this.tokens.get(token);
    if (seen && now - seen.at > this.timing.clientTokenMs) {
      this.tokens.delete(token);
      return undefined;
    }
    return seen;
  }

  rememberClientToken(token: string, fingerprint: string, requestId: string, now: number): void {
    this.tokens.set(token, { fingerprint, requestId, at: now });
  }

  /** The resources of `map` with these IDs that exist, in fixture order. */
  byIds<T extends object>(map: ReadonlyMap<string, T>, ids: readonly string[]): T[] {
    return this.inOrder(new Set(ids.map((id) => map.get(id)).filter((x): x is T => x !== undefined)));
  }

  disksOf(instanceId: string): DiskState[] {
    return [...(this.attached.get(instanceId) ?? [])];
  }

  /** The snapshots made of these disks, in fixture order. */
  snapshotsOf(diskIds: readonly string[]): SnapshotState[] {
    return this.inOrder(new Set(diskIds.flatMap((id) => [...(this.snapshotsOfDisk.get(id) ?? [])])));
  }

  /** A disk was created from the snapshot (it then cannot be deleted without Force). */
  snapshotInUse(snapshotId: string): boolean {
    return (this.disksFromSnapshot.get(snapshotId) ?? 0) > 0;
  }

  /** Detach a disk from its instance: it stays, Available, pay-as-you-go. */
  detachDisk(disk: DiskState, now: number): void {
    if (disk.instanceId) this.attached.get(disk.instanceId)?.delete(disk);
    disk.instanceId = null;
    disk.status = 'Available';
    disk.device = '';
    disk.detachedAt = now;
    disk.chargeType = 'PostPaid';
  }

  /** Remove a disk; its automatic snapshots go with it when DeleteAutoSnapshot is set, manual ones stay. */
  releaseDisk(disk: DiskState): void {
    this.disks.delete(disk.id);
    if (disk.instanceId) this.attached.get(disk.instanceId)?.delete(disk);
    if (disk.sourceSnapshotId) this.disksFromSnapshot.set(disk.sourceSnapshotId, (this.disksFromSnapshot.get(disk.sourceSnapshotId) ?? 1) - 1);
    if (!disk.deleteAutoSnapshot) return;
    for (const s of this.snapshotsOf([disk.id])) if (s.type === 'auto') this.deleteSnapshot(s);
  }

  deleteSnapshot(snapshot: SnapshotState): void {
    this.snapshots.delete(snapshot.id);
    this.snapshotsOfDisk.get(snapshot.sourceDiskId)?.delete(snapshot);
  }

  deleteInstance(instance: InstanceState): void {
    this.instances.delete(instance.id);
    this.attached.delete(instance.id);
  }

  private inOrder<T extends object>(items: Iterable<T>): T[] {
    return [...items].sort((a, b) => (this.loadOrder.get(a) ?? 0) - (this.loadOrder.get(b) ?? 0));
  }
}

function add<T>(index: Map<string, Set<T>>, key: string, item: T): void {
  const set = index.get(key);
  if (set) set.add(item);
  else index.set(key, new Set([item]));
}
