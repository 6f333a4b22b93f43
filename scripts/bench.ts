// `npm run bench`: what a release costs, measured against the floor in one run (README "Performance").
// It starts its own in-memory Temporal dev server, its own simulators (scripts/bench/fixture.ts) and the product's
// workers in a process of their own (scripts/bench/worker-process.ts), then measures, each figure beside its target:
//   - releases against the floor (scripts/bench/floor.ts: the same activities with no-op bodies), interleaved on the
//     same server: one at a time, then 16, 64 and 256 at once: releases/s, p50/p95, CPU per release;
//   - history events and provider calls per release against the floor's and the minimum;
//   - the provider request rate against the configured limit, with two worker processes sharing it (first, on a quiet machine);
//   - 2,000 releases parked at the backup gate: worker RSS once it settles, then the time for all to finish once confirmed;
//   - a batchRelease of a fleet (2,500 resources): time, releases/s, the largest history of any workflow in it;
//   - `npm start` to the UI and the worker polling.
// Performance is measured here, never asserted in tests. The bench asserts correctness only (every release released,
// one DeleteInstances per instance). A table on the terminal, every figure in BENCH_OUT (JSON).
//
// Environment (defaults in brackets):
//   BENCH_SEQUENTIAL   releases one at a time, each followed by a floor run [20]
//   BENCH_SIZES        concurrent releases per batch [16,64,256]
//   BENCH_RATE_LIMIT   the limit of the rate section, requests/s [40]; BENCH_RATE_RELEASES its releases [60]
//   BENCH_PARKED       releases parked at the backup gate [2000]
//   BENCH_FLEET        resources of the batch [2500; 5,000 and 10,000: README "Performance"]
//   BENCH_START_RUNS   measured `npm start` runs [3]
//   BENCH_MAX_CACHED   the worker's workflow cache size [the product's default]
//   BENCH_DELETE_MS    how long an accepted DeleteInstance takes in the simulator [0]
//   BENCH_TIMEOUT_MS   hard cap on the whole run, teardown included [1200000]
//   BENCH_OUT          the JSON file [bench-results.json]
//   BENCH_WORKER_PROF  a directory: the worker process writes V8 CPU profiles there (--cpu-prof)
// A size of 0 skips its section. Everything listens on and talks to 127.0.0.1 only; everything started is stopped.
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { batchHandle, batchProgress, batchWorkflowId, startBatch } from '../client/batch';
import { confirmBackup, startRelease } from '../client/release';
import { SEARCH_ATTRIBUTES } from '../common/temporal';
import type { ReleaseReport } from '../domain/report';
import { releaseWorkflowId, type ReleaseRequest } from '../domain/request';
import { parseConfig } from '../providers/config';
import { createAdapters } from '../providers/registry';
import { SimAdminClient } from '../simulators/admin-client';
import type { CallRecord } from '../simulators/core/call-log';
import { startSimulators } from '../simulators/runtime';
import { sandboxProviderConfig } from '../simulators/sandbox-config';
import { createAuditSchema } from './audit-schema';
import { BENCH_REGION, FLEET_TAG, benchFixture, benchInstanceId } from './bench/fixture';
import type { FloorInput } from './bench/floor';
import { printReport, type Figure } from './bench/report';
import { averageRate, childPid, peakInWindow, percentile, readProcess } from './bench/stats';
import { RATE_MARGIN } from '../providers/rate-limit';
import { workflowBundleOptions } from '../workflow-bundle';
import type { BenchWorkerConfig, BenchWorkerMessage } from './bench/worker-process';
import { DEV_SERVER_DYNAMIC_CONFIG, temporalCliPath } from './dev-server';

const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------- configuration

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

