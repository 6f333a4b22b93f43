// The request limiters (providers/rate-limit.ts): in the process, with fake timers; shared through the machine's
// PostgreSQL (127.0.0.1:5432, a schema of this run's own, dropped afterwards), two limiter sets standing for two
// worker processes, measured from the slots the server books (no sleeping through the schedule).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../providers/adapter';
import {
  type Clock,
  MAX_BOOKINGS,
  MAX_LATE_MS,
  MAX_WAIT_MS,
  PgRateLimits,
  ProcessRequestLimiter,
  rateLimitsFromEnv,
  slotSpacingMs,
} from '../../../providers/rate-limit';

const SERVER = process.env.CLOUD_RELEASE_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function refusal(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** Consecutive gaps of sorted times. */
const gaps = (times: number[]) => [...times].sort((a, b) => a - b).flatMap((t, i, all) => (i === 0 ? [] : [t - all[i - 1]]));

describe('in the process', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('N concurrent takes at rate r go at least 1/r apart, the first at once', async () => {
    const limiter = new ProcessRequestLimiter('alibaba', 10);
    const start = performance.now();
    const sent: number[] = [];
    const all = Promise.all(Array.from({ length: 8 }, () => limiter.take().then(() => sent.push(performance.now() - start))));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(sent).toHaveLength(8);
    expect(Math.min(...gaps(sent))).toBeGreaterThanOrEqual(100);
    // Booked a little below the rate (RATE_MARGIN); timers fire on whole milliseconds.
    expect(Math.abs(Math.max(...sent) - 7 * slotSpacingMs(10))).toBeLessThan(1);
  });

  it('an idle limiter lets the next request go at once, never a burst: no credit is saved up', async () => {
    const limiter = new ProcessRequestLimiter('baidu', 4);
    await limiter.take();
    await vi.advanceTimersByTimeAsync(5_000);
    const start = performance.now();
    const sent: number[] = [];
    const all = Promise.all([1, 2, 3].map(() => limiter.take().then(() => sent.push(performance.now() - start))));
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(sent).toHaveLength(3);
    sent.forEach((t, k) => expect(Math.abs(t - k * slotSpacingMs(4))).toBeLessThan(1));
    expect(slotSpacingMs(4)).toBeGreaterThanOrEqual(250);
  });

  it('a rate that is no whole number of ms: slots at least 1/rate apart, each request sent at or after its slot', async () => {
    const limiter = new ProcessRequestLimiter('huawei', 3);
    const slots = Array.from({ length: 3 }, () => limiter.reserve());
    for (const gap of gaps(slots)) expect(gap).toBeGreaterThanOrEqual(1000 / 3);
    const sent: number[] = [];
    const all = Promise.all([0, 1, 2].map((k) => limiter.take().then(() => (sent[k] = performance.now()))));
    await vi.advanceTimersByTimeAsync(2_000);
    await all;
    sent.forEach((t, k) => expect(t).toBeGreaterThanOrEqual(slots[0] + ((3 + k) * 1000) / 3));
  });

  it(`refuses, retryable and without booking, a request whose slot is more than ${MAX_WAIT_MS} ms away`, async () => {
    const limiter = new ProcessRequestLimiter('alibaba', 1);
    const booked = Array.from({ length: Math.floor(MAX_WAIT_MS / slotSpacingMs(1)) + 1 }, () => limiter.reserve());
    const err = await refusal(limiter.take());
    expect(err).toMatchObject({ provider: 'alibaba', code: 'RateLimit.WaitTooLong', errorClass: 'retryable' });
    expect(err.message).toContain('request not sent');
    // The refusal booked nothing: once time has moved on, the next slot follows the last booked one.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(limiter.reserve()).toBe(booked.at(-1)! + slotSpacingMs(1));
  });
});

/** A clock of its own whose sleeps overrun by the next of `lags` (ms), then by none. */
function lateClock(lags: number[]): Clock & { t: number } {
  const clock = {
    t: 1_000,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms + (lags.shift() ?? 0);
      return Promise.resolve();
    },
  };
  return clock;
}

