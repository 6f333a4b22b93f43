// batchRelease end to end on the real dev server against the simulators: the fleet in Alibaba cn-shanghai and
// Baidu bj. The simulators are the witness: what the batch reports released is gone, nothing else changed, and
// no resource saw more than one destructive call.
import { afterEach, describe, expect, it } from 'vitest';
import { SA } from '../../common/temporal';
import {
  approveBatchOverride,
  batchProgress,
  cancelBatch,
  confirmBatch,
  confirmBatchBackup,
  pauseBatch,
  resumeBatch,
  startBatch,
  type BatchHandle,
} from '../../client/batch';
import { confirmBackup, progress, releaseHandle, startRelease } from '../../client/release';
import type { BatchLine, BatchReleaseInput, BatchResult, BatchTarget } from '../../domain/batch';
import type { ReleaseReport } from '../../domain/report';
import { releaseWorkflowId } from '../../domain/request';
import { recordHistory, useSimHarness } from './harness';
import { defaultFixture, type Fixture } from '../../simulators/runtime';
import { expectStateMatchesReport, inventory } from './witness';

/**
 * A release that succeeded is never started again under its resource's ID, and the namespace outlives the
 * simulators' reset: each test gets the fleet under IDs of its own (`i-uf6<tag>fleet…`, `i-<tag>flt…`).
 */
let tag = '';
const fleet = (next: string) => {
  tag = next;
  return JSON.parse(JSON.stringify(defaultFixture()).replaceAll('uf6fleet', `uf6${tag}fleet`).replaceAll('i-flt000', `i-${tag}flt000`)) as Fixture;
};
const ali = (id: string): BatchTarget => ({ provider: 'alibaba', kind: 'ecs-instance', region: 'cn-shanghai', resourceId: id.replace('uf6', `uf6${tag}`) });
const bcc = (id: string): BatchTarget => ({ provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: id.replace('i-', `i-${tag}`) });
const DESTRUCTIVE = /^(DeleteInstances?|ReleaseInstance|ReleaseInstanceWithRelated)$/;

const base = (targets: BatchTarget[], extra: Partial<BatchReleaseInput> = {}): BatchReleaseInput => ({
  requestedBy: 'alice@platform',
  ticket: 'CHG-BATCH',
  targets,
  release: { backup: { required: false } },
  breaker: { maxFailureRate: 1 },
  ...extra,
});

/** Outcomes by the fleet's own IDs (the test's tag taken out). */
const byId = (r: BatchResult) => Object.fromEntries(r.lines.map((l: BatchLine) => [l.resourceId.replace(tag, ''), l.outcome]));

