import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, observationError, percentile, summarise } from '../../src/calibrate/error.js';

describe('the error rule', () => {
  it('is 0 inside the published range, ends included', () => {
    expect(observationError(11, 10.5, 11.5)).toEqual({ error: 0, signed: 0, inside: true });
    expect(observationError(10.5, 10.5, 11.5).inside).toBe(true);
    expect(observationError(11.5, 10.5, 11.5).inside).toBe(true);
  });

  it('is the distance to the nearest end over the midpoint outside it, signed by side', () => {
    // Range 8–12, midpoint 10: 15 is 3 above the top end → 30 %; 6 is 2 below → −20 %.
    expect(observationError(15, 8, 12)).toEqual({ error: 0.3, signed: 0.3, inside: false });
    expect(observationError(6, 8, 12)).toEqual({ error: 0.2, signed: -0.2, inside: false });
    // A single figure: 4,231 published, 1,745 modelled → (4,231 − 1,745) / 4,231.
    expect(observationError(1745, 4231, 4231).error).toBeCloseTo(2486 / 4231, 12);
  });

  it('counts an unanswered case as a 100 % miss', () => {
    expect(observationError(null, 10, 12)).toEqual({ error: 1, signed: 0, inside: false });
    expect(observationError(Number.NaN, 10, 12).error).toBe(1);
  });

  it('grows with the distance from the range and is never negative (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (lo, width, d1, d2) => {
          const hi = lo + width;
          const [near, far] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const a = observationError(hi + near, lo, hi).error;
          const b = observationError(hi + far, lo, hi).error;
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeGreaterThanOrEqual(a);
        },
      ),
    );
  });
});

describe('summaries', () => {
  it('median, P90 (nearest rank), share inside and bias', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    const s = summarise([
      { kind: 'price', family: null, answered: true, error: 0, signed: 0, inside: true },
      { kind: 'price', family: null, answered: true, error: 0.5, signed: 0.5, inside: false },
      { kind: 'price', family: null, answered: true, error: 0.2, signed: -0.2, inside: false },
      { kind: 'price', family: null, answered: false, error: 1, signed: 0, inside: false },
    ]);
    expect(s).toMatchObject({ count: 4, answered: 3, medianError: 0.35, insideShare: 0.25 });
    expect(s.bias).toEqual({ above: 1, below: 1, medianSignedMiss: 0.15 });
  });
});
