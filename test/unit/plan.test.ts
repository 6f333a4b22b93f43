// Table tests of the release rules (domain/plan.ts): every seed rule, per provider.
import { describe, expect, it } from 'vitest';
import { FRESH_INSPECT_MS, needsRecheck, planChanges, planRelease as planAny, type BlockerCode, type ExistingPlan, type Fate } from '../../domain/plan';
import type { ValidRequest } from '../../domain/request';
import type { ResourceKind, ResourceSnapshot } from '../../domain/resource';
import { codes, disk, diskFates, existingPlan, options, snap, snapFates, snapshot } from './plan-fixtures';

/** The plan of a resource that exists (every table below is about one). */
const planRelease = (...args: Parameters<typeof planAny>): ExistingPlan => existingPlan(...args);

describe('blockers', () => {
  const cases: [string, ResourceKind, Partial<ResourceSnapshot>, Partial<ValidRequest['options']>, BlockerCode[]][] = [
    ['Alibaba stopped pay-as-you-go: free to go', 'ecs-instance', {}, {}, []],
    ['Alibaba running instance without stopIfRunning', 'ecs-instance', { status: 'running', rawStatus: 'Running' }, {}, ['running']],
    ['Alibaba running instance with stopIfRunning', 'ecs-instance', { status: 'running', rawStatus: 'Running' }, { stopIfRunning: true }, []],
    ['Alibaba Pending instance', 'ecs-instance', { status: 'creating', rawStatus: 'Pending' }, {}, ['not-ready']],
    [
      'Alibaba unexpired subscription',
      'ecs-instance',
      { charging: { mode: 'subscription', expired: false, expiresAt: '2030-01-01T00:00:00Z' } },
      {},
      ['unexpired-subscription'],
    ],
    ['Alibaba expired subscription', 'ecs-instance', { charging: { mode: 'subscription', expired: true } }, {}, []],
    ['Alibaba deletion protection', 'ecs-instance', { deletionProtection: true }, {}, ['deletion-protection']],
    ['Alibaba security lock', 'ecs-instance', { locks: [{ reason: 'security' }] }, {}, ['security-lock']],
    ['other locks block too', 'ecs-instance', { locks: [{ reason: 'financial' }] }, {}, ['locked']],
    ['protection tag without override', 'ecs-instance', { tags: { 'release-protection': 'true' } }, {}, ['protection-tag']],
    ['protection tag with override: a gate, not a blocker', 'ecs-instance', { tags: { 'release-protection': 'true' } }, { overrideProtectionTag: true }, []],
    ['Baidu running postpaid: released running', 'bcc-instance', { status: 'running' }, {}, []],
    ['Baidu creating', 'bcc-instance', { status: 'creating', rawStatus: 'Creating' }, {}, ['not-ready']],
    ['Baidu unexpired prepaid', 'bcc-instance', { charging: { mode: 'subscription', expired: false } }, {}, ['unexpired-subscription']],
    ['Baidu expired prepaid', 'bcc-instance', { charging: { mode: 'subscription', expired: true } }, {}, []],
    [
      'Huawei yearly/monthly node: unsubscribed, not blocked',
      'modelarts-node',
      { status: 'running', charging: { mode: 'subscription', expired: false } },
      {},
      [],
    ],
    [
      'Huawei child node of a rack order',
      'modelarts-node',
      { charging: { mode: 'subscription', expired: false }, order: { orderId: 'o1', billingResourceId: 'b1', members: ['b1', 'b2', 'b3'] } },
      {},
      ['order-member'],
    ],
    ['Huawei frozen pay-per-use node', 'modelarts-node', { frozen: { reason: 'arrears' } }, {}, ['frozen']],
    [
      'Huawei frozen yearly/monthly node: released, not blocked',
      'modelarts-node',
      { charging: { mode: 'subscription', expired: false }, frozen: { reason: 'frozen' } },
      {},
      [],
    ],
    ['DCC frozen host', 'dcc-host', { frozen: { reason: 'host frozen' } }, {}, ['frozen']],
    [
      'DCC host with a yearly/monthly VM',
      'dcc-host',
      { vms: [{ id: 'vm1', service: 'ECS', chargingMode: 'subscription', status: 'ACTIVE' }] },
      {},
      ['vm-needs-unsubscription'],
    ],
    [
      'DCC host with an RDS VM',
      'dcc-host',
      { vms: [{ id: 'vm1', service: 'RDS', chargingMode: 'pay-per-use', status: 'ACTIVE' }] },
      {},
      ['vm-owned-by-service'],
    ],
    [
      'DCC host with pay-per-use ECS VMs: drained, not blocked',
      'dcc-host',
      { vms: [{ id: 'vm1', service: 'ECS', chargingMode: 'pay-per-use', status: 'ACTIVE' }] },
      {},
      [],
    ],
  ];
  it.each(cases)('%s', (_name, kind, s, o, expected) => {
    const plan = planRelease(snap(kind, s), options(o));
    expect(codes(plan)).toEqual(expected);
    expect(plan.outcome).toBe(expected.length ? 'blocked' : 'proceed');
    if (expected.length) expect(plan.prepare).toEqual([]);
  });
});

