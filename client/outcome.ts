// How a release ended, read from its handle: the report in both cases, since a failed release carries its
// report in the failure's details (ApplicationFailure.details[0]).
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ReleaseReport } from '../domain/report';

export type ReleaseEnding =
  | { ok: true; report: ReleaseReport }
  /** `type` is a ReleaseFailureType (common/failure-types.ts); `report` is absent only for a failure the release did not type (a terminate, a timeout). */
  | { ok: false; type?: string; message: string; report?: ReleaseReport };

/** Wait for the release to end and say how: never throws for a release that failed, only for errors of the call itself. */
export async function releaseEnding(handle: WorkflowHandle): Promise<ReleaseEnding> {
  try {
    return { ok: true, report: (await handle.result()) as ReleaseReport };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      return { ok: false, type: cause.type ?? undefined, message: cause.message, report: cause.details?.[0] as ReleaseReport | undefined };
    }
    return { ok: false, message: cause?.message ?? err.message };
  }
}
