/**
 * The live forecast: the schedules engine's Monte Carlo (src/schedule/reliability.ts) run on the
 * rest of the itinerary from where the container really is. What is known is fixed — completed
 * legs are not re-drawn, a departure that happened is at its actual time — and what is not known is
 * conditioned on the time of the forecast:
 * - in transit on a leg: its running time is drawn given the elapsed time (draws shorter than the
 *   elapsed time are rejected; a leg overdue beyond every draw gets a short residual, see below);
 * - waiting for a departure that has not been reported by the time of the forecast: that departure
 *   is at or after the forecast time, so a scheduled service the cargo missed moves to its next
 *   departure, and a departs-when-full ferry's wait is drawn afresh from that moment.
 * The result is the P10/P50/P90 of the arrival, the share of draws that still make each planned
 * departure ahead ("connections"), and, in transit, the P90 of the current leg's arrival (for the
 * overdue alert). Everything is in UTC hours since the epoch; no IO.
 */
import { ARC_LINK } from '../network/compile.js';
import { NO_DEPARTURE } from '../schedule/calendar.js';
import { departureH } from '../schedule/departures.js';
import { sampleTable } from '../schedule/distributions.js';
import { type SamplingStep, STEP_DWELL, STEP_FIXED, samplingSteps } from '../schedule/reliability.js';
import { Rng } from '../schedule/rng.js';
import type { TimedStep } from '../schedule/search.js';
import { SERVICE_SCHEDULED, type CompiledTimetable } from '../schedule/timetable.js';
import type { Phase } from './sequence.js';

/** A planned itinerary prepared for forecasting: its steps, and the leg of each (-1: a stop between legs). */
export interface ForecastPlan {
  tt: CompiledTimetable;
  steps: readonly TimedStep[];
  sampling: readonly SamplingStep[];
  stepLeg: Int32Array;
  /** Step index of each leg. */
  legStep: Int32Array;
  readyH: number;
}

/** The latest accepted milestone: where the container is known to be. */
export interface Position {
  leg: number;
  phase: Phase;
  atH: number;
}

export interface Connection {
  leg: number;
  service: string;
  plannedDepartureH: number;
  /** Share of draws boarding the planned departure. */
  reachableShare: number;
}

export interface LiveForecast {
  asOfH: number;
  position: Position | null;
  p10H: number | null;
  p50H: number | null;
  p90H: number | null;
  /** Share of draws that never arrive (a timetable ran out). */
  unservedShare: number;
  connections: Connection[];
  /** In transit: P90 of the current leg's arrival, drawn from its actual departure. */
  currentLegP90H: number | null;
  samples: number;
  seed: number;
}

/**
 * Residual time drawn for a leg overdue beyond every draw of its running time: uniform on
 * [0, OVERDUE_RESIDUAL_SHARE · planned running time]. An assumption (no data on the tail of
 * delays beyond the modelled spread): it keeps such a forecast just ahead of "now" rather than in
 * the past, and says little, which is what is known.
 */
export const OVERDUE_RESIDUAL_SHARE = 0.1;
const REJECTION_TRIES = 64;

export function forecastPlan(tt: CompiledTimetable, steps: readonly TimedStep[], readyH: number): ForecastPlan {
  const stepLeg = new Int32Array(steps.length).fill(-1);
  const legStep: number[] = [];
  steps.forEach((s, k) => {
    if (s.edge < 0 || tt.net.arcKind[s.edge] === ARC_LINK) {
      stepLeg[k] = legStep.length;
      legStep.push(k);
    }
  });
  return { tt, steps, sampling: samplingSteps(tt, steps), stepLeg, legStep: Int32Array.from(legStep), readyH };
}

/** Where sampling starts for a position. */
interface Start {
  step: number;
  tH: number;
  /** In transit: the leg's ride step and its actual departure. */
  departedH: number | null;
  /** Cargo already loaded: the cut-off is met. */
  loaded: boolean;
}

function startOf(plan: ForecastPlan, pos: Position | null): Start {
  if (!pos) return { step: 0, tH: plan.readyH, departedH: null, loaded: false };
  const k = plan.legStep[pos.leg] ?? 0;
  switch (pos.phase) {
    case 'GTIN':
      return { step: k, tH: pos.atH, departedH: null, loaded: false };
    case 'LOAD':
      return { step: k, tH: pos.atH, departedH: null, loaded: true };
    case 'DEPA':
      return { step: k, tH: pos.atH, departedH: pos.atH, loaded: true };
    default:
      return { step: k + 1, tH: pos.atH, departedH: null, loaded: false };
  }
}

/** One draw of a ride's running time (as the schedule engine draws it). */
function drawRide(tt: CompiledTimetable, s: SamplingStep, rng: Rng): number {
  const factor = tt.runFactor[s.service];
  let ride = factor ? s.rideH * sampleTable(factor, rng.next()) : s.rideH - s.nominalDwellH;
  for (const table of s.tables) ride += sampleTable(table, rng.next());
  return ride;
}

/** A leg's running time: a ride draw, or a link's fixed time. */
function drawLeg(tt: CompiledTimetable, s: SamplingStep, rng: Rng): number {
  return s.kind === STEP_FIXED ? s.fixedH : drawRide(tt, s, rng);
}

/**
 * One draw of the rest of the journey; returns the arrival (Infinity: never served). `legTimes`
 * (2 per leg: departure, arrival), when given, receives the draw's milestones — the simulator of
 * the coverage test uses it to make "true" journeys from the model itself.
 */
