// Rule tables for the Alibaba and Baidu release rules (domain/rules/alibaba.ts, domain/rules/baidu.ts), and a
// check against the simulators that every fate the plan states is what the provider then does.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isGone, planRelease, type Fate, type Plan } from '../../domain/plan';
import type { ValidRequest } from '../../domain/request';
import type { ResourceRef } from '../../domain/resource';
import { disk, diskFates as existingDiskFates, options, snap, snapFates as existingSnapFates, snapshot } from './plan-fixtures';
import type { ProviderAdapter } from '../../providers/adapter';
import { createAlibabaAdapter } from '../../providers/alibaba';
import { createBaiduAdapter } from '../../providers/baidu';
import { startSimulators, type RunningSimulators } from '../../simulators/runtime';

type Options = ValidRequest['options'];
const request = options;
const existing = (p: Plan) => {
  if (isGone(p)) throw new Error(`no plan: ${p.outcome}`);
  return p;
};
const diskFates = (p: Plan) => existingDiskFates(existing(p));
const snapFates = (p: Plan) => existingSnapFates(existing(p));

describe('Alibaba: automatic snapshots follow their disk, including a disk deleted at cleanup (DeleteDisk)', () => {
  const s = snap('ecs-instance', {
    disks: [
      disk('sys', { role: 'system', deleteWithInstance: true, deleteAutoSnapshot: true }),
      disk('kept-das', { deleteWithInstance: false, deleteAutoSnapshot: true }),
      disk('kept-keepauto', { deleteWithInstance: false, deleteAutoSnapshot: false }),
    ],
    snapshots: [
      snapshot('s-sys-auto', 'sys', 'auto'),
      snapshot('s-das-auto', 'kept-das', 'auto'),
      snapshot('s-das-manual', 'kept-das', 'manual'),
      snapshot('s-keep-auto', 'kept-keepauto', 'auto'),
    ],
  });
  const cases: [string, Partial<Options>, Record<string, Fate>, Record<string, Fate>][] = [
    [
      'disks and snapshots kept',
      {},
      { sys: 'deleted', 'kept-das': 'retained', 'kept-keepauto': 'retained' },
      { 's-sys-auto': 'deleted', 's-das-auto': 'retained', 's-das-manual': 'retained', 's-keep-auto': 'retained' },
    ],
    [
      'disks deleted at cleanup, snapshots kept: the DeleteAutoSnapshot=true disk takes its automatic snapshots',
      { retainedDataDisks: 'delete' },
      { sys: 'deleted', 'kept-das': 'cleanup', 'kept-keepauto': 'cleanup' },
      { 's-sys-auto': 'deleted', 's-das-auto': 'cleanup', 's-das-manual': 'retained', 's-keep-auto': 'retained' },
    ],
    [
      'disks and snapshots deleted at cleanup',
      { retainedDataDisks: 'delete', retainedSnapshots: 'delete' },
      { sys: 'deleted', 'kept-das': 'cleanup', 'kept-keepauto': 'cleanup' },
      { 's-sys-auto': 'deleted', 's-das-auto': 'cleanup', 's-das-manual': 'cleanup', 's-keep-auto': 'cleanup' },
    ],
    [
      'disks kept, snapshots deleted at cleanup',
      { retainedSnapshots: 'delete' },
      { sys: 'deleted', 'kept-das': 'retained', 'kept-keepauto': 'retained' },
      { 's-sys-auto': 'deleted', 's-das-auto': 'cleanup', 's-das-manual': 'cleanup', 's-keep-auto': 'cleanup' },
    ],
  ];
  it.each(cases)('%s', (_name, o, disks, snapshots) => {
    const plan = planRelease(s, request(o));
    expect(diskFates(plan)).toEqual(disks);
    expect(snapFates(plan)).toEqual(snapshots);
  });

  it('says why: the automatic snapshot goes when its disk is deleted at cleanup', () => {
    const plan = existing(planRelease(s, request({ retainedDataDisks: 'delete' })));
    expect(plan.snapshots.find((x) => x.snapshot.id === 's-das-auto')?.why).toMatch(/DeleteDisk.*kept-das.*cleanup|kept-das.*DeleteDisk.*cleanup/);
    expect(plan.dataAtRisk).toBe(true);
  });

  it('under a security lock every disk goes with the instance, and the automatic snapshots with DeleteAutoSnapshot=true too', () => {
    const plan = planRelease({ ...s, locks: [{ reason: 'security' }] }, request({ overrideProtectionTag: false }));
    expect(diskFates(plan)).toEqual({ sys: 'deleted', 'kept-das': 'deleted', 'kept-keepauto': 'deleted' });
    expect(snapFates(plan)).toEqual({ 's-sys-auto': 'deleted', 's-das-auto': 'deleted', 's-das-manual': 'retained', 's-keep-auto': 'retained' });
    expect(plan.outcome).toBe('blocked');
  });

  it('a Pending instance is blocked (not-ready); a Stopping one needs stopIfRunning', () => {
    expect(existing(planRelease(snap('ecs-instance', { status: 'creating', rawStatus: 'Pending' }), request())).blockers.map((b) => b.code)).toEqual([
      'not-ready',
    ]);
    expect(existing(planRelease(snap('ecs-instance', { status: 'stopping', rawStatus: 'Stopping' }), request())).blockers.map((b) => b.code)).toEqual([
      'running',
    ]);
    expect(existing(planRelease(snap('ecs-instance', { status: 'stopping', rawStatus: 'Stopping' }), request({ stopIfRunning: true }))).prepare).toEqual([
      { step: 'stop' },
    ]);
  });
});

