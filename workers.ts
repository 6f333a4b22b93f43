// Builds the workers: release workflows on the workflow task queue, provider activities on one queue per
// provider (`<queue>.<provider>`) whose rate limit holds across every worker process.
import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { ActivityFailureType } from './common/failure-types';
import { createActivities, type ActivityDeps } from './activities';
import { PROVIDERS, type Provider } from './domain/resource';
import { TASK_QUEUE, providerTaskQueue } from './common/temporal';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  deps: ActivityDeps;
  /** Provider requests per second, for all workers together (task-queue-wide). */
  rateLimits?: Partial<Record<Provider, number>>;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** One worker for the workflows, one per provider for its activities. Run them together; stop them together. */
export async function createWorkers({ connection, namespace, taskQueue = TASK_QUEUE, deps, rateLimits = {}, workflowBundle }: WorkerSetup): Promise<Worker[]> {
  const activities = createActivities(deps);
  const workflowSource = workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('./workflows') };
  const workers = [
    await Worker.create({ connection, namespace, taskQueue, ...workflowSource, activities: { validateRequest: activities.validateRequest } }),
  ];
  for (const provider of PROVIDERS) {
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue: providerTaskQueue(taskQueue, provider),
        activities,
        maxTaskQueueActivitiesPerSecond: rateLimits[provider],
      }),
    );
  }
  return workers;
}

/** Run until SIGINT/SIGTERM (the SDK's runtime shuts every worker down gracefully on those). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}

/**
 * Install the SDK runtime with a logger at `level` that leaves out the expected failures of polling
 * activities (each poll that finds the resource not gone yet "fails" with NotYet by design).
 * Call once, before creating workers.
 */
export function installRuntime(level: LogLevel): void {
  const base = new DefaultLogger(level);
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const error = entry.meta?.error as { type?: string } | undefined;
      if (error?.type === ActivityFailureType.notYet) return;
      // Provider workers poll activities only, by design.
      if (entry.message.startsWith('No workflows registered')) return;
      base.log(entry.level, entry.message, entry.meta);
    }),
  });
}