export function drawJourney(
  plan: ForecastPlan,
  start: Start,
  asOfH: number,
  rng: Rng,
  legTimes?: Float64Array,
  boarded?: Float64Array,
): number {
  const { tt, sampling, stepLeg } = plan;
  let t = start.tH;
  let k = start.step;
  let mustWait = true;
  if (start.departedH !== null) {
    const s = sampling[k];
    if (s) {
      const elapsed = asOfH - start.departedH;
      let ride = drawLeg(tt, s, rng);
      for (let i = 0; i < REJECTION_TRIES && ride < elapsed; i++) ride = drawLeg(tt, s, rng);
      if (ride < elapsed) ride = elapsed + rng.next() * OVERDUE_RESIDUAL_SHARE * s.rideH;
      t = start.departedH + ride;
      const leg = stepLeg[k] ?? -1;
      if (legTimes && leg >= 0) {
        legTimes[2 * leg] = start.departedH;
        legTimes[2 * leg + 1] = t;
      }
      k++;
    }
    mustWait = false;
  }
  for (; k < sampling.length; k++) {
    const s = sampling[k];
    if (!s) break;
    const leg = stepLeg[k] ?? -1;
    if (s.kind === STEP_DWELL) {
      for (const table of s.tables) t += sampleTable(table, rng.next());
      continue;
    }
    let dep: number;
    if (s.kind === STEP_FIXED) {
      dep = leg >= 0 && mustWait ? Math.max(t, asOfH) : t;
    } else {
      const svc = s.service;
      const lb = tt.headwayLengthBiased[svc];
      const cutoff = tt.serviceCutoffH[svc] ?? 0;
      const ready = k === start.step && start.loaded ? t - cutoff : t;
      // Not reported as departed by the time of the forecast: it leaves at or after it.
      const earliest = mustWait ? Math.max(ready, asOfH - cutoff) : ready;
      const wait = lb ? rng.next() * sampleTable(lb, rng.next()) : 0;
      dep = departureH(tt, svc, s.board, earliest, wait);
      if (dep === NO_DEPARTURE) return Number.POSITIVE_INFINITY;
      if (boarded && leg >= 0) boarded[leg] = dep;
      const pw = tt.weatherProbability[svc] ?? 0;
      if (pw > 0 && rng.next() < pw) {
        const delay = tt.weatherDelay[svc];
        if (delay) dep += sampleTable(delay, rng.next());
      }
    }
    mustWait = false;
    const arr = dep + drawLeg(tt, s, rng);
    if (legTimes && leg >= 0) {
      legTimes[2 * leg] = dep;
      legTimes[2 * leg + 1] = arr;
    }
    t = arr;
  }
  return t;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}
const finiteOrNull = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);

/** The forecast from a known position at time `asOfH`, with `samples` seeded draws. */
export function liveForecast(
  plan: ForecastPlan,
  position: Position | null,
  asOfH: number,
  samples: number,
  seed: number,
): LiveForecast {
  const start = startOf(plan, position);
  const rng = new Rng(seed);
  const legs = plan.legStep.length;
  const out = new Float64Array(samples);
  const boarded = new Float64Array(legs);
  const hits = new Float64Array(legs);
  const plannedDep = new Float64Array(legs).fill(Number.NaN);
  const connectionLegs: number[] = [];
  for (let leg = 0; leg < legs; leg++) {
    const k = plan.legStep[leg] ?? -1;
    const s = plan.sampling[k];
    const step = plan.steps[k];
    if (!s || !step || k < start.step || (k === start.step && start.departedH !== null)) continue;
    if (s.kind === STEP_FIXED || plan.tt.serviceKind[s.service] !== SERVICE_SCHEDULED) continue;
    plannedDep[leg] = step.departureH;
    connectionLegs.push(leg);
  }
  for (let i = 0; i < samples; i++) {
    boarded.fill(Number.NaN);
    out[i] = drawJourney(plan, start, asOfH, rng, undefined, boarded);
    for (const leg of connectionLegs)
      if (Math.abs((boarded[leg] ?? Number.NaN) - (plannedDep[leg] ?? 0)) < 1 / 120) hits[leg] = (hits[leg] ?? 0) + 1;
  }
  out.sort();
  let unserved = 0;
  for (const x of out) if (!Number.isFinite(x)) unserved++;
  let currentLegP90H: number | null = null;
  if (start.departedH !== null) {
    const s = plan.sampling[start.step];
    if (s) {
      const legRng = new Rng(seed ^ 0x5bd1e995);
      const rides = new Float64Array(samples);
      for (let i = 0; i < samples; i++) rides[i] = start.departedH + drawLeg(plan.tt, s, legRng);
      rides.sort();
      currentLegP90H = finiteOrNull(percentile(rides, 0.9));
    }
  }
  return {
    asOfH,
    position,
    p10H: finiteOrNull(percentile(out, 0.1)),
    p50H: finiteOrNull(percentile(out, 0.5)),
    p90H: finiteOrNull(percentile(out, 0.9)),
    unservedShare: Math.round((unserved / Math.max(1, samples)) * 1e4) / 1e4,
    connections: connectionLegs.map((leg) => {
      const s = plan.sampling[plan.legStep[leg] ?? 0];
      return {
        leg,
        service: s ? (plan.tt.services[s.service]?.id ?? '') : '',
        plannedDepartureH: plannedDep[leg] ?? 0,
        reachableShare: Math.round(((hits[leg] ?? 0) / samples) * 1e4) / 1e4,
      };
    }),
    currentLegP90H,
    samples,
    seed,
  };
}

export { startOf as forecastStart };
