// batchRelease: its input, its validation and the pure decisions of the batch (window, breaker, safety cap,
// bounded report). Pure and deterministic: the workflow validates with it, the unit tests table-test it.
import type { TagCondition } from './inventory';
import {
  CONFIRM_WITHIN_MAX_MS,
  CONFIRM_WITHIN_MIN_MS,
  DRAIN_DEADLINE_MAX_MS,
  DRAIN_DEADLINE_MIN_MS,
  MAX_FAILURE_BUDGET,
  MAX_IDENTITY,
  MAX_REASON,
  MAX_TICKET,
  WAIT_GONE_MAX_MS,
  WAIT_GONE_MIN_MS,
  checkText,
  describeType,
  fieldName,
  isPlainObject,
  measureJson,
  type FieldError,
} from './limits';
import type { ReleaseOutcome } from './report';
import { PROJECT_ID_FORMAT, REGION_FORMATS, RESOURCE_ID_FORMATS, type ReleaseRequest } from './request';
import { PROVIDERS, RESOURCE_KINDS, type Provider, type ResourceKind, type ResourceRef } from './resource';

/** The failure a bad batch input (or a bad carried state) ends the batch with, at once, non-retryable. */
export const BatchFailureType = { invalidRequest: 'InvalidBatchRequest' } as const;

export type BatchTarget = ResourceRef;

export interface BatchSelector {
  provider: Provider;
  region: string;
  /** Huawei: required. */
  projectId?: string;
  kinds?: ResourceKind[];
  /** Every condition must hold (exact keys and values, as listInventory matches them). */
  tags?: TagCondition[];
}

/** The per-resource options of a release, the same for every resource of the batch. */
export type BatchReleaseOptions = Partial<Pick<ReleaseRequest, 'backup' | 'options' | 'drain'>>;

export interface BatchReleaseInput {
  requestedBy: string;
  ticket: string;
  reason?: string;
  dryRun?: boolean;
  /** Exactly one of targets and selector. */
  targets?: BatchTarget[];
  selector?: BatchSelector;
  /** Resource IDs left out. */
  exclude?: string[];
  release?: BatchReleaseOptions;
  concurrency?: { overall?: number; perProvider?: number };
  safetyCap?: { maxResources?: number; maxShareOfInventory?: number };
  breaker?: { maxFailureRate?: number; minFinished?: number };
  /** Children started per run before continue-as-new (default 500; small in tests). */
  historyLimit?: number;
}

/** The input once validated, with every default filled in. */
export interface ValidBatch {
  requestedBy: string;
  ticket: string;
  reason?: string;
  dryRun: boolean;
  targets?: BatchTarget[];
  selector?: BatchSelector;
  exclude: string[];
  release: BatchReleaseOptions;
  concurrency: { overall: number; perProvider: number };
  safetyCap: { maxResources: number; maxShareOfInventory: number };
  breaker: { maxFailureRate: number; minFinished: number };
  historyLimit: number;
}

export const MAX_TARGETS = 10_000;
export const MAX_EXCLUDE = 10_000;
export const MAX_TAG_CONDITIONS = 20;
export const MAX_TAG_TEXT = 128;
/** The whole input as JSON: 10,000 targets fit, and it stays well under Temporal's 2 MiB payload limit. */
export const MAX_BATCH_INPUT_BYTES = 1536 * 1024;
export const MAX_OVERALL_CONCURRENCY = 100;
export const MAX_HISTORY_LIMIT = 2_000;
/** Per-resource lines kept in the result (and carried); beyond that only counts. */
export const MAX_LINES = 1_000;
/** Failures kept for the progress query (and carried). */
export const MAX_FAILURES = 50;
const MAX_MESSAGE = 300;

export const BATCH_DEFAULTS = {
  concurrency: { overall: 10 },
  safetyCap: { maxResources: 50, maxShareOfInventory: 0.5 },
  breaker: { maxFailureRate: 0.3, minFinished: 5 },
  historyLimit: 500,
} as const;

export type BatchValidation = { ok: true; value: ValidBatch } | { ok: false; errors: FieldError[] };

