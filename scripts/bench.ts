// `npm run bench`: how fast releases go through the real machinery. It starts its own in-memory Temporal
// dev server, its own simulators (seeded with N bench instances, see scripts/bench/fixture.ts) and the
// project's workers on a task queue of its own, then runs batches of concurrent `releaseResource` workflows
// and prints throughput, latency, history size and memory. Performance is measured here, never asserted in
// tests; the only thing the bench asserts is correctness (every release released, one DeleteInstance each).
//
// Environment:
//   BENCH_SIZES       concurrent releases per batch, comma-separated (default 1,16,64)
//   BENCH_DRY_SIZE    concurrent dry runs in the dry-run batch (default: the largest size; 0 skips it)
//   BENCH_N           instances in the simulator's inventory (default: just what the batches need; more makes
//                     every simulated read scan a bigger inventory)
//   BENCH_DELETE_MS   how long an accepted DeleteInstance takes in the simulator (default 0, see DELETE_MS)
//   BENCH_TIMEOUT_MS  hard cap on the whole run, teardown included (default 300000)
//   NODE_OPTIONS=--expose-gc  memory read after a full GC (retained memory, not garbage)
//
// Everything listens on and talks to 127.0.0.1 only; everything started here is stopped here, even on failure.
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startRelease } from '../client/release';
import { SEARCH_ATTRIBUTES } from '../common/temporal';
import type { ReleaseReport } from '../domain/report';
import { dryRunWorkflowId, releaseWorkflowId, type ReleaseRequest } from '../domain/request';
import { parseConfig } from '../providers/config';
import { createAdapters } from '../providers/registry';
import { SimAdminClient } from '../simulators/admin-client';
import { startSimulators, type Fixture, type RunningSimulators } from '../simulators/runtime';
import { sandboxProviderConfig } from '../simulators/sandbox-config';
import { createWorkers } from '../workers';
import { PgAuditStore } from '../audit/pg';
import { createAuditSchema } from './audit-schema';
import { BENCH_REGION, benchFixture, benchInstanceId } from './bench/fixture';
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

