// The recordAudit activity: write a release's (or a batch's) audit record once it has ended. Exactly once
// however often it runs (retries, a second worker): the store keeps the first write of each (workflowId, runId).
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { entryProblems, type AuditEntry } from '../audit/entry';
import type { AuditStore, RecordResult } from '../audit/store';
import { heartbeating } from './failures';

/** ApplicationFailure types of recordAudit (both non-retryable). */
export const AuditFailureType = { noStore: 'AuditStoreMissing', invalidEntry: 'InvalidAuditEntry' } as const;

export function auditActivities(store: AuditStore | undefined) {
  return {
    /**
     * Record the ended report. A store that cannot be reached fails the attempt (retried); a record already
     * there with other content is kept and logged as an error.
     */
    async recordAudit(entry: AuditEntry): Promise<RecordResult> {
      if (!store) {
        throw ApplicationFailure.nonRetryable(
          'recordAudit: this worker has no audit store (configure CLOUD_RELEASE_AUDIT_DATABASE_URL or CLOUD_RELEASE_AUDIT_DIR, or set CLOUD_RELEASE_AUDIT=off)',
          AuditFailureType.noStore,
        );
      }
      const problems = entryProblems(entry);
      if (problems) throw ApplicationFailure.nonRetryable(`recordAudit: invalid entry: ${problems}`, AuditFailureType.invalidEntry);
      const result = await heartbeating(() => store.record(entry)).catch((err: unknown) => {
        // A data exception or an integrity violation (SQLSTATE class 22, 23) fails the same way every time: no retry
        // may keep the workflow open forever on an entry the database refuses.
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && /^2[23]/.test(code)) {
          throw ApplicationFailure.nonRetryable(
            `recordAudit: the store refuses the entry (SQLSTATE ${code}): ${(err as Error).message}`,
            AuditFailureType.invalidEntry,
          );
        }
        throw err;
      });
      const what = `${entry.kind} ${entry.workflowId} run ${entry.runId}`;
      if (result === 'skipped') log.warn(`audit record of ${what} skipped: the audit trail is off`);
      if (result === 'conflict')
        log.error(`audit record of ${what} already exists with different content: kept as it was, not overwritten`, { store: store.description });
      return result;
    },
  };
}
