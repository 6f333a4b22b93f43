// releaseResource: one durable workflow per cloud resource, from pre-checks to the verified audit record.
// Reads like the runbook: validate → inspect → plan → confirm → prepare → re-check → destroy (once) →
// wait until gone → clean up → verify → report. Provider differences live in the adapters and domain/rules/.
import {
  CancellationScope,
  ParentClosePolicy,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailureType, ReleaseFailureType } from '../common/failure-types';
import { sameIdentity } from '../domain/identity';
import { oneArgumentError } from '../domain/limits';
import {
  formatFieldErrors,
  validateBackupConfirmation,
  validateCancelRequest,
  validateOverrideApproval,
  validateUpdateArgs,
  type PayloadResult,
} from '../domain/update-payloads';
import { isGone, needsRecheck, planChanges, planRelease, type ExistingPlan, type Gate } from '../domain/plan';
import { releaseWorkflowId, type ReleaseRequest, type ValidRequest } from '../domain/request';
import { describedAs, releaseAttributes, startDetails, startSummary } from '../domain/summaries';
import type { Approval, ItemRecord, Phase, ReleaseReport } from '../domain/report';
import type { ResourceKind, ResourceRef } from '../domain/resource';
import { control, inWorker, inWorkerAudit, local, providerActivities, type ProviderActivities } from './proxies';
import { Audit, failureMessage, failureTypeOf, isEnding } from './audit';
import { destructiveCall, judgeDestructive } from './destructive';
import { drainHost, type DrainResult } from './drain';
import { approveOverrideUpdate, cancelReleaseUpdate, confirmBackupUpdate, progressQuery } from './messages';
import { releaseResourceV1 } from './v1/release-resource';
import { verifyItems, type Expectation } from './verify';
import { summarisePlan } from './details';

/**
 * Workflow versions. Every execution started since this patch carries its marker and runs the code below;
 * executions started before it replay and finish on the frozen v1 tree. See README "Changing workflow code".
 */
export const RELEASE_V2_PATCH = 'release-v2';
/** Executions with this marker write their audit record to the audit store when they end (activity recordAudit). */
export const AUDIT_RECORD_PATCH = 'audit-record';
/**
 * v3, the lean release: the only marker of its executions (it implies audit-record). Validation and the audit record
 * run as local activities; search attributes and memo set at start are not upserted again; the phase attribute
 * changes only where a release can wait; the re-check runs only where something could have changed since the
 * inspect; the destructive call follows the read it was decided on; the polls start at 200 ms. Checked before
 * release-v2, so executions started before it replay on v2 (or v1) unchanged.
 */
export const RELEASE_V3_PATCH = 'release-v3';
/**
 * v4: v3 with its destructive calls behind the send fence (docs/destructive-calls.md): an attempt that timed out before
 * the server recorded "maybe sent" is made again instead of judged "maybe made". The only marker of its executions,
 * checked first, so v3 (and earlier) executions replay unchanged.
 */
export const RELEASE_V4_PATCH = 'release-v4';

const MINUTE = 60_000;
/** How long the destructive call may take to show its effect before the outcome is called unknown, by default. */
const WAIT_GONE_MS = 30 * MINUTE;
/** How long an instance may take to stop. */
const WAIT_STOPPED_MINUTES = 15;
/**
 * v3: the phases a release can wait in, the only ones written to the ReleasePhase search attribute (each write is a
 * history event). Once a release has ended, its ExecutionStatus says so; the attribute keeps where it last waited.
 */
const LISTED_PHASES: ReadonlySet<Phase> = new Set<Phase>(['confirm', 'prepare', 'wait-gone']);

export async function releaseResource(input: ReleaseRequest, ...extra: unknown[]): Promise<ReleaseReport> {
  // Executions started before v2 end with the v1 report (workflows/v1/report.ts): only clients that started
  // them before the upgrade ever read one.
  if (patched(RELEASE_V4_PATCH)) return new Release(input, extra, 4).run();
  if (patched(RELEASE_V3_PATCH)) return new Release(input, extra, 3).run();
  if (!patched(RELEASE_V2_PATCH)) return (await releaseResourceV1(input)) as unknown as ReleaseReport;
  return new Release(input, extra, 2).run();
}

