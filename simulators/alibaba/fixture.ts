import { z } from 'zod';

/**
 * The `alibaba` section of a simulator fixture. Times are ISO-8601 or relative to the moment the
 * fixture is loaded ("-30d", "+6h", "now"), so a fixture keeps meaning the same thing whenever it runs
 * (an "unexpired" subscription stays unexpired).
 */
const when = z.string().refine((s) => s === 'now' || RELATIVE.test(s) || !Number.isNaN(Date.parse(s)), 'ISO-8601 time, "now" or an offset like "-3d" / "+6h"');

const RELATIVE = /^([+-])(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function resolveTime(value: string, now: number): number {
  if (value === 'now') return now;
  const rel = RELATIVE.exec(value);
  if (rel) return now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * UNIT_MS[rel[3]];
  return Date.parse(value);
}

const accessKey = z.object({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  /** A disabled key answers InvalidAccessKeyId.Inactive. */
  disabled: z.boolean().default(false),
});

const lock = z.object({ reason: z.string().min(1), msg: z.string().optional() });

export const INSTANCE_STATUSES = ['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];

const instance = z
  .object({
    id: z.string().regex(/^i-[A-Za-z0-9]+$/),
    region: z.string().default('cn-hangzhou'),
    zone: z.string().optional(),
    name: z.string().optional(),
    description: z.string().default(''),
    status: z.enum(INSTANCE_STATUSES),
    chargeType: z.enum(['PrePaid', 'PostPaid']),
    /** Required for PrePaid; PostPaid instances report the API's far-future placeholder. */
    expiredTime: when.optional(),
    createdAt: when.default('-30d'),
    deletionProtection: z.boolean().default(false),
    locks: z.array(lock).default([]),
    tags: z.record(z.string(), z.string()).default({}),
    /** DeleteInstance answers DependencyViolation.RouteEntry while set. */
    routeEntry: z.boolean().default(false),
    /** DeleteInstance answers DependencyViolation.SLBConfiguring while set. */
    slbConfiguring: z.boolean().default(false),
    /** Clear both dependency flags this long after the fixture is loaded (the other product lets go). */
    dependenciesClearAfterMs: z.number().int().nonnegative().optional(),
    /** A Pending instance becomes Running this long after the fixture is loaded; absent = timing.createMs. */
    pendingMs: z.number().int().nonnegative().optional(),
    instanceType: z.string().default('ecs.g7.large'),
    cpu: z.number().int().positive().default(2),
    memoryMb: z.number().int().positive().default(8192),
    imageId: z.string().default('aliyun_3_x64_20G_alibase_20240528.vhd'),
    osName: z.string().default('Alibaba Cloud Linux 3.2104 LTS 64 bit'),
  })
  .refine((i) => i.chargeType !== 'PrePaid' || i.expiredTime !== undefined, 'a PrePaid instance needs expiredTime');

const disk = z.object({
  id: z.string().regex(/^d-[A-Za-z0-9]+$/),
  /** Attached to this instance; absent or null = an unattached (Available) disk. */
  instanceId: z.string().nullable().default(null),
  region: z.string().optional(),
  type: z.enum(['system', 'data']),
  category: z.string().default('cloud_essd'),
  sizeGb: z.number().int().positive().default(40),
  deleteWithInstance: z.boolean(),
  deleteAutoSnapshot: z.boolean(),
  enableAutoSnapshot: z.boolean().default(true),
  chargeType: z.enum(['PrePaid', 'PostPaid']).default('PostPaid'),
  name: z.string().default(''),
  createdAt: when.default('-30d'),
  /** When it was attached; defaults to createdAt (created with the instance). */
  attachedAt: when.optional(),
  sourceSnapshotId: z.string().optional(),
});

const snapshot = z.object({
  id: z.string().regex(/^s-[A-Za-z0-9]+$/),
  sourceDiskId: z.string(),
  /** auto = made by an automatic snapshot policy; user = manual. */
  type: z.enum(['auto', 'user']),
  region: z.string().optional(),
  name: z.string().optional(),
  createdAt: when.default('-1d'),
  /** A custom image was made from it: DeleteSnapshot answers SnapshotCreatedImage. */
  usedByImage: z.boolean().default(false),
});

export const alibabaSectionSchema = z.object({
  accessKeys: z.array(accessKey).default([]),
  timing: z
    .object({
      stopMs: z.number().int().nonnegative().default(300),
      startMs: z.number().int().nonnegative().optional(),
      deleteMs: z.number().int().nonnegative().default(300),
      /** Pending → Running for instances seeded Pending without their own pendingMs. */
      createMs: z.number().int().nonnegative().default(30_000),
      /** How long a DeleteInstances ClientToken is remembered (modelled). */
      clientTokenMs: z.number().int().nonnegative().default(3_600_000),
    })
    .prefault({}),
  instances: z.array(instance).default([]),
  disks: z.array(disk).default([]),
  snapshots: z.array(snapshot).default([]),
});

export type AlibabaSection = z.input<typeof alibabaSectionSchema>;
export type ParsedAlibabaSection = z.output<typeof alibabaSectionSchema>;

export function parseAlibabaSection(section: unknown): ParsedAlibabaSection {
  const parsed = alibabaSectionSchema.safeParse(section ?? {});
  if (!parsed.success) throw new Error(`invalid alibaba fixture section: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