const CFG = {
  sequential: envInt('BENCH_SEQUENTIAL', 20),
  sizes: (process.env.BENCH_SIZES ?? '16,64,256')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got "${s}"`);
      return n;
    }),
  rateLimit: envInt('BENCH_RATE_LIMIT', 40),
  rateReleases: envInt('BENCH_RATE_RELEASES', 60),
  parked: envInt('BENCH_PARKED', 2000),
  fleet: envInt('BENCH_FLEET', 2_500),
  startRuns: envInt('BENCH_START_RUNS', 3),
  maxCached: process.env.BENCH_MAX_CACHED ? envInt('BENCH_MAX_CACHED', 0) : undefined,
  deleteMs: envInt('BENCH_DELETE_MS', 0),
  timeoutMs: envInt('BENCH_TIMEOUT_MS', 1_200_000),
  out: process.env.BENCH_OUT ?? 'bench-results.json',
};
const PROFILE_DIR = process.env.BENCH_WORKER_PROF || undefined;
/** Releases and floor runs before anything is measured: the first ones pay for JIT, connections and caches. */
const WARMUP = 32;
/** Part of the cap kept back for teardown, so "bounded" holds even when the run itself hits the cap. */
const TEARDOWN_MS = Math.min(30_000, Math.floor(CFG.timeoutMs / 4));
/** The requester, and someone else who confirms. */
const REQUESTER = 'bench@platform';
const CONFIRMER = 'bench-oncall@platform';

// ------------------------------------------------------------------------------------------ small utilities

class BenchFailure extends Error {}

const noop = () => undefined;
const ms = (start: number) => performance.now() - start;
const MiB = 1024 * 1024;

/** Stops what was started, newest first; each step is attempted even when an earlier one fails. */
class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private closed = false;

  push(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
    if (this.closed) void this.run();
  }

  async run(): Promise<void> {
    this.closed = true;
    for (const step of this.steps.splice(0).reverse()) {
      await step.run().catch((err: unknown) => console.error(`teardown: ${step.name}: ${String(err)}`));
    }
  }
}

/** Rejects after `timeoutMs`; `cancel` lets the process exit without waiting for it. */
function deadline(timeoutMs: number, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchFailure(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  promise.catch(noop);
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Run `fn` over `items`, at most `limit` at a time, results in order. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

// ------------------------------------------------------------------------------------------------ the rig

/** A worker process of the bench's, with its pid and its IPC channel. */
interface WorkerProcess {
  child: ChildProcess;
  memory(): Promise<{ rssBytes: number; heapUsedBytes: number }>;
}

interface Rig {
  client: Client;
  address: string;
  admin: SimAdminClient;
  providerConfig: ReturnType<typeof sandboxProviderConfig>;
  bundlePath: string;
  auditUrl: string;
  serverPid?: number;
  teardown: Teardown;
}

const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

async function setUp(teardown: Teardown, inventory: number): Promise<Rig> {
  // The product's workflows and the floor in one bundle, built once, before the server starts.
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(require.resolve('./bench/workflows')), logger: quietLogger });
  const dir = mkdtempSync(join(tmpdir(), 'cloud-release-bench-'));
  teardown.push('bundle', () => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  const bundlePath = join(dir, 'workflows.js');
  writeFileSync(bundlePath, code);

  const path = temporalCliPath();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: path ? { type: 'existing-path', path } : undefined,
      ip: HOST,
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: DEV_SERVER_DYNAMIC_CONFIG,
    },
  });
  teardown.push('Temporal dev server', () => env.teardown());
  const fixture = benchFixture(inventory, CFG.fleet, { stopMs: 10, deleteMs: CFG.deleteMs });
  const sims = await startSimulators({ host: HOST, fixture });
  teardown.push('simulators', () => sims.close());
  // Audit records go where production writes them: PostgreSQL (the machine's; a schema of this run's own).
  const audit = await createAuditSchema('audit_bench');
  teardown.push('audit schema', () => audit.drop());
  return {
    client: env.client,
    address: env.address,
    admin: new SimAdminClient(sims.endpoints.admin),
    providerConfig: sandboxProviderConfig(sims.endpoints, fixture),
    bundlePath,
    auditUrl: audit.url,
    serverPid: childPid('temporal'),
    teardown,
  };
}

/** Start a worker process on `taskQueue`; resolves once its workers run. */
async function startWorker(rig: Rig, taskQueue: string, opts: { requestsPerSecond?: number; env?: Record<string, string> } = {}): Promise<WorkerProcess> {
  const { config, env: credentials } = rig.providerConfig;
  const providerConfig = opts.requestsPerSecond
    ? {
        providers: Object.fromEntries(
          Object.entries(config.providers).map(([p, c]) => [p, { ...c, rateLimit: { requestsPerSecond: opts.requestsPerSecond } }]),
        ),
      }
    : config;
  const workerConfig: BenchWorkerConfig = {
    address: rig.address,
    namespace: 'default',
    taskQueue,
    bundlePath: rig.bundlePath,
    auditDatabaseUrl: rig.auditUrl,
    providerConfig,
    maxCachedWorkflows: CFG.maxCached,
  };
  const child = fork(require.resolve('./bench/worker-process'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [])],
    env: { ...process.env, ...credentials, ...opts.env, BENCH_WORKER: JSON.stringify(workerConfig) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  rig.teardown.push(`worker ${child.pid}`, async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new BenchFailure(`the bench worker exited with code ${code} before it was ready`)));
    child.on('message', (m: BenchWorkerMessage) => m.type === 'ready' && resolve());
  });
  child.removeAllListeners('exit');
  child.once('exit', (code) => code !== 0 && code !== null && console.error(`bench worker ${child.pid} exited with code ${code}`));
  return {
    child,
    memory: () =>
      new Promise((resolve) => {
        const on = (m: BenchWorkerMessage) => {
          if (m.type !== 'memory') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.send({ type: 'memory' });
      }),
  };
}

// ------------------------------------------------------------------------------------------------ runs

const releaseRequest = (resourceId: string, backup = false): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: BENCH_REGION,
  resourceId,
  requestedBy: REQUESTER,
  ticket: 'BENCH-1',
  backup: backup ? { required: true, confirmWithin: '6h' } : { required: false },
});

interface Run {
  id: string;
  outcome: string;
  ms: number;
}

/** One release the way the product starts them (client/release.ts), timed from the start call to its result. */
async function runRelease(client: Client, taskQueue: string, resourceId: string): Promise<Run> {
  const request = releaseRequest(resourceId);
  const id = releaseWorkflowId(request);
  const start = performance.now();
  try {
    const handle = await startRelease(client, request, taskQueue);
    const report: ReleaseReport = await handle.result();
    return { id, outcome: report.outcome, ms: ms(start) };
  } catch (err) {
    return { id, outcome: `error: ${(err as { cause?: Error }).cause?.message ?? String(err)}`, ms: ms(start) };
  }
}

/** One floor run, started as plainly as a start can be. */
async function runFloor(client: Client, taskQueue: string, resourceId: string): Promise<Run> {
  const id = `floor/${resourceId}`;
  const input: FloorInput = { provider: 'alibaba', resourceId };
  const start = performance.now();
  const handle = await client.workflow.start('releaseFloor', { taskQueue, workflowId: id, args: [input] });
  const result = (await handle.result()) as { outcome: string };
  return { id, outcome: result.outcome, ms: ms(start) };
}

interface Measured {
  kind: 'release' | 'floor';
  concurrency: number;
  count: number;
  wallMs: number;
  perSecond: number;
  p50: number;
  p95: number;
  /** CPU ms per workflow of the worker process and of the dev server. */
  cpu: Cpu;
  events: number;
  calls?: CallRecord[];
}

/** CPU ms: the worker process, the dev server, and this process (the simulators, who answer the requests, and the client). */
interface Cpu {
  worker: number;
  server: number;
  bench: number;
}

const benchCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

class Meter {
  constructor(
    private readonly rig: Rig,
    private readonly worker: WorkerProcess,
  ) {}

  read() {
    return { worker: readProcess(this.worker.child.pid)?.cpuMs ?? NaN, server: readProcess(this.rig.serverPid)?.cpuMs ?? NaN, bench: benchCpuMs() };
  }
}

/** A group of runs, measured: `concurrency` 1 runs them one after the other (the caller interleaves). */
/** CPU per run between two readings. */
const perRun = (a: Cpu, b: Cpu, runs: number): Cpu => ({
  worker: (b.worker - a.worker) / runs,
  server: (b.server - a.server) / runs,
  bench: (b.bench - a.bench) / runs,
});

/** A group of runs, measured: `cpu` is per run; `concurrency` 1 means one after the other (the caller interleaves). */
async function measure(rig: Rig, kind: Measured['kind'], runs: Run[], wallMs: number, cpu: Cpu, concurrency: number): Promise<Measured> {
  const wrong = runs.filter((r) => r.outcome !== 'released');
  if (wrong.length > 0) throw new BenchFailure(`${wrong.length} ${kind} run(s) did not end released, e.g. ${wrong[0].id}: ${wrong[0].outcome}`);
  const history = await rig.client.workflow.getHandle(runs[0].id).fetchHistory();
  return {
    kind,
    concurrency,
    count: runs.length,
    wallMs,
    perSecond: concurrency === 1 ? 1000 / (runs.reduce((n, r) => n + r.ms, 0) / runs.length) : runs.length / (wallMs / 1000),
    p50: percentile(
      runs.map((r) => r.ms),
      50,
    ),
    p95: percentile(
      runs.map((r) => r.ms),
      95,
    ),
    cpu,
    events: history.events?.length ?? 0,
  };
}

/** Exactly one DeleteInstances per released instance, none elsewhere; returns the calls. */
async function checkDeletes(rig: Rig, ids: string[]): Promise<CallRecord[]> {
  const calls = await rig.admin.calls({ provider: 'alibaba' });
  const deletes = new Map<string, number>();
  for (const c of calls) if (c.action === 'DeleteInstances') deletes.set(c.target ?? '?', (deletes.get(c.target ?? '?') ?? 0) + 1);
  const off = ids.filter((id) => deletes.get(id) !== 1);
  const strays = [...deletes.keys()].filter((t) => !ids.includes(t));
  if (off.length > 0 || strays.length > 0) {
    throw new BenchFailure(`expected one DeleteInstances per instance: ${off.length} off, ${strays.length} unexpected target(s), e.g. ${off[0] ?? strays[0]}`);
  }
  const state = await rig.admin.state<{ alibaba: { instances: { id: string }[] } }>();
  const left = new Set(state.alibaba.instances.map((i) => i.id));
  const still = ids.filter((id) => left.has(id));
  if (still.length > 0) throw new BenchFailure(`${still.length} instance(s) reported released are still there, e.g. ${still[0]}`);
  return calls;
}

async function releaseBatch(rig: Rig, meter: Meter, taskQueue: string, ids: string[]): Promise<Measured> {
  await rig.admin.clearCalls();
  const cpu0 = meter.read();
  const start = performance.now();
  const runs = await Promise.all(ids.map((id) => runRelease(rig.client, taskQueue, id)));
  const m = await measure(rig, 'release', runs, ms(start), perRun(cpu0, meter.read(), ids.length), ids.length);
  m.calls = await checkDeletes(rig, ids);
  return m;
}

async function floorBatch(rig: Rig, meter: Meter, taskQueue: string, ids: string[]): Promise<Measured> {
  const cpu0 = meter.read();
  const start = performance.now();
  const runs = await Promise.all(ids.map((id) => runFloor(rig.client, taskQueue, id)));
  return measure(rig, 'floor', runs, ms(start), perRun(cpu0, meter.read(), ids.length), ids.length);
}

/** One at a time, release and floor alternating, so that both see the same server and machine state. */
async function sequential(rig: Rig, meter: Meter, taskQueue: string, ids: string[]): Promise<{ release: Measured; floor: Measured }> {
  await rig.admin.clearCalls();
  const rel: Run[] = [];
  const flo: Run[] = [];
  const cpu = { release: { worker: 0, server: 0, bench: 0 }, floor: { worker: 0, server: 0, bench: 0 } };
  const add = (into: Cpu, a: Cpu, b: Cpu) => {
    into.worker += b.worker - a.worker;
    into.server += b.server - a.server;
    into.bench += b.bench - a.bench;
  };
  const start = performance.now();
  for (const id of ids) {
    let c0 = meter.read();
    rel.push(await runRelease(rig.client, taskQueue, id));
    add(cpu.release, c0, meter.read());
    c0 = meter.read();
    flo.push(await runFloor(rig.client, taskQueue, id));
    add(cpu.floor, c0, meter.read());
  }
  const wall = ms(start);
  const none = { worker: 0, server: 0, bench: 0 };
  const release = await measure(rig, 'release', rel, wall, perRun(none, cpu.release, ids.length), 1);
  const floor = await measure(rig, 'floor', flo, wall, perRun(none, cpu.floor, ids.length), 1);
  release.calls = await checkDeletes(rig, ids);
  return { release, floor };
}

/**
 * The fewest requests a release of one bench instance can make, read off the simulator: the inspect's reads, the
 * destructive call, one status read that sees it gone, the cleanup calls, and the reads that verify every planned item.
 */
async function minimumCalls(rig: Rig, resourceId: string): Promise<{ inspect: number; destroy: number; status: number; cleanup: number; verify: number }> {
  const { config, env } = rig.providerConfig;
  const { adapters } = createAdapters(parseConfig(config, 'bench'), env);
  const adapter = adapters.alibaba!;
  const ref = { provider: 'alibaba' as const, kind: 'ecs-instance' as const, region: BENCH_REGION, resourceId };
  const count = async (what: () => Promise<unknown>) => {
    await rig.admin.clearCalls();
    await what();
    return (await rig.admin.calls({ provider: 'alibaba' })).length;
  };
  let snapshot!: Awaited<ReturnType<typeof adapter.inspect>>;
  const inspect = await count(async () => (snapshot = await adapter.inspect(ref)));
  const items = [
    ...snapshot.disks.map((d) => ({ type: 'disk' as const, id: d.id })),
    ...snapshot.snapshots.map((s) => ({ type: 'snapshot' as const, id: s.id })),
  ];
  const verify = await count(() => adapter.observe(ref, items));
  await rig.admin.clearCalls();
  // No cleanup call: the disks go with the instance, the auto snapshot with its disk, the user snapshot is kept.
  return { inspect, destroy: 1, status: 1, cleanup: 0, verify };
}

/** Per release: provider calls by action, and the peak request rate. */
function callFigures(calls: CallRecord[], releases: number) {
  const byAction: Record<string, number> = {};
  for (const c of calls) byAction[c.action] = (byAction[c.action] ?? 0) + 1;
  for (const k of Object.keys(byAction)) byAction[k] /= releases;
  return { perRelease: calls.length / releases, byAction, peakPerSecond: peakInWindow(calls.map((c) => Date.parse(c.at))) };
}

// ------------------------------------------------------------------------------------------------ sections

/** Two worker processes at a low limit, sharing it: the peak rate the provider saw, and how long it took. */
async function rateSection(rig: Rig, ids: string[]) {
  const taskQueue = `bench-rate-${randomUUID()}`;
  const shared = { CLOUD_RELEASE_RATE_LIMIT_DATABASE_URL: rig.auditUrl };
  await Promise.all([0, 1].map(() => startWorker(rig, taskQueue, { requestsPerSecond: CFG.rateLimit, env: shared })));
  await rig.admin.clearCalls();
  const start = performance.now();
  const runs = await Promise.all(ids.map((id) => runRelease(rig.client, taskQueue, id)));
  const wallMs = ms(start);
  const wrong = runs.filter((r) => r.outcome !== 'released');
  if (wrong.length > 0) throw new BenchFailure(`rate section: ${wrong.length} release(s) not released, e.g. ${wrong[0].id}: ${wrong[0].outcome}`);
  const calls = await checkDeletes(rig, ids);
  return {
    limit: CFG.rateLimit,
    workers: 2,
    releases: ids.length,
    requests: calls.length,
    peakPerSecond: peakInWindow(calls.map((c) => Date.parse(c.at))),
    /** Over the whole section, first request to last, as the simulator logged them. */
    averagePerSecond: averageRate(calls.map((c) => Date.parse(c.at))),
    seconds: wallMs / 1000,
    /** The time the requests need at the limit: the floor of this section. */
    atLimitSeconds: calls.length / CFG.rateLimit,
  };
}

/** Count of this task queue's releases running and listed as waiting at a gate. */
async function parkedCount(client: Client, taskQueue: string): Promise<number> {
  const { count } = await client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running" AND ReleasePhase = "confirm"`);
  return count;
}

