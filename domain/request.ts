import type { Provider, ResourceKind, ResourceRef } from './resource';

/** What to do with a disk or snapshot the provider would leave behind. */
export type LeftoverPolicy = 'keep' | 'delete';

/**
 * The input of `releaseResource`, as typed into the Web UI, passed by a service or by a schedule.
 * Validated by an activity (zod stays out of the workflow bundle); see activities/validate-request.ts.
 */
export interface ReleaseRequest {
  provider: Provider;
  kind: ResourceKind;
  region: string;
  /** Huawei project ID (required for Huawei resources). */
  projectId?: string;
  resourceId: string;
  /** Who asks for the release (a person or a service account). */
  requestedBy: string;
  /** Change ticket justifying it. */
  ticket: string;
  reason?: string;
  /** Inspect and plan only; nothing is changed. */
  dryRun?: boolean;
  backup?: {
    /** Wait for a `confirmBackup` update before any destructive step when data is at risk. Default true. */
    required?: boolean;
    /** How long to wait for it, e.g. "30m", "24h", "3d". Default "24h". */
    confirmWithin?: string;
  };
  options?: {
    /** Stop a running instance first where the provider requires it (Alibaba). Default false. */
    stopIfRunning?: boolean;
    /** Data disks the provider would retain: keep them, or delete them after the release. Default "keep". */
    retainedDataDisks?: LeftoverPolicy;
    /** Snapshots the provider would retain: keep them, or delete them after the release. Default "keep". */
    retainedSnapshots?: LeftoverPolicy;
    /** Release despite the protection tag; the release then waits for an `approveOverride` update by someone else. */
    overrideProtectionTag?: boolean;
  };
  /** DCC host drain limits. */
  drain?: {
    /** Give up draining after this long, e.g. "2h" (default). */
    deadline?: string;
    /** How many VMs may fail to delete before the drain stops submitting more (default 0). */
    failureBudget?: number;
  };
}

/** The request once validated, with every default filled in. */
export interface ValidRequest {
  ref: ResourceRef;
  requestedBy: string;
  ticket: string;
  reason: string;
  dryRun: boolean;
  backup: { required: boolean; confirmWithinMs: number };
  options: {
    stopIfRunning: boolean;
    retainedDataDisks: LeftoverPolicy;
    retainedSnapshots: LeftoverPolicy;
    overrideProtectionTag: boolean;
  };
  drain: { deadlineMs: number; failureBudget: number };
}

/** The tag that protects a resource from release unless the request overrides it with approval. */
export const PROTECTION_TAG = 'release-protection';

/** One release per resource: the canonical workflow ID. */
export function releaseWorkflowId(ref: Pick<ResourceRef, 'provider' | 'region' | 'resourceId'>): string {
  return `release/${ref.provider}/${ref.region}/${ref.resourceId}`;
}

/** Dry runs change nothing: they run beside the release, under an ID of their own. */
export function dryRunWorkflowId(ref: Pick<ResourceRef, 'provider' | 'region' | 'resourceId'>): string {
  return `dry-run/${ref.provider}/${ref.region}/${ref.resourceId}`;
}

export type { Provider, ResourceKind };
