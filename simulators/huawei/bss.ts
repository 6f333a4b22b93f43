import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonBody } from '../core/sim-server';
import { simFail, type SimError } from '../core/types';
import { huaweiError } from './errors';
import type { BillingResource } from './fixture';
import { action } from './routing';
import { hexId, type HuaweiState } from './state';

const fail = (e: SimError): never => simFail(e.httpStatus, e.code, e.message);
const STATUS_CLOSED = 3;
const STATUS_FROZEN = 4;
const STATUS_EXPIRED = 5;

/** The resource IDs a BSS call names: its fault target (joined by ","). */
function targetIds(req: FastifyRequest): string | undefined {
  try {
    const ids = jsonBody<{ resource_ids?: unknown }>(req).resource_ids;
    return Array.isArray(ids) ? ids.join(',') : undefined;
  } catch {
    return undefined;
  }
}

function body(req: FastifyRequest): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = jsonBody(req);
  } catch {
    return fail(huaweiError('CBC.0100', 'The request body is not valid JSON.'));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(huaweiError('CBC.0100', 'The request body must be a JSON object.'));
  return parsed as Record<string, unknown>;
}

function resourceIdList(value: unknown, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > max || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    return fail(huaweiError('CBC.0100', `resource_ids must list 1 to ${max} resource IDs.`));
  }
  return [...new Set(value as string[])];
}

const unsubscribeOrderId = () => `CS${new Date().toISOString().slice(2, 10).replace(/-/g, '')}${hexId().slice(0, 11).toUpperCase()}`;

/** The API view: OrderInstanceV2 fields, plus the modelled `order_id` / `main_resource_id`. */
function resourceView(r: BillingResource) {
  const { sim: _sim, ...view } = r;
  return view;
}

/**
 * Billing Center (BSS, global): query yearly/monthly resources, unsubscribe them, release frozen ones.
 * Unsubscribe and release act on a unit (seed 001): the named primary resource with its secondaries (a
 * rack's or supernode's nodes, a server's disks), never another primary of the same order; a solution
 * portfolio only as a whole. Every member is closed, then (after `orderCloseMs`) its service object is
 * deleted with the Lite Server data-disk rules.
 */
