import * as $Ecs from '@alicloud/ecs20140526';
import { describe, expect, it } from 'vitest';
import { failure, useAlibabaSim } from './alibaba-setup';

// The read and housekeeping actions through the official SDK: response shapes (the SDK parses them into
// its models, so a wrong field name shows up as undefined), filters, paging, and their error codes.

const REGION = 'cn-hangzhou';
const STOP_MS = 300;
const ctx = useAlibabaSim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const instances = (req: Partial<$Ecs.DescribeInstancesRequest> = {}) =>
  ctx.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, ...req })).then((r) => r.body!);
const disks = (req: Partial<$Ecs.DescribeDisksRequest> = {}) => ctx.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, ...req })).then((r) => r.body!);
const snapshots = (req: Partial<$Ecs.DescribeSnapshotsRequest> = {}) =>
  ctx.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: REGION, ...req })).then((r) => r.body!);


describe('DescribeInstances', () => {
  it('answers the real shape', async () => {
    const body = await instances({ instanceIds: JSON.stringify(['i-bp1seclocked06', 'i-bp1prepaidactive03']) });
    expect(body).toMatchObject({ totalCount: 2, pageNumber: 1, pageSize: 10, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
    const locked = body.instances!.instance!.find((i) => i.instanceId === 'i-bp1seclocked06')!;
    expect(locked).toMatchObject({
      status: 'Stopped',
      instanceChargeType: 'PostPaid',
      expiredTime: '2099-12-31T15:59Z',
      deletionProtection: false,
      regionId: REGION,
      creationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/),
    });
    expect(locked.operationLocks!.lockReason![0]).toMatchObject({ lockReason: 'security', lockMsg: expect.stringContaining('security') });
    const prepaid = body.instances!.instance!.find((i) => i.instanceId === 'i-bp1prepaidactive03')!;
    expect(prepaid.instanceChargeType).toBe('PrePaid');
    expect(Date.parse(prepaid.expiredTime!)).toBeGreaterThan(Date.now());
  });

  it('reports tags and filters by tag, status and charge type', async () => {
    const tagged = await instances({ tag: [new $Ecs.DescribeInstancesRequestTag({ key: 'owner', value: 'ml-team' })] });
    expect(tagged.instances!.instance!.map((i) => i.instanceId)).toEqual(['i-bp1stoppedpaygo01']);
    expect(tagged.instances!.instance![0]!.tags!.tag).toEqual(expect.arrayContaining([expect.objectContaining({ tagKey: 'env', tagValue: 'test' })]));
    expect((await instances({ status: 'Running' })).instances!.instance!.map((i) => i.instanceId)).toEqual(['i-bp1runningpaygo02']);
    expect((await instances({ instanceChargeType: 'PrePaid' })).totalCount).toBe(2);
  });

  it('pages with PageNumber / PageSize', async () => {
    const first = await instances({ pageSize: 4, pageNumber: 1 });
    const third = await instances({ pageSize: 4, pageNumber: 3 });
    expect(first.instances!.instance).toHaveLength(4);
    expect(third.instances!.instance).toHaveLength(1);
    expect(first.totalCount).toBe(9);
    expect((await failure(instances({ pageSize: 101 }))).code).toBe('InvalidParameter');
  });

  it('answers an empty list for unknown IDs, and refuses a malformed InstanceIds or a missing RegionId', async () => {
    expect((await instances({ instanceIds: '["i-bp1nosuchthing"]' })).totalCount).toBe(0);
    expect((await failure(instances({ instanceIds: 'i-bp1stoppedpaygo01' }))).code).toBe('InvalidInstanceIds.Malformed');
    const err = await failure(ctx.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({})));
    expect([err.code, err.statusCode]).toEqual(['MissingRegionId', 400]);
  });
});

describe('DescribeInstanceAttribute', () => {
  it('answers the instance, and InvalidInstanceId.NotFound (404) for an unknown one', async () => {
    const res = await ctx.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: 'i-bp1prepaidexpired04' }));
    expect(res.body).toMatchObject({ instanceId: 'i-bp1prepaidexpired04', status: 'Stopped', instanceChargeType: 'PrePaid' });
    expect(Date.parse(res.body!.expiredTime!)).toBeLessThan(Date.now());
    const locked = await ctx.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: 'i-bp1seclocked06' }));
    expect(locked.body!.operationLocks!.lockReason![0]!.lockReason).toBe('security');
    const err = await failure(ctx.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: 'i-bp1nosuchthing' })));
    expect([err.code, err.statusCode]).toEqual(['InvalidInstanceId.NotFound', 404]);
  });
});

describe('StopInstance', () => {
  it('goes Running → Stopping → Stopped after timing.stopMs', async () => {
    await ctx.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-bp1runningpaygo02', stoppedMode: 'StopCharging' }));
    expect((await instances({ instanceIds: '["i-bp1runningpaygo02"]' })).instances!.instance![0]!.status).toBe('Stopping');
    await sleep(STOP_MS + 100);
    const inst = (await instances({ instanceIds: '["i-bp1runningpaygo02"]' })).instances!.instance![0]!;
    expect([inst.status, inst.stoppedMode]).toEqual(['Stopped', 'StopCharging']);
  });

  it('refuses a stopped, a pending and a security-locked instance', async () => {
    const stop = (instanceId: string) => failure(ctx.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId })));
    expect((await stop('i-bp1stoppedpaygo01')).code).toBe('IncorrectInstanceStatus');
    expect((await stop('i-bp1pending07')).code).toBe('IncorrectInstanceStatus.Initializing');
    expect((await stop('i-bp1seclocked06')).code).toBe('InstanceLockedForSecurity');
  });
});

