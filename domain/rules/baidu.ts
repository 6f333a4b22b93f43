// Baidu BCC release (seed 004), with the related-release flags when the request deletes leftovers, and the
// release of an instance from the recycle bin (DELETE /v2/recycle/instance/{id}).
import type { PlannedDisk } from '../plan';
import { leftover, notReady, snapshotsFollowing, unexpiredSubscription, type KindRules } from './kind-rules';

/**
 * An instance in the recycle bin (status Recycled) is released from the bin: the adapter's `destroy` sends
 * DELETE /v2/recycle/instance/{id} when `destroyOptions.fromRecycleBin` is set. That call takes no flags.
 * Whatever is still attached to the instance went into the bin with it (its system disk, and CDS disks
 * bound to it: relatedReleaseFlag) and is released with it; snapshots of the system disk go (seed 004);
 * snapshots of CDS disks are kept by the provider (modelled: see docs/baidu.md).
 */
function recycledFates(s: Parameters<KindRules['fates']>[0], o: Parameters<KindRules['fates']>[1]) {
  const disks = s.disks.map((disk): PlannedDisk =>
    disk.role === 'system'
      ? { disk, fate: 'deleted', why: 'in the recycle bin: the system disk is released with the instance from the bin' }
      : { disk, fate: 'deleted', why: 'still bound to the instance in the recycle bin: released with it from the bin (DELETE /v2/recycle/instance)' },
  );
  const role = new Map(s.disks.map((d) => [d.id, d.role]));
  const snapshots = snapshotsFollowing(s, disks, o, (snap) => {
    if (role.get(snap.sourceDiskId) === 'system')
      return { fate: 'deleted', why: 'snapshots of the system disk are deleted with the instance (released from the recycle bin)' };
    return leftover(
      o.retainedSnapshots,
      'snapshot of a CDS disk: kept when the instance is released from the recycle bin (the bin release takes no deleteCdsSnapshotFlag)',
    );
  });
  return { disks, snapshots, destroyOptions: { releaseDataDisks: false, releaseSnapshots: false, force: false, fromRecycleBin: true } };
}

export const baiduBcc: Readonly<KindRules> = {
  action: () => 'delete',
  blockers: (s) => [...notReady(s), ...unexpiredSubscription(s)],
  prepare: () => [],
  fates: (s, o) => {
    if (s.status === 'recycled') return recycledFates(s, o);
    const releaseDataDisks = o.retainedDataDisks === 'delete';
    const releaseSnapshots = releaseDataDisks && o.retainedSnapshots === 'delete';
    const disks = s.disks.map((disk): PlannedDisk => {
      if (disk.role === 'system') return { disk, fate: 'deleted', why: 'the system disk goes with the instance' };
      if (disk.chargingMode === 'subscription') return { disk, fate: 'retained', why: 'a prepaid CDS disk is detached, never released with the instance' };
      if (releaseDataDisks) return { disk, fate: 'deleted', why: 'postpaid CDS disk released with the instance (relatedReleaseFlag)' };
      return { disk, fate: 'retained', why: 'mounted CDS disks are detached, not deleted' };
    });
    const role = new Map(s.disks.map((d) => [d.id, d.role]));
    const snapshots = snapshotsFollowing(s, disks, o, (snap, diskFate) => {
      if (role.get(snap.sourceDiskId) === 'system') return { fate: 'deleted', why: 'snapshots of the system disk are deleted with the instance' };
      if (diskFate === 'deleted' && releaseSnapshots) return { fate: 'deleted', why: 'snapshot of a released CDS disk (deleteCdsSnapshotFlag)' };
      return undefined;
    });
    return { disks, snapshots, destroyOptions: { releaseDataDisks, releaseSnapshots, force: false } };
  },
};
