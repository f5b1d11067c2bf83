/**
 * The fast paths of the Monte Carlo's summary give what the plain definitions give: the three
 * percentiles by selection equal the nearest ranks of a full sort, the compiled sampler draws what
 * the step-by-step reading draws, the generator is xoshiro128**, the month by arithmetic equals
 * the calendar's, and a memoised PERT table equals a freshly built one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { compileNetwork } from '../../src/network/compile.js';
import { bannedArcs } from '../../src/routing/constraints.js';
import { NO_DEPARTURE } from '../../src/schedule/calendar.js';
import { departureH, monthOfH, weatherChanceAt } from '../../src/schedule/departures.js';
import { pertTable, sampleTable } from '../../src/schedule/distributions.js';
import { readyTimeH } from '../../src/schedule/plan.js';
import {
  arrivalDistribution,
  DEFAULT_PRECISION,
  type Precision,
  type SamplingStep,
  STEP_DWELL,
  STEP_FIXED,
  sampleArrivals,
  samplingSteps,
  summarizeArrivals,
} from '../../src/schedule/reliability.js';
import { type TimedPath, timedParetoSearch } from '../../src/schedule/search.js';
import { type CompiledTimetable, compileTimetable } from '../../src/schedule/timetable.js';
import { Rng } from '../../src/schedule/rng.js';

function bySort(samples: number[]): { p10: number; p50: number; p90: number } {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9) };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);

describe('arrival summary', () => {
  it('takes the nearest-rank P10 / P50 / P90 of a full sort, duplicates and unserved samples included', () => {
    const sample = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: 0, max: 2000, noNaN: true }) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }) }, // many ties
      { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
    );
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 600 }), (xs) => {
        const s = summarizeArrivals(Float64Array.from(xs), 7);
        const want = bySort(xs);
        expect([s.p10H, s.p50H, s.p90H]).toEqual([round(want.p10), round(want.p50), round(want.p90)]);
        expect(s.samples).toBe(xs.length);
        expect(s.unservedShare).toBe(
          Math.round((xs.filter((x) => !Number.isFinite(x)).length / xs.length) * 1e4) / 1e4,
        );
      }),
      { numRuns: 400, seed: 14 },
    );
  });

  it('does not reorder the caller’s samples', () => {
    const xs = Float64Array.from([5, 1, 4, 2, 3]);
    summarizeArrivals(xs, 1);
    expect([...xs]).toEqual([5, 1, 4, 2, 3]);
  });

  it('gives no percentiles for no samples', () => {
    const s = summarizeArrivals(new Float64Array(0), 1);
    expect([s.p10H, s.p50H, s.p90H, s.meanH]).toEqual([null, null, null, null]);
  });
});

describe('month of an hour count', () => {
  it('equals the calendar month, across centuries, leap days and month boundaries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000, max: 3_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (h, f) => {
          const hours = h + Math.min(f, 0.999);
          expect(monthOfH(hours)).toBe(new Date(hours * 3_600_000).getUTCMonth());
        },
      ),
      { numRuns: 2000, seed: 3 },
    );
    // 2024-02-29T23:59 and 2024-03-01T00:00; 1900-03-01 (not a leap year) and 2000-02-29 (one).
    for (const iso of ['2024-02-29T23:59:00Z', '2024-03-01T00:00:00Z', '1900-03-01T00:00:00Z', '2000-02-29T12:00:00Z'])
      expect(monthOfH(Date.parse(iso) / 3_600_000)).toBe(new Date(iso).getUTCMonth());
  });
});

describe('PERT tables', () => {
  it('serves a table built once to every caller, equal to what a new triple builds', () => {
    const a = pertTable(2, 5, 11);
    expect(pertTable(2, 5, 11)).toBe(a);
    const b = pertTable(2, 5, 11.000001);
    expect(b).not.toBe(a);
    expect(b[128]).toBeCloseTo(a[128]!, 4);
  });
});

/** xoshiro128** as the paper writes it, on unsigned words: the reference the fast generator must match. */
function referenceXoshiro(seed: number): () => number {
  let x = seed >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
  let [a, b, c, d] = [splitmix(), splitmix(), splitmix(), splitmix()] as [number, number, number, number];
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c = (c ^ a) >>> 0;
    d = (d ^ b) >>> 0;
    b = (b ^ c) >>> 0;
    a = (a ^ d) >>> 0;
    c = (c ^ t) >>> 0;
    d = rotl(d, 11);
    return result;
  };
}

