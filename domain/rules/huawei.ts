// Huawei ModelArts Lite Server (seeds 000, 002) and DCC hosts (seed 001).
// Every refusal the provider's own call would make and that a read can reveal is a blocker here, so that a
// dry run shows it and nothing is deleted first (a DCC host's drain is the point of no return).
import type { Blocker, PlannedDisk, PlannedSnapshot, PlannedVm } from '../plan';
import type { ReleaseAction, ResourceSnapshot } from '../resource';
import { NO_DESTROY_OPTIONS, leftover, snapshotsFollowing, type KindRules, type Options } from './kind-rules';

/**
 * What the Billing Center would refuse for an unsubscribe or release: a frozen account (unsubscribe
 * only: release is the remedy for frozen resources, and BSS accepts it), an order pending payment, and a
 * call that would take (or insist on naming) another primary resource: a solution portfolio.
 */
function billingBlockers(s: ResourceSnapshot, action: ReleaseAction): Blocker[] {
  if (action === 'delete') return [];
  const out: Blocker[] = [];
  if (s.accountFrozen && action === 'unsubscribe') {
    out.push({
      code: 'account-frozen',
      message:
        s.accountFrozen.reason === 'unknown'
          ? `the account's state could not be read (${s.accountFrozen.detail ?? 'no detail'}): a frozen account cannot unsubscribe, so nothing is done until it can be checked`
          : `the account is frozen (${s.accountFrozen.detail ?? s.accountFrozen.reason}): the Billing Center refuses every unsubscription (CBC.7281); settle the arrears first`,
    });
  }
  if (s.pendingPayment) {
    out.push({
      code: 'pending-payment',
      message: `${s.pendingPayment}: the Billing Center refuses to ${action} it (CBC.99003100); pay or cancel that order first`,
    });
  }
  const others = s.order?.otherPrimaries ?? [];
  if (others.length > 0) {
    out.push({
      code: 'order-member',
      message: `the Billing Center ${action}s ${s.ref.resourceId} only together with ${others.join(', ')} (one solution portfolio, order ${s.order?.orderId}): release them together by hand, or not at all`,
    });
  }
  return out;
}

/** A snapshot of a disk the provider deletes: EVS keeps it (cascade=false); for a DevServer/ECS/order deletion unverified, modelled the same. */
const snapshotRule =
  (o: Options) =>
  (_snap: unknown, diskFate: PlannedDisk['fate'] | undefined): { fate: PlannedSnapshot['fate']; why: string } | undefined =>
    diskFate === 'deleted'
      ? leftover(
          o.retainedSnapshots,
          'snapshot kept by the provider although its disk is deleted (EVS deletes with cascade=false; unverified for server deletions, see docs/huawei.md)',
        )
      : undefined;

/** Supernode delete (providers.md): pay-per-use and running, or in ERROR (or a failed creation, seed 000). */
const supernodeDeletable = (s: ResourceSnapshot) =>
  (s.charging.mode === 'pay-per-use' && s.status === 'running') || s.status === 'error' || s.status === 'create-failed';

