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
const disks = (req: Partial<$Ecs.DescribeDisksRequest> = {}) =>
  ctx.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION, ...req })).then((r) => r.body!);
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
    expect(tagged.instances!.instance![0].tags!.tag).toEqual(expect.arrayContaining([expect.objectContaining({ tagKey: 'env', tagValue: 'test' })]));
    expect((await instances({ status: 'Running' })).instances!.instance!.map((i) => i.instanceId)).toEqual(['i-bp1runningpaygo02']);
    expect((await instances({ instanceChargeType: 'PrePaid' })).totalCount).toBe(2);
  });

  it('pages with PageNumber / PageSize', async () => {
    const first = await instances({ pageSize: 4, pageNumber: 1 });
    const fourth = await instances({ pageSize: 4, pageNumber: 4 });
    expect(first.instances!.instance).toHaveLength(4);
    expect(fourth.instances!.instance).toHaveLength(1);
    expect(first.totalCount).toBe(13);
    expect(fourth.nextToken).toBe('');
    expect((await failure(instances({ pageSize: 101 }))).code).toBe('InvalidParameter');
  });

  it('pages with MaxResults / NextToken: a NextToken loop sees every instance once', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let calls = 0;
    do {
      const page = await instances({ maxResults: 10, ...(nextToken ? { nextToken } : {}) });
      seen.push(...page.instances!.instance!.map((i) => i.instanceId!));
      nextToken = page.nextToken || undefined;
      calls++;
    } while (nextToken && calls < 10);
    expect(calls).toBe(2);
    expect(seen).toHaveLength(13);
    expect(new Set(seen).size).toBe(13);
    // MaxResults below 10 is 10, above 100 is 100 (SDK documentation); a made-up token is refused.
    expect((await instances({ maxResults: 3 })).instances!.instance).toHaveLength(10);
    expect((await instances({ maxResults: 500 })).instances!.instance).toHaveLength(13);
    expect((await failure(instances({ nextToken: 'not-a-token' }))).code).toBe('InvalidParameter');
  });

  it('also answers NextToken to a client that sends no paging parameter', async () => {
    const first = await instances();
    expect(first.instances!.instance).toHaveLength(10);
    const rest = await instances({ nextToken: first.nextToken });
    expect(rest.instances!.instance).toHaveLength(3);
    expect(rest.nextToken).toBe('');
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
    expect(locked.body!.operationLocks!.lockReason![0].lockReason).toBe('security');
    const err = await failure(ctx.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: 'i-bp1nosuchthing' })));
    expect([err.code, err.statusCode]).toEqual(['InvalidInstanceId.NotFound', 404]);
  });
});

describe('StopInstance', () => {
  it('goes Running → Stopping → Stopped after timing.stopMs', async () => {
    await ctx.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-bp1runningpaygo02', stoppedMode: 'StopCharging' }));
    expect((await instances({ instanceIds: '["i-bp1runningpaygo02"]' })).instances!.instance![0].status).toBe('Stopping');
    await sleep(STOP_MS + 100);
    const inst = (await instances({ instanceIds: '["i-bp1runningpaygo02"]' })).instances!.instance![0];
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
    expect((await instances({ instanceIds: '["i-bp1stoppedpaygo01"]' })).instances!.instance![0].deletionProtection).toBe(true);
    const err = await failure(
      ctx.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: 'i-bp1seclocked06', deletionProtection: true })),
    );
    expect([err.code, err.statusCode]).toEqual(['InstanceLockedForSecurity', 403]);
  });
});

