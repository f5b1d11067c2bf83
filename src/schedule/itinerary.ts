/**
 * Turns a timed path into what a shipper reads: legs (one per service ride or unscheduled link)
 * with departure, arrival, waiting time and the service used; stops between legs with their
 * times; totals; and the arrival distribution. Times print in local time with the offset of the
 * place (RFC 3339).
 */
import { formatDateTime } from '../model/iso-time.js';
import { utcOffsetMinutes } from '../model/timezones.js';
import type { Mode, ServiceCapacityUnit, ServiceKind, TransferKind } from '../model/types.js';
import { serviceKind } from '../model/types.js';
import { ARC_LINK, type CompiledNetwork } from '../network/compile.js';
import { round, stopAt, toOption, type RouteTotals } from '../routing/itinerary.js';
import type { ParetoPath } from '../routing/pareto.js';
import type { ArrivalDistribution } from './reliability.js';
import type { TimedPath } from './search.js';
import type { CompiledTimetable } from './timetable.js';
import { must, nth } from '../model/invariant.js';

export interface PlanCall {
  at: string;
  name: string;
  arrival: string;
  departure: string;
}

export interface PlanService {
  id: string;
  name: string;
  operator: string;
  kind: ServiceKind;
  /** Latest time the cargo must be at the terminal (departure − cut-off). */
  cutoff: string | null;
  capacityPerDeparture: { value: number; unit: ServiceCapacityUnit } | null;
  /**
   * The dated run this leg rides: its departure from the service's first location, UTC
   * (`YYYY-MM-DDTHH:MMZ`). For departs-when-full services the planned (mean-wait) departure.
   */
  run: string;
}

export interface PlanLeg {
  from: string;
  to: string;
  fromName: string;
  toName: string;
  mode: Mode;
  gaugeMm?: number;
  /** The service used; null for a link without a published service (continuously available). */
  service: PlanService | null;
  linkIds: string[];
  /** Hours between the cargo being ready at the departure platform and the departure. */
  waitH: number;
  departure: string;
  arrival: string;
  durationH: number;
  distanceKm: number;
  costUsd: number;
  co2eKg: number;
  countries: string[];
  passages: string[];
  corridor: string;
  /** Intermediate calls of the service (no transshipment there). */
  calls: PlanCall[];
}

export interface PlanStop {
  at: string;
  name: string;
  /** Index of the leg the stop follows. */
  afterLeg: number;
  events: TransferKind[];
  change?: string;
  start: string;
  end: string;
  durationH: number;
  costUsd: number;
}

export type PlanLabel = 'fastest' | 'cheapest' | 'greenest' | 'balanced' | 'most-reliable';

export interface PlanTotals extends RouteTotals {
  /** Ready time → planned arrival. */
  durationH: number;
  durationDays: number;
  /** Hours spent waiting for departures (cut-offs included). */
  waitingH: number;
}

export interface PlanItinerary {
  option: number;
  labels: PlanLabel[];
  corridors: string[];
  summary: string;
  /** Departure of the first leg. */
  departure: string;
  /** Arrival in the nominal regime: typical dwell, mean wait for departs-when-full services, no delays. */
  plannedArrival: string;
  /** Monte Carlo: hours from the ready time, and the same as local times at the destination. */
  arrival: ArrivalDistribution & { p10: string | null; p50: string | null; p90: string | null };
  legs: PlanLeg[];
  stops: PlanStop[];
  totals: PlanTotals;
  /**
   * What a booking names to reserve exactly this itinerary's departures (set by the application
   * layer: src/booking/routing.ts).
   */
  routingReference?: string;
}

/** UTC hours → `YYYY-MM-DDTHH:MMZ`, to the minute. */
export function utcMinute(tH: number): string {
  return `${new Date(Math.round(tH * 60) * 60_000).toISOString().slice(0, 16)}Z`;
}

/** Local RFC 3339 time at location `loc`. */
export function localTime(net: CompiledNetwork, loc: number, tH: number): string {
  const l = nth(net.locations, loc);
  const min = tH * 60;
  return formatDateTime(min, utcOffsetMinutes(l.country, min, l.coordinates.lon));
}

/** The base arcs a timed path traverses (rides expanded). */
export function baseArcs(tt: CompiledTimetable, path: TimedPath): number[] {
  const arcs: number[] = [];
  for (const s of path.steps) {
    if (s.edge >= 0) arcs.push(s.edge);
    else {
      const r = -s.edge - 1;
      for (let k = nth(tt.rideArcStart, r); k < nth(tt.rideArcStart, r + 1); k++) arcs.push(nth(tt.rideArcs, k));
    }
  }
  return arcs;
}

/** A stable text for a path's edges, used to seed its Monte Carlo. */
export function pathSignature(tt: CompiledTimetable, path: TimedPath): string {
  return path.steps
    .map((s) =>
      s.edge >= 0
        ? `a${s.edge}`
        : `s:${nth(tt.services, nth(tt.rideService, -s.edge - 1)).id}@${Math.round(s.departureH * 60)}`,
    )
    .join(' ');
}