export function bssRoutes(app: FastifyInstance, state: HuaweiState): void {
  app.post('/v2/orders/suscriptions/resources/query', action('ListCustomerResources', targetIds), async (req) => {
    const b = body(req);
    const ids =
      b.resource_ids === undefined || b.resource_ids === null || (Array.isArray(b.resource_ids) && b.resource_ids.length === 0)
        ? undefined
        : resourceIdList(b.resource_ids, 50);
    const onlyMain = b.only_main_resource ?? 0;
    if (onlyMain !== 0 && onlyMain !== 1) fail(huaweiError('CBC.0100', 'only_main_resource must be 0 or 1.'));
    const statuses = b.status_list;
    if (statuses !== undefined && statuses !== null && (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s)))) {
      fail(huaweiError('CBC.0100', 'status_list must be a list of integers.'));
    }
    const limit = b.limit ?? 10;
    const offset = b.offset ?? 0;
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 500) fail(huaweiError('CBC.0100', 'limit must be between 1 and 500.'));
    if (!Number.isInteger(offset) || (offset as number) < 0) fail(huaweiError('CBC.0100', 'offset must be 0 or more.'));

    let rows = [...state.billing.values()];
    if (ids) {
      // With only_main_resource = 0, the named resources come with the resources attached to them.
      const wanted = new Set(ids);
      rows = rows.filter(
        (r) => wanted.has(r.resource_id) || (onlyMain === 0 && (wanted.has(r.main_resource_id ?? '') || wanted.has(r.parent_resource_id ?? ''))),
      );
    }
    if (typeof b.order_id === 'string' && b.order_id) rows = rows.filter((r) => r.order_id === b.order_id);
    if (onlyMain === 1) rows = rows.filter((r) => r.is_main_resource === 1);
    if (Array.isArray(statuses) && statuses.length > 0) rows = rows.filter((r) => (statuses as number[]).includes(r.status));
    return { total_count: rows.length, data: rows.slice(offset as number, (offset as number) + (limit as number)).map(resourceView) };
  });

  /**
   * The checks both unsubscribe and release make on each named resource; returns what the call takes
   * (state.billingUnit: the primary and its secondaries, or a whole solution portfolio).
   */
  const unitOf = (id: string, named: ReadonlySet<string>, mode: 'unsubscribe' | 'release'): BillingResource[] => {
    const r = state.billing.get(id);
    if (!r) {
      if (state.closedResources.has(id)) fail(huaweiError('CBC.30000067', `The resource ${id} has already been unsubscribed.`));
      return fail(huaweiError('CBC.99003012', `The resource ${id} does not exist or is not a yearly/monthly resource.`));
    }
    if (r.status === STATUS_CLOSED) fail(huaweiError('CBC.30000067', `The resource ${id} has already been unsubscribed.`));
    if (r.is_main_resource !== 1) {
      const main = r.main_resource_id ?? r.parent_resource_id ?? 'its primary resource';
      fail(
        huaweiError(
          'CBC.0100',
          `The resource ${id} is not a primary resource: it belongs to ${main} (order ${r.order_id}) and cannot be ${mode === 'unsubscribe' ? 'unsubscribed' : 'released'} alone. Act on ${main}: it goes with its attached resources.`,
        ),
      );
    }
    const unit = state.billingUnit(id);
    // A solution portfolio goes only as a whole: the request must name every primary resource of it.
    const missing = unit.filter((m) => m.is_main_resource === 1 && !named.has(m.resource_id)).map((m) => m.resource_id);
    if (missing.length > 0) {
      fail(
        huaweiError(
          'CBC.0100',
          `The resource ${id} belongs to the solution portfolio ${r.portfolio_id}, which can only be ${mode === 'unsubscribe' ? 'unsubscribed' : 'released'} as a whole: name ${missing.join(', ')} in the same request.`,
        ),
      );
    }
    const frozen = r.status === STATUS_FROZEN || r.status === STATUS_EXPIRED;
    if (mode === 'unsubscribe' && frozen) {
      fail(
        huaweiError(
          'CBC.99003656',
          `The resource ${id} is ${r.status === STATUS_FROZEN ? 'frozen' : 'in its grace period'} and cannot be unsubscribed; release it instead.`,
        ),
      );
    }
    if (mode === 'release' && !frozen)
      fail(huaweiError('CBC.0100', `The resource ${id} is not frozen: only frozen yearly/monthly resources can be released; unsubscribe it instead.`));
    if (pendingPaymentOrders().has(r.order_id)) fail(huaweiError('CBC.99003100', `The order ${r.order_id} of resource ${id} is pending payment.`));
    if (unit.some((m) => m.sim?.transactionInProgress))
      fail(huaweiError('CBC.99003651', `Another transaction is being processed for resource ${id}. Try again later.`));
    for (const m of unit) {
      const vms = state.hosts.has(m.resource_id) ? state.serversOnHost(m.resource_id) : [];
      if (vms.length > 0) {
        fail(
          huaweiError(
            'CBC.0151',
            `The dedicated host ${m.resource_id} still runs ${vms.length} VM(s): ${vms.map((v) => v.id).join(', ')}. Delete every VM on it (including RDS, MRS and CCE ones) first.`,
          ),
        );
      }
    }
    return unit;
  };

  /** Orders pending payment: every order one of whose records is marked `sim.pendingPayment`. */
  const pendingPaymentOrders = () => new Set([...state.billing.values()].filter((r) => r.sim?.pendingPayment).map((r) => r.order_id));

  /** Close what one call takes now; delete its members' service objects after `orderCloseMs`. */
  const closeOrder = (members: BillingResource[]) => {
    for (const m of members) {
      m.status = STATUS_CLOSED;
      m.update_time = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const ds = state.devServers.get(m.resource_id);
      if (ds) ds.status = 'DELETING';
      const h = state.hyperinstances.get(m.resource_id);
      if (h) h.status = 'TERMINATING';
    }
    const key = members.find((m) => m.is_main_resource === 1)?.resource_id ?? members[0].resource_id;
    state.after(state.timing.orderCloseMs, key, () => {
      for (const m of members) {
        const ds = state.devServers.get(m.resource_id);
        if (ds) {
          state.retireDevServer(ds);
          state.devServers.delete(ds.id);
        }
        const h = state.hyperinstances.get(m.resource_id);
        if (h) {
          for (const sid of h.server_ids) {
            const child = state.devServers.get(sid);
            if (child) {
              state.retireDevServer(child);
              state.devServers.delete(sid);
            }
          }
          state.hyperinstances.delete(h.id);
        }
        const host = state.hosts.get(m.resource_id);
        if (host) {
          host.state = 'released';
          host.released_at = new Date().toISOString();
          state.after(state.timing.goneAfterMs, host.dedicated_host_id, () => state.hosts.delete(host.dedicated_host_id));
        }
        // A yearly/monthly ECS (e.g. a VM on a DCC host): its system disk goes, its data disks are kept
        // unless they are members of the same order (then they are closed below like any member).
        if (state.servers.has(m.resource_id)) state.removeServer(m.resource_id, () => false);
        if (state.volumes.has(m.resource_id)) state.deleteVolume(m.resource_id);
      }
      state.closeBilling(members.map((m) => m.resource_id));
    });
  };

  const actOnOrders = (req: FastifyRequest, mode: 'unsubscribe' | 'release') => {
    const b = body(req);
    if (mode === 'unsubscribe' && state.accountFrozen) fail(huaweiError('CBC.7281', 'The account is frozen: resources cannot be unsubscribed.'));
    const ids = resourceIdList(b.resource_ids, 10);
    if (mode === 'unsubscribe') {
      if (b.unsubscribe_type !== 1 && b.unsubscribe_type !== 2) fail(huaweiError('CBC.0100', 'unsubscribe_type must be 1 or 2.'));
      const reason = b.unsubscribe_reason_type;
      if (reason !== undefined && reason !== null && !(Number.isInteger(reason) && (reason as number) >= 1 && (reason as number) <= 5)) {
        fail(huaweiError('CBC.0100', 'unsubscribe_reason_type must be 1 to 5.'));
      }
      if (b.unsubscribe_reason !== undefined && typeof b.unsubscribe_reason !== 'string') fail(huaweiError('CBC.0100', 'unsubscribe_reason must be a string.'));
    }
    // Validate every resource before touching any: a refused request changes nothing. One unsubscription
    // order per unit (a portfolio named by several of its primaries is one unit).
    const named = new Set(ids);
    const units = new Map<string, BillingResource[]>();
    for (const id of ids) {
      const unit = unitOf(id, named, mode);
      units.set(unit.find((m) => m.is_main_resource === 1)?.portfolio_id ?? id, unit);
    }
    // unsubscribe_type 2 only cancels renewals: the resources stay in use.
    if (!(mode === 'unsubscribe' && b.unsubscribe_type === 2)) for (const unit of units.values()) closeOrder(unit);
    return { order_ids: [...units.keys()].map(() => unsubscribeOrderId()) };
  };

  /**
   * ShowCustomerAccountBalances (real path and shape). The real answer has no "frozen" flag: `debt_amount`
   * (arrears) is the nearest public sign of an account freeze, so a frozen account owes money here.
   */
  app.get('/v2/accounts/customer-accounts/balances', action('ShowCustomerAccountBalances'), async () => ({
    account_balances: [
      {
        account_id: `${hexId().slice(0, 16)}`,
        account_type: 1,
        amount: state.accountFrozen ? 0 : 1000,
        currency: 'CNY',
        designated_amount: 0,
        measure_id: 1,
        memo: '',
      },
    ],
    debt_amount: state.accountDebt,
    measure_id: 1,
    currency: 'CNY',
  }));

  /**
   * ListCustomerOrders (real path; the fields the adapter reads): every order of the account's yearly/monthly
   * resources, status 5 = pending payment, 4 = completed. Filters `status`, `order_id`, `offset`, `limit` (≤ 100).
   */
  app.get(
    '/v2/orders/customer-orders',
    action('ListCustomerOrders', (req) => (req.query as Record<string, string | undefined>).order_id),
    async (req) => {
      const q = req.query as Record<string, string | undefined>;
      const limit = q.limit === undefined ? 10 : Number(q.limit);
      const offset = q.offset === undefined ? 0 : Number(q.offset);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail(huaweiError('CBC.0100', 'limit must be between 1 and 100.'));
      if (!Number.isInteger(offset) || offset < 0) fail(huaweiError('CBC.0100', 'offset must be 0 or more.'));
      const pending = pendingPaymentOrders();
      let orders = [...new Set([...state.billing.values()].map((r) => r.order_id))].map((id) => ({
        order_id: id,
        customer_id: state.accessKeys.values().next().value?.domainId ?? '',
        service_type_code: [...state.billing.values()].find((r) => r.order_id === id)?.service_type_code ?? '',
        status: pending.has(id) ? 5 : 4,
        order_type: 1,
        create_time: '2025-01-01T00:00:00Z',
      }));
      if (q.status) orders = orders.filter((o) => String(o.status) === q.status);
      if (q.order_id) orders = orders.filter((o) => o.order_id === q.order_id);
      return { total_count: orders.length, order_infos: orders.slice(offset, offset + limit) };
    },
  );

  app.post('/v2/orders/subscriptions/resources/unsubscribe', action('UnsubscribeResources', targetIds), async (req) => actOnOrders(req, 'unsubscribe'));
  app.post('/v2/orders/subscriptions/resources/release', action('ReleaseResources', targetIds), async (req) => actOnOrders(req, 'release'));
}