const SIZES = (process.env.BENCH_SIZES ?? '1,16,64').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES must list positive integers, got "${s}"`);
  return n;
});
const DRY_SIZE = envInt('BENCH_DRY_SIZE', Math.max(...SIZES));
/** One warm-up release first, so the first measured batch does not pay for cold caches and first polls. */
const WARMUP = 1;
const NEEDED = WARMUP + SIZES.reduce((a, b) => a + b, 0) + DRY_SIZE;
const INVENTORY = Math.max(envInt('BENCH_N', NEEDED), NEEDED);
/**
 * awaitGone polls by retrying with a 1 s initial interval (workflows/proxies.ts): a delete that is not yet
 * visible at the first poll costs a whole second, which would drown the machinery being measured. 0 still
 * goes through the simulator's asynchronous transition (applied at the next request), just without the wait.
 */
const DELETE_MS = envInt('BENCH_DELETE_MS', 0);
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_MS', 300_000);
/** Part of the cap kept back for teardown, so "bounded" holds even when the run itself hits the cap. */
const TEARDOWN_MS = Math.min(30_000, Math.floor(TIMEOUT_MS / 4));

// ------------------------------------------------------------------------------------------ small utilities

class BenchFailure extends Error {}

const noop = () => undefined;

const ms = (start: number) => performance.now() - start;
const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Nearest-rank percentile of an unsorted list. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timed<T>(what: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await what();
  return { value, ms: ms(start) };
}

/** Stops what was started, newest first; each step is attempted even when an earlier one fails. */
class Teardown {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private closed = false;

  push(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
    // Started after the cap already fired (setup still under way): stop it as soon as it exists.
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
  promise.catch(() => undefined); // only observed through the race
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * CPU milliseconds (user + system) a child process has used, from /proc (Linux only; undefined elsewhere).
 * The dev server shares the machine with the workers, so its share of the CPU is half of the bottleneck story.
 */
function childCpuMs(command: string): () => number | undefined {
  const TICK_MS = 10; // USER_HZ is 100 on every mainstream Linux build
  const statOf = (pid: string) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    // Fields after "pid (comm)": state ppid … utime(14th) stime(15th) of the whole line.
    return { comm: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  };
  let pid: string | undefined;
  try {
    pid = readdirSync('/proc').find((p) => {
      if (!/^\d+$/.test(p)) return false;
      try {
        const { comm, fields } = statOf(p);
        return comm === command && fields[1] === String(process.pid);
      } catch {
        return false; // exited meanwhile, or not readable
      }
    });
  } catch {
    pid = undefined; // no /proc
  }
  return () => {
    if (!pid) return undefined;
    try {
      const { fields } = statOf(pid);
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      return undefined;
    }
  };
}

/**
 * With NODE_OPTIONS=--expose-gc, collect before each memory reading: before/after then show what is retained
 * (a leak per workflow) rather than how much garbage happened to be around.
 */
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? noop;

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// ------------------------------------------------------------------------------------------------ the setup

interface Rig {
  client: Client;
  taskQueue: string;
  admin: SimAdminClient;
  /** Rejects if a worker stops on its own: a batch racing it fails at once instead of waiting for the cap. */
  workersStopped: Promise<never>;
  bundle: { ms: number; bytes: number; sourceMapBytes: number };
  serverStartMs: number;
  serverCpuMs: () => number | undefined;
}

const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };

/** The workflow bundle, built once and handed to the workers as code (the workers do not bundle again). */
async function buildBundle() {
  const { value, ms: took } = await timed(() => bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger }));
  // The SDK inlines the source map: most of the bytes every workflow thread loads are not code.
  const mapAt = value.code.lastIndexOf('//# sourceMappingURL=');
  const sourceMapBytes = mapAt < 0 ? 0 : Buffer.byteLength(value.code.slice(mapAt));
  return { code: value.code, ms: took, bytes: Buffer.byteLength(value.code), sourceMapBytes };
}

/** The dev server exactly as the integration tests run it (in memory, same dynamic config and search attributes). */
async function startServer(teardown: Teardown): Promise<{ env: TestWorkflowEnvironment; ms: number }> {
  const path = temporalCliPath();
  const { value: env, ms: took } = await timed(() =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: path ? { type: 'existing-path', path } : undefined,
        ip: HOST,
        searchAttributes: SEARCH_ATTRIBUTES,
        extraArgs: DEV_SERVER_DYNAMIC_CONFIG,
      },
    }),
  );
  teardown.push('Temporal dev server', () => env.teardown());
  return { env, ms: took };
}

async function startSims(teardown: Teardown, fixture: Fixture): Promise<RunningSimulators> {
  const sims = await startSimulators({ host: HOST, fixture });
  teardown.push('simulators', () => sims.close());
  return sims;
}

/** The project's workers, configured the way a deployment is (config file shape, credentials by env var). */
async function startWorkers(teardown: Teardown, env: TestWorkflowEnvironment, sims: RunningSimulators, fixture: Fixture, code: string) {
  const { config, env: credentials } = sandboxProviderConfig(sims.endpoints, fixture);
  const { adapters } = createAdapters(parseConfig(config, 'bench'), credentials);
  const taskQueue = `bench-${randomUUID()}`;
  // Audit records go where production writes them: a PostgreSQL server (the machine's; a schema of this run's own).
  const audit = await createAuditSchema('audit_bench');
  const auditStore = new PgAuditStore(audit.url);
  teardown.push('audit store', async () => {
    await auditStore.close();
    await audit.drop();
  });
  const workers: Worker[] = await createWorkers({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: { adapters, auditStore },
    workflowBundle: { code },
  });
  const running = Promise.all(workers.map((w) => w.run()));
  teardown.push('workers', async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
  });
  const workersStopped = running.then(() => {
    throw new BenchFailure('the workers stopped during the bench');
  });
  workersStopped.catch(() => undefined); // observed through the races below (and teardown)
  return { taskQueue, workersStopped };
}

async function setUp(teardown: Teardown): Promise<Rig> {
  // Built before the server starts: on a small machine both at once would distort the bundle time.
  const bundle = await buildBundle();
  const server = await startServer(teardown);
  const fixture = benchFixture(INVENTORY, { stopMs: 10, deleteMs: DELETE_MS });
  const sims = await startSims(teardown, fixture);
  const { taskQueue, workersStopped } = await startWorkers(teardown, server.env, sims, fixture, bundle.code);
  return {
    client: server.env.client,
    taskQueue,
    admin: new SimAdminClient(sims.endpoints.admin),
    workersStopped,
    bundle: { ms: bundle.ms, bytes: bundle.bytes, sourceMapBytes: bundle.sourceMapBytes },
    serverStartMs: server.ms,
    serverCpuMs: childCpuMs('temporal'),
  };
}

// ------------------------------------------------------------------------------------------------ a batch

interface BatchResult {
  label: string;
  size: number;
  wallMs: number;
  latencies: number[];
  historyEvents: number;
  callsPerWorkflow: number;
  /** CPU ms per workflow: this process (workers, simulators, client) and the dev server. */
  cpuPerWorkflow: { bench: number; server?: number };
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
}

const releaseRequest = (resourceId: string, dryRun: boolean): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: BENCH_REGION,
  resourceId,
  requestedBy: 'bench@platform',
  ticket: 'BENCH-1',
  dryRun,
  backup: { required: false },
});

/**
 * One release, timed from the start call to its result; a failed workflow is an outcome, not a crash.
 * Started the way the product starts them (client/release.ts): the canonical ID, releaseWorkflowId, or the
 * dry run's own ID, with the product's ID policies.
 */
async function runOne(rig: Rig, request: ReleaseRequest): Promise<{ id: string; outcome: string; ms: number }> {
  const id = request.dryRun ? dryRunWorkflowId(request) : releaseWorkflowId(request);
  const start = performance.now();
  try {
    const handle = await startRelease(rig.client, request, rig.taskQueue);
    if (handle.workflowId !== id) throw new BenchFailure(`started as ${handle.workflowId}, not under the canonical ID ${id}`);
    const report: ReleaseReport = await handle.result();
    return { id, outcome: report.outcome, ms: ms(start) };
  } catch (err) {
    return { id, outcome: `error: ${(err as { cause?: Error }).cause?.message ?? String(err)}`, ms: ms(start) };
  }
}

/**
 * The bench's correctness check: every workflow ended as expected and the simulator saw exactly one
 * DeleteInstance per released instance (none for a dry run). The call log was cleared before the batch.
 */
async function verify(rig: Rig, ids: string[], runs: { id: string; outcome: string }[], dryRun: boolean): Promise<number> {
  const expected = dryRun ? 'dry-run' : 'released';
  const wrong = runs.filter((r) => r.outcome !== expected);
  if (wrong.length > 0) {
    throw new BenchFailure(`${wrong.length} workflow(s) did not end as ${expected}, e.g. ${wrong[0].id}: ${wrong[0].outcome}`);
  }
  const calls = await rig.admin.calls({ provider: 'alibaba' });
  const deletes = new Map<string, number>();
  for (const c of calls) if (c.action === 'DeleteInstances') deletes.set(c.target ?? '?', (deletes.get(c.target ?? '?') ?? 0) + 1);
  const want = dryRun ? 0 : 1;
  const off = ids.filter((id) => (deletes.get(id) ?? 0) !== want);
  const strays = [...deletes.keys()].filter((t) => !ids.includes(t));
  if (off.length > 0 || strays.length > 0) {
    const sample = off[0] ?? strays[0];
    throw new BenchFailure(
      `expected ${want} DeleteInstance per instance: ${off.length} instance(s) off, ${strays.length} unexpected target(s), e.g. ${sample} had ${deletes.get(sample) ?? 0}`,
    );
  }
  return calls.length;
}

async function runBatch(rig: Rig, label: string, ids: string[], dryRun: boolean): Promise<BatchResult> {
  await rig.admin.clearCalls();
  collectGarbage();
  const before = process.memoryUsage();
  const cpu0 = { bench: processCpuMs(), server: rig.serverCpuMs() };
  const start = performance.now();
  const runs = await Promise.race([Promise.all(ids.map((id) => runOne(rig, releaseRequest(id, dryRun)))), rig.workersStopped]);
  const wallMs = ms(start);
  const server1 = rig.serverCpuMs();
  const cpuPerWorkflow = {
    bench: (processCpuMs() - cpu0.bench) / ids.length,
    server: server1 === undefined || cpu0.server === undefined ? undefined : (server1 - cpu0.server) / ids.length,
  };
  collectGarbage();
  const after = process.memoryUsage();
  const calls = await verify(rig, ids, runs, dryRun);
  // Every release of a batch takes the same path: one history tells the size of all.
  const history = await rig.client.workflow.getHandle(runs[0].id).fetchHistory();
  return {
    label,
    size: ids.length,
    wallMs,
    latencies: runs.map((r) => r.ms),
    historyEvents: history.events?.length ?? 0,
    callsPerWorkflow: calls / ids.length,
    cpuPerWorkflow,
    before,
    after,
  };
}

// ---------------------------------------------------------------------------------------------- the report

function printTable(results: BatchResult[]): void {
  const header = [
    'batch',
    'wfs',
    'wall s',
    'wf/s',
    'p50 ms',
    'p95 ms',
    'max ms',
    'events/wf',
    'sim calls/wf',
    'CPU ms/wf bench+server',
    'RSS MB before→after',
    'heap MB before→after',
  ];
  const rows = results.map((r) => [
    r.label,
    String(r.size),
    fmt(r.wallMs / 1000, 2),
    fmt(r.size / (r.wallMs / 1000), 1),
    fmt(percentile(r.latencies, 50)),
    fmt(percentile(r.latencies, 95)),
    fmt(Math.max(...r.latencies)),
    String(r.historyEvents),
    fmt(r.callsPerWorkflow, 1),
    `${fmt(r.cpuPerWorkflow.bench)} + ${r.cpuPerWorkflow.server === undefined ? 'n/a' : fmt(r.cpuPerWorkflow.server)}`,
    `${fmt(mb(r.before.rss))} → ${fmt(mb(r.after.rss))}`,
    `${fmt(mb(r.before.heapUsed))} → ${fmt(mb(r.after.heapUsed))}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