const INPUT_KEYS: readonly string[] = [
  'requestedBy',
  'ticket',
  'reason',
  'dryRun',
  'targets',
  'selector',
  'exclude',
  'release',
  'concurrency',
  'safetyCap',
  'breaker',
  'historyLimit',
];

/** Validate a batch input field by field; never throws. `continued`: a run after continue-as-new (its targets are carried). */
export function validateBatchInput(input: unknown, continued = false): BatchValidation {
  try {
    return validate(input, continued);
  } catch {
    return { ok: false, errors: [{ field: '(input)', message: 'the input could not be read as JSON' }] };
  }
}

function validate(input: unknown, continued: boolean): BatchValidation {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  if (!isPlainObject(input)) return { ok: false, errors: [{ field: '(input)', message: `expected a batch object, got ${describeType(input)}` }] };
  const size = measureJson(input, MAX_BATCH_INPUT_BYTES);
  if (!size.ok) return { ok: false, errors: [{ field: size.field, message: size.message }] };
  unknownKeys(input, INPUT_KEYS, '', err);

  const text = (field: string, max: number, required: boolean, multiline = false) => {
    const r = checkText(field, input[field], { max, required, multiline });
    if (!r.ok) errors.push(r.error);
    return r.ok ? r.value : undefined;
  };
  const requestedBy = text('requestedBy', MAX_IDENTITY, true) ?? '';
  const ticket = text('ticket', MAX_TICKET, true) ?? '';
  const reason = text('reason', MAX_REASON, false, true);
  const dryRun = bool(input.dryRun, 'dryRun', err) ?? false;

  let targets: BatchTarget[] | undefined;
  let selector: BatchSelector | undefined;
  if (input.targets !== undefined) targets = list(input.targets, 'targets', MAX_TARGETS, err)?.map((t, i) => target(t, `targets[${i}]`, err));
  if (input.selector !== undefined) selector = selectorOf(input.selector, err);
  if (!continued && (input.targets === undefined) === (input.selector === undefined)) err('(input)', 'exactly one of targets and selector is required');
  if (targets?.length === 0 && !continued) err('targets', 'must list at least one resource');
  const exclude = (list(input.exclude, 'exclude', MAX_EXCLUDE, err) ?? []).map((x, i) => {
    const r = checkText(`exclude[${i}]`, x, { max: 64, required: true });
    if (!r.ok) errors.push(r.error);
    return r.ok ? r.value! : '';
  });

  const release = releaseOptions(input.release, err);
  const concurrency = object(input.concurrency, 'concurrency', ['overall', 'perProvider'], err);
  const overall = int(concurrency.overall, 'concurrency.overall', 1, MAX_OVERALL_CONCURRENCY, err) ?? BATCH_DEFAULTS.concurrency.overall;
  const perProvider = int(concurrency.perProvider, 'concurrency.perProvider', 1, MAX_OVERALL_CONCURRENCY, err) ?? overall;
  const cap = object(input.safetyCap, 'safetyCap', ['maxResources', 'maxShareOfInventory'], err);
  const breaker = object(input.breaker, 'breaker', ['maxFailureRate', 'minFinished'], err);
  const value: ValidBatch = {
    requestedBy,
    ticket,
    reason,
    dryRun,
    targets,
    selector,
    exclude,
    release,
    concurrency: { overall, perProvider: Math.min(perProvider, overall) },
    safetyCap: {
      maxResources: int(cap.maxResources, 'safetyCap.maxResources', 1, MAX_TARGETS, err) ?? BATCH_DEFAULTS.safetyCap.maxResources,
      maxShareOfInventory: ratio(cap.maxShareOfInventory, 'safetyCap.maxShareOfInventory', err) ?? BATCH_DEFAULTS.safetyCap.maxShareOfInventory,
    },
    breaker: {
      maxFailureRate: ratio(breaker.maxFailureRate, 'breaker.maxFailureRate', err) ?? BATCH_DEFAULTS.breaker.maxFailureRate,
      minFinished: int(breaker.minFinished, 'breaker.minFinished', 1, MAX_TARGETS, err) ?? BATCH_DEFAULTS.breaker.minFinished,
    },
    historyLimit: int(input.historyLimit, 'historyLimit', 1, MAX_HISTORY_LIMIT, err) ?? BATCH_DEFAULTS.historyLimit,
  };
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

type Err = (field: string, message: string) => void;

function unknownKeys(o: Record<string, unknown>, known: readonly string[], prefix: string, err: Err): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) err(`${prefix}${fieldName(k)}`, 'unknown field');
}

