import { aliFail, invalidParameter } from '../errors';
import { renderInstance, renderInstanceAttribute } from '../render';
import { isSecurityLocked } from '../state';
import { dryRunPassed, findInstance, instanceIdParam, matchesWildcard, tokenPage, type ActionHandler } from './common';

export const describeInstances: ActionHandler = (p, env) => {
  const region = p.required('RegionId');
  const ids = p.jsonIds('InstanceIds', 'InvalidInstanceIds.Malformed');
  const status = p.str('Status');
  const chargeType = p.str('InstanceChargeType');
  const name = p.str('InstanceName');
  const lockReason = p.str('LockReason');
  const zone = p.str('ZoneId');
  const tags = p.tags();
  const matching = (ids ? env.state.byIds(env.state.instances, ids) : [...env.state.instances.values()]).filter(
    (i) =>
      i.region === region &&
      (!ids || ids.includes(i.id)) &&
      (!status || i.status === status) &&
      (!chargeType || i.chargeType === chargeType) &&
      (!name || matchesWildcard(name, i.name)) &&
      (!lockReason || i.locks.some((l) => l.reason === lockReason)) &&
      (!zone || i.zone === zone) &&
      tags.every((t) => t.key in i.tags && (t.value === undefined || i.tags[t.key] === t.value)),
  );
  const { slice, ...paging } = tokenPage(p, matching);
  return { Instances: { Instance: slice.map(renderInstance) }, ...paging };
};

export const describeInstanceAttribute: ActionHandler = (p, env) => renderInstanceAttribute(findInstance(env, instanceIdParam(p)));

/** Running → Stopping → Stopped after timing.stopMs (a "stuck" fault on the instance holds it in Stopping). */
export const stopInstance: ActionHandler = (p, env) => {
  const id = instanceIdParam(p);
  const dryRun = p.bool('DryRun') ?? false;
  p.bool('ForceStop');
  p.bool('ConfirmStop');
  p.bool('Hibernate');
  const mode = p.str('StoppedMode') ?? 'KeepCharging';
  if (mode !== 'KeepCharging' && mode !== 'StopCharging') invalidParameter('StoppedMode');
  const inst = findInstance(env, id);
  if (inst.releasing) aliFail('IncorrectInstanceStatus');
  if (isSecurityLocked(inst)) aliFail('InstanceLockedForSecurity');
  if (inst.status === 'Pending') aliFail('IncorrectInstanceStatus.Initializing');
  if (inst.status !== 'Running') aliFail('IncorrectInstanceStatus');
  if (dryRun) dryRunPassed();

  inst.status = 'Stopping';
  env.timeline.after(env.state.timing.stopMs, inst.id, () => {
    const current = env.state.instances.get(inst.id);
    if (current !== inst || inst.status !== 'Stopping') return;
    inst.status = 'Stopped';
    // StopCharging (no charge while stopped) applies to pay-as-you-go instances only.
    inst.stoppedMode = inst.chargeType === 'PostPaid' ? mode : 'Not-applicable';
  });
  return {};
};

export const modifyInstanceAttribute: ActionHandler = (p, env) => {
  const inst = findInstance(env, instanceIdParam(p));
  const protection = p.bool('DeletionProtection');
  const name = p.str('InstanceName');
  const description = p.str('Description');
  if (isSecurityLocked(inst)) aliFail('InstanceLockedForSecurity');
  if (protection !== undefined) inst.deletionProtection = protection;
  if (name !== undefined) inst.name = name;
  if (description !== undefined) inst.description = description;
  return {};
};
