// One real Temporal dev server and one workflow bundle for the whole integration run.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readdirSync } from 'node:fs';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { SEARCH_ATTRIBUTES } from '../../common/temporal';
import { createAuditSchema } from '../../scripts/audit-schema';
import { DEV_SERVER_DYNAMIC_CONFIG, temporalCliPath } from '../../scripts/dev-server';
import { freePort } from '../../scripts/faults/support';
import { workflowBundleOptions } from '../../workflow-bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** host:port of the dev server's Web UI (test/integration/web-ui.test.ts drives it in a browser). */
    temporalUiAddress: string;
    workflowBundlePath: string;
    /** The audit store of this run: a schema of its own on the machine's PostgreSQL (scripts/audit-schema.ts). */
    auditDatabaseUrl: string;
  }
}

/**
 * One namespace per test file: workflow IDs are per namespace, and a release's ID is its resource's, so
 * files releasing the same simulated resource must not see each other's releases.
 */
export function namespaceForFile(testPath: string): string {
  return `test-${basename(testPath).replace(/\.test\.ts$/, '')}`;
}

export default async function setup(project: TestProject) {
  const path = temporalCliPath();
  const uiPort = await freePort();
  const [env, bundle] = await Promise.all([
    startDevServer(
      {
        server: {
          executable: path ? { type: 'existing-path', path } : undefined,
          searchAttributes: SEARCH_ATTRIBUTES,
          ui: true,
          uiPort,
          extraArgs: [
            ...DEV_SERVER_DYNAMIC_CONFIG,
            ...readdirSync(__dirname)
              .filter((f) => f.endsWith('.test.ts'))
              .flatMap((f) => ['--namespace', namespaceForFile(f)]),
          ],
        },
      },
      3,
    ),
    bundleWorkflowCode({ ...workflowBundleOptions(), logger: quietLogger }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'cloud-release-bundle-'));
  const workflowBundlePath = join(dir, 'workflows.js');
  writeFileSync(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', env.address);
  project.provide('temporalUiAddress', `127.0.0.1:${uiPort}`);
  project.provide('workflowBundlePath', workflowBundlePath);
  const audit = await createAuditSchema('audit_tests');
  project.provide('auditDatabaseUrl', audit.url);
  // Worker processes the tests spawn (they inherit this environment) write there too, never to the sandbox's store.
  process.env.CLOUD_RELEASE_AUDIT_DATABASE_URL = audit.url;
  return async () => {
    await audit.drop();
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The SDK gives the dev server 5 seconds to answer; on a loaded 2-core machine (the bundle is built beside it, a
 * dozen namespaces are registered) it sometimes needs more: try again before failing the whole run.
 */
async function startDevServer(options: Parameters<typeof TestWorkflowEnvironment.createLocal>[0], attempts: number): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createLocal(options);
    } catch (err) {
      if (attempt >= attempts) throw err;
      console.warn(`global setup: the dev server did not start (${err instanceof Error ? err.message.slice(0, 120) : String(err)}); trying again`);
    }
  }
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
