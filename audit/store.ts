// The audit store: one record per workflow run, written exactly once (primary key (workflow_id, run_id) and
// INSERT … ON CONFLICT DO NOTHING), queryable by resource, requester, ticket, time and request ID. The SQL here
// is the only SQL: PgAuditStore (pg.ts) and PgliteAuditStore (pglite.ts) run it on their own connection.
import { requestIdsOf, type AuditEntry, type AuditKind, type AuditRecord } from './entry';
import { migrate } from './schema';
import type { SqlDatabase } from './sql';

export interface AuditQuery {
  resourceId?: string;
  provider?: string;
  requester?: string;
  ticket?: string;
  /** Ended at or after (ISO time). */
  from?: string;
  /** Ended before (ISO time). */
  to?: string;
  outcome?: string;
  kind?: AuditKind;
  /** Records whose steps or provider errors carry this provider request ID. */
  requestId?: string;
  /** At most this many, newest first (default 50, at most 1000). */
  limit?: number;
}

/**
 * What a write did: `recorded`; `duplicate` (already there, same content: a retry or a second worker);
 * `conflict` (already there with different content: kept, not overwritten); `skipped` (the trail is off).
 */
export type RecordResult = 'recorded' | 'duplicate' | 'conflict' | 'skipped';

export interface AuditStore {
  /** Where the records go, for logs (credentials redacted). */
  readonly description: string;
  record(entry: AuditEntry): Promise<RecordResult>;
  /** Newest first. */
  query(filter?: AuditQuery): Promise<AuditRecord[]>;
  /** The record of one run, or of the workflow's latest recorded run. */
  get(workflowId: string, runId?: string): Promise<AuditRecord | undefined>;
  close(): Promise<void>;
}

const INSERT = `INSERT INTO audit_records (workflow_id, run_id, kind, provider, resource_kind, region, project_id, resource_id,
    requested_by, ticket, reason, outcome, failure_type, summary, dry_run, started_at, ended_at,
    approvals, steps, deleted, retained, provider_request_ids, report)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::timestamptz, COALESCE($17::timestamptz, now()),
    $18::jsonb, $19::jsonb, $20::jsonb, $21::jsonb, $22::text[], $23::jsonb)
  ON CONFLICT (workflow_id, run_id) DO NOTHING
  RETURNING workflow_id`;

const SAME = `SELECT report = $3::jsonb AS same FROM audit_records WHERE workflow_id = $1 AND run_id = $2`;

const QUERY = `SELECT * FROM audit_records
  WHERE ($1::text IS NULL OR resource_id = $1)
    AND ($2::text IS NULL OR provider = $2)
    AND ($3::text IS NULL OR requested_by = $3)
    AND ($4::text IS NULL OR ticket = $4)
    AND ($5::timestamptz IS NULL OR ended_at >= $5)
    AND ($6::timestamptz IS NULL OR ended_at < $6)
    AND ($7::text IS NULL OR outcome = $7)
    AND ($8::text IS NULL OR kind = $8)
    AND ($9::text IS NULL OR provider_request_ids @> ARRAY[$9::text])
  ORDER BY ended_at DESC, workflow_id, run_id
  LIMIT $10`;

const GET = `SELECT * FROM audit_records WHERE workflow_id = $1 AND ($2::text IS NULL OR run_id = $2)
  ORDER BY ended_at DESC, recorded_at DESC LIMIT 1`;

/** The store on any SqlDatabase; the schema is brought up to date before the first statement. */
export class SqlAuditStore implements AuditStore {
  private ready?: Promise<void>;

  constructor(
    private readonly db: SqlDatabase,
    readonly description: string,
  ) {}

  private async sql() {
    await (this.ready ??= migrate(this.db).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    }));
    return this.db;
  }

  async record(entry: AuditEntry): Promise<RecordResult> {
    const { workflowId, runId, kind, report, failureType } = storable(entry);
    const db = await this.sql();
    const r = report.resource ?? {};
    const json = JSON.stringify(report);
    const { rows } = await db.query(INSERT, [
      workflowId,
      runId,
      kind,
      r.provider ?? null,
      r.kind ?? null,
      r.region ?? null,
      r.projectId ?? null,
      r.resourceId ?? null,
      report.requestedBy,
      report.ticket,
      report.reason ?? '',
      report.outcome,
      failureType ?? null,
      report.summary ?? '',
      report.dryRun ?? false,
      report.startedAt,
      report.endedAt ?? null,
      JSON.stringify(report.approvals ?? []),
      JSON.stringify(report.steps ?? []),
      JSON.stringify(report.deleted ?? []),
      JSON.stringify(report.retained ?? []),
      requestIdsOf(report),
      json,
    ]);
    if (rows.length) return 'recorded';
    const same = await db.query<{ same: boolean }>(SAME, [workflowId, runId, json]);
    return same.rows[0]?.same ? 'duplicate' : 'conflict';
  }

  async query(f: AuditQuery = {}): Promise<AuditRecord[]> {
    const db = await this.sql();
    const limit = Math.min(Math.max(Math.trunc(f.limit ?? 50), 1), 1000);
    const { rows } = await db.query(QUERY, [
      f.resourceId ?? null,
      f.provider ?? null,
      f.requester ?? null,
      f.ticket ?? null,
      f.from ?? null,
      f.to ?? null,
      f.outcome ?? null,
      f.kind ?? null,
      f.requestId ?? null,
      limit,
    ]);
    return rows.map(recordOf);
  }

  async get(workflowId: string, runId?: string): Promise<AuditRecord | undefined> {
    const db = await this.sql();
    const { rows } = await db.query(GET, [workflowId, runId ?? null]);
    return rows[0] && recordOf(rows[0]);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

const iso = (v: unknown) => new Date(v as Date | string).toISOString();
const optional = (v: unknown) => (typeof v === 'string' ? v : undefined);

function recordOf(row: Record<string, unknown>): AuditRecord {
  return {
    workflowId: String(row.workflow_id),
    runId: String(row.run_id),
    kind: row.kind as AuditKind,
    provider: optional(row.provider),
    resourceKind: optional(row.resource_kind),
    region: optional(row.region),
    projectId: optional(row.project_id),
    resourceId: optional(row.resource_id),
    requestedBy: String(row.requested_by),
    ticket: String(row.ticket),
    reason: String(row.reason),
    outcome: String(row.outcome),
    failureType: optional(row.failure_type),
    summary: String(row.summary),
    dryRun: row.dry_run === true,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    approvals: row.approvals as AuditRecord['approvals'],
    steps: row.steps as AuditRecord['steps'],
    deleted: row.deleted as AuditRecord['deleted'],
    retained: row.retained as AuditRecord['retained'],
    providerRequestIds: row.provider_request_ids as string[],
    report: row.report as AuditRecord['report'],
    recordedAt: iso(row.recorded_at),
  };
}

/**
 * The entry as PostgreSQL can hold it: text and jsonb refuse the NUL character, which a refused input may carry (a
 * resource ID with a NUL is refused by the validation, and its refusal must still be recorded). Each NUL becomes
 * U+FFFD, the replacement character, everywhere in the entry; every other character is kept as it is.
 */
export function storable(entry: AuditEntry): AuditEntry {
  return withoutNul(entry) as AuditEntry;
}

function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('\0', '\uFFFD');
  if (Array.isArray(v)) return v.map(withoutNul);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [withoutNul(k), withoutNul(x)]));
  return v;
}
