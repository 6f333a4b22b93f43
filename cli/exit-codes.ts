// The exit codes of `cloud-release`, one per kind of answer a script needs to tell apart. Documented in
// `cloud-release --help` and the README; tested end to end (test/integration/cli-tool.test.ts).
import { ReleaseFailureType, type ReleaseFailureTypeName } from '../common/failure-types';
import type { ReleaseOutcome } from '../domain/report';

export const ExitCode = {
  /** Done: released, already gone, a dry run whose plan proceeds, a command that did what it was asked. */
  ok: 0,
  /** Unexpected: an answer nobody planned for (the message says what it was). */
  error: 1,
  /** Bad arguments or an invalid request (field by field): nothing was started or sent. */
  usage: 2,
  /** The rules forbid the release (ReleaseBlocked, ResourceChangedBeforeRelease, a dry run's blocked plan): nothing was changed. */
  blocked: 3,
  /** The release ended in failure (any other failure type: the report says what was and was not done). */
  failed: 4,
  /** The release waits for a person: confirmBackup or approveOverride (the command to run is printed). */
  waiting: 5,
  /** No such release (workflow ID), or the provider does not know the resource (ResourceNotFound). */
  notFound: 6,
  /** Still running and waiting for nobody (`show` of a running release). */
  running: 7,
  /** The release refused what was asked: an update rejected, a cancel after the point of no return, a release that already succeeded. */
  refused: 8,
  /** Temporal is not reachable, or the namespace does not exist. */
  unavailable: 9,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** For `--help`: the table above in one paragraph. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done (released, already gone, dry run that would proceed)    5  waiting for a confirmation or an approval
  1  unexpected error                                             6  no such release, or the provider does not know the resource
  2  bad arguments or invalid request (nothing started)           7  still running (show)
  3  blocked by the rules (nothing changed)                       8  refused (update rejected, cancel too late, already released)
  4  the release failed (see the report)                          9  Temporal not reachable, or no such namespace`;

const BY_FAILURE: Partial<Record<ReleaseFailureTypeName, ExitCodeValue>> = {
  [ReleaseFailureType.blocked]: ExitCode.blocked,
  [ReleaseFailureType.changed]: ExitCode.blocked,
  [ReleaseFailureType.notFound]: ExitCode.notFound,
  [ReleaseFailureType.invalidRequest]: ExitCode.usage,
};

/** The exit code of a release that failed with this ApplicationFailure type. */
export function exitCodeOfFailure(type: string | undefined | null): ExitCodeValue {
  return BY_FAILURE[type as ReleaseFailureTypeName] ?? ExitCode.failed;
}

/** The exit code of a release that completed (released, already gone, delegated, dry run). */
export function exitCodeOfCompletion(outcome: ReleaseOutcome, planOutcome: string | undefined): ExitCodeValue {
  return outcome === 'dry-run' && planOutcome === 'blocked' ? ExitCode.blocked : ExitCode.ok;
}

/** An error that ends the command with its exit code; the message says what to fix. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** Machine-readable details for --json (e.g. field errors). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
