// The package's entry point for services (`import … from 'cloud-release'`, built to dist/client/index.js with
// its declarations): starting, steering and awaiting releases. The workflow code is referenced by type only.
export { connectClient, releaseTaskQueue, temporalConnectConfig } from './connection';
export { approveOverride, cancelRelease, confirmBackup, progress, releaseHandle, startRelease, type ReleaseHandle } from './release';
export { releaseEnding, type ReleaseEnding } from './outcome';
export { scheduleDecommission } from './schedule';
export { validateReleaseRequest, type Validation } from '../activities/validate-request';
export { SA, SEARCH_ATTRIBUTES, TASK_QUEUE } from '../common/temporal';
export { ActivityFailureType, ReleaseFailureType, type ProviderErrorDetails, type ReleaseFailureTypeName } from '../common/failure-types';
export { dryRunWorkflowId, releaseWorkflowId, type FieldError, type LeftoverPolicy, type ReleaseRequest, type ValidRequest } from '../domain/request';
export type { Approval, ItemRecord, ObservedState, Phase, ReleaseOutcome, ReleaseReport, StepRecord, Verification } from '../domain/report';
export type { Blocker, BlockerCode, ExistingPlan, Fate, Gate, GonePlan, Plan, PlannedDisk, PlannedSnapshot, PlannedVm, PrepareStep } from '../domain/plan';
export type { Provider, ReleaseAction, ResourceKind, ResourceRef } from '../domain/resource';
export type { BackupConfirmation, CancelAnswer, CancelRequest, OverrideApproval, Progress } from '../workflows/messages';
