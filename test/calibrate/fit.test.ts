import { describe, expect, it } from 'vitest';
import {
  CHARGE_FACTOR_BOUNDS,
  type FitCase,
  MIN_FITTED_DWELL_H,
  fitParameters,
  fitWithCrossValidation,
  predict,
  selectParameters,
} from '../../src/calibrate/fit.js';

/**
 * A synthetic world with known true parameters: three nodes whose true dwell differs from the
 * model's by +10 h, −4 h and +30 h, and two price groups whose true level is 2.5× and 0.3× the
 * model's. Observations are generated from the truth (narrow ranges around the true figure).
 */
const TRUE_SHIFT: Record<string, number> = { A: 10, B: -4, C: 30 };
const TRUE_FACTOR: Record<string, number> = { 'sea/westbound': 2.5, 'sea/eastbound': 0.3 };
const BASE: Record<string, number> = { A: 12, B: 8, C: 40 };

function timeCase(id: string, modelH: number, nodes: string[], unit: 'h' | 'd' = 'h'): FitCase {
  const per = unit === 'd' ? 24 : 1;
  const truthH = modelH + nodes.reduce((s, n) => s + (TRUE_SHIFT[n] ?? 0), 0);
  const truth = truthH / per;
  return {
    id,
    kind: 'transit-time',
    family: 'middle',
    min: truth * 0.995,
    max: truth * 1.005,
    model: modelH / per,
    hoursPerUnit: per,
    nodes,
  };
}

function priceCase(id: string, model: number, group: string): FitCase {
  const truth = model * (TRUE_FACTOR[group] ?? 1);
  return {
    id,
    kind: 'price',
    family: null,
    min: truth,
    max: truth,
    model,
    hoursPerUnit: 1,
    nodes: [],
    priceGroup: group,
  };
}

const CASES: FitCase[] = [
  { ...timeCase('dwell-a', 12, ['A']), kind: 'dwell' },
  { ...timeCase('dwell-c', 40, ['C']), kind: 'dwell' },
  timeCase('ab', 100, ['A', 'B']),
  timeCase('bc', 200, ['B', 'C'], 'd'),
  timeCase('abc', 300, ['A', 'B', 'C'], 'd'),
  timeCase('b2', 150, ['B']),
  timeCase('ac', 90, ['A', 'C']),
  priceCase('w1', 1700, 'sea/westbound'),
  priceCase('w2', 1800, 'sea/westbound'),
  priceCase('e1', 1700, 'sea/eastbound'),
  priceCase('e2', 1650, 'sea/eastbound'),
  { id: 'none', kind: 'transit-time', family: null, min: 5, max: 6, model: null, hoursPerUnit: 24, nodes: [] },
];