describe('in the process, when timers fire late', () => {
  it(`a request that would leave more than ${MAX_LATE_MS} ms after its slot gives it up and books the next one`, async () => {
    const clock = lateClock([MAX_LATE_MS + 15]);
    const limiter = new ProcessRequestLimiter('alibaba', 10, MAX_WAIT_MS, clock);
    const spacing = slotSpacingMs(10);
    await limiter.take();
    expect(clock.t).toBe(1_000);
    // Its slot is at 1 spacing; the sleep overran it by 40 ms: not sent, booked again at 2 spacings and sent there
    // (within the millisecond a timer rounds up to).
    await limiter.take();
    expect(clock.t - (1_000 + 2 * spacing)).toBeGreaterThanOrEqual(0);
    expect(clock.t - (1_000 + 2 * spacing)).toBeLessThan(1);
    // The slot given up is not reused: the next request follows the one booked again.
    expect(limiter.reserve()).toBeCloseTo(1_000 + 3 * spacing, 6);
  });

  it(`a request late by at most ${MAX_LATE_MS} ms goes`, async () => {
    // Late by 24 ms and the part of a millisecond the timer rounds up to.
    const clock = lateClock([MAX_LATE_MS - 1]);
    const limiter = new ProcessRequestLimiter('baidu', 10, MAX_WAIT_MS, clock);
    await limiter.take();
    await limiter.take();
    expect(clock.t).toBe(1_000 + Math.ceil(slotSpacingMs(10)) + MAX_LATE_MS - 1);
    expect(limiter.reserve()).toBeCloseTo(1_000 + 2 * slotSpacingMs(10), 6);
  });

  it(`after ${MAX_BOOKINGS} slots missed in a row the request is refused, retryable and not sent`, async () => {
    const clock = lateClock(Array.from({ length: MAX_BOOKINGS }, () => 100));
    const limiter = new ProcessRequestLimiter('huawei', 10, MAX_WAIT_MS, clock);
    await limiter.take();
    const err = await refusal(limiter.take());
    expect(err).toMatchObject({ provider: 'huawei', code: 'RateLimit.Late', errorClass: 'retryable' });
    expect(err.message).toContain('request not sent');
    // The clock keeps time again: the next request goes at its slot.
    const at = limiter.reserve() + slotSpacingMs(10);
    await limiter.take();
    expect(clock.t - at).toBeGreaterThanOrEqual(0);
    expect(clock.t - at).toBeLessThan(1);
  });
  it('the bookings of one request share one wait budget: it never waits longer in all than one booking may', async () => {
    const clock = lateClock([100]);
    const limiter = new ProcessRequestLimiter('alibaba', 1, 1_500, clock);
    await limiter.take();
    // Its slot at 1.05 s, missed by 100 ms; the next free one (2.1 s) is beyond what is left of the 1.5 s: refused.
    const err = await refusal(limiter.take());
    expect(err).toMatchObject({ code: 'RateLimit.WaitTooLong', errorClass: 'retryable' });
    expect(clock.t - 1_000).toBeLessThanOrEqual(1_500);
  });
});

