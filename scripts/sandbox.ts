// `npm start`: the whole sandbox in the foreground. The Temporal dev server with its Web UI (persisted under
// .sandbox/, so workflows survive a restart), the project's search attributes, the provider simulators, and
// the worker pointed at them. Ctrl-C stops everything.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { auditStoreFromEnv } from '../audit/from-env';
import { releaseTaskQueue } from '../client/connection';
import { codecFromEnv } from '../common/codec';
import { SEARCH_ATTRIBUTES } from '../common/temporal';
import { createAdapters } from '../providers/registry';
import { parseConfig } from '../providers/config';
import { startSimulators, type RunningSimulators } from '../simulators/runtime';
import { sandboxProviderConfig } from '../simulators/sandbox-config';
import { createWorkers, installRuntime, runWorkers } from '../workers';
import { startCodecServer } from './codec-server';
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
const STATE_DIR = join(__dirname, '..', '.sandbox');
const TASK_QUEUE = releaseTaskQueue();
/** The CLI's names of the SDK's search attribute types (`--search-attribute Name=Type`). */
const CLI_TYPE = { TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;

const inUse = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: HOST, port: p });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function waitForTemporal(server: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${server.exitCode}`);
    try {
      const connection = await Connection.connect({ address: `${HOST}:${TEMPORAL_PORT}`, connectTimeout: 1_000 });
      await new Client({ connection }).workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('the Temporal dev server did not answer within 2 minutes');
}

async function main() {
  const busy = [];
  for (const [what, p] of [
    ['Temporal', TEMPORAL_PORT],
    ['Web UI', UI_PORT],
    ['metrics', METRICS_PORT],
    ...Object.entries(SIM_PORTS).map(([k, v]) => [`simulator ${k}`, v] as const),
  ] as const) {
    if (await inUse(p)) busy.push(`${what} port ${p}`);
  }
  if (busy.length > 0) {
    console.error(
      `npm start: already in use: ${busy.join(', ')}.\nA sandbox (or another Temporal) is probably running already: use it, or stop it (Ctrl-C in its terminal) first.\nPorts can be changed with SANDBOX_TEMPORAL_PORT, SANDBOX_UI_PORT, SANDBOX_METRICS_PORT and SIM_*_PORT.`,
    );
    process.exit(1);
  }

  installRuntime('WARN', { metricsAddress: `${HOST}:${METRICS_PORT}` });
  mkdirSync(STATE_DIR, { recursive: true });
  const cli = temporalCliPath();
  if (!cli) throw new Error('no Temporal CLI: install one (TEMPORAL_CLI_PATH) or Go, see the README');

  const stops: (() => Promise<unknown> | void)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nsandbox: stopping…');
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // Payload encryption is opt-in (README "Payload encryption"): with keys, the worker encrypts and the UI decodes
  // through a codec server of the sandbox's own (local, so without a token: the UI passes none over http).
  const codec = codecFromEnv();
  const codecServer =
    codec && (await startCodecServer({ codec, host: HOST, port: CODEC_PORT, origins: [`http://localhost:${UI_PORT}`, `http://${HOST}:${UI_PORT}`] }));
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
  await waitForTemporal(server);

  const sims: RunningSimulators = await startSimulators({ host: HOST, ports: SIM_PORTS });
  stops.push(() => sims.close());

  // The worker takes its configuration the way it would in production: a config file and credentials by reference.
  const { config, env } = sandboxProviderConfig(sims.endpoints);
  const configPath = join(STATE_DIR, 'providers.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const { adapters } = createAdapters(parseConfig(config, configPath), { ...process.env, ...env });
  // Audit records go to the embedded PGlite store in .sandbox/audit (CLOUD_RELEASE_AUDIT_* override it).
  const auditStore = await auditStoreFromEnv();
  stops.push(() => auditStore.close());
  const connection = await NativeConnection.connect({ address: `${HOST}:${TEMPORAL_PORT}` });
  const workers = await createWorkers({
    connection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    deps: { adapters, auditStore },
    dataConverter: codec && { payloadCodecs: [codec] },
  });
  const running = runWorkers(workers);
  stops.push(async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  });
  // A worker that fails takes the others down (runWorkers); then the whole sandbox stops, naming its error.
  running.catch((err: unknown) => {
    if (stopping) return;
    console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
    void stopAll(1);
  });

  console.log(`
sandbox is up
  Temporal gRPC      ${HOST}:${TEMPORAL_PORT}   (namespace default; state in .sandbox/temporal.db)
  Web UI             http://localhost:${UI_PORT}
  worker             task queue ${TASK_QUEUE} (+ ${TASK_QUEUE}.alibaba, .baidu, .huawei)
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

main().catch((err) => {
  console.error(`sandbox: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
