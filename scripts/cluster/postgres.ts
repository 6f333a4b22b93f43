// The cluster's two databases on PostgreSQL, set up by the Temporal server's own SQL tool as an operator does it:
// drop, create, set up the schema-versioning tables, then apply every versioned schema shipped in the module.
import { connect } from 'node:net';
import { join } from 'node:path';
import { run as runCommand } from './tools';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Fresh on every run: dropped first, so nothing of an earlier run (or anyone else's) is reused by accident. */
export const DATABASES = { default: 'cloud_release_temporal', visibility: 'cloud_release_temporal_visibility' } as const;

/** The SQL tool's own variables (SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD); unset: 127.0.0.1:5432, user postgres. */
export function postgresFromEnv(env: NodeJS.ProcessEnv = process.env): Postgres {
  const port = Number(env.SQL_PORT ?? 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`SQL_PORT must be a TCP port, got ${env.SQL_PORT}`);
  return { host: env.SQL_HOST ?? '127.0.0.1', port, user: env.SQL_USER ?? 'postgres', password: env.SQL_PASSWORD ?? '' };
}

export function assertReachable(pg: Postgres): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: pg.host, port: pg.port, timeout: 3_000 });
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`PostgreSQL is not reachable at ${pg.host}:${pg.port} (${why}): start it, or point SQL_HOST/SQL_PORT at one`));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('no answer within 3s'));
    socket.once('error', (err) => fail(err.message));
  });
}

/** Both databases, schema at the newest version of `schemaDir` (the module's schema/ directory). */
export async function setupDatabases(sqlTool: string, schemaDir: string, pg: Postgres): Promise<void> {
  const run = async (database: string, ...command: string[]) => {
    // The password goes through the tool's environment, not its command line (visible to every user in ps).
    const args = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database, ...command];
    try {
      await runCommand(sqlTool, args, { env: { ...process.env, SQL_PASSWORD: pg.password }, timeout: 60_000 });
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      const hint = command[0] === 'drop-database' ? ' (is a Temporal server of an earlier run still connected to it?)' : '';
      throw new Error(`temporal-sql-tool ${command[0]} on ${database} failed${hint}:\n${`${stdout}${stderr}`.trim().split('\n').slice(-5).join('\n')}`);
    }
  };
  const setup = async (database: string, schema: 'temporal' | 'visibility') => {
    await run(database, 'drop-database', '--force');
    await run(database, 'create-database');
    await run(database, 'setup-schema', '-v', '0.0');
    await run(database, 'update-schema', '-d', join(schemaDir, 'postgresql', 'v12', schema, 'versioned'));
  };
  await Promise.all([setup(DATABASES.default, 'temporal'), setup(DATABASES.visibility, 'visibility')]);
}
