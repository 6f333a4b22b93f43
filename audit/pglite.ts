// The embedded audit store (the sandbox's default): PGlite, PostgreSQL compiled to WebAssembly, in memory or in a
// data directory. A directory must never be open in two processes at once (that corrupts it), yet worker
// processes, the sandbox and the CLI share one: each statement or transaction opens it under `<dir>.lock`, and
// closes it again, so they take turns. Records are rare (one per release), so the second or so that takes is fine.
import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sql, SqlDatabase } from './sql';
import { SqlAuditStore } from './store';

/** How long to wait for another process's turn before giving up (the activity is then retried). */
const LOCK_WAIT_MS = 60_000;

export class PgliteAuditStore extends SqlAuditStore {
  /** `dataDir`: a directory (created if needed), or undefined for a store in memory. */
  constructor(dataDir?: string) {
    const dir = dataDir && resolve(dataDir);
    super(dir ? inDirectory(dir) : inMemory(), dir ? `PGlite ${dir}` : 'PGlite in memory');
  }
}

const on = (pg: PGlite): Sql => ({ query: (text, params) => pg.query(text, params) as never });

function inMemory(): SqlDatabase {
  const pg = new PGlite();
  return { ...on(pg), transaction: (fn) => pg.transaction((tx) => fn(tx as Sql)), close: () => pg.close() };
}

function inDirectory(dir: string): SqlDatabase {
  const turn = async <T>(fn: (pg: PGlite) => Promise<T>): Promise<T> => {
    const unlock = await lockDirectory(dir);
    const pg = new PGlite(dir);
    try {
      return await fn(pg);
    } finally {
      await pg.close().finally(unlock);
    }
  };
  return {
    query: (text, params) => turn((pg) => on(pg).query(text, params)),
    transaction: (fn) => turn((pg) => pg.transaction((tx) => fn(tx as Sql))),
    close: () => Promise.resolve(),
  };
}

/** Take `<dir>.lock`, waiting for its holder (taking over from a process that is gone); returns its release. */
async function lockDirectory(dir: string): Promise<() => void> {
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (const deadline = Date.now() + LOCK_WAIT_MS; ;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(lock, { encoding: 'utf8', flag: 'a+' }));
    if (holder && !alive(holder)) rmSync(lock, { force: true });
    else if (Date.now() > deadline) throw new Error(`the audit store ${dir} stayed locked by process ${holder || '?'} for ${LOCK_WAIT_MS / 1000} s (${lock})`);
    else await sleep(50 + Math.random() * 100);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};
