/**
 * Fitting model parameters to observations, and the cross-validated error of the fit. The
 * engines are not re-run inside the fit: each observation is linearised around the model's
 * answer (a transit time moves hour for hour with the dwell at the stops its chosen option makes;
 * a price scales with its route family's rate level), which is exact for dwell and rate levels as
 * long as the chosen option does not change. Each parameter is fitted by coordinate descent on
 * the summed error: the error is piecewise linear in one parameter, so its minimum lies on a
 * breakpoint (where a prediction meets an end of a published range) and is found exactly.
 */
import { observationError, summariseAll, type ErrorSummary, type Scored } from './error.js';
import type { ObservationKind } from '../model/observations.js';

export interface FitCase {
  id: string;
  kind: ObservationKind;
  family: string | null;
  /** Published range, in `hoursPerUnit` units for times and dwell, USD for prices. */
  min: number;
  max: number;
  /** The model's figure, null when unanswered (never fitted, always a 100% miss). */
  model: number | null;
  /** Hours per unit of the published figure (24 for days, 1 for hours); 1 for prices. */
  hoursPerUnit: number;
  /** Nodes whose dwell the figure includes (the chosen option's stops, or the dwell's place). */
  nodes: string[];
  /** Rate-level group of a price (route family and direction), when the figure is a price. */
  priceGroup?: string;
}

export interface FitParameters {
  /** Hours added to the typical dwell at a node (≥ −its current dwell). */
  dwellShiftH: Record<string, number>;
  /** Multiplier on the prices of a rate-level group. */
  priceFactor: Record<string, number>;
}

export interface FitOptions {
  /** Current typical dwell per node (hours): a shift never takes it below 0. */
  baseDwellH: Record<string, number>;
  /** Coordinate-descent sweeps (default 8). */
  sweeps?: number;
  /** Fit only parameters used by at least this many cases (default 2: one case cannot be cross-validated). */
  minCases?: number;
}

export function predict(c: FitCase, p: FitParameters): number | null {
  if (c.model === null) return null;
  if (c.priceGroup !== undefined) return c.model * (p.priceFactor[c.priceGroup] ?? 1);
  let h = c.model * c.hoursPerUnit;
  for (const n of c.nodes) h += p.dwellShiftH[n] ?? 0;
  return h / c.hoursPerUnit;
}

const errorOf = (c: FitCase, p: FitParameters) => observationError(predict(c, p), c.min, c.max).error;

export function fitParameters(cases: readonly FitCase[], opts: FitOptions): FitParameters {
  const p: FitParameters = { dwellShiftH: {}, priceFactor: {} };
  const answered = cases.filter((c) => c.model !== null);
  const minCases = opts.minCases ?? 2;
  // Price groups are independent of each other and of dwell: one exact 1-D minimisation each.
  const groups = new Map<string, FitCase[]>();
  for (const c of answered) {
    if (c.priceGroup === undefined) continue;
    const list = groups.get(c.priceGroup);
    if (list) list.push(c);
    else groups.set(c.priceGroup, [c]);
  }
  for (const [g, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    if (list.length < minCases) continue;
    const candidates = [1];
    for (const c of list) if (c.model && c.model > 0) candidates.push(c.min / c.model, c.max / c.model);
    p.priceFactor[g] = best(candidates, 1, (k) => sum(list, (c) => errorOf(c, { ...p, priceFactor: { [g]: k } })));
  }
  // Dwell shifts interact through the cases that stop at several nodes: coordinate descent.
  const byNode = new Map<string, FitCase[]>();
  for (const c of answered) {
    if (c.priceGroup !== undefined) continue;
    for (const n of new Set(c.nodes)) {
      const list = byNode.get(n);
      if (list) list.push(c);
      else byNode.set(n, [c]);
    }
  }
  const nodes = [...byNode.keys()].filter((n) => (byNode.get(n)?.length ?? 0) >= minCases).sort();
  for (let sweep = 0; sweep < (opts.sweeps ?? 8); sweep++) {
    let moved = false;
    for (const n of nodes) {
      const list = byNode.get(n) ?? [];
      const floor = -(opts.baseDwellH[n] ?? 0);
      const current = p.dwellShiftH[n] ?? 0;
      const candidates = [0, floor, current];
      for (const c of list) {
        const others = (predict(c, { ...p, dwellShiftH: { ...p.dwellShiftH, [n]: 0 } }) ?? 0) * c.hoursPerUnit;
        const times = c.nodes.filter((x) => x === n).length;
        candidates.push((c.min * c.hoursPerUnit - others) / times, (c.max * c.hoursPerUnit - others) / times);
      }
      const next = best(
        candidates.filter((x) => x >= floor),
        current,
        (d) => sum(list, (c) => errorOf(c, { ...p, dwellShiftH: { ...p.dwellShiftH, [n]: d } })),
      );
      if (Math.abs(next - current) > 1e-9) moved = true;
      if (Math.abs(next) > 1e-9) p.dwellShiftH[n] = next;
      else delete p.dwellShiftH[n];
    }
    if (!moved) break;
  }
  return p;
}

/** The candidate with the least cost; ties go to the one nearest `prefer` (the smallest change). */
function best(candidates: readonly number[], prefer: number, cost: (x: number) => number): number {
  let bestX = prefer;
  let bestCost = cost(prefer);
  for (const x of candidates) {
    if (!Number.isFinite(x)) continue;
    const c = cost(x);
    if (c < bestCost - 1e-12 || (Math.abs(c - bestCost) <= 1e-12 && Math.abs(x - prefer) < Math.abs(bestX - prefer))) {
      bestX = x;
      bestCost = c;
    }
  }
  return bestX;
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

function scored(c: FitCase, p: FitParameters): Scored {
  const v = predict(c, p);
  return { kind: c.kind, family: c.family, answered: v !== null, ...observationError(v, c.min, c.max) };
}

export interface FitReport {
  parameters: FitParameters;
  inSample: ReturnType<typeof summariseAll>;
  crossValidated: ReturnType<typeof summariseAll> & { folds: number };
}

/**
 * Fits on all cases (in-sample) and by k-fold cross-validation: case i is held out in fold i mod k,
 * predicted with the parameters fitted on the other folds. Deterministic: same cases, same figures.
 */
export function fitWithCrossValidation(cases: readonly FitCase[], opts: FitOptions, folds = 5): FitReport {
  const parameters = fitParameters(cases, opts);
  const inSample = summariseAll(cases.map((c) => scored(c, parameters)));
  const k = Math.max(2, Math.min(folds, cases.length));
  const held: Scored[] = new Array(cases.length);
  for (let f = 0; f < k; f++) {
    const train = cases.filter((_, i) => i % k !== f);
    const pf = fitParameters(train, opts);
    cases.forEach((c, i) => {
      if (i % k === f) held[i] = scored(c, pf);
    });
  }
  return { parameters, inSample, crossValidated: { ...summariseAll(held), folds: k } };
}

export type { ErrorSummary };
