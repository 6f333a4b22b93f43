// Table tests of the Huawei release rules (domain/rules/huawei.ts): every precondition the provider's own
// call would refuse is a blocker; every disk and snapshot a Huawei release touches has its fate.
import { describe, expect, it } from 'vitest';
import { type BlockerCode, type ExistingPlan, type Fate } from '../../domain/plan';
import type { ValidRequest } from '../../domain/request';
import type { ResourceKind, ResourceSnapshot } from '../../domain/resource';
import { codes, disk, diskFates, existingPlan, options, snap as baseSnap, snapFates, vm } from './plan-fixtures';

const SUB = { mode: 'subscription', expired: false } as const;

/** Huawei resources in the tables are running unless a row says otherwise. */
const snap = (kind: ResourceKind, s: Partial<ResourceSnapshot> = {}): ResourceSnapshot => baseSnap(kind, { status: 'running', rawStatus: 'RUNNING', ...s });
const existing = (s: ResourceSnapshot, o: Partial<ValidRequest['options']> = {}): ExistingPlan => existingPlan(s, options(o));

const ACCOUNT_FROZEN = { accountFrozen: { reason: 'arrears', detail: 'the account owes 12.5 CNY' } };
const host = (s: Partial<ResourceSnapshot> = {}) => snap('dcc-host', { charging: SUB, ...s });

