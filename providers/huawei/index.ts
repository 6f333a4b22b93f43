import type { ResourceKind, ResourceRef } from '../../domain/resource';
import type { ProviderAdapter } from '../adapter';
import { UNLIMITED, type RequestLimiter } from '../rate-limit';
import { HuaweiApi, type HuaweiService } from './api';
import { destructive, scopeOf, unsupported } from './common';
import { deleteHostVms, destroyHost, hostGoneStatus, inspectHost, readVmDeleteJob } from './dcc-host';
import { destroyLiteServer, inspectNode, inspectRack, inspectSupernode, nodeStatus, rackStatus, supernodeStatus } from './lite-server';
import { huaweiInventory } from './inventory';
import { observeItems } from './observe';
import { HuaweiClients } from './sdk';

export { classifyHuaweiError, HUAWEI_ERROR_TABLE } from './errors';

export interface HuaweiAdapterConfig {
  /**
   * Endpoint templates; `{region}` is replaced by ResourceRef.region. Real, e.g.
   * https://modelarts.{region}.myhuaweicloud.com, https://ecs.{region}.myhuaweicloud.com,
   * https://deh.{region}.myhuaweicloud.com, https://bss.myhuaweicloud.com.
   * `evs` (disk and snapshot cleanup) and `bms` (the cloud server of a BMS/HPS node) default to the
   * ECS endpoint with its `ecs.` host label replaced by `evs.` / `bms.` (the same URL when there is
   * none, as with the simulator).
   */
  endpoints: { modelarts: string; ecs: string; dcc: string; bss: string; evs?: string; bms?: string };
  credentials: { accessKeyId: string; secretAccessKey: string; domainId: string };
  /** Per request, default 15000. */
  timeoutMs?: number;
  /** Takes a token for every request; default none (createAdapters gives the configured one). */
  limiter?: RequestLimiter;
}

export const HUAWEI_KINDS = ['modelarts-node', 'modelarts-supernode', 'modelarts-rack', 'dcc-host'] as const satisfies readonly ResourceKind[];

const sibling = (ecs: string, service: string) => ecs.replace(/^(https?:\/\/)ecs\./, `$1${service}.`);

export function createHuaweiAdapter(cfg: HuaweiAdapterConfig): ProviderAdapter {
  const credentials = { ...cfg.credentials };
  const endpoints: Record<HuaweiService, string> = {
    modelarts: cfg.endpoints.modelarts,
    ecs: cfg.endpoints.ecs,
    dcc: cfg.endpoints.dcc,
    bss: cfg.endpoints.bss,
    bms: cfg.endpoints.bms ?? sibling(cfg.endpoints.ecs, 'bms'),
    evs: cfg.endpoints.evs ?? sibling(cfg.endpoints.ecs, 'evs'),
  };
  const api = new HuaweiApi(endpoints, new HuaweiClients(credentials, cfg.timeoutMs ?? 15_000), credentials, cfg.limiter ?? UNLIMITED);

  const kindOf = (ref: ResourceRef) => {
    if (!(HUAWEI_KINDS as readonly string[]).includes(ref.kind)) throw unsupported(ref, 'the huawei adapter');
    return ref.kind as (typeof HUAWEI_KINDS)[number];
  };

  const statusOf = (ref: ResourceRef) => {
    switch (kindOf(ref)) {
      case 'modelarts-node':
        return nodeStatus(api, ref);
      case 'modelarts-supernode':
        return supernodeStatus(api, ref);
      case 'modelarts-rack':
        return rackStatus(api, ref);
      case 'dcc-host':
        return hostGoneStatus(api, ref);
    }
  };

  return {
    kinds: HUAWEI_KINDS,

    inspect(ref) {
      switch (kindOf(ref)) {
        case 'modelarts-node':
          return inspectNode(api, ref);
        case 'modelarts-supernode':
          return inspectSupernode(api, ref);
        case 'modelarts-rack':
          return inspectRack(api, ref);
        case 'dcc-host':
          return inspectHost(api, ref);
      }
    },

    async destroy(ref, action) {
      return kindOf(ref) === 'dcc-host' ? destroyHost(api, ref, action) : destroyLiteServer(api, ref, action);
    },

    status(ref) {
      return statusOf(ref);
    },

    async observe(ref, items) {
      kindOf(ref);
      return observeItems(api, ref, items, statusOf);
    },

    async deleteDisk(ref, diskId) {
      kindOf(ref);
      const s = scopeOf(ref);
      return destructive(async () => {
        const answer = await api.deleteVolume(s, diskId);
        return { requestId: answer.requestId, references: answer.body.job_id ? [answer.body.job_id] : [] };
      });
    },

    async deleteSnapshot(ref, snapshotId) {
      kindOf(ref);
      const s = scopeOf(ref);
      return destructive(async () => {
        const answer = await api.deleteSnapshot(s, snapshotId);
        return { requestId: answer.requestId, references: [] };
      });
    },

    inventory: async (query) => huaweiInventory(api, HUAWEI_KINDS, query),

    drainer: {
      kinds: ['dcc-host'],
      deleteVms: (ref, vmIds) => deleteHostVms(api, ref, vmIds),
      vmDeleteJob: (ref, jobId) => readVmDeleteJob(api, ref, jobId),
    },
  };
}
