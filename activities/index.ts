import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { InventoryPage, InventoryQuery } from '../domain/inventory';
import type { ValidRequest } from '../domain/request';
import type { CallReceipt, DestroyOptions, Provider, ReleaseAction, ResourceRef, ResourceSnapshot, ResourceStatus, VmDeleteJob } from '../domain/resource';
import type { Observation, ObservedItem, ProviderAdapter } from '../providers/adapter';
import { ActivityFailureType } from '../common/failure-types';
import type { AuditStore } from '../audit/store';
import { auditActivities } from './audit-record';
import { batchActivities } from './batch';
import { translated } from './failures';
import { createNotifyActivities } from './notify';
import { fencedDestructive, type HeartbeatRecorder } from './send-fence';
import { validateReleaseRequest } from './validate-request';

export interface ActivityDeps {
  /** One adapter per configured provider; a provider without one answers every call with a clear error. */
  adapters: Partial<Record<Provider, ProviderAdapter>>;
  /** Signs the sweeps' owner webhooks (activities/notify.ts); without it no webhook is sent. */
  webhookSecret?: string;
  /** Where recordAudit writes (audit/from-env.ts); without it recordAudit fails non-retryably. */
  auditStore?: AuditStore;
  /**
   * Records the destructive activities' heartbeats with the Temporal server (createWorkers gives the SDK's
   * AsyncCompletionClient): their requests leave only once "maybe sent" is recorded (activities/send-fence.ts).
   */
  heartbeats: HeartbeatRecorder;
}

/** Polling: "not there yet" is the expected answer of most attempts, so it is BENIGN (not logged or counted as an error). */
const notYet = (message: string) => ApplicationFailure.create({ message, type: ActivityFailureType.notYet, category: ApplicationFailureCategory.BENIGN });

/**
 * The activities, built with their dependencies injected so that tests point them at the simulators.
 * Destructive calls make exactly one provider request per attempt and are scheduled with a single attempt:
 * the workflow decides on retries, from the failure type.
 */
