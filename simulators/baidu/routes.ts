import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { rawBody } from '../core/sim-server';
import type { CallDescription } from '../core/types';
import { baiduFail } from './errors';
import { NO_FLAGS, type BaiduStore, type ReleaseFlags } from './state';
import { instanceView, page, recycleView, snapshotView, volumeView } from './views';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined> }>;

interface RouteDef {
  method: HTTPMethods;
  url: string;
  action: (req: Req) => string;
  target?: (req: Req) => string | undefined;
  /** Returns the JSON body of a 200 answer, or undefined for an empty one. */
  handle: (req: Req) => unknown;
}

const byId = (req: Req) => req.params.id;

/** A JSON object body; anything else is MalformedJSON, like BCE answers. */
function objectBody(req: Req): Record<string, unknown> {
  const raw = rawBody(req);
  if (raw.length === 0) return {};
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the BCE error
  }
  return baiduFail('MalformedJSON');
}

function flagsOf(body: Record<string, unknown>): ReleaseFlags {
  const flags = { ...NO_FLAGS };
  for (const key of Object.keys(NO_FLAGS) as (keyof ReleaseFlags)[]) {
    const v = body[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') return baiduFail('InappropriateJSON', `${key} must be a boolean.`);
    flags[key] = v;
  }
  // Documented: deleteCdsSnapshotFlag only takes effect together with relatedReleaseFlag.
  if (!flags.relatedReleaseFlag) flags.deleteCdsSnapshotFlag = false;
  return flags;
}

/**
 * Every BCC API the simulator answers, with its action name for the call log and fault matching.
 * Paths and verbs follow bce-sdk-go services/bcc/api (no query marker on the release POSTs).
 */
function routeTable(store: BaiduStore): RouteDef[] {
  const getInstance = (req: Req) => ({ instance: instanceView(store, store.instance(req.params.id)) });
  const release = (req: Req) => {
    store.release(req.params.id, NO_FLAGS, 'release');
  };
  /** The instance a JSON-bodied call names: its fault target. */
  const bodyInstanceId = (req: Req): string | undefined => {
    try {
      const id = objectBody(req).instanceId;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  };
  const listInstances = (req: Req) => {
    const { internalIp, dedicatedHostId, zoneName } = req.query;
    const all = [...store.instances.values()].filter(
      (i) => (!internalIp || i.internalIp === internalIp) && (!zoneName || i.zoneName === zoneName) && (!dedicatedHostId || dedicatedHostId === ''),
    );
    const { items, ...paging } = page(all, req.query.marker, req.query.maxKeys);
    return { ...paging, instances: items.map((i) => instanceView(store, i)) };
  };
  return [
    { method: 'GET', url: '/v2/instance', action: () => 'ListInstances', handle: listInstances },
    // The Node SDK's BccClient.listInstances still calls the v1 path (same marker / maxKeys paging).
    { method: 'GET', url: '/v1/instance', action: () => 'ListInstances', handle: listInstances },
    {
      method: 'POST',
      url: '/v2/recycle/instance',
      action: () => 'ListRecycleInstances',
      target: bodyInstanceId,
      handle: (req) => {
        const body = objectBody(req);
        const str = (k: string) => {
          const v = body[k];
          if (v === undefined || v === '') return undefined;
          return typeof v === 'string' ? v : baiduFail('InappropriateJSON', `${k} must be a string.`);
        };
        const time = (k: string) => {
          const v = str(k);
          if (v === undefined) return undefined;
          const t = Date.parse(v);
          return Number.isNaN(t) ? baiduFail('InappropriateJSON', `${k} must be a UTC time like 2020-11-19T09:12:35Z.`) : t;
        };
        const maxKeys = body.maxKeys;
        if (maxKeys !== undefined && (typeof maxKeys !== 'number' || !Number.isInteger(maxKeys) || maxKeys < 0))
          return baiduFail('InappropriateJSON', 'maxKeys must be an integer.');
        const bin = store.recycleBin({
          instanceId: str('instanceId'),
          name: str('name'),
          paymentTiming: str('paymentTiming'),
          recycleBegin: time('recycleBegin'),
          recycleEnd: time('recycleEnd'),
        });
        const { items, ...paging } = page(bin, str('marker'), maxKeys === undefined || maxKeys === 0 ? undefined : String(maxKeys));
        return { ...paging, instances: items.map((i) => recycleView(i)) };
      },
    },
    { method: 'GET', url: '/v2/instance/:id', action: () => 'GetInstance', target: byId, handle: getInstance },
    { method: 'GET', url: '/v1/instance/:id', action: () => 'GetInstance', target: byId, handle: getInstance },
    { method: 'DELETE', url: '/v2/instance/:id', action: () => 'ReleaseInstance', target: byId, handle: release },
    { method: 'DELETE', url: '/v1/instance/:id', action: () => 'ReleaseInstance', target: byId, handle: release },
    {
      method: 'POST',
      url: '/v2/instance/delete',
      action: () => 'ReleasePrepaidInstance',
      target: bodyInstanceId,
      handle: (req) => {
        const body = objectBody(req);
        if (typeof body.instanceId !== 'string' || !body.instanceId) return baiduFail('InappropriateJSON', 'instanceId is required.');
        const plan = store.release(body.instanceId, flagsOf(body), 'release-prepaid');
        return {
          successResources: { instanceId: plan.instanceId, eip: '', insnapIds: [], snapshotIds: plan.snapshotIds, volumeIds: plan.volumeIds },
          failResources: { instanceId: '', eip: '', insnapIds: [], snapshotIds: [], volumeIds: [] },
          instanceRefundFlag: plan.instanceRefundFlag,
        };
      },
    },
    {
      method: 'POST',
      url: '/v2/instance/:id',
      action: () => 'ReleaseInstanceWithRelated',
      target: byId,
      handle: (req) => {
        store.release(req.params.id, flagsOf(objectBody(req)), 'release');
      },
    },
    {
      method: 'PUT',
      url: '/v2/instance/:id',
      action: (req) => ('stop' in req.query ? 'StopInstance' : 'UnsupportedInstanceAction'),
      target: byId,
      handle: (req) => {
        if (!('stop' in req.query)) return baiduFail('InvalidURI', 'Only the ?stop action is simulated on PUT /v2/instance/{id}.');
        objectBody(req);
        store.stop(req.params.id);
      },
    },
    {
      method: 'DELETE',
      url: '/v2/recycle/instance/:id',
      action: () => 'DeleteRecycledInstance',
      target: byId,
      handle: (req) => {
        store.releaseRecycled(req.params.id);
      },
    },
    {
      method: 'GET',
      url: '/v2/volume',
      action: () => 'ListVolumes',
      target: (req) => req.query.instanceId,
      handle: (req) => {
        const { instanceId, zoneName } = req.query;
        const all = [...store.volumes.values()].filter((v) => (!instanceId || v.instanceId === instanceId) && (!zoneName || v.zoneName === zoneName));
        const { items, ...paging } = page(all, req.query.marker, req.query.maxKeys);
        return { ...paging, volumes: items.map((v) => volumeView(store, v)) };
      },
    },
    {
      method: 'GET',
      url: '/v2/volume/:id',
      action: () => 'GetVolume',
      target: byId,
      handle: (req) => ({ volume: volumeView(store, store.volume(req.params.id)) }),
    },
    {
      method: 'DELETE',
      url: '/v2/volume/:id',
      action: () => 'DeleteVolume',
      target: byId,
      handle: (req) => {
        store.deleteVolume(req.params.id);
      },
    },
    {
      method: 'GET',
      url: '/v2/snapshot',
      action: () => 'ListSnapshots',
      target: (req) => req.query.volumeId,
      handle: (req) => {
        const { volumeId } = req.query;
        const all = [...store.snapshots.values()].filter((s) => !volumeId || s.volumeId === volumeId);
        const { items, ...paging } = page(all, req.query.marker, req.query.maxKeys);
        return { ...paging, snapshots: items.map((s) => snapshotView(s, store)) };
      },
    },
    {
      method: 'GET',
      url: '/v2/snapshot/:id',
      action: () => 'GetSnapshot',
      target: byId,
      handle: (req) => ({ snapshot: snapshotView(store.snapshotOf(req.params.id), store) }),
    },
    {
      method: 'DELETE',
      url: '/v2/snapshot/:id',
      action: () => 'DeleteSnapshot',
      target: byId,
      handle: (req) => {
        store.deleteSnapshot(req.params.id);
      },
    },
    {
      method: 'GET',
      url: '/v2/image',
      action: () => 'ListImages',
      handle: (req) => {
        const { items, ...paging } = page([...store.images.values()], req.query.marker, req.query.maxKeys);
        const images = items.map((m) => ({
          id: m.id,
          name: m.name ?? m.id,
          type: 'Custom',
          status: m.status,
          createTime: m.createTime,
          osType: 'linux',
          desc: '',
        }));
        return { ...paging, images };
      },
    },
  ];
}

/** BCC answers JSON with `x-bce-request-id`; a release answers 200 with an empty body. */
function answer(reply: FastifyReply, body: unknown) {
  reply.code(200).header('content-type', 'application/json;charset=UTF-8');
  return reply.send(body === undefined ? '' : JSON.stringify(body));
}

export interface BaiduRoutes {
  register(app: FastifyInstance): void;
  describe(req: FastifyRequest): CallDescription;
}

export function baiduRoutes(store: BaiduStore): BaiduRoutes {
  const table = routeTable(store);
  const find = (method: string, url: string | undefined) => table.find((r) => r.method === method && r.url === url);
  return {
    register(app) {
      app.addHook('onSend', async (req, reply, payload) => {
        reply.header('x-bce-request-id', req.simRequestId);
        reply.header('server', 'BWS');
        return payload;
      });
      for (const def of table) {
        app.route({ method: def.method, url: def.url, handler: async (req, reply) => answer(reply, def.handle(req as Req)) });
      }
    },
    describe(req) {
      const def = find(req.method, req.routeOptions.url);
      if (!def) return { action: 'Unknown' };
      return { action: def.action(req as Req), target: def.target?.(req as Req) };
    },
  };
}
