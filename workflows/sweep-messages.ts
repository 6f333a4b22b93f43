// The decommission sweep's messages and result. Clients import these definitions to query and steer a sweep.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BatchResult } from '../domain/batch';
import type { OptOutRequest, SweepMode } from '../domain/sweep-policy';
import type { ResourceKind } from '../domain/resource';

export type SweepPhase = 'validate' | 'discover' | 'plan' | 'notify' | 'grace' | 'rediscover' | 'release' | 'done';

/** A resource the sweep considered, with why it matched, or why it was left alone. */
export interface SweepCandidate {
  kind: ResourceKind;
  resourceId: string;
  projectId?: string;
  owner?: string;
  /** Why it matched the policy. */
  reasons: string[];
  /** Report mode: the dry run's plan summary ("would delete…", "would be blocked…"), or why it could not be planned. */
  plan?: string;
  /** Execute mode: handed to the batchRelease (its result says how each release ended), or why not. */
  outcome?: 'handed-to-batch' | 'opted-out' | 'no-longer-matches' | 'owner-not-notified';
  detail?: string;
  /** Handed to the batch: how its release ended (the batch's line: `released`, `blocked: …`). */
  release?: string;
}

export interface SweepExclusion {
  kind: ResourceKind;
  resourceId: string;
  reasons: string[];
}

export interface OwnerNotification {
  owner: string;
  resources: string[];
  delivered: boolean;
  error?: string;
}

export interface OptOutRecord extends OptOutRequest {
  via: 'update' | 'tag';
  at: string;
}

export interface SweepResult {
  sweep: string;
  mode: SweepMode;
  startedAt: string;
  endedAt: string;
  /** Everything discovery listed (both rounds in execute mode: the first). */
  discovered: number;
  /** Discovery stopped at its page cap: some resources were not looked at. */
  discoveryTruncated: boolean;
  counts: { candidates: number; excluded: number; notified: number; optedOut: number; handedToBatch: number };
  /** At most MAX_LISTED of each; `truncated` says when some were left out. */
  candidates: SweepCandidate[];
  excluded: SweepExclusion[];
  notifications: OwnerNotification[];
  optOuts: OptOutRecord[];
  releaseAfter?: string;
  /** Execute mode: the one batchRelease child, its counts by outcome, or why it failed. */
  batch?: { workflowId: string; targets: number; counts?: BatchResult['counts']; stopped?: string; error?: string };
  truncated: boolean;
  summary: string;
}

export interface SweepProgress {
  phase: SweepPhase;
  candidates: string[];
  releaseAfter?: string;
  optOuts: OptOutRecord[];
}

export const sweepProgressQuery = defineQuery<SweepProgress>('sweepProgress');
/** During the grace period: keep one candidate out of this sweep. */
export const optOutUpdate = defineUpdate<OptOutRecord, [OptOutRequest]>('optOut');
