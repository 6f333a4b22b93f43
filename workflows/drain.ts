// Drain a DCC host: delete its deletable VMs through ECS delete jobs, in bounded parallel batches, within a
// deadline and a failure budget. Every submission is a destructive call made at most once, and once sent it
// is never abandoned: a cancel stops new submissions, while every submitted job is followed to its end. VMs
// whose fate is unknown (a lost answer, a job followed past the deadline) are read again before deciding.
import { CancellationScope } from '@temporalio/workflow';
import type { ResourceRef } from '../domain/resource';
import type { Observation } from '../providers/adapter';
import type { ProviderActivities } from './proxies';
import { failureMessage, type Audit } from './audit';
import { destructiveCall, judgeDestructive } from './destructive';

/** VMs per ECS delete job. The API takes up to 1000; smaller jobs bound what one failed job takes down. */
export const DRAIN_BATCH_SIZE = 100;
/** Jobs in flight at once: with the provider's request limit, this keeps a drain under ECS throttling. */
export const DRAIN_CONCURRENCY = 2;
/** Reads of VMs whose fate is unknown, while the provider is still deleting them. */
const SETTLE_ATTEMPTS = 20;

export interface DrainLimits {
  deadlineMs: number;
  failureBudget: number;
}

export interface DrainResult {
  deleted: string[];
  failed: { vmId: string; reason: string }[];
  /** Still unknown after reading the host's VMs again (the read itself failed). */
  unknown: string[];
  /** Not submitted: the deadline passed, the failure budget was spent, or the release was cancelled first. */
  notAttempted: string[];
  /** A cancel stopped the drain before every VM was submitted. */
  stoppedByCancel: boolean;
}

export async function drainHost(
  p: ProviderActivities,
  audit: Audit,
  ref: ResourceRef,
  vmIds: string[],
  limits: DrainLimits,
  cancelRequested: () => boolean,
): Promise<DrainResult> {
  // Submissions and the following of jobs are not cancellable: a sent request is followed to its end.
  return CancellationScope.nonCancellable(async () => {
    const batches: string[][] = [];
    for (let i = 0; i < vmIds.length; i += DRAIN_BATCH_SIZE) batches.push(vmIds.slice(i, i + DRAIN_BATCH_SIZE));
    const result: DrainResult = { deleted: [], failed: [], unknown: [], notAttempted: [], stoppedByCancel: false };
    const unresolved: string[] = [];
    const deadline = Date.now() + limits.deadlineMs;
    let next = 0;

    const submitMore = () => next < batches.length && result.failed.length <= limits.failureBudget && Date.now() < deadline && !cancelRequested();
    const worker = async () => {
      while (submitMore()) {
        const batch = batches[next++];
        const submitted = await audit.step(
          'prepare',
          `submit ECS delete job for ${batch.length} VM(s): ${batch.join(', ')}`,
          () => destructiveCall(audit, () => p.submitVmDeletion(ref, batch)),
          judgeDestructive,
        );
        if (submitted.kind === 'refused') {
          const reason = `the delete job was refused: ${failureMessage(submitted.error)}`;
          result.failed.push(...batch.map((vmId) => ({ vmId, reason })));
          continue;
        }
        if (submitted.kind !== 'accepted') {
          unresolved.push(...batch);
          continue;
        }
        const { jobId } = submitted.receipt;
        try {
          const job = await audit.step('prepare', `follow ECS job ${jobId}`, () =>
            p.polls(Math.max(60_000, deadline - Date.now())).awaitVmDeletion(ref, jobId),
          );
          for (const sub of job.subJobs) {
            if (sub.status === 'SUCCESS') result.deleted.push(sub.serverId);
            else result.failed.push({ vmId: sub.serverId, reason: sub.failReason ?? `sub-job ${sub.status}` });
          }
        } catch {
          // Followed past the deadline: what happened to its VMs is read below.
          unresolved.push(...batch);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DRAIN_CONCURRENCY, batches.length) }, worker));
    result.notAttempted = batches.slice(next).flat();
    result.stoppedByCancel = result.notAttempted.length > 0 && cancelRequested();
    if (unresolved.length > 0) await resolveByReading(p, audit, ref, unresolved, result);
    for (const vmId of result.deleted) audit.deleted({ type: 'vm', id: vmId, how: 'drained by an ECS delete job' });
    return result;
  });
}

/** A VM whose delete job's answer was lost, or whose job ran past the deadline: the host's VMs say what happened. */
async function resolveByReading(p: ProviderActivities, audit: Audit, ref: ResourceRef, vmIds: string[], result: DrainResult): Promise<void> {
  let seen: Observation[];
  try {
    seen = await audit.step('prepare', `read ${vmIds.length} VM(s) whose deletion was not confirmed`, () =>
      p.observeItems(
        ref,
        vmIds.map((id) => ({ type: 'vm' as const, id })),
        SETTLE_ATTEMPTS,
      ),
    );
  } catch {
    result.unknown.push(...vmIds);
    return;
  }
  const byId = new Map(seen.map((o) => [o.id, o]));
  for (const vmId of vmIds) {
    const o = byId.get(vmId);
    if (o?.state === 'gone') result.deleted.push(vmId);
    else if (o?.state === 'present')
      result.failed.push({ vmId, reason: `not deleted: its delete job's answer was lost or came too late, and the VM is still ${o.detail ?? 'there'}` });
    else result.unknown.push(vmId);
  }
}
