// Durability and identity: a worker process killed mid-release, cancel after the point of no return,
// a protection flag switched on between plan and execution, one release per resource.
import { Client, Connection } from '@temporalio/client';
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as $OpenApi from '@alicloud/openapi-client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import { cancelRelease, confirmBackup, progress, startRelease } from '../../client/release';
import { scheduleDecommission } from '../../client/schedule';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import { SimAdminClient } from '../../simulators/admin-client';
import { defaultFixture, startSimulators, type RunningSimulators } from '../../simulators/runtime';
import { sandboxProviderConfig, simKey } from '../../simulators/sandbox-config';
import { failureOf, recordHistory, useSimHarness, testNamespace } from './harness';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const huaweiNode = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'huawei',
  kind: 'modelarts-node',
  region: 'cn-southwest-2',
  projectId: PROJECT,
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-3',
  backup: { required: false },
  ...extra,
});

describe('a worker process killed mid-release', { timeout: 180_000 }, () => {
  let sims: RunningSimulators;
  let admin: SimAdminClient;
  let client: Client;
  let configDir: string;
  let worker: ChildProcess | undefined;
  const taskQueue = `crash-${randomUUID()}`;

  const startWorker = () => {
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    writeFileSync(join(configDir, 'providers.json'), JSON.stringify(config));
    worker = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../worker.ts')], {
      env: {
        ...process.env,
        ...env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: testNamespace(),
        CLOUD_RELEASE_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        CLOUD_RELEASE_CONFIG: join(configDir, 'providers.json'),
        CLOUD_RELEASE_TASK_QUEUE: taskQueue,
      },
      stdio: 'ignore',
    });
  };
  const killWorker = async () => {
    const w = worker!;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill('SIGKILL');
    await exited;
  };

  beforeAll(async () => {
    sims = await startSimulators();
    admin = new SimAdminClient(sims.endpoints.admin);
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), namespace: testNamespace() });
    configDir = mkdtempSync(join(tmpdir(), 'cloud-release-crash-'));
  });
  afterEach(async () => {
    if (worker && worker.exitCode === null) await killWorker();
  });
  afterAll(async () => {
    await client?.connection.close();
    await sims?.close();
  });

  it('resumes in the wait phase after a restart, with one destructive call', async () => {
    const id = 'd0000001-0000-4000-8000-000000000001';
    const stuck = await admin.injectFault({ provider: 'huawei', target: id, stuck: true });
    startWorker();
    const handle = await startRelease(client, huaweiNode(id), taskQueue);
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 60_000, interval: 500 }).toBe('wait-gone');
    await killWorker();
    await admin.removeFault(stuck.id);
    startWorker();
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(await admin.calls({ action: 'DeleteDevServer', target: id })).toHaveLength(1);
    if (process.env.RECORD_HISTORIES) await recordHistory(handle, 'worker killed in the wait phase');
  });

  it('resumes a drain without submitting any VM twice', async () => {
    const host = '70000002-0000-4000-8000-000000000002';
    await admin.injectFault({ provider: 'huawei', action: 'ShowJob', latencyMs: 1_500 });
    startWorker();
    const handle = await startRelease(client, { ...huaweiNode(host), kind: 'dcc-host' }, taskQueue);
    await expect.poll(async () => (await admin.calls({ action: 'DeleteServers' })).length, { timeout: 60_000, interval: 200 }).toBe(1);
    await killWorker();
    await admin.clearFaults();
    startWorker();
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(await admin.calls({ action: 'DeleteServers' })).toHaveLength(1);
    expect(await admin.calls({ action: 'UnsubscribeResources' })).toHaveLength(1);
    if (process.env.RECORD_HISTORIES) await recordHistory(handle, 'worker killed mid-drain');
  });
});

