import type { FastifyInstance } from 'fastify';
import { simFail } from '../core/types';
import { huaweiError } from './errors';
import type { DevServer, Hyperinstance } from './fixture';
import { modelartsPage, queryOf, type Query } from './paging';
import { action, params } from './routing';
import type { HuaweiState } from './state';

const fail = (e: ReturnType<typeof huaweiError>): never => simFail(e.httpStatus, e.code, e.message);

/** The API view of a DevServer: everything but the simulator-only knobs. */
export function devServerView(ds: DevServer): Omit<DevServer, 'sim'> {
  const { sim: _sim, ...view } = ds;
  return view;
}

/** The list order: `sort_key` createTime (default) or updateTime, `sort_dir` ASC (default) or DESC. */
function sorted<T extends { create_at: number; update_at: number }>(q: Query, items: T[]): T[] {
  const key = q.sort_key ?? 'createTime';
  const dir = q.sort_dir ?? 'ASC';
  if ((key !== 'createTime' && key !== 'updateTime') || (dir !== 'ASC' && dir !== 'DESC'))
    fail(huaweiError('ModelArts.0104', 'sort_key must be createTime or updateTime, sort_dir ASC or DESC.'));
  const at = (t: T) => (key === 'createTime' ? t.create_at : t.update_at);
  return [...items].sort((a, b) => (dir === 'ASC' ? at(a) - at(b) : at(b) - at(a)));
}

/**
 * ModelArts Lite Server (DevServer) nodes and supernodes (hyperinstances).
 * Nodes: DELETE allowed for POST_PAID, or CREATE_FAILED / ERROR; DELETING → DELETED (or DELETE_FAILED
 * when the fixture says so) → 404. Supernodes: DELETE allowed when pay-per-use and ACTIVE, or ERROR;
 * TERMINATING → TERMINATED → 404, taking their HPS servers along.
 */
export function modelartsRoutes(app: FastifyInstance, state: HuaweiState): void {
  const findDevServer = (projectId: string, id: string): DevServer => {
    const ds = projectId === state.projectId ? state.devServers.get(id) : undefined;
    return ds ?? fail(huaweiError('ModelArts.6309', `The instance does not exist: ${id}.`));
  };
  const findHyperinstance = (projectId: string, id: string): Hyperinstance => {
    const h = projectId === state.projectId ? state.hyperinstances.get(id) : undefined;
    return h ?? fail(huaweiError('ModelArts.6309', `The supernode does not exist: ${id}.`));
  };
  const hyperView = (h: Hyperinstance) => {
    const { server_ids, ...rest } = h;
    return { ...rest, servers: server_ids.flatMap((id) => (state.devServers.has(id) ? [devServerView(state.devServers.get(id)!)] : [])) };
  };

  /** Mark a node DELETING; later DELETED (or DELETE_FAILED), later gone, with its disks handled. */
  const startDelete = (ds: DevServer) => {
    ds.status = 'DELETING';
    ds.update_at = Date.now();
    state.finishDevServerDelete(ds);
  };

  // ListDevServers and ListHyperinstances: every server / supernode of the project, in ModelArts list paging.
  app.get('/v1/:project_id/dev-servers', action('ListDevServers'), async (req) => {
    const mine = params(req).project_id === state.projectId ? [...state.devServers.values()] : [];
    return modelartsPage(queryOf(req), sorted(queryOf(req), mine).map(devServerView));
  });

  app.get('/v1/:project_id/dev-servers/hyperinstance', action('ListHyperinstances'), async (req) => {
    const mine = params(req).project_id === state.projectId ? [...state.hyperinstances.values()] : [];
    return modelartsPage(queryOf(req), sorted(queryOf(req), mine).map(hyperView));
  });

  app.get('/v1/:project_id/dev-servers/:id', action('ShowDevServer'), async (req) => {
    const { project_id, id } = params(req);
    return devServerView(findDevServer(project_id, id));
  });

  app.delete('/v1/:project_id/dev-servers/:id', action('DeleteDevServer'), async (req) => {
    const { project_id, id } = params(req);
    const ds = findDevServer(project_id, id);
    if (ds.status === 'DELETING' || ds.status === 'DELETED') fail(huaweiError('ModelArts.7004', `The instance ${ds.id} is ${ds.status}.`));
    if (ds.category === 'HPS') fail(huaweiError('ModelArts.7005', `The instance ${ds.id} is a supernode server; delete its supernode.`));
    const deletable = ds.charging_mode === 'POST_PAID' || ds.status === 'CREATE_FAILED' || ds.status === 'ERROR';
    if (!deletable) {
      fail(
        huaweiError(
          'ModelArts.7003',
          `The instance ${ds.id} is billed ${ds.charging_mode} and is ${ds.status}: only pay-per-use instances, or instances in CREATE_FAILED or ERROR, can be deleted. Unsubscribe yearly/monthly instances in the Billing Center.`,
        ),
      );
    }
    startDelete(ds);
    return devServerView(ds);
  });

  app.get('/v1/:project_id/dev-servers/hyperinstance/:id', action('ShowHyperinstance'), async (req) => {
    const { project_id, id } = params(req);
    return hyperView(findHyperinstance(project_id, id));
  });

  app.delete('/v1/:project_id/dev-servers/hyperinstance/:id', action('DeleteHyperinstance'), async (req) => {
    const { project_id, id } = params(req);
    const h = findHyperinstance(project_id, id);
    if (h.status === 'TERMINATING' || h.status === 'TERMINATED') fail(huaweiError('ModelArts.7004', `The supernode ${h.id} is ${h.status}.`));
    const children = h.server_ids.flatMap((sid) => state.devServers.get(sid) ?? []);
    const payPerUse = children.length > 0 && children.every((c) => c.charging_mode === 'POST_PAID');
    if (!((payPerUse && h.status === 'ACTIVE') || h.status === 'ERROR')) {
      fail(
        huaweiError(
          'ModelArts.7003',
          `The supernode ${h.id} is ${payPerUse ? 'pay-per-use' : 'yearly/monthly'} and ${h.status}: only pay-per-use ACTIVE supernodes, or supernodes in ERROR, can be deleted. Unsubscribe yearly/monthly supernodes in the Billing Center.`,
        ),
      );
    }
    h.status = 'TERMINATING';
    h.update_at = Date.now();
    state.finishHyperinstanceDelete(h);
    return hyperView(h);
  });
}