function object(v: unknown, field: string, keys: readonly string[], err: Err): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    err(field, `must be an object, got ${describeType(v)}`);
    return {};
  }
  unknownKeys(v, keys, `${field}.`, err);
  return v;
}

function list(v: unknown, field: string, max: number, err: Err): unknown[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return void err(field, `must be an array, got ${describeType(v)}`);
  if (v.length > max) return void err(field, `must have at most ${max} entries, got ${v.length}`);
  return v as unknown[];
}

function bool(v: unknown, field: string, err: Err): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  return void err(field, `must be true or false, got ${describeType(v)}`);
}

function int(v: unknown, field: string, min: number, max: number, err: Err): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return void err(field, `must be a whole number from ${min} to ${max}`);
  return v;
}

function ratio(v: unknown, field: string, err: Err): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) return void err(field, 'must be a number from 0 to 1');
  return v;
}

function formatted(v: unknown, field: string, format: { pattern: RegExp; description: string }, err: Err): string {
  if (typeof v !== 'string') {
    err(field, v === undefined ? `${field} is required` : `must be a string, got ${describeType(v)}`);
    return '';
  }
  if (!format.pattern.test(v)) err(field, `must be ${format.description}`);
  return v;
}

function providerOf(v: unknown, field: string, err: Err): Provider | undefined {
  if (typeof v === 'string' && (PROVIDERS as readonly string[]).includes(v)) return v as Provider;
  return void err(field, `must be one of ${PROVIDERS.join(', ')}`);
}

function projectOf(provider: Provider | undefined, v: unknown, field: string, err: Err): string | undefined {
  if (provider === 'huawei') return formatted(v, field, PROJECT_ID_FORMAT, err);
  if (v !== undefined) err(field, `is only for Huawei resources`);
  return undefined;
}

function target(t: unknown, field: string, err: Err): BatchTarget {
  const o = object(t, field, ['provider', 'kind', 'region', 'projectId', 'resourceId'], err);
  if (!isPlainObject(t)) return o as unknown as BatchTarget;
  const provider = providerOf(o.provider, `${field}.provider`, err);
  const kind = o.kind as ResourceKind;
  const kindOk = typeof kind === 'string' && Object.hasOwn(RESOURCE_KINDS, kind) && RESOURCE_KINDS[kind] === provider;
  if (!kindOk) err(`${field}.kind`, `must be a kind of ${provider ?? 'the provider'}`);
  const region = provider ? formatted(o.region, `${field}.region`, REGION_FORMATS[provider], err) : '';
  const projectId = projectOf(provider, o.projectId, `${field}.projectId`, err);
  const resourceId = kindOk ? formatted(o.resourceId, `${field}.resourceId`, RESOURCE_ID_FORMATS[kind], err) : '';
  return { provider: provider!, kind, region, ...(projectId ? { projectId } : {}), resourceId };
}

