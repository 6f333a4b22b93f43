import type { Charging, Lock, OrderInfo } from '../../domain/resource';
import { ProviderError } from '../adapter';
import type { HuaweiApi } from './api';
import type { BssResourceWire } from './wire';

/** BSS resource status (OrderInstanceV2.status). */
export const BSS_STATUS = { IN_USE: 2, CLOSED: 3, FROZEN: 4, EXPIRED: 5 } as const;

/** What the Billing Center says about one resource and the order it belongs to. */
export interface BillingView {
  /** The resource's own record; absent when BSS does not know it (pay-per-use, or closed and gone). */
  own?: BssResourceWire;
  order?: OrderInfo;
  /** What one unsubscribe / release of it takes (the resource first), known even without an order ID. */
  members?: string[];
}

const isDisk = (r: BssResourceWire) => /volume|evs/i.test(r.resource_type_code ?? '');

const ids = (rs: BssResourceWire[]) => rs.flatMap((r) => (r.resource_id ? [r.resource_id] : []));

/**
 * Read the resource's billing record and what one unsubscribe / release of it takes (seed 001): its primary
 * resource with the secondaries attached to it (a rack's or supernode's nodes), never another primary of
 * the same order, unless they form one solution portfolio (modelled `portfolio_id`), which goes only as a
 * whole. `members` lists that unit, the resource included; disks billed with a server are left out (they
 * are reported as disks). `otherPrimaries` lists the portfolio's other primary resources.
 */
export async function readBilling(api: HuaweiApi, resourceId: string, orderIdHint?: string): Promise<BillingView> {
  // only_main_resource 0: the named resource comes with the resources attached to it.
  const records = await api.queryAllResources({ resource_ids: [resourceId] });
  const own = records.find((r) => r.resource_id === resourceId);
  if (!own) return {};
  const orderId = own.order_id ?? orderIdHint;
  const primaryId = own.is_main_resource === 1 ? resourceId : (own.main_resource_id ?? own.parent_resource_id ?? resourceId);
  let unit = primaryId === resourceId ? records : await api.queryAllResources({ resource_ids: [primaryId] });
  const portfolio = unit.find((r) => r.resource_id === primaryId)?.portfolio_id;
  let otherPrimaries: string[] = [];
  if (portfolio && orderId) {
    const order = await api.queryAllResources({ order_id: orderId });
    const primaries = new Set(ids(order.filter((r) => r.is_main_resource === 1 && r.portfolio_id === portfolio)));
    unit = order.filter((r) => primaries.has(r.resource_id ?? '') || primaries.has(r.main_resource_id ?? r.parent_resource_id ?? ''));
    otherPrimaries = [...primaries].filter((p) => p !== primaryId);
  }
  const members = [...new Set([resourceId, ...ids(unit.filter((r) => !isDisk(r)))])];
  return {
    own,
    members,
    order: orderId
      ? { orderId, billingResourceId: own.resource_id ?? resourceId, members, ...(otherPrimaries.length > 0 ? { otherPrimaries } : {}) }
      : undefined,
  };
}

/** What the Billing Center would refuse an unsubscription for, read before anything is deleted. */
export interface BillingRefusals {
  accountFrozen?: Lock;
  pendingPayment?: string;
}

/**
 * The account's state and pending-payment orders. No public API says "the account is frozen": the
 * nearest read is ShowCustomerAccountBalances, and any debt is taken as a freeze (conservative: Huawei
 * freezes an account in arrears). An account read that is refused (no permission) leaves the state
 * unknown, which blocks too; throttling and lost answers propagate (the caller retries the inspection).
 * Pending payment: ListCustomerOrders status 5; an order other than the resource's own is matched by
 * querying its resources (a renewal order, say).
 */
export async function readBillingRefusals(api: HuaweiApi, resourceId: string, orderId: string | undefined): Promise<BillingRefusals> {
  const out: BillingRefusals = {};
  try {
    const { body } = await api.accountBalances();
    const debt = Number(body.debt_amount ?? 0);
    if (!Number.isFinite(debt) || debt > 0) {
      out.accountFrozen = {
        reason: 'arrears',
        detail: `the account owes ${body.debt_amount} ${body.currency ?? ''}`.trim() + ' (ShowCustomerAccountBalances debt_amount)',
      };
    }
  } catch (err) {
    if (!(err instanceof ProviderError) || err.errorClass === 'retryable') throw err;
    out.accountFrozen = { reason: 'unknown', detail: `ShowCustomerAccountBalances answered ${err.code}` };
  }
  const limit = 100;
  for (let offset = 0; ; offset += limit) {
    const { body } = await api.listCustomerOrders({ status: BSS_ORDER_PENDING_PAYMENT, offset, limit });
    const page = Array.isArray(body.order_infos) ? body.order_infos : [];
    for (const o of page) {
      if (!o.order_id) continue;
      const concerns = o.order_id === orderId || ids(await api.queryAllResources({ order_id: o.order_id })).includes(resourceId);
      if (concerns) {
        out.pendingPayment = `order ${o.order_id} is pending payment`;
        return out;
      }
    }
    if (page.length < limit || offset + limit >= (body.total_count ?? 0)) return out;
  }
}

/** ListCustomerOrders status: pending payment. */
const BSS_ORDER_PENDING_PAYMENT = 5;

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
