/**
 * Arrival reliability of one itinerary: a seeded Monte Carlo that replays the itinerary's fixed
 * sequence of services and stops many times, each time drawing
 * - every dwell (border, gauge change, handling) from its min / typical / max distribution (PERT),
 *   including the border dwell inside a ride;
 * - the running time of services that carry a `durationH` distribution (e.g. a Caspian crossing);
 * - the wait for a departs-when-full service: the residual of a length-biased headway;
 * - a weather hold with the service's probability and duration;
 * and then boarding the first departure the cargo can still make: a scheduled service missed by a
 * late arrival costs the wait for its next run (a week, for a weekly train). Links without a
 * service keep their nominal running time. The result is the P10 / P50 / P90 of the hours from the
 * ready time to arrival (nearest-rank percentiles over the samples).
 */
import { ARC_LINK, ARC_TRANSFER, type CompiledNetwork } from '../network/compile.js';
import type { TransferKind } from '../model/types.js';
import { pertTable, threePointTable, type QuantileTable } from './distributions.js';
import type { TimedStep } from './search.js';
import type { CompiledTimetable } from './timetable.js';
import {
  compiledSampleArrivals,
  compileSampler,
  type SamplingStep,
  STEP_DWELL,
  STEP_FIXED,
  STEP_RIDE,
} from './sampler.js';

import { getOrCreate } from '../model/memo.js';

export { type SamplingStep, STEP_DWELL, STEP_FIXED, STEP_RIDE } from './sampler.js';

export interface ArrivalDistribution {
  /** Hours from the ready time. null when more than that share of samples never arrives (a timetable ran out). */
  p10H: number | null;
  p50H: number | null;
  p90H: number | null;
  meanH: number | null;
  samples: number;
  seed: number;
  /** Share of samples that found no departure within the services' validity. */
  unservedShare: number;
  /**
   * How well the samples pin the percentiles: the widest half-width, in hours, of the 95%
   * distribution-free confidence intervals of P10, P50 and P90 (order statistics around each
   * rank). null below 100 samples, or when an interval reaches unserved samples.
   */
  halfWidthH: number | null;
}

/**
 * When the Monte Carlo may stop early: after each stage's total of samples, if every percentile's
 * 95% half-width is at most `minHalfWidthH` hours or `relativeHalfWidth` of the P50, whichever is
 * larger. The last stage is the most it draws. Stages continue one random stream, so a run that
 * goes to the last stage gives exactly the samples of a fixed run of that size.
 */
export interface Precision {
  stages: readonly number[];
  minHalfWidthH: number;
  relativeHalfWidth: number;
}

/**
 * The default of `plan`: 2,000, 5,000 or 10,000 samples, until P10 / P50 / P90 are known to
 * ±0.5 h or ±0.5% of the P50 (95%). Why these figures (docs/decisions/0030): the sampling error
 * then stays an order of magnitude below the model's own out-of-sample error on transit times
 * (4.5% median, docs/calibration.md), and at 10,000 samples a plan's Monte Carlo was most of the
 * cost of an uncached plan.
 */
export const DEFAULT_PRECISION: Precision = {
  stages: [2_000, 5_000, 10_000],
  minHalfWidthH: 0.5,
  relativeHalfWidth: 0.005,
};

const tableCache = new WeakMap<CompiledNetwork, Map<string, QuantileTable>>();

function transferTable(net: CompiledNetwork, loc: number, kind: TransferKind): QuantileTable | undefined {
  const t = net.transfers[loc]?.[kind];
  if (!t) return undefined;
  const cache = getOrCreate(tableCache, net, () => new Map());
  const key = `${loc}/${kind}`;
  const table = getOrCreate(cache, key, () => threePointTable(t.durationH));
  return table;
}