/**
 * The worker's RSS once the releases wait: right after the last one parked it still holds the garbage of 2,000
 * starts, which the workflow thread's V8 (out of reach of the bench's GC) collects over the next seconds or tens of
 * seconds, by steps. Read every 5 s until two reads in a row fall by less than 1% each (at most 90 s).
 */
async function settledMemory(worker: WorkerProcess): Promise<{ rssBytes: number; seconds: number }> {
  const start = performance.now();
  let last = await worker.memory();
  for (let flat = 0; flat < 2 && ms(start) < 90_000;) {
    await sleep(5_000);
    const now = await worker.memory();
    flat = now.rssBytes < last.rssBytes * 0.99 ? 0 : flat + 1;
    last = now;
  }
  return { rssBytes: last.rssBytes, seconds: ms(start) / 1000 };
}

/** On a worker process of its own, fresh: its RSS is what the parked releases hold, not what earlier sections left. */
async function parkedSection(rig: Rig, ids: string[]) {
  const taskQueue = `bench-parked-${randomUUID()}`;
  const worker = await startWorker(rig, taskQueue);
  await rig.admin.clearCalls();
  const before = await worker.memory();
  const start = performance.now();
  const handles = await pool(ids, 64, (id) => startRelease(rig.client, releaseRequest(id, true), taskQueue));
  while ((await parkedCount(rig.client, taskQueue)) < ids.length) {
    if (ms(start) > 10 * 60_000) throw new BenchFailure('the parked releases did not all reach the backup gate in 10 minutes');
    await sleep(1_000);
  }
  const parkMs = ms(start);
  const parked = await worker.memory();
  const settled = await settledMemory(worker);
  const confirmStart = performance.now();
  const reports = await pool(handles, 64, async (h) => {
    await confirmBackup(h, { confirmedBy: CONFIRMER, backupReference: 'bench-snapshot' });
    return h.result();
  });
  const finishMs = ms(confirmStart);
  const wrong = reports.filter((r) => r.outcome !== 'released');
  if (wrong.length > 0) throw new BenchFailure(`${wrong.length} parked release(s) did not end released, e.g. ${wrong[0].workflowId}: ${wrong[0].outcome}`);
  await checkDeletes(rig, ids);
  return {
    count: ids.length,
    parkSeconds: parkMs / 1000,
    rssBeforeMiB: before.rssBytes / MiB,
    rssAtLastMiB: parked.rssBytes / MiB,
    rssParkedMiB: settled.rssBytes / MiB,
    settleSeconds: settled.seconds,
    perReleaseKiB: (settled.rssBytes - before.rssBytes) / 1024 / ids.length,
    finishSeconds: finishMs / 1000,
    finishPerSecond: ids.length / (finishMs / 1000),
  };
}

