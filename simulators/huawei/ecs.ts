import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Faults } from '../core/faults';
import { jsonBody } from '../core/sim-server';
import { simFail, type SimError } from '../core/types';
import { huaweiError } from './errors';
import type { Server } from './fixture';
import { afterMarker, intParam, queryOf } from './paging';
import { action, params } from './routing';
import { hexId, nowIso, type HuaweiState, type Job, type SubJob } from './state';

const fail = (e: SimError): never => simFail(e.httpStatus, e.code, e.message);
const MAX_SERVERS_PER_DELETE = 1000;

/** The fields every ECS server view shares (ShowServer, and the servers on a dedicated host). */
export function serverBase(s: Server, projectId: string) {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    flavor: s.flavor,
    metadata: s.metadata,
    tags: s.tags ?? [],
    created: s.created,
    updated: s.updated,
    tenant_id: projectId,
  };
}

/** Why ECS itself cannot delete this server, or null when it can (pay-per-use, not managed by another service). */
export function ecsDeleteRefusal(server: Server): string | null {
  if (server.metadata.charging_mode === '1') {
    return `The ECS ${server.id} is billed yearly/monthly and cannot be deleted; unsubscribe it in the Billing Center.`;
  }
  const owner = server.metadata.created_by_service;
  if (owner) return `The ECS ${server.id} was created by ${owner} and is managed by that service; delete it through ${owner}.`;
  return null;
}