/** The dwell tables of a pass or transfer arc: the border, plus the gauge change or handling. */
function dwellTables(tt: CompiledTimetable, e: number): QuantileTable[] {
  const net = tt.net;
  const loc = net.vertexLocation[net.arcTarget[e]!]!;
  const out: QuantileTable[] = [];
  const border = transferTable(net, loc, 'border');
  if (border) out.push(border);
  if (tt.arcProcessingOnly[e]) {
    // Processing only: the step's min, a constant (the wait comes from the timetable).
    const borderTypical = net.transfers[loc]?.border?.durationH.typical ?? 0;
    const processingH = tt.arcDurationH[e]! - borderTypical;
    out.push(pertTable(processingH, processingH, processingH));
  } else if (net.arcKind[e] === ARC_TRANSFER) {
    const head = net.arcTarget[e]!;
    const railBoth = net.vertexClass[head]! <= 1 && isRailArrival(net, e);
    const step = transferTable(net, loc, railBoth ? 'gauge-change' : 'handling');
    if (step) out.push(step);
  }
  return out;
}

/** Does transfer arc e come from a rail arrival platform? (Its tail is found through the CSR rows.) */
function isRailArrival(net: CompiledNetwork, e: number): boolean {
  let lo = 0;
  let hi = net.vertexCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (net.arcStart[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return net.vertexClass[lo]! <= 1;
}

export function samplingSteps(tt: CompiledTimetable, steps: readonly TimedStep[]): SamplingStep[] {
  const net = tt.net;
  return steps.map((s): SamplingStep => {
    const base = { fixedH: 0, tables: [] as QuantileTable[], nominalDwellH: 0, service: -1, board: -1, rideH: 0 };
    if (s.edge >= 0) {
      if (net.arcKind[s.edge] === ARC_LINK) return { ...base, kind: STEP_FIXED, fixedH: net.arcDurationH[s.edge]! };
      const tables = dwellTables(tt, s.edge);
      // A pass arc with no transfer data has a fixed (zero) duration.
      if (tables.length === 0) return { ...base, kind: STEP_FIXED, fixedH: net.arcDurationH[s.edge]! };
      return { ...base, kind: STEP_DWELL, tables };
    }
    const r = -s.edge - 1;
    const service = tt.rideService[r]!;
    const tables: QuantileTable[] = [];
    let nominalDwellH = 0;
    if (!tt.runFactor[service]) {
      for (let k = tt.rideArcStart[r]!; k < tt.rideArcStart[r + 1]!; k++) {
        const e = tt.rideArcs[k]!;
        if (net.arcKind[e] === ARC_LINK) continue;
        nominalDwellH += net.arcDurationH[e]!;
        tables.push(...dwellTables(tt, e));
      }
    }
    return {
      ...base,
      kind: STEP_RIDE,
      tables,
      nominalDwellH,
      service,
      board: tt.rideBoard[r]!,
      rideH: tt.rideDurationH[r]!,
    };
  });
}

/**
 * Draws `samples` arrival times (hours after `readyH`) into a Float64Array; Infinity = never served.
 * The loop is compiled over typed arrays in sampler.ts; this module says what a sample draws.
 */
export const sampleArrivals = compiledSampleArrivals;

/** Nearest rank (0-based) of percentile p among n sorted samples. */
const rankOf = (n: number, p: number): number => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));

/**
 * Puts the k-th smallest of a[lo..hi] at a[k], smaller ones before it and larger after (Hoare's
 * selection, middle pivot). The percentiles and their interval bounds are a few selections, linear
 * on average, where a sort of 10,000 samples was a sixth of a plan's time.
 * @see C.A.R. Hoare, "Algorithm 65: Find", CACM 4 (1961) 321.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

const oneDecimal = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);

export function summarizeArrivals(samples: Float64Array, seed: number): ArrivalDistribution {
  return summarizeInPlace(samples.slice(), seed);
}

/** Puts the order statistics of every rank in `ranks` (ascending) in place, within a[lo..hi]. */
function selectRanks(
  a: Float64Array,
  ranks: readonly number[],
  from: number,
  to: number,
  lo: number,
  hi: number,
): void {
  if (from >= to) return;
  const mid = (from + to) >>> 1;
  const k = ranks[mid]!;
  select(a, k, lo, hi);
  selectRanks(a, ranks, from, mid, lo, k);
  selectRanks(a, ranks, mid + 1, to, k, hi);
}

const Z95 = 1.959964;
const PERCENTILES = [0.1, 0.5, 0.9] as const;

