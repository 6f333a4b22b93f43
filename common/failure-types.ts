// Shared by activities (which raise them) and workflows (which decide on them). Workflow-safe.

/** ApplicationFailure types raised by activities; the workflow decides on these, never on messages. */
export const ActivityFailureType = {
  /** The provider answered with an error that retrying will not fix. Details: [ProviderErrorDetails]. */
  rejected: 'ProviderRejected',
  /** The provider answered with an error worth retrying (throttling, 5xx, busy). Details: [ProviderErrorDetails]. */
  transient: 'ProviderTransient',
  /** No answer at all (a read: retried). */
  unreachable: 'ProviderUnreachable',
  /** No answer to a destructive call: it may have been accepted, so it is never repeated. */
  outcomeUnknown: 'DestructiveOutcomeUnknown',
  /** Polling: not there yet (retried by the activity's retry policy, which adds no history events). */
  notYet: 'NotYet',
  /** The provider reports the deletion failed (DELETE_FAILED, ERROR, job FAIL). */
  failed: 'ProviderOperationFailed',
  invalidRequest: 'InvalidReleaseRequest',
} as const;
