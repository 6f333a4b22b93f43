// Alibaba ECS DeleteInstance (seed 003), and DeleteDisk for the disks deleted at cleanup.
import type { PlannedDisk } from '../plan';
import { NO_DESTROY_OPTIONS, leftover, notReady, snapshotsFollowing, unexpiredSubscription, type KindRules } from './kind-rules';

const STOPPABLE: readonly string[] = ['running', 'starting', 'stopping'];

export const alibabaEcs: Readonly<KindRules> = {
  action: () => 'delete',
  blockers: (s, _a, o) => [
    ...notReady(s),
    ...unexpiredSubscription(s),
    ...(s.status !== 'stopped' && s.status !== 'creating' && !(o.stopIfRunning && STOPPABLE.includes(s.status))
      ? [
          {
            code: 'running' as const,
            message: `only a Stopped instance can be released; it is ${s.rawStatus}${STOPPABLE.includes(s.status) ? ' (set options.stopIfRunning to stop it first)' : ''}`,
          },
        ]
      : []),
  ],
  prepare: (s, o) => (o.stopIfRunning && STOPPABLE.includes(s.status) ? [{ step: 'stop' }] : []),
  fates: (s, o) => {
    const securityLocked = s.locks.some((l) => l.reason === 'security');
    const disks = s.disks.map((disk): PlannedDisk => {
      if (disk.deleteWithInstance) return { disk, fate: 'deleted', why: 'DeleteWithInstance=true' };
      if (securityLocked)
        return { disk, fate: 'deleted', why: 'the instance is under security control: its disks are released whatever DeleteWithInstance says' };
      return { disk, ...leftover(o.retainedDataDisks, 'DeleteWithInstance=false: detached and kept') };
    });
    const snapshots = snapshotsFollowing(s, disks, o, (snap, diskFate) => {
      // Manual snapshots are kept by DeleteInstance and by DeleteDisk alike.
      if (snap.type !== 'auto') return undefined;
      const disk = s.disks.find((d) => d.id === snap.sourceDiskId);
      if (!disk?.deleteAutoSnapshot) return undefined;
      if (diskFate === 'deleted') return { fate: 'deleted', why: 'automatic snapshot of a released disk with DeleteAutoSnapshot=true' };
      // DeleteDisk releases the automatic snapshots of a disk with DeleteAutoSnapshot=true (DeleteDisk API
      // reference): the snapshot goes when its disk is deleted at cleanup, whatever retainedSnapshots says.
      if (diskFate === 'cleanup') {
        return {
          fate: 'cleanup',
          why: `automatic snapshot of ${disk.id} (DeleteAutoSnapshot=true): released by DeleteDisk when that disk is deleted at cleanup`,
        };
      }
      return undefined;
    });
    return { disks, snapshots, destroyOptions: NO_DESTROY_OPTIONS };
  },
};
