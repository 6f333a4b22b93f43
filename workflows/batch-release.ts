// batchRelease: many releases, one child releaseResource per resource under its canonical ID (so a resource is
// never released twice by a batch, and a release already running is joined), a sliding window of bounded
// concurrency, a safety cap and a breaker, continue-as-new so that every history stays small.
import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
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
import { SA } from '../common/temporal';
import {
  BatchFailureType,
  breakerTripped,
  childRequest,
  emptyTally,
  endingOfFailure,
  groupTargets,
  isFailure,
  nextToStart,
  record,
  safetyCapReason,
  selectTargets,
  ungroupTargets,
  validateBatchInput,
  validateBatchPayload,
  validateCarry,
  type BatchCarry,
  type BatchReleaseInput,
  type BatchResult,
  type BatchTarget,
  type ReleaseEnding,
  type ValidBatch,
} from '../domain/batch';
import { sameIdentity } from '../domain/identity';
import { MAX_PAGE_SIZE, matchesTags } from '../domain/inventory';
import { MAX_IDENTITY, MAX_REASON, type FieldError } from '../domain/limits';
import type { Approval } from '../domain/report';
import { dryRunWorkflowId, releaseWorkflowId } from '../domain/request';
import type { Provider } from '../domain/resource';
import {
  formatFieldErrors,
  validateBackupConfirmation,
  validateCancelRequest,
  validateOverrideApproval,
  validateUpdateArgs,
  type PayloadResult,
} from '../domain/update-payloads';
import {
  approveOverrideUpdate,
  batchProgressQuery,
  cancelBatchUpdate,
  confirmBackupUpdate,
  confirmBatchUpdate,
  pauseBatchUpdate,
  resumeBatchUpdate,
  type BatchPhase,
  type BatchProgress,
} from './batch-messages';
import { discovery, follow, prior } from './batch-proxies';
import { control } from './proxies';
import { releaseResource } from './release-resource';
import { releaseAttributes, startDetails, startSummary } from '../domain/summaries';

/** Batches with this marker write their audit record (kind `batch`) when they end. */
export const BATCH_AUDIT_RECORD_PATCH = 'batch-audit-record';
/** Batches with this marker start each release described (summary, search attributes, memo): the release upserts none. */
export const BATCH_DESCRIBED_CHILDREN_PATCH = 'batch-described-children';

export async function batchRelease(input: BatchReleaseInput, carry?: BatchCarry, ...extra: unknown[]): Promise<BatchResult> {
  return new Batch(input, carry, extra).run();
}

const GATES = ['backup', 'protection-override'] as const;

class Batch {
  private batch!: ValidBatch;
  private s: BatchCarry = { runs: 0, pending: [], running: [], total: 0, capPassed: false, approvals: {}, paused: false, tally: emptyTally() };
  private pending: BatchTarget[] = [];
  /** Releases running now (started, joined, or being started), by workflow ID. */
  private readonly running = new Map<string, BatchTarget>();
  private phase: BatchPhase = 'discovering';
  private waitingFor?: string;
  private startedThisRun = 0;
  /** startChild calls not answered yet: continue-as-new waits for them, so every carried ID is a started release. */
  private starting = 0;

  constructor(
    private readonly input: BatchReleaseInput,
    private readonly carry: BatchCarry | undefined,
    private readonly extra: unknown[],
  ) {
    // Registered before the first await: an update sent while the batch discovers is not lost.
    this.installHandlers();
  }

  async run(): Promise<BatchResult> {
    this.validate();
    // Later runs inherit the search attributes and memo (continueAsNew below passes them on).
    if (!this.carry) this.describe();
    if (this.s.discovery) await this.discover();
    if (!this.s.capPassed) await this.safetyCap();
    for (const t of this.s.running) this.launch(t, 'running');
    this.phase = 'releasing';
    await this.releaseAll();
    this.phase = 'finishing';
    for (const t of this.pending.splice(0)) this.end(t, { outcome: 'not-started', message: this.s.stopped });
    await condition(() => this.running.size === 0 && allHandlersFinished());
    this.phase = 'done';
    const result = this.result();
    await this.record(result);
    return result;
  }

