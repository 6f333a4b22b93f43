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

/** Every resource of the simulated account, across regions (each resource carries its region). */
export class AlibabaState {
  instances = new Map<string, InstanceState>();
  disks = new Map<string, DiskState>();
  snapshots = new Map<string, SnapshotState>();
  accessKeys = new Map<string, AccessKey>();
  timing: Timing = { stopMs: 300, startMs: 300, deleteMs: 300, createMs: 30_000, clientTokenMs: 3_600_000 };
  private tokens = new Map<string, SeenToken>();

  load(section: ParsedAlibabaSection, now: number): void {
    this.instances.clear();
    this.disks.clear();
    this.snapshots.clear();
    this.accessKeys.clear();
    this.tokens.clear();
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

  disksOf(instanceId: string): DiskState[] {
    return [...this.disks.values()].filter((d) => d.instanceId === instanceId);
  }

  /** Remove a disk; its automatic snapshots go with it when DeleteAutoSnapshot is set, manual ones stay. */
  releaseDisk(disk: DiskState): void {
    this.disks.delete(disk.id);
    if (!disk.deleteAutoSnapshot) return;
    for (const s of [...this.snapshots.values()]) {
      if (s.sourceDiskId === disk.id && s.type === 'auto') this.snapshots.delete(s.id);
    }
  }
}
