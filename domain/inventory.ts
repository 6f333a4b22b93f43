// What discovery lists: one provider-neutral line per releasable resource, and the paging around it.
// Pure types and helpers only: workflows, activities and adapters share them.

import type { ChargingMode, NormalizedStatus, Provider, ResourceKind } from './resource';

/** The tag an owner is read from, on every provider (none of them has an owner field on these resources). */
export const OWNER_TAG = 'owner';

/** One releasable resource as its provider lists it. */
export interface InventoryItem {
  provider: Provider;
  kind: ResourceKind;
  region: string;
  /** Huawei: the project the resource lives in (a release needs it). */
  projectId?: string;
  resourceId: string;
  name?: string;
  status: NormalizedStatus;
  /** The provider's own status string. */
  rawStatus: string;
  /** `unknown` when the list does not say and nothing else was read (Huawei COMMON without a billing record). */
  chargingMode: ChargingMode | 'unknown';
  /** ISO-8601 expiry of a subscription. */
  expiresAt?: string;
  /** The subscription has expired, by the provider's own view (a status) or its expiry time, when read. */
  expired: boolean;
  /** Keys and values exactly as the provider gives them (domain/rules/protection.ts canonicalises). */
  tags: Record<string, string>;
  /** The value of the `owner` tag (any case of the key). */
  owner?: string;
  /** ISO-8601. */
  createdAt?: string;
}

/** A tag condition: the key must be present, with this value when one is given. Keys and values match exactly. */
export interface TagCondition {
  key: string;
  value?: string;
}

export interface InventoryQuery {
  region: string;
  /** Huawei: required (every Huawei list is project-scoped); ignored elsewhere. */
  projectId?: string;
  /** The kinds to list, in this order; default every kind of the adapter. */
  kinds?: ResourceKind[];
  /** Every condition must hold. Sent to the provider where its list filters by tag, applied to each page otherwise. */
  tags?: TagCondition[];
  /** From the previous page; absent for the first. */
  pageToken?: string;
  /**
   * Items per page (default 50, at most 100). Providers cap it lower where their lists do, and Alibaba's
   * DescribeInstances never pages below 10.
   */
  pageSize?: number;
}

/**
 * One page. A page may hold fewer items than asked, even none (a filter applied after the provider's
 * paging, or the end of one kind's list), and still have a next page: stop only when `nextPageToken` is
 * absent. The token is opaque, a short string, safe to pass through activity inputs and histories.
 */
export interface InventoryPage {
  items: InventoryItem[];
  nextPageToken?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** The page size to use: the asked one within 1 and `cap` (the provider's own maximum, at most MAX_PAGE_SIZE). */
export function pageSizeOf(asked: number | undefined, cap = MAX_PAGE_SIZE): number {
  const n = asked === undefined || !Number.isFinite(asked) ? DEFAULT_PAGE_SIZE : Math.trunc(asked);
  return Math.min(Math.max(1, n), cap, MAX_PAGE_SIZE);
}

export function ownerOf(tags: Record<string, string>): string | undefined {
  const key = Object.keys(tags).find((k) => k.toLowerCase() === OWNER_TAG);
  return key === undefined || tags[key] === '' ? undefined : tags[key];
}

export function matchesTags(tags: Record<string, string>, conditions: readonly TagCondition[] | undefined): boolean {
  return (conditions ?? []).every((c) => Object.hasOwn(tags, c.key) && (c.value === undefined || tags[c.key] === c.value));
}