describe('random numbers', () => {
  it('are the xoshiro128** sequence of the seed, so a seed gives the answers it gave before', () => {
    for (const seed of [0, 1, 7, 123, 0x7fffffff, 0x80000000, 0xffffffff]) {
      const fast = new Rng(seed);
      const ref = referenceXoshiro(seed);
      for (let i = 0; i < 5000; i++) expect(fast.nextU32()).toBe(ref());
    }
    const u = new Rng(5);
    for (let i = 0; i < 1000; i++) {
      const x = u.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

/** The default dataset's timetable and its timed itineraries for a pair and a ready time (built once). */
let defaults: { tt: CompiledTimetable; itineraries: (from: string, to: string, ready: string) => Timed[] } | undefined;
type Timed = { steps: TimedPath['steps']; readyH: number };
function defaultData(): NonNullable<typeof defaults> {
  if (defaults) return defaults;
  const load = loadDataset();
  const net = compileNetwork(load.dataset);
  const tt = compileTimetable(net, load.dataset);
  const itineraries = (from: string, to: string, ready: string): Timed[] => {
    const origin = net.locationIndex.get(from)!;
    const readyH = readyTimeH(ready, net.locations[origin]!);
    const paths = timedParetoSearch({
      tt,
      origin,
      destination: net.locationIndex.get(to)!,
      readyH,
      banned: bannedArcs(net, {}),
    });
    return paths.map((p) => ({ steps: p.steps, readyH }));
  };
  defaults = { tt, itineraries };
  return defaults;
}

/** The Monte Carlo as reliability.ts read it step by step before the loop was compiled: the reference. */
function referenceArrivals(
  tt: CompiledTimetable,
  steps: readonly SamplingStep[],
  readyH: number,
  samples: number,
  seed: number,
): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let t = readyH;
    for (let k = 0; k < steps.length && t !== NO_DEPARTURE; k++) {
      const s = steps[k]!;
      if (s.kind === STEP_FIXED) t += s.fixedH;
      else if (s.kind === STEP_DWELL) for (const table of s.tables) t += sampleTable(table, rng.next());
      else {
        const svc = s.service;
        const lb = tt.headwayLengthBiased[svc];
        const wait = lb ? rng.next() * sampleTable(lb, rng.next()) : 0;
        let dep = departureH(tt, svc, s.board, t, wait);
        if (dep === NO_DEPARTURE) {
          t = NO_DEPARTURE;
          break;
        }
        const pw = weatherChanceAt(tt, svc, dep);
        if (pw > 0 && rng.next() < pw) dep += sampleTable(tt.weatherDelay[svc]!, rng.next());
        const factor = tt.runFactor[svc];
        let ride = factor ? s.rideH * sampleTable(factor, rng.next()) : s.rideH - s.nominalDwellH;
        for (const table of s.tables) ride += sampleTable(table, rng.next());
        t = dep + ride;
      }
    }
    out[i] = t - readyH;
  }
  return out;
}

describe('the compiled Monte Carlo', () => {
  it('draws exactly the samples of the step-by-step reading, on every itinerary of the default data', () => {
    const { tt, itineraries: timed } = defaultData();
    const pairs = [
      ['CNXIA', 'DEDUI'],
      ['CNXIA', 'AZBAK'],
      ['KZAAU', 'AZBAK'],
      ['AZBAK', 'DEDUI'],
      ['KZAAU', 'DEDUI'],
      ['CNXIA', 'KZAAU'],
    ] as const;
    // Winter and summer (weather by month), a month boundary, and late in the timetables' validity.
    const readies = [
      '2025-01-06T08:00',
      '2025-07-19T02:00',
      '2026-02-28T23:30',
      '2026-03-02T00:00',
      '2027-11-20T12:00',
    ];
    let itineraries = 0;
    let unserved = 0;
    for (const [from, to] of pairs)
      for (const ready of readies) {
        for (const { steps: timedSteps, readyH } of timed(from, to, ready)) {
          const steps = samplingSteps(tt, timedSteps);
          const fast = sampleArrivals(tt, steps, readyH, 2000, 11);
          expect(fast).toEqual(referenceArrivals(tt, steps, readyH, 2000, 11));
          // A late ready time for the default timetables' validity: some samples find no run.
          const late = sampleArrivals(tt, steps, readyH + 24 * 400, 300, 5);
          expect(late).toEqual(referenceArrivals(tt, steps, readyH + 24 * 400, 300, 5));
          unserved += late.filter((x) => !Number.isFinite(x)).length;
          itineraries++;
        }
      }
    expect(itineraries).toBeGreaterThan(30);
    expect(unserved).toBeGreaterThan(0);
  });
});

describe('the adaptive Monte Carlo (the plan default)', () => {
  const { tt, itineraries } = defaultData();
  const all = [
    ...itineraries('CNXIA', 'DEDUI', '2026-03-02T08:00'),
    ...itineraries('KZAAU', 'AZBAK', '2026-01-12T08:00'),
    ...itineraries('CNXIA', 'AZBAK', '2026-07-01T00:00'),
  ];

  it('stops at a stage with exactly the samples of a fixed run of that size', () => {
    const stops = new Set<number>();
    for (const { steps, readyH } of all) {
      const adaptive = arrivalDistribution(tt, steps, readyH, 0, 3, DEFAULT_PRECISION);
      expect(DEFAULT_PRECISION.stages).toContain(adaptive.samples);
      expect(adaptive).toEqual(arrivalDistribution(tt, steps, readyH, adaptive.samples, 3));
      stops.add(adaptive.samples);
    }
    // The default data has both: itineraries pinned at 2,000 samples and wider ones that go on.
    expect(stops.has(2000)).toBe(true);
    expect(stops.size).toBeGreaterThan(1);
  });

  it('draws every stage when the rule cannot be met, giving the fixed 10,000-sample answer', () => {
    const never: Precision = { stages: [2000, 5000, 10_000], minHalfWidthH: 0, relativeHalfWidth: 0 };
    for (const { steps, readyH } of all.slice(0, 4))
      expect(arrivalDistribution(tt, steps, readyH, 0, 1, never)).toEqual(
        arrivalDistribution(tt, steps, readyH, 10_000, 1),
      );
  });

  it('keeps each percentile within twice its tolerance of a 200,000-sample reference', () => {
    for (const { steps, readyH } of all) {
      const reference = arrivalDistribution(tt, steps, readyH, 200_000, 99);
      for (const seed of [1, 2, 3]) {
        const a = arrivalDistribution(tt, steps, readyH, 0, seed, DEFAULT_PRECISION);
        const tolerance = Math.max(
          DEFAULT_PRECISION.minHalfWidthH,
          DEFAULT_PRECISION.relativeHalfWidth * reference.p50H!,
        );
        for (const k of ['p10H', 'p50H', 'p90H'] as const)
          expect(Math.abs(a[k]! - reference[k]!)).toBeLessThanOrEqual(2 * tolerance + 0.1);
        // Its stated half-width is an honest bound here too.
        expect(a.halfWidthH).not.toBeNull();
      }
    }
  });

  it('states the 95% half-width as the order statistics around each percentile give it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 100, maxLength: 800 }), (xs) => {
        const s = summarizeArrivals(Float64Array.from(xs), 1);
        const sorted = Float64Array.from(xs).sort();
        const n = xs.length;
        const half = [0.1, 0.5, 0.9].map((p) => {
          const d = 1.959964 * Math.sqrt(n * p * (1 - p));
          const at = (r: number) => sorted[Math.min(n - 1, Math.max(0, r - 1))]!;
          return (at(Math.ceil(n * p + d)) - at(Math.floor(n * p - d))) / 2;
        });
        expect(s.halfWidthH).toBe(Math.round(Math.max(...half) * 100) / 100);
      }),
      { numRuns: 200, seed: 21 },
    );
    expect(summarizeArrivals(Float64Array.from([1, 2, 3]), 1).halfWidthH).toBeNull();
    expect(
      summarizeArrivals(Float64Array.from([...Array(200).fill(5), ...Array(50).fill(Infinity)]), 1).halfWidthH,
    ).toBeNull();
  });
});
