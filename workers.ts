// Builds the workers: release workflows on the workflow task queue, provider activities on one queue per
// provider (`<queue>.<provider>`). The providers' request limits are in the adapters (providers/rate-limit.ts).
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { createActivities, type ActivityDeps } from './activities';
import type { HeartbeatRecorder } from './activities/send-fence';
import { PROVIDERS } from './domain/resource';
import { PROVIDER_METRIC_BUCKETS } from './providers/metered';
import { RELEASE_METRIC_BUCKETS } from './workflows/metrics';
import { TASK_QUEUE, providerTaskQueue } from './common/temporal';
import { workflowBundleOptions } from './workflow-bundle';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  /** The activities' dependencies; `heartbeats` defaults to the SDK's AsyncCompletionClient on `connection`. */
  deps: Omit<ActivityDeps, 'heartbeats'> & Partial<Pick<ActivityDeps, 'heartbeats'>>;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * Workflows kept in the worker's cache (each holds its state in memory; an evicted one replays its history at its next
   * task). Default: CLOUD_RELEASE_MAX_CACHED_WORKFLOWS, else DEFAULT_MAX_CACHED_WORKFLOWS.
   */
  maxCachedWorkflows?: number;
  /** More activities on every worker of the set (the bench's floor). */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** The payload codec (common/codec.ts), on every worker of the set: workflow and activity payloads alike. */
  dataConverter?: DataConverter;
}

/**
 * One worker for the workflows, one per provider for its activities. Run them together (`runWorkers`); stop
 * them together. If any of them cannot be created, the ones created before it are shut down (so none keeps a
 * hold on the connection) and the error that stopped the creation is thrown.
 */
export async function createWorkers({
  connection,
  namespace,
  taskQueue = TASK_QUEUE,
  deps,
  workflowBundle,
  maxCachedWorkflows = maxCachedFromEnv(),
  extraActivities,
  dataConverter,
}: WorkerSetup): Promise<Worker[]> {
  const heartbeats = deps.heartbeats ?? serverHeartbeats(connection, namespace, dataConverter);
  const activities = { ...createActivities({ ...deps, heartbeats }), ...extraActivities };
  const { workflowsPath, preloadModules } = workflowBundleOptions();
  const workflowSource = workflowBundle ? { workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules } };
  const workers: Worker[] = [];
  try {
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue,
        dataConverter,
        ...workflowSource,
        maxCachedWorkflows,
        // Every activity is registered here too: the workflows schedule validation, audit records, notifications and
        // batch steering on this queue, and provider calls only on the provider queues.
        activities,
      }),
    );
    for (const provider of PROVIDERS) {
      workers.push(
        await Worker.create({
          connection,
          namespace,
          taskQueue: providerTaskQueue(taskQueue, provider),
          dataConverter,
          activities,
        }),
      );
    }
  } catch (err) {
    await disposeWorkers(workers);
    throw err;
  }
  return workers;
}

/** How long a fenced activity's heartbeat may take before the fence gives up (nothing sent). */
const HEARTBEAT_DEADLINE_MS = 5_000;

/**
 * The destructive activities' heartbeats, recorded with the server and awaited (activities/send-fence.ts): the SDK's
 * AsyncCompletionClient on the worker's own connection, with the workers' payload codec.
 */
function serverHeartbeats(connection: NativeConnection, namespace: string, dataConverter?: DataConverter): HeartbeatRecorder {
  const client = new Client({ connection, namespace, dataConverter }).activity;
  return { heartbeat: (taskToken, details) => connection.withDeadline(Date.now() + HEARTBEAT_DEADLINE_MS, () => client.heartbeat(taskToken, details)) };
}

/**
 * The SDK sizes the cache from the heap limit (about 2,300 workflows with Node's default heap on a large machine), and a
 * cached release holds about 375 KiB of the worker's RSS (its own copy of the workflow modules, the SDK's state and
 * the core's): with 500, 2,000 releases parked at a gate held 588 MiB, with 256 470 MiB (README "Performance"). A
 * release waiting for a person needs no place in it: evicted, it replays its short history when the person answers.
 * 256 holds every release of a 256-wide burst, so a running release is not replayed at each of its tasks.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 256;

function maxCachedFromEnv(): number {
  const raw = process.env.CLOUD_RELEASE_MAX_CACHED_WORKFLOWS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_CACHED_WORKFLOWS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`CLOUD_RELEASE_MAX_CACHED_WORKFLOWS must be a whole number (0 turns the cache off), got "${raw}"`);
  return n;
}

/** A worker of the set failed: its task queue, and its own error as `cause`. */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  constructor(
    readonly taskQueue: string,
    override readonly cause: unknown,
    /** Failures of other workers of the set while they were being stopped (usually consequences of the first). */
    readonly others: { taskQueue: string; error: unknown }[] = [],
  ) {
    super(
      `the worker of task queue ${taskQueue} failed: ${messageOf(cause)}${others.length ? ` (then also: ${others.map((o) => `${o.taskQueue}: ${messageOf(o.error)}`).join('; ')})` : ''}`,
    );
  }
}

/**
 * Run the workers until they stop: on SIGINT/SIGTERM (the SDK's runtime shuts every worker down gracefully),
 * after `shutdown()` on them, or when one of them stops or fails, which shuts the others down too (a process
 * whose workflow worker died must not keep polling the provider queues, nor the reverse). Resolves once every
 * worker has stopped, so the connection can then be closed; rejects with a WorkerFailedError carrying the first
 * failing worker's own error if any failed.
 */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const failures: { taskQueue: string; error: unknown }[] = [];
  const stopOthers = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  await Promise.all(
    workers.map(async (w) => {
      try {
        await w.run();
      } catch (error) {
        failures.push({ taskQueue: w.options.taskQueue, error });
      } finally {
        stopOthers();
      }
    }),
  );
  const [first, ...others] = failures;
  if (first) throw new WorkerFailedError(first.taskQueue, first.error, others);
}

/**
 * Release workers that were created but never run: a created worker holds its connection (which refuses to
 * close while it does) until it has run and shut down, so run each one and stop it at once.
 */
export async function disposeWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      try {
        if (w.getState() === 'INITIALIZED') await w.runUntil(Promise.resolve());
      } catch {
        // Already on the way out because of another error, which is the one to report.
      }
    }),
  );
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Install the SDK runtime with a logger at `level` and, given `metricsAddress` (`host:port`), a Prometheus endpoint
 * there (`/metrics`: the SDK's metrics and the project's, README "Metrics and logs"). Call once, before creating workers.
 */
export function installRuntime(level: LogLevel, { metricsAddress }: { metricsAddress?: string } = {}): void {
  const base = new DefaultLogger(level);
  Runtime.install({
    // Polling's "not yet" failures are BENIGN (logged at DEBUG by the SDK, not counted as errors): no filter here.
    logger: new DefaultLogger(level, (entry) => {
      // Provider workers poll activities only, by design.
      if (entry.message.startsWith('No workflows registered')) return;
      base.log(entry.level, entry.message, entry.meta);
    }),
    telemetryOptions: metricsAddress
      ? { metrics: { prometheus: { bindAddress: metricsAddress, histogramBucketOverrides: { ...PROVIDER_METRIC_BUCKETS, ...RELEASE_METRIC_BUCKETS } } } }
      : undefined,
  });
}