describe('action', () => {
  const cases: [string, ResourceKind, Partial<ResourceSnapshot>, string][] = [
    ['Alibaba: DeleteInstance', 'ecs-instance', {}, 'delete'],
    ['Baidu: release', 'bcc-instance', {}, 'delete'],
    ['Huawei pay-per-use node: delete', 'modelarts-node', {}, 'delete'],
    ['Huawei yearly/monthly node: unsubscribe', 'modelarts-node', { charging: { mode: 'subscription', expired: false } }, 'unsubscribe'],
    ['Huawei yearly/monthly node in ERROR: delete', 'modelarts-node', { status: 'error', charging: { mode: 'subscription', expired: false } }, 'delete'],
    [
      'Huawei yearly/monthly node that failed to create: delete',
      'modelarts-node',
      { status: 'create-failed', charging: { mode: 'subscription', expired: false } },
      'delete',
    ],
    [
      'Huawei frozen yearly/monthly node: release',
      'modelarts-node',
      { charging: { mode: 'subscription', expired: false }, frozen: { reason: 'frozen' } },
      'release',
    ],
    ['Huawei yearly/monthly supernode: unsubscribe', 'modelarts-supernode', { charging: { mode: 'subscription', expired: false } }, 'unsubscribe'],
    ['Huawei pay-per-use supernode: delete', 'modelarts-supernode', {}, 'delete'],
    ['Huawei rack: unsubscribe', 'modelarts-rack', { charging: { mode: 'subscription', expired: false } }, 'unsubscribe'],
    [
      'Huawei rack in ERROR: still the whole order, unsubscribe',
      'modelarts-rack',
      { status: 'error', charging: { mode: 'subscription', expired: false } },
      'unsubscribe',
    ],
    ['Huawei frozen rack: release', 'modelarts-rack', { charging: { mode: 'subscription', expired: false }, frozen: { reason: 'frozen' } }, 'release'],
    ['DCC host: unsubscribe', 'dcc-host', { charging: { mode: 'subscription', expired: false } }, 'unsubscribe'],
  ];
  it.each(cases)('%s', (_name, kind, s, action) => {
    expect(planRelease(snap(kind, s), options()).action).toBe(action);
  });
});

