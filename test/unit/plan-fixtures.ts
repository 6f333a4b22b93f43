// Builders shared by the rule tables: a request's options, an inspected resource, its disks, snapshots and VMs.
import { isGone, planRelease, type ExistingPlan } from '../../domain/plan';
import type { ValidRequest } from '../../domain/request';
import { RESOURCE_KINDS, type Disk, type HostVm, type ResourceKind, type ResourceSnapshot, type Snapshot } from '../../domain/resource';

export type PlanRequest = Pick<ValidRequest, 'options' | 'backup'>;

export const options = (o: Partial<ValidRequest['options']> = {}): PlanRequest => ({
  options: { stopIfRunning: false, retainedDataDisks: 'keep', retainedSnapshots: 'keep', overrideProtectionTag: false, ...o },
  backup: { required: true, confirmWithinMs: 60_000 },
});

/** A resource of `kind` as an inspection reports it: stopped, pay-per-use, unprotected, with nothing attached. */
export function snap(kind: ResourceKind, s: Partial<ResourceSnapshot> = {}): ResourceSnapshot {
  return {
    ref: { provider: RESOURCE_KINDS[kind], kind, region: 'r', ...(RESOURCE_KINDS[kind] === 'huawei' ? { projectId: 'p' } : {}), resourceId: 'res-1' },
    exists: true,
    status: 'stopped',
    rawStatus: 'Stopped',
    charging: { mode: 'pay-per-use', expired: false },
    locks: [],
    deletionProtection: false,
    tags: {},
    disks: [],
    snapshots: [],
    readAt: '2026-01-01T00:00:00Z',
    ...s,
  };
}

export const disk = (id: string, d: Partial<Disk> = {}): Disk => ({ id, role: 'data', origin: 'with-resource', ...d });
export const snapshot = (id: string, sourceDiskId: string, type: Snapshot['type']): Snapshot => ({ id, sourceDiskId, type });
export const vm = (id: string, v: Partial<HostVm> = {}): HostVm => ({ id, service: 'ECS', chargingMode: 'pay-per-use', status: 'ACTIVE', ...v });

/** The plan of a resource that exists (every rule table is about one). */
export function existingPlan(s: ResourceSnapshot, request: PlanRequest = options()): ExistingPlan {
  const plan = planRelease(s, request);
  if (isGone(plan)) throw new Error(`expected a resource that exists, got ${plan.outcome}`);
  return plan;
}

export const codes = (p: ExistingPlan) => p.blockers.map((b) => b.code);
export const diskFates = (p: ExistingPlan) => Object.fromEntries(p.disks.map((d) => [d.disk.id, d.fate]));
export const snapFates = (p: ExistingPlan) => Object.fromEntries(p.snapshots.map((s) => [s.snapshot.id, s.fate]));
