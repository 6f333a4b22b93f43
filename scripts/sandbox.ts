// `npm start`: the whole sandbox in the foreground. The Temporal dev server with its Web UI (persisted under
// .sandbox/, or SANDBOX_STATE_DIR, so workflows survive a restart), the project's search attributes, the provider
// simulators, and the worker pointed at them. Ctrl-C stops everything.
//
// Started for speed: the dev server is spawned before the heavy modules load, so it boots on the other core
// meanwhile; the workflow bundle comes from the cache of scripts/build-workflows.ts (bundled again only when its
// sources change); and `npm start` compiles the TypeScript with scripts/register-ts.js rather than tsx.
import type { NativeConnection } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { codecFromEnv } from '../common/codec';
import { SEARCH_ATTRIBUTES, TASK_QUEUE as DEFAULT_TASK_QUEUE } from '../common/temporal';
import { PROVIDERS } from '../domain/resource';
import { DEV_SERVER_DYNAMIC_CONFIG, DEV_SERVER_SQLITE_PRAGMAS, temporalCliPath } from './dev-server';

const HOST = '127.0.0.1';
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TEMPORAL_PORT = port('SANDBOX_TEMPORAL_PORT', 7233);
const UI_PORT = port('SANDBOX_UI_PORT', 8233);
const CODEC_PORT = port('CLOUD_RELEASE_CODEC_PORT', 8888);
const METRICS_PORT = port('SANDBOX_METRICS_PORT', 9464);
const SIM_PORTS = {
  admin: port('SIM_ADMIN_PORT', 18100),
  alibaba: port('SIM_ALIBABA_PORT', 18101),
  baidu: port('SIM_BAIDU_PORT', 18102),
  huawei: port('SIM_HUAWEI_PORT', 18103),
};
/** SANDBOX_STATE_DIR: a sandbox of its own (the start benchmark's), leaving the clone's .sandbox/ alone. */
const STATE_DIR = process.env.SANDBOX_STATE_DIR ? resolve(process.env.SANDBOX_STATE_DIR) : join(__dirname, '..', '.sandbox');
// As client/connection.ts's releaseTaskQueue, without loading the Temporal client before the dev server is spawned.
const TASK_QUEUE = process.env.CLOUD_RELEASE_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE;
/** The CLI's names of the SDK's search attribute types (`--search-attribute Name=Type`). */
const CLI_TYPE = { TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;

/** Seconds since this process started, for the readiness lines (scripts/bench/start.ts waits for them). */
const elapsed = () => `${(performance.now() / 1000).toFixed(1)} s`;
/** Lets pending I/O (the Web UI probe) run between module loads, which block the event loop while they run. */
const turn = () => new Promise<void>((r) => setImmediate(r));

const inUse = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: HOST, port: p });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const answersHttp = (url: string) =>
  new Promise<boolean>((resolve) => {
    const req = get(url, (res) => (res.resume(), resolve(true)));
    req.once('error', () => resolve(false));
    req.setTimeout(1_000, () => req.destroy());
  });

const stops: (() => Promise<unknown> | void)[] = [];
let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nsandbox: stopping…');
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  process.exit(code);
}

/** The dev server answers once its frontend is healthy and the project's search attributes are registered. */
async function waitForTemporal(server: ChildProcess): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  let connection: NativeConnection | undefined;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline && server.exitCode === null; await sleep(20)) {
    try {
      connection ??= await NativeConnection.connect({ address: `${HOST}:${TEMPORAL_PORT}` });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      if (SEARCH_ATTRIBUTES.every((sa) => sa.name in customAttributes)) return connection;
    } catch {
      // not up yet
    }
  }
  await connection?.close();
  throw new Error(
    server.exitCode === null ? 'the Temporal dev server did not answer within 2 minutes' : `the Temporal dev server exited with code ${server.exitCode}`,
  );
}