describe('retention', () => {
  it('Alibaba: DeleteWithInstance decides the disks; DeleteAutoSnapshot the automatic snapshots; manual snapshots stay', () => {
    const s = snap('ecs-instance', {
      disks: [
        disk('sys', { role: 'system', deleteWithInstance: true, deleteAutoSnapshot: true }),
        disk('d-go', { deleteWithInstance: true, deleteAutoSnapshot: false }),
        disk('d-stay', { deleteWithInstance: false, deleteAutoSnapshot: true }),
      ],
      snapshots: [
        snapshot('s-sys-auto', 'sys', 'auto'),
        snapshot('s-go-auto', 'd-go', 'auto'),
        snapshot('s-stay-auto', 'd-stay', 'auto'),
        snapshot('s-manual', 'sys', 'manual'),
      ],
    });
    const plan = planRelease(s, options());
    expect(diskFates(plan)).toEqual<Record<string, Fate>>({ sys: 'deleted', 'd-go': 'deleted', 'd-stay': 'retained' });
    expect(snapFates(plan)).toEqual<Record<string, Fate>>({
      's-sys-auto': 'deleted',
      's-go-auto': 'retained',
      's-stay-auto': 'retained',
      's-manual': 'retained',
    });
    const cleaned = planRelease(s, options({ retainedDataDisks: 'delete', retainedSnapshots: 'delete' }));
    expect(diskFates(cleaned)['d-stay']).toBe('cleanup');
    expect(snapFates(cleaned)).toMatchObject({ 's-go-auto': 'cleanup', 's-manual': 'cleanup', 's-sys-auto': 'deleted' });
  });

  it('Alibaba under a security lock: every disk is released whatever DeleteWithInstance says', () => {
    const plan = planRelease(snap('ecs-instance', { locks: [{ reason: 'security' }], disks: [disk('d', { deleteWithInstance: false })] }), options());
    expect(diskFates(plan)).toEqual({ d: 'deleted' });
  });

  it('Baidu: CDS disks detached and their snapshots kept; system-disk snapshots deleted', () => {
    const s = snap('bcc-instance', {
      disks: [disk('sys', { role: 'system' }), disk('cds-post', { chargingMode: 'pay-per-use' }), disk('cds-pre', { chargingMode: 'subscription' })],
      snapshots: [snapshot('s-sys', 'sys', 'manual'), snapshot('s-cds', 'cds-post', 'manual')],
    });
    const plan = planRelease(s, options());
    expect(diskFates(plan)).toEqual({ sys: 'deleted', 'cds-post': 'retained', 'cds-pre': 'retained' });
    expect(snapFates(plan)).toEqual({ 's-sys': 'deleted', 's-cds': 'retained' });
    expect(plan.destroyOptions).toEqual({ releaseDataDisks: false, releaseSnapshots: false, force: false });
  });

  it('Baidu with leftovers to delete: related release of postpaid CDS and their snapshots; prepaid CDS never', () => {
    const s = snap('bcc-instance', {
      disks: [disk('cds-post', { chargingMode: 'pay-per-use' }), disk('cds-pre', { chargingMode: 'subscription' })],
      snapshots: [snapshot('s-cds', 'cds-post', 'manual')],
    });
    const plan = planRelease(s, options({ retainedDataDisks: 'delete', retainedSnapshots: 'delete' }));
    expect(plan.destroyOptions).toEqual({ releaseDataDisks: true, releaseSnapshots: true, force: false });
    expect(diskFates(plan)).toEqual({ 'cds-post': 'deleted', 'cds-pre': 'retained' });
    expect(snapFates(plan)).toEqual({ 's-cds': 'deleted' });
  });

  const huawei: [string, ResourceKind, 'pay-per-use' | 'subscription', Record<string, Fate>][] = [
    [
      'yearly/monthly node: creation disks deleted, later ones kept',
      'modelarts-node',
      'subscription',
      { root: 'deleted', created: 'deleted', later: 'retained' },
    ],
    ['pay-per-use ECS/BMS node: creation disks kept', 'modelarts-node', 'pay-per-use', { root: 'deleted', created: 'retained', later: 'retained' }],
    ['pay-per-use supernode: creation disks deleted', 'modelarts-supernode', 'pay-per-use', { root: 'deleted', created: 'deleted', later: 'retained' }],
    ['yearly/monthly supernode: creation disks deleted', 'modelarts-supernode', 'subscription', { root: 'deleted', created: 'deleted', later: 'retained' }],
  ];
  it.each(huawei)('Huawei Lite Server %s', (_name, kind, mode, expected) => {
    const s = snap(kind, {
      charging: { mode, expired: false },
      disks: [disk('root', { role: 'system' }), disk('created'), disk('later', { origin: 'attached-later' })],
    });
    expect(diskFates(planRelease(s, options()))).toEqual(expected);
  });
});

describe('gates, outcomes and notes', () => {
  it('asks for a backup confirmation when data is at risk and the request requires it', () => {
    const s = snap('ecs-instance', { disks: [disk('sys', { role: 'system', deleteWithInstance: true })] });
    expect(planRelease(s, options()).gates).toEqual(['backup']);
    expect(planRelease(s, { ...options(), backup: { required: false, confirmWithinMs: 1 } }).gates).toEqual([]);
    expect(planRelease(snap('ecs-instance'), options()).gates).toEqual([]);
  });

  it('asks for approval of a protection override', () => {
    expect(planRelease(snap('ecs-instance', { tags: { 'release-protection': 'true' } }), options({ overrideProtectionTag: true })).gates).toEqual([
      'protection-override',
    ]);
  });

  it('a DCC host drains its deletable VMs, and its backup covers them', () => {
    const plan = planRelease(
      snap('dcc-host', {
        vms: [
          { id: 'a', service: 'ECS', chargingMode: 'pay-per-use', status: 'ACTIVE' },
          { id: 'b', service: 'ECS', chargingMode: 'pay-per-use', status: 'ACTIVE' },
        ],
      }),
      options(),
    );
    expect(plan.prepare).toEqual([{ step: 'drain', vmIds: ['a', 'b'] }]);
    expect(plan.gates).toEqual(['backup']);
    expect(plan.notes.join()).toContain('covers the VMs');
  });

  it('Alibaba with stopIfRunning stops first', () => {
    expect(planRelease(snap('ecs-instance', { status: 'running' }), options({ stopIfRunning: true })).prepare).toEqual([{ step: 'stop' }]);
  });

  it('gone and being-deleted resources make no call', () => {
    expect(planAny(snap('ecs-instance', { exists: false, status: 'deleted', absence: 'reported-deleted' }), options()).outcome).toBe('already-gone');
    expect(planAny(snap('ecs-instance', { exists: false, status: 'deleted', absence: 'unknown-id' }), options()).outcome).toBe('not-found');
    expect(planRelease(snap('modelarts-node', { status: 'deleting' }), options()).outcome).toBe('in-progress');
  });

  it('unsubscribing an order says the whole order goes', () => {
    const plan = planRelease(
      snap('modelarts-rack', {
        charging: { mode: 'subscription', expired: false },
        order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1', 'n1', 'n2'] },
      }),
      options(),
    );
    expect(plan.notes[0]).toContain('whole order o1');
  });
});

