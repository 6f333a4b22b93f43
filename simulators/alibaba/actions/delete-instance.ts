import { aliFail } from '../errors';
import { isExpired, isSecurityLocked, type AlibabaState, type InstanceState } from '../state';
import { dryRunPassed, findInstance, instanceIdParam, type ActionHandler } from './common';

/**
 * DeleteInstance, with the seed's preconditions checked in this order:
 * Pending → security lock (unless Force) → deletion protection → charge type → Stopped (unless Force)
 * → route entry / SLB dependency → DryRun. Accepted: the instance disappears after timing.deleteMs,
 * and only then are its disks and snapshots released or kept (see `release`).
 */
export const deleteInstance: ActionHandler = (p, env) => {
  const id = instanceIdParam(p);
  const force = p.bool('Force') ?? false;
  p.bool('ForceStop');
  const terminateSubscription = p.bool('TerminateSubscription') ?? false;
  const dryRun = p.bool('DryRun') ?? false;
  const inst = findInstance(env, id);

  // A repeat of an accepted release changes nothing and is not refused.
  if (inst.releasing) return dryRun ? dryRunPassed() : {};

  if (inst.status === 'Pending') aliFail('IncorrectInstanceStatus.Initializing');
  // Releasing a locked instance also releases the disks its owner chose to keep, so it takes Force.
  if (isSecurityLocked(inst) && !force) aliFail('InstanceLockedForSecurity');
  if (inst.deletionProtection) aliFail('InvalidOperation.DeletionProtection', `The operation is not allowed due to "${inst.id}" is protected by deletion protection.`);
  if (inst.chargeType === 'PrePaid') {
    if (!isExpired(inst, env.now())) aliFail('ChargeTypeViolation');
    if (!terminateSubscription) {
      aliFail('ChargeTypeViolation', 'The operation is not permitted due to charge type of the instance. Set TerminateSubscription to true to release an expired subscription instance.');
    }
  }
  if (inst.status !== 'Stopped' && !force) aliFail('IncorrectInstanceStatus');
  if (inst.routeEntry) aliFail('DependencyViolation.RouteEntry');
  if (inst.slbConfiguring) aliFail('DependencyViolation.SLBConfiguring');
  if (dryRun) dryRunPassed();

  inst.releasing = true;
  if (inst.status !== 'Stopped') inst.status = 'Stopping';
  env.timeline.after(env.state.timing.deleteMs, inst.id, () => release(env.state, inst, env.now()));
  return {};
};

/**
 * The seed's retention rules: attached disks with DeleteWithInstance=true are released, the others are
 * detached and kept (Available, converted to pay-as-you-go); under a security lock every attached disk is
 * released. A released disk takes its automatic snapshots when DeleteAutoSnapshot=true; manual ones stay.
 */
function release(state: AlibabaState, inst: InstanceState, now: number): void {
  if (state.instances.get(inst.id) !== inst) return;
  const locked = isSecurityLocked(inst);
  for (const disk of state.disksOf(inst.id)) {
    if (locked || disk.deleteWithInstance) {
      state.releaseDisk(disk);
    } else {
      disk.instanceId = null;
      disk.status = 'Available';
      disk.device = '';
      disk.detachedAt = now;
      disk.chargeType = 'PostPaid';
    }
  }
  state.instances.delete(inst.id);
}
