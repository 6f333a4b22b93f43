import { DeleteServersRequest, DeleteServersRequestBody, ServerId, ShowJobRequest } from '@huaweicloud/huaweicloud-sdk-ecs';
import { describe, expect, it, vi } from 'vitest';
import { attempt, globalClient, projectClient, send } from '../../../simulators/huawei/sdk-clients';
import { useHuaweiSim } from './huawei-setup';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const DOMAIN = '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const node = (n: number) => id('d', n);
const vm = (n: number) => id('9', n);

interface Job {
  status: string;
  entities: { sub_jobs: { status: string; entities: { server_id: string }; error_code: string | null; fail_reason: string | null }[] };
}

const ctx = useHuaweiSim();

const hc = () => projectClient(ctx.sims.endpoints.huawei, CRED, PROJECT);
const showDevServer = (n: string) => attempt(send(hc(), 'GET', '/v1/{project_id}/dev-servers/{id}', { id: n }));
const deleteDevServer = (n: string) => attempt(send(hc(), 'DELETE', '/v1/{project_id}/dev-servers/{id}', { id: n }));
const deleteServers = async (ids: string[]) =>
  (await ctx.ecs.deleteServers(
    new DeleteServersRequest().withBody(new DeleteServersRequestBody().withServers(ids.map((i) => new ServerId().withId(i)))),
  )) as unknown as { job_id: string };
const showJob = async (jobId: string) => (await ctx.ecs.showJob(new ShowJobRequest().withJobId(jobId))) as unknown as Job;

describe('Huawei fault injection', () => {
  it('error: answers the injected code with its catalogue status and the service error shape', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'UnsubscribeResources', error: { code: 'CBC.99003651' }, times: 1 });
    const bss = globalClient(ctx.sims.endpoints.huawei, CRED, DOMAIN);
    const body = { resource_ids: [node(2)], unsubscribe_type: 1 };
    const first = await attempt(send(bss, 'POST', '/v2/orders/subscriptions/resources/unsubscribe', {}, body));
    expect(first).toMatchObject({ ok: false, error: { httpStatusCode: 400, errorCode: 'CBC.99003651' } });
    // The fault is spent: the retry goes through.
    expect(await attempt(send(bss, 'POST', '/v2/orders/subscriptions/resources/unsubscribe', {}, body))).toMatchObject({ ok: true });
    const calls = await ctx.admin.calls({ provider: 'huawei', action: 'UnsubscribeResources' });
    expect(calls).toMatchObject([
      { target: node(2), errorCode: 'CBC.99003651', injected: true },
      { target: node(2), httpStatus: 200 },
    ]);
  });

  it('error: a 5xx fault surfaces as a server error', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteDevServer', target: node(1), error: { code: 'ModelArts.0001' } });
    expect(await deleteDevServer(node(1))).toMatchObject({ ok: false, error: { httpStatusCode: 500, errorCode: 'ModelArts.0001' } });
    expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { status: 'RUNNING' } });
  });

  it('latency: the answer comes late but unchanged', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'ShowDevServer', latencyMs: 300 });
    const start = Date.now();
    expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { id: node(1) } });
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
  });

  it('dropped response: the delete is applied and the client gets no answer', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', action: 'DeleteDevServer', target: node(1), dropResponse: true, times: 1 });
    const r = await deleteDevServer(node(1));
    expect(r.ok).toBe(false);
    expect(r.ok ? 0 : r.error.httpStatusCode).toBeUndefined();
    expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { status: expect.stringMatching(/DELETING|DELETED/) } });
    // The core's call log does not record a dropped answer yet (reported to the lead), so it is not asserted here.
  });

  it('stuck: a node held by a stuck fault stays DELETING until the fault is removed', async () => {
    const fault = await ctx.admin.injectFault({ provider: 'huawei', target: node(1), stuck: true });
    await deleteDevServer(node(1));
    await new Promise((r) => setTimeout(r, 700));
    expect(await showDevServer(node(1))).toMatchObject({ ok: true, value: { status: 'DELETING' } });
    await ctx.admin.removeFault(fault.id);
    await vi.waitFor(async () => expect(await showDevServer(node(1))).toMatchObject({ ok: false, error: { httpStatusCode: 404 } }), {
      timeout: 5000,
      interval: 50,
    });
  });

  it("a DeleteServer fault on one VM fails that VM's sub-job only", async () => {
    await ctx.admin.injectFault({
      provider: 'huawei',
      action: 'DeleteServer',
      target: vm(2),
      error: { code: 'Ecs.0000', message: 'Injected failure for this server.' },
    });
    const { job_id } = await deleteServers([vm(1), vm(2)]);
    let job: Job | undefined;
    await vi.waitFor(
      async () => {
        job = await showJob(job_id);
        expect(job.status).toBe('FAIL');
      },
      { timeout: 5000, interval: 50 },
    );
    const byServer = new Map(job!.entities.sub_jobs.map((s) => [s.entities.server_id, s]));
    expect(byServer.get(vm(1))).toMatchObject({ status: 'SUCCESS' });
    expect(byServer.get(vm(2))).toMatchObject({ status: 'FAIL', error_code: 'Ecs.0000', fail_reason: 'Injected failure for this server.' });
  });

  it('a stuck fault on a VM holds its sub-job RUNNING', async () => {
    await ctx.admin.injectFault({ provider: 'huawei', target: vm(2), stuck: true });
    const { job_id } = await deleteServers([vm(1), vm(2)]);
    await new Promise((r) => setTimeout(r, 700));
    const job = await showJob(job_id);
    expect(job.status).toBe('RUNNING');
    expect(job.entities.sub_jobs.map((s) => s.status)).toEqual(['SUCCESS', 'RUNNING']);
  });

  it('the call log records action, target, status, error code and request ID of every call', async () => {
    await showDevServer(node(1));
    await showDevServer('missing');
    const calls = await ctx.admin.calls({ provider: 'huawei' });
    expect(calls).toMatchObject([
      { action: 'ShowDevServer', target: node(1), httpStatus: 200, method: 'GET', path: `/v1/${PROJECT}/dev-servers/${node(1)}` },
      { action: 'ShowDevServer', target: 'missing', httpStatus: 404, errorCode: 'ModelArts.6309' },
    ]);
    expect(calls.every((c) => /^[0-9a-f]{32}$/.test(c.requestId))).toBe(true);
  });
});
