import type {
  DescribeDisksResponseBodyDisksDisk,
  DescribeInstancesResponseBodyInstancesInstance,
  DescribeSnapshotsResponseBodySnapshotsSnapshot,
} from '@alicloud/ecs20140526';
import type { Charging, Disk, GoneState, Lock, NormalizedStatus, Snapshot } from '../../domain/resource';

const STATUS: Record<string, NormalizedStatus> = {
  Pending: 'creating',
  Starting: 'starting',
  Running: 'running',
  Stopping: 'stopping',
  Stopped: 'stopped',
};

export function normalizeStatus(raw: string | undefined): NormalizedStatus {
  return (raw && STATUS[raw]) || 'other';
}

/** ECS has no "deleting" status: an instance is present until DescribeInstances stops listing it. */
export function goneState(listed: boolean): GoneState {
  return listed ? 'present' : 'gone';
}

export function charging(i: DescribeInstancesResponseBodyInstancesInstance, now: number): Charging {
  if (i.instanceChargeType !== 'PrePaid') return { mode: 'pay-per-use', expired: false };
  const expiresAt = i.expiredTime ? Date.parse(i.expiredTime) : NaN;
  if (Number.isNaN(expiresAt)) return { mode: 'subscription', expired: false };
  return { mode: 'subscription', expiresAt: new Date(expiresAt).toISOString(), expired: expiresAt <= now };
}

export function locks(i: DescribeInstancesResponseBodyInstancesInstance): Lock[] {
  return (i.operationLocks?.lockReason ?? [])
    .filter((l) => l.lockReason)
    .map((l) => (l.lockMsg ? { reason: l.lockReason!, detail: l.lockMsg } : { reason: l.lockReason! }));
}

export function tags(i: DescribeInstancesResponseBodyInstancesInstance): Record<string, string> {
  return Object.fromEntries((i.tags?.tag ?? []).filter((t) => t.tagKey).map((t) => [t.tagKey!, t.tagValue ?? '']));
}

/**
 * ECS does not say whether a disk came with the instance. System disks always do; a data disk counts as
 * created with the instance when it was created within this window of the instance (instance times are
 * reported to the minute, and disks chosen on the purchase page are created during the instance's
 * creation). Anything created earlier or later was attached later.
 */
export const WITH_INSTANCE_WINDOW_MS = 5 * 60_000;

export function diskOrigin(d: DescribeDisksResponseBodyDisksDisk, instanceCreatedAt: number): Disk['origin'] {
  if (d.type === 'system') return 'with-resource';
  const created = d.creationTime ? Date.parse(d.creationTime) : NaN;
  if (Number.isNaN(created) || Number.isNaN(instanceCreatedAt)) return 'attached-later';
  return Math.abs(created - instanceCreatedAt) <= WITH_INSTANCE_WINDOW_MS ? 'with-resource' : 'attached-later';
}

export function disk(d: DescribeDisksResponseBodyDisksDisk, instanceCreatedAt: number): Disk {
  const out: Disk = {
    id: d.diskId ?? '',
    role: d.type === 'system' ? 'system' : 'data',
    origin: diskOrigin(d, instanceCreatedAt),
  };
  if (d.size !== undefined) out.sizeGb = d.size;
  if (d.diskChargeType) out.chargingMode = d.diskChargeType === 'PrePaid' ? 'subscription' : 'pay-per-use';
  if (d.deleteWithInstance !== undefined) out.deleteWithInstance = d.deleteWithInstance;
  if (d.deleteAutoSnapshot !== undefined) out.deleteAutoSnapshot = d.deleteAutoSnapshot;
  return out;
}

/** SnapshotType "auto" is an automatic snapshot; "user" (and copies) are manual. */
export function snapshot(s: DescribeSnapshotsResponseBodySnapshotsSnapshot): Snapshot {
  return { id: s.snapshotId ?? '', sourceDiskId: s.sourceDiskId ?? '', type: s.snapshotType === 'auto' ? 'auto' : 'manual' };
}
