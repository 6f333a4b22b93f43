// The worker set against a real dev server: a set whose creation fails half-way leaves nothing behind, and a
// worker that fails while running stops the others, its error coming out and the connection closing cleanly.
import { NativeConnection, Worker, type WorkerPlugin } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { providerTaskQueue } from '../../common/temporal';
import { WorkerFailedError, createWorkers, disposeWorkers, installRuntime, runWorkers } from '../../workers';
import { testNamespace } from './harness';

installRuntime('ERROR');
const connect = () => NativeConnection.connect({ address: inject('temporalAddress') });
const workflowBundle = () => ({ codePath: inject('workflowBundlePath') });

describe('the worker set on a real dev server', () => {
  it('when the second worker cannot be created, shuts down the first and throws the real error', async () => {
    const connection = await connect();
    const namespace = testNamespace();
    const taskQueue = `lifecycle-${randomUUID()}`;
    // A worker of this process already on the Huawei queue: the SDK refuses a second one there, so the set's
    // second creation (its first provider worker) fails for real.
    const blocker = await Worker.create({
      connection,
      namespace,
      taskQueue: providerTaskQueue(taskQueue, 'huawei'),
      activities: { noop: () => Promise.resolve() },
    });
    const err = await createWorkers({ connection, namespace, taskQueue, deps: { adapters: {} }, workflowBundle: workflowBundle() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/overlapping|multiple workers/i);
    await disposeWorkers([blocker]);

    // The workflow worker made before the failure is gone: a new set on the very same queue can register (the SDK
    // refuses two workers of one process on a queue), and once it has stopped nothing holds the connection.
    const workers = await createWorkers({ connection, namespace, taskQueue, deps: { adapters: {} }, workflowBundle: workflowBundle() });
    const running = runWorkers(workers);
    workers[0].shutdown();
    await running;
    await expect(connection.close()).resolves.toBeUndefined();
  });

  it('when one running worker fails, the others are shut down and the failing worker’s own error surfaces', async () => {
    const connection = await connect();
    const namespace = testNamespace();
    const taskQueue = `lifecycle-${randomUUID()}`;
    const workers = await createWorkers({ connection, namespace, taskQueue, deps: { adapters: {} }, workflowBundle: workflowBundle() });
    // A real worker that polls for a moment and then fails, as one whose poller hit a fatal error does.
    const fatal = new Error('fatal poll error (simulated)');
    const failsWhileRunning: WorkerPlugin = {
      name: 'fails-while-running',
      runWorker: async (w, next) => {
        const run = next(w);
        await new Promise((r) => setTimeout(r, 500));
        w.shutdown();
        await run;
        throw fatal;
      },
    };
    const failing = await Worker.create({
      connection,
      namespace,
      taskQueue: `${taskQueue}.failing`,
      activities: { noop: () => Promise.resolve() },
      plugins: [failsWhileRunning],
    });

    const started = Date.now();
    const err = await runWorkers([...workers, failing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerFailedError);
    expect((err as WorkerFailedError).cause).toBe(fatal);
    expect((err as Error).message).toBe(`the worker of task queue ${taskQueue}.failing failed: fatal poll error (simulated)`);
    // The others did not keep polling: every one of them has stopped, and the connection closes.
    expect(workers.map((w) => w.getState())).toEqual(['STOPPED', 'STOPPED', 'STOPPED', 'STOPPED']);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expect(connection.close()).resolves.toBeUndefined();
  });
});
