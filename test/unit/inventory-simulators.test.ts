import * as $Ecs from '@alicloud/ecs20140526';
import { createRequire } from 'node:module';
import { ListServersDetailsRequest } from '@huaweicloud/huaweicloud-sdk-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEcsClient } from '../../providers/alibaba/client';
import { attempt, ecsClient, projectClient, send } from '../../simulators/huawei/sdk-clients';
import { startSimulators, type RunningSimulators } from '../../simulators/runtime';

// The simulators answer the real list APIs to clients other than the adapters: each official SDK's own list
// call, used the way another program would, gets every item; an unknown path or action is "no such API".

const HW = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };
const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';

interface BaiduSdk {
  listInstances(o: { maxKeys?: number; marker?: string }): Promise<{ body: { instances: { id: string }[]; isTruncated: boolean; nextMarker: string } }>;
}
const bce = createRequire(__filename)('@baiducloud/sdk') as { BccClient: new (c: { endpoint: string; credentials: { ak: string; sk: string } }) => BaiduSdk };

let sims: RunningSimulators;
beforeAll(async () => {
  sims = await startSimulators();
});
afterAll(() => sims.close());
beforeEach(() => sims.reset());

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('alibaba DescribeInstances', () => {
  const ecs = (region: string) =>
    createEcsClient({ endpoint: sims.endpoints.alibaba, region, accessKeyId: 'sim-alibaba-ak', accessKeySecret: 'sim-alibaba-sk', timeoutMs: 3000 });

  it('a NextToken loop until it is empty gets every instance once, in each region', async () => {
    for (const [region, total] of [
      ['cn-shanghai', 12],
      ['cn-hangzhou', 13],
    ] as const) {
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const body = (await ecs(region).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: region, nextToken }))).body!;
        seen.push(...(body.instances?.instance ?? []).map((i) => i.instanceId!));
        nextToken = body.nextToken || undefined;
      } while (nextToken);
      expect(new Set(seen).size).toBe(total);
      expect(seen).toHaveLength(total);
    }
  });

  it('PageNumber / PageSize with TotalCount, and Tag.N filters', async () => {
    const page = (pageNumber: number) =>
      ecs('cn-shanghai')
        .describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-shanghai', pageNumber, pageSize: 5 }))
        .then((r) => r.body!);
    const pages = await Promise.all([1, 2, 3].map(page));
    expect(pages.map((p) => p.instances?.instance?.length)).toEqual([5, 5, 2]);
    expect(pages.every((p) => p.totalCount === 12)).toBe(true);
    const tagged = await ecs('cn-shanghai').describeInstances(
      new $Ecs.DescribeInstancesRequest({ regionId: 'cn-shanghai', tag: [new $Ecs.DescribeInstancesRequestTag({ key: 'owner', value: 'data-team' })] }),
    );
    expect(tagged.body!.instances!.instance!.map((i) => i.instanceId).sort()).toEqual(['i-uf6fleetactive10', 'i-uf6fleetexpired01', 'i-uf6fleetexpired02']);
  });

  it('an unknown path answers InvalidAction.NotFound (404), whatever its signature', async () => {
    const res = await get(`${sims.endpoints.alibaba}/v2/instances`);
    expect(res).toMatchObject({
      status: 404,
      body: { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found, please check your url and method.' },
    });
  });
});

describe('baidu BCC lists', () => {
  it("the SDK's listInstances with marker / maxKeys gets every instance once", async () => {
    const client = new bce.BccClient({ endpoint: sims.endpoints.baidu, credentials: { ak: 'sim-baidu-ak-0001', sk: 'sim-baidu-sk-0001-not-a-real-secret' } });
    const seen: string[] = [];
    let marker: string | undefined;
    for (let n = 0; n < 20; n++) {
      const { body } = await client.listInstances({ maxKeys: 5, ...(marker ? { marker } : {}) });
      seen.push(...body.instances.map((i) => i.id));
      if (!body.isTruncated) break;
      marker = body.nextMarker;
    }
    expect(new Set(seen).size).toBe(18);
    expect(seen).toHaveLength(18);
  });

  it('an unknown path answers InvalidURI, an unknown version InvalidVersion: never NoSuchObject', async () => {
    expect(await get(`${sims.endpoints.baidu}/v2/instances/detail`)).toMatchObject({ status: 400, body: { code: 'InvalidURI' } });
    expect(await get(`${sims.endpoints.baidu}/v9/instance`)).toMatchObject({ status: 404, body: { code: 'InvalidVersion' } });
  });
});