describe('Baidu: an instance in the recycle bin is released from the bin', () => {
  const s = snap('bcc-instance', {
    status: 'recycled',
    rawStatus: 'Recycled',
    disks: [
      disk('sys', { role: 'system' }),
      disk('cds-post', { chargingMode: 'pay-per-use', origin: 'attached-later' }),
      disk('cds-pre', { chargingMode: 'subscription', origin: 'attached-later' }),
    ],
    snapshots: [snapshot('s-sys', 'sys', 'auto'), snapshot('s-cds', 'cds-post', 'manual')],
  });

  it.each<[string, Partial<Options>, Record<string, Fate>]>([
    ['snapshots kept', {}, { 's-sys': 'deleted', 's-cds': 'retained' }],
    ['snapshots deleted at cleanup', { retainedSnapshots: 'delete' }, { 's-sys': 'deleted', 's-cds': 'cleanup' }],
    ['disks and snapshots deleted at cleanup', { retainedDataDisks: 'delete', retainedSnapshots: 'delete' }, { 's-sys': 'deleted', 's-cds': 'cleanup' }],
  ])('proceeds with a delete from the bin; everything bound to it goes; %s', (_name, o, snapshots) => {
    const plan = existing(planRelease(s, request(o)));
    expect(plan.outcome).toBe('proceed');
    expect(plan.action).toBe('delete');
    expect(plan.destroyOptions).toEqual({ releaseDataDisks: false, releaseSnapshots: false, force: false, fromRecycleBin: true });
    expect(diskFates(plan)).toEqual({ sys: 'deleted', 'cds-post': 'deleted', 'cds-pre': 'deleted' });
    expect(snapFates(plan)).toEqual(snapshots);
    expect(plan.gates).toEqual(['backup']);
    expect(plan.disks.find((d) => d.disk.id === 'cds-post')?.why).toContain('recycle bin');
  });

  it('an instance not in the bin keeps the ordinary release (no fromRecycleBin)', () => {
    const plan = existing(planRelease({ ...s, status: 'stopped', rawStatus: 'Stopped' }, request()));
    expect(plan.destroyOptions.fromRecycleBin).toBeUndefined();
    expect(diskFates(plan)).toEqual({ sys: 'deleted', 'cds-post': 'retained', 'cds-pre': 'retained' });
  });

  it('an instance being deleted makes no call; a Starting/Stopping one is released as it is', () => {
    expect(planRelease(snap('bcc-instance', { status: 'deleting', rawStatus: 'Deleting' }), request()).outcome).toBe('in-progress');
    expect(planRelease(snap('bcc-instance', { status: 'starting', rawStatus: 'Starting' }), request()).outcome).toBe('proceed');
    expect(planRelease(snap('bcc-instance', { status: 'stopping', rawStatus: 'Stopping' }), request()).outcome).toBe('proceed');
  });
});

