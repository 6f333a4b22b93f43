import type { SimProviderName } from './types';

/** One API call as the simulator saw it: the tests prove "exactly one destructive call" with these. */
export interface CallRecord {
  seq: number;
  /** When the request arrived (ISO 8601). */
  at: string;
  provider: SimProviderName;
  method: string;
  path: string;
  action: string;
  target?: string;
  httpStatus: number;
  /** Provider error code, when the answer was an error. */
  errorCode?: string;
  requestId: string;
  /** The call was applied (httpStatus is what it would have answered) but its answer was dropped by a fault. */
  dropped?: boolean;
  /** The answer came from an injected fault rather than the simulated API. */
  injected?: boolean;
}

export interface CallFilter {
  provider?: string;
  action?: string;
  target?: string;
}

/** The newest calls kept, so a long-running sandbox does not grow without bound (seq keeps counting). */
const KEPT = 50_000;

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  add({ arrivedAt, ...record }: Omit<CallRecord, 'seq' | 'at'> & { arrivedAt: number }): void {
    this.records.push({ seq: ++this.seq, at: new Date(arrivedAt).toISOString(), ...record });
    if (this.records.length > KEPT * 1.1) this.records = this.records.slice(-KEPT);
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (!filter.provider || r.provider === filter.provider) &&
        (!filter.action || r.action === filter.action) &&
        (!filter.target || r.target === filter.target),
    );
  }

  clear(): void {
    this.records = [];
  }
}