/** 0-based ranks of the 95% interval around percentile p among n samples (normal approximation to the binomial). */
function intervalRanks(n: number, p: number): [number, number] {
  const m = n * p;
  const d = Z95 * Math.sqrt(n * p * (1 - p));
  const clamp = (r: number) => Math.min(n - 1, Math.max(0, r - 1));
  return [clamp(Math.floor(m - d)), clamp(Math.ceil(m + d))];
}

interface Located {
  /** P10, P50, P90 (raw hours). */
  at: [number, number, number];
  /** Half-widths of their 95% intervals. */
  halfWidthH: [number, number, number];
}

/** The percentiles and their intervals; reorders a. */
function locate(a: Float64Array): Located {
  const n = a.length;
  const bounds = PERCENTILES.map((p) => intervalRanks(n, p));
  const ranks = [...new Set([...PERCENTILES.map((p) => rankOf(n, p)), ...bounds.flat()])].sort((x, y) => x - y);
  selectRanks(a, ranks, 0, ranks.length, 0, n - 1);
  const half = bounds.map(([lo, hi]) => (a[hi]! - a[lo]!) / 2);
  return {
    at: [a[rankOf(n, 0.1)]!, a[rankOf(n, 0.5)]!, a[rankOf(n, 0.9)]!],
    halfWidthH: [half[0]!, half[1]!, half[2]!],
  };
}

/** Does `located` meet `precision`'s stopping rule? */
function precise(located: Located, precision: Precision): boolean {
  const p50 = located.at[1];
  if (!Number.isFinite(p50)) return false;
  const tolerance = Math.max(precision.minHalfWidthH, precision.relativeHalfWidth * Math.abs(p50));
  return located.halfWidthH.every((h) => Number.isFinite(h) && h <= tolerance);
}

/** summarizeArrivals on samples the caller gives up: the selections reorder them. */
function summarizeInPlace(a: Float64Array, seed: number): ArrivalDistribution {
  return summarizeLocated(a, seed).summary;
}

/** The summary, and where its percentiles and intervals lie (for the adaptive stopping rule). */
function summarizeLocated(a: Float64Array, seed: number): { summary: ArrivalDistribution; located?: Located } {
  const n = a.length;
  let finite = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if (Number.isFinite(x)) {
      finite++;
      sum += x;
    }
  }
  const unserved = n - finite;
  if (n === 0)
    return {
      summary: {
        p10H: null,
        p50H: null,
        p90H: null,
        meanH: null,
        samples: 0,
        seed,
        unservedShare: 0,
        halfWidthH: null,
      },
    };
  const located = locate(a);
  const widest = Math.max(...located.halfWidthH);
  const summary = {
    p10H: oneDecimal(located.at[0]),
    p50H: oneDecimal(located.at[1]),
    p90H: oneDecimal(located.at[2]),
    meanH: unserved === 0 && finite > 0 ? oneDecimal(sum / finite) : null,
    samples: n,
    seed,
    unservedShare: Math.round((unserved / Math.max(1, n)) * 1e4) / 1e4,
    halfWidthH: n >= 100 && Number.isFinite(widest) ? Math.round(widest * 100) / 100 : null,
  };
  return { summary, located };
}

/**
 * Monte Carlo of one timed path: the arrival distribution in hours from `readyH`. With `precision`,
 * `samples` is ignored: it draws the precision's stages until its stopping rule holds.
 */
export function arrivalDistribution(
  tt: CompiledTimetable,
  steps: readonly TimedStep[],
  readyH: number,
  samples: number,
  seed: number,
  precision?: Precision,
): ArrivalDistribution {
  const sampling = samplingSteps(tt, steps);
  if (!precision) return summarizeInPlace(sampleArrivals(tt, sampling, readyH, samples, seed), seed);
  const stages = precision.stages;
  const draw = compileSampler(tt, sampling, readyH, seed);
  const all = new Float64Array(stages[stages.length - 1]!);
  let drawn = 0;
  for (let i = 0; i < stages.length - 1; i++) {
    const n = stages[i]!;
    draw(all, drawn, n);
    drawn = n;
    // The summary of a stage is the answer if the rule holds there (its selections work on a copy,
    // as the stream's samples may go on).
    const { summary, located } = summarizeLocated(all.slice(0, n), seed);
    if (located && precise(located, precision)) return summary;
  }
  draw(all, drawn, all.length);
  return summarizeInPlace(all, seed);
}