describe('fitting to observations', () => {
  it('recovers the known dwell shifts and rate levels of a synthetic dataset', () => {
    const p = fitParameters(CASES, { baseDwellH: BASE, minCases: 1 });
    for (const [n, d] of Object.entries(TRUE_SHIFT)) expect(p.dwellShiftH[n] ?? 0, n).toBeCloseTo(d, 0);
    for (const [g, k] of Object.entries(TRUE_FACTOR)) expect(p.priceFactor[g], g).toBeCloseTo(k, 2);
    // Every answered case now lands inside its range; the unanswered one stays a miss.
    for (const c of CASES.filter((x) => x.model !== null)) {
      const v = predict(c, p) ?? Number.NaN;
      expect(v, c.id).toBeGreaterThanOrEqual(c.min - 1e-6);
      expect(v, c.id).toBeLessThanOrEqual(c.max + 1e-6);
    }
    expect(predict(CASES[CASES.length - 1] as FitCase, p)).toBeNull();
  });

  it('never takes a dwell below an hour, nor outside the range its data states', () => {
    const c: FitCase = {
      id: 'x',
      kind: 'dwell',
      family: null,
      min: 0.2,
      max: 0.2,
      model: 12,
      hoursPerUnit: 1,
      nodes: ['A'],
    };
    const p = fitParameters([c, { ...c, id: 'y' }], { baseDwellH: { A: 12 } });
    expect(p.dwellShiftH.A).toBe(-(12 - MIN_FITTED_DWELL_H));
    const ranged = fitParameters([c, { ...c, id: 'y' }], { baseDwellH: { A: 12 }, dwellRangeH: { A: [4, 72] } });
    expect(ranged.dwellShiftH.A).toBe(-8);
    const up = { ...c, min: 200, max: 200 };
    const capped = fitParameters([up, { ...up, id: 'y' }], { baseDwellH: { A: 12 }, dwellRangeH: { A: [4, 72] } });
    expect(capped.dwellShiftH.A).toBe(60);
  });

  it('reports the in-sample and the k-fold cross-validated error; held-out cases are not fitted to themselves', () => {
    const r = fitWithCrossValidation(CASES, { baseDwellH: BASE, minCases: 1 }, 4);
    expect(r.inSample.overall.count).toBe(CASES.length);
    expect(r.crossValidated.overall.count).toBe(CASES.length);
    expect(r.crossValidated.folds).toBe(4);
    // In sample the fit is exact but for the unanswered case.
    expect(r.inSample.overall.insideShare).toBeCloseTo(11 / 12, 3);
    // Out of sample a node seen only in its held-out case cannot be fitted: CV is no better than in-sample.
    expect(r.crossValidated.overall.medianError).toBeGreaterThanOrEqual(r.inSample.overall.medianError);
    // Deterministic.
    expect(fitWithCrossValidation(CASES, { baseDwellH: BASE, minCases: 1 }, 4)).toEqual(r);
  });

  it('a case held out is predicted without its own information', () => {
    // Two price groups of one observation each, both at twice the model's price.
    const solo = (id: string, group: string): FitCase => ({
      id,
      kind: 'price',
      family: null,
      min: 2000,
      max: 2000,
      model: 1000,
      hoursPerUnit: 1,
      nodes: [],
      priceGroup: group,
    });
    const r = fitWithCrossValidation([solo('p', 'g1'), solo('q', 'g2')], { baseDwellH: {}, minCases: 1 }, 2);
    expect(r.parameters.priceFactor).toEqual({ g1: 2, g2: 2 });
    expect(r.inSample.overall.medianError).toBe(0);
    // Held out, each group has no data left: factor 1, error (2000 − 1000) / 2000.
    expect(r.crossValidated.overall.medianError).toBe(0.5);
  });

  it('fits charge levels per parameter from priced parts, inside the bounds', () => {
    // Two charges: `rail` truly 1.5× its prior, `port` right; a sourced part fixed at 1,000.
    const truth = (rail: number, port: number) => 1000 + 1.5 * rail + port;
    const priced = (id: string, rail: number, port: number): FitCase => ({
      id,
      kind: 'price',
      family: null,
      min: truth(rail, port),
      max: truth(rail, port),
      model: 1000 + rail + port,
      hoursPerUnit: 1,
      nodes: [],
      price: {
        fixedUsd: 1000,
        components: [
          { param: 'rail', usd: rail },
          { param: 'port', usd: port },
        ],
      },
    });
    const cases = [priced('a', 800, 200), priced('b', 1200, 600), priced('c', 400, 50)];
    const p = fitParameters(cases, { baseDwellH: {} });
    // Coordinate descent converges on the coupled pair to within its sweeps.
    expect(p.priceFactor.rail).toBeCloseTo(1.5, 2);
    expect(p.priceFactor.port ?? 1).toBeCloseTo(1, 1);
    for (const c of cases) expect(Math.abs((predict(c, p) ?? 0) / c.min - 1)).toBeLessThan(0.005);
    // A level far outside the bounds is clamped: a fivefold miss is structural, not a level.
    const wild = cases.map((c) => ({ ...c, min: c.min * 10, max: c.max * 10 }));
    const q = fitParameters(wild, { baseDwellH: {} });
    expect(q.priceFactor.rail).toBeLessThanOrEqual(CHARGE_FACTOR_BOUNDS[1]);
  });

  it('selects only parameters that lower the cross-validated error', () => {
    // `A` is informed consistently by six cases; `B` by two that contradict each other.
    const cases: FitCase[] = [
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((id, i) => timeCase(id, 100 + 10 * i, ['A'])),
      { ...timeCase('b1', 100, ['B']), min: 150, max: 150 },
      { ...timeCase('b2', 100, ['B']), min: 60, max: 60 },
    ];
    const chosen = selectParameters(cases, { baseDwellH: BASE }, 4);
    expect(chosen.has('dwell:A')).toBe(true);
    expect(chosen.has('dwell:B')).toBe(false);
    const r = fitWithCrossValidation(cases, { baseDwellH: BASE }, 4, true);
    expect(r.parameters.dwellShiftH.B).toBeUndefined();
    // Anywhere that puts every A case inside its ±0.5% range is an exact fit.
    expect(Math.abs((r.parameters.dwellShiftH.A ?? 0) - 10)).toBeLessThan(1);
  });
});
