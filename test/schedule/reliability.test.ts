/**
 * Distributions and the Monte Carlo: PERT tables keep their moments, residual waits follow the
 * inspection paradox, the same seed gives the same answer, and a missed weekly connection shows
 * up in the upper percentiles.
 */
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../src/network/compile.js';
import {
  lengthBiasedTable,
  meanResidualWait,
  pertTable,
  sampleTable,
  tableMean,
  threePointTable,
} from '../../src/schedule/distributions.js';
import { planItineraries } from '../../src/schedule/plan.js';
import { Rng } from '../../src/schedule/rng.js';
import { compileTimetable } from '../../src/schedule/timetable.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';
import { dist, weekly, whenFull } from '../helpers/services.js';

describe('distributions', () => {
  it('a PERT table has the PERT mean and ascending quantiles', () => {
    for (const [a, m, b] of [
      [12, 40, 72],
      [1, 4, 72],
      [0, 10, 10],
      [5, 5, 30],
    ] as const) {
      const t = pertTable(a, m, b);
      expect(tableMean(t)).toBeCloseTo((a + 4 * m + b) / 6, 0);
      for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
      expect(t[0]).toBe(a);
      expect(t[t.length - 1]).toBe(b);
    }
    expect([...pertTable(7, 7, 7)].every((x) => x === 7)).toBe(true);
  });

  it('caps the nominal upper tail at the mirror of the lower spread', () => {
    const t = threePointTable({ min: 12, typical: 40, max: 720 });
    expect(t[t.length - 1]).toBe(68);
    expect(tableMean(t)).toBeCloseTo(40, 0);
  });

  it('waits for a departs-when-full service follow the inspection paradox', () => {
    // A constant headway H: the mean wait is H/2.
    expect(meanResidualWait(pertTable(48, 48, 48))).toBeCloseTo(24, 6);
    // A variable headway waits longer than half its mean; sampling agrees with the formula.
    const h = pertTable(24, 36, 96);
    const expected = meanResidualWait(h);
    expect(expected).toBeGreaterThan(tableMean(h) / 2);
    const lb = lengthBiasedTable(h);
    const rng = new Rng(7);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) sum += rng.next() * sampleTable(lb, rng.next());
    expect(sum / n).toBeCloseTo(expected, 0);
  });

  it('the generator is deterministic and roughly uniform', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const buckets = new Array<number>(10).fill(0);
    let same = true;
    for (let i = 0; i < 100_000; i++) {
      const x = a.next();
      same &&= x === b.next();
      buckets[Math.floor(x * 10)]!++;
    }
    expect(same).toBe(true);
    for (const c of buckets) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(new Rng(124).next()).not.toBe(new Rng(123).next());
  });
});

describe('arrival distribution', () => {
  const locs = [loc('CNXIA', 'CN'), loc('KZ-ALTYNKOL', 'KZ'), loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')];
  const links = [
    link('CNXIA', 'KZ-ALTYNKOL', 'rail', { h: 60, id: 'xa', gauge: 1435 }),
    link('KZ-ALTYNKOL', 'KZAAU', 'rail', { h: 70, id: 'aa', gauge: 1520 }),
    link('KZAAU', 'AZALA', 'ferry', { h: 21, id: 'ferry' }),
  ];

  it('is the planned arrival exactly when nothing varies', () => {
    const ds = dataset(locs, links, [transfer('KZ-ALTYNKOL', 'gauge-change', 10), transfer('KZAAU', 'handling', 12)]);
    ds.services = [weekly('CNXIA', ['xa'], ['wed']), weekly('KZAAU', ['ferry'], ['sat'], '20:00')];
    const tt = compileTimetable(compileNetwork(ds), ds);
    const it1 = planItineraries(tt, { from: 'CNXIA', to: 'AZALA', ready: '2025-01-06T08:00' }).itineraries[0]!;
    expect(it1.arrival.p10H).toBe(it1.totals.durationH);
    expect(it1.arrival.p90H).toBe(it1.totals.durationH);
    expect(it1.arrival.unservedShare).toBe(0);
  });

  it('puts a missed weekly connection into the upper percentiles', () => {
    // The gauge change usually takes 10 h but can take up to 3 days; the weekly ferry then leaves without the box.
    const ds = dataset(locs, links, [
      { ...transfer('KZ-ALTYNKOL', 'gauge-change'), durationH: dist(6, 10, 100) },
      transfer('KZAAU', 'handling', 12),
    ]);
    // Ready at Aktau on Tuesday 13:00 local in the plan; a ferry at 20:00 leaves 7 h of slack.
    ds.services = [weekly('CNXIA', ['xa'], ['wed']), weekly('KZAAU', ['ferry'], ['tue'], '20:00')];
    const tt = compileTimetable(compileNetwork(ds), ds);
    const r = planItineraries(tt, { from: 'CNXIA', to: 'AZALA', ready: '2025-01-06T08:00', samples: 20_000 });
    const a = r.itineraries[0]!.arrival;
    expect(a.p50H).toBe(r.itineraries[0]!.totals.durationH);
    // Mirror cap: the dwell spreads to 14 h at most (4 h over typical), so 7 h of slack always holds.
    expect(a.p90H).toBe(a.p50H);
    // With 1 h of slack a late gauge change misses the ferry: the next one, a week later, shows up in P90.
    ds.services = [weekly('CNXIA', ['xa'], ['wed']), weekly('KZAAU', ['ferry'], ['tue'], '14:00')];
    const tight = planItineraries(compileTimetable(compileNetwork(ds), ds), {
      from: 'CNXIA',
      to: 'AZALA',
      ready: '2025-01-06T08:00',
      samples: 20_000,
    }).itineraries[0]!.arrival;
    expect(tight.p10H).toBeLessThan(tight.p90H! - 24 * 6);
  });

  it('gives the same answer for the same seed and a close one for another', () => {
    const ds = dataset(locs, links, [
      { ...transfer('KZ-ALTYNKOL', 'gauge-change'), durationH: dist(4, 10, 30) },
      { ...transfer('KZAAU', 'handling'), durationH: dist(10, 30, 60) },
    ]);
    ds.services = [
      weekly('CNXIA', ['xa'], ['wed']),
      whenFull('KZAAU', ['ferry'], dist(24, 72, 168), {
        weatherDelay: {
          probability: { value: 0.2, assumption: 'test fixture value, not a real figure' },
          durationH: dist(12, 24, 48),
        },
      }),
    ];
    const tt = compileTimetable(compileNetwork(ds), ds);
    const q = { from: 'CNXIA', to: 'AZALA', ready: '2025-01-06T08:00' };
    const a = planItineraries(tt, q);
    expect(planItineraries(tt, q)).toEqual(a);
    const b = planItineraries(tt, { ...q, seed: 99 }).itineraries[0]!.arrival;
    const x = a.itineraries[0]!.arrival;
    expect(x.p10H! <= x.p50H! && x.p50H! <= x.p90H!).toBe(true);
    expect(Math.abs(b.p50H! - x.p50H!)).toBeLessThan(2);
    expect(b.seed).not.toBe(x.seed);
  });
});
