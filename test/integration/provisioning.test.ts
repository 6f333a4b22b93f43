// Search attributes on a namespace that has none (as a real cluster's new namespace): the worker refuses to
// start and says what to run; `npm run temporal:search-attributes` registers them, idempotently; then the worker
// starts. A namespace with one of them under another type is refused with a clear error.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkSearchAttributes, provisionSearchAttributes } from '../../client/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../common/temporal';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

describe('search attribute provisioning on a real dev server', { timeout: 180_000 }, () => {
  let connection: Connection;
  /** The environment of a process pointed at `namespace`, and nothing else of the caller's Temporal or provider settings. */
  const env = (namespace: string) => {
    const e: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_') && !k.startsWith('CLOUD_RELEASE_')));
    return { ...e, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace };
  };

  /** A new namespace with no custom search attributes, usable once the server's namespace cache has it. */
  const freshNamespace = async () => {
    const namespace = `sa-${randomUUID().slice(0, 8)}`;
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await expect
      .poll(
        async () =>
          checkSearchAttributes(connection, namespace).then(
            () => true,
            () => false,
          ),
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    return namespace;
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => connection?.close());

  it('the worker refuses a namespace without them; the command registers them, twice without harm; then the worker starts', async () => {
    const namespace = await freshNamespace();
    expect((await checkSearchAttributes(connection, namespace)).missing.map((k) => k.name)).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name));

    // The worker process: refuses to start, non-zero, naming what is missing and the command.
    const refused = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'worker.ts')], { cwd: ROOT, env: env(namespace) }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(`namespace "${namespace}" lacks search attributes`);
    for (const k of SEARCH_ATTRIBUTES) expect(refused?.stderr).toContain(k.name);
    expect(refused?.stderr).toContain('npm run temporal:search-attributes');

    // The provisioning command, as `npm run temporal:search-attributes` runs it.
    const first = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/search-attributes.ts')], { cwd: ROOT, env: env(namespace) });
    for (const k of SEARCH_ATTRIBUTES) expect(first.stdout).toContain(`registered ${k.name} (KEYWORD)`);
    const second = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/search-attributes.ts')], { cwd: ROOT, env: env(namespace) });
    expect(second.stdout).toContain(`all ${SEARCH_ATTRIBUTES.length} registered`);
    expect(second.stdout).not.toMatch(/registered [A-Z]/);
    const check = await checkSearchAttributes(connection, namespace);
    expect(check.missing).toEqual([]);
    expect(check.present).toHaveLength(SEARCH_ATTRIBUTES.length);

    // Now the worker starts, and stops cleanly on SIGTERM.
    const worker = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'worker.ts')], {
      cwd: ROOT,
      env: { ...env(namespace), CLOUD_RELEASE_WORKFLOW_BUNDLE: inject('workflowBundlePath'), CLOUD_RELEASE_TASK_QUEUE: `prov-${randomUUID()}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    worker.stdout.on('data', (d: Buffer) => (out += d.toString()));
    worker.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toContain('worker: polling');
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a namespace where one of them has another type, registering nothing', async () => {
    const namespace = await freshNamespace();
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { ReleasePhase: 1 /* TEXT */ } });
    await expect(provisionSearchAttributes(connection, namespace)).rejects.toThrow(
      `namespace "${namespace}" has search attributes of the wrong type: ReleasePhase is TEXT, this project needs KEYWORD`,
    );
    const check = await checkSearchAttributes(connection, namespace);
    expect(check.present).toEqual([]);
    expect(check.conflicting.map((c) => c.key.name)).toEqual(['ReleasePhase']);
  });
});