/** The ref as far as an unvalidated input tells it: for the report of a release that is refused at once. */
function rawRef(input: unknown): ResourceRef {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 128) : '');
  return {
    provider: text(raw.provider) as ResourceRef['provider'],
    kind: text(raw.kind) as ResourceKind,
    region: text(raw.region),
    resourceId: text(raw.resourceId),
  };
}

class Release {
  private readonly audit: Audit;
  private request?: ValidRequest;
  private readonly approvals = new Map<Gate, Approval>();
  private cancelRequest?: { by: string; reason: string };
  /** Everything before the point of no return runs in here: a cancel (update or Temporal) cancels it. */
  private readonly scope = new CancellationScope();
  /** The release's own destructive call was sent: from here on a cancel is refused. */
  private pointOfNoReturn = false;

  constructor(
    private readonly input: ReleaseRequest,
    private readonly extra: unknown[],
    /** The workflow version this execution runs (RELEASE_V4_PATCH and before). */
    private readonly version: 2 | 3 | 4,
  ) {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    this.audit = new Audit(workflowInfo().workflowId, rawRef(input), raw, version >= 3 ? LISTED_PHASES : undefined);
    // Every handler is registered before the first await: an update sent during validation is not lost.
    this.installHandlers(raw);
  }

  async run(): Promise<ReleaseReport> {
    let report: ReleaseReport;
    try {
      report = await this.release();
    } catch (err) {
      const ending = this.ending(err);
      await this.record(ending.details?.[0] as ReleaseReport, ending.type ?? undefined);
      throw ending;
    }
    await this.record(report);
    return report;
  }

  /** Write the ended release's audit record (once: the store keeps the first write of a run), even when cancelled. */
  private async record(report: ReleaseReport, failureType?: string): Promise<void> {
    if (this.version === 2 && !patched(AUDIT_RECORD_PATCH)) return;
    const { workflowId, runId } = workflowInfo();
    try {
      const entry = { workflowId, runId, kind: 'release' as const, report, failureType };
      await CancellationScope.nonCancellable(() =>
        this.version >= 3
          ? inWorkerAudit.recordAudit(entry)
          : control.recordAudit.executeWithOptions({ summary: `write the audit record (${report.outcome})` }, [entry]),
      );
    } catch (err) {
      log.error('the audit record was not written: the history keeps it until the namespace retention', { error: failureMessage(err) });
    }
  }

  private async release(): Promise<ReleaseReport> {
    const { audit } = this;
    const request = await this.validate();
    const canonicalId = releaseWorkflowId(request.ref);
    // A dry run changes nothing and runs under any ID; a release runs only under its resource's ID.
    if (!request.dryRun && workflowInfo().workflowId !== canonicalId) return this.delegate(request, canonicalId);

    const p = providerActivities(request.ref.provider, { pollFromMs: this.version >= 3 ? 200 : 1_000, fenced: this.version >= 4 });
    let plan: ExistingPlan;
    try {
      const ready = await this.scope.run(() => this.beforeDestroy(request, p));
      if ('outcome' in ready) return ready;
      plan = ready.plan;
    } catch (err) {
      if (!isEnding(err) && (isCancellation(err) || this.cancelRequest)) throw this.cancelled(this.beforeTheCall());
      throw err;
    }
    // The point of no return: from here on, cancellation is refused and the release runs to its end.
    this.pointOfNoReturn = true;
    audit.destructiveCallMade = plan.outcome === 'proceed';
    return CancellationScope.nonCancellable(() => this.destroyAndFinish(request, p, plan));
  }

  private async validate(): Promise<ValidRequest> {
    const { audit } = this;
    const args = oneArgumentError([this.input, ...this.extra], 'workflow');
    if (args) throw audit.fail(ReleaseFailureType.invalidRequest, 'invalid-request', `invalid release request: ${args.field}: ${args.message}`);
    // v3 validates in a local activity: no task queue round trip, one marker instead of an activity's six events.
    const validation = () =>
      this.version >= 3 ? inWorker.validateRequest(this.input) : local.validateRequest.executeWithOptions({ summary: 'validate the request' }, [this.input]);
    const request = await audit.step('validate', 'validate the request', validation).catch((err) => {
      throw isCancellation(err) ? err : audit.fail(ReleaseFailureType.invalidRequest, 'invalid-request', failureMessage(err));
    });
    this.request = request;
    audit.begin(request);
    describe(request, this.version >= 3);
    return request;
  }

