// What every resource kind's rules provide, and the helpers they share. Pure: no I/O, no clock.
import type { Blocker, Fate, PlannedDisk, PlannedSnapshot, PlannedVm, PrepareStep } from '../plan';
import type { ValidRequest } from '../request';
import type { DestroyOptions, ReleaseAction, ResourceSnapshot, Snapshot } from '../resource';

export type Options = ValidRequest['options'];
export type Fates = { disks: PlannedDisk[]; snapshots: PlannedSnapshot[]; destroyOptions: DestroyOptions };

/** Per-kind rules: the only place where providers differ. */
export interface KindRules {
  action(s: ResourceSnapshot): ReleaseAction;
  blockers(s: ResourceSnapshot, action: ReleaseAction, o: Options): Blocker[];
  prepare(s: ResourceSnapshot, o: Options): PrepareStep[];
  fates(s: ResourceSnapshot, o: Options, action: ReleaseAction): Fates;
  vms?(s: ResourceSnapshot): PlannedVm[];
}

export const NO_DESTROY_OPTIONS: Readonly<DestroyOptions> = { releaseDataDisks: false, releaseSnapshots: false, force: false };

/** A leftover the provider keeps: kept, or deleted afterwards when the request asks for it. */
export const leftover = (policy: Options['retainedDataDisks'], why: string): { fate: Fate; why: string } =>
  policy === 'delete' ? { fate: 'cleanup', why: `${why}; the request asks to delete it afterwards` } : { fate: 'retained', why };

/** Snapshot fates from a per-provider rule; a snapshot the rule says nothing about is kept by the provider. */
export function snapshotsFollowing(
  s: ResourceSnapshot,
  disks: PlannedDisk[],
  o: Options,
  rule: (snap: Snapshot, diskFate: Fate | undefined) => { fate: Fate; why: string } | undefined,
): PlannedSnapshot[] {
  const fateOf = new Map(disks.map((d) => [d.disk.id, d.fate]));
  return s.snapshots.map((snap) => {
    const decided = rule(snap, fateOf.get(snap.sourceDiskId));
    return { snapshot: snap, ...(decided ?? leftover(o.retainedSnapshots, `${snap.type} snapshot kept by the provider`)) };
  });
}

export function unexpiredSubscription(s: ResourceSnapshot): Blocker[] {
  return s.charging.mode === 'subscription' && !s.charging.expired
    ? [
        {
          code: 'unexpired-subscription',
          message: `an unexpired subscription${s.charging.expiresAt ? ` (expires ${s.charging.expiresAt})` : ''} cannot be released; wait for expiry or unsubscribe it`,
        },
      ]
    : [];
}

export function notReady(s: ResourceSnapshot): Blocker[] {
  return s.status === 'creating' ? [{ code: 'not-ready', message: `the resource is still being created (${s.rawStatus}); try again once it is created` }] : [];
}
