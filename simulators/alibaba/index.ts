import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallDescription, ProviderSim, SimContext, SimError } from '../core/types';
import type { ActionHandler, ApiEnv } from './actions/common';
import { deleteInstance, deleteInstances } from './actions/delete-instance';
import { deleteDisk, describeDisks, modifyDiskAttribute } from './actions/disks';
import { describeInstanceAttribute, describeInstances, modifyInstanceAttribute, stopInstance } from './actions/instances';
import { deleteSnapshot, describeSnapshots } from './actions/snapshots';
import { ALIBABA_ERRORS, aliError, aliFail, failMissing, missing } from './errors';
import { parseAlibabaSection } from './fixture';
import { paramsOf, rpcCall, rpcVersion } from './params';
import { isoSecond } from './render';
import { NonceStore, verifyAcs3, verifyRpcSha1 } from './signature';
import { AlibabaState } from './state';

export type { AlibabaSection } from './fixture';

const ECS_API_VERSION = '2014-05-26';

const ACTIONS: Record<string, ActionHandler> = {
  DescribeInstances: describeInstances,
  DescribeInstanceAttribute: describeInstanceAttribute,
  StopInstance: stopInstance,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  DeleteInstance: deleteInstance,
  DeleteInstances: deleteInstances,
  DescribeDisks: describeDisks,
  ModifyDiskAttribute: modifyDiskAttribute,
  DeleteDisk: deleteDisk,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
};

/** The single resource a call is about, for the call log and fault targeting. */
function targetOf(params: Map<string, string>): string | undefined {
  const direct = params.get('InstanceId') ?? params.get('DiskId') ?? params.get('SnapshotId');
  if (direct) return direct;
  if (params.has('DiskIds.1') && !params.has('DiskIds.2')) return params.get('DiskIds.1');
  if (params.has('InstanceId.1') && !params.has('InstanceId.2')) return params.get('InstanceId.1');
  for (const list of ['InstanceIds', 'DiskIds', 'SnapshotIds']) {
    const raw = params.get(list);
    if (!raw) continue;
    try {
      const ids: unknown = JSON.parse(raw);
      if (Array.isArray(ids) && ids.length === 1 && typeof ids[0] === 'string') return ids[0];
    } catch {
      // A malformed list is the handler's to refuse; the call just has no single target.
    }
  }
  return undefined;
}

/** The request reached the RPC endpoint `/` (any other path is not an API). */
const isRouted = (req: FastifyRequest) => req.routeOptions?.url !== undefined;

/**
 * Alibaba Cloud ECS (RPC API 2014-05-26): `POST /` (or GET) with parameters in the query string or a form
 * body, signed with ACS3-HMAC-SHA256 or the older HMAC-SHA1 `Signature` parameter; JSON answers with
 * `RequestId` in the body; errors as `{ RequestId, HostId, Code, Message, Recommend }`.
 */
