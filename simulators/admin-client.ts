import type { CallFilter, CallRecord } from './core/call-log';
import type { ActiveFault, FaultSpec } from './core/faults';
import type { ThrottleSettings } from './core/throttle';
import type { SimProviderName } from './core/types';
import type { Fixture } from './runtime';

/** A small client of the simulators' admin API, for tests and scripts. */
export class SimAdminClient {
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  reset(fixture?: Fixture): Promise<{ ok: true }> {
    return this.call('POST', '/admin/reset', fixture ?? {});
  }

  state<T = Record<string, unknown>>(): Promise<T> {
    return this.call('GET', '/admin/state');
  }

  calls(filter: CallFilter = {}): Promise<CallRecord[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call('GET', `/admin/calls${q.size ? `?${q.toString()}` : ''}`);
  }

  clearCalls(): Promise<{ ok: true }> {
    return this.call('DELETE', '/admin/calls');
  }

  injectFault(spec: FaultSpec): Promise<ActiveFault> {
    return this.call('POST', '/admin/faults', spec);
  }

  faults(): Promise<ActiveFault[]> {
    return this.call('GET', '/admin/faults');
  }

  removeFault(id: number): Promise<{ ok: true }> {
    return this.call('DELETE', `/admin/faults/${id}`);
  }

  clearFaults(): Promise<{ ok: true }> {
    return this.call('DELETE', '/admin/faults');
  }

  setThrottle(provider: SimProviderName, settings: ThrottleSettings): Promise<ThrottleSettings> {
    return this.call('PUT', `/admin/throttle/${provider}`, settings);
  }
}
