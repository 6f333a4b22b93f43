import type { Timeline } from '../../core/timeline';
import { aliFail, invalidParameter } from '../errors';
import type { Params } from '../params';
import type { AlibabaState, DiskState, InstanceState } from '../state';

/** What an action handler works with. */
export interface ApiEnv {
  state: AlibabaState;
  timeline: Timeline;
  now(): number;
  /** The RequestId of the call being answered (a ClientToken replay answers the first call's). */
  requestId?: string;
}

/** An action: reads its parameters, changes the state, returns the body (the dispatcher adds RequestId). */
export type ActionHandler = (p: Params, env: ApiEnv) => Record<string, unknown>;

const INSTANCE_ID = /^i-[A-Za-z0-9]{1,62}$/;

export function instanceIdParam(p: Params): string {
  const id = p.required('InstanceId');
  if (!INSTANCE_ID.test(id)) invalidParameter('InstanceId');
  return id;
}

export function findInstance(env: ApiEnv, id: string): InstanceState {
  return env.state.instances.get(id) ?? aliFail('InvalidInstanceId.NotFound');
}

export function findDisk(env: ApiEnv, id: string): DiskState {
  return env.state.disks.get(id) ?? aliFail('InvalidDiskId.NotFound');
}

/** DryRun=true: every check passed, nothing changes (ECS answers it as an error). */
export function dryRunPassed(): never {
  return aliFail('DryRunOperation');
}

/**
 * DescribeInstances paging, both styles: MaxResults + NextToken (the recommended one; MaxResults below 10 or
 * absent is 10, above 100 is 100, as the SDK documents) or PageNumber + PageSize. Every answer carries
 * `NextToken` (empty on the last page) and `TotalCount` (documented as meaningless with NextToken paging;
 * the simulator still counts). A NextToken the simulator did not issue is `InvalidParameter`.
 */
export function tokenPage<T>(p: Params, items: T[]): { slice: T[]; NextToken: string; PageNumber: number; PageSize: number; TotalCount: number } {
  const tokenStyle = p.str('MaxResults') !== undefined || p.str('NextToken') !== undefined;
  if (!tokenStyle) {
    const { slice, ...rest } = page(p, items);
    const end = (rest.PageNumber - 1) * rest.PageSize + slice.length;
    return { slice, NextToken: end < items.length ? encodeToken(end) : '', ...rest };
  }
  const raw = p.str('MaxResults');
  const n = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!Number.isInteger(n)) invalidParameter('MaxResults');
  const size = Math.min(100, Math.max(10, n));
  const token = p.str('NextToken');
  const start = token ? decodeToken(token) : 0;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return { slice, NextToken: end < items.length ? encodeToken(end) : '', PageNumber: Math.floor(start / size) + 1, PageSize: size, TotalCount: items.length };
}

const TOKEN_PREFIX = 'simnt';
const encodeToken = (offset: number) => `${TOKEN_PREFIX}${offset.toString(16).padStart(8, '0')}`;
function decodeToken(token: string): number {
  const m = /^simnt([0-9a-f]{8})$/.exec(token);
  return m?.[1] ? parseInt(m[1], 16) : invalidParameter('NextToken');
}

/** PageNumber / PageSize paging as the Describe* actions do it (PageSize 1–100, default 10). */
export function page<T>(p: Params, items: T[]): { slice: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const PageNumber = p.int('PageNumber', 1, 1_000_000, 1);
  const PageSize = p.int('PageSize', 1, 100, 10);
  const start = (PageNumber - 1) * PageSize;
  return { slice: items.slice(start, start + PageSize), PageNumber, PageSize, TotalCount: items.length };
}

/** A value filter with the `*` wildcard InstanceName / DiskName accept. */
export function matchesWildcard(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}
