import * as $Ecs from '@alicloud/ecs20140526';
import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultFixture } from '../../../simulators/runtime';
import { failure, useAlibabaSim } from './alibaba-setup';

// DeleteInstance through the official SDK: every precondition and error code of the seed, and what the
// release keeps or removes (checked in the admin state).

interface AdminState {
  alibaba: {
    instances: { id: string; status: string; releasing: boolean; routeEntry: boolean }[];
    disks: { id: string; instanceId: string | null; status: string; chargeType: string }[];
    snapshots: { id: string }[];
  };
}

const DELETE_MS = 300;
const ctx = useAlibabaSim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const del = (instanceId: string, extra: Partial<$Ecs.DeleteInstanceRequest> = {}) =>
  ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, ...extra }));

async function state() {
  return (await ctx.admin.state<AdminState>()).alibaba;
}

/** The state minus what moves by itself: seeded Stopping/Starting instances finish their transition on the clock. */
function settled(s: AdminState['alibaba'], moving: Set<string>) {
  return { ...s, instances: s.instances.map((i) => (moving.has(i.id) ? { ...i, status: 'in transition' } : i)) };
}
const inTransition = (s: AdminState['alibaba']) => new Set(s.instances.filter((i) => i.status === 'Stopping' || i.status === 'Starting').map((i) => i.id));

describe('DeleteInstance preconditions', () => {
  it.each([
    ['a Pending instance', 'i-bp1pending07', {}, 'IncorrectInstanceStatus.Initializing', 403],
    ['a security-locked instance without Force', 'i-bp1seclocked06', {}, 'InstanceLockedForSecurity', 403],
    ['a deletion-protected instance', 'i-bp1protected05', {}, 'InvalidOperation.DeletionProtection', 400],
    ['an unexpired subscription', 'i-bp1prepaidactive03', { terminateSubscription: true }, 'ChargeTypeViolation', 403],
    ['an expired subscription without TerminateSubscription', 'i-bp1prepaidexpired04', {}, 'ChargeTypeViolation', 403],
    ['a Running instance without Force', 'i-bp1runningpaygo02', {}, 'IncorrectInstanceStatus', 403],
    ['an instance used by a route entry', 'i-bp1routeentry08', {}, 'DependencyViolation.RouteEntry', 400],
    ['an instance behind an SLB being configured', 'i-bp1slbbackend09', {}, 'DependencyViolation.SLBConfiguring', 400],
    ['an unknown instance', 'i-bp1doesnotexist', {}, 'InvalidInstanceId.NotFound', 404],
    ['a malformed instance ID', 'not-an-instance', {}, 'InvalidParameter', 400],
  ] as const)('refuses %s', async (_what, id, extra, code, status) => {
    const before = await state();
    const err = await failure(del(id, extra));
    expect(err.code).toBe(code);
    expect(err.statusCode).toBe(status);
    expect(err.data).toMatchObject({ Code: code, HostId: expect.any(String), RequestId: expect.any(String), Recommend: expect.stringContaining(code) });
    const moving = inTransition(before);
    expect(settled(await state(), moving)).toEqual(settled(before, moving));
  });

  it('names the protected instance in the deletion-protection message', async () => {
    const err = await failure(del('i-bp1protected05'));
    expect(err.data.Message).toBe('The operation is not allowed due to "i-bp1protected05" is protected by deletion protection.');
  });

  it('refuses a non-boolean Force as InvalidParameter', async () => {
    const res = await fetchSigned({ Force: 'maybe' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { Code: string }).Code).toBe('InvalidParameter');
  });

  it('answers DryRunOperation (400) when every check passes, and changes nothing', async () => {
    const err = await failure(del('i-bp1stoppedpaygo01', { dryRun: true }));
    expect([err.code, err.statusCode]).toEqual(['DryRunOperation', 400]);
    await sleep(DELETE_MS + 100);
    expect((await state()).instances.find((i) => i.id === 'i-bp1stoppedpaygo01')).toMatchObject({ status: 'Stopped', releasing: false });
  });

  it('runs the other checks before DryRun', async () => {
    const err = await failure(del('i-bp1protected05', { dryRun: true }));
    expect(err.code).toBe('InvalidOperation.DeletionProtection');
  });

  it('releases a protected instance once protection is turned off', async () => {
    await ctx.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: 'i-bp1protected05', deletionProtection: false }));
    const res = await del('i-bp1protected05');
    expect(res.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it('releases an expired subscription with TerminateSubscription=true', async () => {
    await del('i-bp1prepaidexpired04', { terminateSubscription: true });
    await sleep(DELETE_MS + 100);
    const s = await state();
    expect(s.instances.map((i) => i.id)).not.toContain('i-bp1prepaidexpired04');
    // Its data disk (DeleteWithInstance=false) is kept and converted to pay-as-you-go.
    expect(s.disks.find((d) => d.id === 'd-bp1expired04dat1')).toMatchObject({ instanceId: null, status: 'Available', chargeType: 'PostPaid' });
  });

  it('releases a Running instance with Force (it goes Stopping, then disappears)', async () => {
    await del('i-bp1runningpaygo02', { force: true });
    expect((await state()).instances.find((i) => i.id === 'i-bp1runningpaygo02')).toMatchObject({ status: 'Stopping', releasing: true });
    await sleep(DELETE_MS + 100);
    expect((await state()).instances.map((i) => i.id)).not.toContain('i-bp1runningpaygo02');
  });

  it('retries a dependency refusal successfully once the dependency clears', async () => {
    const fixture = defaultFixture();
    const section = fixture.alibaba as { instances: { id: string; dependenciesClearAfterMs?: number }[] };
    section.instances.find((i) => i.id === 'i-bp1routeentry08')!.dependenciesClearAfterMs = 200;
    ctx.sims.reset(fixture);
    expect((await failure(del('i-bp1routeentry08'))).code).toBe('DependencyViolation.RouteEntry');
    await sleep(250);
    await expect(del('i-bp1routeentry08')).resolves.toBeDefined();
  });

  it('lets a Pending instance with pendingMs become Running', async () => {
    const fixture = defaultFixture();
    const section = fixture.alibaba as { instances: { id: string; pendingMs?: number }[] };
    section.instances.find((i) => i.id === 'i-bp1pending07')!.pendingMs = 100;
    ctx.sims.reset(fixture);
    await sleep(150);
    expect((await state()).instances.find((i) => i.id === 'i-bp1pending07')?.status).toBe('Running');
  });
});