async function main() {
  const named: [string, number][] = [
    ['Temporal', TEMPORAL_PORT],
    ['Web UI', UI_PORT],
    ['metrics', METRICS_PORT],
    ...Object.entries(SIM_PORTS).map(([k, v]): [string, number] => [`simulator ${k}`, v]),
  ];
  const busy = (await Promise.all(named.map(async ([what, p]) => ((await inUse(p)) ? `${what} port ${p}` : undefined)))).filter(Boolean);
  if (busy.length > 0) {
    console.error(
      `npm start: already in use: ${busy.join(', ')}.\nA sandbox (or another Temporal) is probably running already: use it, or stop it (Ctrl-C in its terminal) first.\nPorts can be changed with SANDBOX_TEMPORAL_PORT, SANDBOX_UI_PORT, SANDBOX_METRICS_PORT and SIM_*_PORT.`,
    );
    process.exit(1);
  }

  mkdirSync(STATE_DIR, { recursive: true });
  const cli = temporalCliPath();
  if (!cli) throw new Error('no Temporal CLI: install one (TEMPORAL_CLI_PATH) or Go, see the README');
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // Payload encryption is opt-in (README "Payload encryption"): with keys, the worker encrypts and the UI decodes
  // through a codec server of the sandbox's own (local, so without a token: the UI passes none over http).
  const codec = codecFromEnv();
  const codecServer =
    codec &&
    (await (
      await import('./codec-server')
    ).startCodecServer({
      codec,
      host: HOST,
      port: CODEC_PORT,
      origins: [`http://localhost:${UI_PORT}`, `http://${HOST}:${UI_PORT}`],
    }));
  if (codecServer) stops.push(() => codecServer.close());

  const server = spawn(
    cli,
    // prettier-ignore
    [
      'server', 'start-dev',
      '--ip', HOST, '--port', String(TEMPORAL_PORT), '--ui-port', String(UI_PORT),
      '--db-filename', join(STATE_DIR, 'temporal.db'),
      '--log-level', 'error',
      ...DEV_SERVER_SQLITE_PRAGMAS,
      ...DEV_SERVER_DYNAMIC_CONFIG,
      ...(codecServer ? ['--ui-codec-endpoint', codecServer.url] : []),
      ...SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', `${sa.name}=${CLI_TYPE[sa.type]}`]),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  );
  server.once('exit', (code) => {
    if (!stopping) {
      console.error(`sandbox: the Temporal dev server stopped (code ${code})`);
      void stopAll(1);
    }
  });
  void (async () => {
    while (server.exitCode === null && !(await answersHttp(`http://${HOST}:${UI_PORT}/`))) await sleep(20);
    if (server.exitCode === null) console.log(`sandbox: Web UI ready at http://localhost:${UI_PORT} after ${elapsed()}`);
  })();

  // While the dev server boots: the SDK runtime (before any connection), the simulators, the bundle, the audit store.
  const { createWorkers, installRuntime, runWorkers } = await import('../workers');
  installRuntime('WARN', { metricsAddress: `${HOST}:${METRICS_PORT}` });
  const temporal = waitForTemporal(server);
  temporal.catch(() => undefined); // awaited below, after the others
  await turn();
  const { cachedWorkflowBundle } = await import('./build-workflows');
  const bundle = cachedWorkflowBundle({ onBuild: () => console.log('sandbox: bundling the workflows (their sources changed since the cached bundle)…') });
  bundle.catch(() => undefined);
  await turn();
  const { startSimulators } = await import('../simulators/runtime');
  const sims = await startSimulators({ host: HOST, ports: SIM_PORTS });
  stops.push(() => sims.close());
  await turn();
  const { auditStoreFromEnv } = await import('../audit/from-env');
  // Audit records go to the embedded PGlite store in the state directory (CLOUD_RELEASE_AUDIT_* override it).
  const auditStore = await auditStoreFromEnv({ ...process.env, CLOUD_RELEASE_AUDIT_DIR: process.env.CLOUD_RELEASE_AUDIT_DIR || join(STATE_DIR, 'audit') });
  stops.push(() => auditStore.close());
  await turn();

  // The worker takes its configuration the way it would in production: a config file and credentials by reference.
  const [{ sandboxProviderConfig }, { parseConfig }, { createAdapters }] = await Promise.all([
    import('../simulators/sandbox-config'),
    import('../providers/config'),
    import('../providers/registry'),
  ]);
  const { config, env } = sandboxProviderConfig(sims.endpoints);
  const configPath = join(STATE_DIR, 'providers.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const { adapters } = createAdapters(parseConfig(config, configPath), { ...process.env, ...env });
  const connection = await temporal;
  stops.push(() => connection.close());
  const workers = await createWorkers({
    connection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: { adapters, auditStore },
    workflowBundle: { code: (await bundle).code },
    dataConverter: codec && { payloadCodecs: [codec] },
  });
  const running = runWorkers(workers);
  stops.push(async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running.catch(() => undefined);
  });
  // A worker that fails takes the others down (runWorkers); then the whole sandbox stops, naming its error.
  running.catch((err: unknown) => {
    if (stopping) return;
    console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
    void stopAll(1);
  });
  const providerQueues = PROVIDERS.map((p) => `.${p}`).join(', ');
  console.log(`sandbox: worker polling on ${TASK_QUEUE} (+ ${providerQueues}) after ${elapsed()}`);

  const stateNote = process.env.SANDBOX_STATE_DIR ? STATE_DIR : '.sandbox';
  console.log(`
sandbox is up
  Temporal gRPC      ${HOST}:${TEMPORAL_PORT}   (namespace default; state in ${join(stateNote, 'temporal.db')})
  Web UI             http://localhost:${UI_PORT}
  worker             task queue ${TASK_QUEUE} (+ ${providerQueues})
  simulators         alibaba ${sims.endpoints.alibaba}  baidu ${sims.endpoints.baidu}  huawei ${sims.endpoints.huawei}
  simulator admin    ${sims.endpoints.admin}/admin/state   (calls: /admin/calls)
  metrics            http://${HOST}:${METRICS_PORT}/metrics   (Prometheus: the SDK's and the project's)
  audit records      ${auditStore.description}
  payloads           ${codecServer ? `encrypted with key "${codec?.activeKeyId}"; codec server ${codecServer.url} (the UI uses it; CLI: --codec-endpoint ${codecServer.url})` : 'not encrypted (CLOUD_RELEASE_CODEC_KEYS unset)'}

Start a release: Web UI → Start Workflow (http://localhost:${UI_PORT}/namespaces/default/workflows/start-workflow),
workflow type releaseResource, task queue ${TASK_QUEUE}, one JSON input (examples in the README), or:
  temporal workflow start --type releaseResource --task-queue ${TASK_QUEUE} \\
    --workflow-id release/alibaba/cn-hangzhou/i-bp1stoppedpaygo01 --input-file examples/alibaba-ecs.json
(the Temporal CLI used here: ${cli})
Ctrl-C stops everything.`);
  await running.catch(() => undefined); // reported above
}

main().catch(async (err: unknown) => {
  console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
  await stopAll(1);
});
