/**
 * The Monte Carlo's inner loop, compiled: an itinerary's sampling steps flattened into typed
 * arrays (one opcode per step, every quantile table it draws from copied into one pool), so a
 * sample is a walk over numbers with no object, iterator or closure on the way. It draws the same
 * random numbers in the same order and does the same arithmetic as the step-by-step reading in
 * reliability.ts (`sampleArrivals` before this file): a seed gives the answer it gave before. Why
 * it is worth a file: the samples of its itineraries were two thirds of an uncached plan's time,
 * and an uncached plan is what the API's throughput goal measures (docs/benchmarks.md).
 */
import { NO_DEPARTURE, nextDepartureH } from './calendar.js';
import { QUANTILES, type QuantileTable } from './distributions.js';
import { Rng } from './rng.js';
import { SERVICE_SCHEDULED, type CompiledTimetable } from './timetable.js';

export const STEP_FIXED = 0;
export const STEP_DWELL = 1;
export const STEP_RIDE = 2;

/** What to draw for one step of the itinerary; built once, replayed per sample. */
export interface SamplingStep {
  kind: number;
  fixedH: number;
  /** Dwell tables (STEP_DWELL: summed; STEP_RIDE: border dwell en route, replacing its nominal share). */
  tables: QuantileTable[];
  nominalDwellH: number;
  service: number;
  board: number;
  rideH: number;
}

const OP_FIXED = 0;
const OP_DWELL = 1;
const OP_SCHEDULED = 2;
const OP_WHEN_FULL = 3;
const NONE = -1;
const STRIDE = QUANTILES + 1;

/** Start and end of a UTC month, in hours since the epoch, and its number (0 = January). */
function monthSpan(h: number): { fromH: number; toH: number; month: number } {
  const d = new Date(Math.floor(h) * 3_600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { fromH: Date.UTC(y, m, 1) / 3_600_000, toH: Date.UTC(y, m + 1, 1) / 3_600_000, month: m };
}

/**
 * Draws `samples` arrival times (hours after `readyH`) into a Float64Array; Infinity = never served.
 */
export function compiledSampleArrivals(
  tt: CompiledTimetable,
  steps: readonly SamplingStep[],
  readyH: number,
  samples: number,
  seed: number,
): Float64Array {
  const out = new Float64Array(samples);
  compileSampler(tt, steps, readyH, seed)(out, 0, samples);
  return out;
}

/**
 * Draws samples `from` … `to` − 1 of the stream into `out` (arrival hours after the ready time).
 * Successive calls continue one stream: drawing 0–2,000 and then 2,000–10,000 gives the samples of
 * one 10,000-sample run, which the adaptive Monte Carlo (reliability.ts) relies on.
 */
export type DrawSamples = (out: Float64Array, from: number, to: number) => void;

/** The compiled sampler of one itinerary from one ready time, with its random stream. */
export function compileSampler(
  tt: CompiledTimetable,
  steps: readonly SamplingStep[],
  readyH: number,
  seed: number,
): DrawSamples {
  const n = steps.length;
  const op = new Uint8Array(n);
  const fixedH = new Float64Array(n);
  const tabFrom = new Int32Array(n);
  const tabTo = new Int32Array(n);
  const svcOf = new Int32Array(n);
  const rideH = new Float64Array(n);
  const dwellShareH = new Float64Array(n);
  const depOffsetH = new Float64Array(n);
  const cutoffH = new Float64Array(n);
  const validFromH = new Float64Array(n);
  const validToH = new Float64Array(n);
  const lbAt = new Int32Array(n).fill(NONE);
  const factorAt = new Int32Array(n).fill(NONE);
  const weatherAt = new Int32Array(n).fill(NONE);
  // The pool of tables, and the offsets of each step's own (dwell or en-route border) tables.
  const pooled: QuantileTable[] = [];
  const offsets = new Map<QuantileTable, number>();
  const place = (t: QuantileTable): number => {
    let o = offsets.get(t);
    if (o === undefined) {
      o = pooled.length * STRIDE;
      offsets.set(t, o);
      pooled.push(t);
    }
    return o;
  };
  const own: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = steps[k]!;
    tabFrom[k] = own.length;
    for (const t of s.tables) own.push(place(t));
    tabTo[k] = own.length;
    if (s.kind === STEP_FIXED) {
      op[k] = OP_FIXED;
      fixedH[k] = s.fixedH;
      continue;
    }
    if (s.kind === STEP_DWELL) {
      op[k] = OP_DWELL;
      continue;
    }
    const v = s.service;
    svcOf[k] = v;
    op[k] = tt.serviceKind[v] === SERVICE_SCHEDULED ? OP_SCHEDULED : OP_WHEN_FULL;
    rideH[k] = s.rideH;
    dwellShareH[k] = s.nominalDwellH;
    depOffsetH[k] = tt.stopDepOffsetH[s.board]!;
    cutoffH[k] = tt.serviceCutoffH[v]!;
    validFromH[k] = tt.serviceValidFromH[v]!;
    validToH[k] = tt.serviceValidToH[v]!;
    const lb = tt.headwayLengthBiased[v];
    if (lb) lbAt[k] = place(lb);
    const factor = tt.runFactor[v];
    if (factor) factorAt[k] = place(factor);
    const weather = tt.weatherDelay[v];
    if (weather) weatherAt[k] = place(weather);
  }
  const tabs = Int32Array.from(own);
  const pool = new Float64Array(pooled.length * STRIDE);
  for (let i = 0; i < pooled.length; i++) pool.set(pooled[i]!, i * STRIDE);
  // Per scheduled ride, the last run found, with the lowest calendar instant seen to board it: if
  // cargo ready at q boards the run at D, cargo ready at any later time up to D less the cut-off
  // boards D too, as no run leaves in between, so most samples skip the calendar walk (exact).
  // Per ride, the month of the last departure, whose weather chance it reads.
  const runFromH = new Float64Array(n).fill(Number.NaN);
  const runH = new Float64Array(n).fill(Number.NaN);
  const monthFromH = new Float64Array(n).fill(Number.NaN);
  const monthToH = new Float64Array(n).fill(Number.NaN);
  const chance = new Float64Array(n);
  const weatherMonthly = tt.weatherMonthly;

  const rng = new Rng(seed);
  // The loop runs in a function of its own with everything as parameters: V8 keeps parameters in
  // registers, where a closure's captured variables are loaded from its context at every use.
  const state = { op, fixedH, tabFrom, tabTo, svcOf, rideH, dwellShareH, depOffsetH, cutoffH, validFromH, validToH };
  const more = { lbAt, factorAt, weatherAt, tabs, pool, runFromH, runH, monthFromH, monthToH, chance };
  return (out, from, to) => drawInto(tt, state, more, weatherMonthly, rng, readyH, n, out, from, to);
}

