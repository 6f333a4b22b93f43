import type { FastifyRequest } from 'fastify';
import { simFail } from '../core/types';

export type Query = Record<string, string | undefined>;
export const queryOf = (req: FastifyRequest) => req.query as Query;

/**
 * An integer query parameter within bounds; absent or empty is `fallback`. Anything else answers the
 * core's InvalidParameter, which each service renders as its own parameter error (errors.ts).
 */
export function intParam(q: Query, name: string, min: number, max: number, fallback: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) return simFail(400, 'InvalidParameter', `${name} must be an integer from ${min} to ${max}.`);
  return n;
}

/** The items after the one whose ID is `marker` (OpenStack-style marker paging); an unknown marker is a bad parameter. */
export function afterMarker<T>(items: T[], marker: string | undefined, idOf: (t: T) => string): T[] {
  if (!marker) return items;
  const at = items.findIndex((t) => idOf(t) === marker);
  if (at < 0) return simFail(400, 'InvalidParameter', `marker ${marker} is not in the list.`);
  return items.slice(at + 1);
}

/** ModelArts list paging (ListDevServers, ListHyperinstances): `limit` (default 10) and `offset` (items skipped). */
export function modelartsPage<T>(q: Query, items: T[]) {
  const limit = intParam(q, 'limit', 0, 1024, 10) || 10;
  const offset = intParam(q, 'offset', 0, 2_147_483_647, 0);
  return {
    current: Math.floor(offset / limit) + 1,
    data: items.slice(offset, offset + limit),
    pages: Math.max(1, Math.ceil(items.length / limit)),
    size: limit,
    total: items.length,
  };
}
