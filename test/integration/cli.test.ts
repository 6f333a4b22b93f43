// The Web UI's path, through the Temporal CLI: every README example starts with `temporal workflow start`
// (type releaseResource, one JSON input) and, where it asks for a backup, is confirmed with
// `temporal workflow update execute`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { progress, releaseHandle } from '../../client/release';
import { dryRunWorkflowId, releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import { temporalCliPath } from '../../scripts/dev-server';
import { testNamespace, useSimHarness } from './harness';

const examplesDir = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

describe('README examples through the Temporal CLI', () => {
  const h = useSimHarness();
  // Asynchronous on purpose: the worker runs in this process and must keep serving while the CLI waits.
  const cli = async (...args: string[]) => {
    try {
      return (
        await promisify(execFile)(temporalCliPath()!, [...args, '--address', inject('temporalAddress'), '--namespace', testNamespace()], { encoding: 'utf8' })
      ).stdout;
    } catch (err) {
      throw new Error(`temporal ${args.join(' ')}: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
  };

  it.each(examples)('%s', async (file) => {
    const input = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as ReleaseRequest;
    const workflowId = input.dryRun ? dryRunWorkflowId(input) : releaseWorkflowId(input);
    await cli(
      'workflow',
      'start',
      '--type',
      'releaseResource',
      '--task-queue',
      h.taskQueue,
      '--workflow-id',
      workflowId,
      '--input-file',
      join(examplesDir, file),
    );
    const handle = input.dryRun ? h.client.workflow.getHandle(workflowId) : releaseHandle(h.client, input);
    if (input.backup?.required !== false && !input.dryRun) {
      await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
      await cli(
        'workflow',
        'update',
        'execute',
        '--name',
        'confirmBackup',
        '--workflow-id',
        workflowId,
        '--input',
        JSON.stringify({ confirmedBy: 'bob@platform', backupReference: 'backup-job-42' }),
      );
    }
    const report = await handle.result();
    expect(report.outcome).toBe(input.dryRun ? 'dry-run' : 'released');
    // The memo and search attributes the UI lists and filters by.
    const described = await cli('workflow', 'describe', '--workflow-id', workflowId, '-o', 'json');
    expect(described).toContain('"ResourceId"');
    expect(described).toContain(input.resourceId);
  });
});