  /** A release started under another ID hands over to the canonical one: one release per resource at a time. */
  private async delegate(request: ValidRequest, canonicalId: string): Promise<ReleaseReport> {
    const { audit } = this;
    audit.report.canonicalWorkflowId = canonicalId;
    try {
      await audit.step('delegate', `start the canonical release ${canonicalId}`, () =>
        startChild(releaseResource, {
          workflowId: canonicalId,
          args: [this.input],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: startSummary(request.ref, request.requestedBy, false),
          staticDetails: `${startDetails(request.ref, request)}\n\nHanded over from ${workflowInfo().workflowId}.`,
          // v3 children start described, so they upsert nothing (v2 never passed them: its commands stay as recorded).
          ...(this.version >= 3 ? releaseAttributes({ ...request, dryRun: false }) : {}),
          // Only one run at a time; a finished one (a dry run, a failed or even a successful release) may be
          // followed by a new one: the new run inspects first, so nothing is ever deleted twice.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      );
      return audit.finish('delegated', `started the release of this resource as ${canonicalId}: follow it there`);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return audit.finish('delegated', `a release of this resource is already running as ${canonicalId}: nothing started, follow it there`);
    }
  }

  private async beforeDestroy(request: ValidRequest, p: ProviderActivities): Promise<ReleaseReport | { plan: ExistingPlan }> {
    const { audit } = this;
    const { ref } = request;
    const snapshot = await audit.step('inspect', `inspect ${ref.kind} ${ref.resourceId}`, () => p.inspectResource(ref));
    audit.enter('plan');
    const plan = audit.plan(planRelease(snapshot, request));

    if (plan.outcome === 'not-found') {
      throw audit.fail(
        ReleaseFailureType.notFound,
        'not-found',
        `${ref.provider} does not know ${ref.kind} ${ref.resourceId} in region ${ref.region}${ref.projectId ? `, project ${ref.projectId}` : ''}: check the ID, region and project (nothing was changed; if an earlier release of it is on record, it is gone)`,
      );
    }
    if (plan.outcome === 'already-gone') return audit.finish('already-gone', `${ref.resourceId} is already gone (${plan.rawStatus}): nothing to do`);
    if (request.dryRun) return audit.finish('dry-run', summarisePlan(plan));
    if (plan.outcome === 'blocked') {
      throw audit.fail(ReleaseFailureType.blocked, 'blocked', `release blocked: ${plan.blockers.map((b) => b.message).join('; ')}`);
    }
    if (plan.outcome === 'in-progress') return { plan };

    for (const gate of plan.gates) await this.confirm(gate, request);
    for (const step of plan.prepare) {
      if (step.step === 'stop') await this.stop(p, ref);
      else await this.drain(p, request, step.vmIds);
    }

    // v3: nothing waited or changed since the inspect, which is fresh: the destructive call follows the read it was decided on.
    const inspectedAt = Date.parse(audit.report.steps.find((s) => s.phase === 'inspect')!.startedAt);
    if (this.version >= 3 && !needsRecheck(plan, inspectedAt, Date.now())) return { plan };

    // Fail closed: read again right before the destructive call; anything the plan relied on that changed stops it.
    const reread = await audit.step('recheck', 're-read the resource', () =>
      p.inspectResource(ref, `re-check ${ref.kind} ${ref.resourceId} right before the destructive call`),
    );
    const changes = planChanges(plan, planRelease(reread, request));
    if (changes.length > 0) {
      throw audit.fail(ReleaseFailureType.changed, 'changed-before-release', `the resource changed since it was planned: ${changes.join('; ')}`);
    }
    return { plan };
  }

  private async stop(p: ProviderActivities, ref: ResourceRef): Promise<void> {
    const { audit } = this;
    try {
      await audit.step(
        'prepare',
        'stop the instance',
        () => p.stopInstance(ref),
        (r) => ({ requestIds: [r.requestId] }),
      );
    } catch (err) {
      if (isCancellation(err)) throw err;
      const refused = failureTypeOf(err) === ActivityFailureType.rejected;
      throw audit.fail(
        refused ? ReleaseFailureType.providerRefused : ReleaseFailureType.preparationFailed,
        refused ? 'provider-refused' : 'preparation-failed',
        `the instance could not be stopped, so nothing was deleted: ${failureMessage(err)}`,
      );
    }
    await audit
      .step('prepare', 'wait until stopped', () => p.polls(WAIT_STOPPED_MINUTES * MINUTE).awaitStopped(ref))
      .catch((err) => {
        throw isCancellation(err)
          ? err
          : audit.fail(
              ReleaseFailureType.preparationFailed,
              'preparation-failed',
              `the instance did not stop in ${WAIT_STOPPED_MINUTES} minutes, so nothing was deleted: ${failureMessage(err)}`,
            );
      });
  }

  /** Drain a DCC host; any VM left, or a cancel, ends the release here with every VM's fate and the host kept. */
  private async drain(p: ProviderActivities, request: ValidRequest, vmIds: string[]): Promise<void> {
    const { audit } = this;
    audit.wait(`the drain of ${vmIds.length} VM(s)`);
    const drained = await drainHost(p, audit, request.ref, vmIds, request.drain, () => this.cancelRequest !== undefined || this.scope.consideredCancelled);
    audit.wait(undefined);
    const left = [
      ...drained.failed.map((f) => `${f.vmId} (${f.reason})`),
      ...drained.unknown.map((v) => `${v} (fate unknown: its deletion could not be confirmed)`),
      ...drained.notAttempted.map((v) => `${v} (not attempted)`),
    ];
    if (drained.stoppedByCancel || (left.length === 0 && (this.cancelRequest || this.scope.consideredCancelled))) {
      await this.verifyDrained(p, request, drained);
      throw this.cancelled(`during the drain: ${describeDrain(drained)}; the host was not unsubscribed`);
    }
    if (left.length > 0) {
      await this.verifyDrained(p, request, drained);
      throw audit.fail(
        ReleaseFailureType.drainIncomplete,
        'drain-incomplete',
        `the host was not drained, so it was not unsubscribed: ${describeDrain(drained)}; VMs left: ${left.join(', ')}`,
      );
    }
  }

  /** A drain that ends the release: the drained VMs and their disks, observed, in the report. */
  private async verifyDrained(p: ProviderActivities, request: ValidRequest, drained: DrainResult): Promise<void> {
    const plan = this.audit.report.plan as ExistingPlan;
    const gone = new Set(drained.deleted);
    const vmItems = this.audit.report.deleted.filter((d) => d.type === 'vm');
    const diskItems = plan.disks.filter((d) => d.disk.attachedTo && gone.has(d.disk.attachedTo)).map((d) => this.itemOf('disk', d.disk.id, d.fate, d.why));
    const expectations = [...vmItems.map((record): Expectation => ({ record, expect: 'gone' })), ...diskItems];
    // Read even when the release is being cancelled: the record states what the drain did.
    const discrepancies = await CancellationScope.nonCancellable(() => verifyItems(p, this.audit, request.ref, expectations));
    this.audit.report.verification = { at: new Date().toISOString(), discrepancies };
  }

  private async destroyAndFinish(request: ValidRequest, p: ProviderActivities, plan: ExistingPlan): Promise<ReleaseReport> {
    const { audit } = this;
    const { ref } = request;
    let unanswered = false;
    const waitGoneMs = request.waitGone?.withinMs ?? WAIT_GONE_MS;
    if (plan.outcome === 'proceed') {
      const { action } = plan;
      // v2 read the status again first, in its own activity; v3 calls on the read the plan was just made (or re-checked) on,
      // which saw it neither deleting nor gone (the plan would not proceed otherwise).
      const before = this.version === 2 ? await audit.step('destroy', 'read the status before the destructive call', () => p.resourceStatus(ref)) : undefined;
      if (before && (before.state === 'gone' || before.state === 'deleting')) {
        audit.note('destroy', `${action}: no call made, the provider already reports it ${before.rawStatus}`, 'skipped');
      } else {
        const tookEffect = async () => {
          const s = await p.resourceStatus(ref);
          return s.state === 'gone' || s.state === 'deleting' ? `the provider now reports it ${s.rawStatus}` : undefined;
        };
        const options = { ...plan.destroyOptions, idempotencyToken: workflowInfo().runId };
        const result = await audit.step(
          'destroy',
          `${action} ${ref.kind} ${ref.resourceId} (once)`,
          () => destructiveCall(audit, () => p.sendDestroy(ref, action, options), tookEffect),
          judgeDestructive,
        );
        if (result.kind === 'refused') {
          throw audit.fail(
            ReleaseFailureType.providerRefused,
            'provider-refused',
            `the provider refused to ${action} it, so nothing was deleted: ${failureMessage(result.error)}`,
          );
        }
        unanswered = result.kind === 'unknown';
      }
    } else {
      audit.note('destroy', 'the provider is already deleting it: no call made', 'skipped');
    }

    try {
      audit.wait('the provider to finish deleting');
      await audit.step('wait-gone', 'wait until gone', () => p.polls(waitGoneMs).awaitGone(ref));
    } catch (err) {
      const failed = failureTypeOf(err) === ActivityFailureType.failed;
      throw audit.fail(
        failed ? ReleaseFailureType.deleteFailed : ReleaseFailureType.outcomeUnknown,
        failed ? 'delete-failed' : 'outcome-unknown',
        failed
          ? `the provider failed to delete it: ${failureMessage(err)}`
          : `the resource was not seen gone within ${waitGoneMs % MINUTE ? `${waitGoneMs / 1000} s` : `${waitGoneMs / MINUTE} minutes`}${unanswered ? ' and the destructive call got no answer' : ''}; the call is not repeated, check it by hand: ${failureMessage(err)}`,
      );
    } finally {
      audit.wait(undefined);
    }
    audit.deleted({ type: 'resource', id: ref.resourceId, how: `${plan.action} by ${ref.provider}`, observed: 'gone' });

    const expectations = await this.cleanup(p, ref, plan);
    const discrepancies = await verifyItems(p, audit, ref, expectations);
    audit.report.verification = { at: new Date().toISOString(), discrepancies };
    const counts = `${audit.report.deleted.length} item(s) deleted, ${audit.report.retained.length} kept`;
    if (discrepancies.length > 0) {
      throw audit.fail(
        ReleaseFailureType.verificationMismatch,
        'verification-mismatch',
        `${ref.kind} ${ref.resourceId} released (${plan.action}), but what was observed afterwards differs from the plan: ${discrepancies.join('; ')}`,
      );
    }
    return audit.finish('released', `${ref.kind} ${ref.resourceId} released (${plan.action}); ${counts}, all verified`);
  }

  private itemOf(type: ItemRecord['type'], id: string, fate: 'deleted' | 'retained' | 'cleanup', why: string): Expectation {
    const record: ItemRecord = { type, id, how: fate === 'deleted' ? `by the provider: ${why}` : why };
    if (fate === 'retained') this.audit.retained(record);
    else this.audit.deleted(record);
    return { record, expect: fate === 'retained' ? 'present' : 'gone' };
  }

  /** Delete the leftovers the request asked to delete; return what the verification must find for every item. */
  private async cleanup(p: ProviderActivities, ref: ResourceRef, plan: ExistingPlan): Promise<Expectation[]> {
    const { audit } = this;
    audit.enter('cleanup');
    const items = [
      ...plan.disks.map((d) => ({ type: 'disk' as const, id: d.disk.id, fate: d.fate, why: d.why, call: () => p.deleteDisk(ref, d.disk.id) })),
      ...plan.snapshots.map((s) => ({
        type: 'snapshot' as const,
        id: s.snapshot.id,
        fate: s.fate,
        why: s.why,
        call: () => p.deleteSnapshot(ref, s.snapshot.id),
      })),
    ];
    const vms = audit.report.deleted.filter((d) => d.type === 'vm').map((record): Expectation => ({ record, expect: 'gone' }));
    const expectations: Expectation[] = [...vms];
    for (const item of items) {
      if (item.fate !== 'cleanup') {
        expectations.push(this.itemOf(item.type, item.id, item.fate, item.why));
        continue;
      }
      const result = await audit.step('cleanup', `delete ${item.type} ${item.id}`, () => destructiveCall(audit, item.call), judgeDestructive);
      if (result.kind === 'refused') {
        const record: ItemRecord = { type: item.type, id: item.id, how: `cleanup refused (${failureMessage(result.error)}): delete it by hand` };
        audit.retained(record);
        // Planned to go, but the provider said no: the verification reports it still there.
        expectations.push({ record, expect: 'gone' });
        continue;
      }
      const how = result.kind === 'accepted' ? `cleanup: ${item.why}` : `cleanup (${judgeDestructive(result).unknown}): ${item.why}`;
      const record: ItemRecord = { type: item.type, id: item.id, how };
      audit.deleted(record);
      expectations.push({ record, expect: 'gone' });
    }
    return expectations;
  }

  /** Wait durably for a person to pass a gate, until the request's deadline for it. */
  private async confirm(gate: Gate, request: ValidRequest): Promise<void> {
    const { audit } = this;
    audit.enter('confirm');
    audit.wait(
      gate === 'backup'
        ? 'confirmBackup: someone to confirm a backup exists (update confirmBackup with confirmedBy and backupReference)'
        : 'approveOverride: someone other than the requester to approve the protection override (update approveOverride with approvedBy)',
      gate,
    );
    const within = gate === 'backup' ? request.backup.confirmWithinMs : request.overrideApproval.withinMs;
    const passed = await condition(() => this.approvals.has(gate), within);
    audit.wait(undefined);
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

  private cancelled(what: string) {
    const by = this.cancelRequest ?? { by: 'temporal', reason: 'the workflow was cancelled' };
    if (!this.cancelRequest) this.audit.report.cancels.push({ ...by, at: new Date().toISOString(), honoured: true });
    return this.audit.fail(ReleaseFailureType.cancelled, 'cancelled', `cancelled by ${by.by} ${what}: ${by.reason}`);
  }

  /** How a cancel before the release's own destructive call is worded: from what was actually deleted. */
  private beforeTheCall(): string {
    const deleted = this.audit.report.deleted.map((d) => `${d.type} ${d.id}`);
    return deleted.length
      ? `before the release's destructive call, after the drain deleted ${deleted.join(', ')}`
      : 'before any destructive call; nothing was deleted';
  }

  /** Any ending that is not already typed becomes one, with the report: a release never ends untyped. */
  private ending(err: unknown) {
    const { audit } = this;
    if (isEnding(err)) return err;
    if (isCancellation(err)) return this.cancelled(audit.destructiveCallMade ? 'while the release was running' : this.beforeTheCall());
    const what = failureMessage(err);
    const deleted = audit.report.deleted.map((d) => `${d.type} ${d.id}`);
    if (audit.destructiveCallMade || deleted.length > 0) {
      return audit.fail(
        ReleaseFailureType.outcomeUnknown,
        'outcome-unknown',
        `the release stopped in ${audit.phase} after a destructive call${deleted.length ? ` (deleted so far: ${deleted.join(', ')})` : ''}: ${what}; check the resource by hand`,
      );
    }
    if (failureTypeOf(err) === ActivityFailureType.rejected) {
      return audit.fail(
        ReleaseFailureType.providerRefused,
        'provider-refused',
        `the provider refused a call in ${audit.phase}, so nothing was deleted: ${what}`,
      );
    }
    return audit.fail(
      ReleaseFailureType.providerUnavailable,
      'provider-unavailable',
      `the provider did not answer in ${audit.phase} within the retry budget, so nothing was deleted: ${what}`,
    );
  }

  private installHandlers(raw: Record<string, unknown>): void {
    const { audit } = this;
    const requester = () => this.request?.requestedBy ?? (typeof raw.requestedBy === 'string' ? raw.requestedBy : '');
    setHandler(progressQuery, () => audit.progress());

    const gateOpen = (gate: Gate) => {
      const plan = audit.report.plan;
      if (plan && (isGone(plan) || !plan.gates.includes(gate))) throw new Error(`this release does not need ${gate}`);
      if (this.approvals.has(gate)) throw new Error(`${gate} was already given by ${this.approvals.get(gate)!.by}`);
      if (this.pointOfNoReturn || audit.phase === 'done') throw new Error('too late: the release is past its confirmations');
    };
    const record = (gate: Gate, by: string, reference?: string, comment?: string): Approval => {
      const approval: Approval = { gate, by, reference, comment, at: new Date().toISOString() };
      this.approvals.set(gate, approval);
      audit.approve(approval);
      return approval;
    };
    setHandler(
      confirmBackupUpdate,
      (input, ...extra: unknown[]) => {
        const c = payload(validateBackupConfirmation, [input, ...extra]);
        return record('backup', c.confirmedBy, c.backupReference, c.comment);
      },
      {
        validator: (input, ...extra: unknown[]) => {
          payload(validateBackupConfirmation, [input, ...extra]);
          gateOpen('backup');
        },
      },
    );
    setHandler(
      approveOverrideUpdate,
      (input, ...extra: unknown[]) => {
        const a = payload(validateOverrideApproval, [input, ...extra]);
        return record('protection-override', a.approvedBy, undefined, a.comment);
      },
      {
        validator: (input, ...extra: unknown[]) => {
          const a = payload(validateOverrideApproval, [input, ...extra]);
          // Compared canonically (case, spacing, look-alike letters): four eyes, not two spellings.
          if (sameIdentity(a.approvedBy, requester())) throw new Error('the requester cannot approve their own override');
          gateOpen('protection-override');
        },
      },
    );
    setHandler(
      cancelReleaseUpdate,
      (input, ...extra: unknown[]) => {
        const c = payload(validateCancelRequest, [input, ...extra]);
        const at = new Date().toISOString();
        if (this.pointOfNoReturn) {
          audit.report.cancels.push({ by: c.by, reason: c.reason, at, honoured: false });
          return { cancelled: false, detail: 'refused: the destructive call has already been made; the release runs to its end' };
        }
        this.cancelRequest = { by: c.by, reason: c.reason };
        audit.report.cancels.push({ ...this.cancelRequest, at, honoured: true });
        this.scope.cancel();
        return { cancelled: true, detail: 'cancelled: no new destructive request is sent; anything already sent is followed to its end' };
      },
      {
        validator: (input, ...extra: unknown[]) => {
          payload(validateCancelRequest, [input, ...extra]);
          if (audit.phase === 'done') throw new Error('the release has already ended');
          if (this.cancelRequest) throw new Error(`already cancelled by ${this.cancelRequest.by}`);
        },
      },
    );
  }
}

/** An update's payload, checked field by field (validators reject with the message; handlers get the clean value). */
function payload<T>(validate: (input: unknown) => PayloadResult<T>, args: unknown[]): T {
  const result = validateUpdateArgs(args, validate);
  if (!result.ok) throw new Error(formatFieldErrors(result.errors));
  return result.value;
}

/**
 * Search attributes and memo, so the UI lists and filters releases. v3 writes only what the start did not already set
 * to the validated values (a start from the client or a hand-over sets them all; one from the Web UI sets none).
 */
function describe(request: ValidRequest, onlyMissing: boolean): void {
  const { searchAttributes, memo } = describedAs(request);
  const { typedSearchAttributes: had, memo: hadMemo } = workflowInfo();
  const missing = onlyMissing ? searchAttributes.filter((p) => had.get(p.key) !== p.value) : searchAttributes;
  if (missing.length > 0) upsertSearchAttributes(missing);
  if (!onlyMissing || hadMemo?.dryRun !== memo.dryRun || hadMemo?.summary !== memo.summary) upsertMemo(memo);
}

function describeDrain(d: DrainResult): string {
  return `${d.deleted.length} VM(s) deleted${d.deleted.length ? ` (${d.deleted.join(', ')})` : ''}, ${d.failed.length + d.unknown.length + d.notAttempted.length} left`;
}