describe('planChanges: fail-closed re-check', () => {
  const before = planRelease(snap('ecs-instance', { status: 'running', disks: [disk('d', { deleteWithInstance: true })] }), options({ stopIfRunning: true }));
  it('ignores what preparation changed (running → stopped)', () => {
    const after = planRelease(snap('ecs-instance', { disks: [disk('d', { deleteWithInstance: true })] }), options({ stopIfRunning: true }));
    expect(planChanges(before, after)).toEqual([]);
  });
  it.each<[string, Partial<ResourceSnapshot>]>([
    ['deletion protection switched on', { deletionProtection: true, disks: [disk('d', { deleteWithInstance: true })] }],
    ['a new disk', { disks: [disk('d', { deleteWithInstance: true }), disk('new')] }],
    ['a disk flag changed', { disks: [disk('d', { deleteWithInstance: false })] }],
    ['a protection tag appeared', { tags: { 'release-protection': 'true' }, disks: [disk('d', { deleteWithInstance: true })] }],
    [
      'charging mode changed to an unexpired subscription',
      { charging: { mode: 'subscription', expired: false }, disks: [disk('d', { deleteWithInstance: true })] },
    ],
  ])('stops on: %s', (_name, s) => {
    expect(planChanges(before, planRelease(snap('ecs-instance', s), options({ stopIfRunning: true }))).length).toBeGreaterThan(0);
  });
  it('stops when VMs are still on a drained host', () => {
    const host = (vms: string[]) =>
      snap('dcc-host', { vms: vms.map((id) => ({ id, service: 'ECS', chargingMode: 'pay-per-use' as const, status: 'ACTIVE' })) });
    const planned = planRelease(host(['a']), options());
    expect(planChanges(planned, planRelease(host([]), options()))).toEqual([]);
    expect(planChanges(planned, planRelease(host(['a']), options()))).toContain('preparation is incomplete: drain');
  });
  it("does not count the drained VMs' disks leaving the host as a change, but any other disk still counts", () => {
    const vm = { id: 'a', service: 'ECS', chargingMode: 'pay-per-use' as const, status: 'ACTIVE' };
    const vmDisks = [disk('sys-a', { role: 'system', attachedTo: 'a' }), disk('data-a', { attachedTo: 'a' })];
    const planned = planRelease(snap('dcc-host', { vms: [vm], disks: vmDisks, snapshots: [snapshot('s-a', 'data-a', 'manual')] }), options());
    expect(planChanges(planned, planRelease(snap('dcc-host'), options()))).toEqual([]);
    expect(planChanges(planned, planRelease(snap('dcc-host', { disks: [disk('stranger')] }), options()))).toEqual(['new or changed: disk stranger: retained']);
  });
});

describe('needsRecheck: the re-read before the destructive call is skipped only where nothing could have changed', () => {
  const t0 = Date.parse('2026-12-01T12:00:00Z');
  it.each([
    { why: 'no gate, no prepare step, inspected just now', gates: [], prepare: [], after: 1_000, recheck: false },
    { why: 'just under the freshness bound', gates: [], prepare: [], after: FRESH_INSPECT_MS - 1, recheck: false },
    { why: 'a stalled workflow: the inspect is as old as the bound', gates: [], prepare: [], after: FRESH_INSPECT_MS, recheck: true },
    { why: 'a clock that went backwards is not trusted', gates: [], prepare: [], after: Number.NaN, recheck: true },
    { why: 'a backup gate (a person waited)', gates: ['backup' as const], prepare: [], after: 10, recheck: true },
    { why: 'an override gate', gates: ['protection-override' as const], prepare: [], after: 10, recheck: true },
    { why: 'a stop before the delete', gates: [], prepare: [{ step: 'stop' as const }], after: 10, recheck: true },
    { why: 'a drain', gates: [], prepare: [{ step: 'drain' as const, vmIds: ['vm-1'] }], after: 10, recheck: true },
  ])('$why: re-check $recheck', ({ gates, prepare, after, recheck }) => {
    expect(needsRecheck({ gates, prepare }, t0, t0 + after)).toBe(recheck);
  });
});