describe('shared through PostgreSQL', () => {
  const schema = `rate_limit_test_${randomBytes(6).toString('hex')}`;
  const url = `${SERVER}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = new Client({ connectionString: SERVER });
  const open: PgRateLimits[] = [];
  const limits = () => {
    const l = new PgRateLimits(url);
    open.push(l);
    return l;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await Promise.all(open.map((l) => l.close()));
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('two processes together never go beyond the rate: the slots they book interleave at least 1/r apart', async () => {
    // Two pools of their own, as two worker processes would have; 20 requests each at 20/s, all at once.
    const [a, b] = [limits().limiter('alibaba', 20), limits().limiter('alibaba', 20)];
    const slots = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).book()));
    const at = slots.map((s) => s.atMicros);
    expect(new Set(at).size).toBe(40);
    expect(Math.min(...gaps(at))).toBeGreaterThanOrEqual(50_000);
    // In any one second no more than the rate (the spacing says it; counted here too).
    const sorted = [...at].sort((x, y) => x - y);
    for (let i = 0; i + 20 < sorted.length; i++) expect(sorted[i + 20] - sorted[i]).toBeGreaterThanOrEqual(1_000_000);
    // Each is told to wait for its own slot: the first at once, the last about 39 × 50 ms later.
    const waits = slots.map((s) => s.waitMs).sort((x, y) => x - y);
    expect(waits[0]).toBeLessThan(50);
    expect(waits.at(-1)).toBeGreaterThan(1_500);
    // The table is the shared one, in this run's schema; the other providers are not touched.
    const { rows } = await admin.query(`SELECT provider FROM ${schema}.cloud_release_rate_limits`);
    expect(rows).toEqual([{ provider: 'alibaba' }]);
  });

  it('take waits for the slot: three requests at 50/s take at least 2 × 20 ms', async () => {
    const limiter = limits().limiter('baidu', 50);
    const started = performance.now();
    for (let i = 0; i < 3; i++) await limiter.take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  });

  it(`a slow answer counts as lateness: a slot that may have passed ${MAX_LATE_MS} ms before the send is booked again`, async () => {
    // The clock jumps 40 ms while the first booking's answer is on its way (a busy process reading it late).
    let offset = 0;
    let reads = 0;
    const clock: Clock = {
      now: () => {
        // Read 1: the start of the wait; 2: its budget; 3: the question sent; 4: its answer, 40 ms late.
        if (++reads === 4) offset = MAX_LATE_MS + 15;
        return performance.now() + offset;
      },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const shared = new PgRateLimits(url, clock);
    open.push(shared);
    const limiter = shared.limiter('baidu', 50);
    // Each booking is one statement: counted where the limiter asks for a slot.
    const book = vi.spyOn(limiter, 'book');
    await limiter.take();
    expect(book).toHaveBeenCalledTimes(2);
  });

  it(`refuses, retryable and without booking, a slot more than ${MAX_WAIT_MS} ms away`, async () => {
    const limiter = limits().limiter('huawei', 1);
    const booked = [];
    // Every slot that starts within the wait bound is booked; the next one is refused.
    for (let i = 0; i <= Math.floor(MAX_WAIT_MS / slotSpacingMs(1)); i++) booked.push(await limiter.book());
    const err = await refusal(limiter.book());
    expect(err).toMatchObject({ provider: 'huawei', code: 'RateLimit.WaitTooLong', errorClass: 'retryable' });
    const { rows } = await admin.query<{ tat_us: string }>(
      `SELECT (EXTRACT(EPOCH FROM tat) * 1000000)::bigint AS tat_us FROM ${schema}.cloud_release_rate_limits WHERE provider = 'huawei'`,
    );
    expect(Number(rows[0].tat_us)).toBe(booked.at(-1)!.atMicros + slotSpacingMs(1) * 1000);
  });

  it('fails closed: an unreachable database refuses the request (retryable, not sent), never lets it go unlimited', async () => {
    const down = new PgRateLimits('postgres://postgres:s3cret-pw@127.0.0.1:1/test');
    open.push(down);
    expect(down.description).not.toContain('s3cret-pw');
    const err = await refusal(down.limiter('alibaba', 10).take());
    expect(err).toMatchObject({ provider: 'alibaba', code: 'RateLimit.Unavailable', errorClass: 'retryable' });
    expect(err.message).toContain('request not sent');
    expect(err.message).not.toContain('s3cret-pw');
  });

  it('is chosen by CLOUD_RELEASE_RATE_LIMIT_DATABASE_URL, else CLOUD_RELEASE_AUDIT_DATABASE_URL; else in the process', async () => {
    const dedicated = rateLimitsFromEnv({
      CLOUD_RELEASE_RATE_LIMIT_DATABASE_URL: 'postgres://u:p@limits/db',
      CLOUD_RELEASE_AUDIT_DATABASE_URL: 'postgres://audit/db',
    });
    const audit = rateLimitsFromEnv({ CLOUD_RELEASE_AUDIT_DATABASE_URL: 'postgres://audit/db' });
    const local = rateLimitsFromEnv({});
    expect([dedicated.description, audit.description, local.description]).toEqual([
      'shared through PostgreSQL postgres://u:***@limits/db',
      'shared through PostgreSQL postgres://audit/db',
      'in this process',
    ]);
    await Promise.all([dedicated.close(), audit.close(), local.close()]);
  });
});
