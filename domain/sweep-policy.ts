// Decommission sweep policies: what a sweep looks for, what it never touches, how owners are told. Pure and
// deterministic (no Node APIs, no libraries): the sweep workflow validates and matches with it directly.
//
// Matching: the criteria `expired`, `decommissionTagPassed` and `ids` are ORed (any one makes a candidate);
// `tags` is a selector ANDed with them (it narrows the sweep, and is sent to the provider's list). `tags` alone
// selects every resource carrying them. Exclusions always win over matches.
import type { InventoryItem, TagCondition } from './inventory';
import { identitySkeleton } from './identity';
import { checkText, describeType, excerpt, fieldName, isPlainObject, MAX_IDENTITY, MAX_REASON, MAX_TICKET, measureJson, type FieldError } from './limits';
import { PROJECT_ID_FORMAT, REGION_FORMATS } from './request';
import { PROVIDERS, RESOURCE_KINDS, type Provider, type ResourceKind } from './resource';
import { protectionTag } from './rules/protection';
import type { ResourceSnapshot } from './resource';

export const DEFAULT_DECOMMISSION_TAG = 'decommission-date';
export const DEFAULT_OWNER_TAG = 'owner';
/** Any spelling of this key (like the protection tag) opts a resource out of every sweep. */
export const OPT_OUT_TAG = 'decommission-opt-out';
/** The only values of the opt-out tag that do not opt out (NFKC, trimmed, any case). Anything else, empty included, does. */
export const OPT_OUT_OFF_VALUES: readonly string[] = ['false', 'no'];
export const DEFAULT_GRACE_PERIOD = '72h';

export const MAX_POLICY_BYTES = 32 * 1024;
export const MAX_POLICY_IDS = 200;
export const MAX_POLICY_TAGS = 10;
export const MAX_WEBHOOKS = 100;
export const MAX_URL = 2048;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
const GRACE_MIN_MS = 1_000;
const GRACE_MAX_MS = 30 * 86_400_000;

export type SweepMode = 'report' | 'execute';

/** Per-resource release options, passed to every release of the sweep (the protection override is never offered). */
export interface SweepReleaseOptions {
  backup?: { required?: boolean; confirmWithin?: string };
  options?: { stopIfRunning?: boolean; retainedDataDisks?: 'keep' | 'delete'; retainedSnapshots?: 'keep' | 'delete'; waitGoneWithin?: string };
  drain?: { deadline?: string; failureBudget?: number };
}

/** The input of `decommissionSweep`: one JSON object, from a schedule, the Web UI or a service. */
export interface SweepPolicy {
  /** Lower-case letters, digits and dashes, at most 64: part of workflow and schedule IDs. */
  name: string;
  provider: Provider;
  region: string;
  /** Huawei only, and required there. */
  projectId?: string;
  kinds?: ResourceKind[];
  match: {
    expired?: true;
    decommissionTagPassed?: { tag?: string };
    ids?: string[];
    tags?: TagCondition[];
  };
  exclude?: { ids?: string[] };
  mode: SweepMode;
  /** Required in execute mode: one webhook per owner (`webhooks`), or a template with `{owner}`; `fallback` for the rest. */
  notify?: { ownerTag?: string; webhooks?: Record<string, string>; urlTemplate?: string; fallback?: string };
  /** How long owners have to opt out, e.g. "72h" (default), "30m"; 1s to 30d. */
  gracePeriod?: string;
  requestedBy: string;
  ticket: string;
  reason?: string;
  release?: SweepReleaseOptions;
}

/** The policy once validated, with every default filled in. */
export interface ValidSweepPolicy {
  name: string;
  provider: Provider;
  region: string;
  projectId?: string;
  kinds?: ResourceKind[];
  match: { expired: boolean; decommissionTag?: string; ids: string[]; tags: TagCondition[] };
  excludeIds: string[];
  mode: SweepMode;
  notify?: { ownerTag: string; webhooks: Record<string, string>; urlTemplate?: string; fallback?: string };
  gracePeriodMs: number;
  requestedBy: string;
  ticket: string;
  reason: string;
  release: SweepReleaseOptions;
}