describe('Huawei blockers known before anything is deleted', () => {
  const cases: [string, ResourceKind, Partial<ResourceSnapshot>, string, BlockerCode[]][] = [
    // item 1: account freeze, for every kind whose action goes through the Billing Center
    [
      'DCC host on a frozen account, VMs to drain: blocked before the drain',
      'dcc-host',
      { charging: SUB, ...ACCOUNT_FROZEN, vms: [vm('v1')] },
      'unsubscribe',
      ['account-frozen'],
    ],
    [
      'DCC host whose account state could not be read',
      'dcc-host',
      { charging: SUB, accountFrozen: { reason: 'unknown', detail: 'CBC.0151' } },
      'unsubscribe',
      ['account-frozen'],
    ],
    ['yearly/monthly node on a frozen account', 'modelarts-node', { charging: SUB, ...ACCOUNT_FROZEN }, 'unsubscribe', ['account-frozen']],
    ['rack on a frozen account', 'modelarts-rack', { charging: SUB, ...ACCOUNT_FROZEN }, 'unsubscribe', ['account-frozen']],
    ['yearly/monthly supernode on a frozen account', 'modelarts-supernode', { charging: SUB, ...ACCOUNT_FROZEN }, 'unsubscribe', ['account-frozen']],
    [
      'frozen yearly/monthly node on a frozen account: released (BSS accepts a release)',
      'modelarts-node',
      { charging: SUB, frozen: { reason: 'frozen' }, ...ACCOUNT_FROZEN },
      'release',
      [],
    ],
    ['pay-per-use node on a frozen account: ModelArts delete, no Billing Center call', 'modelarts-node', { ...ACCOUNT_FROZEN }, 'delete', []],
    // pending payment and frozen host (seed 001)
    [
      'DCC host with an order pending payment, VMs to drain',
      'dcc-host',
      { charging: SUB, pendingPayment: 'order CS1 is pending payment', vms: [vm('v1')] },
      'unsubscribe',
      ['pending-payment'],
    ],
    [
      'yearly/monthly node with an order pending payment',
      'modelarts-node',
      { charging: SUB, pendingPayment: 'order CS1 is pending payment' },
      'unsubscribe',
      ['pending-payment'],
    ],
    ['frozen DCC host with VMs', 'dcc-host', { charging: SUB, frozen: { reason: 'frozen' }, vms: [vm('v1')] }, 'unsubscribe', ['frozen']],
    // item 2: the provider's call would take (or need) another primary resource
    [
      'DCC host in a solution portfolio with another host',
      'dcc-host',
      { charging: SUB, order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1', 'h2'], otherPrimaries: ['h2'] } },
      'unsubscribe',
      ['order-member'],
    ],
    [
      'DCC host sharing its order with another primary host: unsubscribed alone, not blocked',
      'dcc-host',
      { charging: SUB, order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1'] } },
      'unsubscribe',
      [],
    ],
    [
      'rack with its member nodes: the whole unit is the named resource',
      'modelarts-rack',
      { charging: SUB, order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1', 'n1', 'n2'] } },
      'unsubscribe',
      [],
    ],
    [
      'rack in a portfolio with another rack',
      'modelarts-rack',
      { charging: SUB, order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1', 'n1', 'r2'], otherPrimaries: ['r2'] } },
      'unsubscribe',
      ['order-member'],
    ],
    // item 4: ModelArts preconditions
    ['pay-per-use supernode running: deleted', 'modelarts-supernode', {}, 'delete', []],
    ['pay-per-use supernode REIMAGING: not deletable', 'modelarts-supernode', { status: 'other', rawStatus: 'REIMAGING' }, 'delete', ['state-not-allowed']],
    [
      'pay-per-use supernode PROVISIONING: not deletable',
      'modelarts-supernode',
      { status: 'creating', rawStatus: 'PROVISIONING' },
      'delete',
      ['state-not-allowed'],
    ],
    ['pay-per-use supernode in ERROR: deleted', 'modelarts-supernode', { status: 'error', rawStatus: 'ERROR' }, 'delete', []],
    ['yearly/monthly supernode in ERROR: deleted', 'modelarts-supernode', { status: 'error', rawStatus: 'ERROR', charging: SUB }, 'delete', []],
    [
      'member server of a pay-per-use supernode released as a node',
      'modelarts-node',
      { memberOf: { kind: 'modelarts-supernode' } },
      'delete',
      ['supernode-member'],
    ],
    [
      'member server of a yearly/monthly supernode released as a node',
      'modelarts-node',
      { charging: SUB, memberOf: { kind: 'modelarts-supernode', id: 'sn1' }, order: { orderId: 'o1', billingResourceId: 'res-1', members: ['res-1', 'sn1'] } },
      'unsubscribe',
      ['supernode-member'],
    ],
    // item 5: a frozen yearly/monthly node in ERROR is released, not blocked
    [
      'frozen yearly/monthly node in ERROR: released',
      'modelarts-node',
      { status: 'error', rawStatus: 'ERROR', charging: { mode: 'subscription', expired: true }, frozen: { reason: 'frozen' } },
      'release',
      [],
    ],
    [
      'frozen yearly/monthly supernode in ERROR: released',
      'modelarts-supernode',
      { status: 'error', rawStatus: 'ERROR', charging: SUB, frozen: { reason: 'frozen' } },
      'release',
      [],
    ],
    [
      'expired (grace period) yearly/monthly node in CREATE_FAILED: released',
      'modelarts-node',
      { status: 'create-failed', charging: SUB, frozen: { reason: 'expired' } },
      'release',
      [],
    ],
  ];
  it.each(cases)('%s', (_name, kind, s, action, expected) => {
    const plan = existing(snap(kind, s));
    expect(plan.action).toBe(action);
    expect(codes(plan)).toEqual(expected);
    expect(plan.outcome).toBe(expected.length ? 'blocked' : 'proceed');
    if (expected.length) expect(plan.prepare).toEqual([]);
  });

  it('the account-freeze blocker says why, and the drain is not planned', () => {
    const plan = existing(host({ ...ACCOUNT_FROZEN, vms: [vm('v1')] }));
    expect(plan.blockers[0]?.message).toMatch(/account is frozen.*CBC\.7281/);
    expect(plan.prepare).toEqual([]);
    const unknown = existing(host({ accountFrozen: { reason: 'unknown', detail: 'ShowCustomerAccountBalances answered CBC.0151' } }));
    expect(unknown.blockers[0]?.message).toContain('could not be read');
  });
});

describe('Huawei disk and snapshot fates', () => {
  it('rack (item 3): every member disk with its fate; data at risk, so the backup gate applies', () => {
    const s = snap('modelarts-rack', {
      charging: SUB,
      disks: [
        disk('n1-sys', { role: 'system', attachedTo: 'n1' }),
        disk('n1-created', { attachedTo: 'n1' }),
        disk('n1-later', { origin: 'attached-later', attachedTo: 'n1' }),
        disk('n2-sys', { role: 'system', attachedTo: 'n2' }),
      ],
      snapshots: [
        { id: 's-created', sourceDiskId: 'n1-created', type: 'manual' },
        { id: 's-later', sourceDiskId: 'n1-later', type: 'manual' },
      ],
    });
    const plan = existing(s);
    expect(diskFates(plan)).toEqual<Record<string, Fate>>({ 'n1-sys': 'deleted', 'n1-created': 'deleted', 'n1-later': 'retained', 'n2-sys': 'deleted' });
    expect(plan.disks.find((d) => d.disk.id === 'n1-created')?.why).toContain('member n1');
    expect(plan.dataAtRisk).toBe(true);
    expect(plan.gates).toEqual(['backup']);
    // item 6: the provider keeps snapshots of the disks it deletes (EVS cascade=false, modelled for order deletions)
    expect(snapFates(plan)).toEqual({ 's-created': 'retained', 's-later': 'retained' });
    expect(plan.snapshots.find((x) => x.snapshot.id === 's-created')?.why).toContain('kept by the provider although its disk is deleted');
    expect(diskFates(existing(s, { retainedDataDisks: 'delete' }))['n1-later']).toBe('cleanup');
    expect(snapFates(existing(s, { retainedSnapshots: 'delete' }))).toEqual({ 's-created': 'cleanup', 's-later': 'cleanup' });
  });

  it('DCC host drain (item 7): a drained VM system disk is deleted, its data disks kept or cleaned up; a blocking VM disks untouched', () => {
    const s = host({
      vms: [vm('v1'), vm('v2', { service: 'RDS' })],
      disks: [
        disk('v1-sys', { role: 'system', attachedTo: 'v1' }),
        disk('v1-data', { attachedTo: 'v1' }),
        disk('v2-sys', { role: 'system', attachedTo: 'v2' }),
      ],
      snapshots: [
        { id: 's-sys', sourceDiskId: 'v1-sys', type: 'manual' },
        { id: 's-data', sourceDiskId: 'v1-data', type: 'manual' },
      ],
    });
    const blocked = existing(s);
    expect(diskFates(blocked)).toEqual({ 'v1-sys': 'deleted', 'v1-data': 'retained', 'v2-sys': 'retained' });
    const drainOnly = host({ vms: [vm('v1')], disks: s.disks.slice(0, 2), snapshots: s.snapshots });
    const plan = existing(drainOnly, { retainedDataDisks: 'delete' });
    expect(plan.outcome).toBe('proceed');
    expect(plan.prepare).toEqual([{ step: 'drain', vmIds: ['v1'] }]);
    expect(diskFates(plan)).toEqual({ 'v1-sys': 'deleted', 'v1-data': 'cleanup' });
    expect(plan.disks.find((d) => d.disk.id === 'v1-data')?.why).toContain('delete_volume false');
    expect(snapFates(plan)).toEqual({ 's-sys': 'retained', 's-data': 'retained' });
    expect(plan.gates).toEqual(['backup']);
  });

  it('node snapshots follow the same rule: kept by the provider, cleaned up only on request', () => {
    const s = snap('modelarts-node', {
      charging: SUB,
      disks: [disk('root', { role: 'system' }), disk('created')],
      snapshots: [{ id: 's1', sourceDiskId: 'created', type: 'manual' }],
    });
    expect(snapFates(existing(s))).toEqual({ s1: 'retained' });
    expect(snapFates(existing(s, { retainedSnapshots: 'delete' }))).toEqual({ s1: 'cleanup' });
  });
});
