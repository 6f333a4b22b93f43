/**
 * The `huawei` section of a simulator fixture (see docs/huawei-simulator.md). Objects carry the real
 * API's field names; simulator-only knobs live under `sim` and are never returned by the API.
 */

export interface AccessKeyFixture {
  accessKeyId: string;
  secretAccessKey: string;
  domainId: string;
  projectIds: string[];
}

/** Durations of the asynchronous transitions, in milliseconds. */
export interface HuaweiTiming {
  /** DevServer DELETING → DELETED / DELETE_FAILED; supernode TERMINATING → TERMINATED. */
  deleteMs: number;
  /** DELETED / TERMINATED / released objects answer 404 after this further delay. */
  goneAfterMs: number;
  /** Unsubscribed or released order: members closed (deleted) after this delay. */
  orderCloseMs: number;
  /** ECS job INIT → RUNNING. */
  jobStartMs: number;
  /** ECS sub-job RUNNING → SUCCESS | FAIL (per server); EVS disk deletion. */
  serverDeleteMs: number;
}

export const DEFAULT_TIMING: HuaweiTiming = { deleteMs: 300, goneAfterMs: 300, orderCloseMs: 300, jobStartMs: 100, serverDeleteMs: 300 };

export type ChargingMode = 'COMMON' | 'POST_PAID' | 'PRE_PAID';

export interface DevServerVolume {
  size: number;
  type: 'ROOT' | 'DATA';
  evs_type?: string;
  evs_id: string;
}

export interface DevServer {
  id: string;
  name: string;
  status: string;
  flavor: string;
  charging_mode: ChargingMode;
  order_id?: string;
  category: 'SPOD' | 'SERVER' | 'HPS';
  cloud_server?: { id: string; type: 'BMS' | 'ECS' | 'HPS' };
  volumes: DevServerVolume[];
  create_at: number;
  update_at: number;
  vpc_id?: string;
  subnet_id?: string;
  image?: Record<string, unknown>;
  server_hps?: Record<string, unknown>;
  /** `failDelete`: the delete is accepted, then ends DELETE_FAILED. */
  sim?: { failDelete?: boolean };
}

/** A ModelArts supernode (hyperinstance). Its servers are DevServers of category HPS. */
export interface Hyperinstance {
  id: string;
  name: string;
  status: 'PROVISIONING' | 'ACTIVE' | 'ERROR' | 'REIMAGING' | 'TERMINATING' | 'TERMINATED';
  order_id?: string;
  hps_id?: string;
  hps_cluster_id?: string;
  create_at: number;
  update_at: number;
  server_ids: string[];
}

/** A BSS yearly/monthly resource (OrderInstanceV2 fields) plus the order it belongs to. */
export interface BillingResource {
  id: string;
  resource_id: string;
  resource_name: string;
  region_code: string;
  service_type_code: string;
  resource_type_code: string;
  resource_spec_code?: string;
  project_id: string;
  /** 1 = primary resource of the order, 0 = attached / child resource. */
  is_main_resource: 0 | 1;
  parent_resource_id?: string;
  main_resource_id?: string;
  order_id: string;
  /** 2 in use, 3 closed, 4 frozen, 5 expired (grace period). */
  status: 2 | 3 | 4 | 5;
  effective_time: string;
  expire_time: string;
  expire_policy: number;
  update_time?: string;
  /**
   * MODELLED: the solution product portfolio the resource was bought in. A portfolio is unsubscribed only
   * as a whole (seed 001): a request must name every primary resource of it, or BSS refuses (CBC.0100).
   */
  portfolio_id?: string;
  /** `pendingPayment` marks the whole order pending payment (CBC.99003100, listed by ListCustomerOrders status 5). */
  sim?: { pendingPayment?: boolean; transactionInProgress?: boolean };
}

/** A Dedicated Host (DeH shape), standing for a DCC physical host. */
export interface Host {
  dedicated_host_id: string;
  name: string;
  state: 'available' | 'fault' | 'released';
  host_type: string;
  availability_zone: string;
  allocated_at: string;
  released_at?: string;
  host_properties?: Record<string, unknown>;
  available_vcpus?: number;
  available_memory?: number;
  tags?: { key: string; value: string }[];
}

/** An ECS (or BMS) server: a DCC host's VM or a ModelArts node's cloud server. */
export interface Server {
  id: string;
  name: string;
  status: string;
  flavor: { id: string; name?: string; vcpus?: string; ram?: string };
  metadata: Record<string, string>;
  /** ECS tags as the API lists them, "key=value" strings. */
  tags?: string[];
  created: string;
  updated: string;
  /** `hostId`: the dedicated host it runs on; `type`: BMS servers are also served by the BMS API. */
  sim?: { hostId?: string; type?: 'ECS' | 'BMS' };
}

export interface Volume {
  id: string;
  name: string;
  size: number;
  volume_type: string;
  status: string;
  bootable: 'true' | 'false';
  attachments: { server_id: string; device: string; attached_at?: string }[];
  created_at: string;
  metadata?: Record<string, string>;
}

export interface Snapshot {
  id: string;
  name: string;
  volume_id: string;
  size: number;
  status: string;
  created_at: string;
}

export interface HuaweiFixture {
  region?: string;
  /** The project that owns every regional resource below (default: the first access key's first project). */
  projectId?: string;
  accessKeys?: AccessKeyFixture[];
  /**
   * `frozen`: unsubscribe answers CBC.7281, and ShowCustomerAccountBalances reports a debt (`debtAmount`,
   * default 1280.5 when frozen, 0 otherwise): the read that reveals the freeze before anything is deleted.
   */
  account?: { frozen?: boolean; debtAmount?: number };
  timing?: Partial<HuaweiTiming>;
  devServers?: DevServer[];
  hyperinstances?: Hyperinstance[];
  billing?: { resources?: BillingResource[] };
  hosts?: Host[];
  servers?: Server[];
  volumes?: Volume[];
  snapshots?: Snapshot[];
}
