// Activities of batchRelease that talk to Temporal itself (through the worker's client): find out whether a
// resource's release already ran or runs, follow a release the batch joined, and pass a batch-level
// approval to a release once it waits for it. They run on the workflow task queue.
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { ActivityFailureType } from '../common/failure-types';
import { endingOfFailure, type BatchApprovals, type ReleaseEnding } from '../domain/batch';
import type { Phase, ReleaseReport } from '../domain/report';
import { approveOverrideUpdate, confirmBackupUpdate, progressQuery } from '../workflows/messages';

/** Where a resource's release stands under its canonical ID. `succeeded`: its last run completed a real release. */
export type PriorRelease = 'none' | 'running' | 'succeeded';

/** Phases a release has passed its confirmations in. */
const PAST_CONFIRM: readonly Phase[] = ['prepare', 'recheck', 'destroy', 'wait-gone', 'cleanup', 'verify', 'done'];

const notYet = (message: string) => ApplicationFailure.create({ message, type: ActivityFailureType.notYet, category: ApplicationFailureCategory.BENIGN });

export function batchActivities() {
  const client = () => Context.current().client;
  return {
    /** The client's rule (client/release.ts): a completed run that was not a dry run released the resource. */
    async priorReleases(workflowIds: string[]): Promise<PriorRelease[]> {
      return Promise.all(
        workflowIds.map(async (id): Promise<PriorRelease> => {
          const last = await client()
            .workflow.getHandle(id)
            .describe()
            .catch((err: unknown) => {
              if (err instanceof WorkflowNotFoundError) return undefined;
              throw err;
            });
          if (last?.status.name === 'RUNNING') return 'running';
          if (last?.status.name !== 'COMPLETED') return 'none';
          const memo = (last.memo ?? {}) as { dryRun?: unknown; summary?: unknown };
          const dryRun = memo.dryRun === true || (typeof memo.summary === 'string' && memo.summary.startsWith('Dry run: '));
          return dryRun ? 'none' : 'succeeded';
        }),
      );
    },

    /** Follow a release the batch did not start (or started before continue-as-new) to its end: polls by failing (NotYet). */
    async awaitRelease(workflowId: string): Promise<ReleaseEnding> {
      const handle = client().workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') throw notYet(`${workflowId} is still running`);
      try {
        const report = (await handle.result()) as ReleaseReport;
        return { outcome: report.outcome === 'in-progress' ? 'ended-abnormally' : report.outcome };
      } catch (err) {
        if (err instanceof WorkflowFailedError) return endingOfFailure(err.cause);
        throw err;
      }
    },

    /**
     * Send a batch-level approval to one release once its progress shows it waiting at that gate (polls by failing
     * until then). The release's own validator decides (four eyes, gate still open). Returns what happened.
     */
    async deliverApproval(workflowId: string, gate: 'backup' | 'protection-override', approvals: BatchApprovals): Promise<string> {
      const handle = client().workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return 'not needed: the release has ended';
      const p = await handle.query(progressQuery);
      const update = gate === 'backup' ? confirmBackupUpdate : approveOverrideUpdate;
      const planned = p.plan && 'gates' in p.plan ? p.plan.gates.includes(gate) : undefined;
      if (planned === false || PAST_CONFIRM.includes(p.phase) || p.approvals.some((a) => a.gate === gate))
        return `not needed: the release does not wait for ${gate}`;
      if (p.phase !== 'confirm' || !p.waitingFor?.startsWith(`${update.name}:`)) throw notYet(`${workflowId} is not waiting for ${update.name}`);
      try {
        if (gate === 'backup') await handle.executeUpdate(confirmBackupUpdate, { args: [approvals.backup!] });
        else await handle.executeUpdate(approveOverrideUpdate, { args: [approvals.override!] });
        return 'delivered';
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return `refused by the release: ${err.cause?.message ?? err.message}`;
        throw err;
      }
    },
  };
}

export type BatchActivities = ReturnType<typeof batchActivities>;