function selectorOf(s: unknown, err: Err): BatchSelector | undefined {
  const o = object(s, 'selector', ['provider', 'region', 'projectId', 'kinds', 'tags'], err);
  if (!isPlainObject(s)) return undefined;
  const provider = providerOf(o.provider, 'selector.provider', err);
  const region = provider ? formatted(o.region, 'selector.region', REGION_FORMATS[provider], err) : '';
  const projectId = projectOf(provider, o.projectId, 'selector.projectId', err);
  const kinds = list(o.kinds, 'selector.kinds', 10, err)?.map((k, i) => {
    if (typeof k !== 'string' || !Object.hasOwn(RESOURCE_KINDS, k) || RESOURCE_KINDS[k as ResourceKind] !== provider)
      err(`selector.kinds[${i}]`, `must be a kind of ${provider ?? 'the provider'}`);
    return k as ResourceKind;
  });
  const tags = list(o.tags, 'selector.tags', MAX_TAG_CONDITIONS, err)?.map((c, i): TagCondition => {
    const f = `selector.tags[${i}]`;
    const t = object(c, f, ['key', 'value'], err);
    const key = checkText(`${f}.key`, t.key, { max: MAX_TAG_TEXT, required: true });
    if (!key.ok) err(key.error.field, key.error.message);
    if (t.value !== undefined && (typeof t.value !== 'string' || t.value.length > MAX_TAG_TEXT))
      err(`${f}.value`, `must be a string of at most ${MAX_TAG_TEXT} characters`);
    return { key: key.ok ? key.value! : '', ...(typeof t.value === 'string' ? { value: t.value } : {}) };
  });
  return { provider: provider!, region, ...(projectId ? { projectId } : {}), ...(kinds ? { kinds } : {}), ...(tags ? { tags } : {}) };
}

const DURATION = /^([1-9][0-9]{0,6})([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function duration(v: unknown, field: string, minMs: number, maxMs: number, err: Err): void {
  if (v === undefined) return;
  const m = typeof v === 'string' ? DURATION.exec(v) : null;
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms >= minMs && ms <= maxMs)) err(field, `must be a duration like "30m" or "24h", from ${minMs / 1000}s to ${maxMs / 86_400_000}d`);
}

/** The release options, checked as releaseResource's own validator will: a bad one is refused here, not by every child. */
function releaseOptions(v: unknown, err: Err): BatchReleaseOptions {
  const r = object(v, 'release', ['backup', 'options', 'drain'], err);
  const backup = object(r.backup, 'release.backup', ['required', 'confirmWithin'], err);
  bool(backup.required, 'release.backup.required', err);
  duration(backup.confirmWithin, 'release.backup.confirmWithin', CONFIRM_WITHIN_MIN_MS, CONFIRM_WITHIN_MAX_MS, err);
  const keys = ['stopIfRunning', 'retainedDataDisks', 'retainedSnapshots', 'overrideProtectionTag', 'approveOverrideWithin', 'waitGoneWithin'];
  const options = object(r.options, 'release.options', keys, err);
  bool(options.stopIfRunning, 'release.options.stopIfRunning', err);
  bool(options.overrideProtectionTag, 'release.options.overrideProtectionTag', err);
  for (const k of ['retainedDataDisks', 'retainedSnapshots'])
    if (options[k] !== undefined && options[k] !== 'keep' && options[k] !== 'delete') err(`release.options.${k}`, 'must be "keep" or "delete"');
  duration(options.approveOverrideWithin, 'release.options.approveOverrideWithin', CONFIRM_WITHIN_MIN_MS, CONFIRM_WITHIN_MAX_MS, err);
  duration(options.waitGoneWithin, 'release.options.waitGoneWithin', WAIT_GONE_MIN_MS, WAIT_GONE_MAX_MS, err);
  const drain = object(r.drain, 'release.drain', ['deadline', 'failureBudget'], err);
  duration(drain.deadline, 'release.drain.deadline', DRAIN_DEADLINE_MIN_MS, DRAIN_DEADLINE_MAX_MS, err);
  int(drain.failureBudget, 'release.drain.failureBudget', 0, MAX_FAILURE_BUDGET, err);
  return r;
}

/** The child's request: the target plus the batch's own fields and release options. */
export function childRequest(batch: ValidBatch, t: BatchTarget): ReleaseRequest {
  return {
    ...t,
    requestedBy: batch.requestedBy,
    ticket: batch.ticket,
    ...(batch.reason ? { reason: batch.reason } : {}),
    dryRun: batch.dryRun,
    ...batch.release,
  };
}

/** The targets of a batch: in order, excluded and duplicate resources (same canonical ID) left out. */
export function selectTargets(targets: readonly BatchTarget[], exclude: readonly string[], idOf: (t: BatchTarget) => string): BatchTarget[] {
  const out = new Map<string, BatchTarget>();
  const excluded = new Set(exclude);
  for (const t of targets) if (!excluded.has(t.resourceId) && !out.has(idOf(t))) out.set(idOf(t), t);
  return [...out.values()];
}

