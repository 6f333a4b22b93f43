// The audit record of one release (the workflow's result, and the details of every failure it ends with).
import type { Gate, Plan } from './plan';
import type { ReleaseAction, ResourceRef } from './resource';

/** The phases of a release, in order; each is its own step in the history and in the report. */
export type Phase = 'validate' | 'delegate' | 'inspect' | 'plan' | 'confirm' | 'prepare' | 'recheck' | 'destroy' | 'wait-gone' | 'cleanup' | 'verify' | 'done';

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
  /** The name the person gave, as typed. Temporal also records the caller's client identity on the update's history event. */
  by: string;
  reference?: string;
  comment?: string;
  at: string;
}

/** What the final verification read: see Observation in providers/adapter.ts. */
export type ObservedState = 'present' | 'deleting' | 'gone' | 'unknown';

export interface ItemRecord {
  type: 'resource' | 'disk' | 'snapshot' | 'vm';
  id: string;
  /** Who removed it, or why it stays. */
  how: string;
  /** What the verification read afterwards; absent only when the release ended before verifying. */
  observed?: ObservedState;
}

/**
 * How a release ended. It completes only when the resource is gone and everything was verified as planned
 * (`released`, `already-gone`), for a `dry-run` and for a `delegated` start; every other ending fails the
 * workflow with a ReleaseFailureType and this same report in the failure's details.
 */
export type ReleaseOutcome =
  /** Not ended yet (what `progress` shows while it runs). */
  | 'in-progress'
  | 'released'
  | 'already-gone'
  | 'dry-run'
  | 'delegated'
  | 'invalid-request'
  | 'not-found'
  | 'cancelled'
  | 'backup-not-confirmed'
  | 'approval-not-given'
  | 'blocked'
  | 'changed-before-release'
  | 'provider-unavailable'
  | 'preparation-failed'
  | 'drain-incomplete'
  | 'provider-refused'
  | 'delete-failed'
  | 'outcome-unknown'
  | 'verification-mismatch';

export interface Verification {
  at: string;
  /** Items whose observed state differs from what the plan says (each a sentence). Empty when all is as planned. */
  discrepancies: string[];
}

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
  /** Items the release removed (the resource, VMs, disks, snapshots), each with what was observed afterwards. */
  deleted: ItemRecord[];
  /** Items that stay, with why and what was observed afterwards. */
  retained: ItemRecord[];
  /** Provider errors met on the way (code, message, request ID), including the ones retried. */
  providerErrors: { code: string; message: string; requestId?: string; at: string }[];
  verification?: Verification;
  /** For `delegated`: the canonical release of this resource. */
  canonicalWorkflowId?: string;
  /** Every cancel request, honoured or refused. */
  cancels: { by: string; reason: string; at: string; honoured: boolean }[];
  startedAt: string;
  endedAt?: string;
}