export type PolicyValidation = { ok: true; policy: ValidSweepPolicy } | { ok: false; errors: FieldError[] };

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const DURATION = /^(\d{1,8})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "72h" → milliseconds, or undefined when it is not a whole number followed by s, m, h or d. */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** Field errors collected while walking the input. */
class Checker {
  readonly errors: FieldError[] = [];
  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }
  object(field: string, v: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
    if (!isPlainObject(v)) return this.fail(field, `must be an object, got ${describeType(v)}`);
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.fail(field === '(input)' ? fieldName(k) : `${field}.${fieldName(k)}`, 'unknown field');
    return v;
  }
  text(field: string, v: unknown, max: number, required = false, multiline = false): string | undefined {
    const r = checkText(field, v, { max, required, multiline });
    return r.ok ? r.value : this.fail(r.error.field, r.error.message);
  }
  bool(field: string, v: unknown): boolean | undefined {
    return v === undefined || typeof v === 'boolean' ? v : this.fail(field, `must be true or false, got ${describeType(v)}`);
  }
  oneOf<T extends string>(field: string, v: unknown, values: readonly T[]): T | undefined {
    return values.includes(v as T) ? (v as T) : this.fail(field, `must be one of ${values.join(', ')}, got ${excerpt(v, 24)}`);
  }
  list(field: string, v: unknown, max: number): unknown[] | undefined {
    if (!Array.isArray(v)) return this.fail(field, `must be a list, got ${describeType(v)}`);
    return v.length > max ? this.fail(field, `must have at most ${max} entries, got ${v.length}`) : v;
  }
  ids(field: string, v: unknown): string[] {
    if (v === undefined) return [];
    const out: string[] = [];
    (this.list(field, v, MAX_POLICY_IDS) ?? []).forEach((id, i) => {
      if (typeof id === 'string' && ID.test(id)) out.push(id);
      else this.fail(`${field}[${i}]`, `must be a resource ID (letters, digits, . _ : -, at most 64), got ${excerpt(id, 24)}`);
    });
    return out;
  }
  duration(field: string, v: unknown, minMs: number, maxMs: number): number | undefined {
    const ms = typeof v === 'string' ? durationMs(v) : undefined;
    if (ms === undefined) return this.fail(field, `must be a duration like "30m", "24h" or "3d", got ${excerpt(v, 24)}`);
    return ms >= minMs && ms <= maxMs ? ms : this.fail(field, `must be between ${minMs / 1000}s and ${maxMs / 86_400_000}d, got ${excerpt(v, 24)}`);
  }
  url(field: string, v: unknown): string | undefined {
    const s = this.text(field, v, MAX_URL, true);
    if (s === undefined) return undefined;
    return /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(s) ? s : this.fail(field, 'must be an http:// or https:// URL');
  }
}

/**
 * Validate a sweep policy field by field: unknown fields at any level, types, formats and bounds, the whole
 * input at most MAX_POLICY_BYTES of JSON. Returns every error at once; never throws.
 */
export function validateSweepPolicy(input: unknown): PolicyValidation {
  const c = new Checker();
  try {
    const size = measureJson(input, MAX_POLICY_BYTES);
    if (!size.ok) return { ok: false, errors: [{ field: size.field, message: size.message }] };
    const keys = [
      'name',
      'provider',
      'region',
      'projectId',
      'kinds',
      'match',
      'exclude',
      'mode',
      'notify',
      'gracePeriod',
      'requestedBy',
      'ticket',
      'reason',
      'release',
    ];
    const p = c.object('(input)', input, keys);
    if (!p) return { ok: false, errors: c.errors };

    const name = typeof p.name === 'string' && NAME.test(p.name) ? p.name : c.fail('name', 'must be 1 to 64 lower-case letters, digits or dashes');
    const provider = c.oneOf('provider', p.provider, PROVIDERS);
    const region = c.text('region', p.region, 64, true);
    if (provider && region && !REGION_FORMATS[provider].pattern.test(region)) c.fail('region', `must be ${REGION_FORMATS[provider].description}`);
    const projectId = c.text('projectId', p.projectId, 32);
    if (provider === 'huawei' && projectId === undefined) c.fail('projectId', 'is required for huawei');
    if (provider && provider !== 'huawei' && p.projectId !== undefined) c.fail('projectId', `is not used by ${provider}`);
    if (projectId !== undefined && !PROJECT_ID_FORMAT.pattern.test(projectId)) c.fail('projectId', `must be ${PROJECT_ID_FORMAT.description}`);

    let kinds: ResourceKind[] | undefined;
    if (p.kinds !== undefined) {
      const own = (Object.keys(RESOURCE_KINDS) as ResourceKind[]).filter((k) => RESOURCE_KINDS[k] === provider);
      kinds = [];
      (c.list('kinds', p.kinds, 6) ?? []).forEach((k, i) => {
        const kind = c.oneOf(`kinds[${i}]`, k, own);
        if (kind && !kinds!.includes(kind)) kinds!.push(kind);
      });
    }

    const match = matchOf(c, p.match);
    const ex = p.exclude === undefined ? {} : (c.object('exclude', p.exclude, ['ids']) ?? {});
    const excludeIds = c.ids('exclude.ids', ex.ids);
    const mode = c.oneOf('mode', p.mode, ['report', 'execute'] as const);
    const notify = p.notify === undefined ? undefined : notifyOf(c, p.notify);
    if (mode === 'execute' && p.notify === undefined) c.fail('notify', 'is required in execute mode: owners are notified before anything is released');
    const gracePeriodMs = c.duration('gracePeriod', p.gracePeriod ?? DEFAULT_GRACE_PERIOD, GRACE_MIN_MS, GRACE_MAX_MS);
    const requestedBy = c.text('requestedBy', p.requestedBy, MAX_IDENTITY, true);
    const ticket = c.text('ticket', p.ticket, MAX_TICKET, true);
    const reason = c.text('reason', p.reason, MAX_REASON, false, true);
    const release = p.release === undefined ? {} : releaseOf(c, p.release);

    if (c.errors.length > 0) return { ok: false, errors: c.errors };
    return {
      ok: true,
      policy: {
        name: name!,
        provider: provider!,
        region: region!,
        ...(projectId !== undefined ? { projectId } : {}),
        ...(kinds ? { kinds } : {}),
        match: match!,
        excludeIds,
        mode: mode!,
        ...(notify ? { notify } : {}),
        gracePeriodMs: gracePeriodMs!,
        requestedBy: requestedBy!,
        ticket: ticket!,
        reason: reason ?? '',
        release,
      },
    };
  } catch (err) {
    return { ok: false, errors: [{ field: '(input)', message: `the policy could not be read (${excerpt(err instanceof Error ? err.message : err, 80)})` }] };
  }
}

