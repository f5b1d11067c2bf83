/**
 * `plan`: timed itineraries from a ready time. Resolves the places, reads the ready time (local
 * time at the origin unless it carries an offset), runs the time-dependent Pareto search over
 * arrival time, cost and CO2e, turns each path into an itinerary, and attaches the Monte Carlo
 * arrival distribution (seeded per itinerary, so the same query gives the same answer).
 */
import type { StatusInEffect } from '../model/types.js';
import { CorridorError } from '../model/errors.js';
import { parseDateTime } from '../model/iso-time.js';
import { resolvePlace } from '../model/places.js';
import { localToUtcMinutes } from '../model/timezones.js';
import type { Location } from '../model/types.js';
import { bannedArcs, type RouteConstraints } from '../routing/constraints.js';
import type { ParetoPath } from '../routing/pareto.js';
import { EQUAL_WEIGHTS, pickPreset } from '../routing/presets.js';
import type { PlaceRef } from '../routing/route.js';
import { localTime, pathSignature, toItinerary, type PlanItinerary, type PlanLabel } from './itinerary.js';
import { arrivalDistribution, DEFAULT_PRECISION, type Precision } from './reliability.js';
import { hashSeed } from './rng.js';
import { NO_DEPARTURE } from './calendar.js';
import { departureH } from './departures.js';
import { type TimedPath, timedParetoSearch } from './search.js';
import type { CompiledTimetable } from './timetable.js';
import { nth, must } from '../model/invariant.js';

/** The adaptive default's most samples (DEFAULT_PRECISION's last stage). */
export const DEFAULT_SAMPLES = 10_000;
export const DEFAULT_SEED = 1;
export const MAX_SAMPLES = 1_000_000;

export interface PlanQuery extends RouteConstraints {
  from: string;
  to: string;
  /** ISO 8601; without an offset it is local time at the origin. */
  ready: string;
  /**
   * Monte Carlo samples per itinerary. Without it, the adaptive default: 2,000 to 10,000 samples,
   * until the percentiles are known to the precision of DEFAULT_PRECISION.
   */
  samples?: number;
  seed?: number;
  /** Optional horizon: itineraries arriving later than this after the ready time are dropped. */
  maxDurationH?: number;
}

export interface PlanResult {
  query: {
    from: string;
    to: string;
    /** The ready time as understood: local time at the origin, with its offset. */
    ready: string;
    avoidCountries: string[];
    modes: string[];
    scenario: string | null;
    /** The dated statuses of the network on the ready date (a closure, a diversion), applied unasked. */
    inEffect: StatusInEffect[];
    /** The samples asked for, or the adaptive default's most (`precision` then says when it stops). */
    samples: number;
    seed: number;
    /** The adaptive default's stopping rule; null when a number of samples was asked for. */
    precision: Precision | null;
  };
  origin: PlaceRef;
  destination: PlaceRef;
  cargo: { description: string; teu: number; grossTonnes: number };
  /** `nominal`, or the scenario whose changes apply. */
  regime: string;
  itineraries: PlanItinerary[];
  /** Things the user should know: services not running at the ready time, and so on. */
  notes: string[];
}

const ref = (l: Location): PlaceRef => ({ id: l.id, name: l.name, country: l.country });

/** UTC hours of the ready time; local time at `origin` when the text has no offset. */
export function readyTimeH(text: string, origin: Location): number {
  const p = parseDateTime(text, 'ready time', 'ready');
  const utcMin =
    p.offsetMin !== undefined
      ? p.wallMin - p.offsetMin
      : localToUtcMinutes(origin.country, p.wallMin, origin.coordinates.lon);
  return utcMin / 60;
}

function checkValidity(tt: CompiledTimetable, readyH: number, readyText: string): string[] {
  const S = tt.services.length;
  if (S === 0) return [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) {
    first = Math.min(first, nth(tt.serviceValidFromH, s));
    last = Math.max(last, nth(tt.serviceValidToH, s));
  }
  const firstDay = nth(tt.services.map((s) => s.validFrom).sort(), 0);
  const lastDay = nth(tt.services.map((s) => s.validTo).sort(), S - 1);
  if (readyH >= last || readyH < first) {
    throw new CorridorError(
      'invalid-argument',
      `${readyText} is outside the validity of every service in the data (${firstDay} … ${lastDay}); ` +
        'choose a ready time in that period or extend the services',
      { firstDay, lastDay },
      'ready',
    );
  }
  const notes: string[] = [];
  const off: string[] = [];
  tt.services.forEach((svc, s) => {
    if (readyH < nth(tt.serviceValidFromH, s))
      off.push(`service ${svc.id} starts on ${svc.validFrom}, after the ready time; its links wait for it`);
    else if (departureH(tt, s, nth(tt.stopStart, s), readyH, 0) === NO_DEPARTURE)
      off.push(
        `service ${svc.id} has no departure after the ready time (valid ${svc.validFrom} … ${svc.validTo}); ` +
          `its links are unavailable`,
      );
  });
  notes.push(...off.slice(0, 5));
  if (off.length > 5) notes.push(`…and ${off.length - 5} more services without departures after the ready time`);
  return notes;
}

