// The JSON the Huawei APIs answer (snake_case, as on the wire: the Node SDK returns plain JSON,
// not its model classes). Only the fields the adapter reads; every field optional, checked on use.

/** ModelArts DevServer (GET/DELETE /v1/{project_id}/dev-servers/{id}). */
export interface DevServerWire {
  id?: string;
  name?: string;
  status?: string;
  flavor?: string;
  charging_mode?: string; // COMMON | POST_PAID | PRE_PAID
  order_id?: string;
  category?: string; // SPOD | SERVER | HPS
  cloud_server?: { id?: string; type?: string };
  volumes?: { size?: number; type?: string; evs_id?: string }[];
  create_at?: number;
  update_at?: number;
}

/** A ModelArts list page (ListDevServers, ListHyperinstances). */
export interface ModelArtsPageWire<T> {
  current?: number;
  data?: T[];
  pages?: number;
  size?: number;
  total?: number;
}

/** ModelArts Lite Server supernode (GET /v1/{project_id}/dev-servers/hyperinstance/{id}). */
export interface HyperinstanceWire {
  id?: string;
  name?: string;
  status?: string; // PROVISIONING | ACTIVE | ERROR | REIMAGING | TERMINATING | TERMINATED
  order_id?: string;
  charging_mode?: string;
  servers?: DevServerWire[];
  volumes?: DevServerWire['volumes'];
  create_at?: number;
}

/** ECS ShowServer (GET /v1/{project_id}/cloudservers/{server_id}). */
export interface EcsServerWire {
  server?: {
    id?: string;
    name?: string;
    status?: string;
    'OS-EXT-STS:task_state'?: string | null;
    metadata?: Record<string, string>;
    tags?: string[];
    'os-extended-volumes:volumes_attached'?: { id?: string; bootIndex?: string; delete_on_termination?: string | boolean }[];
  };
}

/** ECS ShowJob (GET /v1/{project_id}/jobs/{job_id}). */
export interface EcsJobWire {
  job_id?: string;
  job_type?: string;
  status?: string;
  fail_reason?: string;
  error_code?: string;
  entities?: {
    sub_jobs_total?: number;
    sub_jobs?: { status?: string; job_id?: string; fail_reason?: string; error_code?: string; entities?: { server_id?: string } }[];
  };
}

/** BSS resource record (POST /v2/orders/suscriptions/resources/query). */
export interface BssResourceWire {
  id?: string;
  resource_id?: string;
  resource_name?: string;
  region_code?: string;
  service_type_code?: string;
  resource_type_code?: string;
  status?: number; // 2 in use, 3 closed, 4 frozen, 5 expired
  expire_time?: string;
  effective_time?: string;
  project_id?: string;
  order_id?: string;
  is_main_resource?: number;
  main_resource_id?: string;
  parent_resource_id?: string;
  expire_policy?: number;
  /** Modelled: the solution product portfolio the resource was bought in (goes only as a whole). */
  portfolio_id?: string;
}

export interface BssQueryWire {
  total_count?: number;
  data?: BssResourceWire[];
}

/** DeH host (GET /v1.0/{project_id}/dedicated-hosts/{host_id}): the model of a DCC host. */
export interface DedicatedHostWire {
  dedicated_host?: {
    dedicated_host_id?: string;
    name?: string;
    state?: string; // available | fault | released
    host_type?: string;
    instance_total?: number;
    allocated_at?: string;
    tags?: { key?: string; value?: string }[];
  };
}

/** DeH ListDedicatedHosts (GET /v1.0/{project_id}/dedicated-hosts). */
export interface DedicatedHostListWire {
  total?: number;
  dedicated_hosts?: NonNullable<DedicatedHostWire['dedicated_host']>[];
}

/** DeH host servers (GET /v1.0/{project_id}/dedicated-hosts/{host_id}/servers). */
export interface HostServersWire {
  servers?: { id?: string; name?: string; status?: string; metadata?: Record<string, string> }[];
}
