// Every failure type of the project, in one place: the ones activities raise (the workflow decides on
// these, never on messages) and the ones a release ends with. Workflow-safe: no Node APIs.

/** ApplicationFailure types raised by activities. */
export const ActivityFailureType = {
  /** The provider answered with an error that retrying will not fix. Details: [ProviderErrorDetails]. */
  rejected: 'ProviderRejected',
  /** The provider answered with an error worth retrying (throttling, 5xx, busy). Details: [ProviderErrorDetails]. */
  transient: 'ProviderTransient',
  /** No answer at all (a read: retried). */
  unreachable: 'ProviderUnreachable',
  /** No answer to a destructive call: it may have been accepted, so it is never repeated. */
  outcomeUnknown: 'DestructiveOutcomeUnknown',
  /** Polling: not there yet (retried by the activity's retry policy; BENIGN: neither logged nor counted as an error). */
  notYet: 'NotYet',
  /** The provider reports the deletion failed (DELETE_FAILED, ERROR, job FAIL). */
  failed: 'ProviderOperationFailed',
  invalidRequest: 'InvalidReleaseRequest',
} as const;

/** Failure types a release ends with (ApplicationFailure.type), all non-retryable, each with the report in its details. */
export const ReleaseFailureType = {
  invalidRequest: 'InvalidReleaseRequest',
  notFound: 'ResourceNotFound',
  blocked: 'ReleaseBlocked',
  changed: 'ResourceChangedBeforeRelease',
  providerUnavailable: 'ProviderUnavailable',
  preparationFailed: 'PreparationFailed',
  providerRefused: 'ProviderRefused',
  deleteFailed: 'DeleteFailed',
  drainIncomplete: 'DrainIncomplete',
  outcomeUnknown: 'DestructiveOutcomeUnknown',
  verificationMismatch: 'ReleaseVerificationMismatch',
  cancelled: 'ReleaseCancelled',
  backupNotConfirmed: 'BackupNotConfirmed',
  approvalNotGiven: 'ApprovalNotGiven',
} as const;
export type ReleaseFailureTypeName = (typeof ReleaseFailureType)[keyof typeof ReleaseFailureType];

/** How a class of provider error is to be treated. */
export type ErrorClass =
  /** Try again later: throttling, 5xx, a transaction in progress, a dependency still being removed. */
  | 'retryable'
  /** Will not succeed by retrying: rule violation, bad parameter, authentication, protection. */
  | 'final'
  /** The resource does not exist (gone). */
  | 'not-found';

/** What a provider error carries into a failure's details and the audit: never a header, a signature or a key. */
export interface ProviderErrorDetails {
  provider: string;
  code: string;
  message: string;
  errorClass: ErrorClass;
  httpStatus?: number;
  requestId?: string;
}

/**
 * What a fenced destructive activity (activities/send-fence.ts) heartbeats, acknowledged by the Temporal server: until
 * its request leaves, `notSent`; from the moment before it leaves, `maybeSent`. The activity sends nothing before the
 * server has recorded `maybeSent`, so an attempt that timed out (a killed worker) with any other last heartbeat never
 * sent its request, and the workflow may ask again (docs/destructive-calls.md).
 */
export const SendStage = { notSent: 'not-sent', maybeSent: 'maybe-sent' } as const;
export type SendStageName = (typeof SendStage)[keyof typeof SendStage];
