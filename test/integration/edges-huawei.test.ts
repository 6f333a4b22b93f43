// Huawei releases at the edges of the rules (issue "Nothing destroyed that the rules forbid…"): a frozen
// account, two hosts in one order, a solution portfolio, racks and supernodes with their members' disks,
// preconditions known in advance. Each checks the simulator's state afterwards against the report.
import { describe, expect, it } from 'vitest';
import { confirmBackup, progress } from '../../client/release';
import type { ReleaseRequest } from '../../domain/request';
import { defaultFixture } from '../../simulators/runtime';
import { assessed, failureOf, useSimHarness } from './harness';
import { expectStateMatchesReport, inventory } from './witness';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const hw = (kind: ReleaseRequest['kind'], resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'huawei',
  kind,
  region: 'cn-southwest-2',
  projectId: PROJECT,
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-10',
  backup: { required: false },
  ...extra,
});
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const HOST = (n: number) => id('7', n);
const destructive = /^(DeleteServers|UnsubscribeResources|ReleaseResources|DeleteDevServer|DeleteHyperinstance|DeleteVolume|DeleteSnapshot)$/;

describe('Huawei releases at the edges of the rules', () => {
  const h = useSimHarness();
  const destructiveCalls = async () => (await h.admin.calls({ provider: 'huawei' })).filter((c) => destructive.test(c.action));

  it('a DCC host on a frozen account is blocked before any VM is drained, and the dry run shows why', async () => {
    const fixture = defaultFixture() as { huawei: { account?: { frozen?: boolean } } };
    fixture.huawei.account = { frozen: true };
    await h.admin.reset(fixture);
    const dry = await (await h.start(hw('dcc-host', HOST(2), { dryRun: true }))).result();
    expect(assessed(dry.plan).blockers.map((b) => b.code)).toContain('account-frozen');
    const f = await failureOf((await h.start(hw('dcc-host', HOST(2), { backup: { required: true, confirmWithin: '1h' } }))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(f.report.approvals).toEqual([]);
    expect(f.report.steps.some((s) => s.phase === 'confirm')).toBe(false);
    expect(await destructiveCalls()).toEqual([]);
  });

  it('an empty host that shares its order with another host is unsubscribed alone; the other keeps its VMs and its subscription', async () => {
    const before = await inventory(h.admin, 'huawei');
    const report = await (await h.start(hw('dcc-host', HOST(5)))).result();
    expect(report.outcome).toBe('released');
    const unsubscribes = await h.admin.calls({ action: 'UnsubscribeResources' });
    expect(unsubscribes.map((c) => c.target)).toEqual([HOST(5)]);
    const state = await h.admin.state<{
      huawei: { hosts: { dedicated_host_id: string; state: string }[]; billing: { resources: { resource_id: string; status: number }[] } };
    }>();
    expect(state.huawei.hosts.find((x) => x.dedicated_host_id === HOST(6))?.state).not.toBe('released');
    expect(state.huawei.billing.resources.find((r) => r.resource_id === HOST(6))?.status).toBe(2);
    expectStateMatchesReport(before, await inventory(h.admin, 'huawei'), report);
  });

  it('a drained host: its VM and the VM’s system disk are gone, the data disk and snapshot kept, exactly as reported', async () => {
    const before = await inventory(h.admin, 'huawei');
    const report = await (await h.start(hw('dcc-host', HOST(6)))).result();
    expect(report.outcome).toBe('released');
    expect(report.deleted.map((d) => d.id)).toEqual(expect.arrayContaining([HOST(6), id('9', 8), id('8', 81)]));
    expect(report.retained.map((r) => r.id)).toEqual(expect.arrayContaining([id('8', 82), id('5', 7)]));
    expect(report.verification?.discrepancies).toEqual([]);
    expectStateMatchesReport(before, await inventory(h.admin, 'huawei'), report);
  });

  it('a host whose order awaits payment is blocked before the drain', async () => {
    const f = await failureOf((await h.start(hw('dcc-host', HOST(7)))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(assessed(f.report.plan).blockers.map((b) => b.code)).toContain('pending-payment');
    expect(await destructiveCalls()).toEqual([]);
  });

  it('a host in a solution portfolio is blocked: its unsubscription would take another host', async () => {
    const f = await failureOf((await h.start(hw('dcc-host', HOST(8)))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(assessed(f.report.plan).blockers.map((b) => b.code)).toContain('order-member');
    expect(await destructiveCalls()).toEqual([]);
  });

  it('a rack waits for the backup, lists every member disk with its fate, and the state afterwards agrees', async () => {
    const handle = await h.start(hw('modelarts-rack', id('a', 2), { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    const plan = assessed((await progress(handle)).plan);
    const fates = Object.fromEntries(plan.disks.map((d) => [d.disk.id, d.fate]));
    expect(Object.values(fates).filter((f) => f === 'deleted')).toHaveLength(4);
    expect(Object.values(fates).filter((f) => f === 'retained')).toHaveLength(1);
    expect(await destructiveCalls()).toEqual([]);
    const before = await inventory(h.admin, 'huawei');
    await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'vault://rack-2' });
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.deleted.filter((d) => d.type === 'disk')).toHaveLength(4);
    expect(report.retained.filter((r) => r.type === 'disk')).toHaveLength(1);
    expectStateMatchesReport(before, await inventory(h.admin, 'huawei'), report, [id('d', 15), id('d', 16)]);
  });

  it.each([
    ['a supernode outside its deletable states', 'modelarts-supernode', id('c', 3), 'state-not-allowed'],
    ['a supernode’s member server released as a node', 'modelarts-node', id('d', 8), 'supernode-member'],
  ] as const)('%s is blocked in the plan, not by the provider', async (_name, kind, resourceId, code) => {
    const dry = await (await h.start(hw(kind, resourceId, { dryRun: true }))).result();
    expect(assessed(dry.plan).blockers.map((b) => b.code)).toContain(code);
    const f = await failureOf((await h.start(hw(kind, resourceId))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(await destructiveCalls()).toEqual([]);
  });

  it('a frozen yearly/monthly node in ERROR is released (the seed’s remedy), not blocked', async () => {
    const before = await inventory(h.admin, 'huawei');
    const report = await (await h.start(hw('modelarts-node', id('d', 18)))).result();
    expect(report.action).toBe('release');
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'ReleaseResources' })).toHaveLength(1);
    expectStateMatchesReport(before, await inventory(h.admin, 'huawei'), report);
  });

  it('a node seeded as DELETING gets no call and ends released once the provider is done', async () => {
    const report = await (await h.start(hw('modelarts-node', id('d', 19)))).result();
    expect(report.outcome).toBe('released');
    expect(await destructiveCalls()).toEqual([]);
  });

  it('snapshots of a disk the provider deletes are kept, reported kept, and still exist', async () => {
    const before = await inventory(h.admin, 'huawei');
    const report = await (await h.start(hw('modelarts-node', id('d', 1)))).result();
    expect(report.outcome).toBe('released');
    expect(report.verification?.discrepancies).toEqual([]);
    expectStateMatchesReport(before, await inventory(h.admin, 'huawei'), report);
  });
});
