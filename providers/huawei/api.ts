import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import type { RequestLimiter } from '../rate-limit';
import { admit } from '../send-fence';
import { $HuaweiEcs } from './ecs-sdk';
import { huaweiCall, pathId, type Answer, type HuaweiClients, type HuaweiCredentials } from './sdk';
import type {
  BssQueryWire,
  BssResourceWire,
  DedicatedHostListWire,
  DedicatedHostWire,
  DevServerWire,
  EcsJobWire,
  EcsServerWire,
  HostServersWire,
  HyperinstanceWire,
  ModelArtsPageWire,
} from './wire';

const pageQuery = (p: { limit: number; offset: number }) => ({ limit: String(p.limit), offset: String(p.offset) });

export type HuaweiService = 'modelarts' | 'ecs' | 'bms' | 'dcc' | 'bss' | 'evs';

/** Where a call goes: the region fills `{region}` of the endpoint template, the project signs it. */
export interface Scope {
  region: string;
  projectId: string;
}

/** Every Huawei API call the adapter makes, one method per API, each exactly one request. */
export class HuaweiApi {
  constructor(
    private readonly endpoints: Record<HuaweiService, string>,
    private readonly clients: HuaweiClients,
    private readonly credentials: HuaweiCredentials,
    private readonly limiter: RequestLimiter,
  ) {}

  // ModelArts (real API)

  getDevServer(s: Scope, id: string): Promise<Answer<DevServerWire>> {
    return this.send(s, 'modelarts', 'ShowDevServer', 'GET', '/v1/{project_id}/dev-servers/{id}', { id });
  }

  /** ListDevServers: `limit` (default 10) and `offset` (items skipped); answers `{ current, data, pages, size, total }`. */
  listDevServers(s: Scope, page: { limit: number; offset: number }): Promise<Answer<ModelArtsPageWire<DevServerWire>>> {
    return this.send(s, 'modelarts', 'ListDevServers', 'GET', '/v1/{project_id}/dev-servers', {}, undefined, pageQuery(page));
  }

  deleteDevServer(s: Scope, id: string): Promise<Answer<DevServerWire>> {
    return this.send(s, 'modelarts', 'DeleteDevServer', 'DELETE', '/v1/{project_id}/dev-servers/{id}', { id });
  }

  getHyperinstance(s: Scope, id: string): Promise<Answer<HyperinstanceWire>> {
    return this.send(s, 'modelarts', 'GetHyperinstance', 'GET', '/v1/{project_id}/dev-servers/hyperinstance/{id}', { id });
  }

  /** ListHyperinstances: the same paging as ListDevServers. */
  listHyperinstances(s: Scope, page: { limit: number; offset: number }): Promise<Answer<ModelArtsPageWire<HyperinstanceWire>>> {
    return this.send(s, 'modelarts', 'ListHyperinstances', 'GET', '/v1/{project_id}/dev-servers/hyperinstance', {}, undefined, pageQuery(page));
  }

  deleteHyperinstance(s: Scope, id: string): Promise<Answer<HyperinstanceWire>> {
    return this.send(s, 'modelarts', 'DeleteHyperinstance', 'DELETE', '/v1/{project_id}/dev-servers/hyperinstance/{id}', { id });
  }

  // ECS (official SDK)

  showServer(s: Scope, serverId: string): Promise<Answer<EcsServerWire>> {
    const ecs = this.clients.ecs(this.url('ecs', s), s.projectId);
    return this.call('ECS ShowServer', () => ecs.showServer(new $HuaweiEcs.ShowServerRequest().withServerId(pathId(serverId))));
  }

  /** BMS ShowBaremetalServer: the cloud server of a BMS- or HPS-backed node (ECS does not know it). */
  showBaremetalServer(s: Scope, serverId: string): Promise<Answer<EcsServerWire>> {
    return this.send(s, 'bms', 'BMS ShowBaremetalServer', 'GET', '/v1/{project_id}/baremetalservers/{id}', { id: serverId });
  }

