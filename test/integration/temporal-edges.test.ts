// Temporal semantics at the edges (issue "Temporal semantics at the edges"): handlers before the first await,
// validators that only check, dry runs that never block a release, typed endings with the report, the read
// before the destructive call retried on its own, refused calls recorded as what they are.
import { WithStartWorkflowOperation } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { cancelRelease, progress, startRelease } from '../../client/release';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import type { ReleaseReport } from '../../domain/report';
import type { releaseResource } from '../../workflows';
import { confirmBackupUpdate } from '../../workflows/messages';
import { defaultFixture } from '../../simulators/runtime';
import { ecsRequest, failureOf, useSimHarness } from './harness';

const ecs = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ecsRequest(resourceId, 'CHG-11', extra);
type AlibabaState = { alibaba: { instances: { id: string; status: string }[] } };

describe('Temporal semantics at the edges', () => {
  const h = useSimHarness();
  const instances = async () => (await h.admin.state<AlibabaState>()).alibaba.instances.map((i) => i.id);

  it('accepts an update sent with the start itself: every handler is registered before the first await', async () => {
    const input = ecs('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '1h' } });
    const start = new WithStartWorkflowOperation<typeof releaseResource>('releaseResource', {
      workflowId: releaseWorkflowId(input),
      taskQueue: h.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    const approval = await h.client.workflow.executeUpdateWithStart(confirmBackupUpdate, {
      args: [{ confirmedBy: 'bob@platform', backupReference: 'snap-early' }],
      startWorkflowOperation: start,
    });
    expect(approval).toMatchObject({ gate: 'backup', by: 'bob@platform' });
    const report = await (await start.workflowHandle()).result();
    expect(report.outcome).toBe('released');
    expect(report.approvals).toMatchObject([{ gate: 'backup', by: 'bob@platform', reference: 'snap-early' }]);
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
  });

  it('a dry run under the canonical ID does not block the real release, from any entry point', async () => {
    const input = ecs('i-bp1stoppedpaygo01');
    const dry = await (await h.start({ ...input, dryRun: true })).result();
    expect(dry.outcome).toBe('dry-run');
    expect(await instances()).toContain('i-bp1stoppedpaygo01');
    // A UI user then starts the real release under an ID of their own: it hands over and releases.
    const typed = await (await h.start(input, `typed-in-the-ui-${randomUUID()}`)).result();
    expect(typed.outcome).toBe('delegated');
    const canonical = h.client.workflow.getHandle<typeof releaseResource>(releaseWorkflowId(input));
    await expect.poll(async () => (await canonical.describe()).status.name, { timeout: 20_000 }).toBe('COMPLETED');
    expect((await canonical.result()).outcome).toBe('released');
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
    // The client does not start a successful release again.
    await expect(startRelease(h.client, input, h.taskQueue)).rejects.toThrow(/already succeeded/);
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
  });

  it('a cancel after the destructive call is refused by the handler, recorded, and the record replays identically', async () => {
    const stuck = await h.admin.injectFault({ provider: 'alibaba', target: 'i-bp1stoppedpaygo01', stuck: true });
    const handle = await h.start(ecs('i-bp1stoppedpaygo01'));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('wait-gone');
    const answer = await cancelRelease(handle, { by: 'alice@platform', reason: 'too late' });
    expect(answer).toMatchObject({ cancelled: false });
    expect(answer.detail).toMatch(/destructive call has already been made/);
    await h.admin.removeFault(stuck.id);
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.cancels).toEqual([expect.objectContaining({ by: 'alice@platform', honoured: false })]);
    // The refusal is state written by a handler: a replay of the history rebuilds the same report.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, handle.workflowId);
  });

  it('a malformed cancel or confirmation is rejected with a reason, never an internal error, and changes nothing', async () => {
    const handle = await h.start(ecs('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(await reason(handle.executeUpdate('confirmBackup', { args: [{ confirmedBy: 42, backupReference: 'x' }] }))).toMatch(/confirmedBy/);
    expect(await reason(handle.executeUpdate('confirmBackup', { args: [null] }))).toMatch(/object/);
    expect(await reason(handle.executeUpdate('cancel', { args: [{ by: 'alice@platform' }] }))).toMatch(/reason/);
    expect((await progress(handle)).approvals).toEqual([]);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });

  it('a second workflow argument is an invalid request, typed, with the report', async () => {
    const input = ecs('i-bp1stoppedpaygo01');
    const handle = await h.client.workflow.start('releaseResource', {
      taskQueue: h.taskQueue,
      workflowId: releaseWorkflowId(input),
      args: [input, { dryRun: true }],
    });
    const f = await failureOf(handle.result());
    expect(f.type).toBe('InvalidReleaseRequest');
    expect(f.message).toContain('expected exactly one argument, got 2');
    expect(f.report.outcome).toBe('invalid-request');
    expect(await h.admin.calls({ action: 'DescribeInstances' })).toHaveLength(0);
  });

  it('an ID that never existed ends as ResourceNotFound naming what to check, not as a release', async () => {
    const f = await failureOf((await h.start(ecs('i-bp1doesnotexist99'))).result());
    expect(f.type).toBe('ResourceNotFound');
    expect(f.message).toContain('i-bp1doesnotexist99');
    expect(f.message).toContain('cn-hangzhou');
    expect(f.report.outcome).toBe('not-found');
    expect(f.report.deleted).toEqual([]);
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
  });

  it('a read the provider refuses ends typed, with the report, in phase done', async () => {
    await h.admin.injectFault({
      provider: 'alibaba',
      action: 'DescribeInstances',
      error: { code: 'Forbidden.RAM', httpStatus: 403, message: 'not authorised' },
    });
    const handle = await h.start(ecs('i-bp1stoppedpaygo01'));
    const f = await failureOf(handle.result());
    expect(f.type).toBe('ProviderRefused');
    expect(f.report.outcome).toBe('provider-refused');
    expect(f.report.steps.at(-1)).toMatchObject({ phase: 'inspect', outcome: 'failed' });
    // It never waited anywhere, so no phase was listed; the ended execution says it is done.
    const described = await handle.describe();
    expect(described.searchAttributes.ReleasePhase).toBeUndefined();
    expect(described.status.name).toBe('FAILED');
    expect(await instances()).toContain('i-bp1stoppedpaygo01');
  });

  it('a refused stop ends typed as ProviderRefused with nothing deleted', async () => {
    await h.admin.injectFault({
      provider: 'alibaba',
      action: 'StopInstance',
      error: { code: 'IncorrectInstanceStatus', httpStatus: 403, message: 'simulated refusal' },
    });
    const f = await failureOf((await h.start(ecs('i-bp1runningpaygo02', { options: { stopIfRunning: true } }))).result());
    expect(f.type).toBe('ProviderRefused');
    expect(f.message).toContain('could not be stopped');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(0);
    expect(await instances()).toContain('i-bp1runningpaygo02');
  });

  it('a refused destructive call is a failed step with the provider code, message and request ID', async () => {
    await h.admin.injectFault({
      provider: 'alibaba',
      action: 'DeleteInstances',
      error: { code: 'ChargeTypeViolation', httpStatus: 403, message: 'simulated refusal' },
    });
    const f = await failureOf((await h.start(ecs('i-bp1stoppedpaygo01'))).result());
    const report: ReleaseReport = f.report;
    expect(f.type).toBe('ProviderRefused');
    const step = report.steps.find((s) => s.phase === 'destroy' && s.name.includes('(once)'))!;
    expect(step.outcome).toBe('failed');
    expect(step.detail).toContain('ChargeTypeViolation');
    expect(step.requestIds).toHaveLength(1);
    expect(report.providerErrors.at(-1)).toMatchObject({ code: 'ChargeTypeViolation', requestId: step.requestIds![0] });
    expect(await instances()).toContain('i-bp1stoppedpaygo01');
  });

  it('lost answers to the reads around the destructive call are plain retries: released, one DeleteInstances', async () => {
    const handle = await h.start(ecs('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    await h.admin.injectFault({ provider: 'alibaba', action: 'DescribeInstances', dropResponse: true, times: 3 });
    await handle.executeUpdate(confirmBackupUpdate, { args: [{ confirmedBy: 'bob@platform', backupReference: 'snap-9' }] });
    const report = await handle.result();
    expect(report.outcome).toBe('released');
    expect(report.steps.find((s) => s.name.includes('(once)'))?.outcome).toBe('ok');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
  });

  it('a destructive call with no answer, and a resource never seen gone, ends DestructiveOutcomeUnknown: typed, reported, not repeated', async () => {
    await h.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstances', dropResponse: true, times: 1 });
    const stuck = await h.admin.injectFault({ provider: 'alibaba', target: 'i-bp1stoppedpaygo01', stuck: true });
    const f = await failureOf((await h.start(ecs('i-bp1stoppedpaygo01', { options: { waitGoneWithin: '3s' } }))).result());
    await h.admin.removeFault(stuck.id);
    expect(f.type).toBe('DestructiveOutcomeUnknown');
    expect(f.report.outcome).toBe('outcome-unknown');
    expect(f.message).toContain('got no answer');
    expect(f.report.steps.find((s) => s.name.endsWith('(once)'))?.outcome).toBe('unknown');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
  });

  it('a cleanup the provider refuses is reported kept, seen still there, and the ending says the result differs from the plan', async () => {
    await h.admin.injectFault({
      provider: 'alibaba',
      action: 'DeleteDisk',
      error: { code: 'IncorrectDiskStatus', httpStatus: 403, message: 'simulated refusal' },
    });
    const f = await failureOf((await h.start(ecs('i-bp1stoppedpaygo01', { options: { retainedDataDisks: 'delete' } }))).result());
    expect(f.type).toBe('ReleaseVerificationMismatch');
    expect(f.report.verification?.discrepancies.join()).toContain('d-bp1stopped01dat2');
    expect(f.report.retained.find((r) => r.id === 'd-bp1stopped01dat2')).toMatchObject({ observed: 'present' });
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
  });

  it('a cleanup whose answer was lost is resolved by reading: the disk is gone, reported deleted, released', async () => {
    await h.admin.injectFault({ provider: 'alibaba', action: 'DeleteDisk', dropResponse: true, times: 1 });
    const report = await (await h.start(ecs('i-bp1stoppedpaygo01', { options: { retainedDataDisks: 'delete' } }))).result();
    expect(report.outcome).toBe('released');
    expect(report.deleted.find((d) => d.id === 'd-bp1stopped01dat2')).toMatchObject({ observed: 'gone' });
    expect(await h.admin.calls({ action: 'DeleteDisk' })).toHaveLength(1);
  });

  it('a "try later" answered to a destructive call that was nevertheless applied is not retried: the fresh status read shows it took effect', async () => {
    await h.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstances', error: { code: 'Throttling.User', httpStatus: 400 }, applied: true, times: 1 });
    const report = await (await h.start(ecs('i-bp1stoppedpaygo01'))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
    expect(report.steps.find((s) => s.name.endsWith('(once)'))).toMatchObject({ outcome: 'unknown' });
    expect(report.steps.find((s) => s.name.endsWith('(once)'))?.detail).toContain('took effect');
    expect(await instances()).not.toContain('i-bp1stoppedpaygo01');
  });

  it('the protection override has its own deadline, not the backup confirmation window', async () => {
    const fixture = defaultFixture() as { alibaba: { instances: { id: string; tags?: Record<string, string> }[] } };
    fixture.alibaba.instances.find((i) => i.id === 'i-bp1stoppedpaygo01')!.tags = { Release_Protection: 'yes' };
    await h.admin.reset(fixture);
    const input = ecs('i-bp1stoppedpaygo01', {
      backup: { required: false, confirmWithin: '30d' },
      options: { overrideProtectionTag: true, approveOverrideWithin: '2s' },
    });
    const f = await failureOf((await h.start(input)).result());
    expect(f.type).toBe('ApprovalNotGiven');
    expect(await instances()).toContain('i-bp1stoppedpaygo01');
  });
});
