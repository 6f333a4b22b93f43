import { aliFail, failMissing, invalidParameter } from '../errors';
import { renderDisk } from '../render';
import { isSecurityLocked } from '../state';
import { findDisk, matchesWildcard, page, type ActionHandler } from './common';

const DISK_STATUSES = ['In_use', 'Available', 'Attaching', 'Detaching', 'Creating', 'ReIniting', 'All'];

export const describeDisks: ActionHandler = (p, env) => {
  const region = p.required('RegionId');
  const instanceId = p.str('InstanceId');
  const ids = p.jsonIds('DiskIds', 'InvalidDiskIds.Malformed');
  const diskType = p.str('DiskType') ?? 'all';
  if (!['all', 'system', 'data'].includes(diskType)) invalidParameter('DiskType');
  const status = p.str('Status') ?? 'All';
  if (!DISK_STATUSES.includes(status)) invalidParameter('Status');
  const category = p.str('Category');
  const chargeType = p.str('DiskChargeType');
  const name = p.str('DiskName');
  const deleteWithInstance = p.bool('DeleteWithInstance');
  const deleteAutoSnapshot = p.bool('DeleteAutoSnapshot');
  const portable = p.bool('Portable');
  const candidates = ids ? env.state.byIds(env.state.disks, ids) : instanceId ? env.state.disksOf(instanceId) : [...env.state.disks.values()];
  const matching = candidates.filter(
    (d) =>
      d.region === region &&
      (!instanceId || d.instanceId === instanceId) &&
      (!ids || ids.includes(d.id)) &&
      (diskType === 'all' || d.type === diskType) &&
      (status === 'All' || d.status === status) &&
      (!category || category === 'all' || d.category === category) &&
      (!chargeType || d.chargeType === chargeType) &&
      (!name || matchesWildcard(name, d.name)) &&
      (deleteWithInstance === undefined || d.deleteWithInstance === deleteWithInstance) &&
      (deleteAutoSnapshot === undefined || d.deleteAutoSnapshot === deleteAutoSnapshot) &&
      (portable === undefined || (d.type === 'data') === portable),
  );
  const { slice, ...paging } = page(p, matching);
  return { Disks: { Disk: slice.map(renderDisk) }, ...paging };
};

/** DiskId, or DiskIds.N for several disks at once; every disk must exist before any is changed. */
export const modifyDiskAttribute: ActionHandler = (p, env) => {
  const ids = p.str('DiskId') !== undefined ? [p.str('DiskId')!] : p.repeatList('DiskIds');
  if (ids.length === 0) failMissing('DiskId');
  const deleteWithInstance = p.bool('DeleteWithInstance');
  const deleteAutoSnapshot = p.bool('DeleteAutoSnapshot');
  const enableAutoSnapshot = p.bool('EnableAutoSnapshot');
  const name = p.str('DiskName');
  const disks = ids.map((id) => findDisk(env, id));
  for (const d of disks) {
    const owner = d.instanceId ? env.state.instances.get(d.instanceId) : undefined;
    if (owner && isSecurityLocked(owner)) aliFail('InstanceLockedForSecurity');
  }
  for (const d of disks) {
    if (deleteWithInstance !== undefined) d.deleteWithInstance = deleteWithInstance;
    if (deleteAutoSnapshot !== undefined) d.deleteAutoSnapshot = deleteAutoSnapshot;
    if (enableAutoSnapshot !== undefined) d.enableAutoSnapshot = enableAutoSnapshot;
    if (name !== undefined) d.name = name;
  }
  return {};
};

/** Only an unattached (Available) disk can be deleted; its automatic snapshots follow DeleteAutoSnapshot. */
export const deleteDisk: ActionHandler = (p, env) => {
  const disk = findDisk(env, p.required('DiskId'));
  if (disk.status !== 'Available' || disk.instanceId !== null) aliFail('IncorrectDiskStatus');
  env.state.releaseDisk(disk);
  return {};
};
