// The release workflow's messages. Clients import these definitions to query and update a release.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Gate, Plan } from '../domain/plan';
import type { Approval, ItemRecord, Phase, ReleaseOutcome, StepRecord } from '../domain/report';

export interface Progress {
  phase: Phase;
  /** `in-progress` until the release ends. */
  outcome: ReleaseOutcome;
  /** What the release is waiting for, if anything (a confirmation, the provider, a drain job). */
  waitingFor?: string;
  plan?: Plan;
  steps: StepRecord[];
  approvals: Approval[];
  deleted: ItemRecord[];
  retained: ItemRecord[];
  lastProviderError?: { code: string; message: string; requestId?: string; at: string };
  /** The destructive call was made: cancel is refused from here on. */
  destructiveCallMade: boolean;
}

export interface BackupConfirmation {
  /** Who confirms that a usable backup exists. */
  confirmedBy: string;
  /** Where the backup is (snapshot ID, backup job, vault path, ticket). */
  backupReference: string;
  comment?: string;
}

export interface OverrideApproval {
  /** Who approves releasing a resource tagged release-protection=true; must not be the requester. */
  approvedBy: string;
  comment?: string;
}

export interface CancelRequest {
  by: string;
  reason: string;
}

export const progressQuery = defineQuery<Progress>('progress');
export const confirmBackupUpdate = defineUpdate<Approval, [BackupConfirmation]>('confirmBackup');
export const approveOverrideUpdate = defineUpdate<Approval, [OverrideApproval]>('approveOverride');
/** `cancelled: false` when the destructive call was already made: the refusal is recorded in the report too. */
export interface CancelAnswer {
  cancelled: boolean;
  detail: string;
}

export const cancelReleaseUpdate = defineUpdate<CancelAnswer, [CancelRequest]>('cancel');

export type { Gate };
