import { DeleteServersRequest, DeleteServersRequestBody, ServerId, ShowJobRequest, ShowServerRequest } from '@huaweicloud/huaweicloud-sdk-ecs';
import { describe, expect, it, vi } from 'vitest';
import { attempt, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const host = (n: number) => id('7', n);
const vm = (n: number) => id('9', n);
const vmDisk = (n: number) => id('8', n);
const vol = (n: number) => id('f', n);
const snap = (n: number) => id('5', n);

interface SubJob {
  status: string;
  entities: { server_id: string };
  job_type: string;
  error_code: string | null;
  fail_reason: string | null;
}
interface Job {
  job_id: string;
  job_type: string;
  status: string;
  begin_time: string;
  end_time: string | null;
  entities: { sub_jobs_total: number; sub_jobs: SubJob[] };
}

const ctx = useHuaweiSim();

const hc = () => projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT);
const deleteServers = (ids: string[], deleteVolume = false) =>
  attempt(
    ctx.ecs.deleteServers(
      new DeleteServersRequest().withBody(
        new DeleteServersRequestBody()
          .withServers(ids.map((i) => new ServerId().withId(i)))
          .withDeleteVolume(deleteVolume)
          .withDeletePublicip(false),
      ),
    ),
  );
const showJob = async (jobId: string) => (await ctx.ecs.showJob(new ShowJobRequest().withJobId(jobId))) as unknown as Job;
const showServer = (serverId: string) => attempt(ctx.ecs.showServer(new ShowServerRequest().withServerId(serverId)));
const hostServers = async (hostId: string) =>
  (await send<{ servers: { id: string }[] }>(hc(), 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}/servers', { id: hostId })).servers.map((s) => s.id);
const volumeIds = async () => new Set((await ctx.admin.state<{ huawei: { volumes: { id: string }[] } }>()).huawei.volumes.map((v) => v.id));
async function finishedJob(jobId: string): Promise<Job> {
  let job: Job | undefined;
  await vi.waitFor(
    async () => {
      job = await showJob(jobId);
      expect(['SUCCESS', 'FAIL']).toContain(job.status);
    },
    { timeout: 5000, interval: 50 },
  );
  return job!;
}

describe('DCC hosts (modelled on DeH)', () => {
  it('shows a host and lists its VMs with charging mode and owning service', async () => {
    const h = await send<{ dedicated_host: Record<string, unknown> }>(hc(), 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}', { id: host(3) });
    expect(h.dedicated_host).toMatchObject({ dedicated_host_id: host(3), state: 'available', host_type: 'c7', instance_total: 5 });
    const list = await send<{ servers: { id: string; metadata: Record<string, string> }[] }>(hc(), 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}/servers', {
      id: host(3),
    });
    expect(list.servers.find((s) => s.id === vm(4))?.metadata).toMatchObject({ charging_mode: '0', created_by_service: 'RDS' });
    expect(list.servers.find((s) => s.id === vm(7))?.metadata).toMatchObject({ charging_mode: '1' });
    expect(await hostServers(host(1))).toEqual([]);
    expect(await attempt(send(hc(), 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}', { id: 'nope' }))).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'DEH.0404' },
    });
  });

  it('summarises the pool with resource_clusters', async () => {
    const r = await send<{ dedicated_cluster: Record<string, unknown>[] }>(hc(), 'GET', '/v1/{project_id}/dcc/resource_clusters');
    expect(r.dedicated_cluster).toEqual([expect.objectContaining({ host_type: 'c7', host_total: 9, instance_total: 9, vcpus_total: 1152, vcpus_used: 18 })]);
  });
});

