// Provider call metrics, recorded around every adapter method: calls and latency by action and outcome, errors by
// code. They go to the SDK's activity meter (with the activity's namespace, task queue and type as labels); outside
// an activity (scripts, unit tests) there is no meter and nothing is recorded.
import { Context } from '@temporalio/activity';
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import type { Provider } from '../domain/resource';
import { ProviderError, ProviderUnreachableError, type ProviderAdapter } from './adapter';

const CALLS = 'cloud_release_provider_calls_total';
const LATENCY = 'cloud_release_provider_call_latency';
const ERRORS = 'cloud_release_provider_errors_total';

/** Histogram buckets (ms) for the Prometheus exporter: a provider call takes from milliseconds to its timeout. */
export const PROVIDER_METRIC_BUCKETS: Record<string, number[]> = {
  [LATENCY]: [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000],
};

/** How a call ended: `ok`, the provider's error class (`retryable`, `final`, `not-found`), `unreachable`, or `error` (a bug). */
function outcomeOf(err: unknown): { outcome: string; code: string } {
  if (err instanceof ProviderError) return { outcome: err.errorClass, code: err.code.slice(0, 64) };
  if (err instanceof ProviderUnreachableError) return { outcome: 'unreachable', code: 'unreachable' };
  return { outcome: 'error', code: 'internal' };
}

function meter(): MetricMeter {
  try {
    return Context.current().metricMeter;
  } catch {
    return noopMetricMeter;
  }
}

async function record<T>(provider: Provider, action: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const count = (outcome: string) => {
    const m = meter();
    m.createCounter(CALLS, '', 'Provider API calls, by adapter action and outcome').add(1, { provider, action, outcome });
    m.createHistogram(LATENCY, 'int', 'ms', 'Provider API call latency').record(Math.round(performance.now() - started), { provider, action, outcome });
    return m;
  };
  try {
    const result = await call();
    count('ok');
    return result;
  } catch (err) {
    const { outcome, code } = outcomeOf(err);
    count(outcome).createCounter(ERRORS, '', 'Provider API errors, by error code').add(1, { provider, code });
    throw err;
  }
}

/** The adapter with every method metered (its capabilities' too), under `provider`. */
export function metered(provider: Provider, adapter: ProviderAdapter): ProviderAdapter {
  const m =
    <A extends unknown[], R>(action: string, fn: (...args: A) => Promise<R>) =>
    (...args: A) =>
      record(provider, action, () => fn(...args));
  const { stopper, drainer } = adapter;
  return {
    kinds: adapter.kinds,
    inspect: m('inspect', adapter.inspect.bind(adapter)),
    destroy: m('destroy', adapter.destroy.bind(adapter)),
    status: m('status', adapter.status.bind(adapter)),
    deleteDisk: m('deleteDisk', adapter.deleteDisk.bind(adapter)),
    deleteSnapshot: m('deleteSnapshot', adapter.deleteSnapshot.bind(adapter)),
    observe: m('observe', adapter.observe.bind(adapter)),
    inventory: m('inventory', adapter.inventory.bind(adapter)),
    stopper: stopper && { kinds: stopper.kinds, stop: m('stop', stopper.stop.bind(stopper)) },
    drainer: drainer && {
      kinds: drainer.kinds,
      deleteVms: m('deleteVms', drainer.deleteVms.bind(drainer)),
      vmDeleteJob: m('vmDeleteJob', drainer.vmDeleteJob.bind(drainer)),
    },
  };
}
