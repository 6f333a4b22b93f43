// The package's entry point for services (`import … from 'cloud-release'`, built to dist/client/index.js with
// its declarations): starting, steering and awaiting releases. The workflow code is referenced by type only.
export { connectClient, releaseTaskQueue, temporalConnectConfig } from './connection';
export {
  approveOverride,
  cancelRelease,
  confirmBackup,
  InvalidReleaseRequestError,
  progress,
  releaseHandle,
  startRelease,
  type ReleaseHandle,
} from './release';
export { releaseEnding, type ReleaseEnding } from './outcome';
export { scheduleDecommission } from './schedule';
export {
  createSweepSchedule,
  deleteSweepSchedule,
  describeSweepSchedule,
  InvalidSweepPolicyError,
  listSweepSchedules,
  optOut,
  pauseSweepSchedule,
  startSweep,
  sweepWorkflowId,
  triggerSweepSchedule,
  unpauseSweepSchedule,
  type SweepHandle,
  type SweepScheduleOptions,
} from './sweep';
export { validateSweepPolicy, type OptOutRequest, type SweepPolicy, type SweepReleaseOptions, type ValidSweepPolicy } from '../domain/sweep-policy';
export { signWebhook, verifyWebhookSignature, DELIVERY_HEADER, SIGNATURE_HEADER } from '../activities/notify';
export type { OptOutRecord, OwnerNotification, SweepCandidate, SweepExclusion, SweepProgress, SweepResult } from '../workflows/sweep-messages';
export { validateReleaseRequest, type Validation } from '../activities/validate-request';
export { SA, SEARCH_ATTRIBUTES, TASK_QUEUE } from '../common/temporal';
export { ActivityFailureType, ReleaseFailureType, type ProviderErrorDetails, type ReleaseFailureTypeName } from '../common/failure-types';
export { dryRunWorkflowId, releaseWorkflowId, type FieldError, type LeftoverPolicy, type ReleaseRequest, type ValidRequest } from '../domain/request';
export type { Approval, ItemRecord, ObservedState, Phase, ReleaseOutcome, ReleaseReport, StepRecord, Verification } from '../domain/report';
export type { Blocker, BlockerCode, ExistingPlan, Fate, Gate, GonePlan, Plan, PlannedDisk, PlannedSnapshot, PlannedVm, PrepareStep } from '../domain/plan';
export type { Provider, ReleaseAction, ResourceKind, ResourceRef } from '../domain/resource';
export type { BackupConfirmation, CancelAnswer, CancelRequest, OverrideApproval, Progress } from '../workflows/messages';
export {
  approveBatchOverride,
  batchHandle,
  batchProgress,
  batchWorkflowId,
  cancelBatch,
  confirmBatch,
  confirmBatchBackup,
  pauseBatch,
  resumeBatch,
  startBatch,
  type BatchHandle,
  type StartBatchOptions,
} from './batch';
export {
  BatchFailureType,
  type BatchLine,
  type BatchOutcome,
  type BatchReleaseInput,
  type BatchReleaseOptions,
  type BatchResult,
  type BatchSelector,
  type BatchTarget,
} from '../domain/batch';
export type { BatchAnswer, BatchConfirmation, BatchControl, BatchPhase, BatchProgress } from '../workflows/batch-messages';
