// How long `npm start` takes: from spawning it to the Web UI answering HTTP, and to the worker polling (the
// sandbox's `worker polling on` line). The sandbox runs on free ports of its own and in a temporary state
// directory (SANDBOX_STATE_DIR), so a sandbox already running and the clone's .sandbox/ are left alone.
// One unmeasured start first (it may build the Temporal CLI or the workflow bundle), then the median of `runs`,
// each a restart on that state as a user's second `npm start` is. `npx tsx scripts/bench/start.ts [runs]`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = join(__dirname, '..', '..');
const HOST = '127.0.0.1';
/** The first start may build the Temporal CLI (minutes) and the workflow bundle; a measured one is seconds. */
const WARM_TIMEOUT_MS = 600_000;
const RUN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface StartRun {
  /** From spawning `npm start` to the Web UI answering HTTP. */
  uiReadyMs: number;
  /** From spawning `npm start` to its `worker polling on` line. */
  workerPollingMs: number;
  /** From Ctrl-C (SIGINT to its process group) to every process of it gone. */
  stopMs: number;
  /** The workflow sources had changed since the cached bundle: this start bundled them (seconds more). */
  bundled: boolean;
}

export interface StartFigures {
  /** Medians over `runs`. */
  uiReadyMs: number;
  workerPollingMs: number;
  runs: StartRun[];
}

/** The start of the ephemeral range, where the dev server picks its internal ports (history, matching, metrics…). */
function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

const listening = (port: number) =>
  new Promise<Server | undefined>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, HOST, () => resolve(server));
  });

/**
 * `count` consecutive free ports below the ephemeral range: ports the system hands out (port 0) could be the ones the
 * dev server picks for itself a moment later, and then one of the two fails to bind.
 */
async function freePorts(count: number): Promise<number[]> {
  const high = ephemeralLow() - count;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (high - 10_000));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const held = await Promise.all(ports.map(listening));
    await Promise.all(held.filter((s) => s !== undefined).map((s) => new Promise((resolve) => s.close(resolve))));
    if (held.every(Boolean)) return ports;
  }
  throw new Error(`no ${count} consecutive free ports below ${high + count}`);
}

const answersHttp = (url: string) =>
  new Promise<boolean>((resolve) => {
    const req = get(url, (res) => (res.resume(), resolve(true)));
    req.once('error', () => resolve(false));
    req.setTimeout(1_000, () => req.destroy());
  });

/** Whether any process of the group is left. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ctrl-C as a terminal sends it (SIGINT to the whole group), then SIGKILL to what is left after STOP_TIMEOUT_MS. */
async function stop(child: ChildProcess): Promise<number> {
  const t0 = performance.now();
  const pgid = child.pid!;
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGINT');
  for (const deadline = Date.now() + STOP_TIMEOUT_MS; groupAlive(pgid); await sleep(20)) {
    if (Date.now() > deadline) {
      process.kill(-pgid, 'SIGKILL');
      throw new Error(`npm start did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGINT: killed`);
    }
  }
  return performance.now() - t0;
}

async function startOnce(stateDir: string, timeoutMs: number): Promise<StartRun> {
  const [temporal, ui, metrics, admin, alibaba, baidu, huawei, codec] = await freePorts(8);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SANDBOX_STATE_DIR: stateDir,
    CLOUD_RELEASE_AUDIT_DIR: join(stateDir, 'audit'),
    SANDBOX_TEMPORAL_PORT: String(temporal),
    SANDBOX_UI_PORT: String(ui),
    SANDBOX_METRICS_PORT: String(metrics),
    SIM_ADMIN_PORT: String(admin),
    SIM_ALIBABA_PORT: String(alibaba),
    SIM_BAIDU_PORT: String(baidu),
    SIM_HUAWEI_PORT: String(huawei),
    CLOUD_RELEASE_CODEC_PORT: String(codec),
  };
  // Never the user's audit database or switch: the records of this sandbox stay in its state directory.
  delete env.CLOUD_RELEASE_AUDIT_DATABASE_URL;
  delete env.CLOUD_RELEASE_AUDIT;

  const t0 = performance.now();
  // Its own process group: stopped as a whole, as Ctrl-C stops the foreground group.
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let workerPollingMs: number | undefined;
  let uiReadyMs: number | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (workerPollingMs === undefined && /worker polling on /.test(output)) workerPollingMs = performance.now() - t0;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  try {
    for (const deadline = t0 + timeoutMs; uiReadyMs === undefined || workerPollingMs === undefined; await sleep(10)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`npm start exited early (${child.exitCode ?? child.signalCode}):\n${output.slice(-2000)}`);
      if (performance.now() > deadline) throw new Error(`npm start was not ready within ${timeoutMs / 1000} s:\n${output.slice(-2000)}`);
      if (uiReadyMs === undefined && (await answersHttp(`http://${HOST}:${ui}/`))) uiReadyMs = performance.now() - t0;
    }
  } catch (err) {
    await stop(child).catch(() => undefined);
    throw err;
  }
  const stopMs = await stop(child);
  await exited;
  return { uiReadyMs, workerPollingMs, stopMs, bundled: /bundling the workflows/.test(output) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `npm start` to UI ready and to worker polling: medians of `runs` (default 3) after one unmeasured start. */
export async function measureStart(opts: { runs?: number } = {}): Promise<StartFigures> {
  const runs = opts.runs ?? 3;
  const stateDir = mkdtempSync(join(tmpdir(), 'cloud-release-start-'));
  try {
    await startOnce(stateDir, WARM_TIMEOUT_MS);
    const measured: StartRun[] = [];
    for (let i = 0; i < runs; i++) measured.push(await startOnce(stateDir, RUN_TIMEOUT_MS));
    return {
      uiReadyMs: Math.round(median(measured.map((r) => r.uiReadyMs))),
      workerPollingMs: Math.round(median(measured.map((r) => r.workerPollingMs))),
      runs: measured.map((r) => ({ ...r, uiReadyMs: Math.round(r.uiReadyMs), workerPollingMs: Math.round(r.workerPollingMs), stopMs: Math.round(r.stopMs) })),
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  measureStart({ runs: process.argv[2] ? Number(process.argv[2]) : undefined }).then(
    (figures) => {
      for (const [i, r] of figures.runs.entries())
        console.log(
          `run ${i + 1}: UI ready ${r.uiReadyMs} ms, worker polling ${r.workerPollingMs} ms, stop ${r.stopMs} ms${r.bundled ? ' (bundled the workflows)' : ''}`,
        );
      console.log(`npm start → UI ready ${figures.uiReadyMs} ms, → worker polling ${figures.workerPollingMs} ms (medians of ${figures.runs.length})`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
