import type Ecs from '@alicloud/ecs20140526';
import { $Ecs } from './sdk';
import type { CallReceipt, ReleaseAction, ResourceRef, ResourceStatus } from '../../domain/resource';
import { goneSnapshot } from '../../domain/resource';
import { ProviderError, type Observation, type ObservedItem, type ProviderAdapter } from '../adapter';
import { UNLIMITED, type RequestLimiter } from '../rate-limit';
import { createEcsClient } from './client';
import { sdkCall } from './errors';
import { alibabaInventory } from './inventory';
import * as map from './mapping';

export { classifyAlibabaError } from './errors';

export interface AlibabaAdapterConfig {
  /** Endpoint URL; `{region}` is replaced by ResourceRef.region. Real: https://ecs.{region}.aliyuncs.com ; sim: http://127.0.0.1:PORT */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number; // per request, default 15000
  /** Takes a token for every request; default none (createAdapters gives the configured one). */
  limiter?: RequestLimiter;
}

const PAGE_SIZE = 100;
/** DescribeInstances / DescribeDisks / DescribeSnapshots take at most 100 IDs in their JSON ID lists. */
const ID_BATCH = 100;

const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const failureText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Alibaba Cloud ECS instances through the official SDK (@alicloud/ecs20140526). */
export function createAlibabaAdapter(cfg: AlibabaAdapterConfig): ProviderAdapter {
  const limiter = cfg.limiter ?? UNLIMITED;
  const clients = new Map<string, Ecs>();
  const client = (region: string): Ecs => {
    let c = clients.get(region);
    if (!c) {
      c = createEcsClient({
        endpoint: cfg.endpoint,
        region,
        accessKeyId: cfg.credentials.accessKeyId,
        accessKeySecret: cfg.credentials.secretAccessKey,
        timeoutMs: cfg.timeoutMs ?? 15_000,
      });
      clients.set(region, c);
    }
    return c;
  };

  const notFoundIsDone = async (call: () => Promise<{ body?: { requestId?: string } }>): Promise<CallReceipt> => {
    try {
      const res = await sdkCall(limiter, call);
      return { requestId: res.body?.requestId, alreadyDone: false };
    } catch (err) {
      if (err instanceof ProviderError && err.errorClass === 'not-found') return { requestId: err.requestId, alreadyDone: true };
      throw err;
    }
  };

  async function describeInstance(ref: ResourceRef) {
    const res = await sdkCall(limiter, () =>
      client(ref.region).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: ref.region, instanceIds: JSON.stringify([ref.resourceId]) })),
    );
    return res.body?.instances?.instance?.find((i) => i.instanceId === ref.resourceId);
  }

  /** Every page of a Describe* call. */
  async function allPages<T>(fetch: (pageNumber: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
    const out: T[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const { items, total } = await fetch(pageNumber);
      out.push(...items);
      if (items.length === 0 || out.length >= total) return out;
    }
  }

  return {
    kinds: ['ecs-instance'],

    async inspect(ref) {
      const readAt = new Date().toISOString();
      const inst = await describeInstance(ref);
      if (!inst) {
        return goneSnapshot(ref, 'unknown-id', 'NotFound', readAt);
      }
      const ecs = client(ref.region);
      const disks = await allPages(async (pageNumber) => {
        const res = await sdkCall(limiter, () =>
          ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: ref.region, instanceId: ref.resourceId, pageNumber, pageSize: PAGE_SIZE })),
        );
        return { items: res.body?.disks?.disk ?? [], total: res.body?.totalCount ?? 0 };
      });
      const snapshots = await allPages(async (pageNumber) => {
        const res = await sdkCall(limiter, () =>
          ecs.describeSnapshots(
            new $Ecs.DescribeSnapshotsRequest({ regionId: ref.region, instanceId: ref.resourceId, snapshotType: 'all', pageNumber, pageSize: PAGE_SIZE }),
          ),
        );
        return { items: res.body?.snapshots?.snapshot ?? [], total: res.body?.totalCount ?? 0 };
      });
      const createdAt = inst.creationTime ? Date.parse(inst.creationTime) : NaN;
      return {
        ref,
        exists: true,
        status: map.normalizeStatus(inst.status),
        rawStatus: inst.status ?? '',
        name: inst.instanceName,
        charging: map.charging(inst, Date.now()),
        locks: map.locks(inst),
        deletionProtection: inst.deletionProtection === true,
        tags: map.tags(inst),
        disks: disks.map((d) => map.disk(d, createdAt)),
        snapshots: snapshots.map(map.snapshot),
        readAt,
      };
    },

    stopper: {
      kinds: ['ecs-instance'],
      async stop(ref) {
        try {
          const res = await sdkCall(limiter, () => client(ref.region).stopInstance(new $Ecs.StopInstanceRequest({ instanceId: ref.resourceId })));
          return { requestId: res.body?.requestId, alreadyDone: false };
        } catch (err) {
          // ECS refuses to stop an instance that is not Running; if it is already stopping or stopped, that is what was asked.
          if (err instanceof ProviderError && err.code === 'IncorrectInstanceStatus') {
            const inst = await describeInstance(ref);
            if (inst?.status === 'Stopped' || inst?.status === 'Stopping') return { requestId: err.requestId, alreadyDone: true };
          }
          throw err;
        }
      },
    },

    async destroy(ref: ResourceRef, action: ReleaseAction, options) {
      if (action !== 'delete') {
        throw new ProviderError('alibaba', 'UnsupportedAction', `ECS instances are released with 'delete', not '${action}'`, 'final');
      }
      if (options.idempotencyToken !== undefined) {
        // DeleteInstance has no ClientToken; DeleteInstances has one and the same rules (Stopped only unless
        // Force, pay-as-you-go or expired subscription with TerminateSubscription, same disk retention).
        const request = new $Ecs.DeleteInstancesRequest({
          regionId: ref.region,
          instanceId: [ref.resourceId],
          terminateSubscription: true,
          clientToken: options.idempotencyToken,
        });
        if (options.force) request.force = true;
        return notFoundIsDone(() => client(ref.region).deleteInstances(request));
      }
      // TerminateSubscription lets an *expired* subscription go; an unexpired one is still refused (ChargeTypeViolation).
      const request = new $Ecs.DeleteInstanceRequest({ instanceId: ref.resourceId, terminateSubscription: true });
      if (options.force) request.force = true;
      return notFoundIsDone(() => client(ref.region).deleteInstance(request));
    },

    async observe(ref, items): Promise<Observation[]> {
      const ecs = client(ref.region);
      const found = new Map<string, { state: Observation['state']; detail?: string }>();
      const key = (type: ObservedItem['type'], id: string) => `${type}:${id}`;
      /** One batched read: every ID it lists is present, every other ID gone; a failed read leaves them unknown. */
      async function read(type: ObservedItem['type'], ids: string[], fetch: (batch: string[]) => Promise<{ id?: string; status?: string }[]>) {
        for (const batch of chunks([...new Set(ids)], ID_BATCH)) {
          try {
            const listed = new Map((await fetch(batch)).filter((x) => x.id).map((x) => [x.id!, x.status ?? '']));
            for (const id of batch) {
              const status = listed.get(id);
              found.set(key(type, id), status === undefined ? { state: 'gone', detail: 'NotFound' } : { state: 'present', detail: status });
            }
          } catch (err) {
            for (const id of batch) found.set(key(type, id), { state: 'unknown', detail: failureText(err) });
          }
        }
      }
      const idsOf = (type: ObservedItem['type']) => items.filter((i) => i.type === type).map((i) => i.id);
      await read('resource', idsOf('resource'), async (batch) => {
        const res = await sdkCall(limiter, () =>
          ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: ref.region, instanceIds: JSON.stringify(batch), maxResults: ID_BATCH })),
        );
        return (res.body?.instances?.instance ?? []).map((i) => ({ id: i.instanceId, status: i.status }));
      });
      await read('disk', idsOf('disk'), async (batch) => {
        const res = await sdkCall(limiter, () =>
          ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: ref.region, diskIds: JSON.stringify(batch), pageSize: ID_BATCH })),
        );
        return (res.body?.disks?.disk ?? []).map((d) => ({ id: d.diskId, status: d.status }));
      });
      await read('snapshot', idsOf('snapshot'), async (batch) => {
        const res = await sdkCall(limiter, () =>
          ecs.describeSnapshots(
            new $Ecs.DescribeSnapshotsRequest({ regionId: ref.region, snapshotIds: JSON.stringify(batch), snapshotType: 'all', pageSize: ID_BATCH }),
          ),
        );
        return (res.body?.snapshots?.snapshot ?? []).map((x) => ({ id: x.snapshotId, status: x.status }));
      });
      return items.map((item) => ({
        ...item,
        ...(found.get(key(item.type, item.id)) ?? { state: 'unknown' as const, detail: `ECS has no ${item.type} to read` }),
      }));
    },

    async status(ref): Promise<ResourceStatus> {
      const inst = await describeInstance(ref);
      return { state: map.goneState(inst !== undefined), rawStatus: inst?.status ?? 'NotFound' };
    },

    async deleteDisk(ref, diskId) {
      return notFoundIsDone(() => client(ref.region).deleteDisk(new $Ecs.DeleteDiskRequest({ diskId })));
    },

    async deleteSnapshot(ref, snapshotId) {
      return notFoundIsDone(() => client(ref.region).deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId })));
    },

    inventory: (query) => alibabaInventory(limiter, client, query),
  };
}
