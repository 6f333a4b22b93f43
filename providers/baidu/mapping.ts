import type { ChargingMode, Disk, GoneState, NormalizedStatus, Snapshot } from '../../domain/resource';

/** The BCC shapes the adapter reads (bce-sdk-go InstanceModel / VolumeModel / SnapshotModel). */
export interface BccInstance {
  id: string;
  name?: string;
  status: string;
  paymentTiming?: string;
  expireTime?: string | null;
  createTime?: string;
  deletionProtection?: number;
  tags?: { tagKey: string; tagValue?: string }[] | null;
}
export interface BccVolume {
  id: string;
  isSystemVolume?: boolean;
  diskSizeInGB?: number;
  paymentTiming?: string;
  status?: string;
}
/** One entry of POST /v2/recycle/instance (bce-sdk-go RecycleInstanceModel). */
export interface BccRecycledInstance {
  id: string;
  name?: string;
  paymentTiming?: string;
  recycleTime?: string;
  deleteTime?: string;
}
export interface BccSnapshot {
  id: string;
  volumeId: string;
  createMethod?: string;
}

const STATUS: Record<string, NormalizedStatus> = {
  Creating: 'creating',
  Running: 'running',
  Starting: 'starting',
  Stopping: 'stopping',
  Stopped: 'stopped',
  Deleting: 'deleting',
  Deleted: 'deleted',
  Recycled: 'recycled',
  Error: 'error',
};

/** Expired, Scaling, SnapshotProcessing, ImageProcessing, ChangeVpc … have no neutral equivalent. */
export const normalizeStatus = (raw: string): NormalizedStatus => STATUS[raw] ?? 'other';

/** BCC spells it Prepaid/Postpaid; some documentation pages say Prepay/Postpay. */
export const chargingMode = (paymentTiming: string | undefined): ChargingMode => (/^prepa/i.test(paymentTiming ?? '') ? 'subscription' : 'pay-per-use');

export function isExpired(inst: BccInstance, now: number): boolean {
  if (chargingMode(inst.paymentTiming) !== 'subscription') return false;
  if (inst.status === 'Expired') return true;
  // The recycle bin holds only released or expired instances: one read from the bin list carries no expireTime.
  if (inst.status === 'Recycled' && !inst.expireTime) return true;
  const at = inst.expireTime ? Date.parse(inst.expireTime) : NaN;
  return !Number.isNaN(at) && at <= now;
}

/**
 * BCC records no "created with the instance" flag for a disk. The system disk always comes with
 * the instance; every CDS disk is reported as attached later, because that is how the release
 * treats it: detached and kept (unless released on purpose with relatedReleaseFlag).
 */
export function toDisk(v: BccVolume): Disk {
  return {
    id: v.id,
    role: v.isSystemVolume ? 'system' : 'data',
    origin: v.isSystemVolume ? 'with-resource' : 'attached-later',
    sizeGb: v.diskSizeInGB,
    chargingMode: chargingMode(v.paymentTiming),
  };
}

export const toSnapshot = (s: BccSnapshot): Snapshot => ({
  id: s.id,
  sourceDiskId: s.volumeId,
  type: s.createMethod === 'auto' ? 'auto' : 'manual',
});

export function goneState(rawStatus: string): { state: GoneState; detail?: string } {
  switch (rawStatus) {
    case 'Deleted':
      return { state: 'gone' };
    case 'Deleting':
      return { state: 'deleting' };
    case 'Recycled':
      // In the recycle bin nobody is deleting it: it stays until released from the bin or its retention ends.
      return { state: 'present', detail: 'the instance is in the recycle bin' };
    case 'Error':
      return { state: 'failed', detail: 'the instance is in Error' };
    default:
      return { state: 'present' };
  }
}

/** A volume's or snapshot's status as an observation: Deleting is on its way, Deleted is gone. */
export function observedState(rawStatus: string): 'present' | 'deleting' | 'gone' {
  if (rawStatus === 'Deleted') return 'gone';
  if (rawStatus === 'Deleting') return 'deleting';
  return 'present';
}
