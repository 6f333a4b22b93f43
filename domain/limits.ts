// Bounds and text checks shared by the request validator (an activity, with zod) and the update-payload
// validators (inside the workflow, without any library). Pure and deterministic: no Node APIs, no libraries.

/** Temporal's default limit on a workflow ID (bytes); the canonical IDs stay far below it (see MAX_WORKFLOW_ID_BYTES). */
export const TEMPORAL_MAX_WORKFLOW_ID_BYTES = 1000;
/** The server's default `limit.maxSearchAttributeValueSize`: 2 KiB per value (40 KiB in total). */
export const TEMPORAL_MAX_SEARCH_ATTRIBUTE_VALUE_BYTES = 2048;

/** Who asks / confirms / approves / cancels: a Keyword search attribute. 256 UTF-16 units are at most 768 UTF-8 bytes. */
export const MAX_IDENTITY = 256;
export const MAX_TICKET = 128;
export const MAX_REASON = 2000;
export const MAX_COMMENT = 2000;
export const MAX_BACKUP_REFERENCE = 512;
export const MAX_REGION = 64;
export const MAX_RESOURCE_ID = 64;

/** The whole release request, measured as JSON. */
export const MAX_INPUT_BYTES = 16 * 1024;
/** One update payload, measured as JSON. */
export const MAX_UPDATE_BYTES = 8 * 1024;
/** Nesting depth of any input (the request itself is two levels deep). */
export const MAX_INPUT_DEPTH = 8;

// Durations: at least a second (0 would mean "never wait"; the integration tests wait 2s for a confirmation that
// never comes), at most 30 days for a backup confirmation and 7 days for a drain.
const SECOND = 1_000;
const DAY = 86_400_000;
export const CONFIRM_WITHIN_MIN_MS = SECOND;
export const CONFIRM_WITHIN_MAX_MS = 30 * DAY;
/** How long a release watches for the resource to be gone after its destructive call. */
export const WAIT_GONE_MIN_MS = SECOND;
export const WAIT_GONE_MAX_MS = DAY;
export const DRAIN_DEADLINE_MIN_MS = SECOND;
export const DRAIN_DEADLINE_MAX_MS = 7 * DAY;
export const MAX_FAILURE_BUDGET = 10_000;

/**
 * The longest canonical workflow ID the bounds allow: `dry-run/` + the longest provider (`alibaba`) + `/` + region
 * + `/` + resourceId. Region and resourceId are ASCII-only (their formats), so characters are bytes.
 */
export const MAX_WORKFLOW_ID_BYTES = 'dry-run/'.length + 'alibaba'.length + 1 + MAX_REGION + 1 + MAX_RESOURCE_ID;

export interface FieldError {
  field: string;
  message: string;
}

/** UTF-8 length of a string (lone surrogates count as the 3 bytes of U+FFFD, as encoders write them). */
/** A workflow's or an update's raw argument list must hold exactly one argument: a second one is never ignored. */
export function oneArgumentError(args: unknown, what: 'workflow' | 'update'): FieldError | undefined {
  if (!Array.isArray(args)) return { field: '(input)', message: `expected the list of ${what} arguments, got ${describeType(args)}` };
  return args.length === 1 ? undefined : { field: '(input)', message: `expected exactly one argument, got ${args.length}` };
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// C0/C1 controls and DEL, Unicode line/paragraph separators.
const isControl = (c: number): boolean => c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
// Bidi embeddings/overrides/isolates/marks, zero-width and other invisible format characters: they make one
// name look like another, or reorder what a reader sees.
const isInvisible = (c: number): boolean =>
  c === 0x00ad ||
  c === 0x061c ||
  c === 0x180e ||
  (c >= 0x200b && c <= 0x200f) ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2060 && c <= 0x2064) ||
  (c >= 0x2066 && c <= 0x206f) ||
  c === 0xfeff ||
  (c >= 0xfff9 && c <= 0xfffb);

/** What a text field may not contain: a description of the first offending character class, or undefined. */
export function badCharacters(s: string, allowNewlines = false): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (allowNewlines && (c === 0x0a || c === 0x09)) continue;
    if (isControl(c)) return allowNewlines ? 'control characters (only newline and tab are allowed)' : 'control characters (CR, LF, tab, NUL, …)';
    if (isInvisible(c)) return 'invisible or bidirectional formatting characters';
    if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
      else return 'malformed Unicode (a lone surrogate)';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'malformed Unicode (a lone surrogate)';
  }
  return undefined;
}

/** A short, printable excerpt of a value for an error message (never the whole hostile input). */
export function excerpt(value: unknown, max = 40): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    s = Object.prototype.toString.call(value);
  }
  if (s.length > max) s = `${s.slice(0, max)}…`;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += isControl(c) || isInvisible(c) || (c >= 0xd800 && c <= 0xdfff) ? `\\u${c.toString(16).padStart(4, '0')}` : s[i];
  }
  return `"${out}"`;
}

