import { z } from 'zod';

/**
 * The `baidu` section of a simulator fixture. Only ids are required; everything else has a
 * realistic default, so a test fixture can stay short. docs/baidu.md documents the format.
 */
const Payment = z.enum(['Prepaid', 'Postpaid']);
const Time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'UTC time like 2024-01-01T00:00:00Z');

const Tag = z.object({ tagKey: z.string(), tagValue: z.string().default('') });

const Instance = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  region: z.string().default('bj'),
  /** BCC InstanceStatus: Creating, Running, Starting, Stopping, Stopped, Expired, Error, Recycled, … */
  status: z.string().default('Running'),
  paymentTiming: Payment.default('Postpaid'),
  createTime: Time.default('2024-01-01T00:00:00Z'),
  /** Prepaid only; null for postpaid. A past time makes the subscription expired. */
  expireTime: Time.nullable().default(null),
  desc: z.string().default(''),
  zoneName: z.string().default('cn-bj-a'),
  instanceType: z.string().default('N5'),
  spec: z.string().default('bcc.g5.c2m8'),
  cpuCount: z.number().int().default(2),
  memoryCapacityInGB: z.number().int().default(8),
  imageId: z.string().default('m-sysubun2204'),
  internalIp: z.string().default('192.168.0.10'),
  publicIp: z.string().default(''),
  tags: z.array(Tag).default([]),
  /** 0 = not protected, 1 = release protection on (InstanceModel.deletionProtection). */
  deletionProtection: z.union([z.literal(0), z.literal(1)]).default(0),
  /**
   * A seeded transitional status (Creating, Starting, Stopping, Deleting) completes this long after the
   * fixture is loaded; absent = the matching timing (createMs, startMs, stopMs, releaseMs).
   */
  transitionMs: z.number().int().nonnegative().optional(),
  /** Recycled only: when it went into the recycle bin (default: when the fixture is loaded). */
  recycleTime: Time.optional(),
  /** Recycled only: the bin's retention ends (and the instance is released) this long after loading; default from recycleTime + timing.recycleRetentionMs. */
  recycleEndsInMs: z.number().int().nonnegative().optional(),
});

const Volume = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  /** The instance it is attached to, or null for a detached disk. */
  instanceId: z.string().nullable().default(null),
  isSystemVolume: z.boolean().default(false),
  paymentTiming: Payment.default('Postpaid'),
  expireTime: Time.nullable().default(null),
  /** Defaults to InUse when attached, Available when detached. */
  status: z.string().optional(),
  diskSizeInGB: z.number().int().positive().default(100),
  storageType: z.string().default('cloud_hp1'),
  zoneName: z.string().default('cn-bj-a'),
  createTime: Time.default('2024-01-01T00:00:00Z'),
  device: z.string().optional(),
});

const Snapshot = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  volumeId: z.string().min(1),
  createMethod: z.enum(['manual', 'auto']).default('manual'),
  sizeInGB: z.number().int().positive().optional(),
  status: z.string().default('Available'),
  createTime: Time.default('2024-02-01T00:00:00Z'),
});

const Image = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  /** The instance whose system disk it was made from (kept after that instance is released). */
  instanceId: z.string().nullable().default(null),
  status: z.string().default('Available'),
  createTime: Time.default('2024-02-01T00:00:00Z'),
});

export const BaiduSection = z.object({
  /** Sim-only credentials accepted by the bce-auth-v1 check. */
  accessKeys: z.array(z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })).default([]),
  timing: z
    .object({
      /** How long an accepted release stays in Deleting before the instance is gone. */
      releaseMs: z.number().int().nonnegative().default(300),
      /** Stopping → Stopped. */
      stopMs: z.number().int().nonnegative().default(200),
      /** Starting → Running of an instance seeded Starting. */
      startMs: z.number().int().nonnegative().default(200),
      /** Creating → Running of an instance seeded Creating. */
      createMs: z.number().int().nonnegative().default(30_000),
      /** How long the recycle bin keeps an instance before releasing it (bce-sdk-go doc/BCC.md: 7 days). */
      recycleRetentionMs: z
        .number()
        .int()
        .nonnegative()
        .default(7 * 86_400_000),
    })
    .prefault({}),
  instances: z.array(Instance).default([]),
  volumes: z.array(Volume).default([]),
  snapshots: z.array(Snapshot).default([]),
  images: z.array(Image).default([]),
});

export type BaiduSectionInput = z.input<typeof BaiduSection>;
export type BaiduFixture = z.output<typeof BaiduSection>;
export type InstanceRecord = z.output<typeof Instance> & {
  /** Recycled: when it went into the bin, and when the bin releases it (ISO, second precision). */
  recycledAt?: string;
  recycleEndsAt?: string;
};
export type VolumeRecord = Omit<z.output<typeof Volume>, 'status'> & { status: string };
export type SnapshotRecord = z.output<typeof Snapshot>;
export type ImageRecord = z.output<typeof Image>;

export function parseBaiduSection(section: unknown): BaiduFixture {
  const parsed = BaiduSection.safeParse(section ?? {});
  if (!parsed.success) throw new Error(`invalid baidu fixture section: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