async function fleetSection(rig: Rig, taskQueue: string) {
  const id = `bench-fleet-${randomUUID()}`;
  const start = performance.now();
  const since = new Date(Date.now() - 1_000).toISOString();
  const handle = await startBatch(
    rig.client,
    {
      requestedBy: REQUESTER,
      ticket: 'BENCH-FLEET',
      selector: { provider: 'alibaba', region: BENCH_REGION, tags: [{ ...FLEET_TAG }] },
      release: { backup: { required: false } },
      concurrency: { overall: 100, perProvider: 100 },
      safetyCap: { maxResources: CFG.fleet, maxShareOfInventory: 1 },
    },
    { id, taskQueue },
  );
  // A line a minute: a long batch shows how far it is.
  const ticker = setInterval(() => {
    batchProgress(batchHandle(rig.client, id)).then(
      (p) => console.log(`    ${p.byPhase.ended} of ${CFG.fleet} ended after ${(ms(start) / 1000).toFixed(0)} s (run ${p.runs + 1})`),
      noop,
    );
  }, 60_000);
  const result = await handle.result().finally(() => clearInterval(ticker));
  const wallMs = ms(start);
  const released = result.counts.released ?? 0;
  if (released !== CFG.fleet) throw new BenchFailure(`the fleet batch released ${released} of ${CFG.fleet}: ${JSON.stringify(result.counts)}`);
  const state = await rig.admin.state<{ alibaba: { instances: { id: string }[] } }>();
  const left = state.alibaba.instances.filter((i) => i.id.startsWith('i-fleet')).length;
  if (left > 0) throw new BenchFailure(`${left} fleet instance(s) are still there after the batch reported all released`);
  // The largest history of any workflow the batch ran: every run of the batch and every release it started.
  let largest = { events: 0, workflowId: '' };
  let workflows = 0;
  for await (const w of rig.client.workflow.list({ query: `TaskQueue = "${taskQueue}" AND StartTime >= "${since}"` })) {
    workflows++;
    if ((w.historyLength ?? 0) > largest.events) largest = { events: w.historyLength ?? 0, workflowId: w.workflowId };
  }
  return {
    resources: CFG.fleet,
    seconds: wallMs / 1000,
    perSecond: CFG.fleet / (wallMs / 1000),
    batchRuns: result.runs,
    workflows,
    largestHistory: largest,
    batchWorkflowId: batchWorkflowId(id),
  };
}

