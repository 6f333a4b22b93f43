import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallDescription } from '../core/types';

/** What each route is, for the call log and fault matching: its API action and target resource. */
interface RouteMeta {
  action: string;
  target?: (req: FastifyRequest) => string | undefined;
}

export type Params = Record<string, string>;
export const params = (req: FastifyRequest) => req.params as Params;

/** Route options naming the action; the target defaults to the route's last path parameter. */
export function action(name: string, target?: (req: FastifyRequest) => string | undefined) {
  return { config: { huawei: { action: name, target } satisfies RouteMeta } };
}

export function describeRoute(req: FastifyRequest): CallDescription {
  const meta = (req.routeOptions?.config as { huawei?: RouteMeta } | undefined)?.huawei;
  if (!meta) return { action: 'Unknown' };
  if (meta.target) return { action: meta.action, target: meta.target(req) };
  const values = Object.values(params(req));
  const last = values.length > 0 ? values[values.length - 1] : undefined;
  // A project-only path (a list) has no target resource.
  return { action: meta.action, target: Object.keys(params(req)).length > 1 ? last : undefined };
}

/** Whether the request reached one of the Huawei routes (unknown paths skip auth and answer APIGW.0101). */
export const isRouted = (req: FastifyRequest) => Boolean((req.routeOptions?.config as { huawei?: RouteMeta } | undefined)?.huawei);

export type RouteRegistrar = (app: FastifyInstance) => void;