interface Steps {
  op: Uint8Array;
  fixedH: Float64Array;
  tabFrom: Int32Array;
  tabTo: Int32Array;
  svcOf: Int32Array;
  rideH: Float64Array;
  dwellShareH: Float64Array;
  depOffsetH: Float64Array;
  cutoffH: Float64Array;
  validFromH: Float64Array;
  validToH: Float64Array;
}

interface Tables {
  lbAt: Int32Array;
  factorAt: Int32Array;
  weatherAt: Int32Array;
  tabs: Int32Array;
  pool: Float64Array;
  runFromH: Float64Array;
  runH: Float64Array;
  monthFromH: Float64Array;
  monthToH: Float64Array;
  chance: Float64Array;
}

function drawInto(
  tt: CompiledTimetable,
  st: Steps,
  tb: Tables,
  weatherMonthly: Float64Array,
  rng: Rng,
  readyH: number,
  n: number,
  out: Float64Array,
  from: number,
  to: number,
): void {
  // Both as local numbers: with the imported constant (read from its module cell) and the
  // parameter as they come, V8 kept the running time boxed, and every sample allocated about
  // 266 bytes of heap numbers, 2.3 MB of a plan's 3.3 MB (decision 0031).
  const never = +NO_DEPARTURE;
  const ready = +readyH;
  const { op, fixedH, tabFrom, tabTo, svcOf, rideH, dwellShareH, depOffsetH, cutoffH, validFromH, validToH } = st;
  const { lbAt, factorAt, weatherAt, tabs, pool, runFromH, runH, monthFromH, monthToH, chance } = tb;
  for (let i = from; i < to; i++) {
    let t = ready;
    for (let k = 0; k < n && t !== never; k++) {
      const code = op[k]!;
      if (code === OP_FIXED) {
        t += fixedH[k]!;
        continue;
      }
      if (code === OP_DWELL) {
        for (let j = tabFrom[k]!; j < tabTo[k]!; j++) {
          const x = rng.next() * QUANTILES;
          const q = x | 0;
          const o = tabs[j]! + q;
          t += pool[o]! + (x - q) * (pool[o + 1]! - pool[o]!);
        }
        continue;
      }
      const offset = depOffsetH[k]!;
      let dep: number;
      if (code === OP_SCHEDULED) {
        const x = t + cutoffH[k]! - offset;
        if (!(x >= runFromH[k]! && x <= runH[k]!)) {
          const run = nextDepartureH(tt.calendars[svcOf[k]!]!, x);
          if (run === runH[k]) runFromH[k] = Math.min(runFromH[k]!, x);
          else {
            runFromH[k] = x;
            runH[k] = run;
          }
        }
        const run = runH[k]!;
        dep = run === never ? never : run + offset;
      } else {
        let wait = 0;
        const lb = lbAt[k]!;
        if (lb !== NONE) {
          const share = rng.next();
          const x = rng.next() * QUANTILES;
          const q = x | 0;
          const o = lb + q;
          wait = share * (pool[o]! + (x - q) * (pool[o + 1]! - pool[o]!));
        }
        const earliest = t + cutoffH[k]!;
        const d = Math.max(earliest, validFromH[k]! + offset) + wait;
        dep = d - offset < validToH[k]! ? d : never;
      }
      if (dep === never) {
        t = never;
        break;
      }
      if (!(dep >= monthFromH[k]! && dep < monthToH[k]!)) {
        const span = monthSpan(dep);
        monthFromH[k] = span.fromH;
        monthToH[k] = span.toH;
        chance[k] = weatherMonthly[svcOf[k]! * 12 + span.month] ?? 0;
      }
      const pw = chance[k]!;
      if (pw > 0 && rng.next() < pw) {
        const x = rng.next() * QUANTILES;
        const q = x | 0;
        const o = weatherAt[k]! + q;
        dep += pool[o]! + (x - q) * (pool[o + 1]! - pool[o]!);
      }
      let ride: number;
      const factor = factorAt[k]!;
      if (factor !== NONE) {
        const x = rng.next() * QUANTILES;
        const q = x | 0;
        const o = factor + q;
        ride = rideH[k]! * (pool[o]! + (x - q) * (pool[o + 1]! - pool[o]!));
      } else ride = rideH[k]! - dwellShareH[k]!;
      for (let j = tabFrom[k]!; j < tabTo[k]!; j++) {
        const x = rng.next() * QUANTILES;
        const q = x | 0;
        const o = tabs[j]! + q;
        ride += pool[o]! + (x - q) * (pool[o + 1]! - pool[o]!);
      }
      t = dep + ride;
    }
    out[i] = t - ready;
  }
}