// ---- the decisions ----

/** Whether the batch must wait for confirmBatch: more resources than the cap, or too large a share of what was discovered. */
export function safetyCapReason(count: number, inventoryTotal: number | undefined, cap: ValidBatch['safetyCap']): string | undefined {
  if (count > cap.maxResources) return `${count} resources exceed the safety cap of ${cap.maxResources}`;
  if (inventoryTotal !== undefined && inventoryTotal > 0 && count / inventoryTotal > cap.maxShareOfInventory) {
    return `${count} of ${inventoryTotal} discovered resources (${Math.round((100 * count) / inventoryTotal)}%) exceed the cap of ${Math.round(100 * cap.maxShareOfInventory)}% of the inventory`;
  }
  return undefined;
}

/** Outcomes that are not failures (for the breaker and the summary). */
export const SUCCESS_OUTCOMES: readonly BatchOutcome[] = ['released', 'already-gone', 'dry-run', 'delegated', 'succeeded-before'];
export const isFailure = (o: BatchOutcome) => o !== 'not-started' && !SUCCESS_OUTCOMES.includes(o);

/** The breaker trips when at least `minFinished` releases ended and the share of failures among them passes the threshold. */
export function breakerTripped(counts: Partial<Record<BatchOutcome, number>>, breaker: ValidBatch['breaker']): boolean {
  let finished = 0;
  let failed = 0;
  for (const [o, n] of Object.entries(counts) as [BatchOutcome, number][]) {
    if (o === 'not-started' || o === 'succeeded-before') continue;
    finished += n;
    if (isFailure(o)) failed += n;
  }
  return finished >= breaker.minFinished && failed / finished > breaker.maxFailureRate;
}

/**
 * The sliding window: how many of the pending targets (from the front, in order) may start now, given what runs
 * per provider. A target whose provider is full waits without blocking the others behind it.
 */
export function nextToStart(
  pending: readonly BatchTarget[],
  running: Partial<Record<Provider, number>>,
  concurrency: ValidBatch['concurrency'],
  max = Infinity,
): number[] {
  const perProvider = { ...running };
  let total = Object.values(perProvider).reduce((a, b) => a + b, 0);
  const picks: number[] = [];
  for (let i = 0; i < pending.length && total < concurrency.overall && picks.length < max; i++) {
    const p = pending[i].provider;
    if ((perProvider[p] ?? 0) >= concurrency.perProvider) continue;
    perProvider[p] = (perProvider[p] ?? 0) + 1;
    total++;
    picks.push(i);
  }
  return picks;
}

// ---- outcomes and the bounded report ----

/**
 * How one resource ended in the batch: a release's own outcome, or `succeeded-before` (its last run released it:
 * reported, not started again), `not-started` (the batch was cancelled, or its breaker tripped, first),
 * `ended-abnormally` (the release was terminated or timed out: no report).
 */
export type BatchOutcome = Exclude<ReleaseOutcome, 'in-progress'> | 'succeeded-before' | 'not-started' | 'ended-abnormally';

export interface ReleaseEnding {
  outcome: BatchOutcome;
  /** The release's failure type (ApplicationFailure.type), for failures. */
  failureType?: string;
  message?: string;
}

export interface BatchLine extends ReleaseEnding {
  resourceId: string;
  provider: Provider;
  workflowId: string;
}

/** The ending of a release from its failure (duck-typed: ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure). */
export function endingOfFailure(failure: unknown): ReleaseEnding {
  const f = (failure ?? {}) as { name?: string; type?: string | null; message?: string; details?: unknown[] };
  const message = clip(f.message ?? String(failure));
  const report = f.details?.[0] as { outcome?: unknown } | undefined;
  if (f.name === 'ApplicationFailure' && typeof report?.outcome === 'string' && report.outcome !== 'in-progress') {
    return { outcome: report.outcome as BatchOutcome, failureType: f.type ?? undefined, message };
  }
  if (f.name === 'CancelledFailure') return { outcome: 'cancelled', failureType: 'Cancelled', message };
  return { outcome: 'ended-abnormally', failureType: f.type ?? f.name ?? 'Unknown', message };
}

