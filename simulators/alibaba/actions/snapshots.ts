import { aliFail, invalidParameter } from '../errors';
import { renderSnapshot } from '../render';
import type { AlibabaState, SnapshotState } from '../state';
import { page, type ActionHandler } from './common';

/** DescribeSnapshots' Usage: what was made from the snapshot. */
function usage(state: AlibabaState, s: SnapshotState): string {
  const disk = state.snapshotInUse(s.id);
  if (s.usedByImage && disk) return 'image_disk';
  if (s.usedByImage) return 'image';
  return disk ? 'disk' : 'none';
}

export const describeSnapshots: ActionHandler = (p, env) => {
  const region = p.required('RegionId');
  const instanceId = p.str('InstanceId');
  const diskId = p.str('DiskId');
  const ids = p.jsonIds('SnapshotIds', 'InvalidSnapshotIds.Malformed');
  const type = p.str('SnapshotType') ?? 'all';
  if (!['auto', 'user', 'all'].includes(type)) invalidParameter('SnapshotType');
  const status = p.str('Status') ?? 'all';
  if (!['progressing', 'accomplished', 'failed', 'all'].includes(status)) invalidParameter('Status');
  const usageFilter = p.str('Usage');
  const { state } = env;
  const candidates = ids
    ? state.byIds(state.snapshots, ids)
    : diskId
      ? state.snapshotsOf([diskId])
      : instanceId
        ? state.snapshotsOf(state.disksOf(instanceId).map((d) => d.id))
        : [...state.snapshots.values()];
  const matching = candidates.filter(
    (s) =>
      s.region === region &&
      // InstanceId selects snapshots of the disks attached to that instance now.
      (!instanceId || env.state.disks.get(s.sourceDiskId)?.instanceId === instanceId) &&
      (!diskId || s.sourceDiskId === diskId) &&
      (!ids || ids.includes(s.id)) &&
      (type === 'all' || s.type === type) &&
      (status === 'all' || status === 'accomplished') &&
      (!usageFilter || usage(env.state, s) === usageFilter),
  );
  const { slice, ...paging } = page(p, matching);
  return { Snapshots: { Snapshot: slice.map((s) => renderSnapshot(s, usage(env.state, s))) }, ...paging };
};

/** A snapshot behind a custom image cannot be deleted; one behind disks needs Force. */
export const deleteSnapshot: ActionHandler = (p, env) => {
  const id = p.required('SnapshotId');
  const force = p.bool('Force') ?? false;
  const snapshot = env.state.snapshots.get(id) ?? aliFail('InvalidSnapshotId.NotFound');
  if (snapshot.usedByImage) aliFail('SnapshotCreatedImage');
  if (env.state.snapshotInUse(id) && !force) aliFail('SnapshotCreatedDisk');
  env.state.deleteSnapshot(snapshot);
  return {};
};