  /**
   * ECS batch delete. `delete_publicip` / `delete_volume` are always sent explicitly so that the
   * request says what it does (see docs/huawei.md for why both are false for a DCC drain).
   */
  deleteServers(s: Scope, serverIds: string[], opts: { deletePublicip: boolean; deleteVolume: boolean }): Promise<Answer<{ job_id?: string }>> {
    const ecs = this.clients.ecs(this.url('ecs', s), s.projectId);
    const body = new $HuaweiEcs.DeleteServersRequestBody()
      .withServers(serverIds.map((id) => new $HuaweiEcs.ServerId().withId(id)))
      .withDeletePublicip(opts.deletePublicip)
      .withDeleteVolume(opts.deleteVolume);
    return this.call('ECS DeleteServers', () => ecs.deleteServers(new $HuaweiEcs.DeleteServersRequest().withBody(body)));
  }

  showJob(s: Scope, jobId: string): Promise<Answer<EcsJobWire>> {
    const ecs = this.clients.ecs(this.url('ecs', s), s.projectId);
    return this.call('ECS ShowJob', () => ecs.showJob(new $HuaweiEcs.ShowJobRequest().withJobId(pathId(jobId))));
  }

  // EVS (real API)

  deleteVolume(s: Scope, volumeId: string): Promise<Answer<{ job_id?: string }>> {
    return this.send(s, 'evs', 'EVS DeleteVolume', 'DELETE', '/v2/{project_id}/cloudvolumes/{id}', { id: volumeId });
  }

  /** EVS ShowVolume: a disk's status (available, in-use, deleting, error_deleting…); 404 once deleted. */
  showVolume(s: Scope, volumeId: string): Promise<Answer<{ volume?: { id?: string; status?: string } }>> {
    return this.send(s, 'evs', 'EVS ShowVolume', 'GET', '/v2/{project_id}/cloudvolumes/{id}', { id: volumeId });
  }

  /** EVS ShowSnapshot: a snapshot's status (available, deleting, error_deleting…); 404 once deleted. */
  showSnapshot(s: Scope, snapshotId: string): Promise<Answer<{ snapshot?: { id?: string; status?: string; volume_id?: string } }>> {
    return this.send(s, 'evs', 'EVS ShowSnapshot', 'GET', '/v2/{project_id}/cloudsnapshots/{id}', { id: snapshotId });
  }

  listSnapshots(s: Scope, volumeId: string): Promise<Answer<{ snapshots?: { id?: string; volume_id?: string; name?: string }[] }>> {
    return this.send(s, 'evs', 'EVS ListSnapshots', 'GET', '/v2/{project_id}/cloudsnapshots', {}, undefined, { volume_id: volumeId });
  }

  deleteSnapshot(s: Scope, snapshotId: string): Promise<Answer<Record<string, unknown>>> {
    return this.send(s, 'evs', 'EVS DeleteSnapshot', 'DELETE', '/v2/{project_id}/cloudsnapshots/{id}', { id: snapshotId });
  }

  // DeH, the model of DCC hosts

  getHost(s: Scope, hostId: string): Promise<Answer<DedicatedHostWire>> {
    return this.send(s, 'dcc', 'ShowDedicatedHost', 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}', { id: hostId });
  }

  /** DeH ListDedicatedHosts: `limit` and `marker` (the last host ID of the previous page); answers `{ total, dedicated_hosts }`. */
  listHosts(s: Scope, page: { limit: number; marker?: string }): Promise<Answer<DedicatedHostListWire>> {
    const query: Record<string, string> = { limit: String(page.limit), ...(page.marker ? { marker: page.marker } : {}) };
    return this.send(s, 'dcc', 'ListDedicatedHosts', 'GET', '/v1.0/{project_id}/dedicated-hosts', {}, undefined, query);
  }

  getHostServers(s: Scope, hostId: string): Promise<Answer<HostServersWire>> {
    return this.send(s, 'dcc', 'ListServersDedicatedHost', 'GET', '/v1.0/{project_id}/dedicated-hosts/{id}/servers', { id: hostId });
  }

  // BSS, the global Billing Center (real API, except `release`, which is modelled)

  queryResources(body: {
    resource_ids?: string[];
    order_id?: string;
    only_main_resource?: 0 | 1;
    offset?: number;
    limit?: number;
  }): Promise<Answer<BssQueryWire>> {
    // The real path is spelled "suscriptions".
    return this.sendGlobal('BSS ListPayPerUseCustomerResources', '/v2/orders/suscriptions/resources/query', body);
  }