describe('DeleteInstance release and retention', () => {
  it('keeps the instance listed for timing.deleteMs, then it is gone; a repeat in between is accepted, after that NotFound', async () => {
    await del('i-bp1stoppedpaygo01');
    const listed = await ctx.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: '["i-bp1stoppedpaygo01"]' }));
    expect(listed.body?.totalCount).toBe(1);
    await expect(del('i-bp1stoppedpaygo01')).resolves.toBeDefined();
    await sleep(DELETE_MS + 100);
    const after = await ctx.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: '["i-bp1stoppedpaygo01"]' }));
    expect(after.body?.totalCount).toBe(0);
    expect((await failure(del('i-bp1stoppedpaygo01'))).code).toBe('InvalidInstanceId.NotFound');
  });

  it('applies DeleteWithInstance and DeleteAutoSnapshot; manual snapshots stay', async () => {
    await del('i-bp1stoppedpaygo01');
    await sleep(DELETE_MS + 100);
    const s = await state();
    const diskIds = s.disks.map((d) => d.id);
    const snapIds = s.snapshots.map((x) => x.id);
    // DeleteWithInstance=true: released.
    expect(diskIds).not.toContain('d-bp1stopped01sys');
    expect(diskIds).not.toContain('d-bp1stopped01dat1');
    // DeleteWithInstance=false: detached and kept.
    expect(s.disks.find((d) => d.id === 'd-bp1stopped01dat2')).toMatchObject({ instanceId: null, status: 'Available' });
    // Released disk, DeleteAutoSnapshot=true: its automatic snapshot goes.
    expect(snapIds).not.toContain('s-bp1stopped01sysauto');
    // Released disk, DeleteAutoSnapshot=false: its automatic snapshot stays.
    expect(snapIds).toContain('s-bp1stopped01dat1auto');
    // Manual snapshots always stay; the kept disk keeps all of its snapshots.
    expect(snapIds).toEqual(expect.arrayContaining(['s-bp1stopped01dat1user', 's-bp1stopped01dat2auto', 's-bp1stopped01dat2user']));
  });

  it('under a security lock (with Force) releases every attached disk, ignoring DeleteWithInstance=false', async () => {
    await del('i-bp1seclocked06', { force: true });
    await sleep(DELETE_MS + 100);
    const s = await state();
    const diskIds = s.disks.map((d) => d.id);
    const snapIds = s.snapshots.map((x) => x.id);
    expect(diskIds).not.toContain('d-bp1seclocked06sys');
    expect(diskIds).not.toContain('d-bp1seclocked06dat1');
    expect(diskIds).not.toContain('d-bp1seclocked06dat2');
    expect(snapIds).not.toContain('s-bp1seclocked06dat1auto'); // DeleteAutoSnapshot=true
    expect(snapIds).toContain('s-bp1seclocked06dat2auto'); // DeleteAutoSnapshot=false
    expect(snapIds).toContain('s-bp1seclocked06dat2user'); // manual
  });

  it('holds the release while a stuck fault holds the instance', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', target: 'i-bp1stoppedpaygo01', stuck: true });
    await del('i-bp1stoppedpaygo01');
    await sleep(DELETE_MS + 100);
    expect((await state()).instances.find((i) => i.id === 'i-bp1stoppedpaygo01')?.releasing).toBe(true);
    await ctx.admin.clearFaults();
    expect((await state()).instances.map((i) => i.id)).not.toContain('i-bp1stoppedpaygo01');
  });
});

