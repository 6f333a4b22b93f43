// The release rules of every provider, as one pure and deterministic function: what action a release
// takes, what blocks it, and the fate of every disk, snapshot and VM. The seeds are the spec; the workflow
// and the dry run both call planRelease(); the per-kind rules live in domain/rules/, and
// test/unit/plan.test.ts tables every rule.
import type { ValidRequest } from './request';
import type { DestroyOptions, Disk, HostVm, ReleaseAction, ResourceKind, ResourceRef, ResourceSnapshot, Snapshot } from './resource';
import { alibabaEcs } from './rules/alibaba';
import { baiduBcc } from './rules/baidu';
import { dccHost, liteServer } from './rules/huawei';
import type { KindRules } from './rules/kind-rules';
import { commonBlockers, protectionTagged } from './rules/protection';

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
  | 'vm-owned-by-service'
  /** Huawei: the account is frozen or in arrears (or its state is unknown): the Billing Center refuses unsubscription. */
  | 'account-frozen'
  /** Huawei: an order pending payment: the Billing Center refuses unsubscription (CBC.99003100). */
  | 'pending-payment'
  /** Huawei: the provider's delete is not allowed in this status (e.g. a supernode neither running pay-per-use nor in ERROR). */
  | 'state-not-allowed'
  /** Huawei: a supernode's member server: act on the supernode. */
  | 'supernode-member';

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

