import { z } from 'zod';
import {
  badCharacters,
  CONFIRM_WITHIN_MAX_MS,
  CONFIRM_WITHIN_MIN_MS,
  describeType,
  DRAIN_DEADLINE_MAX_MS,
  WAIT_GONE_MAX_MS,
  WAIT_GONE_MIN_MS,
  DRAIN_DEADLINE_MIN_MS,
  excerpt,
  fieldName,
  isPlainObject,
  MAX_FAILURE_BUDGET,
  MAX_IDENTITY,
  MAX_INPUT_BYTES,
  MAX_INPUT_DEPTH,
  MAX_REASON,
  MAX_REGION,
  MAX_RESOURCE_ID,
  MAX_TICKET,
  measureJson,
  TEMPORAL_MAX_WORKFLOW_ID_BYTES,
  type FieldError,
  oneArgumentError,
} from '../domain/limits';
import { PROJECT_ID_FORMAT, REGION_FORMATS, RESOURCE_ID_FORMATS, workflowIdsFit, type ValidRequest } from '../domain/request';
import { RESOURCE_KINDS, PROVIDERS, type Provider, type ResourceKind } from '../domain/resource';

export type { FieldError };

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** "30d" for 30 days, "1m" for a minute: the bounds as the error messages show them. */
function showDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

/** A string field: "X is required" when absent, "X must be a string" when of another type. */
const str = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `${what} is required` : `${what} must be a string, got ${describeType(iss.input)}`) });
const nonEmpty = (what: string) => str(what).trim().min(1, `${what} must not be empty`);
const bool = (what: string) => z.boolean({ error: (iss) => `${what} must be true or false, got ${describeType(iss.input)}` });

/** Bounded text, free of control and invisible characters (newlines and tabs too, unless multiline). */
const text = (what: string, max: number, multiline = false) =>
  nonEmpty(what)
    .max(max, `${what} must be at most ${max} characters`)
    .superRefine((v, ctx) => {
      const bad = badCharacters(v, multiline);
      if (bad) ctx.addIssue({ code: 'custom', message: `${what} must not contain ${bad}` });
    });

const duration = (what: string, minMs: number, maxMs: number, example: string) =>
  str(what)
    .regex(DURATION, `${what} must be a duration like ${example} (a whole number followed by s, m, h or d)`)
    .superRefine((v, ctx) => {
      if (!DURATION.test(v)) return; // reported by the regex
      const ms = parseDuration(v);
      if (!(ms >= minMs && ms <= maxMs)) {
        ctx.addIssue({ code: 'custom', message: `${what} must be between ${showDuration(minMs)} and ${showDuration(maxMs)}, got ${excerpt(v, 24)}` });
      }
    });

const leftover = (what: string) => z.enum(['keep', 'delete'], { error: `${what} must be "keep" or "delete"` }).default('keep');

const idBound = `so that the workflow ID release/{provider}/{region}/{resourceId} stays far below Temporal's ${TEMPORAL_MAX_WORKFLOW_ID_BYTES}-byte limit`;

