import type { Timeline } from './timeline';
import type { SimProviderName } from './types';

/**
 * A fault injected through the admin API. It matches calls by provider, action and target, and does
 * one of: answer with a provider error (`error`), add latency, apply the call but drop its answer
 * (`dropResponse`: the provider accepted it, the client never hears), or hold a resource in its
 * current transition (`stuck`, which needs `target`). With `applied`, an `error` is answered *after* the
 * call was applied, as real clouds sometimes do (a 5xx or a throttling answer to a request that took effect).
 */
export interface FaultSpec {
  provider: SimProviderName;
  action?: string;
  target?: string;
  error?: { code: string; httpStatus?: number; message?: string };
  /** The call is applied first, then `error` is answered instead of the real answer. */
  applied?: boolean;
  /** Probability that a matching call is affected (default 1). */
  rate?: number;
  /** Affect at most this many calls, then the fault is spent (default: unlimited). */
  times?: number;
  latencyMs?: number;
  dropResponse?: boolean;
  stuck?: boolean;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  hits: number;
}

export interface FaultEffect {
  error?: { code: string; httpStatus?: number; message?: string };
  /** Answer this error after applying the call. */
  errorAfterApply?: { code: string; httpStatus?: number; message?: string };
  latencyMs: number;
  dropResponse: boolean;
}

export class Faults {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(
    private readonly timeline: Timeline,
    private readonly random: () => number = Math.random,
  ) {}

  add(spec: FaultSpec): ActiveFault {
    if (spec.stuck) {
      if (!spec.target) throw new Error('a stuck fault needs a target');
      this.timeline.hold(spec.target);
    }
    const fault = { ...spec, id: this.nextId++, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  remove(id: number): boolean {
    const fault = this.faults.find((f) => f.id === id);
    if (!fault) return false;
    if (fault.stuck && fault.target) this.timeline.releaseHold(fault.target);
    this.faults = this.faults.filter((f) => f !== fault);
    return true;
  }

  list(): ActiveFault[] {
    return [...this.faults];
  }

  clear(): void {
    for (const f of [...this.faults]) this.remove(f.id);
  }

  /** What the faults do to this call; spends the ones that fire. */
  effectFor(provider: SimProviderName, action: string, target: string | undefined): FaultEffect {
    const effect: FaultEffect = { latencyMs: 0, dropResponse: false };
    for (const f of this.faults) {
      if (f.stuck) continue;
      if (f.provider !== provider) continue;
      if (f.action && f.action !== action) continue;
      if (f.target && f.target !== target) continue;
      if (f.times !== undefined && f.hits >= f.times) continue;
      if (this.random() >= (f.rate ?? 1)) continue;
      f.hits++;
      effect.latencyMs += f.latencyMs ?? 0;
      if (f.error && f.applied && !effect.errorAfterApply) effect.errorAfterApply = f.error;
      else if (f.error && !effect.error) effect.error = f.error;
      if (f.dropResponse) effect.dropResponse = true;
    }
    return effect;
  }
}
