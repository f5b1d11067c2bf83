/**
 * Sampling the data's min / typical / max distributions. Each triple is read as a PERT
 * distribution — a Beta on [min, max] with mode `typical` and shape λ = 4 — the usual reading of
 * three-point expert estimates: it keeps the mode, has mean (min + 4·typical + max) / 6 and thinner
 * tails than a triangular distribution. To make a sample cost one uniform number and a lookup, each
 * distribution is compiled once into a quantile table (inverse CDF at QUANTILES + 1 equally spaced
 * probabilities, interpolated linearly).
 * @see D.G. Malcolm, J.H. Roseboom, C.E. Clark, W. Fazar, "Application of a technique for research and
 * development program evaluation", Operations Research 7 (1959) 646–669 (PERT).
 * @see D. Vose, "Risk Analysis: A Quantitative Guide", 3rd ed., Wiley 2008, §9 (modified PERT, λ = 4).
 */
export const QUANTILES = 256;
/** Grid on which the Beta density is integrated to build a table. */
const GRID = 2048;
const PERT_LAMBDA = 4;

/** Inverse CDF at probabilities 0, 1/Q, …, 1: `table[i]` is the i/Q quantile. */
export type QuantileTable = Float64Array;

/**
 * Tables already built, by their triple. A priced plan compiles a timetable per request, and a
 * table costs GRID logarithms: without this, building tables was a fifth of a plan's time. The
 * tables are never written after they are built, so one copy serves every caller. Bounded: a
 * scenario sweep can make new triples without end.
 */
const builtTables = new Map<string, QuantileTable>();
const BUILT_TABLES_MAX = 8192;

/** The quantile table of PERT(min, typical, max). A degenerate triple gives a constant. */
export function pertTable(min: number, typical: number, max: number): QuantileTable {
  const key = `${min}/${typical}/${max}`;
  const known = builtTables.get(key);
  if (known) return known;
  if (builtTables.size >= BUILT_TABLES_MAX) builtTables.clear();
  const table = buildPertTable(min, typical, max);
  builtTables.set(key, table);
  return table;
}

function buildPertTable(min: number, typical: number, max: number): QuantileTable {
  const table = new Float64Array(QUANTILES + 1);
  const range = max - min;
  if (!(range > 0)) return table.fill(typical);
  const alpha = 1 + (PERT_LAMBDA * (typical - min)) / range;
  const beta = 1 + (PERT_LAMBDA * (max - typical)) / range;
  // Cumulative mass of the Beta density at the grid's cell edges (midpoint rule per cell).
  const cdf = new Float64Array(GRID + 1);
  for (let i = 0; i < GRID; i++) {
    const x = (i + 0.5) / GRID;
    cdf[i + 1] = cdf[i]! + Math.exp((alpha - 1) * Math.log(x) + (beta - 1) * Math.log(1 - x));
  }
  const total = cdf[GRID]!;
  let cell = 0;
  for (let q = 0; q <= QUANTILES; q++) {
    const target = (q / QUANTILES) * total;
    while (cell < GRID - 1 && cdf[cell + 1]! < target) cell++;
    const lo = cdf[cell]!;
    const hi = cdf[cell + 1]!;
    const frac = hi > lo ? Math.min(1, Math.max(0, (target - lo) / (hi - lo))) : 0;
    table[q] = min + range * ((cell + frac) / GRID);
  }
  table[0] = min;
  table[QUANTILES] = max;
  return table;
}

/**
 * The distribution sampled for a min / typical / max triple. The upper bound is the data's max or
 * the mirror of the lower spread (typical + (typical − min)), whichever is smaller: in the default
 * data, `max` records disruption extremes (a 30-day wait at Aktau in Nov 2024, the 2024 Dostyk
 * queue) that are regimes of their own — modelled by scenarios such as `congested` — not the
 * day-to-day spread of the nominal regime. See docs/decisions/0005.
 */
export function threePointTable(d: { min: number; typical: number; max: number }): QuantileTable {
  return pertTable(d.min, d.typical, Math.min(d.max, 2 * d.typical - d.min));
}

/** A sample: the quantile at probability u ∈ [0, 1). */
export function sampleTable(table: QuantileTable, u: number): number {
  const x = u * QUANTILES;
  const i = x | 0;
  const f = x - i;
  return table[i]! + f * (table[i + 1]! - table[i]!);
}

/** Mean of the tabulated distribution (trapezoid over the quantile function). */
export function tableMean(table: QuantileTable): number {
  let s = 0;
  for (let i = 0; i < QUANTILES; i++) s += (table[i]! + table[i + 1]!) / 2;
  return s / QUANTILES;
}

/** E[X²] of the tabulated distribution (piecewise-linear quantile function, exact per piece). */
function tableSecondMoment(table: QuantileTable): number {
  let s = 0;
  for (let i = 0; i < QUANTILES; i++) {
    const a = table[i]!;
    const b = table[i + 1]!;
    s += (a * a + a * b + b * b) / 3;
  }
  return s / QUANTILES;
}

/**
 * Departs-when-full services: cargo arriving at a random moment waits for the residual of the
 * current headway. In a stationary renewal process the interval that contains a random moment is
 * length-biased (density ∝ h·f(h)) and the wait is a uniform share of it. This returns the quantile
 * table of that length-biased headway; a wait sample is `u2 · sampleTable(lb, u1)`.
 * @see S.M. Ross, "Introduction to Probability Models", 10th ed., §7.7 (the inspection paradox).
 */
const lengthBiased = new WeakMap<QuantileTable, QuantileTable>();

export function lengthBiasedTable(table: QuantileTable): QuantileTable {
  let lb = lengthBiased.get(table);
  if (!lb) {
    lb = buildLengthBiased(table);
    lengthBiased.set(table, lb);
  }
  return lb;
}

function buildLengthBiased(table: QuantileTable): QuantileTable {
  // Mass of h·f(h) over each equal-probability slice of the original distribution.
  const cum = new Float64Array(QUANTILES + 1);
  for (let i = 0; i < QUANTILES; i++) cum[i + 1] = cum[i]! + (table[i]! + table[i + 1]!) / 2;
  const total = cum[QUANTILES]!;
  const out = new Float64Array(QUANTILES + 1);
  if (!(total > 0)) return out.fill(table[0]!);
  let i = 0;
  for (let q = 0; q <= QUANTILES; q++) {
    const target = (q / QUANTILES) * total;
    while (i < QUANTILES - 1 && cum[i + 1]! < target) i++;
    const lo = cum[i]!;
    const hi = cum[i + 1]!;
    const frac = hi > lo ? Math.min(1, Math.max(0, (target - lo) / (hi - lo))) : 0;
    out[q] = table[i]! + frac * (table[i + 1]! - table[i]!);
  }
  return out;
}

/** Expected wait of cargo arriving at a random moment: E[H²] / (2·E[H]). */
export function meanResidualWait(headway: QuantileTable): number {
  const m = tableMean(headway);
  return m > 0 ? tableSecondMoment(headway) / (2 * m) : 0;
}