export function createActivities({ adapters, webhookSecret, auditStore, heartbeats }: ActivityDeps) {
  const adapter = (ref: ResourceRef): ProviderAdapter => {
    const a = adapters[ref.provider];
    if (!a) throw ApplicationFailure.nonRetryable(`no adapter is configured for provider ${ref.provider}`, ActivityFailureType.rejected);
    return a;
  };
  /** A capability of the resource's kind; asking a kind for one it does not have is a final error, never a call. */
  const capability = <C extends 'stopper' | 'drainer'>(ref: ResourceRef, name: C): NonNullable<ProviderAdapter[C]> => {
    const c = adapter(ref)[name];
    if (!c || !c.kinds.includes(ref.kind)) {
      throw ApplicationFailure.nonRetryable(
        `${ref.kind} ${name === 'stopper' ? 'is never stopped before a release' : 'has no VMs to drain'}`,
        ActivityFailureType.rejected,
      );
    }
    return c;
  };

  const destructive = {
    /**
     * The destructive call alone, one request: only this request can be "maybe made". It is made on the read the plan
     * was made (or re-checked) on, so a lost answer to a read is a plain retry.
     */
    sendDestroy: async (ref: ResourceRef, action: ReleaseAction, options: DestroyOptions): Promise<CallReceipt> =>
      fencedDestructive(heartbeats, ref.provider, () => adapter(ref).destroy(ref, action, options)),
    deleteDisk: async (ref: ResourceRef, diskId: string): Promise<CallReceipt> =>
      fencedDestructive(heartbeats, ref.provider, () => adapter(ref).deleteDisk(ref, diskId)),
    deleteSnapshot: async (ref: ResourceRef, snapshotId: string): Promise<CallReceipt> =>
      fencedDestructive(heartbeats, ref.provider, () => adapter(ref).deleteSnapshot(ref, snapshotId)),
    /** Drain: submit one ECS delete job for a batch of VMs on a host. */
    submitVmDeletion: async (ref: ResourceRef, vmIds: string[]): Promise<CallReceipt & { jobId: string }> => {
      const drainer = capability(ref, 'drainer');
      return fencedDestructive(heartbeats, ref.provider, () => drainer.deleteVms(ref, vmIds));
    },
  };

  return {
    ...destructive,
    // The same, under the names only fenced workers have (workflows/proxies.ts): a workflow reads "not sent" in their
    // timeouts, which an unfenced worker of an earlier deployment, polling the same queue, could not promise.
    sendDestroyFenced: destructive.sendDestroy,
    deleteDiskFenced: destructive.deleteDisk,
    deleteSnapshotFenced: destructive.deleteSnapshot,
    submitVmDeletionFenced: destructive.submitVmDeletion,
    ...createNotifyActivities({ webhookSecret }),
    ...auditActivities(auditStore),
    ...batchActivities(),
    /** Validate the workflow input; a bad input fails the release at once, naming every wrong field. */
    validateRequest(input: unknown): Promise<ValidRequest> {
      const result = validateReleaseRequest(input);
      if (result.ok) return Promise.resolve(result.request);
      return Promise.reject(
        ApplicationFailure.create({
          type: ActivityFailureType.invalidRequest,
          nonRetryable: true,
          message: `invalid release request: ${result.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
          details: [result.errors],
        }),
      );
    },

    /** Discovery: one page of what the provider lists (one list call); scheduled on the provider's queue. */
    async listInventory(provider: Provider, query: InventoryQuery): Promise<InventoryPage> {
      const a = adapters[provider];
      if (!a) throw ApplicationFailure.nonRetryable(`no adapter is configured for provider ${provider}`, ActivityFailureType.rejected);
      return translated(() => a.inventory(query));
    },

    async inspectResource(ref: ResourceRef): Promise<ResourceSnapshot> {
      return translated(() => adapter(ref).inspect(ref));
    },

    async stopInstance(ref: ResourceRef): Promise<CallReceipt> {
      const stopper = capability(ref, 'stopper');
      return translated(() => stopper.stop(ref));
    },

    /** Polls by failing until the instance is stopped; the retry policy sets the pace, the history stays small. */
    async awaitStopped(ref: ResourceRef): Promise<ResourceSnapshot> {
      const s = await translated(() => adapter(ref).inspect(ref));
      if (s.status !== 'stopped') throw notYet(`still ${s.rawStatus}`);
      return s;
    },

    /** Where the resource is on its way out (a read, retried): the release reads it right before its destructive call. */
    async resourceStatus(ref: ResourceRef): Promise<ResourceStatus> {
      return translated(() => adapter(ref).status(ref));
    },

    /**
     * Read every item again for the final verification, up to `settleAttempts` times: again while the provider
     * is still removing something (BENIGN), and again when a read failed (throttling, an outage: an item is
     * reported `unknown` only once its reads kept failing); then what is observed is returned as it is.
     */
    async observeItems(ref: ResourceRef, items: ObservedItem[], settleAttempts: number): Promise<Observation[]> {
      const seen = await translated(() => adapter(ref).observe(ref, items));
      if (Context.current().info.attempt >= settleAttempts) return seen;
      const list = (state: Observation['state']) =>
        seen
          .filter((o) => o.state === state)
          .map((o) => `${o.type} ${o.id}${o.detail ? ` (${o.detail})` : ''}`)
          .join(', ');
      const unread = list('unknown');
      if (unread) throw ApplicationFailure.retryable(`could not be read: ${unread}`, ActivityFailureType.unreachable);
      const settling = list('deleting');
      if (settling) throw notYet(`still being deleted: ${settling}`);
      return seen;
    },

    /**
     * v1 executions only (workflows/v1): the pre-read and the destructive call in one attempt. A resource
     * already being deleted or gone means an earlier call was accepted, so no second call is made.
     */
    async destroyResource(ref: ResourceRef, action: ReleaseAction, options: DestroyOptions): Promise<CallReceipt> {
      const a = adapter(ref);
      const before = await translated(() => a.status(ref), { destructive: true });
      if (before.state === 'gone' || before.state === 'deleting') return { alreadyDone: true, references: [`status ${before.rawStatus}`] };
      return translated(() => a.destroy(ref, action, options), { destructive: true });
    },

    /** Polls (by failing) until the resource is gone; DELETE_FAILED and the like end the polling at once. */
    async awaitGone(ref: ResourceRef): Promise<ResourceStatus> {
      const status = await translated(() => adapter(ref).status(ref));
      if (status.state === 'gone') return status;
      if (status.state === 'failed') {
        throw ApplicationFailure.create({
          type: ActivityFailureType.failed,
          nonRetryable: true,
          message: `the provider reports ${status.rawStatus}${status.detail ? `: ${status.detail}` : ''}`,
          details: [status],
        });
      }
      throw notYet(`still ${status.rawStatus}`);
    },

    /** Drain: polls (by failing) until the job ends; SUCCESS or FAIL both return, with every sub-job. */
    async awaitVmDeletion(ref: ResourceRef, jobId: string): Promise<VmDeleteJob> {
      const drainer = capability(ref, 'drainer');
      const job = await translated(() => drainer.vmDeleteJob(ref, jobId));
      if (job.status === 'SUCCESS' || job.status === 'FAIL') return job;
      throw notYet(`job ${jobId} is ${job.status}`);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
