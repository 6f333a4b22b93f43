import { describe, expect, it } from 'vitest';
import type { ResourceRef, VmDeleteJob } from '../../../domain/resource';
import { rejection, useHuaweiAdapter } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const HOST = {
  empty: '70000001-0000-4000-8000-000000000001',
  payg: '70000002-0000-4000-8000-000000000002',
  mixed: '70000003-0000-4000-8000-000000000003',
  frozen: '70000004-0000-4000-8000-000000000004',
};
const VM = {
  payg1: '90000001-0000-4000-8000-000000000001',
  payg2: '90000002-0000-4000-8000-000000000002',
  ecs: '90000003-0000-4000-8000-000000000003',
  rds: '90000004-0000-4000-8000-000000000004',
  mrs: '90000005-0000-4000-8000-000000000005',
  cce: '90000006-0000-4000-8000-000000000006',
  prepaid: '90000007-0000-4000-8000-000000000007',
};
const NO_OPTIONS = { releaseDataDisks: false, releaseSnapshots: false, force: false };

const ctx = useHuaweiAdapter();
const host = (id: string): ResourceRef => ({ provider: 'huawei', kind: 'dcc-host', region: 'cn-southwest-2', projectId: PROJECT, resourceId: id });

async function jobUntilDone(r: ResourceRef, jobId: string): Promise<VmDeleteJob[]> {
  const seen: VmDeleteJob[] = [];
  for (let i = 0; i < 100; i++) {
    const job = await ctx.adapter.drainer!.vmDeleteJob(r, jobId);
    seen.push(job);
    if (job.status === 'SUCCESS' || job.status === 'FAIL') return seen;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('job never finished');
}

describe('dcc-host inspect', () => {
  it('empty host: subscription with expiry and order, no VMs', async () => {
    const s = await ctx.adapter.inspect(host(HOST.empty));
    expect(s).toMatchObject({
      exists: true,
      status: 'running',
      rawStatus: 'available',
      charging: { mode: 'subscription', expiresAt: '2026-12-31T16:00:00.000Z', expired: false },
      order: { orderId: 'CS2501010000DCC01', billingResourceId: HOST.empty, members: [HOST.empty] },
      vms: [],
      disks: [],
    });
  });

  it('mixed host: the VMs with their service and charging mode', async () => {
    const s = await ctx.adapter.inspect(host(HOST.mixed));
    expect(s.vms).toEqual([
      { id: VM.ecs, name: 'vm-ecs-payg', service: 'ECS', chargingMode: 'pay-per-use', status: 'ACTIVE' },
      { id: VM.rds, name: 'vm-rds-managed', service: 'RDS', chargingMode: 'pay-per-use', status: 'ACTIVE' },
      { id: VM.mrs, name: 'vm-mrs-managed', service: 'MRS', chargingMode: 'pay-per-use', status: 'ACTIVE' },
      { id: VM.cce, name: 'vm-cce-node', service: 'CCE', chargingMode: 'pay-per-use', status: 'ACTIVE' },
      { id: VM.prepaid, name: 'vm-prepaid', service: 'ECS', chargingMode: 'subscription', status: 'ACTIVE' },
    ]);
  });

  it('frozen host, and an unknown one', async () => {
    const frozen = await ctx.adapter.inspect(host(HOST.frozen));
    expect(frozen.frozen?.reason).toBe('frozen');
    expect(frozen.charging.expired).toBe(true);
    expect(await ctx.adapter.inspect(host('7fffffff-0000-4000-8000-000000000000'))).toMatchObject({ exists: false, status: 'deleted' });
    expect(await ctx.adapter.status(host('7fffffff-0000-4000-8000-000000000000'))).toMatchObject({ state: 'gone' });
  });
});

describe('dcc-host drain', () => {
  it('mixed VMs: one job, the ECS pay-per-use VM goes, managed and yearly/monthly VMs fail with reasons', async () => {
    const ids = [VM.ecs, VM.rds, VM.mrs, VM.cce, VM.prepaid];
    const receipt = await ctx.adapter.drainer!.deleteVms(host(HOST.mixed), ids);
    expect(receipt).toMatchObject({ jobId: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f]{32}$/), alreadyDone: false });
    const seen = await jobUntilDone(host(HOST.mixed), receipt.jobId);
    const job = seen.at(-1)!;
    expect(job.status).toBe('FAIL');
    expect(job.failReason).toBeTruthy();
    const byServer = new Map(job.subJobs.map((s) => [s.serverId, s]));
    expect(byServer.get(VM.ecs)).toEqual({ serverId: VM.ecs, status: 'SUCCESS' });
    for (const id of [VM.rds, VM.mrs, VM.cce, VM.prepaid]) {
      expect(byServer.get(id)).toMatchObject({ status: 'FAIL', failReason: expect.any(String) });
    }
    expect(byServer.get(VM.rds)?.failReason).toContain('RDS');
    expect(byServer.get(VM.prepaid)?.failReason).toMatch(/yearly\/monthly/);
    const after = await ctx.adapter.inspect(host(HOST.mixed));
    expect(after.vms?.map((v) => v.id)).toEqual([VM.rds, VM.mrs, VM.cce, VM.prepaid]);
    // A host with VMs left cannot be unsubscribed.
    const err = await rejection(ctx.adapter.destroy(host(HOST.mixed), 'unsubscribe', NO_OPTIONS));
    expect(err).toMatchObject({ code: 'CBC.0151', errorClass: 'final' });
    expect(err.message).toContain(VM.rds);
  });

  it('pay-per-use VMs drained, data disks kept (delete_volume false), then the host unsubscribed to gone', async () => {
    const { jobId } = await ctx.adapter.drainer!.deleteVms(host(HOST.payg), [VM.payg1, VM.payg2]);
    const job = (await jobUntilDone(host(HOST.payg), jobId)).at(-1)!;
    expect(job).toMatchObject({ status: 'SUCCESS', subJobs: [{ status: 'SUCCESS' }, { status: 'SUCCESS' }] });
    const state = await ctx.admin.state<{ huawei: { volumes: { id: string; attachments: unknown[] }[] } }>();
    const ids = state.huawei.volumes.map((v) => v.id);
    expect(ids).toContain('80000012-0000-4000-8000-000000000012'); // data disk: detached, kept
    expect(ids).not.toContain('80000011-0000-4000-8000-000000000011'); // system disk: gone with the VM
    expect((await ctx.adapter.inspect(host(HOST.payg))).vms).toEqual([]);

    const receipt = await ctx.adapter.destroy(host(HOST.payg), 'unsubscribe', NO_OPTIONS);
    expect(receipt).toMatchObject({ alreadyDone: false, references: [expect.any(String)] });
    const states: string[] = [];
    for (let i = 0; i < 100 && states.at(-1) !== 'gone'; i++) {
      states.push((await ctx.adapter.status(host(HOST.payg))).state);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(states[0]).toBe('deleting');
    expect(states.at(-1)).toBe('gone');
    expect(await ctx.adapter.destroy(host(HOST.payg), 'unsubscribe', NO_OPTIONS)).toMatchObject({ alreadyDone: true });
  });

  it('one deleteVms is exactly one ECS DeleteServers call', async () => {
    await ctx.admin.clearCalls();
    await ctx.adapter.drainer!.deleteVms(host(HOST.payg), [VM.payg1]);
    expect(await ctx.admin.calls({ provider: 'huawei', action: 'DeleteServers' })).toHaveLength(1);
  });

  it('an empty host is unsubscribed; a frozen one refused; delete and release unsupported without a call', async () => {
    expect(await ctx.adapter.destroy(host(HOST.empty), 'unsubscribe', NO_OPTIONS)).toMatchObject({ alreadyDone: false });
    expect(await rejection(ctx.adapter.destroy(host(HOST.frozen), 'unsubscribe', NO_OPTIONS))).toMatchObject({ code: 'CBC.99003656', errorClass: 'final' });
    await ctx.admin.clearCalls();
    for (const action of ['delete', 'release'] as const) {
      expect(await rejection(ctx.adapter.destroy(host(HOST.frozen), action, NO_OPTIONS))).toMatchObject({ code: 'UnsupportedAction', errorClass: 'final' });
    }
    expect(await ctx.admin.calls({ provider: 'huawei' })).toEqual([]);
  });

  it('refuses more than 1000 VMs, or none, without a call; an unknown job is not-found', async () => {
    await ctx.admin.clearCalls();
    const many = Array.from({ length: 1001 }, (_, i) => `vm-${i}`);
    expect(await rejection(ctx.adapter.drainer!.deleteVms(host(HOST.payg), many))).toMatchObject({ code: 'InvalidParameter', errorClass: 'final' });
    expect(await rejection(ctx.adapter.drainer!.deleteVms(host(HOST.payg), []))).toMatchObject({ code: 'InvalidParameter' });
    expect(await ctx.admin.calls({ provider: 'huawei' })).toEqual([]);
    expect(await rejection(ctx.adapter.drainer!.vmDeleteJob(host(HOST.payg), 'ffffffffffffffffffffffffffffffff'))).toMatchObject({
      errorClass: 'not-found',
      httpStatus: 404,
    });
  });
});