/** Lite Server: delete, unsubscribe or release of a frozen resource. */
export function liteServer(kind: 'node' | 'supernode' | 'rack'): KindRules {
  return {
    action: (s) => {
      // Seed 000: a frozen yearly/monthly resource can only be released, whatever its status (even ERROR).
      if (s.charging.mode === 'subscription' && s.frozen) return 'release';
      if (kind !== 'rack' && (s.charging.mode === 'pay-per-use' || s.status === 'create-failed' || s.status === 'error')) return 'delete';
      return s.frozen ? 'release' : 'unsubscribe';
    },
    blockers: (s, action) => {
      const out: Blocker[] = [];
      if (kind === 'node' && s.memberOf?.kind === 'modelarts-supernode') {
        out.push({
          code: 'supernode-member',
          message: `a member server of supernode ${s.memberOf.id ?? '(unknown ID)'}: it cannot be deleted, unsubscribed or released alone; release the supernode`,
        });
      }
      const others = (s.order?.members ?? []).filter((m) => m !== s.ref.resourceId && m !== s.order?.billingResourceId);
      if (kind === 'node' && action !== 'delete' && others.length > 0 && !s.memberOf) {
        out.push({
          code: 'order-member',
          message: `unsubscribe and release act on the whole order ${s.order?.orderId}, which also holds ${others.join(', ')}: release the rack or supernode instead`,
        });
      }
      if (kind === 'supernode' && action === 'delete' && !supernodeDeletable(s)) {
        out.push({
          code: 'state-not-allowed',
          message: `a supernode can be deleted only when pay-per-use and running, or in ERROR; it is ${s.charging.mode} and ${s.rawStatus}: wait until it is running again`,
        });
      }
      return [...out, ...billingBlockers(s, action)];
    },
    prepare: () => [],
    fates: (s, o) => {
      const creationDisksGo = s.charging.mode === 'subscription' || kind !== 'node';
      const on = (d: { attachedTo?: string }) => (d.attachedTo ? ` (member ${d.attachedTo})` : '');
      const disks = s.disks.map((disk): PlannedDisk => {
        if (disk.role === 'system') return { disk, fate: 'deleted', why: `the system disk goes with the server${on(disk)}` };
        if (disk.origin === 'attached-later') return { disk, ...leftover(o.retainedDataDisks, `data disks attached after creation are kept${on(disk)}`) };
        if (creationDisksGo)
          return { disk, fate: 'deleted', why: `data disks chosen at creation are deleted with a yearly/monthly server, a rack or a supernode${on(disk)}` };
        return { disk, ...leftover(o.retainedDataDisks, 'a pay-per-use ECS/BMS keeps the data disks chosen at creation') };
      });
      return { disks, snapshots: snapshotsFollowing(s, disks, o, snapshotRule(o)), destroyOptions: NO_DESTROY_OPTIONS };
    },
  };
}

const hostVms = (s: ResourceSnapshot): PlannedVm[] =>
  (s.vms ?? []).map((vm): PlannedVm => {
    if (vm.service !== 'ECS') return { vm, fate: 'blocking', why: `created by ${vm.service}: remove it through ${vm.service} first` };
    if (vm.chargingMode === 'subscription') return { vm, fate: 'blocking', why: 'a yearly/monthly VM needs its own unsubscription first' };
    return { vm, fate: 'drain', why: 'pay-per-use ECS VM: deleted by the drain' };
  });

/** DCC host: every VM must be gone first; VMs deletable through ECS are drained. */
export const dccHost: Readonly<KindRules> = {
  action: () => 'unsubscribe',
  blockers: (s, action) => billingBlockers(s, action),
  vms: hostVms,
  prepare: (s) => {
    const vmIds = hostVms(s)
      .filter((v) => v.fate === 'drain')
      .map((v) => v.vm.id);
    return vmIds.length > 0 ? [{ step: 'drain', vmIds }] : [];
  },
  fates: (s, o) => {
    // The drain deletes VMs with delete_volume=false: the system disk goes with its VM, data disks are detached and kept.
    const drained = new Set(
      hostVms(s)
        .filter((v) => v.fate === 'drain')
        .map((v) => v.vm.id),
    );
    const disks = s.disks.map((disk): PlannedDisk => {
      const vm = disk.attachedTo;
      if (!vm) return { disk, ...leftover(o.retainedDataDisks, 'kept') };
      if (!drained.has(vm)) return { disk, fate: 'retained', why: `VM ${vm} is not drained: its disks are not touched` };
      if (disk.role === 'system') return { disk, fate: 'deleted', why: `the system disk of VM ${vm} goes with it in the drain` };
      return { disk, ...leftover(o.retainedDataDisks, `data disk of VM ${vm}: detached and kept by the drain (delete_volume false)`) };
    });
    return { disks, snapshots: snapshotsFollowing(s, disks, o, snapshotRule(o)), destroyOptions: NO_DESTROY_OPTIONS };
  },
};
