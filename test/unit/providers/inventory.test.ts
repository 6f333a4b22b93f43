import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryItem, InventoryQuery } from '../../../domain/inventory';
import { ProviderError, type ProviderAdapter } from '../../../providers/adapter';
import { createAlibabaAdapter } from '../../../providers/alibaba';
import { createBaiduAdapter } from '../../../providers/baidu';
import { createHuaweiAdapter } from '../../../providers/huawei';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const HUAWEI_PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';

let sims: RunningSimulators;
let alibaba: ProviderAdapter;
let baidu: ProviderAdapter;
let huawei: ProviderAdapter;

beforeAll(async () => {
  sims = await startSimulators();
  alibaba = createAlibabaAdapter({ endpoint: sims.endpoints.alibaba, credentials: { accessKeyId: 'sim-alibaba-ak', secretAccessKey: 'sim-alibaba-sk' } });
  baidu = createBaiduAdapter({
    endpoint: sims.endpoints.baidu,
    credentials: { accessKeyId: 'sim-baidu-ak-0001', secretAccessKey: 'sim-baidu-sk-0001-not-a-real-secret' },
  });
  const url = sims.endpoints.huawei;
  huawei = createHuaweiAdapter({
    endpoints: { modelarts: url, ecs: url, dcc: url, bss: url },
    credentials: {
      accessKeyId: 'HWSIMAKDEFAULT000001',
      secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001',
      domainId: '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c',
    },
  });
});
afterAll(() => sims.close());
beforeEach(() => sims.reset());

/** Every page until there is no next token; also the number of pages. */
async function everything(adapter: ProviderAdapter, query: InventoryQuery): Promise<{ items: InventoryItem[]; pages: number }> {
  const items: InventoryItem[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.inventory({ ...query, ...(pageToken ? { pageToken } : {}) });
    // The token crosses activity boundaries: it must survive JSON and stay small.
    expect(JSON.parse(JSON.stringify(page))).toEqual(page);
    if (page.nextPageToken) expect(page.nextPageToken.length).toBeLessThan(200);
    items.push(...page.items);
    pageToken = page.nextPageToken;
    pages++;
  } while (pageToken && pages < 100);
  return { items, pages };
}

const ids = (items: InventoryItem[]) => items.map((i) => i.resourceId);
const unique = (xs: string[]) => new Set(xs).size === xs.length;

