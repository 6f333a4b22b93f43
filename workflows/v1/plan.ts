// FROZEN with workflows/v1/release-resource.ts: the v1 release path, kept for replay. Never edit.
// The release rules of every provider, as one pure and deterministic function: what action a release
// takes, what blocks it, and the fate of every disk, snapshot and VM. The seeds are the spec; the workflow
// and the dry run both call planRelease(), and test/unit/plan.test.ts tables every rule.
import type { ValidRequest } from '../../domain/request';
import { PROTECTION_TAG } from '../../domain/request';
import type {
  DestroyOptions,
  Disk,
  HostVm,
  ReleaseAction,
  ResourceKind,
  ResourceRef,
  ResourceSnapshot,
  Snapshot,
} from '../../domain/resource';

export type BlockerCode =
  | 'not-ready'
  | 'running'
  | 'unexpired-subscription'
  | 'deletion-protection'
  | 'security-lock'
  | 'locked'
  | 'protection-tag'
  | 'frozen'
  | 'order-member'
  | 'vm-needs-unsubscription'
  | 'vm-owned-by-service';

export interface Blocker {
  code: BlockerCode;
  message: string;
}

/** deleted: the provider removes it with the resource; retained: the provider keeps it and so do we; cleanup: we delete it afterwards. */
export type Fate = 'deleted' | 'retained' | 'cleanup';

export interface PlannedDisk {
  disk: Disk;
  fate: Fate;
  why: string;
}
export interface PlannedSnapshot {
  snapshot: Snapshot;
  fate: Fate;
  why: string;
}
export interface PlannedVm {
  vm: HostVm;
  fate: 'drain' | 'blocking';
  why: string;
}

export type PrepareStep = { step: 'stop' } | { step: 'drain'; vmIds: string[] };

/** What must be confirmed by a person before anything destructive happens. */
export type Gate = 'backup' | 'protection-override';

export type PlanOutcome =
  /** Go ahead with `action`. */
  | 'proceed'
  /** At least one blocker: nothing will be changed. */
  | 'blocked'
  /** The resource does not exist (any more): nothing to do. */
  | 'already-gone'
  /** The provider is already deleting it: wait for it to be gone, make no call. */
  | 'in-progress';

export interface Plan {
  resource: ResourceRef;
  outcome: PlanOutcome;
  action?: ReleaseAction;
  blockers: Blocker[];
  prepare: PrepareStep[];
  gates: Gate[];
  /** A disk, snapshot or VM will be destroyed: a backup matters. */
  dataAtRisk: boolean;
  disks: PlannedDisk[];
  snapshots: PlannedSnapshot[];
  vms: PlannedVm[];
  destroyOptions: DestroyOptions;
  /** Facts a reader of the plan should know (e.g. the whole order goes). */
  notes: string[];
}

type Options = ValidRequest['options'];
type Fates = { disks: PlannedDisk[]; snapshots: PlannedSnapshot[]; destroyOptions: DestroyOptions };

/** Per-kind rules: the only place where providers differ. */
interface KindRules {
  action(s: ResourceSnapshot): ReleaseAction;
  blockers(s: ResourceSnapshot, action: ReleaseAction, o: Options): Blocker[];
  prepare(s: ResourceSnapshot, o: Options): PrepareStep[];
  fates(s: ResourceSnapshot, o: Options): Fates;
  vms?(s: ResourceSnapshot): PlannedVm[];
}

const NO_DESTROY_OPTIONS: DestroyOptions = { releaseDataDisks: false, releaseSnapshots: false, force: false };

const leftover = (policy: Options['retainedDataDisks'], why: string): { fate: Fate; why: string } =>
  policy === 'delete' ? { fate: 'cleanup', why: `${why}; the request asks to delete it afterwards` } : { fate: 'retained', why };