/** A plan for a resource that exists: its action, and the fate of everything that goes or stays with it. */
interface AssessedPlan {
  resource: ResourceRef;
  action: ReleaseAction;
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

export type Plan =
  /** Go ahead: prepare, then `action`. */
  | (AssessedPlan & { outcome: 'proceed'; blockers: []; prepare: PrepareStep[] })
  /** At least one blocker: nothing will be changed. */
  | (AssessedPlan & { outcome: 'blocked'; blockers: [Blocker, ...Blocker[]]; prepare: [] })
  /** The provider is already deleting it: wait for it to be gone, make no call. */
  | (AssessedPlan & { outcome: 'in-progress'; blockers: []; prepare: [] })
  /**
   * Nothing to release. `already-gone`: the provider reports it deleted. `not-found`: the provider does not
   * know the ID at all, which is what a typo looks like too: never reported as a release.
   */
  | GonePlan;

interface GoneBase {
  resource: ResourceRef;
  rawStatus: string;
  notes: string[];
}
export type GonePlan = (GoneBase & { outcome: 'already-gone' }) | (GoneBase & { outcome: 'not-found' });

export type ExistingPlan = Exclude<Plan, GonePlan>;

export const isGone = (p: Plan): p is GonePlan => p.outcome === 'already-gone' || p.outcome === 'not-found';

const RULES: Readonly<Record<ResourceKind, KindRules>> = {
  'ecs-instance': alibabaEcs,
  'bcc-instance': baiduBcc,
  'modelarts-node': liteServer('node'),
  'modelarts-supernode': liteServer('supernode'),
  'modelarts-rack': liteServer('rack'),
  'dcc-host': dccHost,
};

/** Plan the release of one resource from a fresh inspection. Pure: same inputs, same plan. */
export function planRelease(s: ResourceSnapshot, request: Pick<ValidRequest, 'options' | 'backup'>): Plan {
  const o = request.options;
  if (!s.exists || s.status === 'deleted') {
    return s.absence === 'unknown-id'
      ? {
          resource: s.ref,
          outcome: 'not-found',
          rawStatus: s.rawStatus,
          notes: [`the provider does not know ${s.ref.resourceId} in ${s.ref.region}${s.ref.projectId ? ` (project ${s.ref.projectId})` : ''}`],
        }
      : { resource: s.ref, outcome: 'already-gone', rawStatus: s.rawStatus, notes: [`the provider reports it ${s.rawStatus}`] };
  }
  const rules = RULES[s.ref.kind];
  const action = rules.action(s);
  const vms = rules.vms?.(s) ?? [];
  const { disks, snapshots, destroyOptions } = rules.fates(s, o, action);
  const destroyed = (f: Fate) => f !== 'retained';
  const dataAtRisk = disks.some((d) => destroyed(d.fate)) || snapshots.some((x) => destroyed(x.fate)) || vms.some((v) => v.fate === 'drain');
  const gates: Gate[] = [];
  if (request.backup.required && dataAtRisk) gates.push('backup');
  if (protectionTagged(s) && o.overrideProtectionTag) gates.push('protection-override');

  const notes: string[] = [];
  const members = s.order?.members ?? [];
  if (action !== 'delete' && members.length > 1) notes.push(`${action} acts on the whole order ${s.order?.orderId}: ${members.join(', ')}`);
  if (vms.length > 0) notes.push('the backup confirmation of the host covers the VMs on it');
  const assessed = { resource: s.ref, action, gates, dataAtRisk, disks, snapshots, vms, destroyOptions, notes };

  if (s.status === 'deleting') {
    return { ...assessed, outcome: 'in-progress', blockers: [], prepare: [], notes: [...notes, 'the provider is already deleting it: no call will be made'] };
  }
  const blockers = [
    ...commonBlockers(s, action, o),
    ...rules.blockers(s, action, o),
    ...vms
      .filter((v) => v.fate === 'blocking')
      .map((v): Blocker => ({
        code: v.why.startsWith('created by') ? 'vm-owned-by-service' : 'vm-needs-unsubscription',
        message: `VM ${v.vm.id}${v.vm.name ? ` (${v.vm.name})` : ''}: ${v.why}`,
      })),
  ];
  const [first, ...rest] = blockers;
  if (first) return { ...assessed, outcome: 'blocked', blockers: [first, ...rest], prepare: [] };
  return { ...assessed, outcome: 'proceed', blockers: [], prepare: rules.prepare(s, o) };
}

/** How fresh an inspect must be for the destructive call to follow it without a re-read (workflow time from its start). */
export const FRESH_INSPECT_MS = 30_000;

/**
 * Whether the destructive call needs a re-read first. Only when nothing could have changed since the plan's inspect:
 * no gate (a person's wait), no prepare step (a stop, a drain), and the inspect is fresh, which only a stalled
 * workflow (workers down) or a slow, retried read makes it not.
 */
export function needsRecheck(plan: Pick<ExistingPlan, 'gates' | 'prepare'>, inspectStartedAtMs: number, nowMs: number): boolean {
  return plan.gates.length > 0 || plan.prepare.length > 0 || !(nowMs - inspectStartedAtMs < FRESH_INSPECT_MS);
}

/**
 * Fail-closed re-check right before the destructive call: plan again on a fresh read and list every
 * difference that matters. Status changes that preparation causes (stopped, drained) do not count.
 */
export function planChanges(before: ExistingPlan, after: Plan): string[] {
  if (isGone(after)) return [`the resource is no longer there (${after.rawStatus}) although nothing was released yet`];
  if (after.outcome === 'in-progress') return [];
  const changes: string[] = [];
  if (after.action !== before.action) changes.push(`the action changed from ${before.action} to ${after.action}`);
  for (const b of after.blockers) changes.push(`now blocked: ${b.message}`);
  for (const step of after.prepare) changes.push(`preparation is incomplete: ${step.step}`);
  // The drain took its VMs' disks off the host (system disks deleted, data disks detached): not a change.
  const drained = new Set(before.prepare.flatMap((step) => (step.step === 'drain' ? step.vmIds : [])));
  const drainedDisks = new Set(before.disks.filter((d) => d.disk.attachedTo && drained.has(d.disk.attachedTo)).map((d) => d.disk.id));
  const fates = (p: ExistingPlan) => [
    ...p.disks.filter((d) => !drainedDisks.has(d.disk.id)).map((d) => `disk ${d.disk.id}: ${d.fate}`),
    ...p.snapshots.filter((x) => !drainedDisks.has(x.snapshot.sourceDiskId)).map((x) => `snapshot ${x.snapshot.id}: ${x.fate}`),
  ];
  const was = new Set(fates(before));
  const now = new Set(fates(after));
  for (const f of now) if (!was.has(f)) changes.push(`new or changed: ${f}`);
  for (const f of was) if (!now.has(f)) changes.push(`gone or changed: ${f}`);
  if (after.gates.includes('protection-override') && !before.gates.includes('protection-override')) changes.push('a protection tag appeared');
  return changes;
}