describe('DescribeDisks / ModifyDiskAttribute / DeleteDisk', () => {
  it('lists an instance’s disks with the real fields, filtered by DiskType and DiskIds', async () => {
    const body = await disks({ instanceId: 'i-bp1stoppedpaygo01' });
    expect(body.totalCount).toBe(3);
    const sys = body.disks!.disk!.find((d) => d.type === 'system')!;
    expect(sys).toMatchObject({
      diskId: 'd-bp1stopped01sys',
      status: 'In_use',
      instanceId: 'i-bp1stoppedpaygo01',
      deleteWithInstance: true,
      deleteAutoSnapshot: true,
      diskChargeType: 'PostPaid',
      device: '/dev/xvda',
    });
    expect(sys.attachments!.attachment![0].instanceId).toBe('i-bp1stoppedpaygo01');
    expect((await disks({ instanceId: 'i-bp1stoppedpaygo01', diskType: 'data' })).totalCount).toBe(2);
    expect((await disks({ diskIds: '["d-bp1orphan01"]' })).disks!.disk![0]).toMatchObject({ status: 'Available', instanceId: '' });
  });

  it('changes DeleteWithInstance / DeleteAutoSnapshot on several disks at once (DiskIds.N)', async () => {
    await ctx.ecs.modifyDiskAttribute(
      new $Ecs.ModifyDiskAttributeRequest({ diskIds: ['d-bp1stopped01sys', 'd-bp1stopped01dat1'], deleteWithInstance: false, deleteAutoSnapshot: false }),
    );
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

describe('DeleteDisk and automatic snapshots (DeleteDisk API reference)', () => {
  it('a disk kept by the release (DeleteWithInstance=false, DeleteAutoSnapshot=true): DeleteDisk takes its automatic snapshots, keeps the manual one', async () => {
    await ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1autosnap10' }));
    await sleep(400);
    const kept = (await disks({ diskIds: '["d-bp1autosnap10dat1"]' })).disks!.disk![0];
    expect(kept).toMatchObject({ status: 'Available', instanceId: '', deleteAutoSnapshot: true });
    const ids = async () => (await snapshots({ diskId: 'd-bp1autosnap10dat1' })).snapshots!.snapshot!.map((x) => x.snapshotId).sort();
    expect(await ids()).toEqual(['s-bp1autosnap10dat1auto1', 's-bp1autosnap10dat1auto2', 's-bp1autosnap10dat1user']);
    expect((await snapshots({ snapshotIds: '["s-bp1autosnap10sysauto"]' })).totalCount).toBe(0);
    await ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1autosnap10dat1' }));
    expect(await ids()).toEqual(['s-bp1autosnap10dat1user']);
  });

  it('with DeleteAutoSnapshot=false DeleteDisk keeps the automatic snapshots too', async () => {
    await ctx.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: 'd-bp1orphan01', deleteAutoSnapshot: false }));
    await ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1orphan01' }));
    const left = (await snapshots({ snapshotIds: '["s-bp1orphan01auto","s-bp1orphan01user"]' })).snapshots!.snapshot!.map((x) => x.snapshotId).sort();
    expect(left).toEqual(['s-bp1orphan01auto', 's-bp1orphan01user']);
  });
});

describe('seeded transitional states advance', () => {
  it('Stopping → Stopped after stopMs, Starting → Running after startMs, Pending → Running after pendingMs', async () => {
    const status = async (id: string) => (await instances({ instanceIds: JSON.stringify([id]) })).instances!.instance![0].status;
    expect(await status('i-bp1stopping11')).toBe('Stopping');
    expect(await status('i-bp1starting12')).toBe('Starting');
    expect(await status('i-bp1pending13')).toBe('Pending');
    await sleep(STOP_MS + 100);
    expect(await status('i-bp1stopping11')).toBe('Stopped');
    expect(await status('i-bp1starting12')).toBe('Running');
    await sleep(1500);
    expect(await status('i-bp1pending13')).toBe('Running');
    // The long-lived Pending fixture keeps its documented behaviour (a day).
    expect(await status('i-bp1pending07')).toBe('Pending');
  });

  it('a Pending instance without pendingMs uses timing.createMs (never frozen)', async () => {
    const { defaultFixture } = await import('../../../simulators/runtime');
    const fixture = defaultFixture();
    const section = fixture.alibaba as { timing: Record<string, number>; instances: { id: string; pendingMs?: number }[] };
    delete section.instances.find((i) => i.id === 'i-bp1pending07')!.pendingMs;
    section.timing.createMs = 100;
    ctx.sims.reset(fixture);
    await sleep(200);
    expect((await instances({ instanceIds: '["i-bp1pending07"]' })).instances!.instance![0].status).toBe('Running');
  });
});

describe('DescribeSnapshots / DeleteSnapshot', () => {
  it('filters by InstanceId, DiskId, SnapshotType and SnapshotIds, with the real fields', async () => {
    const all = await snapshots({ instanceId: 'i-bp1stoppedpaygo01' });
    expect(all.totalCount).toBe(5);
    expect((await snapshots({ instanceId: 'i-bp1stoppedpaygo01', snapshotType: 'auto' })).totalCount).toBe(3);
    const user = await snapshots({ diskId: 'd-bp1stopped01dat1', snapshotType: 'user' });
    expect(user.snapshots!.snapshot![0]).toMatchObject({
      snapshotId: 's-bp1stopped01dat1user',
      snapshotType: 'user',
      sourceDiskId: 'd-bp1stopped01dat1',
      sourceDiskType: 'data',
      status: 'accomplished',
      usage: 'disk',
    });
    expect((await snapshots({ snapshotIds: '["s-bp1imagesource01"]' })).snapshots!.snapshot![0].usage).toBe('image');
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

describe('reads by ID, instance and disk (the simulator indexes them)', () => {
  it('lists in fixture order whatever order the IDs come in, and follows a release, a detach and a deleted source disk', async () => {
    expect((await disks({ diskIds: '["d-bp1autosnap10dat1","d-bp1autosnap10sys"]' })).disks!.disk!.map((d) => d.diskId)).toEqual([
      'd-bp1autosnap10sys',
      'd-bp1autosnap10dat1',
    ]);
    expect(
      (await instances({ instanceIds: '["i-bp1runningpaygo02","i-bp1stoppedpaygo01","i-bp1nosuch"]' })).instances!.instance!.map((i) => i.instanceId),
    ).toEqual(['i-bp1stoppedpaygo01', 'i-bp1runningpaygo02']);
    await ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1autosnap10' }));
    await sleep(400);
    // Released: nothing attached to it any more; the kept disk and its snapshots are found by their own IDs.
    expect((await disks({ instanceId: 'i-bp1autosnap10' })).totalCount).toBe(0);
    expect((await snapshots({ instanceId: 'i-bp1autosnap10' })).totalCount).toBe(0);
    expect((await disks({ diskIds: '["d-bp1autosnap10sys","d-bp1autosnap10dat1"]' })).disks!.disk!.map((d) => [d.diskId, d.instanceId])).toEqual([
      ['d-bp1autosnap10dat1', ''],
    ]);
    expect((await snapshots({ diskId: 'd-bp1autosnap10dat1' })).totalCount).toBe(3);
    // A snapshot a disk was made from needs Force only while that disk exists.
    expect((await snapshots({ snapshotIds: '["s-bp1stopped01dat1user"]' })).snapshots!.snapshot![0].usage).toBe('disk');
    await ctx.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-bp1restored02' }));
    expect((await snapshots({ snapshotIds: '["s-bp1stopped01dat1user"]' })).snapshots!.snapshot![0].usage).toBe('none');
    await ctx.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: 's-bp1stopped01dat1user' }));
    expect((await snapshots({ diskId: 'd-bp1stopped01dat1' })).snapshots!.snapshot!.map((x) => x.snapshotId)).not.toContain('s-bp1stopped01dat1user');
  });
});

describe('request routing', () => {
  it('answers InvalidAction.NotFound (404) for an unknown action', async () => {
    const err = await failure(ctx.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    expect([err.code, err.statusCode]).toEqual(['InvalidAction.NotFound', 404]);
  });
});