describe('identity, cancellation and the fail-closed re-check', () => {
  const h = useSimHarness();

  it('refuses cancel after the destructive call and runs to the end', async () => {
    const id = 'd0000001-0000-4000-8000-000000000001';
    const stuck = await h.admin.injectFault({ provider: 'huawei', target: id, stuck: true });
    const handle = await h.start(huaweiNode(id));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('wait-gone');
    const refused = await cancelRelease(handle, { by: 'alice@platform', reason: 'too late' });
    expect(refused).toMatchObject({ cancelled: false });
    expect(refused.detail).toMatch(/destructive call has already been made/);
    await h.admin.removeFault(stuck.id);
    const report = await handle.result();
    expect(report.outcome).toBe('released');
  });

  it('a Temporal cancel before the destructive call ends cleanly, nothing deleted', async () => {
    const handle = await h.start(huaweiNode('d0000001-0000-4000-8000-000000000001', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    await handle.cancel();
    const f = await failureOf(handle.result());
    expect(f.type).toBe('ReleaseCancelled');
    expect(f.report.outcome).toBe('cancelled');
    expect(await h.admin.calls({ action: 'DeleteDevServer' })).toHaveLength(0);
  });

  it('stops when deletion protection is switched on between plan and execution', async () => {
    const id = 'i-bp1stoppedpaygo01';
    const handle = await h.start({
      provider: 'alibaba',
      kind: 'ecs-instance',
      region: 'cn-hangzhou',
      resourceId: id,
      requestedBy: 'alice@platform',
      ticket: 'CHG-4',
      backup: { required: true, confirmWithin: '1h' },
    });
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    // Someone turns protection on at the provider, through its own API, while the release waits.
    const key = simKey(defaultFixture(), 'alibaba');
    const ecs = new Ecs(
      new $OpenApi.Config({
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.secretAccessKey,
        endpoint: new URL(h.sims.endpoints.alibaba).host,
        protocol: 'http',
        regionId: 'cn-hangzhou',
      }),
    );
    await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, deletionProtection: true }));
    await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-1' });
    const f = await failureOf(handle.result());
    expect(f.type).toBe('ResourceChangedBeforeRelease');
    expect(f.message).toContain('deletion protection');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  });

  it('a start under another ID hands over to the canonical release; a second one reports it', async () => {
    const input = huaweiNode('d0000003-0000-4000-8000-000000000003', { backup: { required: true, confirmWithin: '1h' } });
    const first = await (await h.start(input, `typed-in-the-ui-${randomUUID()}`)).result();
    expect(first.outcome).toBe('delegated');
    expect(first.canonicalWorkflowId).toBe(releaseWorkflowId(input));
    const second = await (await h.start(input, `another-${randomUUID()}`)).result();
    expect(second.outcome).toBe('delegated');
    expect(second.summary).toContain('already running');
    const canonical = h.client.workflow.getHandle(releaseWorkflowId(input));
    await expect.poll(async () => (await progress(canonical)).phase, { timeout: 10_000 }).toBe('confirm');
    // A service starting the same release through the client joins the running one.
    const joined = await startRelease(h.client, input, h.taskQueue);
    expect(joined.firstExecutionRunId).toBe((await canonical.describe()).runId);
    await canonical.terminate('test cleanup');
  });

  it('does not start a successful release again by accident, but one that changed nothing can be', async () => {
    const cancelled = await h.start(huaweiNode('d0000004-0000-4000-8000-000000000004', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(cancelled)).phase, { timeout: 10_000 }).toBe('confirm');
    await cancelled.cancel();
    await failureOf(cancelled.result());
    const input = huaweiNode('d0000004-0000-4000-8000-000000000004');
    const report = await (await startRelease(h.client, input, h.taskQueue)).result();
    expect(report.outcome).toBe('released');
    await expect(startRelease(h.client, input, h.taskQueue)).rejects.toThrow(/already succeeded/i);
    expect(await h.admin.calls({ action: 'DeleteDevServer' })).toHaveLength(1);
  });

  it('a scheduled decommission job hands over to the canonical release', async () => {
    const input = huaweiNode('d0000005-0000-4000-8000-000000000005');
    const schedule = await scheduleDecommission(h.client, `decommission-${randomUUID()}`, input, { intervals: [{ every: '1d' }] }, h.taskQueue);
    try {
      await schedule.trigger();
      const canonical = h.client.workflow.getHandle(releaseWorkflowId(input));
      const status = async () => (await canonical.describe().catch(() => undefined))?.status.name;
      await expect.poll(status, { timeout: 20_000, interval: 250 }).toBe('COMPLETED');
      expect((await canonical.result()).outcome).toBe('released');
      const runs = (await schedule.describe()).info.recentActions;
      expect(runs[0].action.workflow.workflowId).toMatch(/^scheduled\/decommission-/);
      expect(await h.admin.calls({ action: 'DeleteDevServer', target: input.resourceId })).toHaveLength(1);
    } finally {
      await schedule.delete();
    }
  });

  it('a dry run through the client runs beside the release, under its own ID', async () => {
    const input = huaweiNode('d0000002-0000-4000-8000-000000000002', { dryRun: true });
    const dry = await startRelease(h.client, input, h.taskQueue);
    expect(dry.workflowId).toBe(`dry-run/huawei/cn-southwest-2/d0000002-0000-4000-8000-000000000002`);
    expect((await dry.result()).outcome).toBe('dry-run');
    const real = await startRelease(h.client, { ...input, dryRun: false }, h.taskQueue);
    expect((await real.result()).outcome).toBe('released');
  });
});