describe('ECS delete + jobs', () => {
  it('shows an ECS with its charging mode and attached volumes, 404 Ecs.0114 when unknown', async () => {
    const r = await showServer(id('e', 1));
    expect(r).toMatchObject({ ok: true, value: { server: { id: id('e', 1), metadata: { charging_mode: '0' } } } });
    const attached = r.ok ? (r.value.server as unknown as Record<string, { id: string }[]>)['os-extended-volumes:volumes_attached'].map((v) => v.id) : [];
    expect(attached.sort()).toEqual([vol(11), vol(12), vol(13)]);
    expect(await showServer('nope')).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'Ecs.0114' } });
  });

  it('deletes pay-per-use VMs: job INIT → RUNNING → SUCCESS, VMs leave the host, data disk kept (delete_volume false)', async () => {
    const r = await deleteServers([vm(1), vm(2)]);
    expect(r).toMatchObject({ ok: true, value: { job_id: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const jobId = r.ok ? (r.value as unknown as { job_id: string }).job_id : '';
    const first = await showJob(jobId);
    expect(first).toMatchObject({ job_type: 'deleteServers', status: 'INIT', entities: { sub_jobs_total: 2 } });
    await vi.waitFor(async () => expect((await showJob(jobId)).status).toBe('RUNNING'), { timeout: 5000, interval: 20 });
    const job = await finishedJob(jobId);
    expect(job.status).toBe('SUCCESS');
    expect(job.entities.sub_jobs.map((s) => [s.entities.server_id, s.status, s.job_type])).toEqual([
      [vm(1), 'SUCCESS', 'deleteServer'],
      [vm(2), 'SUCCESS', 'deleteServer'],
    ]);
    expect(job.end_time).toBeTruthy();
    expect(await hostServers(host(2))).toEqual([]);
    expect(await showServer(vm(1))).toMatchObject({ ok: false, error: { errorCode: 'Ecs.0114' } });
    const vols = await volumeIds();
    expect([vols.has(vmDisk(11)), vols.has(vmDisk(12))]).toEqual([false, true]);
  });

  it('deletes data disks too with delete_volume true', async () => {
    const r = await deleteServers([vm(1)], true);
    await finishedJob(r.ok ? (r.value as unknown as { job_id: string }).job_id : '');
    expect((await volumeIds()).has(vmDisk(12))).toBe(false);
  });

  it('fails the sub-jobs of managed-service and yearly/monthly VMs with a reason; the pay-per-use one goes', async () => {
    const ids = [vm(3), vm(4), vm(5), vm(6), vm(7)];
    const r = await deleteServers(ids);
    const job = await finishedJob(r.ok ? (r.value as unknown as { job_id: string }).job_id : '');
    expect(job.status).toBe('FAIL');
    const byServer = new Map(job.entities.sub_jobs.map((s) => [s.entities.server_id, s]));
    expect(byServer.get(vm(3))).toMatchObject({ status: 'SUCCESS' });
    expect(byServer.get(vm(4))).toMatchObject({ status: 'FAIL', fail_reason: expect.stringContaining('RDS') });
    expect(byServer.get(vm(5))).toMatchObject({ status: 'FAIL', fail_reason: expect.stringContaining('MRS') });
    expect(byServer.get(vm(6))).toMatchObject({ status: 'FAIL', fail_reason: expect.stringContaining('CCE') });
    expect(byServer.get(vm(7))).toMatchObject({ status: 'FAIL', fail_reason: expect.stringContaining('yearly/monthly') });
    expect((await hostServers(host(3))).sort()).toEqual([vm(4), vm(5), vm(6), vm(7)]);
  });

  it('fails the sub-job of an unknown server with Ecs.0114', async () => {
    const r = await deleteServers(['00000000-0000-4000-8000-000000000000']);
    const job = await finishedJob(r.ok ? (r.value as unknown as { job_id: string }).job_id : '');
    expect(job.entities.sub_jobs[0]).toMatchObject({ status: 'FAIL', error_code: 'Ecs.0114' });
  });

  it('refuses an empty or oversized server list with Ecs.0005 (nested ECS error shape) and answers an unknown job with 404', async () => {
    expect(await deleteServers([])).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'Ecs.0005' } });
    const many = Array.from({ length: 1001 }, (_, i) => `s-${i}`);
    expect(await deleteServers(many)).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'Ecs.0005' } });
    expect(await attempt(showJob('ffffffffffffffffffffffffffffffff'))).toMatchObject({ ok: false, error: { httpStatusCode: 404 } });
  });

  it('logs DeleteServers with the server IDs joined by "," as target', async () => {
    await deleteServers([vm(1), vm(2)]);
    const calls = await ctx.admin.calls({ provider: 'huawei', action: 'DeleteServers' });
    expect(calls).toMatchObject([{ target: `${vm(1)},${vm(2)}`, httpStatus: 200, method: 'POST', path: `/v1/${PROJECT}/cloudservers/delete` }]);
  });
});