  unsubscribe(resourceIds: string[], reason: string): Promise<Answer<{ order_ids?: string[] }>> {
    return this.sendGlobal('BSS CancelResourcesSubscription', '/v2/orders/subscriptions/resources/unsubscribe', {
      resource_ids: resourceIds,
      unsubscribe_type: 1, // the resource and its renewals
      unsubscribe_reason_type: 5, // "other"; the text says why
      unsubscribe_reason: reason,
    });
  }

  release(resourceIds: string[]): Promise<Answer<{ order_ids?: string[] }>> {
    return this.sendGlobal('BSS ReleaseResources (modelled)', '/v2/orders/subscriptions/resources/release', { resource_ids: resourceIds });
  }

  /**
   * BSS ShowCustomerAccountBalances (real API): balances and `debt_amount`. No public read says "frozen";
   * arrears are the nearest sign of an account freeze (docs/huawei.md).
   */
  accountBalances(): Promise<Answer<{ debt_amount?: number; currency?: string; account_balances?: { account_type?: number; amount?: number }[] }>> {
    return this.sendGlobal('BSS ShowCustomerAccountBalances', '/v2/accounts/customer-accounts/balances', undefined, 'GET');
  }

  /** BSS ListCustomerOrders (real API), filtered by status (5 = pending payment). */
  listCustomerOrders(q: {
    status?: number;
    offset: number;
    limit: number;
  }): Promise<Answer<{ total_count?: number; order_infos?: { order_id?: string; status?: number }[] }>> {
    const query: Record<string, string> = { offset: String(q.offset), limit: String(q.limit) };
    if (q.status !== undefined) query.status = String(q.status);
    return this.sendGlobal('BSS ListCustomerOrders', '/v2/orders/customer-orders', undefined, 'GET', query);
  }

  /** Every record the query matches, page by page (reads only). */
  async queryAllResources(filter: { resource_ids?: string[]; order_id?: string }): Promise<BssResourceWire[]> {
    const limit = 100;
    const out: BssResourceWire[] = [];
    for (let offset = 0; ; offset += limit) {
      const { body } = await this.queryResources({ ...filter, only_main_resource: 0, offset, limit });
      const page = Array.isArray(body.data) ? body.data : [];
      out.push(...page);
      if (page.length < limit || out.length >= (body.total_count ?? 0)) return out;
    }
  }

  private url(service: HuaweiService, s: { region: string }): string {
    return this.endpoints[service].replaceAll('{region}', s.region);
  }

  private send<T>(
    s: Scope,
    service: HuaweiService,
    what: string,
    method: string,
    url: string,
    ids: Record<string, string>,
    data?: Record<string, unknown>,
    queryParams: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const client = this.clients.project(this.url(service, s), s.projectId);
    return this.sendWith<T>(client, what, method, url, ids, data, queryParams);
  }

  private sendGlobal<T>(
    what: string,
    url: string,
    data: Record<string, unknown> | undefined,
    method = 'POST',
    queryParams: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const client = this.clients.global(this.url('bss', { region: '' }));
    return this.sendWith<T>(client, what, method, url, {}, data, queryParams, true);
  }

  private sendWith<T>(
    client: HcClient,
    what: string,
    method: string,
    url: string,
    ids: Record<string, string>,
    data: Record<string, unknown> | undefined,
    queryParams: Record<string, string>,
    businessErrorIn200 = false,
  ): Promise<Answer<T>> {
    const pathParams = Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, pathId(v)]));
    return this.call<T>(
      what,
      () => client.sendRequest({ method, url, pathParams, queryParams, headers: {}, contentType: 'application/json', data }),
      businessErrorIn200,
    );
  }

  /** Every request of the adapter: one token of the request limit and the send fence (a refusal is not sent), then the SDK call. */
  private async call<T>(what: string, send: () => Promise<unknown>, businessErrorIn200 = false): Promise<Answer<T>> {
    await admit(this.limiter);
    return huaweiCall<T>(what, this.credentials, send, businessErrorIn200);
  }
}