export function planItineraries(tt: CompiledTimetable, q: PlanQuery): PlanResult {
  return planWithPaths(tt, q).result;
}

/** The plan and, per itinerary (same order), the timed path behind it: what tracking forecasts from. */
export function planWithPaths(
  tt: CompiledTimetable,
  q: PlanQuery,
): { result: PlanResult; paths: TimedPath[]; readyH: number } {
  const net = tt.net;
  const from = resolvePlace(net.locations, q.from, 'origin');
  const to = resolvePlace(net.locations, q.to, 'destination');
  if (from.id === to.id)
    throw new CorridorError('invalid-argument', `origin and destination are both ${from.name} (${from.id})`);
  const avoid = [...new Set(q.avoidCountries ?? [])];
  for (const [role, loc] of [
    ['origin', from],
    ['destination', to],
  ] as const) {
    if (avoid.includes(loc.country))
      throw new CorridorError(
        'invalid-argument',
        `the ${role} ${loc.name} (${loc.id}) is in ${loc.country}, which is an avoided country`,
        {},
        'avoid',
      );
    if ((q.avoidLocations ?? []).includes(loc.id))
      throw new CorridorError(
        'invalid-argument',
        `the ${role} ${loc.name} (${loc.id}) is itself avoided`,
        {},
        'avoidPlaces',
      );
  }
  const precision = q.samples === undefined ? DEFAULT_PRECISION : undefined;
  const samples = q.samples ?? DEFAULT_SAMPLES;
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES)
    throw new CorridorError(
      'invalid-argument',
      `samples must be a whole number from 1 to ${MAX_SAMPLES}, got ${samples}`,
    );
  const seed = q.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new CorridorError('invalid-argument', `seed must be a whole number from 0 to 4294967295, got ${seed}`);
  const readyH = readyTimeH(q.ready, from);
  const notes = checkValidity(tt, readyH, q.ready);

  const origin = must(net.locationIndex.get(from.id));
  const destination = must(net.locationIndex.get(to.id));
  const paths = timedParetoSearch({
    tt,
    origin,
    destination,
    readyH,
    banned: bannedArcs(net, q),
    ...(q.maxDurationH !== undefined ? { maxDurationH: q.maxDurationH } : {}),
  });
  paths.sort((a, b) => a.arrivalH - b.arrivalH || a.costUsd - b.costUsd || a.co2eKg - b.co2eKg);
  const itineraries = paths.map((p, i) => {
    const itSeed = hashSeed(seed, pathSignature(tt, p));
    return toItinerary(tt, p, readyH, i + 1, arrivalDistribution(tt, p.steps, readyH, samples, itSeed, precision));
  });

  // Labels, as `route` gives them, plus the itinerary with the earliest P90.
  const asPaths: ParetoPath[] = paths.map((p) => ({
    durationH: p.arrivalH - readyH,
    costUsd: p.costUsd,
    co2eKg: p.co2eKg,
    transshipments: 0,
    borderCrossings: 0,
    risk: 0,
    arcs: [],
  }));
  const label = (preset: 'fastest' | 'cheapest' | 'greenest' | 'balanced') => {
    const i = pickPreset(asPaths, preset, EQUAL_WEIGHTS);
    if (i >= 0) nth(itineraries, i).labels.push(preset);
  };
  label('fastest');
  label('cheapest');
  label('greenest');
  label('balanced');
  let reliable = -1;
  itineraries.forEach((it, i) => {
    const p90 = it.arrival.p90H ?? Number.POSITIVE_INFINITY;
    if (
      Number.isFinite(p90) &&
      (reliable < 0 || p90 < (nth(itineraries, reliable).arrival.p90H ?? Number.POSITIVE_INFINITY))
    )
      reliable = i;
  });
  if (reliable >= 0) nth(itineraries, reliable).labels.push('most-reliable' satisfies PlanLabel);

  if (itineraries.length === 0)
    notes.push(
      'no itinerary: no service with a departure left connects the places, or the constraints exclude every route',
    );
  const result: PlanResult = {
    query: {
      from: q.from,
      to: q.to,
      ready: localTime(net, origin, readyH),
      avoidCountries: avoid,
      modes: [...(q.modes ?? [])],
      scenario: net.label ?? null,
      inEffect: [...net.inEffect],
      samples,
      seed,
      precision: precision ?? null,
    },
    origin: ref(from),
    destination: ref(to),
    cargo: {
      description: `1 × 40' container (${net.cargo.teu} TEU, ${net.cargo.grossTonnes} t gross)`,
      teu: net.cargo.teu,
      grossTonnes: net.cargo.grossTonnes,
    },
    regime: net.label ?? 'nominal',
    itineraries,
    notes,
  };
  return { result, paths, readyH };
}