  /** The ended batch's audit record, once (its last run: the earlier ones continued as new and carried their counts). */
  private async record(result: BatchResult): Promise<void> {
    if (!patched(BATCH_AUDIT_RECORD_PATCH)) return;
    const { workflowId, runId, startTime } = workflowInfo();
    const counts = Object.entries(result.counts)
      .map(([outcome, n]) => `${n} ${outcome}`)
      .join(', ');
    const report = {
      requestedBy: this.batch.requestedBy,
      ticket: this.batch.ticket,
      ...(this.batch.reason ? { reason: this.batch.reason } : {}),
      outcome: result.stopped ? 'stopped' : 'completed',
      summary: `${result.total} resource(s): ${counts || 'none'}${result.stopped ? `; ${result.stopped}` : ''}`,
      dryRun: result.dryRun,
      startedAt: startTime.toISOString(),
      endedAt: new Date().toISOString(),
      result,
    };
    try {
      await CancellationScope.nonCancellable(() =>
        control.recordAudit.executeWithOptions({ summary: `write the batch's audit record (${report.outcome})` }, [
          { workflowId, runId, kind: 'batch', report },
        ]),
      );
    } catch (err) {
      log.error('the batch audit record was not written: the history keeps it until the namespace retention', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private validate(): void {
    const v = validateBatchInput(this.input, this.carry !== undefined);
    const errors: FieldError[] = v.ok ? [] : v.errors;
    if (this.carry !== undefined) errors.push(...validateCarry(this.carry));
    if (this.extra.length > 0)
      errors.push({ field: '(input)', message: `expected at most the input and the carried state, got ${2 + this.extra.length} arguments` });
    if (!v.ok || errors.length > 0) {
      throw ApplicationFailure.create({
        type: BatchFailureType.invalidRequest,
        nonRetryable: true,
        message: `invalid batch request: ${formatFieldErrors(errors)}`,
        details: [errors],
      });
    }
    this.batch = v.value;
    if (this.carry) {
      this.s = this.carry;
      this.pending = ungroupTargets(this.carry.pending);
      return;
    }
    if (v.value.targets) {
      this.pending = selectTargets(v.value.targets, v.value.exclude, (t) => this.idOf(t));
      this.s.total = this.pending.length;
    } else this.s.discovery = { pageToken: '', listed: 0 };
  }

  private idOf(t: BatchTarget): string {
    return this.batch.dryRun ? dryRunWorkflowId(t) : releaseWorkflowId(t);
  }

  /** Resolve the selector, one page per activity call; the whole list is known before the safety cap is decided. */
  private async discover(): Promise<void> {
    const sel = this.batch.selector!;
    const { listInventory } = discovery(sel.provider);
    const seen = new Set(this.pending.map((t) => this.idOf(t)));
    const excluded = new Set(this.batch.exclude);
    while (this.s.discovery && !this.s.cancel) {
      if (workflowInfo().continueAsNewSuggested) await this.continueAsNew();
      const { pageToken, listed } = this.s.discovery;
      const page = await listInventory(sel.provider, {
        region: sel.region,
        projectId: sel.projectId,
        kinds: sel.kinds,
        pageToken: pageToken || undefined,
        pageSize: MAX_PAGE_SIZE,
      });
      for (const item of page.items) {
        const t: BatchTarget = {
          provider: item.provider,
          kind: item.kind,
          region: item.region,
          resourceId: item.resourceId,
          ...(item.projectId ? { projectId: item.projectId } : {}),
        };
        if (!matchesTags(item.tags, sel.tags) || excluded.has(t.resourceId) || seen.has(this.idOf(t))) continue;
        seen.add(this.idOf(t));
        this.pending.push(t);
      }
      // The share of the inventory is measured against everything listed in the region (the tags select within it).
      this.s.discovery = page.nextPageToken ? { pageToken: page.nextPageToken, listed: listed + page.items.length } : undefined;
      if (!this.s.discovery) this.s.inventoryTotal = listed + page.items.length;
    }
    this.s.discovery = undefined;
    this.s.total = this.pending.length;
  }

  private async safetyCap(): Promise<void> {
    const reason = this.batch.dryRun ? undefined : safetyCapReason(this.s.total, this.s.inventoryTotal, this.batch.safetyCap);
    if (reason && !this.s.cancel) {
      this.phase = 'awaiting-confirmation';
      this.waitingFor = `confirmBatch: ${reason}; someone other than the requester must confirm (update confirmBatch with confirmedBy)`;
      await condition(() => this.s.capPassed || this.s.cancel !== undefined);
      this.waitingFor = undefined;
    }
    this.s.capPassed = !this.s.cancel;
  }

  /** The sliding window: start releases as slots free up, until everything started, a stop, or continue-as-new. */
  private async releaseAll(): Promise<void> {
    const { concurrency, historyLimit } = this.batch;
    const free = () => nextToStart(this.pending, this.runningByProvider(), concurrency, 1).length > 0;
    // Starts under way count too: a run never starts more than its history limit.
    const launched = () => this.startedThisRun + this.starting;
    const canDue = () => launched() >= historyLimit || workflowInfo().continueAsNewSuggested;
    while (this.pending.length > 0 && !this.s.stopped) {
      await condition(() => !!this.s.stopped || canDue() || (!this.s.paused && free()));
      if (this.s.stopped) return;
      if (canDue()) await this.continueAsNew();
      const picks = nextToStart(this.pending, this.runningByProvider(), concurrency, historyLimit - launched());
      const batch = picks.map((i) => this.pending[i]);
      for (const i of picks.reverse()) this.pending.splice(i, 1);
      for (const t of batch) this.running.set(this.idOf(t), t);
      // Dry runs never block a release, nor does a finished one block a dry run: only real releases are looked up.
      const priors = this.batch.dryRun ? batch.map(() => 'none' as const) : await prior.priorReleases(batch.map((t) => this.idOf(t)));
      batch.forEach((t, i) => {
        if (priors[i] === 'succeeded') this.end(t, { outcome: 'succeeded-before', message: 'its last release completed: not started again' });
        else this.launch(t, priors[i]);
      });
    }
  }

  private runningByProvider(): Partial<Record<Provider, number>> {
    const counts: Partial<Record<Provider, number>> = {};
    for (const t of this.running.values()) counts[t.provider] = (counts[t.provider] ?? 0) + 1;
    return counts;
  }

  /** Start (or join) one release and follow it to its end; never throws (it runs detached). */
  private launch(t: BatchTarget, prior: 'none' | 'running'): void {
    const id = this.idOf(t);
    this.running.set(id, t);
    const go = async (): Promise<ReleaseEnding> => {
      if (prior === 'running') return this.join(id);
      this.starting++;
      let child;
      const request = childRequest(this.batch, t);
      const described = patched(BATCH_DESCRIBED_CHILDREN_PATCH)
        ? {
            staticSummary: startSummary(t, request.requestedBy, this.batch.dryRun),
            staticDetails: `${startDetails(t, request)}\n\nStarted by the batch ${workflowInfo().workflowId}.`,
            ...releaseAttributes({ ref: t, requestedBy: request.requestedBy, ticket: request.ticket, dryRun: this.batch.dryRun }),
          }
        : {};
      try {
        child = await startChild(releaseResource, {
          workflowId: id,
          args: [request],
          ...described,
          // A release follows its own rules: neither closing nor cancelling the batch stops it half-way.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          cancellationType: ChildWorkflowCancellationType.ABANDON,
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return this.join(id);
        throw err;
      } finally {
        this.starting--;
      }
      this.startedThisRun++;
      const report = await this.withApprovals(id, child.result());
      return { outcome: report.outcome === 'in-progress' ? 'ended-abnormally' : report.outcome };
    };
    go().then(
      (ending) => this.end(t, ending),
      (err: unknown) => {
        // Cancelled with the whole batch: this run ends now, and the release carries on by itself.
        if (isCancellation(err) && CancellationScope.current().consideredCancelled) return;
        this.end(t, endingOfFailure(err instanceof ChildWorkflowFailure ? err.cause : err));
      },
    );
  }

  /** A release the batch did not start in this run: followed by polling, with the batch's approvals passed on. */
  private join(id: string): Promise<ReleaseEnding> {
    return this.withApprovals(id, follow.awaitRelease(id));
  }

  /** While a release runs, pass it each batch-level approval once given, when it waits at that gate. */
  private async withApprovals<T>(id: string, ending: Promise<T>): Promise<T> {
    if (this.batch.dryRun) return ending;
    const scope = new CancellationScope();
    scope
      .run(() =>
        Promise.all(
          GATES.map(async (gate) => {
            const given = () => (gate === 'backup' ? this.s.approvals.backup : this.s.approvals.override) !== undefined;
            await condition(given);
            await follow.deliverApproval(id, gate, this.s.approvals);
          }),
        ),
      )
      // A delivery that ends without passing the gate leaves the release to its own deadline.
      .catch(() => undefined);
    try {
      return await ending;
    } finally {
      scope.cancel();
    }
  }

  private end(t: BatchTarget, ending: ReleaseEnding): void {
    const workflowId = this.idOf(t);
    this.running.delete(workflowId);
    record(this.s.tally, { resourceId: t.resourceId, provider: t.provider, workflowId, ...ending });
    if (!this.s.stopped && isFailure(ending.outcome) && breakerTripped(this.s.tally.counts, this.batch.breaker)) {
      this.s.stopped = `the breaker tripped: ${this.s.tally.failuresTotal} release(s) failed, over ${Math.round(100 * this.batch.breaker.maxFailureRate)}% of those that ended: no new release is started`;
    }
  }

  /** Hand over to a fresh run: what is left, the running IDs to follow, the counts; wait for nothing else. */
  private async continueAsNew(): Promise<never> {
    await condition(() => this.starting === 0 && allHandlersFinished());
    const carry: BatchCarry = { ...this.s, runs: this.s.runs + 1, pending: groupTargets(this.pending), running: [...this.running.values()] };
    const { typedSearchAttributes, memo } = workflowInfo();
    return makeContinueAsNewFunc<typeof batchRelease>({ typedSearchAttributes, memo })({ ...this.input, targets: undefined }, carry);
  }

  private describe(): void {
    const { requestedBy, ticket, dryRun, selector, targets } = this.batch;
    const providers = new Set(selector ? [selector.provider] : (targets ?? []).map((t) => t.provider));
    upsertSearchAttributes([{ key: SA.requester, value: requestedBy }, ...(providers.size === 1 ? [{ key: SA.provider, value: [...providers][0] }] : [])]);
    const what = selector ? `the ${selector.provider} ${selector.region} resources matching a selector` : `${targets?.length ?? 0} listed resource(s)`;
    upsertMemo({ dryRun, summary: `${dryRun ? 'Dry run: ' : ''}batch release of ${what} for ${requestedBy}, ticket ${ticket}` });
  }

  private progress(): BatchProgress {
    const { s } = this;
    const ended = Object.values(s.tally.counts).reduce((a, b) => a + b, 0);
    return {
      phase: this.phase,
      total: s.total,
      byPhase: { pending: this.pending.length, running: this.running.size, ended },
      byOutcome: s.tally.counts,
      running: [...this.running.keys()],
      pending: this.pending.length,
      failures: s.tally.failures,
      failuresTotal: s.tally.failuresTotal,
      paused: s.paused,
      cancelled: s.cancel,
      stopped: s.stopped,
      waitingFor: this.waitingFor ?? (s.paused ? 'resume: the batch is paused' : undefined),
      approvals: {
        backupConfirmedBy: s.approvals.backup?.confirmedBy,
        overrideApprovedBy: s.approvals.override?.approvedBy,
        batchConfirmedBy: s.capConfirmedBy,
      },
      runs: s.runs,
    };
  }

  private result(): BatchResult {
    const { s } = this;
    return {
      batchId: workflowInfo().workflowId,
      requestedBy: this.batch.requestedBy,
      ticket: this.batch.ticket,
      dryRun: this.batch.dryRun,
      total: s.total,
      counts: s.tally.counts,
      lines: s.tally.lines,
      moreLines: s.tally.moreLines,
      failuresTotal: s.tally.failuresTotal,
      ...(s.stopped ? { stopped: s.stopped } : {}),
      runs: s.runs,
    };
  }

  private installHandlers(): void {
    const raw = (typeof this.input === 'object' && this.input !== null ? this.input : {}) as { requestedBy?: unknown };
    const requester = () => (typeof raw.requestedBy === 'string' ? raw.requestedBy : '');
    const open = () => {
      if (this.phase === 'done' || this.phase === 'finishing') throw new Error('the batch starts no more releases');
    };
    // Approvals still reach the releases that run after the last one started.
    const running = () => {
      if (this.phase === 'done') throw new Error('the batch has ended');
    };
    const now = () => new Date().toISOString();
    setHandler(batchProgressQuery, () => this.progress());

    const by = { by: { max: MAX_IDENTITY, required: true }, reason: { max: MAX_REASON, required: false, multiline: true } };
    const confirmation = { confirmedBy: { max: MAX_IDENTITY, required: true } };
    setHandler(
      confirmBatchUpdate,
      (input, ...extra: unknown[]) => {
        const c = payload((i) => validateBatchPayload(i, confirmation), [input, ...extra]);
        this.s.capPassed = true;
        this.s.capConfirmedBy = c.confirmedBy;
        return { ok: true, detail: `confirmed by ${c.confirmedBy}: the batch starts` };
      },
      {
        validator: (input, ...extra: unknown[]) => {
          const c = payload((i) => validateBatchPayload(i, confirmation), [input, ...extra]);
          if (this.phase !== 'awaiting-confirmation' || this.s.capPassed) throw new Error('the batch is not waiting for confirmBatch');
          if (sameIdentity(c.confirmedBy!, requester())) throw new Error('the requester cannot confirm their own batch');
        },
      },
    );
    setHandler(
      confirmBackupUpdate,
      (input, ...extra: unknown[]): Approval => {
        const c = payload(validateBackupConfirmation, [input, ...extra]);
        this.s.approvals.backup = c;
        return { gate: 'backup', by: c.confirmedBy, reference: c.backupReference, comment: c.comment, at: now() };
      },
      {
        validator: (input, ...extra: unknown[]) => {
          payload(validateBackupConfirmation, [input, ...extra]);
          running();
          if (this.s.approvals.backup) throw new Error(`the backup was already confirmed for the batch by ${this.s.approvals.backup.confirmedBy}`);
        },
      },
    );
    setHandler(
      approveOverrideUpdate,
      (input, ...extra: unknown[]): Approval => {
        const a = payload(validateOverrideApproval, [input, ...extra]);
        this.s.approvals.override = a;
        return { gate: 'protection-override', by: a.approvedBy, comment: a.comment, at: now() };
      },
      {
        validator: (input, ...extra: unknown[]) => {
          const a = payload(validateOverrideApproval, [input, ...extra]);
          running();
          if (sameIdentity(a.approvedBy, requester())) throw new Error('the requester cannot approve their own override');
          if (this.s.approvals.override) throw new Error(`the override was already approved for the batch by ${this.s.approvals.override.approvedBy}`);
        },
      },
    );
    const control = (paused: boolean) => ({
      handler: (input: unknown, ...extra: unknown[]) => {
        const c = payload((i) => validateBatchPayload(i, by), [input, ...extra]);
        this.s.paused = paused;
        return { ok: true as const, detail: `${paused ? 'paused' : 'resumed'} by ${c.by}` };
      },
      validator: (input: unknown, ...extra: unknown[]) => {
        payload((i) => validateBatchPayload(i, by), [input, ...extra]);
        open();
        if (this.s.paused === paused) throw new Error(`the batch is ${paused ? 'already paused' : 'not paused'}`);
      },
    });
    const pause = control(true);
    const resume = control(false);
    setHandler(pauseBatchUpdate, pause.handler, { validator: pause.validator });
    setHandler(resumeBatchUpdate, resume.handler, { validator: resume.validator });
    setHandler(
      cancelBatchUpdate,
      (input, ...extra: unknown[]) => {
        const c = payload(validateCancelRequest, [input, ...extra]);
        this.s.cancel = c;
        this.s.stopped ??= `cancelled by ${c.by}: ${c.reason}`;
        return { ok: true, detail: 'cancelled: no new release is started; the running ones follow their own rules' };
      },
      {
        validator: (input, ...extra: unknown[]) => {
          payload(validateCancelRequest, [input, ...extra]);
          open();
          if (this.s.cancel) throw new Error(`already cancelled by ${this.s.cancel.by}`);
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
