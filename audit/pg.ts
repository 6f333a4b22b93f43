// The audit store on a PostgreSQL server (production, the tests): a node-postgres pool.
import { Pool } from 'pg';
import type { SqlDatabase } from './sql';
import { SqlAuditStore } from './store';

/** The URL with its password replaced, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}

/** `message` without the URL's password, should a driver ever quote it. */
export function redacted(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // Unparsable: the driver will not have parsed a password out of it either.
  }
  return password ? message.split(password).join('***') : message;
}

export class PgAuditStore extends SqlAuditStore {
  /** `connectionString`: e.g. postgres://user:password@host:5432/db (`?options=-c search_path=audit` for a schema). */
  constructor(connectionString: string, max = 4) {
    const pool = new Pool({ connectionString, max });
    // An idle client's error (the server restarted) must not crash the worker: the next query reconnects.
    pool.on('error', (err) => console.warn(`audit store: idle connection lost: ${redacted(err.message, connectionString)}`));
    const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof Error) err.message = redacted(err.message, connectionString);
        throw err;
      }
    };
    const db: SqlDatabase = {
      query: (text, params) => guard(() => pool.query(text, params)) as never,
      transaction: (fn) =>
        guard(async () => {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const result = await fn(client);
            await client.query('COMMIT');
            return result;
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
          } finally {
            client.release();
          }
        }),
      close: () => pool.end(),
    };
    super(db, `PostgreSQL ${redactUrl(connectionString)}`);
  }
}