export interface TextRule {
  max: number;
  /** Absent, null handling: required fields must be present and non-blank. */
  required: boolean;
  /** Newlines and tabs allowed (free text such as a reason or a comment). */
  multiline?: boolean;
}

/**
 * Check one text field: a string, non-blank when required, at most `max` UTF-16 units after trimming, free of
 * control and invisible characters. Returns the trimmed value (undefined for an absent or blank optional) or an error.
 */
export function checkText(field: string, value: unknown, rule: TextRule): { ok: true; value: string | undefined } | { ok: false; error: FieldError } {
  const fail = (message: string) => ({ ok: false as const, error: { field, message } });
  if (value === undefined) return rule.required ? fail(`${field} is required`) : { ok: true, value: undefined };
  if (typeof value !== 'string') return fail(`${field} must be a string, got ${describeType(value)}`);
  const trimmed = value.trim();
  if (trimmed.length === 0) return rule.required ? fail(`${field} must not be empty`) : { ok: true, value: undefined };
  if (trimmed.length > rule.max) return fail(`${field} must be at most ${rule.max} characters, got ${trimmed.length}`);
  const bad = badCharacters(trimmed, rule.multiline);
  if (bad) return fail(`${field} must not contain ${bad}`);
  return { ok: true, value: trimmed };
}

/** The JSON type of a value, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'a number' : 'an infinite number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A plain object (from JSON or a literal), in any realm: its prototype is Object.prototype or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export type Measure = { ok: true; bytes: number } | { ok: false; field: string; message: string };

/**
 * Measure a value as JSON (approximately: escapes of control characters are not counted), stopping as soon as
 * it exceeds `maxBytes` or `maxDepth`, so that a huge input costs no more than the bound. Values JSON cannot
 * carry (functions, symbols, bigints, class instances, Maps, …) are named by their path. Never throws:
 * a getter or a proxy that throws reports `(input)`.
 */
export function measureJson(value: unknown, maxBytes: number, maxDepth = MAX_INPUT_DEPTH): Measure {
  let bytes = 0;
  const seen = new Set<object>();
  const tooBig = (): Measure => ({ ok: false, field: '(input)', message: `the input must be at most ${maxBytes} bytes of JSON` });
  const walk = (v: unknown, path: string, depth: number): Measure | undefined => {
    if (bytes > maxBytes) return tooBig();
    switch (typeof v) {
      case 'undefined':
        return undefined;
      case 'boolean':
        bytes += v ? 4 : 5;
        return undefined;
      case 'number':
        bytes += Number.isFinite(v) ? String(v).length : 4;
        return undefined;
      case 'string':
        // Stop early on a huge string: its length in UTF-16 units is a lower bound of its UTF-8 length.
        if (v.length > maxBytes) return tooBig();
        bytes += utf8Length(v) + 2;
        return undefined;
      case 'object': {
        if (v === null) {
          bytes += 4;
          return undefined;
        }
        if (depth >= maxDepth) return { ok: false, field: path || '(input)', message: `nested deeper than ${maxDepth} levels` };
        if (seen.has(v)) return { ok: false, field: path || '(input)', message: 'a circular structure is not JSON' };
        seen.add(v);
        if (Array.isArray(v)) {
          bytes += 2;
          if (v.length > maxBytes) return tooBig();
          for (let i = 0; i < v.length; i++) {
            bytes += 1;
            const r = walk(v[i], `${path}[${i}]`, depth + 1);
            if (r) return r;
          }
        } else {
          if (!isPlainObject(v)) return { ok: false, field: path || '(input)', message: 'must be a plain JSON object' };
          bytes += 2;
          for (const k of Object.keys(v)) {
            bytes += utf8Length(k) + 4;
            if (bytes > maxBytes) return tooBig();
            const r = walk(v[k], path ? `${path}.${fieldName(k)}` : fieldName(k), depth + 1);
            if (r) return r;
          }
        }
        seen.delete(v);
        return bytes > maxBytes ? tooBig() : undefined;
      }
      default:
        return { ok: false, field: path || '(input)', message: `a ${typeof v} is not JSON` };
    }
  };
  try {
    const r = walk(value, '', 0);
    if (r) return r;
    return bytes > maxBytes ? tooBig() : { ok: true, bytes };
  } catch {
    return { ok: false, field: '(input)', message: 'the input could not be read as JSON' };
  }
}

/** A field name from the input as an error shows it: as is when it is a plain identifier, else a quoted, printable excerpt. */
export function fieldName(key: string): string {
  return /^[A-Za-z0-9_$-]{1,64}$/.test(key) ? key : excerpt(key, 64);
}
