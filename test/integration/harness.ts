// A worker on its own task queue, against the shared dev server (from the global setup) and, when asked,
// simulators of its own: test files run in parallel without sharing state.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../activities';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import type { ReleaseReport } from '../../domain/report';
import { createWorkers } from '../../workers';
import type { releaseResource } from '../../workflows';

export interface Harness {
  client: Client;
  taskQueue: string;
  /** Start a release under its canonical ID (or `workflowId`). */
  start(input: ReleaseRequest | Record<string, unknown>, workflowId?: string): Promise<WorkflowHandle<typeof releaseResource>>;
  /** Stop the workers (as a crash would, minus the crash) and start fresh ones on the same queue. */
  restartWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(deps: ActivityDeps): Promise<Harness> {
  const address = inject('temporalAddress');
  const workflowBundle = { codePath: inject('workflowBundlePath') };
  const taskQueue = `test-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });

  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const launch = async () => {
    workers = await createWorkers({ connection, namespace: 'default', taskQueue, deps, workflowBundle });
    running = Promise.all(workers.map((w) => w.run()));
  };
  const shutdown = async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
  };
  await launch();

  return {
    client,
    taskQueue,
    start: (input, workflowId) =>
      client.workflow.start<typeof releaseResource>('releaseResource', {
        taskQueue,
        workflowId: workflowId ?? releaseWorkflowId(input as ReleaseRequest),
        args: [input as ReleaseRequest],
      }),
    restartWorkers: async () => {
      await shutdown();
      await launch();
    },
    close: async () => {
      await shutdown();
      await connection.close();
      await client.connection.close();
    },
  };
}

export type { ReleaseReport };
