// releaseResource end to end on the real dev server against the Huawei simulator: Lite Server nodes, racks,
// frozen resources, DELETE_FAILED, and DCC hosts drained before their unsubscription.
import { describe, expect, it } from 'vitest';
import { cancelRelease, confirmBackup, progress } from '../../client/release';
import type { ReleaseRequest } from '../../domain/request';
import { defaultFixture } from '../../simulators/runtime';
import { assessed, failureOf, useSimHarness } from './harness';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const request = (kind: ReleaseRequest['kind'], resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'huawei',
  kind,
  region: 'cn-southwest-2',
  projectId: PROJECT,
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-2',
  backup: { required: false },
  ...extra,
});
interface HuaweiState {
  huawei: { devServers: { id: string; status: string }[]; volumes: { id: string }[]; servers: { id: string }[]; hosts: { dedicated_host_id: string }[] };
}

describe('Huawei release', () => {
  const h = useSimHarness();

  it('deletes a pay-per-use Lite Server node once; creation-time and attached data disks are kept', async () => {
    const report = await (await h.start(request('modelarts-node', 'd0000001-0000-4000-8000-000000000001'))).result();
    expect(report.outcome).toBe('released');
    expect(report.action).toBe('delete');
    expect(await h.admin.calls({ action: 'DeleteDevServer' })).toHaveLength(1);
    const state = await h.admin.state<HuaweiState>();
    expect(state.huawei.devServers.find((d) => d.id === 'd0000001-0000-4000-8000-000000000001')?.status ?? 'DELETED').toBe('DELETED');
    const volumes = state.huawei.volumes.map((v) => v.id);
    expect(volumes).not.toContain('f0000011-0000-4000-8000-000000000011'); // system disk
    expect(volumes).toEqual(expect.arrayContaining(['f0000012-0000-4000-8000-000000000012', 'f0000013-0000-4000-8000-000000000013']));
    expect(report.retained.map((r) => r.id)).toEqual(expect.arrayContaining(['f0000012-0000-4000-8000-000000000012', 'f0000013-0000-4000-8000-000000000013']));
  });

  it('deletes the retained data disks afterwards when the request asks for it', async () => {
    const report = await (
      await h.start(request('modelarts-node', 'd0000001-0000-4000-8000-000000000001', { options: { retainedDataDisks: 'delete' } }))
    ).result();
    expect(report.outcome).toBe('released');
    // EVS deletes asynchronously (a job): the disks go shortly after the accepted call.
    const left = async () =>
      (await h.admin.state<HuaweiState>()).huawei.volumes
        .map((v) => v.id)
        .filter((id) => id === 'f0000012-0000-4000-8000-000000000012' || id === 'f0000013-0000-4000-8000-000000000013');
    await expect.poll(left, { timeout: 5_000 }).toEqual([]);
    expect(await h.admin.calls({ action: 'DeleteVolume' })).toHaveLength(2);
  });

  it('deletes a pay-per-use supernode once; its creation-time data disks go with it', async () => {
    const report = await (await h.start(request('modelarts-supernode', 'c0000001-0000-4000-8000-000000000001'))).result();
    expect(report.outcome).toBe('released');
    expect(report.action).toBe('delete');
    expect(await h.admin.calls({ action: 'DeleteHyperinstance' })).toHaveLength(1);
    expect(
      assessed(report.plan)
        .disks.filter((d) => d.disk.origin === 'with-resource')
        .every((d) => d.fate === 'deleted'),
    ).toBe(true);
  });

  it('unsubscribes a rack as a whole order through the Billing Center', async () => {
    const report = await (await h.start(request('modelarts-rack', 'a0000001-0000-4000-8000-000000000001'))).result();
    expect(report.outcome).toBe('released');
    expect(report.action).toBe('unsubscribe');
    expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(1);
    expect(assessed(report.plan).notes.join()).toContain('whole order');
  });

  it('refuses to unsubscribe a child node of a rack alone', async () => {
    const f = await failureOf((await h.start(request('modelarts-node', 'd0000006-0000-4000-8000-000000000006'))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(f.message).toContain('whole order');
    expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(0);
  });

  it('releases a frozen yearly/monthly node instead of unsubscribing it', async () => {
    const report = await (await h.start(request('modelarts-node', 'd0000011-0000-4000-8000-000000000011'))).result();
    expect(report.action).toBe('release');
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'ReleaseResources' })).toHaveLength(1);
  });

  it('ends with the provider details when the delete ends DELETE_FAILED', async () => {
    const f = await failureOf((await h.start(request('modelarts-node', 'd0000014-0000-4000-8000-000000000014'))).result());
    expect(f.type).toBe('DeleteFailed');
    expect(f.message).toContain('DELETE_FAILED');
    expect(await h.admin.calls({ action: 'DeleteDevServer' })).toHaveLength(1);
  });

  it('retries a transaction in progress, then unsubscribes once', async () => {
    await h.admin.injectFault({ provider: 'huawei', action: 'UnsubscribeResources', error: { code: 'CBC.99003651', httpStatus: 400 }, times: 1 });
    const report = await (await h.start(request('modelarts-node', 'd0000002-0000-4000-8000-000000000002'))).result();
    expect(report.outcome).toBe('released');
    expect((await h.admin.calls({ action: 'UnsubscribeResources' })).filter((c) => !c.injected)).toHaveLength(1);
  });

  describe('DCC host', () => {
    it('drains the pay-per-use VMs, then unsubscribes the empty host', async () => {
      const handle = await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002', { backup: { required: true, confirmWithin: '1h' } }));
      await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
      const plan = assessed((await progress(handle)).plan);
      expect(plan.vms.length).toBeGreaterThan(0);
      expect(plan.vms.every((v) => v.fate === 'drain')).toBe(true);
      await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'vault://dcc-host-payg-vms' });
      const report = await handle.result();
      expect(report.outcome).toBe('released');
      const vmIds = plan.vms.map((v) => v.vm.id);
      expect(
        report.deleted
          .filter((d) => d.type === 'vm')
          .map((d) => d.id)
          .sort(),
      ).toEqual([...vmIds].sort());
      const deletes = await h.admin.calls({ action: 'DeleteServers' });
      expect(deletes).toHaveLength(1);
      expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(1);
      const state = await h.admin.state<HuaweiState>();
      for (const id of vmIds) expect(state.huawei.servers.map((s) => s.id)).not.toContain(id);
    });

    it('drains a big host in bounded batches: jobs of at most 100 VMs, each VM submitted once', async () => {
      const fixture = defaultFixture() as { huawei: { servers: { id: string; name: string; sim?: { hostId?: string } }[] } };
      const template = fixture.huawei.servers.find((x) => x.sim?.hostId === '70000002-0000-4000-8000-000000000002')!;
      for (let i = 0; i < 230; i++) {
        const n = String(i).padStart(12, '0');
        fixture.huawei.servers.push({ ...template, id: `9b000000-0000-4000-8000-${n}`, name: `vm-bulk-${i}` });
      }
      await h.admin.reset(fixture);
      const report = await (await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002'))).result();
      expect(report.outcome).toBe('released');
      const jobs = await h.admin.calls({ action: 'DeleteServers' });
      expect(jobs).toHaveLength(3); // 232 VMs: 100 + 100 + 32
      const submitted = jobs.flatMap((j) => j.target!.split(','));
      expect(submitted).toHaveLength(232);
      expect(new Set(submitted).size).toBe(232);
      expect(report.deleted.filter((d) => d.type === 'vm')).toHaveLength(232);
    });

    it('a dry run lists each VM with its fate, and the blockers', async () => {
      const handle = await h.start(request('dcc-host', '70000003-0000-4000-8000-000000000003', { dryRun: true }));
      const report = await handle.result();
      expect(report.outcome).toBe('dry-run');
      const services = new Set(assessed(report.plan).vms.map((v) => v.vm.service));
      expect(services).toEqual(new Set(['ECS', 'RDS', 'MRS', 'CCE']));
      expect(assessed(report.plan).blockers.map((b) => b.code)).toEqual(expect.arrayContaining(['vm-owned-by-service', 'vm-needs-unsubscription']));
      expect(await h.admin.calls({ action: 'DeleteServers' })).toHaveLength(0);
    });

    it('leaves a host with managed-service or yearly/monthly VMs untouched, with the reasons', async () => {
      const f = await failureOf((await h.start(request('dcc-host', '70000003-0000-4000-8000-000000000003'))).result());
      expect(f.type).toBe('ReleaseBlocked');
      expect(f.message).toMatch(/RDS/);
      expect(await h.admin.calls({ action: 'DeleteServers' })).toHaveLength(0);
      expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(0);
    });

    it('refuses a frozen host before anything is deleted', async () => {
      const f = await failureOf((await h.start(request('dcc-host', '70000004-0000-4000-8000-000000000004'))).result());
      expect(f.type).toBe('ReleaseBlocked');
      expect(f.message).toContain('frozen');
      expect(await h.admin.calls({ action: 'DeleteServers' })).toHaveLength(0);
    });

    it('a VM the provider refuses to delete ends the drain and leaves the host subscribed', async () => {
      const dry = await (await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002', { dryRun: true }))).result();
      const victim = assessed(dry.plan).vms[0].vm.id;
      await h.admin.injectFault({ provider: 'huawei', action: 'DeleteServer', target: victim, error: { code: 'Ecs.0000', message: 'simulated refusal' } });
      const f = await failureOf((await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002'))).result());
      expect(f.type).toBe('DrainIncomplete');
      expect(f.message).toContain(victim);
      expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(0);
      const hosts = (await h.admin.state<HuaweiState>()).huawei.hosts.map((x) => x.dedicated_host_id);
      expect(hosts).toContain('70000002-0000-4000-8000-000000000002');
    });

    it.each(['the cancel update', 'a Temporal cancel'])(
      '%s during the drain: the submitted job is followed to its end, its VMs recorded, the host kept',
      async (how) => {
        const fixture = defaultFixture() as { huawei: { servers: { id: string; name: string; sim?: { hostId?: string } }[] } };
        const template = fixture.huawei.servers.find((x) => x.sim?.hostId === '70000002-0000-4000-8000-000000000002')!;
        for (let i = 0; i < 250; i++)
          fixture.huawei.servers.push({ ...template, id: `9c000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `vm-bulk-${i}` });
        await h.admin.reset(fixture);
        await h.admin.injectFault({ provider: 'huawei', action: 'ShowJob', latencyMs: 1_000 });
        const handle = await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002', { drain: { deadline: '30m' } }));
        await expect.poll(async () => (await h.admin.calls({ action: 'DeleteServers' })).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
        if (how === 'a Temporal cancel') await handle.cancel();
        else expect(await cancelRelease(handle, { by: 'alice@platform', reason: 'stop the drain' })).toMatchObject({ cancelled: true });
        const f = await failureOf(handle.result());
        expect(f.type).toBe('ReleaseCancelled');
        // Every job that was submitted was followed to its end: its VMs are deleted and recorded as such.
        const submitted = (await h.admin.calls({ action: 'DeleteServers' })).flatMap((c) => c.target!.split(','));
        expect(submitted.length).toBeLessThan(252);
        const reportedVms = f.report.deleted
          .filter((d) => d.type === 'vm')
          .map((d) => d.id)
          .sort();
        expect(reportedVms).toEqual([...submitted].sort());
        expect(f.message).toContain(`${submitted.length} VM(s) deleted`);
        const state = await h.admin.state<HuaweiState>();
        const left = new Set(state.huawei.servers.map((x) => x.id));
        for (const id of submitted) expect(left.has(id)).toBe(false);
        expect(f.report.deleted.filter((d) => d.type === 'vm').every((d) => d.observed === 'gone')).toBe(true);
        expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(0);
        expect(state.huawei.hosts.map((x) => x.dedicated_host_id)).toContain('70000002-0000-4000-8000-000000000002');
      },
    );

    it('a lost answer to a delete job is resolved by reading the VMs: deleted ones are not reported as left', async () => {
      await h.admin.injectFault({ provider: 'huawei', action: 'DeleteServers', dropResponse: true, times: 1 });
      const report = await (await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002'))).result();
      expect(report.outcome).toBe('released');
      const submitted = (await h.admin.calls({ action: 'DeleteServers' })).flatMap((c) => c.target!.split(','));
      expect(
        report.deleted
          .filter((d) => d.type === 'vm')
          .map((d) => d.id)
          .sort(),
      ).toEqual([...new Set(submitted)].sort());
      expect(await h.admin.calls({ action: 'DeleteServers' })).toHaveLength(1);
      expect(await h.admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(1);
    });

    it('cancel during the confirmation ends cleanly with nothing deleted', async () => {
      const handle = await h.start(request('dcc-host', '70000002-0000-4000-8000-000000000002', { backup: { required: true, confirmWithin: '1h' } }));
      await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
      await cancelRelease(handle, { by: 'alice@platform', reason: 'wrong host' });
      const f = await failureOf(handle.result());
      expect(f.type).toBe('ReleaseCancelled');
      expect(f.report.cancels).toEqual([expect.objectContaining({ by: 'alice@platform', honoured: true })]);
      expect(await h.admin.calls({ action: 'DeleteServers' })).toHaveLength(0);
    });
  });
});
