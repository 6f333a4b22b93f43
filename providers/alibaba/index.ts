import type Ecs from '@alicloud/ecs20140526';
import * as $Ecs from '@alicloud/ecs20140526';
import type { CallReceipt, ReleaseAction, ResourceRef, ResourceStatus } from '../../domain/resource';
import { goneSnapshot } from '../../domain/resource';
import { ProviderError, type ProviderAdapter } from '../adapter';
import { createEcsClient } from './client';
import { sdkCall } from './errors';
import * as map from './mapping';

export { classifyAlibabaError } from './errors';

export interface AlibabaAdapterConfig {
  /** Endpoint URL; `{region}` is replaced by ResourceRef.region. Real: https://ecs.{region}.aliyuncs.com ; sim: http://127.0.0.1:PORT */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number; // per request, default 15000
}

const PAGE_SIZE = 100;

/** Alibaba Cloud ECS instances through the official SDK (@alicloud/ecs20140526). */
export function createAlibabaAdapter(cfg: AlibabaAdapterConfig): ProviderAdapter {
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
      const res = await sdkCall(call);
      return { requestId: res.body?.requestId, alreadyDone: false };
    } catch (err) {
      if (err instanceof ProviderError && err.errorClass === 'not-found') return { requestId: err.requestId, alreadyDone: true };
      throw err;
    }
  };

  async function describeInstance(ref: ResourceRef) {
    const res = await sdkCall(() =>
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
        return goneSnapshot(ref, 'NotFound', readAt);
      }
      const ecs = client(ref.region);
      const disks = await allPages(async (pageNumber) => {
        const res = await sdkCall(() =>
          ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: ref.region, instanceId: ref.resourceId, pageNumber, pageSize: PAGE_SIZE })),
        );
        return { items: res.body?.disks?.disk ?? [], total: res.body?.totalCount ?? 0 };
      });
      const snapshots = await allPages(async (pageNumber) => {
        const res = await sdkCall(() =>
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

    async stop(ref) {
      try {
        const res = await sdkCall(() => client(ref.region).stopInstance(new $Ecs.StopInstanceRequest({ instanceId: ref.resourceId })));
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

    async destroy(ref: ResourceRef, action: ReleaseAction, options) {
      if (action !== 'delete') {
        throw new ProviderError('alibaba', 'UnsupportedAction', `ECS instances are released with 'delete', not '${action}'`, 'final');
      }
      // TerminateSubscription lets an *expired* subscription go; an unexpired one is still refused (ChargeTypeViolation).
      const request = new $Ecs.DeleteInstanceRequest({ instanceId: ref.resourceId, terminateSubscription: true });
      if (options.force) request.force = true;
      return notFoundIsDone(() => client(ref.region).deleteInstance(request));
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
  };
}
