import { aliFail, failMissing, invalidParameter } from '../errors';
import type { Params } from '../params';
import { isExpired, isSecurityLocked, type AlibabaState, type InstanceState } from '../state';
import { dryRunPassed, findInstance, instanceIdParam, type ActionHandler, type ApiEnv } from './common';

interface DeleteFlags {
  force: boolean;
  terminateSubscription: boolean;
}

/**
 * The seed's preconditions, in this order: Pending → security lock (unless Force) → deletion protection →
 * charge type → Stopped (unless Force) → route entry / SLB dependency. Throws the first that fails.
 */
function checkReleasable(inst: InstanceState, f: DeleteFlags, env: ApiEnv): void {
  if (inst.status === 'Pending') aliFail('IncorrectInstanceStatus.Initializing');
  // Releasing a locked instance also releases the disks its owner chose to keep, so it takes Force.
  if (isSecurityLocked(inst) && !f.force) aliFail('InstanceLockedForSecurity');
  if (inst.deletionProtection)
    aliFail('InvalidOperation.DeletionProtection', `The operation is not allowed due to "${inst.id}" is protected by deletion protection.`);
  if (inst.chargeType === 'PrePaid') {
    if (!isExpired(inst, env.now())) aliFail('ChargeTypeViolation');
    if (!f.terminateSubscription) {
      aliFail(
        'ChargeTypeViolation',
        'The operation is not permitted due to charge type of the instance. Set TerminateSubscription to true to release an expired subscription instance.',
      );
    }
  }
  if (inst.status !== 'Stopped' && !f.force) aliFail('IncorrectInstanceStatus');
  if (inst.routeEntry) aliFail('DependencyViolation.RouteEntry');
  if (inst.slbConfiguring) aliFail('DependencyViolation.SLBConfiguring');
}

/** Accepted: the instance disappears after timing.deleteMs, and only then are its disks and snapshots handled. */
function accept(inst: InstanceState, env: ApiEnv): void {
  inst.releasing = true;
  if (inst.status !== 'Stopped') inst.status = 'Stopping';
  env.timeline.after(env.state.timing.deleteMs, inst.id, () => release(env.state, inst, env.now()));
}

/**
 * DeleteInstance (seed 003): no ClientToken (neither the API reference nor the SDK model has one).
 * Accepted: the instance disappears after timing.deleteMs (see `release`).
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
  checkReleasable(inst, { force, terminateSubscription }, env);
  if (dryRun) dryRunPassed();
  accept(inst, env);
  return {};
};

const INSTANCE_ID = /^i-[A-Za-z0-9]{1,62}$/;
const CLIENT_TOKEN = /^[\x20-\x7e]{1,64}$/;

/** What a ClientToken is bound to: the same token with other parameters is IdempotentParameterMismatch. */
function fingerprint(p: Params, region: string, ids: string[]): string {
  return JSON.stringify([region, ids, p.bool('Force') ?? false, p.bool('ForceStop') ?? true, p.bool('TerminateSubscription') ?? false]);
}

/**
 * DeleteInstances (InstanceId.N, 1–100, RegionId, Force, ForceStop, TerminateSubscription, DryRun, ClientToken):
 * the same preconditions and retention as DeleteInstance for every instance. **Choice:** all or nothing (every
 * instance is checked before any is released). A ClientToken seen within `timing.clientTokenMs` with the same
 * parameters answers the first call's RequestId and changes nothing; with other parameters
 * IdempotentParameterMismatch. Only accepted calls record their token.
 */
export const deleteInstances: ActionHandler = (p, env) => {
  const region = p.required('RegionId');
  const ids = p.repeatList('InstanceId');
  if (ids.length === 0) failMissing('InstanceId');
  if (ids.length > 100 || ids.some((id) => !INSTANCE_ID.test(id))) invalidParameter('InstanceId');
  const force = p.bool('Force') ?? false;
  p.bool('ForceStop');
  const terminateSubscription = p.bool('TerminateSubscription') ?? false;
  const dryRun = p.bool('DryRun') ?? false;
  const token = p.str('ClientToken');
  if (token !== undefined && !CLIENT_TOKEN.test(token)) invalidParameter('ClientToken');

  const print = fingerprint(p, region, ids);
  if (token !== undefined && !dryRun) {
    const seen = env.state.clientToken(token, env.now());
    if (seen && seen.fingerprint !== print) aliFail('IdempotentParameterMismatch');
    if (seen) return { RequestId: seen.requestId };
  }

  const instances = ids.map((id) => {
    const inst = env.state.instances.get(id);
    return inst && inst.region === region ? inst : aliFail('InvalidInstanceId.NotFound', `The specified InstanceId ${id} does not exist.`);
  });
  for (const inst of instances) if (!inst.releasing) checkReleasable(inst, { force, terminateSubscription }, env);
  if (dryRun) aliFail('DRYRUN.SUCCESS');
  for (const inst of instances) if (!inst.releasing) accept(inst, env);
  if (token !== undefined) env.state.rememberClientToken(token, print, env.requestId ?? '', env.now());
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
      state.detachDisk(disk, now);
    }
  }
  state.deleteInstance(inst);
}