function tagKey(c: Checker, field: string, v: unknown): string | undefined {
  return c.text(field, v, MAX_TAG_KEY, true);
}

function matchOf(c: Checker, v: unknown): ValidSweepPolicy['match'] | undefined {
  const m = c.object('match', v, ['expired', 'decommissionTagPassed', 'ids', 'tags']);
  if (!m) return undefined;
  if (m.expired !== undefined && m.expired !== true) c.fail('match.expired', 'must be true when given');
  let decommissionTag: string | undefined;
  if (m.decommissionTagPassed !== undefined) {
    const d = c.object('match.decommissionTagPassed', m.decommissionTagPassed, ['tag']);
    decommissionTag = d && d.tag !== undefined ? tagKey(c, 'match.decommissionTagPassed.tag', d.tag) : DEFAULT_DECOMMISSION_TAG;
  }
  const ids = c.ids('match.ids', m.ids);
  const tags: TagCondition[] = [];
  if (m.tags !== undefined) {
    (c.list('match.tags', m.tags, MAX_POLICY_TAGS) ?? []).forEach((t, i) => {
      const o = c.object(`match.tags[${i}]`, t, ['key', 'value']);
      if (!o) return;
      const key = tagKey(c, `match.tags[${i}].key`, o.key);
      const value = o.value === undefined ? undefined : c.text(`match.tags[${i}].value`, o.value, MAX_TAG_VALUE, true);
      if (key !== undefined) tags.push(value === undefined ? { key } : { key, value });
    });
  }
  if (m.expired === undefined && m.decommissionTagPassed === undefined && ids.length === 0 && m.tags === undefined) {
    c.fail('match', 'needs at least one of expired, decommissionTagPassed, ids, tags');
  }
  return { expired: m.expired === true, ...(decommissionTag !== undefined ? { decommissionTag } : {}), ids, tags };
}

