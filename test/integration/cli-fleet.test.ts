// The CLI's fleet commands (batch, sweep, schedule) end to end, as child processes against the shared dev server
// and this file's simulators. The CLI runs from the sources (bin/cloud-release.js's fallback): no build needed.
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { BatchReleaseInput } from '../../domain/batch';
import { testNamespace, useSimHarness } from './harness';
import { runCli, type Run } from './run-command';

const root = join(__dirname, '..', '..');
const BATCH = join(root, 'examples', 'fleet', 'batch-alibaba-fleet.json');
const POLICY = join(root, 'examples', 'fleet', 'sweep-expired.json');
const DESTRUCTIVE = /^(DeleteInstances?|ReleaseInstance|ReleaseInstanceWithRelated|StopInstances?)$/;

describe('cloud-release batch, sweep and schedule', { timeout: 60_000 }, () => {
  const h = useSimHarness();
  const started: string[] = [];
  afterEach(async () => {
    for (const id of started.splice(0)) {
      const handle = h.client.workflow.getHandle(id);
      if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test cleanup');
    }
  });

  const cli = (args: string[], stdin?: string): Promise<Run> =>
    runCli(args, { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: testNamespace(), CLOUD_RELEASE_TASK_QUEUE: h.taskQueue }, stdin);
  const jsonLines = (r: Run) =>
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const destructiveCalls = async () => (await h.admin.calls()).filter((c) => DESTRUCTIVE.test(c.action));

  it('a dry-run batch over the fleet: start -f, watch to the end (exit 0, counts), show every resource, nothing changed', async () => {
    const id = `fleet-dry-${randomUUID().slice(0, 8)}`;
    started.push(`batch/${id}`);
    // Slow reads, so that the batch still runs when `watch` (a process of its own) starts: a dry run is faster than that.
    await h.admin.injectFault({ provider: 'alibaba', action: 'DescribeInstances', latencyMs: 1_500 });
    const start = await cli(['batch', 'start', '-f', BATCH, '--id', id, '--no-wait']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain(`started batch/${id} (dry run: nothing is changed)`);
    expect(start.stdout).toContain(`follow it with: cloud-release batch watch batch/${id}`);

    const watched = await cli(['batch', 'watch', id, '--interval', '0.2']);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(/^\d\d:\d\d:\d\d (discovering|releasing|finishing): \d+\/\d+ ended, \d+ running, \d+ pending/m);
    expect(watched.stdout).toContain(`batch/${id}: dry run ended, 12 resource(s): dry-run 12`);

    const [shown, shownJson] = await Promise.all([cli(['batch', 'show', `batch/${id}`]), cli(['--json', 'batch', 'show', id])]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^RESOURCE +OUTCOME +WORKFLOW ID +WHY$/m);
    expect(shown.stdout).toMatch(/^i-uf6fleetdecom04 +dry-run +dry-run\/alibaba\/cn-shanghai\/i-uf6fleetdecom04/m);
    const json = JSON.parse(shownJson.stdout) as { result: { total: number; counts: object }; exitCode: number };
    expect(json).toMatchObject({ result: { total: 12, counts: { 'dry-run': 12 } }, exitCode: 0 });
    expect(await destructiveCalls()).toEqual([]);
  });

  it('a bad batch input exits 2 naming each field, and starts nothing', async () => {
    const bad = {
      requestedBy: 'alice@platform',
      ticket: 'CHG-1',
      selector: { provider: 'alibaba', region: 'cn-shanghai' },
      concurrency: { overall: 500 },
      colour: 'red',
    };
    const [r, json] = await Promise.all([
      cli(['batch', 'start', '-f', '-', '--id', 'bad-input'], JSON.stringify(bad)),
      cli(['--json', 'batch', 'start', '-f', '-', '--id', 'bad-input'], '{"ticket":'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid batch input, nothing was started');
    expect(r.stderr).toContain('concurrency.overall: must be a whole number from 1 to 100');
    expect(r.stderr).toMatch(/colour: .*unknown field/);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { exitCode: 2, message: expect.stringContaining('stdin is not valid JSON') } });
    await expect(h.client.workflow.getHandle('batch/bad-input').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('a batch over its safety cap waits (exit 5) for someone other than the requester (exit 8), then for the backups, then releases', async () => {
    const id = `fleet-cap-${randomUUID().slice(0, 8)}`;
    started.push(`batch/${id}`);
    const input: BatchReleaseInput = {
      requestedBy: 'alice@platform',
      ticket: 'CHG-2002',
      targets: ['i-uf6fleetdecom04', 'i-uf6fleetpaygo12'].map((resourceId) => ({
        provider: 'alibaba',
        kind: 'ecs-instance',
        region: 'cn-shanghai',
        resourceId,
      })),
      release: { backup: { required: true, confirmWithin: '1h' } },
      safetyCap: { maxResources: 1 },
    };
    const start = await cli(['batch', 'start', '-f', '-', '--id', id, '--exit-when-waiting', '--interval', '0.2'], JSON.stringify(input));
    expect(start.code, start.stderr).toBe(5);
    expect(start.stdout).toMatch(/waiting for confirmBatch: .*2 .*cap/);
    expect(start.stdout).toContain(`run: cloud-release batch confirm batch/${id} --by <your name, not the requester's>`);
    expect((await cli(['batch', 'show', id])).code).toBe(5);

    const self = await cli(['batch', 'confirm', id, '--by', 'alice@platform']);
    expect(self.code).toBe(8);
    expect(self.stderr).toContain('the requester cannot confirm their own batch');
    const confirmed = await cli(['batch', 'confirm', id, '--by', 'bob@platform']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('confirmed by bob@platform');

    const gate = await cli(['batch', 'watch', id, '--exit-when-waiting', '--interval', '0.2']);
    expect(gate.code, gate.stderr).toBe(5);
    expect(gate.stdout).toContain(`run: cloud-release batch confirm-backup batch/${id} --by <your name> --backup-reference <backup or snapshot ID>`);
    const backup = await cli(['batch', 'confirm-backup', id, '--by', 'bob@platform', '--backup-reference', 'snap-2002']);
    expect(backup.code, backup.stderr).toBe(0);

    const watched = await cli(['--json', 'batch', 'watch', id, '--interval', '0.2']);
    expect(watched.code, watched.stderr).toBe(0);
    const events = jsonLines(watched);
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'end', exitCode: 0, result: { counts: { released: 2 } } });
  });

  it('sweep run -f in report mode lists candidates and exclusions with reasons and releases nothing', async () => {
    started.push('sweep/shanghai-expired');
    const r = await cli(['sweep', 'run', '-f', POLICY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('started sweep/shanghai-expired (report mode: nothing is released)');
    expect(r.stdout).toContain('report mode: nothing was released');
    expect(r.stdout).toMatch(/^ {2}RESOURCE +KIND +OWNER +WHY +PLAN$/m);
    expect(r.stdout).toMatch(/^ {2}i-uf6fleetexpired01 +ecs-instance +data-team +subscription expired.* would /m);
    expect(r.stdout).toMatch(/^ {2}i-uf6fleetprotect07 +ecs-instance +protected by the tag release-protection=true$/m);
    const [shown, missing] = await Promise.all([cli(['--json', 'sweep', 'show', 'shanghai-expired']), cli(['sweep', 'show', 'no-such-sweep'])]);
    expect((JSON.parse(shown.stdout) as { result: { counts: object } }).result.counts).toMatchObject({ candidates: 6, excluded: 2, handedToBatch: 0 });
    expect(await destructiveCalls()).toEqual([]);
    expect(missing.code).toBe(6);
    expect(missing.stderr).toContain('no sweep under workflow ID sweep/no-such-sweep');
  });

  it('schedule create, list, describe, pause, unpause, trigger and delete', async () => {
    const id = `sweep-cli-${randomUUID().slice(0, 8)}`;
    const [both, created] = await Promise.all([
      cli(['schedule', 'create', id, '-f', POLICY, '--cron', '0 2 * * 6', '--every', '24h']),
      cli(['schedule', 'create', id, '-f', POLICY, '--cron', '0 2 * * 6', '--catchup', '2h']),
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give exactly one of --cron and --every');
    expect(created.code, created.stderr).toBe(0);

    const [again, listed, described] = await Promise.all([
      cli(['schedule', 'create', id, '-f', POLICY, '--every', '24h']),
      cli(['--json', 'schedule', 'list']),
      cli(['schedule', 'describe', id]),
    ]);
    expect(again.code).toBe(8);
    expect((JSON.parse(listed.stdout) as { schedules: { scheduleId: string }[] }).schedules.map((s) => s.scheduleId)).toContain(id);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toContain(`${id}: active, cron '0 2 * * SAT' UTC`);
    expect(described.stdout).toContain('overlap SKIP, catch-up window 2h');
    expect(described.stdout).toContain('report sweep shanghai-expired of alibaba cn-shanghai');

    expect((await cli(['schedule', 'pause', id, '--note', 'change freeze'])).code).toBe(0);
    expect((await cli(['schedule', 'describe', id])).stdout).toContain(`${id}: PAUSED (change freeze)`);
    expect((await cli(['schedule', 'unpause', id])).code).toBe(0);
    expect((await cli(['schedule', 'trigger', id])).code).toBe(0);
    // The triggered run is a report sweep: let it end before the schedule goes.
    const schedule = h.client.schedule.getHandle(id);
    await expect.poll(async () => (await schedule.describe()).info.recentActions.length, { timeout: 15_000, interval: 200 }).toBe(1);
    const runId = (await schedule.describe()).info.recentActions[0].action.workflow.workflowId;
    expect(runId).toMatch(/^sweep\/shanghai-expired-/);
    started.push(runId);
    await h.client.workflow.getHandle(runId).result();

    expect((await cli(['schedule', 'delete', id])).code).toBe(0);
    const gone = await cli(['schedule', 'describe', id]);
    expect(gone.code).toBe(6);
    expect(gone.stderr).toContain(`no schedule ${id}`);
  });
});
