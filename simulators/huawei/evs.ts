import type { FastifyInstance, FastifyRequest } from 'fastify';
import { simFail, type SimError } from '../core/types';
import { huaweiError } from './errors';
import type { Volume } from './fixture';
import { afterMarker, intParam, queryOf } from './paging';
import { action, params } from './routing';
import { hexId, nowIso, type HuaweiState, type Job } from './state';

const fail = (e: SimError): never => simFail(e.httpStatus, e.code, e.message);

/**
 * EVS disks and snapshots, for cleaning up the disks a server deletion kept. Deleting a disk is
 * asynchronous (a job on the shared jobs API); it keeps the disk's snapshots unless `?cascade=true`
 * (EVS default false, providers.md); an attached disk cannot be deleted.
 */
export function evsRoutes(app: FastifyInstance, state: HuaweiState): void {
  const findVolume = (projectId: string, id: string): Volume => {
    const v = projectId === state.projectId ? state.volumes.get(id) : undefined;
    return v ?? fail(huaweiError('EVS.5404', `The disk ${id} does not exist.`));
  };

  const volumeView = (v: Volume) => ({
    ...v,
    metadata: v.metadata ?? {},
    multiattach: false,
    attachments: v.attachments.map((a) => ({ ...a, volume_id: v.id, id: v.id, attachment_id: `${v.id}-${a.server_id}`.slice(0, 36) })),
  });

  /**
   * EVS list paging: `limit` 1–1000 (default 1000), then `marker` (the last ID of the previous page) or
   * `offset` (items skipped); `count` is every match. A `{name}_links` next link comes with a full page that
   * is not the last.
   */
  const evsPage = <T extends { id: string }>(req: FastifyRequest, all: T[], what: 'volumes' | 'snapshots') => {
    const q = queryOf(req);
    const limit = intParam(q, 'limit', 1, 1000, 1000);
    const offset = intParam(q, 'offset', 0, 2_147_483_647, 0);
    const rest = q.marker ? afterMarker(all, q.marker, (t) => t.id) : all.slice(offset);
    const page = rest.slice(0, limit);
    const more = rest.length > limit;
    const next = more ? [{ href: `${req.url.split('?')[0]}?limit=${limit}&marker=${page[page.length - 1].id}`, rel: 'next' }] : undefined;
    return { count: all.length, [what]: page, ...(next ? { [`${what}_links`]: next } : {}) };
  };

  app.get('/v2/:project_id/cloudvolumes/detail', action('ListVolumes'), async (req) => {
    const q = queryOf(req);
    const mine = params(req).project_id === state.projectId ? [...state.volumes.values()] : [];
    const matching = mine.filter((v) => (!q.name || v.name === q.name) && (!q.status || v.status === q.status));
    return evsPage(req, matching.map(volumeView), 'volumes');
  });

  app.get('/v2/:project_id/cloudvolumes/:volume_id', action('ShowVolume'), async (req) => {
    const { project_id, volume_id } = params(req);
    return { volume: volumeView(findVolume(project_id, volume_id)) };
  });

  app.delete('/v2/:project_id/cloudvolumes/:volume_id', action('DeleteVolume'), async (req) => {
    const { project_id, volume_id } = params(req);
    const cascade = (req.query as Record<string, string | undefined>).cascade === 'true';
    const v = findVolume(project_id, volume_id);
    if (v.attachments.length > 0)
      fail(huaweiError('EVS.2024', `The disk ${v.id} is attached to ${v.attachments.map((a) => a.server_id).join(', ')}; detach it first.`));
    if (v.status === 'deleting') fail(huaweiError('EVS.2024', `The disk ${v.id} is being deleted.`));
    v.status = 'deleting';
    const job: Job = {
      job_id: hexId(),
      job_type: 'deleteVolume',
      status: 'RUNNING',
      begin_time: nowIso(),
      end_time: null,
      error_code: null,
      fail_reason: null,
      entities: { volume_id: v.id },
    };
    state.jobs.set(job.job_id, job);
    state.after(state.timing.serverDeleteMs, v.id, () => {
      state.deleteVolume(v.id, cascade);
      job.status = 'SUCCESS';
      job.end_time = nowIso();
    });
    return { job_id: job.job_id };
  });

  const listSnapshots = async (req: FastifyRequest) => {
    const q = queryOf(req);
    const all = params(req).project_id === state.projectId ? [...state.snapshots.values()] : [];
    const matching = all.filter((s) => (!q.volume_id || s.volume_id === q.volume_id) && (!q.status || s.status === q.status) && (!q.name || s.name === q.name));
    return evsPage(req, matching, 'snapshots');
  };
  const snapshotsTarget = (req: FastifyRequest) => (req.query as Record<string, string | undefined>).volume_id;
  app.get('/v2/:project_id/cloudsnapshots', action('ListSnapshots', snapshotsTarget), listSnapshots);
  app.get('/v2/:project_id/cloudsnapshots/detail', action('ListSnapshots', snapshotsTarget), listSnapshots);

  app.get('/v2/:project_id/cloudsnapshots/:snapshot_id', action('ShowSnapshot'), async (req) => {
    const { project_id, snapshot_id } = params(req);
    const s = project_id === state.projectId ? state.snapshots.get(snapshot_id) : undefined;
    return { snapshot: s ?? fail(huaweiError('EVS.5404', `The snapshot ${snapshot_id} does not exist.`)) };
  });

  app.delete('/v2/:project_id/cloudsnapshots/:snapshot_id', action('DeleteSnapshot'), async (req, reply) => {
    const { project_id, snapshot_id } = params(req);
    const s = project_id === state.projectId ? state.snapshots.get(snapshot_id) : undefined;
    if (!s) fail(huaweiError('EVS.5404', `The snapshot ${snapshot_id} does not exist.`));
    state.snapshots.delete(snapshot_id);
    return reply.code(200).send();
  });
}