function deleteRequest(req: FastifyRequest): { ids: string[]; deleteVolume: boolean } {
  let b: { servers?: unknown; delete_volume?: unknown; delete_publicip?: unknown };
  try {
    b = jsonBody(req);
  } catch {
    return fail(huaweiError('Ecs.0005'));
  }
  const servers = b?.servers;
  const valid =
    Array.isArray(servers) &&
    servers.length > 0 &&
    servers.length <= MAX_SERVERS_PER_DELETE &&
    servers.every((s) => typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string') &&
    (b.delete_volume === undefined || typeof b.delete_volume === 'boolean') &&
    (b.delete_publicip === undefined || typeof b.delete_publicip === 'boolean');
  if (!valid) return fail(huaweiError('Ecs.0005'));
  return { ids: [...new Set((servers as { id: string }[]).map((s) => s.id))], deleteVolume: b.delete_volume === true };
}

/** The DeleteServers fault target: the server IDs joined by ",". */
function deleteTarget(req: FastifyRequest): string | undefined {
  try {
    const servers = jsonBody<{ servers?: { id?: string }[] }>(req).servers;
    return Array.isArray(servers) ? servers.map((s) => s?.id).join(',') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * ECS servers and their asynchronous jobs. POST cloudservers/delete answers a job at once; the job goes
 * INIT → RUNNING → SUCCESS | FAIL, one sub-job per server. A sub-job fails for a yearly/monthly or
 * managed-service server, an unknown server, or an injected fault (action `DeleteServer`, target the
 * server ID). A deleted server leaves its dedicated host; its system disk goes, its data disks are
 * detached and kept unless `delete_volume` is true.
 */
export function ecsRoutes(app: FastifyInstance, state: HuaweiState, faults: Faults): void {
  const deleting = new Set<string>();

  const serverView = (s: Server) => ({
    server: {
      ...serverBase(s, state.projectId),
      'OS-EXT-STS:task_state': deleting.has(s.id) ? 'deleting' : null,
      'OS-EXT-SRV-ATTR:host': s.sim?.hostId ?? null,
      'os-extended-volumes:volumes_attached': state.volumesOf(s.id).map((v) => ({
        id: v.id,
        device: v.attachments.find((a) => a.server_id === s.id)?.device,
        bootIndex: v.bootable === 'true' ? '0' : null,
        delete_on_termination: v.bootable === 'true' ? 'true' : 'false',
      })),
    },
  });

  const findServer = (projectId: string, id: string, kind: 'ECS' | 'BMS'): Server => {
    const s = projectId === state.projectId ? state.servers.get(id) : undefined;
    if (!s || (kind === 'BMS' && s.sim?.type !== 'BMS')) return fail(huaweiError('Ecs.0114', `Instance[${id}] could not be found.`));
    return s;
  };

  /**
   * ListServersDetails: `offset` is a page number (0 and 1 are the first page), `limit` 1–1000 (default 25),
   * `marker` starts after that server instead; filters `name` (substring), `status`, `flavor`, `tags` /
   * `not-tags` (one "key=value" tag); `count` is every matching server.
   */
  app.get('/v1/:project_id/cloudservers/detail', action('ListServersDetails'), async (req) => {
    const q = queryOf(req);
    const limit = intParam(q, 'limit', 1, 1000, 25);
    const page = Math.max(1, intParam(q, 'offset', 0, 2_147_483_647, 1));
    const matching = (params(req).project_id === state.projectId ? [...state.servers.values()] : []).filter(
      (s) =>
        (!q.name || s.name.includes(q.name)) &&
        (!q.status || s.status === q.status) &&
        (!q.flavor || s.flavor.id === q.flavor) &&
        (!q.tags || (s.tags ?? []).includes(q.tags)) &&
        (!q['not-tags'] || !(s.tags ?? []).includes(q['not-tags'])),
    );
    const slice = q.marker ? afterMarker(matching, q.marker, (s) => s.id).slice(0, limit) : matching.slice((page - 1) * limit, page * limit);
    return { count: matching.length, servers: slice.map((s) => serverView(s).server) };
  });

  app.get('/v1/:project_id/cloudservers/:server_id', action('ShowServer'), async (req) => {
    const { project_id, server_id } = params(req);
    return serverView(findServer(project_id, server_id, 'ECS'));
  });

  app.get('/v1/:project_id/baremetalservers/:server_id', action('ShowBaremetalServer'), async (req) => {
    const { project_id, server_id } = params(req);
    return serverView(findServer(project_id, server_id, 'BMS'));
  });

  const finishSubJob = (job: Job, sub: SubJob, deleteVolume: boolean, inProject: boolean) => {
    const id = sub.entities.server_id;
    const injected = faults.effectFor('huawei', 'DeleteServer', id).error;
    const server = inProject ? state.servers.get(id) : undefined;
    const refusal = server ? ecsDeleteRefusal(server) : `Instance[${id}] could not be found.`;
    sub.end_time = nowIso();
    if (injected || refusal) {
      sub.status = 'FAIL';
      sub.error_code = injected?.code ?? (server ? 'Ecs.0000' : 'Ecs.0114');
      sub.fail_reason = injected?.message ?? refusal;
    } else {
      sub.status = 'SUCCESS';
      state.removeServer(id, () => deleteVolume);
    }
    deleting.delete(id);
    const subs = job.entities.sub_jobs!;
    if (subs.every((s) => s.status === 'SUCCESS' || s.status === 'FAIL')) {
      const failed = subs.filter((s) => s.status === 'FAIL');
      job.status = failed.length === 0 ? 'SUCCESS' : 'FAIL';
      job.end_time = nowIso();
      if (failed.length > 0) {
        job.error_code = failed[0].error_code;
        job.fail_reason = failed.map((s) => s.fail_reason).join('; ');
      }
    }
  };

  app.post('/v1/:project_id/cloudservers/delete', action('DeleteServers', deleteTarget), async (req) => {
    const { project_id } = params(req);
    const { ids, deleteVolume } = deleteRequest(req);
    const begin = nowIso();
    const subJobs: SubJob[] = ids.map((id) => ({
      status: 'INIT',
      entities: { server_id: id },
      job_id: hexId(),
      job_type: 'deleteServer',
      begin_time: begin,
      end_time: null,
      error_code: null,
      fail_reason: null,
    }));
    const job: Job = {
      job_id: hexId(),
      job_type: 'deleteServers',
      status: 'INIT',
      begin_time: begin,
      end_time: null,
      error_code: null,
      fail_reason: null,
      entities: { sub_jobs_total: subJobs.length, sub_jobs: subJobs },
    };
    state.jobs.set(job.job_id, job);
    const inProject = project_id === state.projectId;
    for (const id of ids) if (inProject && state.servers.has(id)) deleting.add(id);
    const start = () => {
      if (job.status !== 'INIT') return;
      job.status = 'RUNNING';
      for (const sub of subJobs) if (sub.status === 'INIT') sub.status = 'RUNNING';
    };
    // Both scheduled now, so lazily applied transitions keep their real timing; a stuck fault on the job
    // holds INIT, one on a server holds that server's sub-job RUNNING.
    state.after(state.timing.jobStartMs, job.job_id, start);
    for (const sub of subJobs) {
      state.after(state.timing.jobStartMs + state.timing.serverDeleteMs, sub.entities.server_id, () => {
        start();
        finishSubJob(job, sub, deleteVolume, inProject);
      });
    }
    return { job_id: job.job_id };
  });

  app.get('/v1/:project_id/jobs/:job_id', action('ShowJob'), async (req) => {
    const { project_id, job_id } = params(req);
    const job = project_id === state.projectId ? state.jobs.get(job_id) : undefined;
    if (!job) return fail({ httpStatus: 404, code: 'Ecs.0000', message: `Job[${job_id}] could not be found.` });
    return job;
  });
}
