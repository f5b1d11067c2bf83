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
import { compiledSampleArrivals, type SamplingStep, STEP_DWELL, STEP_FIXED, STEP_RIDE } from './sampler.js';

export { type SamplingStep, STEP_DWELL, STEP_FIXED, STEP_RIDE } from './sampler.js';
import { getOrCreate } from '../model/memo.js';

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
}

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
export function sampleArrivals(
  tt: CompiledTimetable,
  steps: readonly SamplingStep[],
  readyH: number,
  samples: number,
  seed: number,
): Float64Array {
  return compiledSampleArrivals(tt, steps, readyH, samples, seed);
}

/** Nearest rank (0-based) of percentile p among n sorted samples. */
const rankOf = (n: number, p: number): number => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));

/**
 * Puts the k-th smallest of a[lo..hi] at a[k], smaller ones before it and larger after (Hoare's
 * selection, middle pivot). Three percentiles need three selections, linear on average, where a
 * sort of 10,000 samples was a sixth of a plan's time.
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

/** summarizeArrivals on samples the caller gives up: the selections reorder them. */
function summarizeInPlace(a: Float64Array, seed: number): ArrivalDistribution {
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
  const k10 = rankOf(n, 0.1);
  const k50 = rankOf(n, 0.5);
  const k90 = rankOf(n, 0.9);
  // After the middle selection, the smaller ranks lie before k50 and the larger after it.
  select(a, k50, 0, n - 1);
  select(a, k10, 0, k50);
  select(a, k90, k50, n - 1);
  const unserved = n - finite;
  return {
    p10H: n > 0 ? oneDecimal(a[k10]!) : null,
    p50H: n > 0 ? oneDecimal(a[k50]!) : null,
    p90H: n > 0 ? oneDecimal(a[k90]!) : null,
    meanH: unserved === 0 && finite > 0 ? oneDecimal(sum / finite) : null,
    samples: n,
    seed,
    unservedShare: Math.round((unserved / Math.max(1, n)) * 1e4) / 1e4,
  };
}

/** Monte Carlo of one timed path: the arrival distribution in hours from `readyH`. */
export function arrivalDistribution(
  tt: CompiledTimetable,
  steps: readonly TimedStep[],
  readyH: number,
  samples: number,
  seed: number,
): ArrivalDistribution {
  return summarizeInPlace(sampleArrivals(tt, samplingSteps(tt, steps), readyH, samples, seed), seed);
}
