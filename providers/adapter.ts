import type { InventoryPage, InventoryQuery } from '../domain/inventory';
import type { CallReceipt, DestroyOptions, ReleaseAction, ResourceKind, ResourceRef, ResourceSnapshot, ResourceStatus, VmDeleteJob } from '../domain/resource';
import type { ErrorClass, ProviderErrorDetails } from '../common/failure-types';

export type { ErrorClass, ProviderErrorDetails };

/**
 * One interface for every provider and resource kind. The workflow never asks which cloud it is
 * talking to: provider differences live behind this, and in the pure planner (domain/plan.ts).
 *
 * Every method throws `ProviderError` for an answer from the provider, so that callers can tell a
 * definite rejection (the call did not happen) from a lost answer (it may have happened).
 */
export interface ProviderAdapter {
  readonly kinds: readonly ResourceKind[];

  /** Read the resource and everything the planner needs. A resource that is gone gives `exists: false`, not an error. */
  inspect(ref: ResourceRef): Promise<ResourceSnapshot>;

  /**
   * The destructive call. "Already gone / already unsubscribed" resolves with `alreadyDone: true`.
   * Never retried internally: the caller decides, because a second call must never follow an accepted one.
   */
  destroy(ref: ResourceRef, action: ReleaseAction, options: DestroyOptions): Promise<CallReceipt>;

  /** Where the resource is on its way out. Not found is `gone`. */
  status(ref: ResourceRef): Promise<ResourceStatus>;

  /** Delete a disk left behind by the release. Not found resolves with `alreadyDone: true`. */
  deleteDisk(ref: ResourceRef, diskId: string): Promise<CallReceipt>;

  /** Delete a snapshot left behind by the release. Not found resolves with `alreadyDone: true`. */
  deleteSnapshot(ref: ResourceRef, snapshotId: string): Promise<CallReceipt>;

  /**
   * The final verification: read each item again and say what is observed. One unreadable item is
   * `unknown`, never an exception; the call throws only when the provider cannot be asked at all.
   */
  observe(ref: ResourceRef, items: readonly ObservedItem[]): Promise<Observation[]>;

  /**
   * Discovery: one page of the releasable resources of `query.kinds` (default all of `kinds`) in a region,
   * through the provider's own list APIs. Reads only. A kind the adapter does not release, or a page token
   * it did not issue, is a final ProviderError.
   */
  inventory(query: InventoryQuery): Promise<InventoryPage>;

  /** What only some kinds can do, present only on the adapters whose kinds need it (listed in it). */
  readonly stopper?: InstanceStopper;
  readonly drainer?: HostDrainer;
}

/** Kinds that are released only once stopped (Alibaba ECS). */
export interface InstanceStopper {
  readonly kinds: readonly ResourceKind[];
  /** Stop a running instance. Resolves once the stop was accepted (already stopping or stopped: `alreadyDone`). */
  stop(ref: ResourceRef): Promise<CallReceipt>;
}

/** Hosts whose VMs must be deleted before the host is released (Huawei DCC), through ECS delete jobs. */
export interface HostDrainer {
  readonly kinds: readonly ResourceKind[];
  /** Submit one ECS delete job for these VMs. */
  deleteVms(ref: ResourceRef, vmIds: string[]): Promise<CallReceipt & { jobId: string }>;
  /** Follow an ECS delete job and its sub-jobs. */
  vmDeleteJob(ref: ResourceRef, jobId: string): Promise<VmDeleteJob>;
}

/** An item a release deleted or kept: the resource itself, a disk, a snapshot, a VM of a drained host. */
export interface ObservedItem {
  type: 'resource' | 'disk' | 'snapshot' | 'vm';
  id: string;
}

/**
 * What a read found: `present` (exists, not being deleted), `deleting` (the provider is removing it),
 * `gone` (the provider says not found or deleted), `unknown` (the read failed: nobody knows).
 */
export interface Observation extends ObservedItem {
  state: 'present' | 'deleting' | 'gone' | 'unknown';
  /** The provider's own status, or why the read failed. */
  detail?: string;
}

/**
 * An answer from a provider that was an error. Carries what the audit needs and no secret:
 * never a header, a signature or a key.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly provider: string,
    readonly code: string,
    message: string,
    readonly errorClass: ErrorClass,
    readonly httpStatus?: number,
    readonly requestId?: string,
  ) {
    super(`${provider} ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${message}`);
  }

  get retryable(): boolean {
    return this.errorClass === 'retryable';
  }

  toJSON(): ProviderErrorDetails {
    return {
      provider: this.provider,
      code: this.code,
      message: this.message,
      errorClass: this.errorClass,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
    };
  }
}

/**
 * No answer came back (connection refused or reset, timeout, a body that is not the provider's).
 * For a destructive call this means the outcome is unknown: it may have been accepted.
 */
export class ProviderUnreachableError extends Error {
  override readonly name = 'ProviderUnreachableError';
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(`${provider}: no answer: ${message}`);
  }
}
