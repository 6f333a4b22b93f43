// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// Drain a DCC host: delete its deletable VMs through ECS delete jobs, in bounded parallel batches, within a
// deadline and a failure budget. Every submission is a destructive call made at most once; a job whose
// submission got no answer is not resubmitted (the re-check after the drain sees what is really left).
import { isCancellation } from '@temporalio/workflow';
import type { ResourceRef } from '../../domain/resource';
import type { ProviderActivities } from './proxies';
import type { Audit } from './audit';
import { destructiveCall } from './destructive';

/** VMs per ECS delete job. The API takes up to 1000; smaller jobs bound what one failed job takes down. */
export const DRAIN_BATCH_SIZE = 100;
/** Jobs in flight at once: with the provider queue's rate limit, this keeps a drain under ECS throttling. */
export const DRAIN_CONCURRENCY = 2;

export interface DrainLimits {
  deadlineMs: number;
  failureBudget: number;
}

export interface DrainResult {
  deleted: string[];
  failed: { vmId: string; reason: string }[];
  /** Submitted, but the submission's answer was lost: maybe deleted, never resubmitted. */
  unknown: string[];
  /** Not submitted: the deadline passed or the failure budget was spent first. */
  notAttempted: string[];
}

export async function drainHost(p: ProviderActivities, audit: Audit, ref: ResourceRef, vmIds: string[], limits: DrainLimits): Promise<DrainResult> {
  const batches: string[][] = [];
  for (let i = 0; i < vmIds.length; i += DRAIN_BATCH_SIZE) batches.push(vmIds.slice(i, i + DRAIN_BATCH_SIZE));
  const result: DrainResult = { deleted: [], failed: [], unknown: [], notAttempted: [] };
  const deadline = Date.now() + limits.deadlineMs;
  let next = 0;

  const worker = async () => {
    while (next < batches.length && result.failed.length <= limits.failureBudget && Date.now() < deadline) {
      const batch = batches[next++]!;
      const submitted = await audit.step(
        'prepare',
        `submit ECS delete job for ${batch.length} VM(s): ${batch.join(', ')}`,
        () => destructiveCall(audit, () => p.submitVmDeletion(ref, batch)),
        (r) => (r.kind === 'accepted' ? [r.receipt.requestId] : []),
      );
      if (submitted.kind === 'refused') {
        const reason = `the delete job was refused: ${(submitted.error as Error).message}`;
        result.failed.push(...batch.map((vmId) => ({ vmId, reason })));
        continue;
      }
      if (submitted.kind === 'unknown') {
        result.unknown.push(...batch);
        continue;
      }
      const { jobId } = submitted.receipt;
      try {
        const job = await audit.step('prepare', `follow ECS job ${jobId}`, () =>
          p.polls(Math.max(1_000, deadline - Date.now())).awaitVmDeletion(ref, jobId),
        );
        for (const sub of job.subJobs) {
          if (sub.status === 'SUCCESS') {
            result.deleted.push(sub.serverId);
            audit.deleted({ type: 'vm', id: sub.serverId, how: `drained by ECS job ${jobId}` });
          } else {
            result.failed.push({ vmId: sub.serverId, reason: sub.failReason ?? `sub-job ${sub.status}` });
          }
        }
      } catch (err) {
        if (isCancellation(err)) throw err;
        // The deadline passed while following the job: what happened to its VMs is read again by the re-check.
        result.unknown.push(...batch);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DRAIN_CONCURRENCY, batches.length) }, worker));
  result.notAttempted = batches.slice(next).flat();
  return result;
}
