// Metrics and logs of a real worker process (the SDK runtime, and so its Prometheus endpoint, is one per process):
// scraped while a release waits at its backup gate and after it ends; the SDK's log lines carry the workflow ID.
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { confirmBackup, progress, startRelease } from '../../client/release';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import { SimAdminClient } from '../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../simulators/runtime';
import { sandboxProviderConfig } from '../../simulators/sandbox-config';
import { testNamespace } from './harness';
import { freePort } from '../../scripts/faults/support';

const request: ReleaseRequest = {
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId: 'i-bp1stoppedpaygo01',
  requestedBy: 'alice@platform',
  ticket: 'CHG-METRICS',
  backup: { required: true, confirmWithin: '1h' },
};

/** The sum of a metric's samples whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** The worker's log entry with this message: the SDK's default logger prints its metadata on the lines after it. */
const logEntry = (output: string, level: string, message: string) => new RegExp(`\\[${level}\\] ${message} \\{\\n[^]*?\\n\\}\\n`).exec(output)?.[0];

describe('metrics and logs of a worker process', { timeout: 180_000 }, () => {
  let sims: RunningSimulators;
  let admin: SimAdminClient;
  let client: Client;
  let dir: string;
  let worker: ChildProcess;
  let metricsUrl: string;
  let secrets: string[];
  let output = '';
  const taskQueue = `metrics-${randomUUID()}`;
  const scrape = async () => (await fetch(metricsUrl)).text();
  const calls = (action: string) => admin.calls({ provider: 'alibaba', action }).then((c) => c.length);

  beforeAll(async () => {
    sims = await startSimulators();
    admin = new SimAdminClient(sims.endpoints.admin);
    client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }), namespace: testNamespace() });
    dir = mkdtempSync(join(tmpdir(), 'cloud-release-metrics-'));
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    secrets = Object.values(env).filter((v) => v.length > 0);
    writeFileSync(join(dir, 'providers.json'), JSON.stringify(config));
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    metricsUrl = `http://${metricsAddress}/metrics`;
    worker = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../../worker.ts')], {
      env: {
        ...process.env,
        ...env,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: testNamespace(),
        CLOUD_RELEASE_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        CLOUD_RELEASE_CONFIG: join(dir, 'providers.json'),
        CLOUD_RELEASE_TASK_QUEUE: taskQueue,
        CLOUD_RELEASE_AUDIT_DIR: join(dir, 'audit'),
        CLOUD_RELEASE_METRICS_ADDRESS: metricsAddress,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; !output.includes('worker: polling'); i++) {
      if (worker.exitCode !== null || i > 300) throw new Error(`the worker did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    if (worker?.exitCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await client?.connection.close();
    await sims?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says where its metrics are', () => {
    expect(output).toContain(`worker: metrics at ${metricsUrl}`);
  });

  it('counts provider calls, errors and releases, during a release and after it', async () => {
    // The first read is throttled: a retryable error, with its code, and an activity retry the SDK logs.
    await admin.injectFault({
      provider: 'alibaba',
      action: 'DescribeInstances',
      target: request.resourceId,
      times: 1,
      error: { code: 'Throttling', httpStatus: 400 },
    });
    const handle = await startRelease(client, request, taskQueue);
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 30_000, interval: 250 }).toBe('confirm');

    // At the gate: only the inspection has called the provider, once throttled, once through.
    const inspect = { provider: 'alibaba', action: 'inspect' };
    let text = '';
    await expect
      .poll(async () => sample((text = await scrape()), 'cloud_release_provider_calls_total', { ...inspect, outcome: 'ok' }), { timeout: 10_000 })
      .toBe(1);
    expect(sample(text, 'cloud_release_provider_calls_total', { ...inspect, outcome: 'retryable' })).toBe(1);
    expect(sample(text, 'cloud_release_provider_calls_total')).toBe(2);
    expect(sample(text, 'cloud_release_provider_calls_total', { ...inspect, outcome: 'ok', activityType: 'inspectResource', namespace: testNamespace() })).toBe(
      1,
    );
    expect(await calls('DescribeInstances')).toBe(2);
    const throttled = (await admin.calls({ provider: 'alibaba' })).filter((c) => c.errorCode === 'Throttling');
    expect(sample(text, 'cloud_release_provider_errors_total', { provider: 'alibaba', code: 'Throttling' })).toBe(throttled.length);
    expect(throttled).toHaveLength(1);
    expect(sample(text, 'cloud_release_provider_call_latency_count', inspect)).toBe(2);
    expect(sample(text, 'temporal_activity_execution_latency_count', { activity_type: 'inspectResource' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'temporal_workflow_task_execution_latency_count')).toBeGreaterThan(0);
    // The workflow's own metrics (workflows/metrics.ts, called from workflows/audit.ts).
    expect(sample(text, 'cloud_release_releases_started_total', { provider: 'alibaba', kind: 'ecs-instance' })).toBe(1);
    const waiting = sample(text, 'cloud_release_waits_started_total', { gate: 'backup' }) - sample(text, 'cloud_release_waits_ended_total', { gate: 'backup' });
    expect(waiting).toBe(1);

    await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-metrics' });
    expect((await handle.result()).outcome).toBe('released');

    await expect
      .poll(async () => sample((text = await scrape()), 'temporal_workflow_completed', { workflow_type: 'releaseResource' }), { timeout: 10_000 })
      .toBe(1);
    const ok = (action: string) => sample(text, 'cloud_release_provider_calls_total', { provider: 'alibaba', action, outcome: 'ok' });
    expect(ok('inspect')).toBe(2); // the inspection and the re-check right before the destructive call
    expect(ok('destroy')).toBe(1);
    expect(await calls('DeleteInstances')).toBe(1);
    expect(sample(text, 'cloud_release_provider_call_latency_count', { provider: 'alibaba', action: 'destroy' })).toBe(1);
    expect(sample(text, 'cloud_release_provider_errors_total')).toBe(1);
    // The workflow's own metrics (workflows/metrics.ts, called from workflows/audit.ts).
    const labels = { provider: 'alibaba', kind: 'ecs-instance' };
    expect(sample(text, 'cloud_release_releases_ended_total', { ...labels, outcome: 'released' })).toBe(1);
    expect(sample(text, 'cloud_release_waits_started_total', labels) - sample(text, 'cloud_release_waits_ended_total', labels)).toBe(0);
    expect(sample(text, 'cloud_release_phase_duration_count', { ...labels, phase: 'confirm' })).toBe(1);
    const ended = logEntry(output, 'INFO', 'release ended');
    expect(ended).toContain(`workflowId: '${releaseWorkflowId(request)}'`);
    expect(ended).toContain("outcome: 'released'");
    for (const secret of secrets) expect(text).not.toContain(secret);

    // The SDK's log entry for the throttled attempt names the workflow.
    const failed = logEntry(output, 'WARN', 'Activity failed');
    expect(failed).toContain(`workflowId: '${releaseWorkflowId(request)}'`);
    expect(failed).toContain('Throttling');
  });
});