describe('batchRelease', { timeout: 120_000 }, () => {
  const h = useSimHarness();
  const batches: BatchHandle[] = [];
  // A failed test leaves no batch behind (its releases are the harness's to clean up).
  afterEach(async () => {
    for (const b of batches.splice(0)) if ((await b.describe()).status.name === 'RUNNING') await b.terminate('test cleanup');
  });
  const start = async (input: BatchReleaseInput, id?: string) => {
    const handle = await startBatch(h.client, input, { taskQueue: h.taskQueue, id });
    batches.push(handle);
    return handle;
  };
  const progressOf = (handle: BatchHandle) => batchProgress(handle);
  const finish = async (handle: BatchHandle, name: string) => {
    const result = await handle.result();
    if (process.env.RECORD_HISTORIES) await recordHistory(handle, name, 'batch');
    return result;
  };
  /** At most one destructive call per resource, from the simulators' call log. */
  const destructiveCalls = async () => {
    const calls = (await h.admin.calls()).filter((c) => DESTRUCTIVE.test(c.action) && !c.errorCode);
    const per = new Map<string, number>();
    for (const c of calls) per.set(c.target ?? c.path, (per.get(c.target ?? c.path) ?? 0) + 1);
    return per;
  };

  it('releases a mixed batch: the releasable ones go, the protected and blocked ones stay, one destructive call each', async () => {
    await h.admin.reset(fleet('t1'));
    const [aliBefore, baiduBefore] = await Promise.all([inventory(h.admin, 'alibaba'), inventory(h.admin, 'baidu')]);
    const targets = [
      ali('i-uf6fleetdecom04'),
      ali('i-uf6fleetprotect07'),
      ali('i-uf6fleetpaygo12'),
      bcc('i-flt00017'),
      bcc('i-flt00018'),
      ali('i-uf6fleetdecom04'),
    ];
    const result = await finish(await start(base(targets, { concurrency: { overall: 4, perProvider: 2 } })), 'mixed');
    expect(result.total).toBe(5);
    expect(byId(result)).toEqual({
      'i-uf6fleetdecom04': 'released',
      'i-uf6fleetprotect07': 'blocked',
      'i-uf6fleetpaygo12': 'released',
      'i-flt00017': 'released',
      'i-flt00018': 'blocked',
    });
    expect(result.counts).toEqual({ released: 3, blocked: 2 });
    expect(result.lines.find((l) => l.resourceId === bcc('i-flt00018').resourceId)).toMatchObject({
      failureType: 'ReleaseBlocked',
      message: expect.stringMatching(/protect/),
    });
    const released = result.lines.filter((l) => l.outcome === 'released');
    const reports = await Promise.all(released.map((l) => h.client.workflow.getHandle(l.workflowId).result() as Promise<ReleaseReport>));
    const merged = { ...reports[0], deleted: reports.flatMap((r) => r.deleted), retained: reports.flatMap((r) => r.retained) };
    const touched = released.map((l) => l.resourceId);
    const [aliAfter, baiduAfter] = await Promise.all([inventory(h.admin, 'alibaba'), inventory(h.admin, 'baidu')]);
    expectStateMatchesReport(aliBefore, aliAfter, merged, touched);
    expectStateMatchesReport(baiduBefore, baiduAfter, merged, touched);
    const calls = await destructiveCalls();
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(3);

    // The same batch again: each released resource is reported, not released again.
    const again = await (await start(base(targets))).result();
    expect(again.counts['succeeded-before']).toBe(3);
    expect(await destructiveCalls()).toEqual(calls);
  });

  it('joins a release already running instead of starting a second one', async () => {
    await h.admin.reset(fleet('t2'));
    const running = await startRelease(
      h.client,
      { ...ali('i-uf6fleetdecom04'), requestedBy: 'carol@platform', ticket: 'CHG-2', backup: { required: true, confirmWithin: '1h' } },
      h.taskQueue,
    );
    const release = releaseHandle(h.client, ali('i-uf6fleetdecom04'));
    await expect.poll(async () => (await progress(release)).phase, { timeout: 10_000 }).toBe('confirm');
    const handle = await start(base([ali('i-uf6fleetdecom04'), ali('i-uf6fleetpaygo12')]));
    await expect.poll(async () => (await progressOf(handle)).byOutcome.released ?? 0, { timeout: 20_000 }).toBe(1);
    expect((await progressOf(handle)).running).toEqual([releaseWorkflowId(ali('i-uf6fleetdecom04'))]);
    await confirmBackup(release, { confirmedBy: 'bob@platform', backupReference: 'snap-1' });
    const result = await finish(handle, 'joins');
    expect(byId(result)).toEqual({ 'i-uf6fleetdecom04': 'released', 'i-uf6fleetpaygo12': 'released' });
    const runs = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = "${running.workflowId}"` })) runs.push(wf.runId);
    expect(runs).toEqual([running.firstExecutionRunId]);
    expect([...(await destructiveCalls()).values()]).toEqual([1, 1]);
  });

  it('restarted mid-way, releases nothing twice', async () => {
    await h.admin.reset(fleet('t3'));
    const targets = ['i-uf6fleetdecom04', 'i-uf6fleetdecom06', 'i-uf6fleetpaygo12', 'i-uf6fleetexpired01'].map(ali);
    const handle = await start(base(targets, { concurrency: { overall: 1 } }));
    await expect.poll(async () => (await progressOf(handle)).byPhase.ended, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await h.restartWorkers();
    const result = await finish(handle, 'restarted');
    expect(result.counts.released).toBe(4);
    const calls = await destructiveCalls();
    expect(calls.size).toBe(4);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
  });

  it('waits for confirmBatch above the safety cap; the requester cannot confirm', async () => {
    await h.admin.reset(fleet('t4'));
    const targets = ['i-uf6fleetdecom04', 'i-uf6fleetdecom06', 'i-uf6fleetpaygo12'].map(ali);
    const handle = await start(base(targets, { safetyCap: { maxResources: 2 } }));
    await expect.poll(async () => (await progressOf(handle)).phase, { timeout: 10_000 }).toBe('awaiting-confirmation');
    expect((await progressOf(handle)).waitingFor).toMatch(/^confirmBatch: 3 resources exceed the safety cap of 2/);
    const refused = await confirmBatch(handle, { confirmedBy: 'Alice@Platform' }).catch((e: { cause?: Error }) => e.cause?.message);
    expect(refused).toMatch(/requester cannot confirm/);
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
    await confirmBatch(handle, { confirmedBy: 'bob@platform' });
    const result = await finish(handle, 'safety-cap');
    expect(result.counts.released).toBe(3);
  });

  it('a selector over too large a share of the inventory waits; a cancel then starts nothing', async () => {
    await h.admin.reset(fleet('t5'));
    const handle = await start({ ...base([]), targets: undefined, selector: { provider: 'alibaba', region: 'cn-shanghai', tags: [{ key: 'owner' }] } });
    await expect.poll(async () => (await progressOf(handle)).phase, { timeout: 10_000 }).toBe('awaiting-confirmation');
    const p = await progressOf(handle);
    expect(p.waitingFor).toMatch(/of the inventory/);
    await cancelBatch(handle, { by: 'alice@platform', reason: 'too broad' });
    const result = await finish(handle, 'selector-cap-cancel');
    expect(result.counts).toEqual({ 'not-started': p.total });
    expect(result.stopped).toMatch(/cancelled by alice@platform: too broad/);
    expect(await destructiveCalls()).toEqual(new Map());
  });

  it('a dry run over a selector plans every matching resource and changes nothing', async () => {
    await h.admin.reset(fleet('t6'));
    const handle = await start({
      ...base([]),
      targets: undefined,
      dryRun: true,
      selector: { provider: 'alibaba', region: 'cn-shanghai', tags: [{ key: 'env', value: 'test' }] },
    });
    const result = await finish(handle, 'selector-dry-run');
    expect(byId(result)).toEqual({ 'i-uf6fleetdecom05': 'dry-run', 'i-uf6fleetpaygo11': 'dry-run' });
    expect(await destructiveCalls()).toEqual(new Map());
  });

  it('the breaker stops starting releases once too many failed', async () => {
    await h.admin.reset(fleet('t7'));
    const targets = ['i-uf6fleetprotect07', 'i-uf6fleetprotect08', 'i-uf6fleetdecom04', 'i-uf6fleetpaygo12'].map(ali);
    const result = await finish(await start(base(targets, { concurrency: { overall: 1 }, breaker: { maxFailureRate: 0.3, minFinished: 2 } })), 'breaker');
    expect(result.counts).toEqual({ blocked: 2, 'not-started': 2 });
    expect(result.stopped).toMatch(/breaker tripped/);
    expect(await destructiveCalls()).toEqual(new Map());
  });

  it('continues as new past its history limit, carrying what runs and the counts', async () => {
    await h.admin.reset(fleet('t8'));
    const targets = ['i-uf6fleetdecom04', 'i-uf6fleetdecom06', 'i-uf6fleetpaygo12', 'i-uf6fleetexpired01', 'i-uf6fleetexpired02'].map(ali);
    const handle = await start(base(targets, { historyLimit: 2, concurrency: { overall: 2 } }));
    const result = await finish(handle, 'continue-as-new');
    expect(result.runs).toBeGreaterThanOrEqual(2);
    // The last run is still listed as the first was: its requester and its single provider.
    const { typedSearchAttributes } = await handle.describe();
    expect([typedSearchAttributes.get(SA.requester), typedSearchAttributes.get(SA.provider)]).toEqual(['alice@platform', 'alibaba']);
    expect(result.counts.released).toBe(5);
    expect(result.lines).toHaveLength(5);
    expect((await destructiveCalls()).size).toBe(5);
  });

  it('passes a batch-level backup confirmation and override approval to every release that waits for them', async () => {
    await h.admin.reset(fleet('t9'));
    const targets = ['i-uf6fleetdecom04', 'i-uf6fleetprotect07', 'i-uf6fleetpaygo12'].map(ali);
    const handle = await start(
      base(targets, { release: { backup: { required: true, confirmWithin: '1h' }, options: { overrideProtectionTag: true, approveOverrideWithin: '1h' } } }),
    );
    const refused = await approveBatchOverride(handle, { approvedBy: 'alice@platform' }).catch((e: { cause?: Error }) => e.cause?.message);
    expect(refused).toMatch(/requester cannot approve/);
    await confirmBatchBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-batch' });
    await approveBatchOverride(handle, { approvedBy: 'bob@platform' });
    const result = await finish(handle, 'batch-approvals');
    expect(result.counts.released).toBe(3);
    const protectedOne = await releaseHandle(h.client, ali('i-uf6fleetprotect07')).result();
    expect(protectedOne.approvals.map((a) => [a.gate, a.by])).toEqual(
      expect.arrayContaining([
        ['backup', 'bob@platform'],
        ['protection-override', 'bob@platform'],
      ]),
    );
  });

  it('pauses, resumes and cancels: a cancel starts nothing more and lets the running release end', async () => {
    await h.admin.reset(fleet('t10'));
    const targets = ['i-uf6fleetdecom04', 'i-uf6fleetdecom06', 'i-uf6fleetpaygo12', 'i-uf6fleetexpired01'].map(ali);
    const handle = await start(base(targets, { concurrency: { overall: 1 } }));
    // Paused once the first release has started (a pause delivered with the start would start none).
    await expect
      .poll(async () => (await progressOf(handle)).byPhase.running + (await progressOf(handle)).byPhase.ended, { timeout: 20_000 })
      .toBeGreaterThan(0);
    await pauseBatch(handle, { by: 'alice@platform' });
    await expect.poll(async () => (await progressOf(handle)).byPhase.ended, { timeout: 20_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    const paused = await progressOf(handle);
    expect(paused).toMatchObject({ paused: true, byPhase: { running: 0, ended: 1, pending: 3 } });
    await resumeBatch(handle, { by: 'alice@platform' });
    await expect.poll(async () => (await progressOf(handle)).byPhase.pending, { timeout: 10_000 }).toBe(2);
    await cancelBatch(handle, { by: 'alice@platform', reason: 'enough for today' });
    const result = await finish(handle, 'pause-resume-cancel');
    expect(result.counts).toEqual({ released: 2, 'not-started': 2 });
    expect((await destructiveCalls()).size).toBe(2);
  });

  it('refuses a bad input at once, naming every wrong field', async () => {
    await h.admin.reset(fleet('t11'));
    const handle = await start({
      requestedBy: '',
      ticket: 'x',
      targets: [{ ...ali('I-BAD'), region: 'nowhere 1' }],
      concurrency: { overall: 1000 },
    });
    const err = await handle.result().then(
      () => undefined,
      (e: { cause?: { type?: string; message: string } }) => e.cause,
    );
    expect(err?.type).toBe('InvalidBatchRequest');
    for (const field of ['requestedBy', 'targets[0].region', 'targets[0].resourceId', 'concurrency.overall']) expect(err?.message).toContain(field);
  });
});
