import type Ecs from '@alicloud/ecs20140526';
import type { DescribeInstancesResponseBodyInstancesInstance } from '@alicloud/ecs20140526';
import { $Ecs } from './sdk';
import { ownerOf, type InventoryItem, type InventoryPage, type InventoryQuery } from '../../domain/inventory';
import { pageAcrossKinds } from '../inventory-paging';
import type { RequestLimiter } from '../rate-limit';
import { sdkCall } from './errors';
import * as map from './mapping';

/** DescribeInstances takes at most 20 tag conditions and pages by 100 at most. */
const MAX_TAGS = 20;
const MAX_RESULTS = 100;

function item(region: string, i: DescribeInstancesResponseBodyInstancesInstance, now: number): InventoryItem {
  const charging = map.charging(i, now);
  const tags = map.tags(i);
  const created = i.creationTime ? Date.parse(i.creationTime) : NaN;
  const owner = ownerOf(tags);
  return {
    provider: 'alibaba',
    kind: 'ecs-instance',
    region,
    resourceId: i.instanceId ?? '',
    ...(i.instanceName ? { name: i.instanceName } : {}),
    status: map.normalizeStatus(i.status),
    rawStatus: i.status ?? '',
    chargingMode: charging.mode,
    ...(charging.expiresAt ? { expiresAt: charging.expiresAt } : {}),
    expired: charging.expired,
    tags,
    ...(owner !== undefined ? { owner } : {}),
    ...(Number.isNaN(created) ? {} : { createdAt: new Date(created).toISOString() }),
  };
}

/**
 * ECS instances through DescribeInstances with MaxResults + NextToken (the paging Alibaba recommends) and
 * the query's tag conditions as Tag.N.Key / Tag.N.Value (ECS matches them all); more than 20 conditions are
 * sent as the first 20 and the rest applied to the page.
 */
export function alibabaInventory(limiter: RequestLimiter, client: (region: string) => Ecs, query: InventoryQuery): Promise<InventoryPage> {
  return pageAcrossKinds(
    'alibaba',
    ['ecs-instance'],
    query,
    {
      'ecs-instance': async (cursor, pageSize) => {
        const request = new $Ecs.DescribeInstancesRequest({ regionId: query.region, maxResults: pageSize });
        if (cursor) request.nextToken = cursor;
        const tags = (query.tags ?? []).slice(0, MAX_TAGS);
        if (tags.length > 0)
          request.tag = tags.map((t) => new $Ecs.DescribeInstancesRequestTag({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}) }));
        const res = await sdkCall(limiter, () => client(query.region).describeInstances(request));
        const now = Date.now();
        const items = (res.body?.instances?.instance ?? []).filter((i) => i.instanceId).map((i) => item(query.region, i, now));
        return { items, ...(res.body?.nextToken ? { next: res.body.nextToken } : {}) };
      },
    },
    MAX_RESULTS,
  );
}
