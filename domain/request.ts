import { MAX_REGION, MAX_RESOURCE_ID, TEMPORAL_MAX_WORKFLOW_ID_BYTES, utf8Length } from './limits';
import type { Provider, ResourceKind, ResourceRef } from './resource';

/** What to do with a disk or snapshot the provider would leave behind. */
export type LeftoverPolicy = 'keep' | 'delete';

/**
 * The input of `releaseResource`, as typed into the Web UI, passed by a service or by a schedule.
 * Validated by an activity (zod stays out of the workflow bundle); see activities/validate-request.ts. Every field
 * has a format and a bound (domain/limits.ts): region and resourceId per provider and kind (REGION_FORMATS,
 * RESOURCE_ID_FORMATS, at most 64 characters each), requestedBy ≤ 256, ticket ≤ 128, reason ≤ 2000 characters,
 * no control characters (reason: newline and tab allowed), backup.confirmWithin 1s..30d, drain.deadline
 * 1s..7d, drain.failureBudget 0..10000, the whole input ≤ 16 KiB of JSON, one workflow argument only.
 */
export interface ReleaseRequest {
  provider: Provider;
  kind: ResourceKind;
  region: string;
  /** Huawei project ID, 32 lower-case hex characters: required for Huawei resources, refused for the others. */
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
    /** How long to wait for the `approveOverride` update, e.g. "30m", "24h" (default), "3d". */
    approveOverrideWithin?: string;
    /** How long to watch for the resource to be gone after the destructive call, e.g. "30m" (default), "2h". */
    waitGoneWithin?: string;
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
  /** How long an `approveOverride` may take (options.approveOverrideWithin): its own deadline, not the backup's. */
  overrideApproval: { withinMs: number };
  /** Absent in the validated requests of executions recorded before it existed: 30 minutes. */
  waitGone?: { withinMs: number };
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

/** A format a field must match, with the words an error message uses for it. */
export interface Format {
  pattern: RegExp;
  description: string;
}

const UUID: Readonly<Format> = {
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  description: 'a UUID in lower-case hex, 8-4-4-4-12 (e.g. d0000001-0000-4000-8000-000000000001)',
};

/**
 * The resource ID each kind takes. Huawei Lite Server nodes and supernodes (DevServer / hyperinstance IDs),
 * racks (the billing resource ID of the rack, a UUID like every other ModelArts billing resource ID) and DCC
 * hosts are UUIDs; Alibaba ECS `i-` and lower-case letters and digits; Baidu BCC `i-` and letters and digits.
 * Upper-case UUIDs are refused rather than folded: the ID is part of the canonical workflow ID, and one
 * resource must have one ID. Every format is at most MAX_RESOURCE_ID characters.
 */
export const RESOURCE_ID_FORMATS: Readonly<Record<ResourceKind, Format>> = {
  'modelarts-node': UUID,
  'modelarts-supernode': UUID,
  'modelarts-rack': UUID,
  'dcc-host': UUID,
  'ecs-instance': { pattern: /^i-[a-z0-9]{1,62}$/, description: 'i- followed by lower-case letters and digits (e.g. i-bp1stoppedpaygo01)' },
  'bcc-instance': { pattern: /^i-[A-Za-z0-9]{1,62}$/, description: 'i- followed by letters and digits (e.g. i-AbCdEf12)' },
};

/**
 * Region IDs as each provider spells them, at most MAX_REGION characters: Alibaba `cn-hangzhou`,
 * `ap-southeast-1`, `cn-shanghai-finance-1`; Baidu short codes `bj`, `gz`, `su`, `hkg`, `fwh`; Huawei
 * `cn-southwest-2`, `ap-southeast-1`, `la-south-2` (always ending in a number).
 */
export const REGION_FORMATS: Readonly<Record<Provider, Format>> = {
  alibaba: { pattern: /^[a-z]{2,12}(-[a-z0-9]{1,16}){1,4}$/, description: 'an Alibaba region ID like cn-hangzhou or ap-southeast-1' },
  baidu: { pattern: /^[a-z]{2,8}$/, description: 'a Baidu region code like bj, gz, su or hkg' },
  huawei: { pattern: /^[a-z]{2,12}(-[a-z]{1,16}){1,3}-[0-9]{1,3}$/, description: 'a Huawei region ID like cn-southwest-2 or ap-southeast-1' },
};

/** Huawei project IDs: 32 lower-case hex characters. Other providers take no projectId. */
export const PROJECT_ID_FORMAT: Readonly<Format> = {
  pattern: /^[0-9a-f]{32}$/,
  description: '32 lower-case hex characters (e.g. 0b5c1f8e6a00d3e02f2cc00a5c3b2f1e)',
};

/**
 * Whether the canonical workflow IDs of a resource (release and dry run) fit Temporal's workflow ID limit.
 * Always true for a validated request: region and resourceId are bounded (MAX_REGION, MAX_RESOURCE_ID) and ASCII.
 */
export function workflowIdsFit(ref: Pick<ResourceRef, 'provider' | 'region' | 'resourceId'>): boolean {
  return utf8Length(releaseWorkflowId(ref)) <= TEMPORAL_MAX_WORKFLOW_ID_BYTES && utf8Length(dryRunWorkflowId(ref)) <= TEMPORAL_MAX_WORKFLOW_ID_BYTES;
}

export { MAX_REGION, MAX_RESOURCE_ID };
export type { FieldError } from './limits';
export type { Provider, ResourceKind };