describe('the plan against the simulators: every stated fate is what the provider does', () => {
  let sims: RunningSimulators;
  let alibaba: ProviderAdapter;
  let baidu: ProviderAdapter;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    sims = await startSimulators();
    alibaba = createAlibabaAdapter({
      endpoint: sims.endpoints.alibaba,
      credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: 'sim-alibaba-sk' },
      timeoutMs: 3000,
    });
    baidu = createBaiduAdapter({
      endpoint: sims.endpoints.baidu,
      credentials: { accessKeyId: 'sim-baidu-ak-0001', secretAccessKey: 'sim-baidu-sk-0001-not-a-real-secret' },
      timeoutMs: 3000,
    });
  });
  afterAll(() => sims.close());
  beforeEach(() => sims.reset());

  /** Release as planned, clean up the `cleanup` disks and snapshots, then observe every item. */
  async function runAndObserve(adapter: ProviderAdapter, ref: ResourceRef, o: Partial<Options>, settleMs: number) {
    const plan = existing(planRelease(await adapter.inspect(ref), request(o)));
    expect(plan.outcome).toBe('proceed');
    await adapter.destroy(ref, plan.action, plan.destroyOptions);
    for (let i = 0; i < 40 && (await adapter.status(ref)).state !== 'gone'; i++) await sleep(settleMs / 4);
    for (const d of plan.disks.filter((x) => x.fate === 'cleanup')) await adapter.deleteDisk(ref, d.disk.id);
    // A snapshot whose disk's deletion takes it is already gone here; deleting it is then alreadyDone.
    for (const x of plan.snapshots.filter((y) => y.fate === 'cleanup')) await adapter.deleteSnapshot(ref, x.snapshot.id);
    const observed = await adapter.observe(ref, [
      { type: 'resource', id: ref.resourceId },
      ...plan.disks.map((d) => ({ type: 'disk' as const, id: d.disk.id })),
      ...plan.snapshots.map((x) => ({ type: 'snapshot' as const, id: x.snapshot.id })),
    ]);
    const expected = [
      { id: ref.resourceId, state: 'gone' },
      ...plan.disks.map((d) => ({ id: d.disk.id, state: d.fate === 'retained' ? 'present' : 'gone' })),
      ...plan.snapshots.map((x) => ({ id: x.snapshot.id, state: x.fate === 'retained' ? 'present' : 'gone' })),
    ];
    expect(observed.map((x) => ({ id: x.id, state: x.state }))).toEqual(expected);
    return plan;
  }

  it('Alibaba i-bp1autosnap10, kept disk deleted at cleanup, snapshots kept: the automatic ones go with DeleteDisk, the manual one stays', async () => {
    const ref: ResourceRef = { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-bp1autosnap10' };
    const plan = await runAndObserve(alibaba, ref, { retainedDataDisks: 'delete' }, 400);
    expect(Object.fromEntries(plan.snapshots.map((x) => [x.snapshot.id, x.fate]))).toEqual({
      's-bp1autosnap10sysauto': 'deleted',
      's-bp1autosnap10dat1auto1': 'cleanup',
      's-bp1autosnap10dat1auto2': 'cleanup',
      's-bp1autosnap10dat1user': 'retained',
    });
  });

  it('Alibaba i-bp1stoppedpaygo01, everything kept', async () => {
    await runAndObserve(alibaba, { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-bp1stoppedpaygo01' }, {}, 400);
  });

  it('Baidu i-recy0011 in the recycle bin: released from the bin with what went into it; the CDS snapshot stays', async () => {
    const ref: ResourceRef = { provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: 'i-recy0011' };
    const plan = await runAndObserve(baidu, ref, {}, 400);
    expect(Object.fromEntries(plan.disks.map((d) => [d.disk.id, d.fate]))).toEqual({ 'v-sys00011': 'deleted', 'v-cds00011': 'deleted' });
    expect(Object.fromEntries(plan.snapshots.map((x) => [x.snapshot.id, x.fate]))).toEqual({ 's-sys00011': 'deleted', 's-cds00011': 'retained' });
  });

  it('Baidu i-mixd0005 with leftovers to delete', async () => {
    await runAndObserve(
      baidu,
      { provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: 'i-mixd0005' },
      { retainedDataDisks: 'delete', retainedSnapshots: 'delete' },
      400,
    );
  });
});