function snapshotsFollowing(
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

function unexpiredSubscription(s: ResourceSnapshot): Blocker[] {
  return s.charging.mode === 'subscription' && !s.charging.expired
    ? [{ code: 'unexpired-subscription', message: `an unexpired subscription${s.charging.expiresAt ? ` (expires ${s.charging.expiresAt})` : ''} cannot be released; wait for expiry or unsubscribe it` }]
    : [];
}

function notReady(s: ResourceSnapshot): Blocker[] {
  return s.status === 'creating' ? [{ code: 'not-ready', message: `the resource is still being created (${s.rawStatus}); try again once it is created` }] : [];
}

const STOPPABLE: readonly string[] = ['running', 'starting', 'stopping'];

/** Alibaba ECS DeleteInstance (seed 003). */
const alibabaEcs: KindRules = {
  action: () => 'delete',
  blockers: (s, _a, o) => [
    ...notReady(s),
    ...unexpiredSubscription(s),
    ...(s.status !== 'stopped' && s.status !== 'creating' && !(o.stopIfRunning && STOPPABLE.includes(s.status))
      ? [{ code: 'running' as const, message: `only a Stopped instance can be released; it is ${s.rawStatus}${STOPPABLE.includes(s.status) ? ' (set options.stopIfRunning to stop it first)' : ''}` }]
      : []),
  ],
  prepare: (s, o) => (o.stopIfRunning && STOPPABLE.includes(s.status) ? [{ step: 'stop' }] : []),
  fates: (s, o) => {
    const securityLocked = s.locks.some((l) => l.reason === 'security');
    const disks = s.disks.map((disk): PlannedDisk => {
      if (disk.deleteWithInstance) return { disk, fate: 'deleted', why: 'DeleteWithInstance=true' };
      if (securityLocked) return { disk, fate: 'deleted', why: 'the instance is under security control: its disks are released whatever DeleteWithInstance says' };
      return { disk, ...leftover(o.retainedDataDisks, 'DeleteWithInstance=false: detached and kept') };
    });
    const snapshots = snapshotsFollowing(s, disks, o, (snap, diskFate) => {
      if (snap.type !== 'auto' || diskFate !== 'deleted') return undefined;
      const disk = s.disks.find((d) => d.id === snap.sourceDiskId);
      return disk?.deleteAutoSnapshot ? { fate: 'deleted', why: 'automatic snapshot of a released disk with DeleteAutoSnapshot=true' } : undefined;
    });
    return { disks, snapshots, destroyOptions: NO_DESTROY_OPTIONS };
  },
};

/** Baidu BCC release (seed 004), with the related-release flags when the request deletes leftovers. */
const baiduBcc: KindRules = {
  action: () => 'delete',
  blockers: (s) => [...notReady(s), ...unexpiredSubscription(s)],
  prepare: () => [],
  fates: (s, o) => {
    const releaseDataDisks = o.retainedDataDisks === 'delete';
    const releaseSnapshots = releaseDataDisks && o.retainedSnapshots === 'delete';
    const disks = s.disks.map((disk): PlannedDisk => {
      if (disk.role === 'system') return { disk, fate: 'deleted', why: 'the system disk goes with the instance' };
      if (disk.chargingMode === 'subscription') return { disk, fate: 'retained', why: 'a prepaid CDS disk is detached, never released with the instance' };
      if (releaseDataDisks) return { disk, fate: 'deleted', why: 'postpaid CDS disk released with the instance (relatedReleaseFlag)' };
      return { disk, fate: 'retained', why: 'mounted CDS disks are detached, not deleted' };
    });
    const role = new Map(s.disks.map((d) => [d.id, d.role]));
    const snapshots = snapshotsFollowing(s, disks, o, (snap, diskFate) => {
      if (role.get(snap.sourceDiskId) === 'system') return { fate: 'deleted', why: 'snapshots of the system disk are deleted with the instance' };
      if (diskFate === 'deleted' && releaseSnapshots) return { fate: 'deleted', why: 'snapshot of a released CDS disk (deleteCdsSnapshotFlag)' };
      return undefined;
    });
    return { disks, snapshots, destroyOptions: { releaseDataDisks, releaseSnapshots, force: false } };
  },
};

/** Huawei ModelArts Lite Server (seeds 000, 002): delete, unsubscribe or release of a frozen resource. */
function liteServer(kind: 'node' | 'supernode' | 'rack'): KindRules {
  return {
    action: (s) => {
      if (kind !== 'rack' && (s.charging.mode === 'pay-per-use' || s.status === 'create-failed' || s.status === 'error')) return 'delete';
      return s.frozen ? 'release' : 'unsubscribe';
    },
    blockers: (s, action) => {
      const others = (s.order?.members ?? []).filter((m) => m !== s.ref.resourceId && m !== s.order?.billingResourceId);
      return kind === 'node' && action !== 'delete' && others.length > 0
        ? [{ code: 'order-member', message: `unsubscribe and release act on the whole order ${s.order?.orderId}, which also holds ${others.join(', ')}: release the rack or supernode instead` }]
        : [];
    },
    prepare: () => [],
    fates: (s, o) => {
      const creationDisksGo = s.charging.mode === 'subscription' || kind !== 'node';
      const disks = s.disks.map((disk): PlannedDisk => {
        if (disk.role === 'system') return { disk, fate: 'deleted', why: 'the system disk goes with the server' };
        if (disk.origin === 'attached-later') return { disk, ...leftover(o.retainedDataDisks, 'data disks attached after creation are kept') };
        if (creationDisksGo) return { disk, fate: 'deleted', why: 'data disks chosen at creation are deleted with a yearly/monthly server or a supernode' };
        return { disk, ...leftover(o.retainedDataDisks, 'a pay-per-use ECS/BMS keeps the data disks chosen at creation') };
      });
      return { disks, snapshots: snapshotsFollowing(s, disks, o, () => undefined), destroyOptions: NO_DESTROY_OPTIONS };
    },
  };
}

/** Huawei DCC host (seed 001): every VM must be gone first; VMs deletable through ECS are drained. */
const dccHost: KindRules = {
  action: () => 'unsubscribe',
  blockers: () => [],
  vms: (s) =>
    (s.vms ?? []).map((vm): PlannedVm => {
      if (vm.service !== 'ECS') return { vm, fate: 'blocking', why: `created by ${vm.service}: remove it through ${vm.service} first` };
      if (vm.chargingMode === 'subscription') return { vm, fate: 'blocking', why: 'a yearly/monthly VM needs its own unsubscription first' };
      return { vm, fate: 'drain', why: 'pay-per-use ECS VM: deleted by the drain' };
    }),
  prepare: (s) => {
    const vmIds = (dccHost.vms?.(s) ?? []).filter((v) => v.fate === 'drain').map((v) => v.vm.id);
    return vmIds.length > 0 ? [{ step: 'drain', vmIds }] : [];
  },
  fates: (s, o) => {
    const disks = s.disks.map((disk): PlannedDisk => ({ disk, ...leftover(o.retainedDataDisks, 'kept') }));
    return { disks, snapshots: snapshotsFollowing(s, disks, o, () => undefined), destroyOptions: NO_DESTROY_OPTIONS };
  },
};

const RULES: Record<ResourceKind, KindRules> = {
  'ecs-instance': alibabaEcs,
  'bcc-instance': baiduBcc,
  'modelarts-node': liteServer('node'),
  'modelarts-supernode': liteServer('supernode'),
  'modelarts-rack': liteServer('rack'),
  'dcc-host': dccHost,
};

/** Blockers every provider shares. */
function commonBlockers(s: ResourceSnapshot, action: ReleaseAction, o: Options): Blocker[] {
  const out: Blocker[] = [];
  if (s.deletionProtection) out.push({ code: 'deletion-protection', message: 'deletion protection is on: turn it off at the provider first' });
  for (const lock of s.locks) {
    out.push(
      lock.reason === 'security'
        ? { code: 'security-lock', message: `the resource is locked for security${lock.detail ? ` (${lock.detail})` : ''}` }
        : { code: 'locked', message: `the resource is locked (${lock.reason}${lock.detail ? `: ${lock.detail}` : ''})` },
    );
  }
  if (s.frozen && action !== 'release') {
    out.push({ code: 'frozen', message: `the resource or its account is frozen (${s.frozen.reason}): it cannot be ${action === 'unsubscribe' ? 'unsubscribed' : 'deleted'}` });
  }
  if (s.tags[PROTECTION_TAG] === 'true' && !o.overrideProtectionTag) {
    out.push({ code: 'protection-tag', message: `tagged ${PROTECTION_TAG}=true: set options.overrideProtectionTag and get it approved` });
  }
  return out;
}

/** Plan the release of one resource from a fresh inspection. Pure: same inputs, same plan. */
export function planRelease(s: ResourceSnapshot, request: Pick<ValidRequest, 'options' | 'backup'>): Plan {
  const o = request.options;
  const base = { resource: s.ref, blockers: [], prepare: [], gates: [], dataAtRisk: false, disks: [], snapshots: [], vms: [], destroyOptions: NO_DESTROY_OPTIONS, notes: [] };
  if (!s.exists || s.status === 'deleted') return { ...base, outcome: 'already-gone' };
  const rules = RULES[s.ref.kind];
  const action = rules.action(s);
  if (s.status === 'deleting') return { ...base, outcome: 'in-progress', action, notes: ['the provider is already deleting it: no call will be made'] };

  const vms = rules.vms?.(s) ?? [];
  const blockers = [
    ...commonBlockers(s, action, o),
    ...rules.blockers(s, action, o),
    ...vms.filter((v) => v.fate === 'blocking').map((v): Blocker => ({
      code: v.why.startsWith('created by') ? 'vm-owned-by-service' : 'vm-needs-unsubscription',
      message: `VM ${v.vm.id}${v.vm.name ? ` (${v.vm.name})` : ''}: ${v.why}`,
    })),
  ];
  const { disks, snapshots, destroyOptions } = rules.fates(s, o);
  const destroyed = (f: Fate) => f !== 'retained';
  const dataAtRisk = disks.some((d) => destroyed(d.fate)) || snapshots.some((x) => destroyed(x.fate)) || vms.some((v) => v.fate === 'drain');
  const gates: Gate[] = [];
  if (request.backup.required && dataAtRisk) gates.push('backup');
  if (s.tags[PROTECTION_TAG] === 'true' && o.overrideProtectionTag) gates.push('protection-override');

  const notes: string[] = [];
  const members = s.order?.members ?? [];
  if (action !== 'delete' && members.length > 1) notes.push(`${action} acts on the whole order ${s.order?.orderId}: ${members.join(', ')}`);
  if (vms.length > 0) notes.push('the backup confirmation of the host covers the VMs on it');

  return {
    ...base,
    outcome: blockers.length > 0 ? 'blocked' : 'proceed',
    action,
    blockers,
    prepare: blockers.length > 0 ? [] : rules.prepare(s, o),
    gates,
    dataAtRisk,
    disks,
    snapshots,
    vms,
    destroyOptions,
    notes,
  };
}

/**
 * Fail-closed re-check right before the destructive call: plan again on a fresh read and list every
 * difference that matters. Status changes that preparation causes (stopped, drained) do not count.
 */
export function planChanges(before: Plan, after: Plan): string[] {
  const changes: string[] = [];
  if (after.outcome === 'already-gone' || after.outcome === 'in-progress') return changes;
  if (after.action !== before.action) changes.push(`the action changed from ${before.action} to ${after.action}`);
  for (const b of after.blockers) changes.push(`now blocked: ${b.message}`);
  for (const step of after.prepare) changes.push(`preparation is incomplete: ${step.step}`);
  const fates = (p: Plan) => [
    ...p.disks.map((d) => `disk ${d.disk.id}: ${d.fate}`),
    ...p.snapshots.map((x) => `snapshot ${x.snapshot.id}: ${x.fate}`),
  ];
  const was = new Set(fates(before));
  const now = new Set(fates(after));
  for (const f of now) if (!was.has(f)) changes.push(`new or changed: ${f}`);
  for (const f of was) if (!now.has(f)) changes.push(`gone or changed: ${f}`);
  if (after.gates.includes('protection-override') && !before.gates.includes('protection-override')) changes.push('a protection tag appeared');
  return changes;
}
