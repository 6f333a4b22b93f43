import type { Charging, Lock, OrderInfo } from '../../domain/resource';
import type { HuaweiApi } from './api';
import type { BssResourceWire } from './wire';

/** BSS resource status (OrderInstanceV2.status). */
export const BSS_STATUS = { IN_USE: 2, CLOSED: 3, FROZEN: 4, EXPIRED: 5 } as const;

/** What the Billing Center says about one resource and the order it belongs to. */
export interface BillingView {
  /** The resource's own record; absent when BSS does not know it (pay-per-use, or closed and gone). */
  own?: BssResourceWire;
  order?: OrderInfo;
}

const isDisk = (r: BssResourceWire) => /volume|evs/i.test(r.resource_type_code ?? '');

/**
 * Read the resource's billing record, then every record of its order. Members are the order's
 * resources that are released with it, the resource included; disks billed with a server are left
 * out (they are reported as disks, and are not "other resources of the order" for the planner).
 */
export async function readBilling(api: HuaweiApi, resourceId: string, orderIdHint?: string): Promise<BillingView> {
  const records = await api.queryAllResources({ resource_ids: [resourceId] });
  const own = records.find((r) => r.resource_id === resourceId);
  if (!own) return {};
  const orderId = own.order_id ?? orderIdHint;
  // Without an order ID (the real OrderInstanceV2 has none), the family of the primary stands for the order.
  const primary = own.is_main_resource === 1 ? resourceId : (own.main_resource_id ?? own.parent_resource_id ?? resourceId);
  const orderRecords = orderId
    ? await api.queryAllResources({ order_id: orderId })
    : primary === resourceId
      ? records
      : await api.queryAllResources({ resource_ids: [primary] });
  const members = [...new Set([resourceId, ...orderRecords.filter((r) => !isDisk(r)).flatMap((r) => (r.resource_id ? [r.resource_id] : []))])];
  return {
    own,
    order: orderId ? { orderId, billingResourceId: own.resource_id ?? resourceId, members } : undefined,
  };
}

/** A yearly/monthly subscription as BSS describes it. */
export function subscriptionCharging(own: BssResourceWire | undefined, now = Date.now()): Charging {
  const expiresAt = own?.expire_time ? new Date(own.expire_time).toISOString() : undefined;
  const expired = own?.status === BSS_STATUS.EXPIRED || (expiresAt !== undefined && Date.parse(expiresAt) <= now);
  return { mode: 'subscription', expiresAt, expired };
}

/** Frozen (BSS status 4) or in its grace period after expiry (status 5): only a release can end it. */
export function bssFrozen(own: BssResourceWire | undefined): Lock | undefined {
  if (own?.status === BSS_STATUS.FROZEN) return { reason: 'frozen', detail: 'the Billing Center reports the resource frozen (status 4)' };
  if (own?.status === BSS_STATUS.EXPIRED) return { reason: 'expired', detail: 'expired, in its grace period (status 5): it can only be released' };
  return undefined;
}

/** The billing record says the subscription is over: closed (3), or no longer listed. */
export const bssClosed = (own: BssResourceWire | undefined): boolean => !own || own.status === BSS_STATUS.CLOSED;
