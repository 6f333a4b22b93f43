// Provider request limits (docs/rate-limits.md). The configured `rateLimit.requestsPerSecond` counts HTTP requests:
// every adapter takes one token right before its SDK sends a request (reads, polls, destructive calls, inventory
// pages alike), so an inspection that reads three APIs counts three. Each request books a slot at least 1/rate after
// the one before, with no burst ("theoretical arrival time", GCRA with reservations), and never leaves before it: in
// the process (shared by every worker of it, the adapters being created once per process) or, for several worker
// processes, through one PostgreSQL row per provider. A request that would leave more than MAX_LATE_MS after its slot
// (a busy event loop, a slow answer from the database) books a new one instead: sends late by more than that would
// bunch with the punctual ones behind them into more than the rate in some second.
import { Pool, type PoolClient } from 'pg';
import { redacted, redactUrl } from '../audit/pg';
import type { Provider } from '../domain/resource';
import { ProviderError } from './adapter';

export interface RequestLimiter {
  /**
   * One request's token: resolves when the request may be sent. Rejects with a retryable ProviderError, the request
   * not sent, when no slot is free within MAX_WAIT_MS or the shared limit cannot be reached (fail closed).
   */
  take(): Promise<void>;
}

/** No limit: for adapters built without a limiter (unit tests, scripts); createAdapters always gives one. */
export const UNLIMITED: RequestLimiter = { take: () => Promise.resolve() };

/**
 * The longest a request waits for its slot; further away it is refused instead of queued. A destructive activity has
 * 30 s to start-to-close and its request up to 15 s (the adapters' timeout): one that timed out while queued would
 * count its call as "maybe made" and never repeat it, whereas a refusal is a definite "try later".
 */
export const MAX_WAIT_MS = 10_000;

/**
 * The latest a request leaves after its slot; later, the slot is given up (never reused) and a new one booked. Every
 * send then falls within MAX_LATE_MS after its slot, so a second holds the slots of at most 1 s + MAX_LATE_MS: with
 * slots at RATE_MARGIN of the rate, that leaves about 25 ms for the jitter on the way to the provider.
 */
export const MAX_LATE_MS = 25;

/** A request that missed this many slots in a row is refused (retryable, not sent): the process is too busy to keep time. */
export const MAX_BOOKINGS = 5;

/** Where a process's limits live. */
export interface RateLimits {
  /** The limiter of one provider's requests. */
  limiter(provider: Provider, requestsPerSecond: number): RequestLimiter;
  /** For the worker's start-up line: never a password. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Slots are booked this much below the configured rate: a request leaves at its slot, but reaches the provider a few
 * milliseconds later or earlier than its neighbours (event loop, connection, another process), and the provider counts
 * arrivals. At 40/s a jitter of one slot (25 ms) would otherwise show as 41 requests in some second.
 */
export const RATE_MARGIN = 0.95;

/** The spacing of a rate in whole microseconds, rounded up: two slots are never closer than 1/(rate × RATE_MARGIN). */
const spacingMicros = (requestsPerSecond: number) => Math.ceil(1e6 / (requestsPerSecond * RATE_MARGIN));

/** Milliseconds between two slots at `requestsPerSecond`. */
export const slotSpacingMs = (requestsPerSecond: number) => spacingMicros(requestsPerSecond) / 1000;

const refused = (provider: Provider, code: string, why: string) => new ProviderError(provider, code, `request not sent: ${why}`, 'retryable');

/** The clock a limiter keeps time by (performance.now() ms); tests give one whose timers fire late. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * A slot in local clock time. A shared one is known only to within the database's round trip: the request waits for
 * the latest time the slot can be (`notBefore`), and counts its lateness from the earliest (`earliest`).
 */
interface LocalSlot {
  notBefore: number;
  earliest: number;
}

/**
 * Book a slot and wait for it; book again while the wait overran the slot by more than MAX_LATE_MS. Every booking
 * shares one budget of `maxWaitMs` (`book` refuses a slot further away than it is given), so a request waits no longer
 * in all than one booking would.
 */
async function waitForSlot(provider: Provider, clock: Clock, maxWaitMs: number, book: (withinMs: number) => Promise<LocalSlot>): Promise<void> {
  const started = clock.now();
  for (let booking = 1; booking <= MAX_BOOKINGS; booking++) {
    const { notBefore, earliest } = await book(Math.max(0, maxWaitMs - (clock.now() - started)));
    let now = clock.now();
    // A timer can fire a little early (libuv's clock is cached per loop turn): sleep again until the slot.
    for (; now < notBefore; now = clock.now()) await clock.sleep(Math.ceil(notBefore - now));
    if (now - earliest <= MAX_LATE_MS) return;
  }
  throw refused(
    provider,
    'RateLimit.Late',
    `${MAX_BOOKINGS} ${provider} request slots in a row missed by more than ${MAX_LATE_MS} ms (the process is too busy to keep the rate limit)`,
  );
}

/** The limit of one provider in this process. */
export class ProcessRequestLimiter implements RequestLimiter {
  /** When the next request may go (clock ms): the theoretical arrival time. */
  private next = -Infinity;
  private readonly spacingMs: number;

  constructor(
    private readonly provider: Provider,
    requestsPerSecond: number,
    private readonly maxWaitMs = MAX_WAIT_MS,
    private readonly clock: Clock = realClock,
  ) {
    this.spacingMs = spacingMicros(requestsPerSecond) / 1000;
  }