export function toItinerary(
  tt: CompiledTimetable,
  path: TimedPath,
  readyH: number,
  n: number,
  arrival: ArrivalDistribution,
): PlanItinerary {
  const net = tt.net;
  const arcs = baseArcs(tt, path);
  const pp: ParetoPath = { durationH: 0, costUsd: 0, co2eKg: 0, transshipments: 0, borderCrossings: 0, risk: 0, arcs };
  for (const e of arcs) {
    pp.durationH += nth(net.arcDurationH, e);
    pp.costUsd += nth(net.arcCostUsd, e);
    pp.co2eKg += nth(net.arcCo2eKg, e);
    pp.transshipments += nth(net.arcTransshipment, e);
    pp.borderCrossings += nth(net.arcBorderCrossings, e);
    pp.risk += nth(net.arcRisk, e);
  }
  // Totals (countries, passages, borders, transshipments…) exactly as `route` computes them.
  const option = toOption(net, pp, n);
  // option.legs follow the link arcs in path order; each plan leg takes the next ones.
  let nextLinkLeg = 0;

  const legs: PlanLeg[] = [];
  const stops: PlanStop[] = [];
  let waitingH = 0;
  for (const s of path.steps) {
    if (s.edge >= 0 && net.arcKind[s.edge] !== ARC_LINK) {
      const stop = stopAt(net, s.edge);
      if (!stop) continue;
      stops.push({
        at: stop.location.id,
        name: stop.location.name,
        afterLeg: legs.length - 1,
        events: stop.events,
        ...(stop.change ? { change: stop.change } : {}),
        start: localTime(net, stop.loc, s.readyH),
        end: localTime(net, stop.loc, s.arrivalH),
        durationH: round(s.arrivalH - s.readyH, 1),
        costUsd: round(nth(net.arcCostUsd, s.edge)),
      });
      continue;
    }
    const linkArcs: number[] = [];
    const calls: PlanCall[] = [];
    let service: PlanService | null = null;
    if (s.edge >= 0) linkArcs.push(s.edge);
    else {
      const r = -s.edge - 1;
      const k = nth(tt.rideService, r);
      const svc = nth(tt.services, k);
      for (let q = nth(tt.rideArcStart, r); q < nth(tt.rideArcStart, r + 1); q++) {
        const e = nth(tt.rideArcs, q);
        if (net.arcKind[e] === ARC_LINK) linkArcs.push(e);
      }
      const runStart = s.departureH - nth(tt.stopDepOffsetH, nth(tt.rideBoard, r));
      for (let stop = nth(tt.rideBoard, r) + 1; stop < nth(tt.rideAlight, r); stop++) {
        const loc = nth(tt.stopLocation, stop);
        calls.push({
          at: nth(net.locations, loc).id,
          name: nth(net.locations, loc).name,
          arrival: localTime(net, loc, runStart + nth(tt.stopArrOffsetH, stop)),
          departure: localTime(net, loc, runStart + nth(tt.stopDepOffsetH, stop)),
        });
      }
      const boardLoc = nth(tt.stopLocation, nth(tt.rideBoard, r));
      service = {
        id: svc.id,
        name: svc.name,
        operator: svc.operator,
        kind: serviceKind(svc),
        cutoff: svc.cutoffH ? localTime(net, boardLoc, s.departureH - svc.cutoffH.value) : null,
        capacityPerDeparture: svc.capacityPerDeparture
          ? { value: svc.capacityPerDeparture.value, unit: svc.capacityPerDeparture.unit }
          : null,
        run: utcMinute(runStart),
      };
    }
    const parts = linkArcs.map(() => nth(option.legs, nextLinkLeg++));
    const first = nth(parts, 0);
    const last = nth(parts, parts.length - 1);
    const fromLoc = must(net.locationIndex.get(first.from));
    const toLoc = must(net.locationIndex.get(last.to));
    const countries: string[] = [];
    for (const p of parts) for (const c of p.countries) if (countries[countries.length - 1] !== c) countries.push(c);
    const waitH = s.departureH - s.readyH;
    waitingH += waitH;
    legs.push({
      from: first.from,
      to: last.to,
      fromName: first.fromName,
      toName: last.toName,
      mode: first.mode,
      ...(first.gaugeMm !== undefined ? { gaugeMm: first.gaugeMm } : {}),
      service,
      linkIds: parts.map((p) => p.linkId),
      waitH: round(waitH, 1),
      departure: localTime(net, fromLoc, s.departureH),
      arrival: localTime(net, toLoc, s.arrivalH),
      durationH: round(s.arrivalH - s.departureH, 1),
      distanceKm: round(parts.reduce((a, p) => a + p.distanceKm, 0)),
      costUsd: round(s.edge >= 0 ? nth(net.arcCostUsd, s.edge) : nth(tt.rideCostUsd, -s.edge - 1)),
      co2eKg: round(s.edge >= 0 ? nth(net.arcCo2eKg, s.edge) : nth(tt.rideCo2eKg, -s.edge - 1)),
      countries,
      passages: parts.flatMap((p) => p.passages),
      corridor: first.corridor,
      calls,
    });
  }
  const dest = must(net.locationIndex.get(nth(option.legs, option.legs.length - 1).to));
  const at = (h: number | null) => (h === null ? null : localTime(net, dest, readyH + h));
  const durationH = path.arrivalH - readyH;
  return {
    option: n,
    labels: [],
    corridors: option.corridors,
    summary: option.summary,
    departure: nth(legs, 0).departure,
    plannedArrival: localTime(net, dest, path.arrivalH),
    arrival: { ...arrival, p10: at(arrival.p10H), p50: at(arrival.p50H), p90: at(arrival.p90H) },
    legs,
    stops,
    totals: {
      ...option.totals,
      durationH: round(durationH, 1),
      durationDays: round(durationH / 24, 1),
      waitingH: round(waitingH, 1),
      costUsd: round(path.costUsd),
      co2eKg: round(path.co2eKg),
    },
  };
}
