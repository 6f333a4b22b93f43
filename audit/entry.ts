// What one audit record holds: the ended report of a release (or a batch) and where it ran.
import { z } from 'zod';
import type { Approval, ItemRecord, StepRecord } from '../domain/report';

export type AuditKind = 'release' | 'batch';

/**
 * The fields a record is built from. A release's ReleaseReport has them all; a batch's report names no single
 * resource, so `resource` and the item lists are optional.
 */
export interface AuditedReport {
  resource?: { provider?: string; kind?: string; region?: string; projectId?: string; resourceId?: string };
  requestedBy: string;
  ticket: string;
  reason?: string;
  outcome: string;
  summary?: string;
  dryRun?: boolean;
  startedAt: string;
  endedAt?: string;
  approvals?: Approval[];
  steps?: StepRecord[];
  deleted?: ItemRecord[];
  retained?: ItemRecord[];
  providerErrors?: { requestId?: string }[];
}

/** The argument of the recordAudit activity. */
export interface AuditEntry {
  workflowId: string;
  runId: string;
  kind: AuditKind;
  report: AuditedReport;
  /** The ApplicationFailure type the workflow ended with, if it failed. */
  failureType?: string;
}

/** One stored record, as queries answer it. */
export interface AuditRecord {
  workflowId: string;
  runId: string;
  kind: AuditKind;
  provider?: string;
  resourceKind?: string;
  region?: string;
  projectId?: string;
  resourceId?: string;
  requestedBy: string;
  ticket: string;
  reason: string;
  outcome: string;
  failureType?: string;
  summary: string;
  dryRun: boolean;
  startedAt: string;
  endedAt: string;
  approvals: Approval[];
  steps: StepRecord[];
  deleted: ItemRecord[];
  retained: ItemRecord[];
  providerRequestIds: string[];
  report: AuditedReport;
  recordedAt: string;
}

const text = z.string().min(1).max(2048);
const schema = z.object({
  workflowId: text,
  runId: text,
  kind: z.enum(['release', 'batch']),
  failureType: z.string().max(256).optional(),
  report: z.looseObject({
    requestedBy: z.string(),
    ticket: z.string(),
    outcome: z.string().min(1),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
  }),
});

/** The entry's problems, for a non-retryable failure (a malformed entry never gets better by retrying), or none. */
export function entryProblems(entry: unknown): string | undefined {
  const r = schema.safeParse(entry);
  return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ');
}

/** Every provider request ID of the report (its steps' and its provider errors'), once each, in order. */
export function requestIdsOf(report: AuditedReport): string[] {
  const ids = [...(report.steps ?? []).flatMap((s) => s.requestIds ?? []), ...(report.providerErrors ?? []).map((e) => e.requestId)];
  return [...new Set(ids.filter((id): id is string => !!id))];
}