async function providerError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('alibaba inventory', () => {
  it('pages through more instances than one page (MaxResults / NextToken), each once, with the fields policies need', async () => {
    const { items, pages } = await everything(alibaba, { region: 'cn-shanghai', pageSize: 10 });
    expect(items).toHaveLength(12);
    expect(pages).toBe(2);
    expect(unique(ids(items))).toBe(true);
    expect(items.find((i) => i.resourceId === 'i-uf6fleetexpired01')).toMatchObject({
      provider: 'alibaba',
      kind: 'ecs-instance',
      region: 'cn-shanghai',
      name: 'fleet-subscription-expired',
      status: 'stopped',
      rawStatus: 'Stopped',
      chargingMode: 'subscription',
      expired: true,
      owner: 'data-team',
      tags: { owner: 'data-team', env: 'prod' },
    });
    expect(items.find((i) => i.resourceId === 'i-uf6fleetexpired01')?.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(items.find((i) => i.resourceId === 'i-uf6fleetpaygo11')).toMatchObject({ chargingMode: 'pay-per-use', expired: false });
    // Tag keys and values exactly as the provider gives them.
    expect(items.find((i) => i.resourceId === 'i-uf6fleetprotect08')?.tags).toEqual({ Release_Protection: 'yes', owner: 'finance' });
  });

  it('filters by tag through DescribeInstances Tag.N (key only, and key with value)', async () => {
    const withDate = await everything(alibaba, { region: 'cn-shanghai', tags: [{ key: 'decommission-date' }] });
    expect(ids(withDate.items).sort()).toEqual(['i-uf6fleetdecom04', 'i-uf6fleetdecom05', 'i-uf6fleetdecom06', 'i-uf6fleetkeep09', 'i-uf6fleetprotect07']);
    const mlTeam = await everything(alibaba, { region: 'cn-shanghai', tags: [{ key: 'owner', value: 'ml-team' }, { key: 'decommission-date' }] });
    expect(ids(mlTeam.items).sort()).toEqual(['i-uf6fleetdecom04', 'i-uf6fleetdecom06', 'i-uf6fleetprotect07']);
    const calls = sims.ctx.calls.list({ provider: 'alibaba', action: 'DescribeInstances' });
    expect(calls.length).toBeGreaterThan(0);
  });

  it('refuses a kind it does not release and a token it did not issue, as final errors', async () => {
    expect(await providerError(alibaba.inventory({ region: 'cn-hangzhou', kinds: ['bcc-instance'] }))).toMatchObject({
      code: 'UnsupportedKind',
      errorClass: 'final',
    });
    expect(await providerError(alibaba.inventory({ region: 'cn-hangzhou', pageToken: 'not-a-token' }))).toMatchObject({
      code: 'InvalidPageToken',
      errorClass: 'final',
    });
  });
});

describe('baidu inventory', () => {
  it('pages the instance list (marker / maxKeys), then the recycle bin, each instance once', async () => {
    const { items, pages } = await everything(baidu, { region: 'bj', pageSize: 4 });
    const all = ids(items);
    expect(unique(all)).toBe(true);
    expect(all).toHaveLength(18);
    expect(pages).toBeGreaterThan(4);
    expect(
      items
        .filter((i) => i.status === 'recycled')
        .map((i) => i.resourceId)
        .sort(),
    ).toEqual(['i-recy0008', 'i-recy0011', 'i-recy0012']);
    expect(items.find((i) => i.resourceId === 'i-flt00016')).toMatchObject({
      chargingMode: 'subscription',
      expiresAt: '2025-01-31T16:00:00.000Z',
      expired: true,
      owner: 'data-team',
      rawStatus: 'Expired',
      createdAt: '2024-06-01T08:00:00.000Z',
    });
    expect(items.find((i) => i.resourceId === 'i-flt00020')).toMatchObject({ chargingMode: 'subscription', expired: false });
  });

  it('applies tag conditions to every page (BCC lists have no tag filter)', async () => {
    const { items } = await everything(baidu, { region: 'bj', pageSize: 5, tags: [{ key: 'owner', value: 'ml-team' }] });
    expect(ids(items).sort()).toEqual(['i-flt00017', 'i-flt00018', 'i-post0001']);
  });
});

describe('huawei inventory', () => {
  const query = (q: Partial<InventoryQuery> = {}): InventoryQuery => ({ region: 'cn-southwest-2', projectId: HUAWEI_PROJECT, ...q });

  it('lists nodes (ListDevServers, several pages), supernodes, racks and DCC hosts, with billing expiry and server tags', async () => {
    const { items } = await everything(huawei, query({ pageSize: 5 }));
    expect(unique(items.map((i) => `${i.kind}/${i.resourceId}`))).toBe(true);
    const byKind = (kind: string) => items.filter((i) => i.kind === kind).map((i) => i.resourceId);
    // Members of racks (SPOD) and supernodes (HPS) are released with them: not listed as nodes.
    expect(byKind('modelarts-node')).not.toContain('d0000006-0000-4000-8000-000000000006');
    expect(byKind('modelarts-node')).not.toContain('d0000008-0000-4000-8000-000000000008');
    expect(byKind('modelarts-node').length).toBeGreaterThan(5);
    expect(byKind('modelarts-supernode').sort()).toEqual([
      'c0000001-0000-4000-8000-000000000001',
      'c0000002-0000-4000-8000-000000000002',
      'c0000003-0000-4000-8000-000000000003',
    ]);
    expect(byKind('modelarts-rack').sort()).toEqual(['a0000001-0000-4000-8000-000000000001', 'a0000002-0000-4000-8000-000000000002']);
    expect(byKind('dcc-host')).toHaveLength(9);
    expect(items.find((i) => i.resourceId === 'd0000020-0000-4000-8000-000000000020')).toMatchObject({
      kind: 'modelarts-node',
      projectId: HUAWEI_PROJECT,
      chargingMode: 'subscription',
      expiresAt: '2025-10-31T16:00:00.000Z',
      expired: true,
      owner: 'data-team',
    });
    expect(items.find((i) => i.resourceId === 'd0000022-0000-4000-8000-000000000022')).toMatchObject({
      chargingMode: 'pay-per-use',
      tags: { owner: 'ml-team', 'decommission-date': '2025-03-01', 'release-protection': 'true' },
    });
    expect(items.find((i) => i.kind === 'dcc-host')).toMatchObject({ chargingMode: 'subscription', expiresAt: '2026-12-31T16:00:00.000Z' });
    expect(sims.ctx.calls.list({ provider: 'huawei', action: 'ListDevServers' }).length).toBeGreaterThan(1);
  });

  it('lists only the kinds asked for, in that order, and filters by tag', async () => {
    const hosts = await everything(huawei, query({ kinds: ['dcc-host'], pageSize: 4 }));
    expect(hosts.items.every((i) => i.kind === 'dcc-host')).toBe(true);
    expect(hosts.items).toHaveLength(9);
    expect(hosts.pages).toBe(3);
    expect(sims.ctx.calls.list({ provider: 'huawei', action: 'ListDevServers' })).toHaveLength(0);
    const tagged = await everything(huawei, query({ kinds: ['modelarts-node'], tags: [{ key: 'decommission-date' }] }));
    expect(ids(tagged.items).sort()).toEqual(['d0000021-0000-4000-8000-000000000021', 'd0000022-0000-4000-8000-000000000022']);
  });

  it('needs the project', async () => {
    expect(await providerError(huawei.inventory({ region: 'cn-southwest-2' }))).toMatchObject({ code: 'InvalidParameter', errorClass: 'final' });
  });
});