function notifyOf(c: Checker, v: unknown): ValidSweepPolicy['notify'] {
  const n = c.object('notify', v, ['ownerTag', 'webhooks', 'urlTemplate', 'fallback']);
  if (!n) return undefined;
  const ownerTag = n.ownerTag === undefined ? DEFAULT_OWNER_TAG : tagKey(c, 'notify.ownerTag', n.ownerTag);
  const webhooks: Record<string, string> = {};
  if (n.webhooks !== undefined) {
    const w = isPlainObject(n.webhooks) ? n.webhooks : c.fail('notify.webhooks', `must be an object of owner → URL, got ${describeType(n.webhooks)}`);
    const entries = Object.entries(w ?? {});
    if (entries.length > MAX_WEBHOOKS) c.fail('notify.webhooks', `must have at most ${MAX_WEBHOOKS} owners`);
    for (const [owner, url] of entries.slice(0, MAX_WEBHOOKS)) {
      const field = `notify.webhooks.${fieldName(owner)}`;
      if (c.text(field, owner, MAX_TAG_VALUE, true) === undefined) continue;
      const u = c.url(field, url);
      if (u !== undefined) webhooks[owner] = u;
    }
  }
  const urlTemplate = n.urlTemplate === undefined ? undefined : c.url('notify.urlTemplate', n.urlTemplate);
  if (urlTemplate !== undefined && !urlTemplate.includes('{owner}')) c.fail('notify.urlTemplate', 'must contain {owner}');
  const fallback = n.fallback === undefined ? undefined : c.url('notify.fallback', n.fallback);
  if (n.webhooks === undefined && n.urlTemplate === undefined && n.fallback === undefined) c.fail('notify', 'needs webhooks, urlTemplate or fallback');
  return {
    ownerTag: ownerTag ?? DEFAULT_OWNER_TAG,
    webhooks,
    ...(urlTemplate !== undefined ? { urlTemplate } : {}),
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

function releaseOf(c: Checker, v: unknown): SweepReleaseOptions {
  const r = c.object('release', v, ['backup', 'options', 'drain']);
  if (!r) return {};
  const out: SweepReleaseOptions = {};
  const DAY = 86_400_000;
  if (r.backup !== undefined) {
    const b = c.object('release.backup', r.backup, ['required', 'confirmWithin']);
    if (b) {
      const required = c.bool('release.backup.required', b.required);
      if (b.confirmWithin !== undefined) c.duration('release.backup.confirmWithin', b.confirmWithin, 1_000, 30 * DAY);
      out.backup = { ...(required !== undefined ? { required } : {}), ...(typeof b.confirmWithin === 'string' ? { confirmWithin: b.confirmWithin } : {}) };
    }
  }
  if (r.options !== undefined) {
    const o = c.object('release.options', r.options, ['stopIfRunning', 'retainedDataDisks', 'retainedSnapshots', 'waitGoneWithin']);
    if (o) {
      const opts: NonNullable<SweepReleaseOptions['options']> = {};
      const stop = c.bool('release.options.stopIfRunning', o.stopIfRunning);
      if (stop !== undefined) opts.stopIfRunning = stop;
      for (const k of ['retainedDataDisks', 'retainedSnapshots'] as const) {
        if (o[k] !== undefined) {
          const fate = c.oneOf(`release.options.${k}`, o[k], ['keep', 'delete'] as const);
          if (fate) opts[k] = fate;
        }
      }
      if (o.waitGoneWithin !== undefined && c.duration('release.options.waitGoneWithin', o.waitGoneWithin, 1_000, DAY) !== undefined) {
        opts.waitGoneWithin = o.waitGoneWithin as string;
      }
      out.options = opts;
    }
  }
  if (r.drain !== undefined) {
    const d = c.object('release.drain', r.drain, ['deadline', 'failureBudget']);
    if (d) {
      const drain: NonNullable<SweepReleaseOptions['drain']> = {};
      if (d.deadline !== undefined && c.duration('release.drain.deadline', d.deadline, 1_000, 7 * DAY) !== undefined) drain.deadline = d.deadline as string;
      if (d.failureBudget !== undefined) {
        const n = d.failureBudget;
        if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 10_000) drain.failureBudget = n;
        else c.fail('release.drain.failureBudget', `must be a whole number from 0 to 10000, got ${excerpt(n, 24)}`);
      }
      out.drain = drain;
    }
  }
  return out;
}

/** The value of a tag whose key equals `key` in any case (the first in key order), if any. */
function tagValue(tags: Record<string, string>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const k = Object.keys(tags)
    .sort()
    .find((t) => t.toLowerCase() === wanted);
  return k === undefined ? undefined : tags[k];
}

/** A decommission date: `YYYY-MM-DD` (it has passed from 00:00 UTC that day) or a full ISO-8601 timestamp. */
export function decommissionDate(value: string): Date | undefined {
  const v = value.trim();
  if (!/^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))?$/.test(v)) return undefined;
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Why the item matches the policy (at `now`), or an empty list when it does not: any of the ORed criteria,
 * and the `tags` selector, and the policy's kinds.
 */
