import type { ResourceRef, ResourceStatus } from '../../domain/resource';
import { ProviderError, type ObservedItem, type Observation } from '../adapter';
import type { HuaweiApi, Scope } from './api';
import { isNotFound, scopeOf } from './common';

type State = Observation['state'];

/** EVS disk and snapshot statuses while EVS removes them; `deleted` is rare (EVS answers 404 soon after). */
const evsState = (status: string | undefined): State => (status === 'deleting' ? 'deleting' : status === 'deleted' ? 'gone' : status ? 'present' : 'unknown');

/** ECS server: DELETED / SOFT_DELETED is gone, a `deleting` task is on its way, anything else is there. */
function serverState(server: { status?: string; 'OS-EXT-STS:task_state'?: string | null } | undefined): State {
  if (!server?.status) return 'unknown';
  if (server.status === 'DELETED' || server.status === 'SOFT_DELETED') return 'gone';
  return server['OS-EXT-STS:task_state'] === 'deleting' ? 'deleting' : 'present';
}

/** The resource's own progress: a failed deletion (DELETE_FAILED, ERROR) leaves it there. */
const resourceState = (st: ResourceStatus): State => (st.state === 'failed' ? 'present' : st.state);

async function readOne(
  api: HuaweiApi,
  s: Scope,
  item: ObservedItem,
  resourceStatus: () => Promise<ResourceStatus>,
): Promise<{ state: State; detail?: string }> {
  switch (item.type) {
    case 'resource': {
      const st = await resourceStatus();
      return { state: resourceState(st), detail: st.detail ? `${st.rawStatus}: ${st.detail}` : st.rawStatus };
    }
    case 'disk': {
      const status = (await api.showVolume(s, item.id)).body.volume?.status;
      return { state: evsState(status), detail: status ?? 'no status in the answer' };
    }
    case 'snapshot': {
      const status = (await api.showSnapshot(s, item.id)).body.snapshot?.status;
      return { state: evsState(status), detail: status ?? 'no status in the answer' };
    }
    case 'vm': {
      const server = (await api.showServer(s, item.id)).body.server;
      const task = server?.['OS-EXT-STS:task_state'];
      return { state: serverState(server), detail: `${server?.status ?? 'no status'}${task ? ` (task ${task})` : ''}` };
    }
  }
}

/**
 * ProviderAdapter.observe for Huawei: one read per item (the kind's status read, EVS ShowVolume /
 * ShowSnapshot, ECS ShowServer). Not found is `gone`; any other failure of one read is `unknown` with the
 * reason, never an exception. Throws only when nothing can be asked (no project ID on the ref).
 */
export async function observeItems(
  api: HuaweiApi,
  ref: ResourceRef,
  items: readonly ObservedItem[],
  resourceStatus: (ref: ResourceRef) => Promise<ResourceStatus>,
): Promise<Observation[]> {
  const s = scopeOf(ref);
  const out: Observation[] = [];
  for (const item of items) {
    try {
      out.push({ ...item, ...(await readOne(api, s, item, () => resourceStatus(ref))) });
    } catch (err) {
      if (isNotFound(err)) out.push({ ...item, state: 'gone', detail: `not found (${(err as ProviderError).code})` });
      else out.push({ ...item, state: 'unknown', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
