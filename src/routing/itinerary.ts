/**
 * Turns a path of arcs into what a shipper reads: legs (one per link), stops (border, gauge change,
 * handling) and totals, including the compliance list of countries and sea passages.
 */
import type { Mode, TransferKind } from '../model/types.js';
import { ARC_LINK, CLASS_NAMES, MODE_BY_CODE, type CompiledNetwork, arcTail } from '../network/compile.js';
import type { ParetoPath } from './pareto.js';
import { must, nth } from '../model/invariant.js';

export interface RouteLeg {
  from: string;
  to: string;
  fromName: string;
  toName: string;
  mode: Mode;
  gaugeMm?: number;
  linkId: string;
  operator: string;
  corridor: string;
  distanceKm: number;
  durationH: number;
  costUsd: number;
  co2eKg: number;
  /** Countries crossed, in travel order. */
  countries: string[];
  passages: string[];
}

export interface RouteStop {
  at: string;
  name: string;
  /** Index of the leg the stop follows. */
  afterLeg: number;
  events: TransferKind[];
  /** e.g. "rail-1520 → ferry". */
  change?: string;
  durationH: number;
  costUsd: number;
}

export interface RouteTotals {
  durationH: number;
  durationDays: number;
  costUsd: number;
  co2eKg: number;
  distanceKm: number;
  /** Every country the option touches, in travel order (ISO alpha-2). */
  countries: string[];
  /** Every sea passage the option uses. */
  passages: string[];
  /** Coastal or canal states of those passages (transited at sea, not entered). */
  passageCountries: string[];
  borderCrossings: number;
  transshipments: number;
  gaugeChanges: number;
  /** Sum of the disruption-risk scores in the data (0 where the data has none). */
  riskScore: number;
}

export type OptionLabel = 'fastest' | 'cheapest' | 'greenest' | 'balanced';

export interface RouteOption {
  /** 1-based position in the result, ordered by duration. */
  option: number;
  labels: OptionLabel[];
  corridors: string[];
  summary: string;
  legs: RouteLeg[];
  stops: RouteStop[];
  totals: RouteTotals;
}

