// Which audit store a process uses, from its environment (the worker, the sandbox and the CLI alike):
//   CLOUD_RELEASE_AUDIT=off               no store: records are skipped, each with a warning;
//   CLOUD_RELEASE_AUDIT_DATABASE_URL      a PostgreSQL server (production);
//   CLOUD_RELEASE_AUDIT_DIR               an embedded PGlite store in that directory;
//   otherwise                             PGlite in the clone's .sandbox/audit (the sandbox's store).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PgAuditStore } from './pg';
import { PgliteAuditStore } from './pglite';
import type { AuditStore } from './store';

/** `.sandbox/audit` of the clone, from the sources (audit/) or from the build (dist/audit/). */
export const SANDBOX_AUDIT_DIR = join(
  [join(__dirname, '..'), join(__dirname, '..', '..')].find((root) => existsSync(join(root, 'package.json'))) ?? process.cwd(),
  '.sandbox',
  'audit',
);

/** The store of CLOUD_RELEASE_AUDIT=off: every write is skipped (the activity warns), every read refused. */
export const auditOff: AuditStore = {
  description: 'off (CLOUD_RELEASE_AUDIT=off)',
  record: () => Promise.resolve('skipped'),
  query: () => Promise.reject(new Error('the audit trail is off (CLOUD_RELEASE_AUDIT=off)')),
  get: () => Promise.reject(new Error('the audit trail is off (CLOUD_RELEASE_AUDIT=off)')),
  close: () => Promise.resolve(),
};

export function auditStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<AuditStore> {
  if (env.CLOUD_RELEASE_AUDIT === 'off') return Promise.resolve(auditOff);
  if (env.CLOUD_RELEASE_AUDIT_DATABASE_URL) {
    return Promise.resolve(new PgAuditStore(env.CLOUD_RELEASE_AUDIT_DATABASE_URL));
  }
  return Promise.resolve(new PgliteAuditStore(env.CLOUD_RELEASE_AUDIT_DIR || SANDBOX_AUDIT_DIR));
}
