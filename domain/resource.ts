// Provider-neutral description of a cloud resource, as the release needs it.
// Pure types only: imported by workflows, activities, adapters and the planner alike.

export const PROVIDERS = ['huawei', 'alibaba', 'baidu'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Every kind of resource the orchestrator can release, with the provider that owns it. */
export const RESOURCE_KINDS = {
  /** Huawei ModelArts Lite Server node (a DevServer backed by an ECS or BMS). */
  'modelarts-node': 'huawei',
  /** Huawei ModelArts Lite Server supernode (hyperinstance). */
  'modelarts-supernode': 'huawei',
  /** Huawei ModelArts Lite Server rack (cabinet): a whole order of nodes. */
  'modelarts-rack': 'huawei',
  /** Huawei Dedicated Computing Cluster physical host. */
  'dcc-host': 'huawei',
  /** Alibaba Cloud ECS instance. */
  'ecs-instance': 'alibaba',
  /** Baidu AI Cloud BCC instance. */
  'bcc-instance': 'baidu',
} as const satisfies Record<string, Provider>;
export type ResourceKind = keyof typeof RESOURCE_KINDS;

/** Identifies one resource. `projectId` is required by Huawei APIs and ignored elsewhere. */
export interface ResourceRef {
  provider: Provider;
  kind: ResourceKind;
  region: string;
  projectId?: string;
  resourceId: string;
}

/** The three destructive calls a release can make. */
export type ReleaseAction =
  /** The provider's delete/release API (Alibaba DeleteInstance, Baidu release, Huawei DevServer delete). */
  | 'delete'
  /** Huawei Billing Center unsubscription of a yearly/monthly resource (whole order). */
  | 'unsubscribe'
  /** Huawei release of a frozen yearly/monthly resource (grace or frozen period; whole order). */
  | 'release';

export type NormalizedStatus =
  'creating' | 'create-failed' | 'running' | 'starting' | 'stopping' | 'stopped' | 'deleting' | 'delete-failed' | 'deleted' | 'error' | 'recycled' | 'other';

export type ChargingMode = 'pay-per-use' | 'subscription';

export interface Charging {
  mode: ChargingMode;
  /** ISO-8601 expiry of a subscription; absent for pay-per-use. */
  expiresAt?: string;
  /** The subscription has expired (computed by the adapter from the provider's own view). */
  expired: boolean;
}

export interface Disk {
  id: string;
  role: 'system' | 'data';
  /** Created together with the resource (chosen on its creation page) or attached later. */
  origin: 'with-resource' | 'attached-later';
  sizeGb?: number;
  chargingMode?: ChargingMode;
  /** Alibaba: DeleteWithInstance. */
  deleteWithInstance?: boolean;
  /** Alibaba: DeleteAutoSnapshot (automatic snapshots go with the disk). */
  deleteAutoSnapshot?: boolean;
  /** The server it belongs to when that is not the released resource itself (a drained VM, a rack's member node). */
  attachedTo?: string;
}

export interface Snapshot {
  id: string;
  sourceDiskId: string;
  type: 'auto' | 'manual';
}

export interface Lock {
  /** e.g. "security", "financial", "frozen". */
  reason: string;
  detail?: string;
}

/** A VM on a DCC host. */
export interface HostVm {
  id: string;
  name?: string;
  /** The service that created it: ECS, or a managed service (RDS, MRS, CCE, …). */
  service: string;
  chargingMode: ChargingMode;
  status: string;
}

/** The order a Huawei Lite Server resource belongs to: unsubscribe and release act on it whole. */
export interface OrderInfo {
  orderId: string;
  /** The billing resource ID (differs from the ECS/BMS ID shown on the console). */
  billingResourceId: string;
  /** Resource IDs of every member of the order (the resource itself included). */
  members: string[];
  /**
   * Huawei: primary resources other than this one that the provider's call would take with it or insists
   * on being named with it (a solution product portfolio goes only as a whole). Absent or empty: none.
   */
  otherPrimaries?: string[];
}

/** What `inspect` returns: everything the planner needs, and nothing secret. */
export interface ResourceSnapshot {
  ref: ResourceRef;
  /** false once the provider answers "not found" or reports it deleted. */
  exists: boolean;
  /**
   * Why it does not exist: the provider reports it deleted (a status, a closed subscription), or it does not
   * know the ID at all (404, not listed), which is also what a typo looks like.
   */
  absence?: Absence;
  status: NormalizedStatus;
  /** The provider's own status string, kept for the audit. */
  rawStatus: string;
  name?: string;
  /** Server type behind a ModelArts node (ECS, BMS, HPS); absent elsewhere. */
  serverType?: string;
  charging: Charging;
  /** Frozen resource or account (Huawei), with the reason. */
  frozen?: Lock;
  /**
   * Huawei: the account itself is frozen or in arrears (Billing Center), or its state could not be read
   * (`reason: 'unknown'`); unsubscription is refused then. Read only for kinds that go through the Billing Center.
   */
  accountFrozen?: Lock;
  /** Huawei: the order has an order pending payment: the Billing Center refuses to unsubscribe (CBC.99003100). */
  pendingPayment?: string;
  /** Huawei: this node is a member server of a supernode (or rack) and cannot be released alone: act on that. */
  memberOf?: { kind: ResourceKind; id?: string };
  locks: Lock[];
  deletionProtection: boolean;
  tags: Record<string, string>;
  disks: Disk[];
  snapshots: Snapshot[];
  order?: OrderInfo;
  /** DCC host only: the VMs on it. */
  vms?: HostVm[];
  /** When the snapshot was read (ISO-8601). */
  readAt: string;
}

export type Absence = 'reported-deleted' | 'unknown-id';

/** What `inspect` says of a resource the provider no longer knows (or reports deleted). */
export function goneSnapshot(ref: ResourceRef, absence: Absence, rawStatus: string, readAt: string): ResourceSnapshot {
  return {
    ref,
    exists: false,
    absence,
    status: 'deleted',
    rawStatus,
    charging: { mode: 'pay-per-use', expired: false },
    locks: [],
    deletionProtection: false,
    tags: {},
    disks: [],
    snapshots: [],
    readAt,
  };
}

/** Normalised progress of a resource after the destructive call. */
export type GoneState = 'present' | 'deleting' | 'gone' | 'failed';

export interface ResourceStatus {
  state: GoneState;
  rawStatus: string;
  detail?: string;
}

/** What a provider said when it accepted a destructive or cleanup call. */
export interface CallReceipt {
  requestId?: string;
  /** Provider IDs for follow-up (Huawei order IDs, ECS job ID). */
  references?: string[];
  /** true when the provider said the resource was already gone / already unsubscribed. */
  alreadyDone: boolean;
}

/** Options for the destructive call that change what the provider removes with the resource. */
export interface DestroyOptions {
  /** Baidu relatedReleaseFlag / Alibaba: release postpaid data disks with the instance. */
  releaseDataDisks: boolean;
  /** Baidu deleteCdsSnapshotFlag: also delete snapshots of released data disks. */
  releaseSnapshots: boolean;
  /** Alibaba: Force (release a Running instance without stopping first). Never set by default. */
  force: boolean;
  /**
   * An idempotency token for the destructive call, where the provider accepts one (Alibaba: ClientToken of
   * DeleteInstances). The same token within the provider's window has no second effect.
   */
  idempotencyToken?: string;
  /** Baidu: the instance is in the recycle bin; release it from there (DELETE /v2/recycle/instance/{id}). */
  fromRecycleBin?: boolean;
}

/** An ECS delete job (Huawei) and its sub-jobs, one per server. */
export interface VmDeleteJob {
  jobId: string;
  status: 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL';
  subJobs: { serverId: string; status: 'INIT' | 'RUNNING' | 'SUCCESS' | 'FAIL'; failReason?: string }[];
  failReason?: string;
}
