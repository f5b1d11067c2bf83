/** Per-lane scenario deltas and the route-matrix comparison. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareLane, matrixChanges, type LaneRoutes, type MatrixCell } from '../../web/src/compare/lanes.js';

const opt = (option: number, links: string[], durationH: number, costUsd: number, co2eKg: number) => ({
  option,
  summary: links.join(' '),
  corridors: ['middle'],
  legs: links.map((id, i) => ({ linkId: id, from: `P${i}`, to: `P${i + 1}`, mode: 'rail' })),
  totals: { durationH, costUsd, co2eKg },
});

describe('compareLane', () => {
  it('compares the fastest options and flags a reroute', () => {
    const a: LaneRoutes = { options: [opt(1, ['x', 'y'], 600, 2700, 4500), opt(2, ['x', 's'], 900, 2200, 3500)] };
    const b: LaneRoutes = { options: [opt(1, ['x', 'z'], 500, 2600, 4700), opt(2, ['x', 's'], 900, 2200, 3500)] };
    const c = compareLane(a, b);
    expect(c.delta).toEqual({ durationH: -100, costUsd: -100, co2eKg: 200 });
    expect(c.cheapestDeltaUsd).toBe(0);
    expect(c.rerouted).toBe(true);
    expect(c.reach).toBe('both');
    expect(compareLane(a, a)).toMatchObject({ delta: { durationH: 0, costUsd: 0, co2eKg: 0 }, rerouted: false });
  });
  it('says when only one scenario has a route', () => {
    const a: LaneRoutes = { options: [] };
    const b: LaneRoutes = { options: [opt(1, ['z'], 100, 100, 100)] };
    expect(compareLane(a, b)).toMatchObject({ reach: 'new', delta: null, rerouted: false });
    expect(compareLane(b, a)).toMatchObject({ reach: 'lost', delta: null });
    expect(compareLane(null, null).reach).toBe('none');
  });
  it('picks the minimum duration and the minimum cost whatever the order', () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 9000 })), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(arb, (xs) => {
        const r: LaneRoutes = { options: xs.map(([d, c], i) => opt(i + 1, [`l${i}`], d, c, 1)) };
        const s = compareLane(r, r);
        expect(s.a.fastest!.totals.durationH).toBe(Math.min(...xs.map((x) => x[0])));
        expect(s.a.cheapest!.totals.costUsd).toBe(Math.min(...xs.map((x) => x[1])));
        expect(s.delta).toEqual({ durationH: 0, costUsd: 0, co2eKg: 0 });
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe('matrixChanges', () => {
  const cell = (from: string, to: string, h: number, usd: number): MatrixCell => ({
    from,
    to,
    minDurationH: h,
    minCostUsd: usd,
    minCo2eKg: 1,
  });
  it('lists new, lost and changed pairs, largest change first, and leaves out equal ones', () => {
    const a = [cell('A', 'B', 100, 10), cell('A', 'C', 200, 20), cell('B', 'C', 50, 5), cell('C', 'D', 10, 1)];
    const b = [cell('A', 'B', 100, 10), cell('A', 'C', 150, 25), cell('B', 'C', 60, 5), cell('D', 'E', 5, 1)];
    const ch = matrixChanges(a, b);
    expect(ch.map((c) => `${c.from}${c.to}`)).toEqual(['CD', 'DE', 'AC', 'BC']);
    expect(ch.find((c) => c.from === 'A' && c.to === 'C')).toMatchObject({ deltaH: -50, deltaUsd: 5 });
    expect(ch.find((c) => c.from === 'C')).toMatchObject({ aDurationH: 10, bDurationH: null, deltaH: null });
    expect(matrixChanges(a, a)).toEqual([]);
    expect(matrixChanges(a, b, 2)).toHaveLength(2);
  });
});