export const round = (x: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function toOption(net: CompiledNetwork, path: ParetoPath, n: number): RouteOption {
  const legs: RouteLeg[] = [];
  const stops: RouteStop[] = [];
  let transshipments = 0;
  let gaugeChanges = 0;
  for (const e of path.arcs) {
    if (net.arcKind[e] === ARC_LINK) {
      const l = nth(net.arcLink, e);
      const link = nth(net.links, l);
      const reverse = net.arcReverse[e] === 1;
      const a = nth(net.locations, reverse ? nth(net.linkTo, l) : nth(net.linkFrom, l));
      const b = nth(net.locations, reverse ? nth(net.linkFrom, l) : nth(net.linkTo, l));
      const countries = link.countries.slice();
      if (reverse) countries.reverse();
      legs.push({
        from: a.id,
        to: b.id,
        fromName: a.name,
        toName: b.name,
        mode: nth(MODE_BY_CODE, nth(net.linkMode, l)),
        ...(link.gaugeMm !== undefined ? { gaugeMm: link.gaugeMm } : {}),
        linkId: link.id,
        operator: link.operator,
        corridor: link.corridor,
        distanceKm: round(nth(net.linkDistanceKm, l)),
        durationH: round(nth(net.arcDurationH, e), 1),
        costUsd: round(nth(net.arcCostUsd, e)),
        co2eKg: round(nth(net.arcCo2eKg, e)),
        countries,
        passages: reverse ? link.passages.slice().reverse() : link.passages.slice(),
      });
      continue;
    }
    // A pass or transfer arc: the stop between the previous leg and the next.
    const stop = stopAt(net, e);
    if (!stop) continue;
    if (stop.change) transshipments++;
    if (stop.events.includes('gauge-change')) gaugeChanges++;
    stops.push({
      at: stop.location.id,
      name: stop.location.name,
      afterLeg: legs.length - 1,
      events: stop.events,
      ...(stop.change ? { change: stop.change } : {}),
      durationH: round(nth(net.arcDurationH, e), 1),
      costUsd: round(nth(net.arcCostUsd, e)),
    });
  }

  const countries: string[] = [];
  const passages: string[] = [];
  const crossingSequence: string[] = [];
  let distanceKm = 0;
  for (const leg of legs) {
    distanceKm += leg.distanceKm;
    for (const c of leg.countries) if (!countries.includes(c)) countries.push(c);
    for (const p of leg.passages) if (!passages.includes(p)) passages.push(p);
    // A sea leg clears customs only at its ends; transit states of a canal are not border crossings.
    const seq =
      leg.mode === 'sea' ? [nth(leg.countries, 0), nth(leg.countries, leg.countries.length - 1)] : leg.countries;
    for (const c of seq) if (crossingSequence[crossingSequence.length - 1] !== c) crossingSequence.push(c);
  }
  // A passage's coastal states are transited too: listed apart for the compliance check.
  const passageCountries: string[] = [];
  for (const pid of passages) {
    const p = net.passages.find((x) => x.id === pid);
    for (const c of p?.countries ?? []) if (!passageCountries.includes(c)) passageCountries.push(c);
  }
  const corridors: string[] = [];
  for (const leg of legs) if (!corridors.includes(leg.corridor)) corridors.push(leg.corridor);
  const routeNames = corridors
    .map((id) => net.corridors.get(id))
    .filter((c) => c !== undefined && c.role === 'route')
    .map((c) => must(c).name);
  const via: string[] = [];
  for (const s of stops) {
    if ((s.events.includes('handling') || s.events.includes('gauge-change')) && via[via.length - 1] !== s.name)
      via.push(s.name);
  }
  const passageNames = passages.map((id) => net.passages.find((p) => p.id === id)?.name ?? id);
  const detail = [via.join(', '), passageNames.join(', ')].filter(Boolean).join('; ');
  const summary = `${(routeNames.length ? routeNames : corridors).join(' + ')}${detail ? ` (${detail})` : ''}`;

  return {
    option: n,
    labels: [],
    corridors,
    summary,
    legs,
    stops,
    totals: {
      durationH: round(path.durationH, 1),
      durationDays: round(path.durationH / 24, 1),
      costUsd: round(path.costUsd),
      co2eKg: round(path.co2eKg),
      distanceKm: round(distanceKm),
      countries,
      passages,
      passageCountries,
      borderCrossings: Math.max(0, crossingSequence.length - 1),
      transshipments,
      gaugeChanges,
      riskScore: round(path.risk, 3),
    },
  };
}

/**
 * What a pass or transfer arc does at its place: a border, a gauge change or a handling (a change
 * of transport class, named in `change`). Undefined for a silent pass (no event, no time, no cost),
 * which itineraries do not list as a stop. Shared by route options and timed plans.
 */
export function stopAt(
  net: CompiledNetwork,
  e: number,
):
  | { loc: number; location: CompiledNetwork['locations'][number]; events: TransferKind[]; change?: string }
  | undefined {
  const head = nth(net.arcTarget, e);
  const loc = nth(net.vertexLocation, head);
  const events: TransferKind[] = [];
  if (nth(net.transfers, loc).border) events.push('border');
  const fromClass = nth(net.vertexClass, arcTail(net, e));
  const toClass = nth(net.vertexClass, head);
  if (fromClass !== toClass) events.push(fromClass <= 1 && toClass <= 1 ? 'gauge-change' : 'handling');
  if (events.length === 0 && net.arcDurationH[e] === 0 && net.arcCostUsd[e] === 0) return undefined;
  return {
    loc,
    location: nth(net.locations, loc),
    events,
    ...(fromClass !== toClass ? { change: `${CLASS_NAMES[fromClass]} → ${CLASS_NAMES[toClass]}` } : {}),
  };
}
