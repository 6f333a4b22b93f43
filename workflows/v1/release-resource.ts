// FROZEN. releaseResource as it ran before the `release-v2` patch (commit b40f6df): executions started
// on it replay and finish on exactly this code (the histories directly under test/histories/). Never edit this tree; once no
// execution without the patch marker is open, deprecate the patch and delete workflows/v1/.
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  isCancellation,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailureType } from '../../common/failure-types';
import { SA } from '../../common/temporal';
import { planChanges, planRelease, type Gate, type Plan } from './plan';
import { releaseWorkflowId, type ReleaseRequest, type ValidRequest } from '../../domain/request';
import { ReleaseFailureType, type Approval, type ReleaseReport } from './report';
import type { ResourceRef } from '../../domain/resource';
import { local, providerActivities, type ProviderActivities } from './proxies';
import { Audit, failureTypeOf } from './audit';
import { destructiveCall } from './destructive';
import { drainHost } from './drain';
import { approveOverrideUpdate, cancelReleaseUpdate, confirmBackupUpdate, progressQuery } from './messages';

export async function releaseResourceV1(input: ReleaseRequest): Promise<ReleaseReport> {
  const raw = (input ?? {}) as Partial<ReleaseRequest>;
  const audit = new Audit(workflowInfo().workflowId, raw, {
    provider: raw.provider!,
    kind: raw.kind!,
    region: String(raw.region ?? ''),
    resourceId: String(raw.resourceId ?? ''),
  });
  setHandler(progressQuery, () => audit.progress());

  const request = await audit.step('validate', 'validate the request', () => local.validateRequest(input)).catch((err) => {
    throw audit.fail(ReleaseFailureType.invalidRequest, 'invalid-request', failureMessage(err));
  });
  audit.begin(request);
  describe(request);

  // A dry run changes nothing and runs under any ID; a release runs only under its resource's ID.
  const canonicalId = releaseWorkflowId(request.ref);
  if (!request.dryRun && workflowInfo().workflowId !== canonicalId) return delegate(audit, input, canonicalId);

  const release = new Release(audit, request, providerActivities(request.ref.provider));
  return release.run();
}

/** Search attributes and memo, so the UI lists and filters releases. */
function describe({ ref, requestedBy, ticket, dryRun }: ValidRequest): void {
  upsertSearchAttributes([
    { key: SA.provider, value: ref.provider },
    { key: SA.kind, value: ref.kind },
    { key: SA.resourceId, value: ref.resourceId },
    { key: SA.region, value: ref.region },
    { key: SA.requester, value: requestedBy },
  ]);
  upsertMemo({ summary: `${dryRun ? 'Dry run: ' : ''}release ${ref.kind} ${ref.resourceId} (${ref.provider} ${ref.region}) for ${requestedBy}, ticket ${ticket}` });
}

/** A release started under another ID hands over to the canonical one: one release per resource at a time. */
async function delegate(audit: Audit, input: ReleaseRequest, canonicalId: string): Promise<ReleaseReport> {
  audit.report.canonicalWorkflowId = canonicalId;
  try {
    await audit.step('delegate', `start the canonical release ${canonicalId}`, () =>
      startChild('releaseResource', {
        workflowId: canonicalId,
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      }),
    );
    return audit.finish('delegated', `started the release of this resource as ${canonicalId}: follow it there`);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return audit.finish('delegated', `a release of this resource is already running, or already succeeded, as ${canonicalId}: nothing started`);
  }
}

class Release {
  private readonly ref: ResourceRef;
  private readonly approvals = new Map<Gate, Approval>();
  private cancelRequest?: { by: string; reason: string };
  private readonly scope = new CancellationScope();

  constructor(
    private readonly audit: Audit,
    private readonly request: ValidRequest,
    private readonly p: ProviderActivities,
  ) {
    this.ref = request.ref;
    this.installHandlers();
  }

  async run(): Promise<ReleaseReport> {
    let plan: Plan;
    try {
      // Everything before the destructive call can be cancelled, by the `cancel` update or by a Temporal cancel.
      const ready = await this.scope.run(() => this.beforeDestroy());
      if ('outcome' in ready) return ready;
      plan = ready.plan;
    } catch (err) {
      if (isCancellation(err) || this.cancelRequest) throw this.cancelled();
      throw err;
    }
    // The point of no return: from here on, cancellation is refused and the release runs to its end.
    return CancellationScope.nonCancellable(() => this.destroyAndFinish(plan));
  }

