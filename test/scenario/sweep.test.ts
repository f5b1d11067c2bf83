/**
 * The sweep's core: draws are a pure function of (seed, index) inside each range, and the
 * aggregation counts a run once however often the job engine delivered it (at least once).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateSweep,
  type DrawOutcome,
  drawFactors,
  type SweepRange,
  triangular,
} from '../../src/scenario/sweep.js';

const range = (id: string, low: number, mode: number, high: number): SweepRange => ({
  id,
  kind: 'capacity',
  label: id,
  low,
  mode,
  high,
  basis: 'assumption',
  note: 'test',
  target: { modes: ['rail'] },
});

describe('sweep draws', () => {
  it('stay inside their ranges and repeat exactly for the same seed and index', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
            .map(([lo, t]) => [lo, lo + t * 0.5, lo + 0.5 + t] as const),
          { minLength: 1, maxLength: 8 },
        ),
        fc.nat(),
        fc.nat(10_000),
        (specs, seed, index) => {
          const ranges = specs.map(([a, c, b], i) => range(`r${i}`, a, c, b));
          const f = drawFactors(ranges, seed, index);
          expect(drawFactors(ranges, seed, index)).toEqual(f);
          f.forEach((x, i) => {
            const r = ranges[i] as SweepRange;
            expect(x).toBeGreaterThanOrEqual(r.low - 1e-12);
            expect(x).toBeLessThanOrEqual(r.high + 1e-12);
          });
        },
      ),
    );
  });

  it('follow the triangular distribution: the median of many draws sits where its CDF says', () => {
    const [a, c, b] = [0.5, 0.8, 1.5];
    const xs = Array.from({ length: 4000 }, (_, i) => drawFactors([range('x', a, c, b)], 11, i)[0] as number).sort(
      (p, q) => p - q,
    );
    const median = xs[2000] as number;
    expect(median).toBeCloseTo(triangular(0.5, a, c, b), 1);
    expect(triangular(0, a, c, b)).toBe(a);
    expect(triangular(1, a, c, b)).toBeCloseTo(b, 12);
  });
});

describe('aggregateSweep', () => {
  const out = (index: number, objective: number, binding: string[], extra: Partial<DrawOutcome> = {}): DrawOutcome => ({
    index,
    run: 'draw',
    level: 1,
    objective,
    unmetTeu: 0,
    binding,
    ...extra,
  });

  it('counts each run once when the engine delivered it twice, and orders what binds', () => {
    const runs = [out(0, 10, ['a', 'b']), out(1, 20, ['a']), out(2, 30, []), out(3, 40, ['a'])];
    const twice = [...runs, runs[1] as DrawOutcome, runs[0] as DrawOutcome];
    const s = aggregateSweep([], twice);
    expect(s).toEqual(aggregateSweep([], runs));
    const [level] = s.levels;
    expect(level?.draws).toBe(4);
    expect(level?.binds).toEqual([
      { id: 'a', probability: 0.75 },
      { id: 'b', probability: 0.25 },
    ]);
  });

  it('gives the value of a compared scenario per draw and the tornado by swing', () => {
    const ranges = [range('small', 0.9, 1, 1.1), range('big', 0.5, 1, 1.5)];
    const s = aggregateSweep(ranges, [
      out(0, 100, [], { compareObjective: 90 }),
      out(1, 120, [], { compareObjective: 100 }),
      out(0, 99, [], { run: 'low', range: 0 }),
      out(0, 101, [], { run: 'high', range: 0 }),
      out(1, 150, [], { run: 'low', range: 1 }),
      out(1, 80, [], { run: 'high', range: 1 }),
    ]);
    expect(s.levels[0]?.valueUsd?.p50).toBeGreaterThanOrEqual(10);
    expect(s.levels[0]?.valueUsd?.p50).toBeLessThanOrEqual(20);
    expect(s.tornado.map((t) => [t.range, t.swingUsd])).toEqual([
      ['big', 70],
      ['small', 2],
    ]);
  });
});