/** The SDK's models type Force as a boolean, so a malformed value is sent by hand (HMAC-SHA1 scheme). */
async function fetchSigned(extra: Record<string, string>): Promise<Response> {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params: Record<string, string> = {
    Action: 'DeleteInstance',
    Version: '2014-05-26',
    Format: 'JSON',
    AccessKeyId: 'sim-alibaba-ak',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: `${new Date().toISOString().slice(0, 19)}Z`,
    InstanceId: 'i-bp1stoppedpaygo01',
    ...extra,
  };
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k])}`)
    .join('&');
  const signature = createHmac('sha1', 'sim-alibaba-sk&')
    .update(`POST&%2F&${enc(canonical)}`)
    .digest('base64');
  return fetch(`${ctx.sims.endpoints.alibaba}/?${canonical}&Signature=${enc(signature)}`, { method: 'POST' });
}

describe('DeleteInstances with ClientToken (idempotent release)', () => {
  const delMany = (instanceId: string[], extra: Partial<$Ecs.DeleteInstancesRequest> = {}) =>
    ctx.ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: 'cn-hangzhou', instanceId, ...extra }));

  it('the same token within the window answers the first RequestId and has no second effect, even after the instance is gone', async () => {
    const token = randomUUID();
    const first = await delMany(['i-bp1stoppedpaygo01'], { clientToken: token });
    const again = await delMany(['i-bp1stoppedpaygo01'], { clientToken: token });
    expect(again.body?.requestId).toBe(first.body?.requestId);
    await sleep(DELETE_MS + 100);
    expect((await state()).instances.map((i) => i.id)).not.toContain('i-bp1stoppedpaygo01');
    const late = await delMany(['i-bp1stoppedpaygo01'], { clientToken: token });
    expect(late.body?.requestId).toBe(first.body?.requestId);
    // Without the token, the gone instance is NotFound.
    expect((await failure(delMany(['i-bp1stoppedpaygo01']))).code).toBe('InvalidInstanceId.NotFound');
  });

  it('the same token with other parameters is IdempotentParameterMismatch; a refused call does not record its token', async () => {
    const token = randomUUID();
    await delMany(['i-bp1stoppedpaygo01'], { clientToken: token });
    expect((await failure(delMany(['i-bp1stoppedpaygo01'], { clientToken: token, force: true }))).code).toBe('IdempotentParameterMismatch');
    const refusedToken = randomUUID();
    expect((await failure(delMany(['i-bp1runningpaygo02'], { clientToken: refusedToken }))).code).toBe('IncorrectInstanceStatus');
    await delMany(['i-bp1runningpaygo02'], { clientToken: refusedToken, force: true });
    expect((await state()).instances.find((i) => i.id === 'i-bp1runningpaygo02')?.releasing).toBe(true);
  });

  it('keeps the seed rules: Stopped only unless Force, subscription, protection, lock; all or nothing; DryRun', async () => {
    const cases: [string, string, number][] = [
      ['i-bp1runningpaygo02', 'IncorrectInstanceStatus', 403],
      ['i-bp1prepaidactive03', 'ChargeTypeViolation', 403],
      ['i-bp1protected05', 'InvalidOperation.DeletionProtection', 400],
      ['i-bp1seclocked06', 'InstanceLockedForSecurity', 403],
      ['i-bp1pending07', 'IncorrectInstanceStatus.Initializing', 403],
      ['i-bp1nosuchthing', 'InvalidInstanceId.NotFound', 404],
    ];
    for (const [id, code, status] of cases) {
      const err = await failure(delMany([id]));
      expect([id, err.code, err.statusCode]).toEqual([id, code, status]);
    }
    expect((await failure(delMany(['i-bp1stoppedpaygo01', 'i-bp1runningpaygo02']))).code).toBe('IncorrectInstanceStatus');
    expect((await state()).instances.find((i) => i.id === 'i-bp1stoppedpaygo01')?.releasing).toBe(false);
    expect((await failure(delMany(['i-bp1stoppedpaygo01'], { dryRun: true }))).code).toBe('DRYRUN.SUCCESS');
    expect((await state()).instances.find((i) => i.id === 'i-bp1stoppedpaygo01')?.releasing).toBe(false);
    await delMany(['i-bp1prepaidexpired04'], { terminateSubscription: true });
    expect((await state()).instances.find((i) => i.id === 'i-bp1prepaidexpired04')?.releasing).toBe(true);
  });

  it('applies the same retention as DeleteInstance', async () => {
    await delMany(['i-bp1stoppedpaygo01']);
    await sleep(DELETE_MS + 100);
    const s = await state();
    expect(s.disks.find((d) => d.id === 'd-bp1stopped01dat2')).toMatchObject({ instanceId: null, status: 'Available' });
    expect(s.disks.map((d) => d.id)).not.toContain('d-bp1stopped01sys');
    expect(s.snapshots.map((x) => x.id)).toEqual(expect.arrayContaining(['s-bp1stopped01dat1user', 's-bp1stopped01dat1auto', 's-bp1stopped01dat2auto']));
    expect(s.snapshots.map((x) => x.id)).not.toContain('s-bp1stopped01sysauto');
  });
});
