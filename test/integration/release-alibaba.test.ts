// releaseResource end to end on the real dev server against the Alibaba ECS simulator.
import { describe, expect, it } from 'vitest';
import { approveOverride, confirmBackup, progress } from '../../client/release';
import { defaultFixture } from '../../simulators/runtime';
import type { ReleaseRequest } from '../../domain/request';
import { failureOf, useSimHarness } from './harness';

const request = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-1',
  backup: { required: false },
  ...extra,
});
describe('Alibaba ECS release', () => {
  const h = useSimHarness();

  it('releases a stopped pay-as-you-go instance: one DeleteInstances, retention as planned', async () => {
    const handle = await h.start(request('i-bp1stoppedpaygo01'));
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.action).toBe('delete');
    const deletes = await h.admin.calls({ provider: 'alibaba', action: 'DeleteInstances' });
    expect(deletes).toHaveLength(1);
    const state = await h.admin.state<{ alibaba: { instances: { id: string }[] } }>();
    expect(state.alibaba.instances.map((i) => i.id)).not.toContain('i-bp1stoppedpaygo01');
    // No gate, no prepare step, a fresh inspect: the destructive call follows the read it was decided on.
    expect(report.steps.map((s) => s.phase)).toEqual(['validate', 'inspect', 'destroy', 'wait-gone', 'verify']);
    expect(report.steps.find((s) => s.phase === 'destroy' && s.name.endsWith('(once)'))!.requestIds).toHaveLength(1);
    expect(report.verification?.discrepancies).toEqual([]);
    // Everything reported deleted is gone; everything reported kept exists.
    const { disks, snapshots } = (await h.admin.state<{ alibaba: { disks: { id: string }[]; snapshots: { id: string }[] } }>()).alibaba;
    const exists = new Set([...disks, ...snapshots].map((x) => x.id));
    for (const d of report.deleted.filter((x) => x.type !== 'resource')) expect(exists.has(d.id), `${d.type} ${d.id} reported deleted`).toBe(false);
    for (const r of report.retained) expect(exists.has(r.id), `${r.type} ${r.id} reported kept`).toBe(true);
    expect(report.retained.length).toBeGreaterThan(0);
  });

  it('a dry run plans and changes nothing', async () => {
    const report = await (await h.start(request('i-bp1stoppedpaygo01', { dryRun: true }))).result();
    expect(report.outcome).toBe('dry-run');
    expect(report.action).toBe('delete');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  });

  it('waits for the backup confirmation, then releases', async () => {
    const handle = await h.start(request('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    // The UI's list of "Alibaba releases waiting for a backup confirmation".
    const waiting = async () => {
      const ids: string[] = [];
      for await (const wf of h.client.workflow.list({ query: `CloudProvider = "alibaba" AND ReleasePhase = "confirm" AND TaskQueue = "${h.taskQueue}"` }))
        ids.push(wf.workflowId);
      return ids;
    };
    await expect.poll(waiting, { timeout: 10_000 }).toEqual([handle.workflowId]);
    const rejected = await confirmBackup(handle, { confirmedBy: '', backupReference: 'x' }).catch((e: { cause?: Error }) => e.cause?.message);
    expect(rejected).toMatch(/confirmedBy/);
    await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-123' });
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.approvals).toMatchObject([{ gate: 'backup', by: 'bob@platform', reference: 'snap-123' }]);
    // Someone waited: the resource is read again right before the destructive call.
    expect(report.steps.map((s) => s.phase)).toEqual(['validate', 'inspect', 'confirm', 'recheck', 'destroy', 'wait-gone', 'verify']);
    // No longer listed as waiting for a confirmation once past it.
    expect((await handle.describe()).searchAttributes.ReleasePhase).toEqual(['wait-gone']);
  });

  it('ends as not confirmed, touching nothing, when the backup is not confirmed in time', async () => {
    const f = await failureOf((await h.start(request('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '2s' } }))).result());
    expect(f.type).toBe('BackupNotConfirmed');
    expect(f.report.outcome).toBe('backup-not-confirmed');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  });

  it('releases a resource with a protection tag only after someone else approves the override', async () => {
    const fixture = defaultFixture() as { alibaba: { instances: { id: string; tags?: Record<string, string> }[] } };
    fixture.alibaba.instances.find((i) => i.id === 'i-bp1stoppedpaygo01')!.tags = { 'release-protection': 'true' };
    await h.admin.reset(fixture);
    const blocked = await failureOf((await h.start(request('i-bp1stoppedpaygo01'))).result());
    expect(blocked.message).toContain('release-protection=true');
    const handle = await h.start(request('i-bp1stoppedpaygo01', { options: { overrideProtectionTag: true } }));
    await expect.poll(async () => (await progress(handle)).waitingFor ?? '', { timeout: 10_000 }).toContain('approveOverride');
    const own = await approveOverride(handle, { approvedBy: 'alice@platform' }).catch((e: { cause?: Error }) => e.cause?.message);
    expect(own).toMatch(/requester cannot approve/);
    await approveOverride(handle, { approvedBy: 'carol@security', comment: 'checked with the owner' });
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.approvals).toMatchObject([{ gate: 'protection-override', by: 'carol@security' }]);
  });

  it('refuses a protected instance before any call', async () => {
    const f = await failureOf((await h.start(request('i-bp1protected05'))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(f.message).toContain('deletion protection');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  });

  it('stops a running instance first when asked', async () => {
    const report = await (await h.start(request('i-bp1runningpaygo02', { options: { stopIfRunning: true } }))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'StopInstance' })).toHaveLength(1);
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
  });

  it('never repeats a DeleteInstances whose answer was lost', async () => {
    await h.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstances', dropResponse: true, times: 1 });
    const report = await (await h.start(request('i-bp1stoppedpaygo01'))).result();
    expect(report.outcome).toBe('released');
    const deletes = await h.admin.calls({ action: 'DeleteInstances' });
    expect(deletes).toHaveLength(1);
    expect(deletes[0].dropped).toBe(true);
  });

  it('retries a throttled DeleteInstances and deletes once', async () => {
    await h.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstances', error: { code: 'Throttling.User' }, times: 2 });
    const report = await (await h.start(request('i-bp1stoppedpaygo01'))).result();
    expect(report.outcome).toBe('released');
    const deletes = await h.admin.calls({ action: 'DeleteInstances' });
    expect(deletes.filter((c) => !c.injected)).toHaveLength(1);
    expect(report.providerErrors.map((e) => e.code)).toEqual(['Throttling.User', 'Throttling.User']);
  });
});
