import type { InstanceRecord, SnapshotRecord, VolumeRecord } from './fixture';
import type { BaiduStore } from './state';

/** JSON shapes of the BCC API (field names of bce-sdk-go's InstanceModel, VolumeModel, SnapshotModel). */

export function volumeView(store: BaiduStore, v: VolumeRecord) {
  return {
    id: v.id,
    name: v.name ?? v.id,
    diskSizeInGB: v.diskSizeInGB,
    paymentTiming: v.paymentTiming,
    expireTime: v.expireTime,
    status: v.status,
    type: v.isSystemVolume ? 'System' : 'Cds',
    storageType: v.storageType,
    desc: '',
    attachments: v.instanceId
      ? [{ volumeId: v.id, instanceId: v.instanceId, device: v.device ?? (v.isSystemVolume ? '/dev/vda' : '/dev/vdb'), serial: v.id }]
      : [],
    zoneName: v.zoneName,
    autoSnapshotPolicy: null,
    createTime: v.createTime,
    isSystemVolume: v.isSystemVolume,
    sourceSnapshotId: '',
    snapshotNum: String(store.snapshotsOf(v.id).length),
    tags: [],
    encrypted: false,
    enableDeleteProtection: false,
  };
}

export function instanceView(store: BaiduStore, i: InstanceRecord) {
  return {
    id: i.id,
    serialNumber: '',
    name: i.name ?? i.id,
    hostname: (i.name ?? i.id).toLowerCase(),
    instanceType: i.instanceType,
    spec: i.spec,
    desc: i.desc,
    status: i.status,
    paymentTiming: i.paymentTiming,
    createTime: i.createTime,
    expireTime: i.expireTime,
    releaseTime: '',
    publicIp: i.publicIp,
    internalIp: i.internalIp,
    cpuCount: i.cpuCount,
    memoryCapacityInGB: i.memoryCapacityInGB,
    localDiskSizeInGB: 0,
    imageId: i.imageId,
    networkCapacityInMbps: 0,
    placementPolicy: 'default',
    zoneName: i.zoneName,
    subnetId: 'sbn-sim00001',
    vpcId: 'vpc-sim00001',
    autoRenew: false,
    keypairId: '',
    keypairName: '',
    dedicatedHostId: '',
    tags: i.tags.map((t) => ({ tagKey: t.tagKey, tagValue: t.tagValue })),
    ipv6: '',
    deletionProtection: i.deletionProtection,
    volumes: store.volumesOf(i.id).map((v) => volumeView(store, v)),
  };
}

/** One entry of the recycle bin list (bce-sdk-go RecycleInstanceModel). */
export function recycleView(i: InstanceRecord) {
  return {
    id: i.id,
    serialNumber: '',
    name: i.name ?? i.id,
    recycleTime: i.recycledAt ?? '',
    deleteTime: i.recycleEndsAt ?? '',
    paymentTiming: i.paymentTiming,
    serviceName: 'BCC',
    serviceType: 'BCC',
    configItems: [`cpu:${i.cpuCount}`, `memory:${i.memoryCapacityInGB}`],
    configItem: { cpu: i.cpuCount, memory: i.memoryCapacityInGB, type: i.instanceType, specId: '', spec: i.spec, zoneName: i.zoneName },
  };
}

export function snapshotView(s: SnapshotRecord, store: BaiduStore) {
  return {
    id: s.id,
    name: s.name ?? s.id,
    sizeInGB: s.sizeInGB ?? store.volumes.get(s.volumeId)?.diskSizeInGB ?? 0,
    createTime: s.createTime,
    status: s.status,
    createMethod: s.createMethod,
    volumeId: s.volumeId,
    desc: '',
    expireTime: null,
    package: false,
    templateId: '',
    insnapId: '',
    encrypted: false,
  };
}

/** BCE list paging: `marker` is the first key to return (inclusive), `nextMarker` the next page's. */
export function page<T extends { id: string }>(items: T[], marker: string | undefined, maxKeysRaw: string | undefined) {
  const maxKeys = Math.min(1000, Math.max(1, Number(maxKeysRaw) || 1000));
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = marker ? sorted.findIndex((x) => x.id >= marker) : 0;
  const from = start < 0 ? sorted.length : start;
  const slice = sorted.slice(from, from + maxKeys);
  const next = sorted[from + maxKeys];
  return { marker: marker ?? '', isTruncated: next !== undefined, nextMarker: next?.id ?? '', maxKeys, items: slice };
}
