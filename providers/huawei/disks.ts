import type { ChargingMode, Disk, Snapshot } from '../../domain/resource';
import type { HuaweiApi, Scope } from './api';
import { isNotFound, tagMap } from './common';
import type { DevServerWire, EcsServerWire } from './wire';

export interface ServerDisks {
  disks: Disk[];
  tags: Record<string, string>;
}

/**
 * The disks of one Lite Server node: the DevServer's `volumes` are the ones chosen at creation
 * (ROOT = system disk); ECS ShowServer (BMS ShowBaremetalServer for a BMS or HPS node) of its cloud
 * server lists every attached volume, so the ones the DevServer does not list were attached later.
 * A cloud server that is not found leaves only the creation-time disks.
 */
export async function nodeDisks(api: HuaweiApi, s: Scope, dev: DevServerWire, chargingMode: ChargingMode): Promise<ServerDisks> {
  const disks: Disk[] = (dev.volumes ?? []).flatMap((v) =>
    v.evs_id ? [{ id: v.evs_id, role: v.type === 'ROOT' ? 'system' : 'data', origin: 'with-resource', sizeGb: v.size, chargingMode } satisfies Disk] : [],
  );
  const serverId = dev.cloud_server?.id;
  if (!serverId) return { disks, tags: {} };
  let server: EcsServerWire['server'];
  try {
    const bare = dev.cloud_server?.type === 'BMS' || dev.cloud_server?.type === 'HPS';
    server = (bare ? await api.showBaremetalServer(s, serverId) : await api.showServer(s, serverId)).body.server;
  } catch (err) {
    if (isNotFound(err)) return { disks, tags: {} };
    throw err;
  }
  const known = new Set(disks.map((d) => d.id));
  for (const v of server?.['os-extended-volumes:volumes_attached'] ?? []) {
    if (!v.id || known.has(v.id)) continue;
    known.add(v.id);
    disks.push({ id: v.id, role: v.bootIndex === '0' ? 'system' : 'data', origin: 'attached-later' });
  }
  return { disks, tags: tagMap(server?.tags) };
}

/** EVS snapshots of these disks. EVS has no automatic snapshots: every one is manual. */
export async function diskSnapshots(api: HuaweiApi, s: Scope, disks: Disk[]): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  for (const d of disks) {
    const { body } = await api.listSnapshots(s, d.id);
    for (const snap of body.snapshots ?? []) {
      if (snap.id) out.push({ id: snap.id, sourceDiskId: snap.volume_id ?? d.id, type: 'manual' });
    }
  }
  return out;
}
