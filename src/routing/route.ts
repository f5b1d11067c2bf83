/**
 * `route`: from a query to the set of options a shipper compares. Resolves the places, applies
 * the hard constraints, runs the exact Pareto search, turns each path into legs, stops and totals,
 * labels the fastest / cheapest / greenest / balanced options and explains what was left out.
 */
import type { StatusInEffect } from '../model/types.js';
import { CorridorError } from '../model/errors.js';
import type { Location } from '../model/types.js';
import type { CompiledNetwork } from '../network/compile.js';
import { bannedArcs, cargoRestrictionsHit, type RouteConstraints } from './constraints.js';
import { explainAlternatives, type Alternative } from './explain.js';
import { toOption, type OptionLabel, type RouteOption } from './itinerary.js';
import { BASE_CRITERIA, paretoSearch, type Criterion, type ParetoPath } from './pareto.js';
import { EQUAL_WEIGHTS, pickPreset, type BalanceWeights, type Preset } from './presets.js';
import { nth, must } from '../model/invariant.js';

export type { RouteLeg, RouteOption, RouteStop, RouteTotals, OptionLabel } from './itinerary.js';
export type { Alternative } from './explain.js';

export interface RouteQuery extends RouteConstraints {
  from: string;
  to: string;
  /** Criteria beyond time, cost and CO2e that take part in dominance. */
  extraCriteria?: readonly Exclude<Criterion, 'durationH' | 'costUsd' | 'co2eKg'>[];
  maxTransshipments?: number;
  /** Relative ε-dominance; 0 (default) is exact. */
  epsilon?: number;
  /** Cap on the number of options; none by default (exact). */
  maxOptions?: number;
  /** Pick one option as the recommendation. */
  preset?: Preset;
  weights?: BalanceWeights;
  /** List the excluded and dominated alternatives (default true). */
  explain?: boolean;
}

export interface PlaceRef {
  id: string;
  name: string;
  country: string;
}

export interface RouteResult {
  query: {
    from: string;
    to: string;
    avoidCountries: string[];
    modes: string[];
    scenario: string | null;
    /** The dated statuses of the network on the request's date (a closure, a diversion), applied unasked. */
    inEffect: StatusInEffect[];
    criteria: Criterion[];
    avoidPassages: string[];
    avoidOperators: string[];
    avoidLocations: string[];
    cargo: string[];
    maxTransshipments: number | null;
  };
  origin: PlaceRef;
  destination: PlaceRef;
  cargo: { description: string; teu: number; grossTonnes: number };
  regime: 'nominal';
  options: RouteOption[];
  /** The option the preset picks, when one was asked for. */
  recommended: { preset: Preset; option: number } | null;
  alternatives: Alternative[];
}

const ref = (l: Location): PlaceRef => ({ id: l.id, name: l.name, country: l.country });

export function findRoutes(net: CompiledNetwork, q: RouteQuery): RouteResult {
  const from = net.places.resolve(q.from, 'origin');
  const to = net.places.resolve(q.to, 'destination');
  if (from.id === to.id)
    throw new CorridorError('invalid-argument', `origin and destination are both ${from.name} (${from.id})`);
  const avoid = [...new Set(q.avoidCountries ?? [])];
  for (const [role, loc] of [
    ['origin', from],
    ['destination', to],
  ] as const) {
    if (avoid.includes(loc.country)) {
      throw new CorridorError(
        'invalid-argument',
        `the ${role} ${loc.name} (${loc.id}) is in ${loc.country}, which is an avoided country`,
        {},
        'avoid',
      );
    }
    if ((q.avoidLocations ?? []).includes(loc.id)) {
      throw new CorridorError(
        'invalid-argument',
        `the ${role} ${loc.name} (${loc.id}) is itself avoided`,
        {},
        'avoidPlaces',
      );
    }
  }
  const criteria: Criterion[] = [...BASE_CRITERIA, ...(q.extraCriteria ?? [])];
  const banned = bannedArcs(net, q);
  const origin = must(net.locationIndex.get(from.id));
  const destination = must(net.locationIndex.get(to.id));
  const paths: ParetoPath[] = paretoSearch({
    net,
    origin,
    destination,
    banned,
    criteria,
    ...(q.maxTransshipments !== undefined ? { maxTransshipments: q.maxTransshipments } : {}),
    ...(q.epsilon !== undefined ? { epsilon: q.epsilon } : {}),
    ...(q.maxOptions !== undefined ? { maxResults: q.maxOptions } : {}),
  });
  paths.sort((a, b) => a.durationH - b.durationH || a.costUsd - b.costUsd || a.co2eKg - b.co2eKg);
  const options = paths.map((p, i) => toOption(net, p, i + 1));
  const label = (preset: Preset, name: OptionLabel, weights?: BalanceWeights) => {
    const i = pickPreset(paths, preset, weights);
    if (i >= 0) nth(options, i).labels.push(name);
  };
  label('fastest', 'fastest');
  label('cheapest', 'cheapest');
  label('greenest', 'greenest');
  label('balanced', 'balanced', q.weights ?? EQUAL_WEIGHTS);
  const pick = q.preset !== undefined ? pickPreset(paths, q.preset, q.weights ?? EQUAL_WEIGHTS) : -1;

  return {
    query: {
      from: q.from,
      to: q.to,
      avoidCountries: avoid,
      modes: [...(q.modes ?? [])],
      scenario: net.label ?? null,
      inEffect: [...net.inEffect],
      criteria,
      avoidPassages: [...(q.avoidPassages ?? [])],
      avoidOperators: [...(q.avoidOperators ?? [])],
      avoidLocations: [...(q.avoidLocations ?? [])],
      cargo: cargoRestrictionsHit(q),
      maxTransshipments: q.maxTransshipments ?? null,
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
    recommended: pick >= 0 ? { preset: must(q.preset), option: nth(options, pick).option } : null,
    alternatives:
      q.explain === false
        ? []
        : explainAlternatives({
            net,
            origin,
            destination,
            constraints: q,
            ...(q.maxTransshipments !== undefined ? { maxTransshipments: q.maxTransshipments } : {}),
            banned,
            paths,
            options,
          }),
  };
}
