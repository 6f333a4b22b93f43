// The bench's worker: the product's workers (createWorkers, as worker.ts builds them) in a process of their own,
// so that its CPU and memory are read apart from the simulators and the client. The floor's no-op activities are
// registered beside the product's. Configured by the parent through BENCH_WORKER (JSON) and the credential
// variables the provider configuration names; reports on its IPC channel: `ready`, and its memory after a GC.
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { PgAuditStore } from '../../audit/pg';
import { parseConfig } from '../../providers/config';
import { rateLimitsFromEnv } from '../../providers/rate-limit';
import { createAdapters } from '../../providers/registry';
import { createWorkers, runWorkers } from '../../workers';
import { floorActivities } from './floor-activities';

export interface BenchWorkerConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  bundlePath: string;
  auditDatabaseUrl: string;
  providerConfig: unknown;
  maxCachedWorkflows?: number;
}

export type BenchWorkerMessage = { type: 'ready' } | { type: 'memory'; rssBytes: number; heapUsedBytes: number };

async function main(): Promise<void> {
  const cfg = JSON.parse(process.env.BENCH_WORKER ?? '') as BenchWorkerConfig;
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      if (!message.startsWith('No workflows registered')) console.error(`[worker ${level}] ${message}`, meta ?? '');
    }),
  });
  const limits = rateLimitsFromEnv();
  const { adapters } = createAdapters(parseConfig(cfg.providerConfig, 'bench'), process.env, { limits });
  const connection = await NativeConnection.connect({ address: cfg.address });
  const auditStore = new PgAuditStore(cfg.auditDatabaseUrl);
  const workers = await createWorkers({
    connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    deps: { adapters, auditStore },
    workflowBundle: { codePath: cfg.bundlePath },
    extraActivities: floorActivities,
    maxCachedWorkflows: cfg.maxCachedWorkflows,
  });
  process.on('message', (m: { type?: string }) => {
    if (m.type !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ type: 'memory', rssBytes: rss, heapUsedBytes: heapUsed } satisfies BenchWorkerMessage);
  });
  // The parent closing the channel (it exited, or tears down) stops the workers.
  process.on('disconnect', () => void Runtime.instance().shutdown());
  const running = runWorkers(workers);
  process.send?.({ type: 'ready' } satisfies BenchWorkerMessage);
  try {
    await running;
  } finally {
    await auditStore.close();
    await limits.close();
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