// ---------------------------------------------------------------------------------------------- the run

async function bench(teardown: Teardown): Promise<void> {
  console.log(
    `host: ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  console.log(`bench: ${JSON.stringify(CFG)}`);

  let next = 1;
  const take = (n: number) => Array.from({ length: n }, () => benchInstanceId(next++));
  const needed = WARMUP + CFG.sequential + CFG.sizes.reduce((a, b) => a + b, 0) + CFG.rateReleases + CFG.parked + 1;
  const rig = await setUp(teardown, needed);
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await startWorker(rig, taskQueue);
  const meter = new Meter(rig, worker);
  const minimum = await minimumCalls(rig, take(1)[0]);

  const step = (what: string) => console.log(`… ${what}`);
  step(`warm-up: ${WARMUP} releases and floor runs`);
  const warm = take(WARMUP);
  await Promise.all([...warm.map((id) => runRelease(rig.client, taskQueue, id)), ...warm.map((id) => runFloor(rig.client, taskQueue, id))]);

  // First, on a quiet machine: the sections after it leave the server and this process (the simulators' clock) busy.
  if (CFG.rateReleases > 0) {
    step(`${CFG.rateReleases} releases at a limit of ${CFG.rateLimit} requests/s, shared by two worker processes`);
    const rate = await rateSection(rig, take(CFG.rateReleases));
    results.record('rate', rate, [
      {
        figure: `peak requests/s at limit ${rate.limit}, 2 workers`,
        value: rate.peakPerSecond,
        floor: rate.limit,
        target: { ratioAtMost: 1 },
        note: `the configured limit; average ${rate.averagePerSecond.toFixed(1)}/s, booked at ${(rate.limit * RATE_MARGIN).toFixed(1)}/s`,
      },
      {
        figure: `seconds for ${rate.releases} releases at the limit`,
        value: rate.seconds,
        floor: rate.atLimitSeconds,
        note: `${rate.requests} requests / ${rate.limit} per s`,
      },
    ]);
  }
  const pairs: { release: Measured; floor: Measured }[] = [];
  const pairFigures = ({ release, floor }: { release: Measured; floor: Measured }): Figure[] => {
    const c = release.concurrency;
    return [
      {
        figure: `releases/s at ${c === 1 ? '1 (sequential)' : c}`,
        value: release.perSecond,
        floor: floor.perSecond,
        target: c >= 64 ? { ratioAtLeast: 0.9 } : undefined,
      },
      { figure: `p50 ms at ${c}`, value: release.p50, floor: floor.p50, target: c === 1 ? { ratioAtMost: 1.2 } : undefined },
      { figure: `p95 ms at ${c}`, value: release.p95, floor: floor.p95 },
      { figure: `CPU ms/release at ${c} (worker + server)`, value: release.cpu.worker + release.cpu.server, floor: floor.cpu.worker + floor.cpu.server },
      { figure: `CPU ms/release at ${c} (simulators + client)`, value: release.cpu.bench, floor: floor.cpu.bench },
    ];
  };
  const paired = (pair: { release: Measured; floor: Measured }) => {
    pairs.push(pair);
    results.record(`c${pair.release.concurrency}`, { release: { ...pair.release, calls: undefined }, floor: pair.floor }, pairFigures(pair));
  };
  if (CFG.sequential > 0) {
    step(`${CFG.sequential} releases one at a time, each followed by a floor run`);
    paired(await sequential(rig, meter, taskQueue, take(CFG.sequential)));
  }
  for (const [i, size] of CFG.sizes.entries()) {
    step(`${size} concurrent releases and ${size} concurrent floor runs`);
    const ids = take(size);
    // Alternate which goes first, so neither always meets the other's leftovers.
    if (i % 2 === 0) {
      const release = await releaseBatch(rig, meter, taskQueue, ids);
      paired({ release, floor: await floorBatch(rig, meter, taskQueue, ids) });
    } else {
      const floor = await floorBatch(rig, meter, taskQueue, ids);
      paired({ release: await releaseBatch(rig, meter, taskQueue, ids), floor });
    }
  }
  if (pairs.length > 0) {
    const calls = callFigures(
      pairs.flatMap((p) => p.release.calls ?? []),
      pairs.reduce((n, p) => n + p.release.count, 0),
    );
    const peakMain = Math.max(0, ...pairs.map((p) => peakInWindow((p.release.calls ?? []).map((c) => Date.parse(c.at)))));
    const min = minimum.inspect + minimum.destroy + minimum.status + minimum.cleanup + minimum.verify;
    const mainLimit = rig.providerConfig.config.providers.alibaba.rateLimit.requestsPerSecond;
    results.record('calls', { ...calls, minimum }, [
      { figure: 'history events/release', value: pairs[0].release.events, floor: pairs[0].floor.events, target: { ratioAtMost: 1.1 } },
      {
        figure: 'provider calls/release',
        value: calls.perRelease,
        floor: min,
        target: { ratioAtMost: 1 },
        note: `minimum: inspect ${minimum.inspect} + destroy ${minimum.destroy} + status ${minimum.status} + cleanup ${minimum.cleanup} + verify ${minimum.verify}`,
      },
      { figure: 'peak requests/s (runs above)', value: peakMain, floor: mainLimit, target: { ratioAtMost: 1 }, note: 'floor column: the configured limit' },
    ]);
  }
  if (CFG.parked > 0) {
    step(`${CFG.parked} releases parked at the backup gate, then confirmed`);
    const parked = await parkedSection(rig, take(CFG.parked));
    results.record('parked', parked, [
      {
        figure: `worker RSS MiB, ${parked.count} parked`,
        value: parked.rssParkedMiB,
        target: { atMost: 512 },
        note: `settled after ${parked.settleSeconds.toFixed(0)} s; ${parked.rssAtLastMiB.toFixed(0)} MiB as the last parked; ${parked.rssBeforeMiB.toFixed(0)} MiB before`,
      },
      { figure: 'RSS KiB per parked release', value: parked.perReleaseKiB },
      { figure: `seconds for ${parked.count} confirmed to finish`, value: parked.finishSeconds, note: `${parked.finishPerSecond.toFixed(1)} releases/s` },
    ]);
  }
  if (CFG.fleet > 0) {
    step(`a batchRelease of ${CFG.fleet} resources`);
    const fleet = await fleetSection(rig, taskQueue);
    results.record('fleet', fleet, [
      {
        figure: `fleet of ${fleet.resources}: seconds`,
        value: fleet.seconds,
        note: `${fleet.perSecond.toFixed(1)} releases/s, ${fleet.batchRuns} continue-as-new`,
      },
      { figure: 'fleet: largest history (events)', value: fleet.largestHistory.events, target: { atMost: 10_000 }, note: fleet.largestHistory.workflowId },
    ]);
  }
  // The rig is done: stop it before timing `npm start`, which must not share the machine with it.
  await teardown.run();
  if (CFG.startRuns > 0) {
    step(`npm start, ${CFG.startRuns} measured runs`);
    const { measureStart } = await import('./bench/start');
    const start = await measureStart({ runs: CFG.startRuns });
    results.record('start', start, [
      { figure: 'npm start → worker polling, ms', value: start.workerPollingMs, target: { atMost: 3_000 } },
      { figure: 'npm start → UI ready, ms', value: start.uiReadyMs },
    ]);
  }
  console.log('\nPASS: every release released and verified against the simulator: exactly one DeleteInstances per instance');
}

/** Every section's figures and data, written to BENCH_OUT as each section ends: a run stopped half-way keeps what it measured. */
class Results {
  readonly figures: Figure[] = [];
  private readonly data: Record<string, unknown> = { at: new Date().toISOString(), config: CFG };
  private readonly started = performance.now();

  constructor(host: unknown) {
    this.data.host = host;
  }

  record(section: string, data: unknown, figures: Figure[]): void {
    this.figures.push(...figures);
    this.data[section] = data;
    this.data.figures = this.figures;
    this.data.seconds = ms(this.started) / 1000;
    writeFileSync(CFG.out, JSON.stringify(this.data, null, 2) + '\n');
  }

  print(): void {
    if (this.figures.length === 0) return;
    console.log('');
    printReport(this.figures);
    console.log(`\n${(ms(this.started) / 1000).toFixed(0)} s in all; every figure in ${CFG.out}`);
  }
}

const results = new Results({ cpus: availableParallelism(), load: loadavg().map((l) => Number(l.toFixed(2))), node: process.version });

async function main(): Promise<number> {
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      if (!message.startsWith('No workflows registered')) console.error(`[${level}] ${message}`, meta ?? '');
    }),
  });
  const teardown = new Teardown();
  const cap = deadline(CFG.timeoutMs - TEARDOWN_MS, 'the bench');
  const stop = () => void teardown.run().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let code = 0;
  try {
    await Promise.race([bench(teardown), cap.promise]);
  } catch (err) {
    console.error(`\nFAIL: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof BenchFailure) && err instanceof Error && err.stack) console.error(err.stack);
    code = 1;
  } finally {
    cap.cancel();
    const teardownCap = deadline(TEARDOWN_MS, 'teardown');
    await Promise.race([teardown.run(), teardownCap.promise]).catch((err: unknown) => {
      console.error(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    });
    teardownCap.cancel();
    results.print();
  }
  return code;
}

void main().then((code) => process.exit(code));
