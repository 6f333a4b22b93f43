// A worker on its own task queue, against the shared dev server (from the global setup) and, when asked,
// simulators of its own: test files run in parallel without sharing state.
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { temporalCliPath } from '../../scripts/dev-server';
import { namespaceForFile } from './global-setup';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import type { ReleaseReport } from '../../domain/report';
import { isGone, type ExistingPlan, type Plan } from '../../domain/plan';
import { parseConfig } from '../../providers/config';
import { createAdapters } from '../../providers/registry';
import { SimAdminClient } from '../../simulators/admin-client';
import { startSimulators, type Fixture, type RunningSimulators } from '../../simulators/runtime';
import { sandboxProviderConfig } from '../../simulators/sandbox-config';
import { createWorkers, installRuntime, type WorkerSetup } from '../../workers';
import { PgAuditStore } from '../../audit/pg';
import type { releaseResource } from '../../workflows';

export interface Harness {
  client: Client;
  taskQueue: string;
  /** Start a release under its canonical ID (or `workflowId`). */
  start(input: ReleaseRequest | Record<string, unknown>, workflowId?: string): Promise<WorkflowHandle<typeof releaseResource>>;
  /** After each test: terminate what still runs (a failed test leaves none behind); record the others' histories if asked. */
  terminateRunning(): Promise<void>;
  /** Stop the workers (as a crash would, minus the crash) and start fresh ones on the same queue. */
  restartWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(deps: WorkerSetup['deps']): Promise<Harness> {
  installRuntimeOnce();
  const address = inject('temporalAddress');
  const workflowBundle = { codePath: inject('workflowBundlePath') };
  const auditStore = new PgAuditStore(inject('auditDatabaseUrl'), 2);
  const taskQueue = `test-${randomUUID()}`;
  const namespace = testNamespace();
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace });

  let workers: Worker[] = [];
  let running: Promise<unknown> = Promise.resolve();
  const launch = async () => {
    workers = await createWorkers({ connection, namespace, taskQueue, deps: { auditStore, ...deps }, workflowBundle });
    running = Promise.all(workers.map((w) => w.run()));
  };
  const shutdown = async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
  };
  await launch();
  const started: WorkflowHandle<typeof releaseResource>[] = [];

  return {
    client,
    taskQueue,
    start: async (input, workflowId) => {
      const handle = await client.workflow.start<typeof releaseResource>('releaseResource', {
        taskQueue,
        workflowId: workflowId ?? releaseWorkflowId(input as ReleaseRequest),
        args: [input as ReleaseRequest],
      });
      started.push(handle);
      return handle;
    },
    terminateRunning: async () => {
      const test = expect.getState().currentTestName ?? 'unnamed';
      for (const [i, handle] of started.splice(0).entries()) {
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') await handle.terminate('test cleanup');
        else if (process.env.RECORD_HISTORIES) await recordHistory(handle, `${test}${i ? `-${i + 1}` : ''}`);
      }
    },
    restartWorkers: async () => {
      await shutdown();
      await launch();
    },
    close: async () => {
      await shutdown();
      await connection.close();
      await client.connection.close();
      await auditStore.close();
    },
  };
}

export type { ReleaseReport };

/** A release request for an Alibaba ECS instance of the default fixture, from alice, without a backup gate. */
export const ecsRequest = (resourceId: string, ticket: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId,
  requestedBy: 'alice@platform',
  ticket,
  backup: { required: false },
  ...extra,
});

/** The plan of a report about a resource that exists (the tests' releases are of resources that do). */
export function assessed(plan: Plan | undefined): ExistingPlan {
  if (!plan || isGone(plan)) throw new Error(`expected the plan of an existing resource, got ${plan?.outcome ?? 'none'}`);
  return plan;
}

export type SimHarness = Harness & { sims: RunningSimulators; admin: SimAdminClient };

/** The usual lifecycle in a describe block: one harness, simulators reset before each test, leftovers terminated after. */
export function useSimHarness(deps: Omit<WorkerSetup['deps'], 'adapters'> = {}): SimHarness {
  const h = {} as SimHarness;
  beforeAll(async () => {
    Object.assign(h, await startSimHarness(undefined, deps));
  });
  afterAll(async () => h.close?.());
  beforeEach(async () => h.admin.reset());
  afterEach(async () => h.terminateRunning());
  return h;
}

/** A harness whose worker talks to simulators of its own, configured the way a deployment is. */
export async function startSimHarness(fixture?: Fixture, deps: Omit<WorkerSetup['deps'], 'adapters'> = {}): Promise<SimHarness> {
  const sims = await startSimulators({ fixture });
  const { config, env } = sandboxProviderConfig(sims.endpoints, fixture);
  const { adapters } = createAdapters(parseConfig(config, 'test'), env);
  const h = await startHarness({ ...deps, adapters });
  return {
    ...h,
    sims,
    admin: new SimAdminClient(sims.endpoints.admin),
    close: async () => {
      await h.close();
      await sims.close();
    },
  };
}

/** The failure a release ended with: its type, message and the audit report in its details. */
export async function failureOf(result: Promise<unknown>) {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const f = (err as WorkflowFailedError).cause as ApplicationFailure;
  return { type: f.type, message: f.message, report: f.details?.[0] as ReleaseReport };
}

let runtimeInstalled = false;
function installRuntimeOnce() {
  if (!runtimeInstalled) installRuntime('WARN');
  runtimeInstalled = true;
}

/**
 * With RECORD_HISTORIES=1, save a finished workflow's history under test/histories/<folder>/ (releases: their
 * version, `v4`; `batch`, `sweep`) for the replay
 * test (test/integration/replay.test.ts). A recorded history is proof that executions of that version still
 * replay: it is never overwritten (an existing file is kept and the new one skipped). RECORD_HISTORIES_TAG=<tag>
 * records a second set beside the first (`<name>--<tag>.json`) after a change that keeps the version, e.g. `ui`:
 * the activity and timer summaries, which replay ignores but which old and new executions differ by.
 */
export async function recordHistory(handle: WorkflowHandle, name: string, folder = CURRENT_HISTORY_DIR): Promise<void> {
  const dir = join(__dirname, '..', 'histories', folder);
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 90)}${process.env.RECORD_HISTORIES_TAG ? `--${process.env.RECORD_HISTORIES_TAG}` : ''}.json`,
  );
  if (existsSync(file)) return;
  // The CLI's JSON is the format historyFromJSON reads (and what `temporal workflow show -o json` gives users).
  const { stdout: json } = await promisify(execFile)(
    temporalCliPath()!,
    ['workflow', 'show', '--address', inject('temporalAddress'), '--namespace', testNamespace(), '-w', handle.workflowId, '-o', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(file, JSON.stringify({ workflowId: handle.workflowId, history: JSON.parse(json) }) + '\n');
}

/** Where histories of the current workflow version are recorded (those of v1 are the files directly under test/histories/). */
const CURRENT_HISTORY_DIR = 'v4';

/** This test file's own namespace (registered by the global setup). */
export function testNamespace(): string {
  return namespaceForFile(expect.getState().testPath ?? 'unknown');
}