describe('huawei list APIs', () => {
  const client = () => projectClient(sims.endpoints.huawei, HW, PROJECT);
  type Page = { data: { id: string }[]; total: number; current: number; pages: number; size: number };

  it('ECS ListServersDetails (the SDK) pages by page number, and servers/detail is never ShowServer("detail")', async () => {
    const ecs = ecsClient(sims.endpoints.huawei, HW, PROJECT);
    const seen: string[] = [];
    let count = 0;
    for (let offset = 1; offset < 50; offset++) {
      const r = (await ecs.listServersDetails(new ListServersDetailsRequest().withLimit(10).withOffset(offset))) as unknown as {
        count: number;
        servers: { id: string }[];
      };
      count = r.count;
      seen.push(...r.servers.map((s) => s.id));
      if (r.servers.length < 10) break;
    }
    expect(count).toBe(30);
    expect(new Set(seen).size).toBe(30);
    const tagged = (await ecs.listServersDetails(new ListServersDetailsRequest().withTags('owner=ml-team'))) as unknown as {
      servers: { id: string; tags: string[] }[];
    };
    expect(tagged.servers.map((s) => s.id).sort()).toEqual(['e0000021-0000-4000-8000-000000000021', 'e0000022-0000-4000-8000-000000000022']);
    expect(sims.ctx.calls.list({ provider: 'huawei', action: 'ShowServer' })).toHaveLength(0);
  });

  it('ModelArts ListDevServers and ListHyperinstances page with limit / offset and say the total', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 10) {
      const page = await send<Page>(client(), 'GET', '/v1/{project_id}/dev-servers', {}, undefined, { limit: '10', offset: String(offset) });
      expect(page).toMatchObject({ total: 22, size: 10, pages: 3, current: offset / 10 + 1 });
      seen.push(...page.data.map((d) => d.id));
      if (offset + page.data.length >= page.total) break;
    }
    expect(new Set(seen).size).toBe(22);
    const hypers = await send<Page>(client(), 'GET', '/v1/{project_id}/dev-servers/hyperinstance');
    expect(hypers.total).toBe(3);
    expect(sims.ctx.calls.list({ provider: 'huawei', action: 'ShowDevServer' })).toHaveLength(0);
  });

  it('DeH ListDedicatedHosts pages by marker; EVS volumes and snapshots by marker or offset, with count', async () => {
    const hosts: string[] = [];
    let marker: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await send<{ total: number; dedicated_hosts: { dedicated_host_id: string }[] }>(
        client(),
        'GET',
        '/v1.0/{project_id}/dedicated-hosts',
        {},
        undefined,
        {
          limit: '4',
          ...(marker ? { marker } : {}),
        },
      );
      expect(page.total).toBe(9);
      hosts.push(...page.dedicated_hosts.map((h) => h.dedicated_host_id));
      if (page.dedicated_hosts.length < 4) break;
      marker = page.dedicated_hosts[page.dedicated_hosts.length - 1].dedicated_host_id;
    }
    expect(new Set(hosts).size).toBe(9);

    const first = await send<{ count: number; volumes: { id: string }[]; volumes_links?: { rel: string }[] }>(
      client(),
      'GET',
      '/v2/{project_id}/cloudvolumes/detail',
      {},
      undefined,
      { limit: '20' },
    );
    expect(first.volumes).toHaveLength(20);
    expect(first.volumes_links?.[0]?.rel).toBe('next');
    const second = await send<{ count: number; volumes: { id: string }[] }>(client(), 'GET', '/v2/{project_id}/cloudvolumes/detail', {}, undefined, {
      limit: '1000',
      marker: first.volumes[19].id,
    });
    const third = await send<{ volumes: { id: string }[] }>(client(), 'GET', '/v2/{project_id}/cloudvolumes/detail', {}, undefined, { offset: '20' });
    expect(second.volumes.map((v) => v.id)).toEqual(third.volumes.map((v) => v.id));
    expect(first.count).toBe(20 + second.volumes.length);
    const snaps = await send<{ count: number; snapshots: unknown[] }>(client(), 'GET', '/v2/{project_id}/cloudsnapshots/detail', {}, undefined, { limit: '3' });
    expect(snaps).toMatchObject({ count: 7 });
    expect(snaps.snapshots).toHaveLength(3);
    expect(sims.ctx.calls.list({ provider: 'huawei', action: 'ShowVolume' })).toHaveLength(0);
  });

  it('an unknown path answers the gateway APIGW.0101 (404), not a resource-not-found', async () => {
    const r = await attempt(send(client(), 'GET', '/v1/{project_id}/dev-servers/hyperinstance/x/nothing'));
    expect(r).toMatchObject({ ok: false, error: { httpStatusCode: 404, errorCode: 'APIGW.0101' } });
    expect(await get(`${sims.endpoints.huawei}/v3/${PROJECT}/cloudservers/detail`)).toMatchObject({ status: 404, body: { error_code: 'APIGW.0101' } });
  });
});