  private async beforeDestroy(): Promise<ReleaseReport | { plan: Plan }> {
    const { audit, request, p, ref } = this;
    const snapshot = await audit.step('inspect', 'inspect the resource', () => p.inspectResource(ref));
    audit.enter('plan');
    const plan = audit.plan(planRelease(snapshot, request));

    if (plan.outcome === 'already-gone') return audit.finish('already-gone', `${ref.resourceId} does not exist (any more): nothing to do`);
    if (request.dryRun) return audit.finish('dry-run', summarisePlan(plan));
    if (plan.outcome === 'blocked') {
      throw audit.fail(ReleaseFailureType.blocked, 'blocked', `release blocked: ${plan.blockers.map((b) => b.message).join('; ')}`);
    }
    if (plan.outcome === 'in-progress') return { plan };

    for (const gate of plan.gates) await this.confirm(gate);
    for (const step of plan.prepare) {
      if (step.step === 'stop') {
        await audit.step('prepare', 'stop the instance', () => p.stopInstance(ref), (r) => [r.requestId]);
        await audit.step('prepare', 'wait until stopped', () => p.polls('15m').awaitStopped(ref));
      } else {
        const drained = await drainHost(p, audit, ref, step.vmIds, request.drain);
        const left = [...drained.failed.map((f) => `${f.vmId} (${f.reason})`), ...drained.unknown.map((v) => `${v} (delete submitted, answer lost)`), ...drained.notAttempted.map((v) => `${v} (not attempted)`)];
        if (left.length > 0) {
          throw audit.fail(ReleaseFailureType.drainIncomplete, 'drain-incomplete', `the host was not drained, so it was not unsubscribed; VMs left: ${left.join(', ')}`);
        }
      }
    }

    // Fail closed: read again right before the destructive call; anything the plan relied on that changed stops it.
    const fresh = await audit.step('recheck', 're-read the resource', () => p.inspectResource(ref));
    const changes = planChanges(plan, planRelease(fresh, request));
    if (changes.length > 0) {
      throw audit.fail(ReleaseFailureType.changed, 'changed-before-release', `the resource changed since it was planned: ${changes.join('; ')}`);
    }
    return { plan };
  }

  private async destroyAndFinish(plan: Plan): Promise<ReleaseReport> {
    const { audit, p, ref } = this;
    if (plan.outcome === 'proceed') {
      audit.destructiveCallMade = true;
      const action = plan.action!;
      const result = await audit.step(
        'destroy',
        `${action} ${ref.kind} ${ref.resourceId}`,
        () => destructiveCall(audit, () => p.destroyResource(ref, action, plan.destroyOptions)),
        (r) => (r.kind === 'accepted' ? [r.receipt.requestId] : []),
      );
      if (result.kind === 'refused') {
        throw audit.fail(ReleaseFailureType.providerRefused, 'provider-refused', `the provider refused to ${action}: ${failureMessage(result.error)}`);
      }
      if (result.kind === 'unknown') audit.note('destroy', 'the answer to the destructive call was lost: it is not repeated; waiting to see its effect', 'unknown');
    } else {
      audit.note('destroy', 'the provider is already deleting it: no call made', 'skipped');
    }

    try {
      audit.waitingFor = 'the provider to finish deleting';
      await audit.step('wait-gone', 'wait until gone', () => p.polls('30m').awaitGone(ref));
    } catch (err) {
      const failed = failureTypeOf(err) === ActivityFailureType.failed;
      throw audit.fail(
        failed ? ReleaseFailureType.deleteFailed : ReleaseFailureType.outcomeUnknown,
        failed ? 'delete-failed' : 'outcome-unknown',
        failed ? `the provider failed to delete it: ${failureMessage(err)}` : `the resource was not seen gone in time; the destructive call is not repeated: ${failureMessage(err)}`,
      );
    } finally {
      audit.waitingFor = undefined;
    }
    audit.deleted({ type: 'resource', id: ref.resourceId, how: `${plan.action} by ${ref.provider}` });
    await this.cleanup(plan);
    const kept = audit.report.retained.length;
    return audit.finish('released', `${ref.kind} ${ref.resourceId} released (${plan.action}); ${audit.report.deleted.length} item(s) deleted, ${kept} kept`);
  }

  /** Record what the provider removed and kept, and delete the leftovers the request asked to delete. */
  private async cleanup(plan: Plan): Promise<void> {
    const { audit, p, ref } = this;
    audit.enter('cleanup');
    const items = [
      ...plan.disks.map((d) => ({ type: 'disk' as const, id: d.disk.id, fate: d.fate, why: d.why, call: () => p.deleteDisk(ref, d.disk.id) })),
      ...plan.snapshots.map((s) => ({ type: 'snapshot' as const, id: s.snapshot.id, fate: s.fate, why: s.why, call: () => p.deleteSnapshot(ref, s.snapshot.id) })),
    ];
    for (const item of items) {
      if (item.fate === 'deleted') audit.deleted({ type: item.type, id: item.id, how: `by the provider: ${item.why}` });
      if (item.fate === 'retained') audit.retained({ type: item.type, id: item.id, how: item.why });
      if (item.fate !== 'cleanup') continue;
      const result = await audit.step('cleanup', `delete ${item.type} ${item.id}`, () => destructiveCall(audit, item.call), (r) =>
        r.kind === 'accepted' ? [r.receipt.requestId] : [],
      );
      if (result.kind === 'accepted') audit.deleted({ type: item.type, id: item.id, how: `cleanup: ${item.why}` });
      else audit.retained({ type: item.type, id: item.id, how: `cleanup failed (${failureMessage(result.error)}): delete it by hand` });
    }
  }