export function createAlibabaSim(ctx: SimContext): ProviderSim {
  const state = new AlibabaState();
  const nonces = new NonceStore();
  const env: ApiEnv = { state, timeline: ctx.timeline, now: Date.now };

  function scheduleFixtureTransitions(section: ReturnType<typeof parseAlibabaSection>): void {
    for (const i of section.instances) {
      const inst = state.instances.get(i.id)!;
      // Every seeded transition completes like the real one, after a modelled delay: nothing stays frozen.
      if (i.status === 'Pending') {
        ctx.timeline.after(i.pendingMs ?? state.timing.createMs, i.id, () => {
          if (inst.status !== 'Pending') return;
          inst.status = 'Running';
          inst.startedAt = Date.now();
        });
      }
      // A fixture may catch an instance mid-transition; it completes like one the API started.
      if (i.status === 'Stopping') {
        ctx.timeline.after(state.timing.stopMs, i.id, () => {
          if (inst.status === 'Stopping') inst.status = 'Stopped';
        });
      }
      if (i.status === 'Starting') {
        ctx.timeline.after(state.timing.startMs, i.id, () => {
          if (inst.status === 'Starting') inst.status = 'Running';
        });
      }
      if (i.dependenciesClearAfterMs !== undefined) {
        ctx.timeline.after(i.dependenciesClearAfterMs, i.id, () => {
          inst.routeEntry = false;
          inst.slbConfiguring = false;
        });
      }
    }
  }

  return {
    name: 'alibaba',

    seed(section: unknown) {
      const parsed = parseAlibabaSection(section);
      state.load(parsed, Date.now());
      nonces.clear();
      scheduleFixtureTransitions(parsed);
    },

    snapshot() {
      const iso = (ms: number | undefined) => (ms === undefined ? undefined : isoSecond(ms));
      return {
        timing: { ...state.timing },
        accessKeyIds: [...state.accessKeys.keys()],
        instances: [...state.instances.values()].map((i) => ({ ...i, createdAt: iso(i.createdAt), startedAt: iso(i.startedAt), expiredAt: iso(i.expiredAt) })),
        disks: [...state.disks.values()].map((d) => ({ ...d, createdAt: iso(d.createdAt), attachedAt: iso(d.attachedAt), detachedAt: iso(d.detachedAt) })),
        snapshots: [...state.snapshots.values()].map((s) => ({ ...s, createdAt: iso(s.createdAt) })),
      };
    },

    routes(app: FastifyInstance) {
      app.route({
        method: ['GET', 'POST'],
        url: '/',
        handler: async (req, reply) => {
          const version = rpcVersion(req);
          if (version === undefined) failMissing('Version');
          if (version !== ECS_API_VERSION) aliFail('InvalidVersion');
          const action = rpcCall(req).action;
          if (!action) failMissing('Action');
          const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
          if (!handler) aliFail('InvalidAction.NotFound');
          const body = handler(paramsOf(req), { ...env, requestId: req.simRequestId });
          return reply.header('content-type', 'application/json;charset=utf-8').send({ RequestId: req.simRequestId, ...body });
        },
      });
    },

    authenticate(req: FastifyRequest): SimError | null {
      // The gateway answers an unknown path before it looks at the signature (renderError: InvalidAction.NotFound).
      if (!isRouted(req)) return null;
      const call = rpcCall(req);
      const now = Date.now();
      if (call.scheme === 'acs3') return verifyAcs3(req, state.accessKeys, nonces, now);
      if (call.scheme === 'rpc') return verifyRpcSha1(req, state.accessKeys, nonces, now);
      if (req.headers.authorization) return aliError('IncompleteSignature');
      return missing(call.params.has('AccessKeyId') ? 'Signature' : 'AccessKeyId');
    },

    describe(req: FastifyRequest): CallDescription {
      if (!isRouted(req)) return { action: 'Unknown' };
      const call = rpcCall(req);
      return { action: call.action || 'Unknown', target: targetOf(call.params) };
    },

    renderError(reply: FastifyReply, raw: SimError, requestId: string) {
      // The core's unknown-route answer is Alibaba's own "no such API" (the same as an unknown Action).
      const error = raw.code === 'NotFound' ? aliError('InvalidAction.NotFound') : raw;
      void reply
        .code(error.httpStatus)
        .header('content-type', 'application/json;charset=utf-8')
        .send({
          RequestId: requestId,
          HostId: 'ecs.aliyuncs.com',
          Code: error.code,
          Message: error.message,
          Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=Ecs&requestId=${requestId}`,
        });
    },

    newRequestId: () => randomUUID().toUpperCase(),

    // ECS answers per-API / per-region flow control with `Throttling` (HTTP 400); `Throttling.User` is the
    // gateway's per-account variant, kept in the catalogue for injected faults.
    throttleError: aliError('Throttling'),
    errorCatalog: ALIBABA_ERRORS,
  };
}
