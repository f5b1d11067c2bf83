/**
 * Why the other routes are not in the answer. Two kinds of alternative:
 * - *excluded*: Pareto-optimal without the user's constraints but breaking one of them
 *   ("crosses RU, an avoided country");
 * - *dominated*: the best route of a route family (corridor tag) that has no option in the answer,
 *   with the option that beats it and by how much ("2.1 days slower and USD 310 dearer than
 *   option 1"). Found with the same exact search restricted to paths using that family's links.
 */
import type { CompiledNetwork } from '../network/compile.js';
import { ARC_LINK } from '../network/compile.js';
import { bannedArcs, cargoRestrictionsHit, hasConstraints, type RouteConstraints } from './constraints.js';
import { toOption, type RouteOption, type RouteTotals } from './itinerary.js';
import { dominatesOn, paretoSearch, BASE_CRITERIA, type ParetoPath } from './pareto.js';
import { getOrCreate } from '../model/memo.js';
import { must, nth } from '../model/invariant.js';

export interface Alternative {
  kind: 'excluded' | 'dominated';
  summary: string;
  corridors: string[];
  /** Location ids along the route. */
  path: string[];
  totals: RouteTotals;
  reason: string;
  /** For dominated alternatives: the option that beats it. */
  dominatedBy?: number;
}

const MAX_EXCLUDED = 3;
const MAX_DOMINATED = 5;
/** A dominated alternative is worth showing only if it is within this factor of the option that
 *  beats it on time or on cost; beyond that it is a detour nobody would consider. */
const RELEVANCE_FACTOR = 2;

const sameArcs = (a: ParetoPath, b: ParetoPath) =>
  a.arcs.length === b.arcs.length && a.arcs.every((e, i) => e === b.arcs[i]);

function pathOf(o: RouteOption): string[] {
  return o.legs.length ? [nth(o.legs, 0).from, ...o.legs.map((l) => l.to)] : [];
}

/** Every way a path breaks the constraints, in words a forwarder can repeat. */
export function violations(
  net: CompiledNetwork,
  path: ParetoPath,
  c: RouteConstraints,
  maxTransshipments?: number,
): string[] {
  const reasons: string[] = [];
  const avoid = new Set(c.avoidCountries ?? []);
  const hitCountries = new Set<string>();
  const hitPassages = new Set<string>();
  const hitModes = new Set<string>();
  const hitOperators = new Set<string>();
  const hitLocations = new Set<string>();
  const hitLinks = new Set<string>();
  const hitCargo = new Set<string>();
  const restricted = cargoRestrictionsHit(c);
  const avoidLocations = new Set(c.avoidLocations ?? []);
  const avoidOps = new Set((c.avoidOperators ?? []).map((o) => o.toLowerCase()));
  let transshipments = 0;
  for (const e of path.arcs) {
    const loc = nth(net.locations, nth(net.vertexLocation, nth(net.arcTarget, e)));
    if (avoid.has(loc.country)) hitCountries.add(loc.country);
    if (avoidLocations.has(loc.id)) hitLocations.add(loc.id);
    transshipments += nth(net.arcTransshipment, e);
    if (net.arcKind[e] !== ARC_LINK) continue;
    const link = nth(net.links, nth(net.arcLink, e));
    for (const country of link.countries) if (avoid.has(country)) hitCountries.add(country);
    for (const pid of link.passages) {
      const p = net.passages.find((x) => x.id === pid);
      if ((c.avoidPassages ?? []).includes(pid)) hitPassages.add(pid);
      for (const country of p?.countries ?? [])
        if (avoid.has(country)) hitCountries.add(`${country} (${must(p).name})`);
    }
    if (c.modes && c.modes.length > 0 && !c.modes.includes(link.mode)) hitModes.add(link.mode);
    if (avoidOps.has(link.operator.toLowerCase())) hitOperators.add(link.operator);
    if ((c.avoidLinks ?? []).includes(link.id)) hitLinks.add(link.id);
    for (const r of restricted)
      if ((link.cargoRestrictions as readonly string[]).includes(r)) hitCargo.add(`${link.id} (${r})`);
  }
  if (hitCountries.size) reasons.push(`crosses ${[...hitCountries].join(', ')}, an avoided country`);
  if (hitPassages.size) reasons.push(`uses ${[...hitPassages].join(', ')}, an avoided passage`);
  if (hitModes.size)
    reasons.push(`uses ${[...hitModes].join(', ')}, not among the allowed modes (${(c.modes ?? []).join(', ')})`);
  if (hitOperators.size) reasons.push(`runs on ${[...hitOperators].join(', ')}, an avoided operator`);
  if (hitLocations.size) reasons.push(`passes ${[...hitLocations].join(', ')}, an avoided place`);
  if (hitLinks.size) reasons.push(`uses link ${[...hitLinks].join(', ')}, excluded`);
  if (hitCargo.size) reasons.push(`refuses this cargo on ${[...hitCargo].join(', ')}`);
  if (maxTransshipments !== undefined && transshipments > maxTransshipments)
    reasons.push(`${transshipments} transshipments, more than the maximum of ${maxTransshipments}`);
  return reasons;
}

