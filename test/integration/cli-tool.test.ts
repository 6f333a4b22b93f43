// The project's CLI (bin/cloud-release.js) end to end, as a child process against the shared dev server, and
// the example service through the package's own entry point (`cloud-release`, built to dist/).
import { WorkflowNotFoundError } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { releaseWorkflowId } from '../../domain/request';
import { testNamespace, useSimHarness } from './harness';
import { runCommand } from './run-command';

const root = join(__dirname, '..', '..');
const example = (name: string) => join(root, 'examples', name);
const ALIBABA = JSON.parse(readFileSync(example('alibaba-ecs.json'), 'utf8')) as Record<string, unknown>;

describe('cloud-release CLI', () => {
  const h = useSimHarness();
  const env = () => ({
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: testNamespace(),
    CLOUD_RELEASE_TASK_QUEUE: h.taskQueue,
  });
  const cli = (args: string[], stdin?: string) => runCommand(process.execPath, [join(root, 'bin', 'cloud-release.js'), ...args], env(), stdin);
  const absent = async (workflowId: string) => expect(h.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  beforeAll(async () => {
    // The bin and the example run what `npm run build` made: build it from the sources under test.
    const build = await runCommand('npm', ['run', 'build'], process.env);
    expect(build.code, build.stdout + build.stderr).toBe(0);
  });

  it('plan prints what is deleted, kept and why, and changes nothing', async () => {
    const r = await cli(['plan', '--input-file', example('alibaba-ecs.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ITEM +ID +FATE +WHY$/m);
    expect(r.stdout).toMatch(/^resource +i-bp1stoppedpaygo01 +deleted/m);
    expect(r.stdout).toMatch(/^data disk +d-bp1stopped01dat2 +kept +\S/m);
    expect(r.stdout).toContain('needs: a backup confirmation');
    await absent(releaseWorkflowId(ALIBABA as never));

    const json = await cli(['--json', 'plan', '--input', JSON.stringify(ALIBABA)]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ workflowId: 'dry-run/alibaba/cn-hangzhou/i-bp1stoppedpaygo01', outcome: 'dry-run', report: { plan: { outcome: 'proceed' } } });
  });

  it('release waits for the backup confirmation (exit 5), is listed, confirmed, watched to the end and shown', async () => {
    const requester = 'cli-tool@platform';
    const id = 'release/alibaba/cn-hangzhou/i-bp1stoppedpaygo01';
    const started = await cli(['release', '-f', example('alibaba-ecs.json'), '--requested-by', requester, '--exit-when-waiting', '--interval', '0.2']);
    expect(started.code, started.stderr).toBe(5);
    expect(started.stdout).toContain(`started ${id}`);
    expect(started.stdout).toContain('confirm: waiting for confirmBackup');
    expect(started.stdout).toContain(`run: cloud-release confirm ${id} --by <your name> --backup-reference <backup or snapshot ID>`);

    // A second start joins the running release.
    const joined = await cli(['release', '-f', example('alibaba-ecs.json'), '--no-wait']);
    expect(joined.code).toBe(0);
    expect(joined.stdout).toContain(`joined the running release ${id} (requested by ${requester})`);

    const shown = await cli(['show', 'alibaba/cn-hangzhou/i-bp1stoppedpaygo01']);
    expect(shown.code).toBe(5);
    expect(shown.stdout).toContain('phase confirm');

    await expect
      .poll(
        async () => {
          const r = await cli(['--json', 'list', '--requester', requester, '--waiting']);
          return (JSON.parse(r.stdout) as { releases: { workflowId: string }[] }).releases.map((w) => w.workflowId);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toEqual([id]);
    const listed = await cli(['list', '--provider', 'alibaba', '--requester', requester]);
    expect(listed.stdout).toMatch(new RegExp(`^${id} +RUNNING +confirm +${requester}`, 'm'));

    const badConfirm = await cli(['confirm', id, '--by', ' ', '--backup-reference', 'snap-1']);
    expect(badConfirm.code).toBe(2);
    expect(badConfirm.stderr).toMatch(/confirmedBy: .*\(--by\)/);

    const confirmed = await cli(['confirm', id, '--by', 'bob@platform', '--backup-reference', 'snap-123']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('backup given by bob@platform');

    const watched = await cli(['--json', 'watch', id, '--interval', '0.2']);
    expect(watched.code, watched.stderr).toBe(0);
    const events = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; phase?: string; outcome?: string });
    expect(events.at(-1)).toMatchObject({ event: 'end', outcome: 'released', exitCode: 0 });
    expect(events.slice(0, -1).every((e) => e.event === 'phase' && e.phase)).toBe(true);

    const report = await cli(['show', id]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(`${id}: released`);
    expect(report.stdout).toMatch(/^ {2}backup by bob@platform at .*snap-123/m);
    expect(report.stdout).toMatch(/^deleted:$/m);
    const reportJson = JSON.parse((await cli(['show', id, '--json'])).stdout);
    expect(reportJson).toMatchObject({ status: 'COMPLETED', report: { outcome: 'released', requestedBy: requester } });

    // Released once: not started again.
    const again = await cli(['release', '-f', example('alibaba-ecs.json')]);
    expect(again.code).toBe(8);
    expect(again.stderr).toContain('already succeeded');
  });

  it('a blocked release exits 3 with the reason', async () => {
    const r = await cli(
      ['release', '--provider', 'alibaba', '--kind', 'ecs-instance', '--region', 'cn-hangzhou', '--id', 'i-bp1protected05'].concat([
        '--requested-by',
        'alice@platform',
        '--ticket',
        'CHG-9',
        '--no-backup',
      ]),
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/blocked \(ReleaseBlocked\): release blocked: .*protection/i);
  });

  // A resource no other test here releases: nothing may exist under its IDs afterwards.
  const UNTOUCHED = { ...ALIBABA, resourceId: 'i-bp1runningpaygo02' };
  const input = (o: Record<string, unknown>) => ['--input', JSON.stringify(o)];
  it.each([
    ['a missing field', input({ ...UNTOUCHED, ticket: undefined }), 'ticket: ticket is required (--ticket)'],
    ['a bad ID', [...input(UNTOUCHED), '--id', 'I-BP1UPPER'], 'resourceId: resourceId of a ecs-instance must be i- followed by lower-case'],
    ['an unknown field', input({ ...UNTOUCHED, colour: 'red' }), 'colour: unknown field'],
    ['a wrong type', input({ ...UNTOUCHED, backup: { required: 'yes' } }), 'backup.required: backup.required must be true or false, got a string'],
    ['a bad flag value', [...input(UNTOUCHED), '--drain-failure-budget', 'many'], 'drain.failureBudget: drain.failureBudget must be a whole number'],
    ['invalid JSON', ['--input', '{"provider":'], '--input is not valid JSON'],
  ])('%s: field-level errors, exit 2, nothing started', async (_what, args, error) => {
    for (const command of ['release', 'plan']) {
      const r = await cli([command, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(error);
      expect(r.stdout).toBe('');
    }
    const json = await cli(['--json', 'release', ...args]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { exitCode: 2 } });
    for (const id of ['i-bp1runningpaygo02', 'I-BP1UPPER']) {
      await absent(`release/alibaba/cn-hangzhou/${id}`);
      await absent(`dry-run/alibaba/cn-hangzhou/${id}`);
    }
  });

  it('an unknown release exits 6 naming the canonical ID it looked for', async () => {
    const r = await cli(['watch', 'alibaba/cn-hangzhou/i-nosuch']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('no release under workflow ID release/alibaba/cn-hangzhou/i-nosuch (the canonical ID of alibaba/cn-hangzhou/i-nosuch');
  });

  it('the example service type-checks against the built package and plans a release through it', async () => {
    const tsc = await runCommand(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'examples', 'service')],
      process.env,
    );
    expect(tsc.code, tsc.stdout).toBe(0);
    const r = await runCommand(
      process.execPath,
      ['--import', 'tsx', join(root, 'examples', 'service', 'plan-release.ts'), example('huawei-modelarts-rack.json')],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ workflowId: 'dry-run/huawei/cn-southwest-2/a0000001-0000-4000-8000-000000000001', outcome: 'dry-run' });
  });
});