describe('ModifyInstanceAttribute', () => {
  it('sets DeletionProtection, and is refused on a security-locked instance', async () => {
    await ctx.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: 'i-bp1stoppedpaygo01', deletionProtection: true }));
    expect((await instances({ instanceIds: '["i-bp1stoppedpaygo01"]' })).instances!.instance![0]!.deletionProtection).toBe(true);
    const err = await failure(ctx.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: 'i-bp1seclocked06', deletionProtection: true })));
    expect([err.code, err.statusCode]).toEqual(['InstanceLockedForSecurity', 403]);
  });
});

describe('DescribeDisks / ModifyDiskAttribute / DeleteDisk', () => {
  it('lists an instance’s disks with the real fields, filtered by DiskType and DiskIds', async () => {
    const body = await disks({ instanceId: 'i-bp1stoppedpaygo01' });
    expect(body.totalCount).toBe(3);
    const sys = body.disks!.disk!.find((d) => d.type === 'system')!;
    expect(sys).toMatchObject({ diskId: 'd-bp1stopped01sys', status: 'In_use', instanceId: 'i-bp1stoppedpaygo01', deleteWithInstance: true, deleteAutoSnapshot: true, diskChargeType: 'PostPaid', device: '/dev/xvda' });
    expect(sys.attachments!.attachment![0]!.instanceId).toBe('i-bp1stoppedpaygo01');
    expect((await disks({ instanceId: 'i-bp1stoppedpaygo01', diskType: 'data' })).totalCount).toBe(2);
    expect((await disks({ diskIds: '["d-bp1orphan01"]' })).disks!.disk![0]).toMatchObject({ status: 'Available', instanceId: '' });
  });

  it('changes DeleteWithInstance / DeleteAutoSnapshot on several disks at once (DiskIds.N)', async () => {
    await ctx.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskIds: ['d-bp1stopped01sys', 'd-bp1stopped01dat1'], deleteWithInstance: false, deleteAutoSnapshot: false }));
    const body = await disks({ diskIds: '["d-bp1stopped01sys","d-bp1stopped01dat1"]' });
    expect(body.disks!.disk!.map((d) => [d.deleteWithInstance, d.deleteAutoSnapshot])).toEqual([
      [false, false],
      [false, false],
    ]);
    const err = await failure(ctx.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: 'd-bp1nosuchdisk', deleteWithInstance: true })));
    expect([err.code, err.statusCode]).toEqual(['InvalidDiskId.NotFound', 404]);
  });

  it('deletes only an unattached disk; its automatic snapshots go when DeleteAutoSnapshot=true, manual ones stay', async () => {
    const attached = await failure(ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1stopped01dat2' })));
    expect([attached.code, attached.statusCode]).toEqual(['IncorrectDiskStatus', 403]);
    await ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1orphan01' }));
    const s = (await ctx.admin.state<{ alibaba: { disks: { id: string }[]; snapshots: { id: string }[] } }>()).alibaba;
    expect(s.disks.map((d) => d.id)).not.toContain('d-bp1orphan01');
    expect(s.snapshots.map((x) => x.id)).not.toContain('s-bp1orphan01auto');
    expect(s.snapshots.map((x) => x.id)).toContain('s-bp1orphan01user');
    expect((await failure(ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1orphan01' })))).code).toBe('InvalidDiskId.NotFound');
  });
});

describe('DescribeSnapshots / DeleteSnapshot', () => {
  it('filters by InstanceId, DiskId, SnapshotType and SnapshotIds, with the real fields', async () => {
    const all = await snapshots({ instanceId: 'i-bp1stoppedpaygo01' });
    expect(all.totalCount).toBe(5);
    expect((await snapshots({ instanceId: 'i-bp1stoppedpaygo01', snapshotType: 'auto' })).totalCount).toBe(3);
    const user = await snapshots({ diskId: 'd-bp1stopped01dat1', snapshotType: 'user' });
    expect(user.snapshots!.snapshot![0]).toMatchObject({ snapshotId: 's-bp1stopped01dat1user', snapshotType: 'user', sourceDiskId: 'd-bp1stopped01dat1', sourceDiskType: 'data', status: 'accomplished', usage: 'disk' });
    expect((await snapshots({ snapshotIds: '["s-bp1imagesource01"]' })).snapshots!.snapshot![0]!.usage).toBe('image');
    expect((await failure(snapshots({ snapshotType: 'manual' }))).code).toBe('InvalidParameter');
  });

  it('refuses a snapshot behind an image, needs Force for one behind a disk, and deletes a plain one', async () => {
    const del = (snapshotId: string, force?: boolean) => ctx.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId, force }));
    expect((await failure(del('s-bp1imagesource01', true))).code).toBe('SnapshotCreatedImage');
    expect((await failure(del('s-bp1stopped01dat1user'))).code).toBe('SnapshotCreatedDisk');
    await del('s-bp1stopped01dat1user', true);
    await del('s-bp1orphan01user');
    const err = await failure(del('s-bp1orphan01user'));
    expect([err.code, err.statusCode]).toEqual(['InvalidSnapshotId.NotFound', 404]);
  });
});

describe('request routing', () => {
  it('answers InvalidAction.NotFound (404) for an unknown action', async () => {
    const err = await failure(ctx.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    expect([err.code, err.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
  });
});