const schema = z
  .object({
    provider: z.enum(PROVIDERS, { error: `provider must be one of ${PROVIDERS.join(', ')}` }),
    kind: z.enum(Object.keys(RESOURCE_KINDS) as [ResourceKind, ...ResourceKind[]], {
      error: `kind must be one of ${Object.keys(RESOURCE_KINDS).join(', ')}`,
    }),
    region: nonEmpty('region')
      .max(MAX_REGION, `region must be at most ${MAX_REGION} characters, ${idBound}`)
      .regex(/^[a-z0-9-]+$/, 'region must look like cn-hangzhou, bj or cn-southwest-2'),
    // Its format and whether it may be given at all depend on the provider: see crossFieldErrors.
    projectId: str('projectId').trim().min(1, 'projectId must not be empty').max(64, 'projectId must be at most 64 characters').optional(),
    resourceId: nonEmpty('resourceId')
      .max(MAX_RESOURCE_ID, `resourceId must be at most ${MAX_RESOURCE_ID} characters, ${idBound}`)
      .regex(/^[A-Za-z0-9._:-]+$/, 'resourceId has characters no provider uses'),
    requestedBy: text('requestedBy', MAX_IDENTITY),
    ticket: text('ticket', MAX_TICKET),
    reason: str('reason')
      .max(MAX_REASON, `reason must be at most ${MAX_REASON} characters`)
      .superRefine((v, ctx) => {
        const bad = badCharacters(v, true);
        if (bad) ctx.addIssue({ code: 'custom', message: `reason must not contain ${bad}` });
      })
      .default(''),
    dryRun: bool('dryRun').default(false),
    backup: z
      .object(
        {
          required: bool('backup.required').default(true),
          confirmWithin: duration('backup.confirmWithin', CONFIRM_WITHIN_MIN_MS, CONFIRM_WITHIN_MAX_MS, '"30m", "24h" or "3d"').default('24h'),
        },
        { error: (iss) => `backup must be an object, got ${describeType(iss.input)}` },
      )
      .strict()
      .default({ required: true, confirmWithin: '24h' }),
    options: z
      .object(
        {
          stopIfRunning: bool('options.stopIfRunning').default(false),
          retainedDataDisks: leftover('options.retainedDataDisks'),
          retainedSnapshots: leftover('options.retainedSnapshots'),
          overrideProtectionTag: bool('options.overrideProtectionTag').default(false),
          approveOverrideWithin: duration('options.approveOverrideWithin', CONFIRM_WITHIN_MIN_MS, CONFIRM_WITHIN_MAX_MS, '"30m", "24h" or "3d"').default('24h'),
          waitGoneWithin: duration('options.waitGoneWithin', WAIT_GONE_MIN_MS, WAIT_GONE_MAX_MS, '"30m" or "2h"').default('30m'),
        },
        { error: (iss) => `options must be an object, got ${describeType(iss.input)}` },
      )
      .strict()
      .default({
        stopIfRunning: false,
        retainedDataDisks: 'keep',
        retainedSnapshots: 'keep',
        overrideProtectionTag: false,
        approveOverrideWithin: '24h',
        waitGoneWithin: '30m',
      }),
    drain: z
      .object(
        {
          deadline: duration('drain.deadline', DRAIN_DEADLINE_MIN_MS, DRAIN_DEADLINE_MAX_MS, '"30m" or "2h"').default('2h'),
          failureBudget: z
            .number({ error: (iss) => `drain.failureBudget must be a whole number from 0 to ${MAX_FAILURE_BUDGET}, got ${describeType(iss.input)}` })
            .int(`drain.failureBudget must be a whole number from 0 to ${MAX_FAILURE_BUDGET}`)
            .min(0, `drain.failureBudget must be a whole number from 0 to ${MAX_FAILURE_BUDGET}`)
            .max(MAX_FAILURE_BUDGET, `drain.failureBudget must be a whole number from 0 to ${MAX_FAILURE_BUDGET}`)
            .default(0),
        },
        { error: (iss) => `drain must be an object, got ${describeType(iss.input)}` },
      )
      .strict()
      .default({ deadline: '2h', failureBudget: 0 }),
  })
  .strict();

export type Validation = { ok: true; request: ValidRequest } | { ok: false; errors: FieldError[] };

