// The audit trail's schema, one list of versioned migrations for PostgreSQL and PGlite alike. Each migration is
// a list of single statements (PGlite's parameterised queries take one at a time); applied once, in order,
// under an advisory lock so that workers starting together do not race.
import type { Sql, SqlDatabase } from './sql';

export const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE IF NOT EXISTS audit_records (
      workflow_id text NOT NULL,
      run_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('release', 'batch')),
      provider text,
      resource_kind text,
      region text,
      project_id text,
      resource_id text,
      requested_by text NOT NULL,
      ticket text NOT NULL,
      reason text NOT NULL,
      outcome text NOT NULL,
      failure_type text,
      summary text NOT NULL,
      dry_run boolean NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz NOT NULL,
      approvals jsonb NOT NULL,
      steps jsonb NOT NULL,
      deleted jsonb NOT NULL,
      retained jsonb NOT NULL,
      provider_request_ids text[] NOT NULL,
      report jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (workflow_id, run_id)
    )`,
    'CREATE INDEX IF NOT EXISTS audit_records_resource ON audit_records (resource_id, ended_at DESC)',
    'CREATE INDEX IF NOT EXISTS audit_records_requester ON audit_records (requested_by, ended_at DESC)',
    'CREATE INDEX IF NOT EXISTS audit_records_ticket ON audit_records (ticket, ended_at DESC)',
    'CREATE INDEX IF NOT EXISTS audit_records_ended ON audit_records (ended_at DESC)',
    'CREATE INDEX IF NOT EXISTS audit_records_request_ids ON audit_records USING gin (provider_request_ids)',
  ],
];

/** Bring the schema up to date (idempotent). */
export async function migrate(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx: Sql) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('cloud-release.audit.schema'))`);
    await tx.query('CREATE TABLE IF NOT EXISTS audit_schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM audit_schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    for (const [i, statements] of MIGRATIONS.entries()) {
      if (applied.has(i + 1)) continue;
      for (const statement of statements) await tx.query(statement);
      await tx.query('INSERT INTO audit_schema_migrations (version) VALUES ($1)', [i + 1]);
    }
  });
}
