/** Axis ticks: 1-2-5 steps that cover the data. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearScale, niceTicks } from '../../web/src/chart/scale.js';

describe('niceTicks', () => {
  it('covers the data with evenly spaced 1, 2 or 5 × 10^k steps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.integer({ min: 2, max: 10 }),
        (lo, span, count) => {
          const hi = lo + span;
          const t = niceTicks(lo, hi, count);
          expect(t.length).toBeGreaterThanOrEqual(2);
          expect(t.length).toBeLessThanOrEqual(2 * count + 2);
          expect(t[0]!).toBeLessThanOrEqual(lo + Math.abs(lo) * 1e-9 + 1e-9);
          expect(t[t.length - 1]!).toBeGreaterThanOrEqual(hi - Math.abs(hi) * 1e-9 - 1e-9);
          const step = t[1]! - t[0]!;
          const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-12);
          expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
          for (let i = 1; i < t.length; i++) expect(Math.abs(t[i]! - t[i - 1]! - step)).toBeLessThan(step * 1e-6);
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
  it('handles the cases seen on the page', () => {
    expect(niceTicks(13.2, 39.5, 5)).toEqual([10, 20, 30, 40]);
    expect(niceTicks(2216, 3240, 5)).toEqual([2000, 2500, 3000, 3500]);
    const one = niceTicks(5, 5);
    expect(one[0]!).toBeLessThan(5);
    expect(one[one.length - 1]!).toBeGreaterThan(5);
    expect(one).toContain(5);
  });
  it('maps the domain onto the range', () => {
    const s = linearScale([13.2, 39.5], [60, 360]);
    expect(s(10)).toBe(60);
    expect(s(40)).toBe(360);
    expect(s.domain).toEqual([10, 40]);
  });
});
