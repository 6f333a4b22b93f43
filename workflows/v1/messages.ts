// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// The release workflow's messages. Clients import these definitions to query and update a release.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Gate, Plan } from './plan';
import type { Approval, ItemRecord, Phase, StepRecord } from './report';

export interface Progress {
  phase: Phase;
  /** What the release is waiting for, if anything (a confirmation, the provider, a drain job). */
  waitingFor?: string;
  plan?: Plan;
  steps: StepRecord[];
  approvals: Approval[];
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
export const cancelReleaseUpdate = defineUpdate<{ cancelled: true }, [CancelRequest]>('cancel');

export type { Gate };