export const clip = (s: string, max = MAX_MESSAGE) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** What the batch keeps as it goes, and carries across continue-as-new: counts, and bounded lines and failures. */
export interface BatchTally {
  counts: Partial<Record<BatchOutcome, number>>;
  lines: BatchLine[];
  /** Lines not kept (past MAX_LINES). */
  moreLines: number;
  /** The latest failures, at most MAX_FAILURES. */
  failures: BatchLine[];
  failuresTotal: number;
}

export const emptyTally = (): BatchTally => ({ counts: {}, lines: [], moreLines: 0, failures: [], failuresTotal: 0 });

export function record(tally: BatchTally, line: BatchLine): void {
  tally.counts[line.outcome] = (tally.counts[line.outcome] ?? 0) + 1;
  if (tally.lines.length < MAX_LINES) tally.lines.push(line);
  else tally.moreLines++;
  if (isFailure(line.outcome)) {
    tally.failuresTotal++;
    tally.failures.push(line);
    if (tally.failures.length > MAX_FAILURES) tally.failures.shift();
  }
}

/** The batch's result: counts by outcome, and one line per resource up to MAX_LINES. */
export interface BatchResult {
  batchId: string;
  requestedBy: string;
  ticket: string;
  dryRun: boolean;
  /** Resources the batch took on (after exclusions and duplicates). */
  total: number;
  counts: Partial<Record<BatchOutcome, number>>;
  lines: BatchLine[];
  moreLines: number;
  failuresTotal: number;
  /** Why some resources were not started, when any were not. */
  stopped?: string;
  /** How many times the batch continued as new. */
  runs: number;
}

/** Targets of one provider/kind/region/project, carried compactly (10,000 targets ≈ 200 KB). */
export interface TargetGroup {
  provider: Provider;
  kind: ResourceKind;
  region: string;
  projectId?: string;
  ids: string[];
}