const own = (o: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const isProvider = (p: unknown): p is Provider => typeof p === 'string' && (PROVIDERS as readonly string[]).includes(p);
const isKind = (k: unknown): k is ResourceKind => typeof k === 'string' && Object.prototype.hasOwnProperty.call(RESOURCE_KINDS, k);

/**
 * Rules across fields, checked even when other fields are wrong so that every error shows at once:
 * kind against provider, projectId (required and 32 lower-case hex for Huawei, absent elsewhere), the
 * provider's region shape and the kind's resource ID format (only once the generic checks pass, so that
 * one mistake gives one error).
 */
function crossFieldErrors(input: Record<string, unknown>): FieldError[] {
  const provider = own(input, 'provider');
  const kind = own(input, 'kind');
  const projectId = own(input, 'projectId');
  const region = own(input, 'region');
  const resourceId = own(input, 'resourceId');
  const errors: FieldError[] = [];
  const owner = isKind(kind) ? RESOURCE_KINDS[kind] : undefined;
  if (owner && isProvider(provider) && owner !== provider) {
    errors.push({ field: 'kind', message: `kind ${String(kind)} belongs to provider ${owner}, not ${provider}` });
  }
  const huawei = provider === 'huawei' || owner === 'huawei';
  if (huawei && !projectId) errors.push({ field: 'projectId', message: 'projectId is required for Huawei resources' });
  else if (
    huawei &&
    typeof projectId === 'string' &&
    projectId.trim().length > 0 &&
    projectId.trim().length <= 64 &&
    !PROJECT_ID_FORMAT.pattern.test(projectId.trim())
  ) {
    errors.push({ field: 'projectId', message: `projectId must be a Huawei project ID: ${PROJECT_ID_FORMAT.description}` });
  } else if (!huawei && isProvider(provider) && projectId !== undefined) {
    errors.push({ field: 'projectId', message: `projectId applies to Huawei resources only: leave it out for ${provider}` });
  }
  if (isProvider(provider) && typeof region === 'string') {
    const r = region.trim();
    if (r.length > 0 && r.length <= MAX_REGION && /^[a-z0-9-]+$/.test(r) && !REGION_FORMATS[provider].pattern.test(r)) {
      errors.push({ field: 'region', message: `region must be ${REGION_FORMATS[provider].description}` });
    }
  }
  if (isKind(kind) && owner === provider && typeof resourceId === 'string') {
    const id = resourceId.trim();
    if (id.length > 0 && id.length <= MAX_RESOURCE_ID && /^[A-Za-z0-9._:-]+$/.test(id) && !RESOURCE_ID_FORMATS[kind].pattern.test(id)) {
      errors.push({ field: 'resourceId', message: `resourceId of a ${kind} must be ${RESOURCE_ID_FORMATS[kind].description}` });
    }
  }
  return errors;
}

const fieldOf = (path: PropertyKey[]): string => path.map(String).join('.');

function validate(input: unknown): Validation {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: [
        {
          field: '(input)',
          message: `expected one JSON object with the release request, got ${typeof input === 'object' && input !== null && !Array.isArray(input) ? 'an object that is not plain JSON (a class instance or a custom prototype)' : describeType(input)}`,
        },
      ],
    };
  }
  const size = measureJson(input, MAX_INPUT_BYTES, MAX_INPUT_DEPTH);
  if (!size.ok) return { ok: false, errors: [{ field: size.field, message: size.message }] };

  const parsed = schema.safeParse(input);
  const crossField = crossFieldErrors(input);
  if (!parsed.success || crossField.length > 0) {
    return {
      ok: false,
      errors: (parsed.error?.issues ?? [])
        .flatMap((i): FieldError[] => {
          const at = fieldOf(i.path);
          if (i.code === 'unrecognized_keys') {
            return i.keys.map((k) => ({ field: at ? `${at}.${fieldName(k)}` : fieldName(k), message: 'unknown field' }));
          }
          return [{ field: at || '(input)', message: i.message }];
        })
        .concat(crossField),
    };
  }
  const r = parsed.data;
  const ref = { provider: r.provider, kind: r.kind, region: r.region, projectId: r.projectId, resourceId: r.resourceId };
  // Cannot fail with the bounds above; kept so that a change of bounds cannot silently break the ID.
  if (!workflowIdsFit(ref)) {
    return {
      ok: false,
      errors: [
        { field: 'resourceId', message: `region and resourceId make a workflow ID longer than Temporal's ${TEMPORAL_MAX_WORKFLOW_ID_BYTES}-byte limit` },
      ],
    };
  }
  return {
    ok: true,
    request: {
      ref,
      requestedBy: r.requestedBy,
      ticket: r.ticket,
      reason: r.reason,
      dryRun: r.dryRun,
      backup: { required: r.backup.required, confirmWithinMs: parseDuration(r.backup.confirmWithin) },
      options: {
        stopIfRunning: r.options.stopIfRunning,
        retainedDataDisks: r.options.retainedDataDisks,
        retainedSnapshots: r.options.retainedSnapshots,
        overrideProtectionTag: r.options.overrideProtectionTag,
      },
      overrideApproval: { withinMs: parseDuration(r.options.approveOverrideWithin) },
      waitGone: { withinMs: parseDuration(r.options.waitGoneWithin) },
      drain: { deadlineMs: parseDuration(r.drain.deadline), failureBudget: r.drain.failureBudget },
    },
  };
}

/**
 * Validate a release request from any entry point; every wrong field is reported, not just the first.
 * Never throws: whatever the input, the answer is a Validation with field-level errors.
 */
export function validateReleaseRequest(input: unknown): Validation {
  try {
    return validate(input);
  } catch (err) {
    return {
      ok: false,
      errors: [{ field: '(input)', message: `the input could not be validated (${excerpt(err instanceof Error ? err.message : err, 80)})` }],
    };
  }
}

/**
 * Validate the workflow's raw argument list: exactly one argument, the request. A second argument is not
 * silently ignored: `(input): expected exactly one argument, got N`.
 */
export function validateReleaseArgs(args: unknown): Validation {
  const error = oneArgumentError(args, 'workflow');
  return error ? { ok: false, errors: [error] } : validateReleaseRequest((args as unknown[])[0]);
}
