import { z } from 'zod';
import { RESOURCE_KINDS, PROVIDERS, type ResourceKind } from '../domain/resource';
import type { ValidRequest } from '../domain/request';

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const nonEmpty = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, `${what} must not be empty`);
const leftover = z.enum(['keep', 'delete']).default('keep');

const schema = z
  .object({
    provider: z.enum(PROVIDERS, { error: `provider must be one of ${PROVIDERS.join(', ')}` }),
    kind: z.enum(Object.keys(RESOURCE_KINDS) as [ResourceKind, ...ResourceKind[]], {
      error: `kind must be one of ${Object.keys(RESOURCE_KINDS).join(', ')}`,
    }),
    region: nonEmpty('region').regex(/^[a-z0-9-]+$/, 'region must look like cn-hangzhou, bj or cn-southwest-2'),
    projectId: z.string().trim().min(1).optional(),
    resourceId: nonEmpty('resourceId').regex(/^[A-Za-z0-9._:-]+$/, 'resourceId has characters no provider uses'),
    requestedBy: nonEmpty('requestedBy'),
    ticket: nonEmpty('ticket'),
    reason: z.string().default(''),
    dryRun: z.boolean().default(false),
    backup: z
      .object({
        required: z.boolean().default(true),
        confirmWithin: z
          .string()
          .regex(DURATION, 'confirmWithin must be a duration like "30m", "24h" or "3d"')
          .default('24h'),
      })
      .strict()
      .default({ required: true, confirmWithin: '24h' }),
    options: z
      .object({
        stopIfRunning: z.boolean().default(false),
        retainedDataDisks: leftover,
        retainedSnapshots: leftover,
        overrideProtectionTag: z.boolean().default(false),
      })
      .strict()
      .default({ stopIfRunning: false, retainedDataDisks: 'keep', retainedSnapshots: 'keep', overrideProtectionTag: false }),
    drain: z
      .object({
        deadline: z.string().regex(DURATION, 'deadline must be a duration like "30m" or "2h"').default('2h'),
        failureBudget: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ deadline: '2h', failureBudget: 0 }),
  })
  .strict()
  .strict();

export interface FieldError {
  field: string;
  message: string;
}

export type Validation = { ok: true; request: ValidRequest } | { ok: false; errors: FieldError[] };

/** Rules across fields, checked even when other fields are wrong so that every error shows at once. */
function crossFieldErrors(input: unknown): FieldError[] {
  if (typeof input !== 'object' || input === null) return [];
  const { provider, kind, projectId } = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const owner = RESOURCE_KINDS[kind as ResourceKind];
  if (owner && PROVIDERS.includes(provider as never) && owner !== provider) {
    errors.push({ field: 'kind', message: `kind ${String(kind)} belongs to provider ${owner}, not ${String(provider)}` });
  }
  if ((provider === 'huawei' || owner === 'huawei') && !projectId) errors.push({ field: 'projectId', message: 'projectId is required for Huawei resources' });
  return errors;
}

/** Validate a release request from any entry point; every wrong field is reported, not just the first. */
export function validateReleaseRequest(input: unknown): Validation {
  const parsed = schema.safeParse(input);
  const crossField = crossFieldErrors(input);
  if (!parsed.success || crossField.length > 0) {
    return {
      ok: false,
      errors: (parsed.error?.issues ?? []).flatMap((i) => {
        const at = i.path.join('.');
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({ field: at ? `${at}.${k}` : k, message: 'unknown field' }));
        }
        return [{ field: at || '(input)', message: i.message }];
      }).concat(crossField),
    };
  }
  const r = parsed.data!;
  return {
    ok: true,
    request: {
      ref: { provider: r.provider, kind: r.kind, region: r.region, projectId: r.projectId, resourceId: r.resourceId },
      requestedBy: r.requestedBy,
      ticket: r.ticket,
      reason: r.reason,
      dryRun: r.dryRun,
      backup: { required: r.backup.required, confirmWithinMs: parseDuration(r.backup.confirmWithin) },
      options: r.options,
      drain: { deadlineMs: parseDuration(r.drain.deadline), failureBudget: r.drain.failureBudget },
    },
  };
}
