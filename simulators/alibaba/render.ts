import type { DiskState, InstanceState, SnapshotState } from './state';

/** ECS writes instance times to the minute ("2017-12-10T04:04Z") and disk/snapshot times to the second. */
export const isoMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
export const isoSecond = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** What DescribeInstances reports as ExpiredTime for pay-as-you-go instances. */
const POSTPAID_EXPIRED_TIME = '2099-12-31T15:59Z';

const tagList = (tags: Record<string, string>) => ({ Tag: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) });

function expiredTime(i: InstanceState): string {
  return i.chargeType === 'PrePaid' && i.expiredAt !== undefined ? isoMinute(i.expiredAt) : POSTPAID_EXPIRED_TIME;
}

function privateIp(id: string): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `172.16.${(h >> 8) & 0xff}.${(h & 0xfe) + 1}`;
}

/** One element of DescribeInstances' Instances.Instance. */
export function renderInstance(i: InstanceState): Record<string, unknown> {
  return {
    InstanceId: i.id,
    InstanceName: i.name,
    Description: i.description,
    HostName: i.id,
    RegionId: i.region,
    ZoneId: i.zone,
    Status: i.status,
    InstanceType: i.instanceType,
    InstanceTypeFamily: i.instanceType.split('.').slice(0, 2).join('.'),
    Cpu: i.cpu,
    Memory: i.memoryMb,
    ImageId: i.imageId,
    OSName: i.osName,
    OSNameEn: i.osName,
    OSType: 'linux',
    InstanceChargeType: i.chargeType,
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 100,
    InternetMaxBandwidthOut: 0,
    SpotStrategy: 'NoSpot',
    CreationTime: isoMinute(i.createdAt),
    StartTime: isoMinute(i.startedAt),
    ExpiredTime: expiredTime(i),
    AutoReleaseTime: '',
    StoppedMode: i.stoppedMode,
    DeletionProtection: i.deletionProtection,
    Recyclable: false,
    DeviceAvailable: true,
    IoOptimized: true,
    InstanceNetworkType: 'vpc',
    SerialNumber: `sim-${i.id}`,
    ResourceGroupId: '',
    OperationLocks: { LockReason: i.locks.map((l) => ({ LockReason: l.reason, LockMsg: l.msg ?? '' })) },
    Tags: tagList(i.tags),
    SecurityGroupIds: { SecurityGroupId: ['sg-sim0default'] },
    PublicIpAddress: { IpAddress: [] },
    InnerIpAddress: { IpAddress: [] },
    EipAddress: { AllocationId: '', IpAddress: '', InternetChargeType: '' },
    VpcAttributes: { VpcId: 'vpc-sim0default', VSwitchId: 'vsw-sim0default', NatIpAddress: '', PrivateIpAddress: { IpAddress: [privateIp(i.id)] } },
  };
}

/** The fields DescribeInstanceAttribute shares, as they are, with a DescribeInstances element. */
const ATTRIBUTE_FIELDS = [
  'InstanceId',
  'InstanceName',
  'Description',
  'HostName',
  'RegionId',
  'ZoneId',
  'Status',
  'InstanceType',
  'Cpu',
  'Memory',
  'ImageId',
  'InstanceChargeType',
  'InternetChargeType',
  'InternetMaxBandwidthIn',
  'InternetMaxBandwidthOut',
  'CreationTime',
  'ExpiredTime',
  'StoppedMode',
  'InstanceNetworkType',
  'SerialNumber',
  'SecurityGroupIds',
  'PublicIpAddress',
  'InnerIpAddress',
  'EipAddress',
  'VpcAttributes',
] as const;

/** DescribeInstanceAttribute's body (it has neither tags nor deletion protection, and locks without a message). */
export function renderInstanceAttribute(i: InstanceState): Record<string, unknown> {
  const full = renderInstance(i);
  return {
    ...Object.fromEntries(ATTRIBUTE_FIELDS.map((k) => [k, full[k]])),
    IoOptimized: 'optimized',
    OperationLocks: { LockReason: i.locks.map((l) => ({ LockReason: l.reason })) },
  };
}

/** One element of DescribeDisks' Disks.Disk. */
export function renderDisk(d: DiskState): Record<string, unknown> {
  const attached = d.instanceId !== null;
  return {
    DiskId: d.id,
    DiskName: d.name,
    Description: '',
    RegionId: d.region,
    ZoneId: d.zone,
    Type: d.type,
    Category: d.category,
    Size: d.sizeGb,
    PerformanceLevel: d.category === 'cloud_essd' ? 'PL1' : '',
    Status: d.status,
    InstanceId: d.instanceId ?? '',
    Device: attached ? d.device : '',
    DeleteWithInstance: d.deleteWithInstance,
    DeleteAutoSnapshot: d.deleteAutoSnapshot,
    EnableAutoSnapshot: d.enableAutoSnapshot,
    EnableAutomatedSnapshotPolicy: false,
    AutoSnapshotPolicyId: '',
    DiskChargeType: d.chargeType,
    ExpiredTime: '2999-09-08T16:00Z',
    CreationTime: isoSecond(d.createdAt),
    AttachedTime: attached && d.attachedAt !== undefined ? isoSecond(d.attachedAt) : '',
    DetachedTime: d.detachedAt !== undefined ? isoSecond(d.detachedAt) : '',
    Portable: d.type === 'data',
    Encrypted: false,
    MultiAttach: 'Disabled',
    ImageId: d.type === 'system' ? 'aliyun_3_x64_20G_alibase_20240528.vhd' : '',
    SourceSnapshotId: d.sourceSnapshotId ?? '',
    SerialNumber: `sim${d.id.slice(2)}`,
    ResourceGroupId: '',
    OperationLocks: { OperationLock: [] },
    Tags: { Tag: [] },
    Attachments: {
      Attachment: attached ? [{ InstanceId: d.instanceId, Device: d.device, AttachedTime: d.attachedAt !== undefined ? isoSecond(d.attachedAt) : '' }] : [],
    },
  };
}

/** One element of DescribeSnapshots' Snapshots.Snapshot. */
export function renderSnapshot(s: SnapshotState, usage: string): Record<string, unknown> {
  return {
    SnapshotId: s.id,
    SnapshotName: s.name,
    Description: '',
    RegionId: s.region,
    SnapshotType: s.type,
    Category: 'standard',
    SourceDiskId: s.sourceDiskId,
    SourceDiskType: s.sourceDiskType,
    SourceDiskSize: String(s.sourceDiskSizeGb),
    SourceStorageType: 'disk',
    Status: 'accomplished',
    Progress: '100%',
    Available: true,
    InstantAccess: false,
    Encrypted: false,
    Usage: usage,
    RetentionDays: s.type === 'auto' ? 30 : 0,
    CreationTime: isoSecond(s.createdAt),
    LastModifiedTime: isoSecond(s.createdAt),
    ResourceGroupId: '',
    Tags: { Tag: [] },
  };
}
