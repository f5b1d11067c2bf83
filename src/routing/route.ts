/**
 * `route`: from a query to the set of options a shipper compares. Resolves the places, applies
 * the hard constraints, runs the Pareto search and turns each path into legs, stops and totals.
 */
import { CorridorError } from '../model/errors.js';
import { resolvePlace } from '../model/places.js';
import type { Location, Mode, TransferKind } from '../model/types.js';
import {
  ARC_LINK,
  CLASS_NAMES,
  MODE_BY_CODE,
  type CompiledNetwork,
} from '../network/compile.js';
import { bannedArcs, type RouteConstraints } from './constraints.js';
import { paretoSearch, type ParetoPath } from './pareto.js';

export interface RouteQuery extends RouteConstraints {
  from: string;
  to: string;
}

export interface PlaceRef {
  id: string;
  name: string;
  country: string;
}

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
}

export type OptionLabel = 'fastest' | 'cheapest' | 'greenest';

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

export interface RouteResult {
  query: {
    from: string;
    to: string;
    avoidCountries: string[];
    modes: string[];
    scenario: string | null;
  };
  origin: PlaceRef;
  destination: PlaceRef;
  cargo: { description: string; teu: number; grossTonnes: number };
  regime: 'nominal';
  options: RouteOption[];
}

const round = (x: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

const ref = (l: Location): PlaceRef => ({ id: l.id, name: l.name, country: l.country });

export function findRoutes(net: CompiledNetwork, q: RouteQuery): RouteResult {
  const from = resolvePlace(net.locations, q.from, 'origin');
  const to = resolvePlace(net.locations, q.to, 'destination');
  if (from.id === to.id) throw new CorridorError('invalid-argument', `origin and destination are both ${from.name} (${from.id})`);
  const avoid = [...new Set(q.avoidCountries ?? [])];
  for (const [role, loc] of [['origin', from], ['destination', to]] as const) {
    if (avoid.includes(loc.country)) {
      throw new CorridorError('invalid-argument', `the ${role} ${loc.name} (${loc.id}) is in ${loc.country}, which --avoid excludes`);
    }
  }
  const banned = bannedArcs(net, q);
  const paths = paretoSearch({
    net,
    origin: net.locationIndex.get(from.id)!,
    destination: net.locationIndex.get(to.id)!,
    banned,
  });
  paths.sort((a, b) => a.durationH - b.durationH || a.costUsd - b.costUsd || a.co2eKg - b.co2eKg);
  const options = paths.map((p, i) => toOption(net, p, i + 1));
  labelExtremes(options, paths);
  return {
    query: {
      from: q.from,
      to: q.to,
      avoidCountries: avoid,
      modes: [...(q.modes ?? [])],
      scenario: net.scenario ?? null,
    },
    origin: ref(from),
    destination: ref(to),
    cargo: {
      description: `1 × 40' container (${net.cargo.teu} TEU, ${net.cargo.grossTonnes} t gross)`,
      teu: net.cargo.teu,
      grossTonnes: net.cargo.grossTonnes,
    },
    regime: 'nominal',
    options,
  };
}

function labelExtremes(options: RouteOption[], paths: ParetoPath[]): void {
  const pick = (key: 'durationH' | 'costUsd' | 'co2eKg', label: OptionLabel) => {
    let best = -1;
    paths.forEach((p, i) => {
      if (best < 0 || p[key] < paths[best]![key]) best = i;
    });
    if (best >= 0) options[best]!.labels.push(label);
  };
  pick('durationH', 'fastest');
  pick('costUsd', 'cheapest');
  pick('co2eKg', 'greenest');
}

function toOption(net: CompiledNetwork, path: ParetoPath, n: number): RouteOption {
  const legs: RouteLeg[] = [];
  const stops: RouteStop[] = [];
  let transshipments = 0;
  let gaugeChanges = 0;
  for (const e of path.arcs) {
    if (net.arcKind[e] === ARC_LINK) {
      const l = net.arcLink[e]!;
      const link = net.links[l]!;
      const reverse = net.arcReverse[e] === 1;
      const a = net.locations[reverse ? net.linkTo[l]! : net.linkFrom[l]!]!;
      const b = net.locations[reverse ? net.linkFrom[l]! : net.linkTo[l]!]!;
      const countries = link.countries.slice();
      if (reverse) countries.reverse();
      legs.push({
        from: a.id,
        to: b.id,
        fromName: a.name,
        toName: b.name,
        mode: MODE_BY_CODE[net.linkMode[l]!]!,
        ...(link.gaugeMm !== undefined ? { gaugeMm: link.gaugeMm } : {}),
        linkId: link.id,
        operator: link.operator,
        corridor: link.corridor,
        distanceKm: round(net.linkDistanceKm[l]!),
        durationH: round(net.arcDurationH[e]!, 1),
        costUsd: round(net.arcCostUsd[e]!),
        co2eKg: round(net.arcCo2eKg[e]!),
        countries,
        passages: reverse ? link.passages.slice().reverse() : link.passages.slice(),
      });
      continue;
    }
    // A pass or transfer arc: the stop between the previous leg and the next.
    const tail = pathTail(net, e);
    const head = net.arcTarget[e]!;
    const loc = net.vertexLocation[head]!;
    const t = net.transfers[loc]!;
    const events: TransferKind[] = [];
    if (t.border) events.push('border');
    const fromClass = net.vertexClass[tail]!;
    const toClass = net.vertexClass[head]!;
    if (fromClass !== toClass) {
      transshipments++;
      const railBoth = fromClass <= 1 && toClass <= 1;
      if (railBoth) gaugeChanges++;
      events.push(railBoth ? 'gauge-change' : 'handling');
    }
    if (events.length === 0 && net.arcDurationH[e] === 0 && net.arcCostUsd[e] === 0) continue;
    const location = net.locations[loc]!;
    stops.push({
      at: location.id,
      name: location.name,
      afterLeg: legs.length - 1,
      events,
      ...(fromClass !== toClass ? { change: `${CLASS_NAMES[fromClass]} → ${CLASS_NAMES[toClass]}` } : {}),
      durationH: round(net.arcDurationH[e]!, 1),
      costUsd: round(net.arcCostUsd[e]!),
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
    const seq = leg.mode === 'sea' ? [leg.countries[0]!, leg.countries[leg.countries.length - 1]!] : leg.countries;
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
  const via = stops.filter((s) => s.events.includes('handling') || s.events.includes('gauge-change')).map((s) => s.name);
  const summary = `${corridors.join(' + ')}${via.length ? ` via ${via.join(', ')}` : ''}${passages.length ? ` (${passages.join(', ')})` : ''}`;

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
    },
  };
}

/** The tail vertex of arc e (CSR stores heads only, so search the owning row). */
function pathTail(net: CompiledNetwork, e: number): number {
  let lo = 0;
  let hi = net.vertexCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (net.arcStart[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