export function matches(item: InventoryItem, policy: ValidSweepPolicy, now: Date): string[] {
  const { match } = policy;
  if (policy.kinds && !policy.kinds.includes(item.kind)) return [];
  const tags = plainTags(item.tags) ?? {};
  if (!match.tags.every((t) => Object.hasOwn(tags, t.key) && (t.value === undefined || tags[t.key] === t.value))) return [];
  const reasons: string[] = [];
  if (match.expired && item.expired) reasons.push(`subscription expired${item.expiresAt ? ` (${item.expiresAt})` : ''}`);
  if (match.decommissionTag !== undefined) {
    const value = tagValue(tags, match.decommissionTag);
    const date = value === undefined ? undefined : decommissionDate(value);
    if (date && date.getTime() <= now.getTime()) reasons.push(`${match.decommissionTag} ${value} has passed`);
  }
  if (match.ids.includes(item.resourceId)) reasons.push('listed in match.ids');
  const onlySelector = !match.expired && match.decommissionTag === undefined && match.ids.length === 0;
  if (onlySelector) reasons.push(`tagged ${match.tags.map((t) => (t.value === undefined ? t.key : `${t.key}=${t.value}`)).join(', ')}`);
  return reasons;
}

/** Whether a tag key is a spelling of `decommission-opt-out` (any case, separators, full-width or look-alike letters). */
export function isOptOutKey(key: string): boolean {
  return identitySkeleton(key).replace(/[^a-z0-9]/g, '') === 'decommissionoptout';
}

/**
 * Why the item is never released by this sweep, or an empty list: the protection tag (the canonical check of
 * domain/rules/protection.ts, unreadable tags included), the opt-out tag (any value but "false"/"no"), exclude.ids.
 */
export function excluded(item: InventoryItem, policy: ValidSweepPolicy): string[] {
  const reasons: string[] = [];
  // protectionTag reads only the snapshot's tags.
  const protection = protectionTag({ tags: item.tags } as Pick<ResourceSnapshot, 'tags'> as ResourceSnapshot);
  if (protection) reasons.push(`protected by the tag ${protection.key}=${protection.value}`);
  const tags = plainTags(item.tags) ?? {};
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    if (isOptOutKey(key) && !OPT_OUT_OFF_VALUES.includes(String(value).normalize('NFKC').trim().toLowerCase())) {
      reasons.push(`opted out by the tag ${key}=${String(value)}`);
      break;
    }
  }
  if (policy.excludeIds.includes(item.resourceId)) reasons.push('listed in exclude.ids');
  return reasons;
}

function plainTags(tags: unknown): Record<string, string> | undefined {
  return typeof tags === 'object' && tags !== null && !Array.isArray(tags) ? (tags as Record<string, string>) : undefined;
}

/** The owner of an item by the policy's owner tag (any case of the key), if set and not blank. */
export function ownerBy(item: InventoryItem, ownerTag: string): string | undefined {
  const v = tagValue(plainTags(item.tags) ?? {}, ownerTag)?.trim();
  return v ? v : undefined;
}

/** The webhook for an owner: its own entry, else the template (owner URL-encoded), else the fallback. */
export function webhookFor(notify: NonNullable<ValidSweepPolicy['notify']>, owner: string | undefined): string | undefined {
  if (owner !== undefined && Object.hasOwn(notify.webhooks, owner)) return notify.webhooks[owner];
  if (owner !== undefined && notify.urlTemplate) return notify.urlTemplate.replaceAll('{owner}', encodeURIComponent(owner));
  return notify.fallback;
}

/** The `optOut` update's payload. */
export interface OptOutRequest {
  resourceId: string;
  by: string;
  reason: string;
}

/** Validate an `optOut` payload: exactly these fields, bounded, printable. Never throws. */
export function validateOptOut(args: unknown[]): { ok: true; value: OptOutRequest } | { ok: false; message: string } {
  const c = new Checker();
  try {
    if (args.length !== 1) return { ok: false, message: `(input): expected exactly one argument, got ${args.length}` };
    const size = measureJson(args[0], 8 * 1024);
    if (!size.ok) return { ok: false, message: `${size.field}: ${size.message}` };
    const o = c.object('(input)', args[0], ['resourceId', 'by', 'reason']);
    const resourceId = o && (typeof o.resourceId === 'string' && ID.test(o.resourceId) ? o.resourceId : c.fail('resourceId', 'must be a resource ID'));
    const by = o && c.text('by', o.by, MAX_IDENTITY, true);
    const reason = o && c.text('reason', o.reason, MAX_REASON, true);
    if (c.errors.length > 0 || !resourceId || !by || !reason) return { ok: false, message: c.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
    return { ok: true, value: { resourceId, by, reason } };
  } catch {
    return { ok: false, message: '(input): the opt-out could not be read' };
  }
}