  /** Wait durably for a person to pass a gate, until the request's deadline. */
  private async confirm(gate: Gate): Promise<void> {
    const { audit, request } = this;
    audit.enter('confirm');
    audit.waitingFor = gate === 'backup' ? 'confirmBackup: someone to confirm a backup exists' : 'approveOverride: someone other than the requester to approve the protection override';
    const passed = await condition(() => this.approvals.has(gate), request.backup.confirmWithinMs);
    audit.waitingFor = undefined;
    if (passed) {
      const a = this.approvals.get(gate)!;
      audit.note('confirm', `${gate} confirmed by ${a.by}`, 'ok', a.reference);
      return;
    }
    audit.note('confirm', `${gate} not confirmed in time`, 'failed');
    throw gate === 'backup'
      ? audit.fail(ReleaseFailureType.backupNotConfirmed, 'backup-not-confirmed', 'the backup was not confirmed in time: nothing was changed')
      : audit.fail(ReleaseFailureType.approvalNotGiven, 'approval-not-given', 'the protection override was not approved in time: nothing was changed');
  }

  private cancelled(): ApplicationFailure {
    const by = this.cancelRequest ?? { by: 'temporal', reason: 'the workflow was cancelled' };
    this.audit.report.cancel = { ...by, at: new Date().toISOString(), honoured: true };
    return this.audit.fail(ReleaseFailureType.cancelled, 'cancelled', `cancelled by ${by.by} before any destructive call: ${by.reason}; nothing was deleted`);
  }

  private installHandlers(): void {
    const { audit, request } = this;
    const gateOpen = (gate: Gate) => {
      if (audit.report.plan && !audit.report.plan.gates.includes(gate)) throw new Error(`this release does not need ${gate}`);
      if (this.approvals.has(gate)) throw new Error(`${gate} was already given by ${this.approvals.get(gate)!.by}`);
      if (audit.destructiveCallMade) throw new Error('the destructive call has been made');
    };
    const record = (gate: Gate, by: string, reference?: string, comment?: string): Approval => {
      const approval: Approval = { gate, by, reference, comment, at: new Date().toISOString() };
      this.approvals.set(gate, approval);
      audit.approve(approval);
      return approval;
    };
    setHandler(confirmBackupUpdate, (c) => record('backup', c.confirmedBy, c.backupReference, c.comment), {
      validator: (c) => {
        if (!c?.confirmedBy?.trim()) throw new Error('confirmedBy is required');
        if (!c.backupReference?.trim()) throw new Error('backupReference is required: where is the backup?');
        gateOpen('backup');
      },
    });
    setHandler(approveOverrideUpdate, (a) => record('protection-override', a.approvedBy, undefined, a.comment), {
      validator: (a) => {
        if (!a?.approvedBy?.trim()) throw new Error('approvedBy is required');
        if (a.approvedBy.trim() === request.requestedBy) throw new Error('the requester cannot approve their own override');
        gateOpen('protection-override');
      },
    });
    setHandler(
      cancelReleaseUpdate,
      (c) => {
        this.cancelRequest = { by: c.by, reason: c.reason };
        this.scope.cancel();
        return { cancelled: true as const };
      },
      {
        validator: (c) => {
          if (!c?.by?.trim() || !c.reason?.trim()) throw new Error('cancel needs by and reason');
          if (audit.destructiveCallMade) {
            audit.report.cancel = { by: c.by, reason: c.reason, at: new Date().toISOString(), honoured: false };
            throw new Error('refused: the destructive call has already been made; the release runs to its end');
          }
          if (audit.phase === 'done') throw new Error('the release has already ended');
        },
      },
    );
  }
}

function summarisePlan(plan: Plan): string {
  if (plan.outcome === 'blocked') return `would be blocked: ${plan.blockers.map((b) => b.message).join('; ')}`;
  const count = (fate: string) => plan.disks.filter((d) => d.fate === fate).length + plan.snapshots.filter((s) => s.fate === fate).length;
  const vms = plan.vms.filter((v) => v.fate === 'drain').length;
  return `would ${plan.action} it${vms ? ` after draining ${vms} VM(s)` : ''}; ${count('deleted')} disk/snapshot(s) deleted by the provider, ${count('cleanup')} cleaned up, ${count('retained')} kept${plan.gates.length ? `; needs ${plan.gates.join(' and ')}` : ''}`;
}

function failureMessage(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? String(err);
}
