/**
 * A timed itinerary: what the DCSA mapping needs, whatever produced the times. Today they come
 * from `nominalItineraries` (timeless routes laid out from a reference departure); the schedules
 * engine (src/schedule) will provide real departures with the same shape, and only the provider
 * in routes/dcsa.ts changes.
 */
import type { Location, Mode } from '../../model/types.js';
import type { RouteOption } from '../../routing/route.js';

export interface TimedLeg {
  from: Location;
  to: Location;
  mode: Mode;
  departure: Date;
  arrival: Date;
  co2eKg: number;
  linkId: string;
  operator: string;
}

export interface TimedItinerary {
  /** 1-based, stable within one response. */
  solutionNumber: number;
  legs: TimedLeg[];
  departure: Date;
  arrival: Date;
  co2eKg: number;
  /** Vessel-to-vessel transfers only (the DCSA definition of a transhipment). */
  transhipments: number;
  /** Identifies the routing for a later booking. */
  reference: string;
}

const HOUR_MS = 3_600_000;
const VESSEL = new Set(['sea', 'ferry']);

/**
 * Lays each option out in time from `departure`: leg i leaves when leg i−1 arrived plus the dwell
 * of the stops between them (border, gauge change, handling), using the nominal hours of the route.
 */
export function nominalItineraries(options: readonly RouteOption[], locations: ReadonlyMap<string, Location>, departure: Date): TimedItinerary[] {
  return options.map((o) => {
    let t = departure.getTime();
    const legs: TimedLeg[] = o.legs.map((leg, i) => {
      for (const s of o.stops) if (s.afterLeg === i - 1) t += s.durationH * HOUR_MS;
      const dep = new Date(t);
      t += leg.durationH * HOUR_MS;
      return {
        from: locations.get(leg.from)!,
        to: locations.get(leg.to)!,
        mode: leg.mode,
        departure: dep,
        arrival: new Date(t),
        co2eKg: leg.co2eKg,
        linkId: leg.linkId,
        operator: leg.operator,
      };
    });
    for (const s of o.stops) if (s.afterLeg === o.legs.length - 1) t += s.durationH * HOUR_MS;
    let transhipments = 0;
    for (let i = 1; i < o.legs.length; i++) if (VESSEL.has(o.legs[i - 1]!.mode) && VESSEL.has(o.legs[i]!.mode)) transhipments++;
    return {
      solutionNumber: o.option,
      legs,
      departure,
      arrival: new Date(t),
      co2eKg: o.totals.co2eKg,
      transhipments,
      reference: `corridor:${o.legs.map((l) => l.linkId).join('+')}`,
    };
  });
}