function printRatios(releases: BatchResult[], dry: BatchResult | undefined): void {
  const throughput = (r: BatchResult) => r.size / (r.wallMs / 1000);
  const smallest = releases.reduce((a, b) => (b.size < a.size ? b : a));
  const largest = releases.reduce((a, b) => (b.size > a.size ? b : a));
  if (largest !== smallest) {
    console.log(`throughput at ${largest.size} vs at ${smallest.size} concurrent: ×${fmt(throughput(largest) / throughput(smallest), 1)}`);
  }
  const total = releases.reduce((n, r) => n + r.size, 0);
  const rssGrowth = releases[releases.length - 1].after.rss - releases[0].before.rss;
  const gcNote = collectGarbage === noop ? 'no forced GC' : 'after forced GC';
  console.log(
    `RSS growth per release: ${fmt(rssGrowth / 1024 / total, 1)} KiB (${fmt(mb(rssGrowth), 1)} MB over ${total} releases, ${gcNote}; one process holds workers, simulators and client)`,
  );
  if (dry) {
    const same = releases.find((r) => r.size === dry.size);
    if (same) {
      console.log(
        `dry run vs release at ${dry.size} concurrent: p50 ${fmt(percentile(dry.latencies, 50))} vs ${fmt(percentile(same.latencies, 50))} ms, ` +
          `${fmt(throughput(dry), 1)} vs ${fmt(throughput(same), 1)} wf/s, ${dry.historyEvents} vs ${same.historyEvents} events`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------- the run

async function bench(teardown: Teardown): Promise<void> {
  // Everything runs on this machine: a busy neighbour shows up in every number below.
  console.log(
    `host: ${availableParallelism()} CPUs, load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}; node ${process.version}`,
  );
  console.log(
    `bench: sizes ${SIZES.join(', ')}; dry-run batch ${DRY_SIZE}; ${INVENTORY} instances in the simulator; DeleteInstance takes ${DELETE_MS} ms; cap ${TIMEOUT_MS / 1000} s`,
  );
  const rig = await setUp(teardown);
  const { bundle } = rig;
  console.log(
    `workflow bundle: ${fmt(bundle.ms)} ms, ${fmt(bundle.bytes / 1024)} KiB (${fmt((bundle.bytes - bundle.sourceMapBytes) / 1024)} KiB code + ` +
      `${fmt(bundle.sourceMapBytes / 1024)} KiB inline source map); dev server start: ${fmt(rig.serverStartMs)} ms`,
  );

  let next = 1;
  const take = (n: number) => Array.from({ length: n }, () => benchInstanceId(next++));

  await runBatch(rig, 'warm-up', take(WARMUP), false);
  const releases: BatchResult[] = [];
  for (const size of SIZES) releases.push(await runBatch(rig, `release ×${size}`, take(size), false));
  const dry = DRY_SIZE > 0 ? await runBatch(rig, `dry run ×${DRY_SIZE}`, take(DRY_SIZE), true) : undefined;

  console.log('');
  printTable(dry ? [...releases, dry] : releases);
  console.log('');
  printRatios(releases, dry);
  console.log('\nPASS: every release released, exactly one DeleteInstance per instance; no DeleteInstance in the dry runs');
}

async function main(): Promise<number> {
  // The SDK logs every worker state change at INFO; the bench's output is its table. The provider-queue
  // workers run activities only, and say so at WARN once each: expected here, so not printed.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      if (!message.startsWith('No workflows registered')) console.error(`[${level}] ${message}`, meta ?? '');
    }),
  });
  const teardown = new Teardown();
  const cap = deadline(TIMEOUT_MS - TEARDOWN_MS, 'the bench');
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
    // A worker waiting on a stuck activity must not hold the process past the cap.
    const teardownCap = deadline(TEARDOWN_MS, 'teardown');
    await Promise.race([teardown.run(), teardownCap.promise]).catch((err: unknown) => {
      console.error(`FAIL: ${err instanceof Error ? err.message : String(err)}`);
      code = 1;
    });
    teardownCap.cancel();
  }
  return code;
}

void main().then((code) => process.exit(code));