describe('EVS cleanup of retained disks', () => {
  it('lists and deletes snapshots, then deletes a detached disk through a job (its snapshots kept: cascade defaults to false)', async () => {
    // Retain the pay-per-use node's disks first.
    await send(hc(), 'DELETE', '/v1/{project_id}/dev-servers/{id}', { id: id('d', 1) });
    await vi.waitFor(async () => expect((await volumeIds()).has(vol(11))).toBe(false), { timeout: 5000, interval: 50 });
    const snaps = await send<{ snapshots: { id: string }[] }>(hc(), 'GET', '/v2/{project_id}/cloudsnapshots', {}, undefined, { volume_id: vol(13) });
    expect(snaps.snapshots.map((s) => s.id)).toEqual([snap(2)]);
    await send(hc(), 'DELETE', '/v2/{project_id}/cloudsnapshots/{id}', { id: snap(2) });
    expect(await attempt(send(hc(), 'DELETE', '/v2/{project_id}/cloudsnapshots/{id}', { id: snap(2) }))).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'EVS.5404' },
    });
    const del = await send<{ job_id: string }>(hc(), 'DELETE', '/v2/{project_id}/cloudvolumes/{id}', { id: vol(12) });
    await finishedJob(del.job_id);
    const left = await ctx.admin.state<{ huawei: { volumes: { id: string }[]; snapshots: { id: string }[] } }>();
    expect(left.huawei.volumes.some((v) => v.id === vol(12))).toBe(false);
    expect(left.huawei.snapshots.some((s) => s.id === snap(1))).toBe(true);
    const shown = await send<{ snapshot: { id: string; volume_id: string; status: string } }>(hc(), 'GET', '/v2/{project_id}/cloudsnapshots/{id}', {
      id: snap(1),
    });
    expect(shown.snapshot).toMatchObject({ id: snap(1), volume_id: vol(12), status: 'available' });
  });

  it('deletes a disk with its snapshots only with cascade=true; a deleted snapshot answers 404 to ShowSnapshot', async () => {
    await send(hc(), 'DELETE', '/v1/{project_id}/dev-servers/{id}', { id: id('d', 1) });
    await vi.waitFor(async () => expect((await volumeIds()).has(vol(11))).toBe(false), { timeout: 5000, interval: 50 });
    const del = await send<{ job_id: string }>(hc(), 'DELETE', '/v2/{project_id}/cloudvolumes/{id}', { id: vol(12) }, undefined, { cascade: 'true' });
    await finishedJob(del.job_id);
    expect(await attempt(send(hc(), 'GET', '/v2/{project_id}/cloudsnapshots/{id}', { id: snap(1) }))).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'EVS.5404' },
    });
  });

  it('refuses to delete an attached disk (EVS.2024) and answers 404 for an unknown one', async () => {
    expect(await attempt(send(hc(), 'DELETE', '/v2/{project_id}/cloudvolumes/{id}', { id: vol(22) }))).toMatchObject({
      ok: false,
      error: { httpStatusCode: 400, errorCode: 'EVS.2024' },
    });
    expect(await attempt(send(hc(), 'GET', '/v2/{project_id}/cloudvolumes/{id}', { id: 'nope' }))).toMatchObject({
      ok: false,
      error: { httpStatusCode: 404, errorCode: 'EVS.5404' },
    });
  });
});
