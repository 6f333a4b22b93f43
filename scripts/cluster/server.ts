// The Temporal server itself (not the dev server): one process running all four services, on PostgreSQL for both
// persistence and visibility, on free ports of 127.0.0.1. Killed with SIGKILL and started again on the same
// databases and ports, as a crashed cluster node comes back.
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { messageOf, sleep } from '../faults/support';
import { DATABASES, type Postgres } from './postgres';

const HOST = '127.0.0.1';
const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
/** The config file is <root>/config/<ENV>.yaml (the server's loader: base.yaml, then <env>.yaml). */
const ENV = 'cluster';

/**
 * A free port in 20000-32767. Below 32768 for two reasons: the SQL schema keeps a member's port in a SMALLINT
 * (cluster_membership.rpc_port), and Linux hands out outgoing connections' ports from 32768 up, so one of those
 * cannot take a port the server must listen on again after a restart.
 */
async function freeServerPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, HOST, () => srv.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port in 20000-32767 on 127.0.0.1 for the Temporal server');
}

/** JSON is YAML: the config is written as JSON, so no YAML library is needed. */
function serverConfig(pg: Postgres, ports: Record<(typeof SERVICES)[number], { grpc: number; membership: number }>, dynamicConfig: string) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: { 'postgres-default': store(DATABASES.default, 20), 'postgres-visibility': store(DATABASES.visibility, 4) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: HOST } },
    services: Object.fromEntries(SERVICES.map((s) => [s, { rpc: { grpcPort: ports[s].grpc, membershipPort: ports[s].membership, bindOnLocalHost: true } }])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${HOST}:${ports.frontend.grpc}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    publicClient: { hostPort: `${HOST}:${ports.frontend.grpc}` },
    dynamicConfigClient: { filepath: dynamicConfig, pollInterval: '10s' },
  };
}

/**
 * One task-queue partition, as the dev server runs here (scripts/dev-server.ts): two workers on a 2-core machine
 * pick tasks up without waiting on empty partitions.
 */
const DYNAMIC_CONFIG = {
  'matching.numTaskqueueReadPartitions': [{ value: 1 }],
  'matching.numTaskqueueWritePartitions': [{ value: 1 }],
};

export class TemporalServer {
  restarts = 0;
  private proc?: ChildProcess;

  private constructor(
    private readonly binary: string,
    private readonly root: string,
    readonly address: string,
  ) {}

  get logPath(): string {
    return join(this.root, 'temporal-server.log');
  }

  /** Writes the config under `root` (ports picked once: a restart listens where the first start did). */
  static async configure(binary: string, root: string, pg: Postgres): Promise<TemporalServer> {
    const ports = {} as Record<(typeof SERVICES)[number], { grpc: number; membership: number }>;
    const taken = new Set<number>();
    for (const s of SERVICES) ports[s] = { grpc: await freeServerPort(taken), membership: await freeServerPort(taken) };
    mkdirSync(join(root, 'config'), { recursive: true });
    const dynamicConfig = join(root, 'dynamicconfig.yaml');
    writeFileSync(dynamicConfig, JSON.stringify(DYNAMIC_CONFIG, null, 2));
    writeFileSync(join(root, 'config', `${ENV}.yaml`), JSON.stringify(serverConfig(pg, ports, dynamicConfig), null, 2));
    return new TemporalServer(binary, root, `${HOST}:${ports.frontend.grpc}`);
  }

  /** Starts the server and waits until its frontend answers (bounded). */
  async start(timeoutMs = 60_000): Promise<void> {
    const log = openSync(this.logPath, 'a');
    const proc = spawn(this.binary, ['--root', this.root, '--config', 'config', '--env', ENV, '--allow-no-auth', 'start'], { stdio: ['ignore', log, log] });
    closeSync(log);
    this.proc = proc;
    const until = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < until) {
      if (proc.exitCode !== null) throw new Error(`the Temporal server exited with code ${proc.exitCode}; the end of its log:\n${this.logTail()}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        try {
          await new Client({ connection }).workflowService.getSystemInfo({});
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        last = messageOf(err);
        await sleep(250);
      }
    }
    throw new Error(`the Temporal server did not answer on ${this.address} within ${timeoutMs / 1000}s (${last}); the end of its log:\n${this.logTail()}`);
  }

  /** The last lines of the log, for errors (the run's directory is removed on exit). */
  logTail(lines = 5): string {
    return readFileSync(this.logPath, 'utf8')
      .trim()
      .split('\n')
      .slice(-lines)
      .map((l) => l.slice(0, 400))
      .join('\n');
  }

  /** SIGKILL, as a crashed node: nothing is flushed, no member leaves the ring politely. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.restarts++;
    await this.start();
  }

  /** Synchronous, for an emergency exit. */
  killNow(): void {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}
