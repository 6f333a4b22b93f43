// The release's own metrics and log lines, from workflow code. The SDK's workflow meter and logger emit nothing
// while a history is replayed, so each event is counted and logged once, by the worker that first ran it. The
// worker adds namespace, taskQueue and workflowType to every metric, and the workflow ID and run ID to every line.
import { log, metricMeter } from '@temporalio/workflow';
import type { Gate } from '../domain/plan';
import type { Phase, ReleaseOutcome } from '../domain/report';
import { PROVIDERS, RESOURCE_KINDS, type ResourceRef } from '../domain/resource';

const STARTED = 'cloud_release_releases_started_total';
const ENDED = 'cloud_release_releases_ended_total';
const PHASE_DURATION = 'cloud_release_phase_duration';
const WAITS_STARTED = 'cloud_release_waits_started_total';
const WAITS_ENDED = 'cloud_release_waits_ended_total';

/** Histogram buckets (ms) for the Prometheus exporter: a phase lasts from a second to the days a person may take. */
export const RELEASE_METRIC_BUCKETS: Record<string, number[]> = {
  [PHASE_DURATION]: [1_000, 5_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 4 * 3_600_000, 24 * 3_600_000, 7 * 24 * 3_600_000],
};

/** Provider and kind as labels; an unvalidated input's (a refused release's) become `unknown`: labels stay a closed set. */
function labels(ref: ResourceRef): { provider: string; kind: string } {
  return {
    provider: (PROVIDERS as readonly string[]).includes(ref.provider) ? ref.provider : 'unknown',
    kind: Object.hasOwn(RESOURCE_KINDS, ref.kind) ? ref.kind : 'unknown',
  };
}

/** A release run got past validation. */
export function releaseStarted(ref: ResourceRef): void {
  metricMeter.createCounter(STARTED, '', 'Release runs started (past validation)').add(1, labels(ref));
  log.info('release started', { ...ref });
}

/** A release run ended, with its report's outcome. */
export function releaseEnded(ref: ResourceRef, outcome: Exclude<ReleaseOutcome, 'in-progress'>): void {
  metricMeter.createCounter(ENDED, '', 'Release runs ended, by outcome').add(1, { ...labels(ref), outcome });
  log.info('release ended', { ...ref, outcome });
}

/** A phase ended after `ms` (workflow time). */
export function phaseLeft(ref: ResourceRef, phase: Phase, ms: number): void {
  metricMeter
    .createHistogram(PHASE_DURATION, 'int', 'ms', 'How long a release spent in a phase')
    .record(Math.max(0, Math.round(ms)), { ...labels(ref), phase });
}

/** The release started waiting for a person at a gate (a backup confirmation, an override approval). */
export function waitStarted(ref: ResourceRef, gate: Gate): void {
  metricMeter.createCounter(WAITS_STARTED, '', 'Waits for a person at a gate, started').add(1, { ...labels(ref), gate });
  log.info('waiting for a person', { ...ref, gate });
}

/** The wait at a gate ended, however (answered, timed out, cancelled). */
export function waitEnded(ref: ResourceRef, gate: Gate): void {
  metricMeter.createCounter(WAITS_ENDED, '', 'Waits for a person at a gate, ended').add(1, { ...labels(ref), gate });
}
