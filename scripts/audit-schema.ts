// A throw-away PostgreSQL schema for the audit records of one test run, fault-suite run or cluster run: the
// machine's server (CLOUD_RELEASE_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), one schema
// per run so runs never see each other's records, dropped at the end.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.CLOUD_RELEASE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface AuditSchema {
  /** For CLOUD_RELEASE_AUDIT_DATABASE_URL: the database with this schema first on the search path. */
  url: string;
  drop(): Promise<void>;
}

export async function createAuditSchema(prefix: string): Promise<AuditSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withClient(async (c) => {
    await c.query(`CREATE SCHEMA ${schema}`);
  });
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () => withClient((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)),
  };
}

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: TEST_DATABASE_URL });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${new URL(TEST_DATABASE_URL).host} (${err instanceof Error ? err.message : String(err)}): start it, or set CLOUD_RELEASE_TEST_DATABASE_URL`,
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
