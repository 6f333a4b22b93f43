// The bench's arithmetic (scripts/bench/): what it prints beside each target must be computed right.
import { describe, expect, it } from 'vitest';
import { meets } from '../../scripts/bench/report';
import { averageRate, peakInWindow, percentile } from '../../scripts/bench/stats';

describe('bench figures', () => {
  it('percentile is nearest-rank over an unsorted list', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('peakInWindow counts the most requests in any half-open window', () => {
    expect(peakInWindow([])).toBe(0);
    // Ten requests 100 ms apart fit one second exactly; the eleventh, at 1000 ms, starts the next window.
    expect(peakInWindow(Array.from({ length: 11 }, (_, i) => i * 100))).toBe(10);
    expect(peakInWindow([0, 999, 1000, 1001, 1999], 1_000)).toBe(3);
    expect(peakInWindow([3000, 0, 10, 20], 1_000)).toBe(3);
  });

  it('averageRate is requests per second between the first and the last', () => {
    expect(averageRate(Array.from({ length: 11 }, (_, i) => i * 100))).toBe(10);
    expect(averageRate([5])).toBeNaN();
  });

  it('a target is met by the ratio to the floor, or by the value itself', () => {
    expect(meets({ figure: 'x', value: 9, floor: 10, target: { ratioAtLeast: 0.9 } })).toBe(true);
    expect(meets({ figure: 'x', value: 8.9, floor: 10, target: { ratioAtLeast: 0.9 } })).toBe(false);
    expect(meets({ figure: 'x', value: 39, floor: 36, target: { ratioAtMost: 1.1 } })).toBe(true);
    expect(meets({ figure: 'x', value: 40, floor: 36, target: { ratioAtMost: 1.1 } })).toBe(false);
    expect(meets({ figure: 'x', value: 512, target: { atMost: 512 } })).toBe(true);
    expect(meets({ figure: 'x', value: 513, target: { atMost: 512 } })).toBe(false);
    // A ratio target without a floor to compare with is not met: a missing figure never passes.
    expect(meets({ figure: 'x', value: 1, target: { ratioAtMost: 1 } })).toBe(false);
    expect(meets({ figure: 'x', value: 1 })).toBeUndefined();
  });
});