export function groupTargets(targets: readonly BatchTarget[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  for (const { resourceId, ...where } of targets) {
    const last = groups.at(-1);
    const same = last && last.provider === where.provider && last.kind === where.kind && last.region === where.region && last.projectId === where.projectId;
    if (same) last.ids.push(resourceId);
    else groups.push({ ...where, ids: [resourceId] });
  }
  return groups;
}

export const ungroupTargets = (groups: readonly TargetGroup[]): BatchTarget[] =>
  groups.flatMap(({ ids, ...where }) => ids.map((resourceId) => ({ ...where, resourceId })));

/** What a run hands to the next one at continue-as-new: never reports, only what is left, counts and bounded lists. */
export interface BatchCarry {
  runs: number;
  /** Discovery not finished: the next page to list, and how many resources were listed so far. */
  discovery?: { pageToken: string; listed: number };
  /** Discovered or given targets not started yet. */
  pending: TargetGroup[];
  /** Releases started (or joined) and not ended: followed again after continue-as-new. */
  running: BatchTarget[];
  total: number;
  inventoryTotal?: number;
  /** The safety cap is passed (not needed, or confirmed). */
  capPassed: boolean;
  capConfirmedBy?: string;
  approvals: BatchApprovals;
  paused: boolean;
  cancel?: { by: string; reason: string };
  stopped?: string;
  tally: BatchTally;
}

export interface BatchApprovals {
  backup?: { confirmedBy: string; backupReference: string; comment?: string };
  override?: { approvedBy: string; comment?: string };
}

/**
 * A carried state is the batch's own, but arrives as a workflow argument: check every field the workflow reads,
 * so that a hand-made one fails typed instead of failing workflow tasks forever.
 */
export function validateCarry(c: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const err: Err = (field, message) => errors.push({ field: `(carried) ${field}`, message });
  if (!isPlainObject(c)) return [{ field: '(carried)', message: `expected the carried state object, got ${describeType(c)}` }];
  const size = measureJson(c, MAX_BATCH_INPUT_BYTES);
  if (!size.ok) return [{ field: `(carried) ${size.field}`, message: size.message }];
  for (const k of ['runs', 'total']) int(c[k], k, 0, 1e9, err);
  if (c.inventoryTotal !== undefined) int(c.inventoryTotal, 'inventoryTotal', 0, 1e9, err);
  for (const k of ['capPassed', 'paused']) if (typeof c[k] !== 'boolean') err(k, 'must be true or false');
  const d = object(c.discovery, 'discovery', ['pageToken', 'listed'], err);
  if (c.discovery !== undefined && (typeof d.pageToken !== 'string' || d.pageToken.length > 4096)) err('discovery.pageToken', 'must be a string');
  if (c.discovery !== undefined) int(d.listed, 'discovery.listed', 0, 1e9, err);
  const groups = list(c.pending, 'pending', MAX_TARGETS, err) ?? [];
  const pending = groups.flatMap((g, i) => {
    const { ids, ...where } = object(g, `pending[${i}]`, ['provider', 'kind', 'region', 'projectId', 'ids'], err);
    return (list(ids, `pending[${i}].ids`, MAX_TARGETS, err) ?? []).map((resourceId) => ({ ...where, resourceId }));
  });
  if (pending.length > MAX_TARGETS) err('pending', `at most ${MAX_TARGETS} targets`);
  else pending.forEach((t, i) => target(t, `pending target ${i}`, err));
  (list(c.running, 'running', MAX_TARGETS, err) ?? []).forEach((t, i) => target(t, `running[${i}]`, err));
  const texts = (o: Record<string, unknown>, field: string, keys: string[]) => {
    for (const k of keys) if (o[k] !== undefined && typeof o[k] !== 'string') err(`${field}.${k}`, 'must be a string');
  };
  const a = object(c.approvals, 'approvals', ['backup', 'override'], err);
  texts(object(a.backup, 'approvals.backup', ['confirmedBy', 'backupReference', 'comment'], err), 'approvals.backup', [
    'confirmedBy',
    'backupReference',
    'comment',
  ]);
  texts(object(a.override, 'approvals.override', ['approvedBy', 'comment'], err), 'approvals.override', ['approvedBy', 'comment']);
  texts(object(c.cancel, 'cancel', ['by', 'reason'], err), 'cancel', ['by', 'reason']);
  texts(c, '', ['capConfirmedBy', 'stopped']);
  const t = object(c.tally, 'tally', ['counts', 'lines', 'moreLines', 'failures', 'failuresTotal'], err);
  if (!isPlainObject(t.counts) || Object.values(t.counts).some((n) => typeof n !== 'number')) err('tally.counts', 'must map outcomes to numbers');
  for (const k of ['moreLines', 'failuresTotal']) int(t[k], `tally.${k}`, 0, 1e9, err);
  for (const k of ['lines', 'failures'])
    for (const line of list(t[k], `tally.${k}`, MAX_LINES, err) ?? []) if (!isPlainObject(line)) err(`tally.${k}`, 'must hold objects');
  return errors;
}

/** An update payload of the batch: a plain object of known text fields; the cleaned value or every field error. */
export function validateBatchPayload<K extends string>(
  input: unknown,
  fields: Record<K, { max: number; required: boolean; multiline?: boolean }>,
): { ok: true; value: Partial<Record<K, string>> } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isPlainObject(input))
    return { ok: false, errors: [{ field: '(input)', message: `expected an object {${Object.keys(fields).join(', ')}}, got ${describeType(input)}` }] };
  const size = measureJson(input, 8 * 1024);
  if (!size.ok) return { ok: false, errors: [{ field: size.field, message: size.message }] };
  unknownKeys(input, Object.keys(fields), '', (field, message) => errors.push({ field, message }));
  const value: Partial<Record<K, string>> = {};
  for (const [field, rule] of Object.entries(fields) as [K, { max: number; required: boolean; multiline?: boolean }][]) {
    const r = checkText(field, input[field], rule);
    if (!r.ok) errors.push(r.error);
    else if (r.value !== undefined) value[field] = r.value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
