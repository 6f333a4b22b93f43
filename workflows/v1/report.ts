// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
import type { Gate, Plan } from './plan';
import type { ReleaseAction, ResourceRef } from '../../domain/resource';

/** The phases of a release, in order; each is its own step in the history and in the report. */
export type Phase =
  | 'validate'
  | 'delegate'
  | 'inspect'
  | 'plan'
  | 'confirm'
  | 'prepare'
  | 'recheck'
  | 'destroy'
  | 'wait-gone'
  | 'cleanup'
  | 'done';

export interface StepRecord {
  phase: Phase;
  name: string;
  startedAt: string;
  endedAt?: string;
  outcome: 'ok' | 'failed' | 'skipped' | 'unknown';
  detail?: string;
  /** Provider request IDs of the calls the step made. */
  requestIds?: string[];
}

export interface Approval {
  gate: Gate;
  by: string;
  reference?: string;
  comment?: string;
  at: string;
}

export interface ItemRecord {
  type: 'resource' | 'disk' | 'snapshot' | 'vm';
  id: string;
  /** Who removed it, or why it stays. */
  how: string;
}

/**
 * How a release ended. It completes only when the resource is gone (`released`, `already-gone`) or for a
 * `dry-run` or a `delegated` start; every other ending fails the workflow with a ReleaseFailureType and this
 * same report in the failure's details. So a release that changed nothing can be started again under the
 * resource's workflow ID, and one that succeeded cannot (ALLOW_DUPLICATE_FAILED_ONLY).
 */
export type ReleaseOutcome =
  | 'released'
  | 'invalid-request'
  | 'already-gone'
  | 'dry-run'
  | 'cancelled'
  | 'backup-not-confirmed'
  | 'approval-not-given'
  | 'delegated'
  | 'blocked'
  | 'changed-before-release'
  | 'drain-incomplete'
  | 'provider-refused'
  | 'delete-failed'
  | 'outcome-unknown';

/** The audit record of one release: the workflow's result. */
export interface ReleaseReport {
  workflowId: string;
  resource: ResourceRef;
  requestedBy: string;
  ticket: string;
  reason: string;
  dryRun: boolean;
  outcome: ReleaseOutcome;
  /** One line for people: what happened. */
  summary: string;
  action?: ReleaseAction;
  plan?: Plan;
  approvals: Approval[];
  steps: StepRecord[];
  deleted: ItemRecord[];
  retained: ItemRecord[];
  /** Provider errors met on the way (code, message, request ID), including the ones retried. */
  providerErrors: { code: string; message: string; requestId?: string; at: string }[];
  /** For `delegated`: the canonical release of this resource. */
  canonicalWorkflowId?: string;
  cancel?: { by: string; reason: string; at: string; honoured: boolean };
  startedAt: string;
  endedAt?: string;
}

/** Failure types of releaseResource (ApplicationFailure.type), all non-retryable at the workflow level. */
export const ReleaseFailureType = {
  invalidRequest: 'InvalidReleaseRequest',
  blocked: 'ReleaseBlocked',
  changed: 'ResourceChangedBeforeRelease',
  providerRefused: 'ProviderRefused',
  deleteFailed: 'DeleteFailed',
  drainIncomplete: 'DrainIncomplete',
  outcomeUnknown: 'DestroyOutcomeUnknown',
  cancelled: 'ReleaseCancelled',
  backupNotConfirmed: 'BackupNotConfirmed',
  approvalNotGiven: 'ApprovalNotGiven',
} as const;
