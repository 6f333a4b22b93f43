import type { FastifyInstance } from 'fastify';
import { simFail } from '../core/types';
import { huaweiError } from './errors';
import type { Host, Server } from './fixture';
import { serverBase } from './ecs';
import { afterMarker, intParam, queryOf } from './paging';
import { action, params } from './routing';
import type { HuaweiState } from './state';

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) || 0 : 0);

/**
 * DCC hosts. No public API lists the hosts of a DCC pool or the VMs of a host, so both are MODELLED on
 * Dedicated Host (DeH): GET /v1.0/{project_id}/dedicated-hosts/{id} and .../{id}/servers. The pool summary
 * is the real GET /v1/{project_id}/dcc/resource_clusters, computed from the hosts.
 */
export function dccRoutes(app: FastifyInstance, state: HuaweiState): void {
  const findHost = (projectId: string, id: string): Host => {
    const h = projectId === state.projectId ? state.hosts.get(id) : undefined;
    if (!h) {
      const e = huaweiError('DEH.0404', `The dedicated host ${id} does not exist.`);
      return simFail(e.httpStatus, e.code, e.message);
    }
    return h;
  };

  const vmView = (s: Server) => ({ ...serverBase(s, state.projectId), addresses: {} });

  const hostView = (h: Host) => {
    const vms = state.serversOnHost(h.dedicated_host_id);
    return {
      auto_placement: 'off',
      project_id: state.projectId,
      available_vcpus: 0,
      available_memory: 0,
      tags: [],
      sys_tags: [],
      ...h,
      instance_total: vms.length,
      instance_uuids: vms.map((v) => v.id),
    };
  };

  /**
   * ListDedicatedHosts: `limit` (1–1000, default 1000: modelled), `marker` (the last host ID of the previous
   * page), filters `dedicated_host_id`, `name`, `host_type`, `state`, `availability_zone`; `total` counts every
   * matching host, not the page.
   */
  app.get('/v1.0/:project_id/dedicated-hosts', action('ListDedicatedHosts'), async (req) => {
    const q = queryOf(req);
    const limit = intParam(q, 'limit', 1, 1000, 1000);
    const matching = (params(req).project_id === state.projectId ? [...state.hosts.values()] : []).filter(
      (h) =>
        (!q.dedicated_host_id || h.dedicated_host_id === q.dedicated_host_id) &&
        (!q.name || h.name === q.name) &&
        (!q.host_type || h.host_type === q.host_type) &&
        (!q.state || h.state === q.state) &&
        (!q.availability_zone || h.availability_zone === q.availability_zone),
    );
    const page = afterMarker(matching, q.marker, (h) => h.dedicated_host_id).slice(0, limit);
    return { total: matching.length, dedicated_hosts: page.map(hostView) };
  });

  app.get('/v1.0/:project_id/dedicated-hosts/:host_id', action('ShowDedicatedHost'), async (req) => {
    const { project_id, host_id } = params(req);
    return { dedicated_host: hostView(findHost(project_id, host_id)) };
  });

  app.get(
    '/v1.0/:project_id/dedicated-hosts/:host_id/servers',
    action('ListServersOnDedicatedHost', (req) => params(req).host_id),
    async (req) => {
      const { project_id, host_id } = params(req);
      const h = findHost(project_id, host_id);
      return { servers: state.serversOnHost(h.dedicated_host_id).map(vmView) };
    },
  );

  app.get('/v1/:project_id/dcc/resource_clusters', action('ShowResourceClusters'), async (req) => {
    const { project_id } = params(req);
    const hosts = project_id === state.projectId ? [...state.hosts.values()].filter((h) => h.state !== 'released') : [];
    const byType = new Map<string, Host[]>();
    for (const h of hosts) byType.set(h.host_type, [...(byType.get(h.host_type) ?? []), h]);
    return {
      dedicated_cluster: [...byType.entries()].map(([hostType, group]) => {
        const vms = group.flatMap((h) => state.serversOnHost(h.dedicated_host_id));
        return {
          project_id: state.projectId,
          availability_zone: group[0].availability_zone,
          host_total: group.length,
          host_type: hostType,
          service_type: 'ecs',
          host_properties: group[0].host_properties ?? {},
          vcpus_total: group.reduce((n, h) => n + num(h.host_properties?.vcpus), 0),
          vcpus_used: vms.reduce((n, v) => n + num(v.flavor.vcpus), 0),
          memory_mb_total: group.reduce((n, h) => n + num(h.host_properties?.memory), 0),
          memory_mb_used: vms.reduce((n, v) => n + num(v.flavor.ram), 0),
          flavors: [...new Set(vms.map((v) => v.flavor.id))],
          instance_total: vms.length,
        };
      }),
    };
  });
}