  /** Book the next free slot (clock ms), or refuse one further away than `withinMs` without booking it. */
  reserve(withinMs = this.maxWaitMs): number {
    const now = this.clock.now();
    const at = Math.max(this.next, now);
    if (at - now > withinMs) {
      throw refused(this.provider, 'RateLimit.WaitTooLong', `no ${this.provider} request slot within ${this.maxWaitMs} ms (rate limit)`);
    }
    this.next = at + this.spacingMs;
    return at;
  }

  take(): Promise<void> {
    return waitForSlot(this.provider, this.clock, this.maxWaitMs, (withinMs) => {
      const at = this.reserve(withinMs);
      return Promise.resolve({ notBefore: at, earliest: at });
    });
  }
}

/** Every limiter in this process (the default). */
export function processRateLimits(): RateLimits {
  return {
    limiter: (provider, requestsPerSecond) => new ProcessRequestLimiter(provider, requestsPerSecond),
    description: 'in this process',
    close: () => Promise.resolve(),
  };
}

/** A booked slot: when the request may go (the server's clock, µs since the epoch), how long to wait for it, and when that is here. */
export interface Slot extends LocalSlot {
  atMicros: number;
  waitMs: number;
}

const TABLE = 'cloud_release_rate_limits';

// One atomic statement per request: the row's lock orders concurrent requests of every process, `tat` is the next
// free slot. A slot further away than $3 ms is not booked (the update's WHERE fails and no row comes back).
const BOOK = `
  INSERT INTO ${TABLE} AS l (provider, tat) VALUES ($1, clock_timestamp() + $2::bigint * interval '1 microsecond')
  ON CONFLICT (provider) DO UPDATE
    SET tat = GREATEST(l.tat, clock_timestamp()) + $2::bigint * interval '1 microsecond'
    WHERE l.tat <= clock_timestamp() + $3::bigint * interval '1 millisecond'
  RETURNING (EXTRACT(EPOCH FROM tat) * 1000000)::bigint - $2::bigint AS at_us,
            EXTRACT(EPOCH FROM tat - clock_timestamp()) * 1000 - $2::bigint / 1000.0 AS wait_ms`;

/**
 * Limits shared by every process pointed at the same database (a schema can be chosen with `?options=-c
 * search_path=…`). The table is created if missing. The server's clock alone decides the slots, so the workers'
 * clocks need not agree; a process sends its request `waitMs` after the answer (never early), and counts the whole
 * round trip as lateness (the slot may have been as early as `waitMs` after the question).
 */
export class PgRateLimits implements RateLimits {
  readonly description: string;
  private readonly pool: Pool;
  private table?: Promise<unknown>;

  constructor(
    private readonly url: string,
    private readonly clock: Clock = realClock,
  ) {
    this.description = `shared through PostgreSQL ${redactUrl(url)}`;
    // Bounded waits: an unreachable or stuck server must refuse the request soon, not hold it past its activity's timeout.
    this.pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
    // An idle client's error (the server restarted) must not crash the worker: the next request reconnects.
    this.pool.on('error', (err) => console.warn(`rate limits: idle connection lost: ${redacted(err.message, url)}`));
  }

  limiter(provider: Provider, requestsPerSecond: number): RequestLimiter & { book(withinMs?: number): Promise<Slot> } {
    const spacing = spacingMicros(requestsPerSecond);
    const book = async (withinMs = MAX_WAIT_MS): Promise<Slot> => {
      let rows: { at_us: string; wait_ms: string }[];
      let client: PoolClient | undefined;
      let sentAt: number;
      try {
        await this.ensureTable();
        client = await this.pool.connect();
        // Timed on a connection of its own: a wait for the pool is no part of the round trip.
        sentAt = this.clock.now();
        rows = (await client.query<{ at_us: string; wait_ms: string }>(BOOK, [provider, spacing, Math.floor(withinMs)])).rows;
        client.release();
      } catch (err) {
        client?.release(true);
        const message = redacted(err instanceof Error ? err.message : String(err), this.url);
        throw refused(provider, 'RateLimit.Unavailable', `the shared rate limit (${this.description}) cannot be reached: ${message}`);
      }
      const answeredAt = this.clock.now();
      const row = rows[0];
      if (!row) throw refused(provider, 'RateLimit.WaitTooLong', `no ${provider} request slot within ${MAX_WAIT_MS} ms (shared rate limit)`);
      const waitMs = Number(row.wait_ms);
      return { atMicros: Number(row.at_us), waitMs, notBefore: answeredAt + waitMs, earliest: sentAt + waitMs };
    };
    const limiter = { book, take: () => waitForSlot(provider, this.clock, MAX_WAIT_MS, (withinMs) => limiter.book(withinMs)) };
    return limiter;
  }

  /** Once per process; after a failure, tried again by the next request. */
  private ensureTable(): Promise<unknown> {
    this.table ??= this.pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (provider text PRIMARY KEY, tat timestamptz NOT NULL)`).catch((err: unknown) => {
      // Two processes creating it at once: the loser sees the winner's table (or its type) as a duplicate.
      if ((err as { code?: string }).code === '42P07' || (err as { code?: string }).code === '23505') return;
      this.table = undefined;
      throw err;
    });
    return this.table;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The limits a worker process uses: shared through PostgreSQL at CLOUD_RELEASE_RATE_LIMIT_DATABASE_URL, or else at
 * CLOUD_RELEASE_AUDIT_DATABASE_URL (a deployment of several workers has that shared database already; limits kept
 * per process would multiply by the number of processes); with neither, in the process.
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const url = env.CLOUD_RELEASE_RATE_LIMIT_DATABASE_URL || env.CLOUD_RELEASE_AUDIT_DATABASE_URL;
  return url ? new PgRateLimits(url) : processRateLimits();
}
