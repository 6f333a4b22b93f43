// The simulator as a witness: what a release's report says must be what the provider's state shows afterwards.
// Everything reported deleted is gone, everything reported kept exists, and nothing else the provider held changed.
import { expect } from 'vitest';
import type { ReleaseReport } from '../../domain/report';
import type { Provider } from '../../domain/resource';
import type { SimAdminClient } from '../../simulators/admin-client';

/** Every object the provider's simulator holds, keyed `<collection>:<id>`, with its JSON; and what was due to change by itself. */
export type Inventory = Map<string, { id: string; json: string; gone: boolean }> & { transitioning?: Set<string> };

// A billing record is about its resource_id (its own `id` is the record's).
const ID_KEYS = ['resource_id', 'dedicated_host_id', 'id', 'instanceId', 'volumeId', 'snapshotId'];
/** Statuses under which a simulator still lists an object the provider reports deleted or closed. */
const GONE_STATUSES = new Set<unknown>(['DELETED', 'Deleted', 'deleted', 'released', 'TERMINATED', 3]);

export async function inventory(admin: SimAdminClient, provider: Provider): Promise<Inventory> {
  const all = await admin.state<Record<string, Record<string, unknown>> & { pendingTransitions?: { resourceId: string }[] }>();
  const state = all[provider];
  const out: Inventory = new Map();
  // Fixtures seed resources in transitional states (Starting, Pending…): they move on by themselves.
  out.transitioning = new Set((all.pendingTransitions ?? []).map((t) => t.resourceId));
  const walk = (collection: string, value: unknown) => {
    if (!Array.isArray(value)) {
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (Array.isArray(v)) walk(`${collection}.${k}`, v);
      return;
    }
    for (const item of value) {
      if (!item || typeof item !== 'object') continue;
      const o = item as Record<string, unknown>;
      const id = ID_KEYS.map((k) => o[k]).find((v): v is string => typeof v === 'string');
      if (!id) continue;
      out.set(`${collection}:${id}`, { id, json: JSON.stringify(o), gone: GONE_STATUSES.has(o.status) || GONE_STATUSES.has(o.state) });
    }
  };
  for (const [k, v] of Object.entries(state)) if (k !== 'timing') walk(k, v);
  // ... and so do the objects that belong to them (a disk of the instance, a snapshot of that disk).
  for (let grew = true; grew;) {
    grew = false;
    for (const e of out.values()) {
      if (out.transitioning.has(e.id)) continue;
      const refersToOne = [...out.transitioning].some((t) => e.json.includes(`"${t}"`));
      const namedByOne = [...out.values()].some((o) => out.transitioning!.has(o.id) && o.json.includes(`"${e.id}"`));
      if (!refersToOne && !namedByOne) continue;
      out.transitioning.add(e.id);
      grew = true;
    }
  }
  return out;
}

/** The report agrees with the provider: deleted items gone, kept items there, untouched items unchanged. */
export function expectStateMatchesReport(before: Inventory, after: Inventory, report: ReleaseReport, alsoTouched: string[] = []): void {
  const present = (id: string) => [...after.values()].some((e) => e.id === id && !e.gone);
  for (const d of report.deleted) expect(present(d.id), `${d.type} ${d.id} is reported deleted but still exists`).toBe(false);
  for (const r of report.retained) expect(present(r.id), `${r.type} ${r.id} is reported kept but is gone`).toBe(true);
  const named = new Set([report.resource.resourceId, ...report.deleted.map((d) => d.id), ...report.retained.map((r) => r.id), ...alsoTouched]);
  // What the records of the released resource (and of the members it takes) name is part of them: a
  // DevServer's cloud server, say.
  const own = [...before.values()].filter((e) => e.id === report.resource.resourceId || alsoTouched.includes(e.id));
  for (const e of before.values()) if (own.some((o) => o !== e && o.json.includes(`"${e.id}"`))) named.add(e.id);
  for (const [key, was] of before) {
    if (named.has(was.id) || before.transitioning?.has(was.id)) continue;
    expect(after.get(key)?.json, `${key} is in no report line, yet it changed`).toBe(was.json);
  }
}
