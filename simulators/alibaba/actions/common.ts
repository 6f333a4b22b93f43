import type { Timeline } from '../../core/timeline';
import { aliFail, invalidParameter } from '../errors';
import type { Params } from '../params';
import type { AlibabaState, DiskState, InstanceState } from '../state';

/** What an action handler works with. */
export interface ApiEnv {
  state: AlibabaState;
  timeline: Timeline;
  now(): number;
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

/** PageNumber / PageSize paging as the Describe* actions do it (PageSize 1–100, default 10). */
export function page<T>(p: Params, items: T[]): { slice: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const PageNumber = p.int('PageNumber', 1, 1_000_000, 1);
  const PageSize = p.int('PageSize', 1, 100, 10);
  const start = (PageNumber - 1) * PageSize;
  return { slice: items.slice(start, start + PageSize), PageNumber, PageSize, TotalCount: items.length };
}

/** A value filter with the `*` wildcard InstanceName / DiskName accept. */
export function matchesWildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}