/** "2.1 days slower, USD 310 dearer and 0.4 t CO2e more than option 1". */
export function tradeOffText(worse: ParetoPath, better: ParetoPath, option: number): string {
  const parts: string[] = [];
  const days = (worse.durationH - better.durationH) / 24;
  const usd = worse.costUsd - better.costUsd;
  const t = (worse.co2eKg - better.co2eKg) / 1000;
  if (days > 0.05) parts.push(`${days.toFixed(1)} days slower`);
  if (usd >= 1) parts.push(`USD ${Math.round(usd).toLocaleString('en-US')} dearer`);
  if (t >= 0.05) parts.push(`${t.toFixed(1)} t CO2e more`);
  if (parts.length === 0) parts.push('no better on any criterion');
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : nth(parts, 0);
  return `${list} than option ${option}`;
}

export interface ExplainInput {
  net: CompiledNetwork;
  origin: number;
  destination: number;
  constraints: RouteConstraints;
  maxTransshipments?: number;
  banned: Uint8Array;
  paths: ParetoPath[];
  options: RouteOption[];
}

export function explainAlternatives(x: ExplainInput): Alternative[] {
  const out: Alternative[] = [];
  const { net, origin, destination, paths, options } = x;

  if (hasConstraints(x.constraints) || x.maxTransshipments !== undefined) {
    const free = paretoSearch({ net, origin, destination, banned: bannedArcs(net, {}) })
      .filter((p) => !paths.some((q) => sameArcs(p, q)))
      .sort((a, b) => a.durationH - b.durationH);
    for (const p of free) {
      if (out.length >= MAX_EXCLUDED) break;
      const reasons = violations(net, p, x.constraints, x.maxTransshipments);
      if (reasons.length === 0) continue;
      const o = toOption(net, p, 0);
      out.push({
        kind: 'excluded',
        summary: o.summary,
        corridors: o.corridors,
        path: pathOf(o),
        totals: o.totals,
        reason: reasons.join('; '),
      });
    }
  }

  // Route families that have no option in the answer.
  const shown = new Set(options.flatMap((o) => o.corridors));
  const tags = [...new Set(net.links.map((l) => l.corridor))]
    .filter((t) => !shown.has(t) && net.corridors.get(t)?.role === 'route')
    .sort();
  const dominated: Alternative[] = [];
  // Two families can share their best path (a route that uses both, or the same places over a
  // parallel link): list such a route once.
  const listed = new Set<string>();
  const pruneAbove = {
    durationH: RELEVANCE_FACTOR * Math.max(...paths.map((p) => p.durationH)),
    costUsd: RELEVANCE_FACTOR * Math.max(...paths.map((p) => p.costUsd)),
  };
  for (const tag of tags) {
    const mustUseLink = familyMask(net, tag);
    const found = paretoSearch({
      net,
      origin,
      destination,
      banned: x.banned,
      mustUseLink,
      pruneAbove,
      // Only the fastest path without a loop is shown: the search stops there.
      until: (p) => !revisitsLocation(net, p, origin),
      ...(x.maxTransshipments !== undefined ? { maxTransshipments: x.maxTransshipments } : {}),
    });
    // Forcing a family can make the search detour through it and back: such loops are no answer.
    const simple = found.filter((p) => !revisitsLocation(net, p, origin));
    if (simple.length === 0) continue;
    const best = simple.reduce((a, b) => (b.durationH < a.durationH ? b : a));
    // The option that beats it by the least time (every non-answer path is dominated by one).
    let by = -1;
    paths.forEach((p, i) => {
      if (dominatesOn(p, best, BASE_CRITERIA) && (by < 0 || p.durationH > nth(paths, by).durationH)) by = i;
    });
    if (by < 0) continue;
    const winner = nth(paths, by);
    if (best.durationH > RELEVANCE_FACTOR * winner.durationH && best.costUsd > RELEVANCE_FACTOR * winner.costUsd)
      continue;
    const o = toOption(net, best, 0);
    const key = `${o.summary}|${pathOf(o).join('>')}`;
    if (listed.has(key)) continue;
    listed.add(key);
    dominated.push({
      kind: 'dominated',
      summary: o.summary,
      corridors: o.corridors,
      path: pathOf(o),
      totals: o.totals,
      reason: tradeOffText(best, nth(paths, by), nth(options, by).option),
      dominatedBy: nth(options, by).option,
    });
  }
  dominated.sort((a, b) => a.totals.durationH - b.totals.durationH);
  out.push(...dominated.slice(0, MAX_DOMINATED));
  return out;
}

/** Per compiled network: for each route family, 1 on its links (built once, read-only). */
const FAMILY_MASKS = new WeakMap<CompiledNetwork, Map<string, Uint8Array>>();

function familyMask(net: CompiledNetwork, tag: string): Uint8Array {
  const masks = getOrCreate(FAMILY_MASKS, net, () => new Map());
  const mask = getOrCreate(masks, tag, () => Uint8Array.from(net.links, (l) => (l.corridor === tag ? 1 : 0)));
  return mask;
}

/** True when the path passes the same location twice (through different platforms). */
function revisitsLocation(net: CompiledNetwork, p: ParetoPath, origin: number): boolean {
  const seen = new Set<number>([origin]);
  let last = origin;
  for (const e of p.arcs) {
    const loc = nth(net.vertexLocation, nth(net.arcTarget, e));
    if (loc === last) continue;
    if (seen.has(loc)) return true;
    seen.add(loc);
    last = loc;
  }
  return false;
}
