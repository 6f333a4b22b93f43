// The release's audit record, kept as the workflow goes: steps with times, approvals, what was deleted and
// kept, provider errors, what the verification observed. Deterministic: times come from the workflow clock.
import { ActivityFailure, ApplicationFailure, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ProviderErrorDetails, ReleaseFailureTypeName } from '../common/failure-types';
import { SA } from '../common/temporal';
import type { Gate, Plan } from '../domain/plan';
import type { ValidRequest } from '../domain/request';
import type { Approval, ItemRecord, Phase, ReleaseOutcome, ReleaseReport, StepRecord } from '../domain/report';
import type { ResourceRef } from '../domain/resource';
import { currentDetails } from './details';
import { phaseLeft, releaseEnded, releaseStarted, waitEnded, waitStarted } from './metrics';
import type { Progress } from './messages';

const now = () => new Date().toISOString();

/** The provider error inside an activity failure, if it carries one. */
export function providerErrorOf(err: unknown): ProviderErrorDetails | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const d = cause.details?.[0] as Partial<ProviderErrorDetails> | undefined;
  return d && typeof d.code === 'string' && typeof d.provider === 'string' ? (d as ProviderErrorDetails) : undefined;
}

/** The ApplicationFailure type behind an activity failure (undefined for timeouts and cancellations). */
export function failureTypeOf(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The innermost message of a failure, for people. */
export function failureMessage(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? String(err);
}

/** A failure that already carries the closed report: the release's ending. */
export const isEnding = (err: unknown): err is ApplicationFailure =>
  err instanceof ApplicationFailure && (err.details?.[0] as Partial<ReleaseReport> | undefined)?.workflowId !== undefined;

export class Audit {
  readonly report: ReleaseReport;
  phase: Phase = 'validate';
  private waiting?: { what: string; gate?: Gate };
  /** When the current phase began (workflow time), for its duration metric. */
  private phaseSince = Date.now();
  /** A destructive request (the release's own, a drain job, a cleanup) may have reached the provider. */
  destructiveCallMade = false;

  constructor(
    workflowId: string,
    ref: ResourceRef,
    input: { requestedBy?: unknown; ticket?: unknown; reason?: unknown },
    /** The phases written to the ReleasePhase search attribute (each one a history event); all of them when not given. */
    private readonly listedPhases?: ReadonlySet<Phase>,
  ) {
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 256) : '');
    this.report = {
      workflowId,
      resource: ref,
      requestedBy: text(input.requestedBy),
      ticket: text(input.ticket),
      reason: text(input.reason),
      dryRun: false,
      outcome: 'in-progress',
      summary: '',
      approvals: [],
      steps: [],
      deleted: [],
      retained: [],
      providerErrors: [],
      cancels: [],
      startedAt: now(),
    };
  }

  begin(request: ValidRequest): void {
    Object.assign(this.report, {
      resource: request.ref,
      requestedBy: request.requestedBy,
      ticket: request.ticket,
      reason: request.reason,
      dryRun: request.dryRun,
    });
    releaseStarted(request.ref);
  }

  enter(phase: Phase): void {
    if (this.phase === phase) return;
    phaseLeft(this.report.resource, this.phase, Date.now() - this.phaseSince);
    this.phase = phase;
    this.phaseSince = Date.now();
    if (!this.listedPhases || this.listedPhases.has(phase)) upsertSearchAttributes([{ key: SA.phase, value: phase }]);
    this.show();
  }

  get waitingFor(): string | undefined {
    return this.waiting?.what;
  }

  /** What the release waits for now (`undefined`: nothing); `gate` when it is a person, whose update the UI then shows. */
  wait(what: string | undefined, gate?: Gate): void {
    if (this.waiting?.gate) waitEnded(this.report.resource, this.waiting.gate);
    this.waiting = what === undefined ? undefined : { what, gate };
    if (gate) waitStarted(this.report.resource, gate);
    this.show();
  }

  /** The Web UI's current details (a workflow query's answer: no history event). */
  private show(): void {
    const r = this.report;
    setCurrentDetails(
      currentDetails({
        workflowId: r.workflowId,
        ref: r.resource,
        phase: this.phase,
        outcome: r.outcome,
        summary: r.summary,
        waitingFor: this.waiting?.what,
        gate: this.waiting?.gate,
        plan: r.plan,
        lastStep: r.steps.at(-1),
        approvals: r.approvals,
      }),
    );
  }

  /**
   * Run one step of a phase and record it, with the request IDs it returns. `judge` turns a result that is
   * not an exception (a refused destructive call) into a failed step with its reason.
   */
  async step<T>(
    phase: Phase,
    name: string,
    fn: () => Promise<T>,
    judge?: (r: T) => { requestIds?: (string | undefined)[]; failed?: string; unknown?: string },
  ): Promise<T> {
    this.enter(phase);
    const record: StepRecord = { phase, name, startedAt: now(), outcome: 'ok' };
    this.report.steps.push(record);
    this.show();
    try {
      const result = await fn();
      const verdict = judge?.(result) ?? {};
      const ids = (verdict.requestIds ?? []).filter((x): x is string => !!x);
      if (ids.length) record.requestIds = ids;
      if (verdict.failed !== undefined) Object.assign(record, { outcome: 'failed', detail: verdict.failed });
      else if (verdict.unknown !== undefined) Object.assign(record, { outcome: 'unknown', detail: verdict.unknown });
      return result;
    } catch (err) {
      record.outcome = 'failed';
      record.detail = failureMessage(err);
      const requestId = this.providerError(err);
      if (requestId) record.requestIds = [requestId];
      throw err;
    } finally {
      record.endedAt = now();
      this.show();
    }
  }

  /** Record a step that made no call (skipped, or decided by the workflow). */
  note(phase: Phase, name: string, outcome: StepRecord['outcome'], detail?: string): void {
    const at = now();
    this.report.steps.push({ phase, name, startedAt: at, endedAt: at, outcome, detail });
    this.show();
  }

  /** Record the provider error inside a failure, if any; returns its request ID. */
  providerError(err: unknown): string | undefined {
    const e = providerErrorOf(err);
    if (e) this.report.providerErrors.push({ code: e.code, message: e.message, requestId: e.requestId, at: now() });
    return e?.requestId;
  }

  plan(plan: Plan): Plan {
    this.report.plan = plan;
    if ('action' in plan) this.report.action = plan.action;
    this.show();
    return plan;
  }

  approve(approval: Approval): void {
    this.report.approvals.push(approval);
    this.show();
  }

  deleted(item: ItemRecord): void {
    this.report.deleted.push(item);
  }

  retained(item: ItemRecord): void {
    this.report.retained.push(item);
  }

  /** Close the record with its outcome. */
  finish(outcome: Exclude<ReleaseOutcome, 'in-progress'>, summary: string): ReleaseReport {
    this.report.outcome = outcome;
    this.report.summary = summary;
    this.report.endedAt = now();
    if (this.waiting?.gate) waitEnded(this.report.resource, this.waiting.gate);
    this.waiting = undefined;
    this.enter('done');
    releaseEnded(this.report.resource, outcome);
    this.show();
    return this.report;
  }

  /** Close the record and fail the workflow with it (non-retryable: a rule, a person or the provider said no). */
  fail(type: ReleaseFailureTypeName, outcome: Exclude<ReleaseOutcome, 'in-progress'>, summary: string): ApplicationFailure {
    return ApplicationFailure.create({ type, message: summary, nonRetryable: true, details: [this.finish(outcome, summary)] });
  }

  progress(): Progress {
    const r = this.report;
    return {
      phase: this.phase,
      outcome: r.outcome,
      waitingFor: this.waitingFor,
      plan: r.plan,
      steps: r.steps,
      approvals: r.approvals,
      deleted: r.deleted,
      retained: r.retained,
      lastProviderError: r.providerErrors.at(-1),
      destructiveCallMade: this.destructiveCallMade,
    };
  }
}
