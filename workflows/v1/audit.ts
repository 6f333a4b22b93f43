// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// The release's audit record, kept as the workflow goes: steps with times, approvals, what was deleted and
// kept, provider errors. Deterministic: times come from the workflow clock.
import { ActivityFailure, ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../../common/temporal';
import type { Plan } from './plan';
import type { ValidRequest } from '../../domain/request';
import type { Approval, ItemRecord, Phase, ReleaseOutcome, ReleaseReport, StepRecord } from './report';
import type { ResourceRef } from '../../domain/resource';
import type { ProviderErrorDetails } from '../../providers/adapter';
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

export class Audit {
  readonly report: ReleaseReport;
  phase: Phase = 'validate';
  waitingFor?: string;
  destructiveCallMade = false;

  constructor(workflowId: string, input: { requestedBy?: unknown; ticket?: unknown; reason?: unknown }, ref: ResourceRef) {
    this.report = {
      workflowId,
      resource: ref,
      requestedBy: String(input.requestedBy ?? ''),
      ticket: String(input.ticket ?? ''),
      reason: String(input.reason ?? ''),
      dryRun: false,
      outcome: 'released',
      summary: '',
      approvals: [],
      steps: [],
      deleted: [],
      retained: [],
      providerErrors: [],
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
  }

  enter(phase: Phase): void {
    this.phase = phase;
    upsertSearchAttributes([{ key: SA.phase, value: phase }]);
  }

  /** Run one step of a phase and record it, with the request IDs it returns. */
  async step<T>(phase: Phase, name: string, fn: () => Promise<T>, requestIdsOf?: (r: T) => (string | undefined)[]): Promise<T> {
    if (this.phase !== phase) this.enter(phase);
    const record: StepRecord = { phase, name, startedAt: now(), outcome: 'ok' };
    this.report.steps.push(record);
    try {
      const result = await fn();
      const ids = requestIdsOf?.(result).filter((x): x is string => !!x) ?? [];
      if (ids.length) record.requestIds = ids;
      return result;
    } catch (err) {
      record.outcome = 'failed';
      record.detail = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
      this.providerError(err);
      throw err;
    } finally {
      record.endedAt = now();
    }
  }

  /** Record a step that made no call (skipped, or decided by the workflow). */
  note(phase: Phase, name: string, outcome: StepRecord['outcome'], detail?: string): void {
    const at = now();
    this.report.steps.push({ phase, name, startedAt: at, endedAt: at, outcome, detail });
  }

  providerError(err: unknown): void {
    const e = providerErrorOf(err);
    if (e) this.report.providerErrors.push({ code: e.code, message: e.message, requestId: e.requestId, at: now() });
  }

  plan(plan: Plan): Plan {
    this.report.plan = plan;
    this.report.action = plan.action;
    return plan;
  }

  approve(approval: Approval): void {
    this.report.approvals.push(approval);
  }

  deleted(item: ItemRecord): void {
    this.report.deleted.push(item);
  }

  retained(item: ItemRecord): void {
    this.report.retained.push(item);
  }

  /** Close the record with its outcome. */
  finish(outcome: ReleaseOutcome, summary: string): ReleaseReport {
    this.report.outcome = outcome;
    this.report.summary = summary;
    this.report.endedAt = now();
    this.enter('done');
    return this.report;
  }

  /** Close the record and fail the workflow with it (non-retryable: a rule or the provider said no). */
  fail(type: string, outcome: ReleaseOutcome, summary: string): ApplicationFailure {
    return ApplicationFailure.create({ type, message: summary, nonRetryable: true, details: [this.finish(outcome, summary)] });
  }

  progress(): Progress {
    const r = this.report;
    return {
      phase: this.phase,
      waitingFor: this.waitingFor,
      plan: r.plan,
      steps: r.steps,
      approvals: r.approvals,
      retained: r.retained,
      lastProviderError: r.providerErrors.at(-1),
      destructiveCallMade: this.destructiveCallMade,
    };
  }
}
