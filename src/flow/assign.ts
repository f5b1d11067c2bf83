/**
 * `assign`: minimum generalised-cost multicommodity assignment of a demand matrix to the corridor,
 * subject to link and node capacities. Generalised cost per TEU on an arc =
 *   charge (USD) + value of time (USD/TEU-h, per commodity) × hours + CO2 price (USD/t) × CO2e (t).
 * Every OD may also go unserved at its commodity's unserved cost, so the problem is always feasible
 * and a capacity's shadow price is what one more TEU/yr of it saves (at most the unserved cost).
 *
 * Algorithm: network simplex when the instance is a single-commodity flow (one cost class, one
 * origin or one destination, each capacity on a single arc); otherwise column generation with
 * shortest-path pricing, the master LP by the given `LpSolver` (HiGHS). Both are exact.
 */
import { CorridorError } from '../model/errors.js';
import type { CommodityCatalog, Location, Mode } from '../model/types.js';
import { ARC_LINK, MODE_BY_CODE, type CompiledNetwork } from '../network/compile.js';
import { corridorResources, transferArcs, type Resource } from './capacity.js';
import { FlowSolveError, solveColumnGeneration } from './column-generation.js';
import { buildCorridorGraph, type CorridorFlowGraph } from './corridor-graph.js';
import { decomposePaths } from './decompose.js';
import type { DemandOd } from './demand.js';
import type { LpSolver } from './lp.js';
import { networkSimplex } from './network-simplex.js';
import {
  arcResourceIndex,
  resourceFlows,
  type FlowSolution,
  type MultiCommodityProblem,
  type SolveProgress,
} from './problem.js';

export interface AssignOptions {
  /** USD per tonne of CO2e added to the generalised cost (default 0). */
  co2PriceUsdPerTonne?: number;
  /** 'auto' (default) picks network simplex where it applies. */
  algorithm?: 'auto' | 'column-generation' | 'network-simplex';
  onProgress?: (p: SolveProgress) => void;
}

export interface LinkFlow {
  id: string;
  from: string;
  to: string;
  fromName: string;
  toName: string;
  mode: Mode;
  corridor: string;
  /** TEU per year in this direction. */
  flow: number;
  /** TEU per year, or null when the data gives none. */
  capacity: number | null;
  capacityNative: { value: number; unit: string } | null;
  utilization: number | null;
  /** USD per TEU/yr of extra capacity (0 when not binding). */
  shadowPrice: number;
}

export interface NodeFlow {
  id: string;
  name: string;
  kind: 'border' | 'gauge-change' | 'handling';
  flow: number;
  capacity: number | null;
  capacityNative: { value: number; unit: string } | null;
  utilization: number | null;
  shadowPrice: number;
}

export interface OdRoute {
  teu: number;
  share: number;
  /** Places in travel order (location ids). */
  via: string[];
  countries: string[];
  corridors: string[];
  durationH: number;
  costUsdPerTeu: number;
  co2eKgPerTeu: number;
}

export interface OdResult {
  from: string;
  to: string;
  commodity: string;
  demand: number;
  served: number;
  unmet: number;
  routes: OdRoute[];
}

export interface Bottleneck {
  id: string;
  kind: 'link' | 'node';
  name: string;
  shadowPrice: number;
  utilization: number;
  flow: number;
  capacity: number;
}

export interface AssignmentResult {
  algorithm: string;
  converged: boolean;
  iterations: number;
  /** Total generalised cost, USD per year (unserved TEU at their unserved cost included). */
  objective: number;
  lowerBound: number;
  co2PriceUsdPerTonne: number;
  totals: { demand: number; served: number; unmet: number; teuKm: number; co2eTonnes: number };
  links: LinkFlow[];
  nodes: NodeFlow[];
  unmetDemand: { from: string; to: string; commodity: string; demand: number; unmet: number }[];
  ods: OdResult[];
  bottlenecks: Bottleneck[];
}

export interface AssignmentProblem {
  graph: CorridorFlowGraph;
  resources: Resource[];
  problem: MultiCommodityProblem;
  ods: DemandOd[];
}

export function buildAssignmentProblem(
  net: CompiledNetwork,
  demand: readonly DemandOd[],
  catalog: CommodityCatalog,
  co2PriceUsdPerTonne = 0,
): AssignmentProblem {
  if (demand.length === 0)
    throw new CorridorError('invalid-argument', 'the demand set has no OD with a positive quantity');
  const graph = buildCorridorGraph(net);
  const resources = corridorResources(graph, catalog.conversions);
  const commodities = catalog.commodities;
  const used = [...new Set(demand.map((d) => d.commodity))];
  const arcCost = used.map((id) => {
    const c = commodities.find((x) => x.id === id);
    if (!c)
      throw new CorridorError(
        'invalid-argument',
        `commodity "${id}" is not in commodities.yaml; valid: ${commodities.map((x) => x.id).join(', ')}`,
      );
    const vot = c.valueOfTimeUsdPerTeuHour.value;
    return Float64Array.from(
      graph.costUsdPerTeu,
      (usd, e) => usd + vot * graph.durationH[e]! + (co2PriceUsdPerTonne * graph.co2eKgPerTeu[e]!) / 1000,
    );
  });
  const loc = (id: string, role: string) => {
    const i = net.locationIndex.get(id);
    if (i === undefined)
      throw new CorridorError('invalid-argument', `demand ${role} ${id} is not a location of the network`);
    return i;
  };
  const n = demand.length;
  const idx = arcResourceIndex(
    graph.arcCount,
    resources.map((r) => r.arcs),
  );
  const problem: MultiCommodityProblem = {
    graph,
    arcCost,
    resourceCount: resources.length,
    resourceCapacity: Float64Array.from(resources, (r) => r.capacityTeuPerYear),
    ...idx,
    ods: {
      count: n,
      origin: Uint32Array.from(demand, (d) => graph.sourceOf(loc(d.from, 'origin'))),
      destination: Uint32Array.from(demand, (d) => graph.sinkOf(loc(d.to, 'destination'))),
      costClass: Uint16Array.from(demand, (d) => used.indexOf(d.commodity)),
      demand: Float64Array.from(demand, (d) => d.teuPerYear),
      unservedCost: Float64Array.from(
        demand,
        (d) => commodities.find((c) => c.id === d.commodity)!.unservedCostUsdPerTeu.value,
      ),
    },
  };
  return { graph, resources, problem, ods: demand.slice() };
}

/** True when the problem is a single-commodity min-cost flow that network simplex solves exactly. */
export function isSingleCommodity(p: MultiCommodityProblem): boolean {
  const { ods } = p;
  const oneClass = ods.costClass.every((k) => k === ods.costClass[0]);
  const oneOrigin = ods.origin.every((o) => o === ods.origin[0]);
  const oneDest = ods.destination.every((d) => d === ods.destination[0]);
  let singleArc = true;
  for (let e = 0; e < p.graph.arcCount && singleArc; e++)
    if (p.arcResourceStart[e + 1]! - p.arcResourceStart[e]! > 1) singleArc = false;
  const counts = new Uint32Array(p.resourceCount);
  for (let k = 0; k < p.arcResources.length; k++) counts[p.arcResources[k]!]!++;
  return oneClass && (oneOrigin || oneDest) && singleArc && counts.every((c) => c === 1);
}

/** Single-commodity solve: the OD graph plus one unserved arc per OD, by network simplex. */
export function solveSingleCommodity(p: MultiCommodityProblem): FlowSolution {
  const { graph, ods } = p;
  const m = graph.arcCount;
  const tail = new Uint32Array(m + ods.count);
  const head = new Uint32Array(m + ods.count);
  tail.set(graph.tail);
  head.set(graph.target);
  const cost = new Float64Array(m + ods.count);
  cost.set(p.arcCost[ods.costClass[0] ?? 0]!);
  const capacity = new Float64Array(m + ods.count).fill(Infinity);
  for (let e = 0; e < m; e++) {
    for (let k = p.arcResourceStart[e]!; k < p.arcResourceStart[e + 1]!; k++)
      capacity[e] = Math.min(capacity[e]!, p.resourceCapacity[p.arcResources[k]!]!);
  }
  const supply = new Float64Array(graph.nodeCount);
  for (let i = 0; i < ods.count; i++) {
    tail[m + i] = ods.origin[i]!;
    head[m + i] = ods.destination[i]!;
    cost[m + i] = ods.unservedCost[i]!;
    supply[ods.origin[i]!]! += ods.demand[i]!;
    supply[ods.destination[i]!]! -= ods.demand[i]!;
  }
  const r = networkSimplex({ nodeCount: graph.nodeCount, tail, head, cost, capacity, supply });
  // Unserved arcs make every honest instance feasible: another status is a fault, not the caller's mistake.
  if (r.status !== 'optimal') throw new FlowSolveError(`network simplex ended ${r.status}`);
  const arcFlow = r.flow.slice(0, m);
  const resourceShadowPrice = new Float64Array(p.resourceCount);
  for (let e = 0; e < m; e++) {
    const rc = cost[e]! + r.potential[tail[e]!]! - r.potential[head[e]!]!;
    for (let k = p.arcResourceStart[e]!; k < p.arcResourceStart[e + 1]!; k++)
      resourceShadowPrice[p.arcResources[k]!] = Math.max(0, -rc);
  }
  const unserved = Float64Array.from({ length: ods.count }, (_, i) => r.flow[m + i]!);
  // Paths: decompose per origin (one origin, or one destination seen from each origin).
  const paths: FlowSolution['paths'] = [];
  const origins = [...new Set(Array.from(ods.origin))];
  for (const o of origins) {
    const members = Array.from({ length: ods.count }, (_, i) => i).filter((i) => ods.origin[i] === o);
    const sub = decomposePaths(
      graph,
      arcFlow,
      o,
      members.map((i) => ods.destination[i]!),
      members.map((i) => ods.demand[i]! - unserved[i]!),
    );
    for (const s of sub) paths.push({ ...s, od: members[s.od]! });
  }
  return {
    objective: r.totalCost,
    arcFlow,
    resourceFlow: resourceFlows(p, arcFlow),
    resourceShadowPrice,
    unserved,
    paths,
    lowerBound: r.totalCost,
    iterations: r.pivots,
    algorithm: 'network simplex (block search)',
  };
}

export async function assign(
  net: CompiledNetwork,
  demand: readonly DemandOd[],
  catalog: CommodityCatalog,
  solver: LpSolver,
  opts: AssignOptions = {},
): Promise<AssignmentResult> {
  const co2 = opts.co2PriceUsdPerTonne ?? 0;
  const ap = buildAssignmentProblem(net, demand, catalog, co2);
  const algo = opts.algorithm ?? 'auto';
  let sol: FlowSolution;
  let converged = true;
  if (algo === 'network-simplex' || (algo === 'auto' && isSingleCommodity(ap.problem))) {
    if (!isSingleCommodity(ap.problem))
      throw new CorridorError(
        'invalid-argument',
        'network simplex needs one commodity, one origin or destination, and capacities on single arcs',
      );
    sol = solveSingleCommodity(ap.problem);
  } else {
    const cg = await solveColumnGeneration(ap.problem, solver, opts.onProgress ? { onProgress: opts.onProgress } : {});
    sol = cg;
    converged = cg.converged;
  }
  return summarize(ap, sol, converged, co2);
}

const round = (x: number, d = 0) => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};

export function summarize(ap: AssignmentProblem, sol: FlowSolution, converged: boolean, co2: number): AssignmentResult {
  const { graph, resources, ods } = ap;
  const net = graph.net;
  const resourceOfLinkDir = new Map<string, number>();
  const resourceOfTransfer = new Map<string, number>();
  resources.forEach((r, i) => {
    if (r.kind === 'link') resourceOfLinkDir.set(`${r.id}|${r.from}`, i);
    else resourceOfTransfer.set(`${r.id}|${r.transferKind}`, i);
  });

  // Link flows per direction.
  const linkDirFlow = new Map<number, number>();
  let teuKm = 0;
  let co2eKg = 0;
  for (let e = 0; e < graph.arcCount; e++) {
    const f = sol.arcFlow[e]!;
    if (f <= 0) continue;
    co2eKg += f * graph.co2eKgPerTeu[e]!;
    const o = graph.compiledArc[e]!;
    if (o < 0 || net.arcKind[o] !== ARC_LINK) continue;
    const key = net.arcLink[o]! * 2 + net.arcReverse[o]!;
    linkDirFlow.set(key, (linkDirFlow.get(key) ?? 0) + f);
    teuKm += f * net.arcDistanceKm[o]!;
  }
  const links: LinkFlow[] = [];
  for (let l = 0; l < net.links.length; l++) {
    const link = net.links[l]!;
    for (const reverse of link.bidirectional ? [0, 1] : [0]) {
      const a = net.locations[reverse ? net.linkTo[l]! : net.linkFrom[l]!]!;
      const b = net.locations[reverse ? net.linkFrom[l]! : net.linkTo[l]!]!;
      const flow = linkDirFlow.get(l * 2 + reverse) ?? 0;
      const ri = resourceOfLinkDir.get(`${link.id}|${a.id}`);
      if (flow <= 1e-9 && ri === undefined) continue;
      const r = ri !== undefined ? resources[ri]! : undefined;
      links.push({
        id: link.id,
        from: a.id,
        to: b.id,
        fromName: a.name,
        toName: b.name,
        mode: MODE_BY_CODE[net.linkMode[l]!]!,
        corridor: link.corridor,
        flow: round(flow, 1),
        capacity: r ? round(r.capacityTeuPerYear, 1) : null,
        capacityNative: r ? r.native : null,
        utilization: r ? round(flow / r.capacityTeuPerYear, 4) : null,
        shadowPrice: ri !== undefined ? round(sol.resourceShadowPrice[ri]!, 2) : 0,
      });
    }
  }

  // Node flows per transfer kind.
  const nodes: NodeFlow[] = [];
  net.transfers.forEach((byKind, loc) => {
    for (const kind of ['border', 'gauge-change', 'handling'] as const) {
      if (!byKind[kind]) continue;
      const ri = resourceOfTransfer.get(`${net.locations[loc]!.id}|${kind}`);
      const arcs = ri !== undefined ? resources[ri]!.arcs : transferArcs(graph, loc, kind);
      let flow = 0;
      for (const e of arcs) flow += sol.arcFlow[e]!;
      if (flow <= 1e-9 && ri === undefined) continue;
      const r = ri !== undefined ? resources[ri]! : undefined;
      const place: Location = net.locations[loc]!;
      nodes.push({
        id: place.id,
        name: place.name,
        kind,
        flow: round(flow, 1),
        capacity: r ? round(r.capacityTeuPerYear, 1) : null,
        capacityNative: r ? r.native : null,
        utilization: r ? round(flow / r.capacityTeuPerYear, 4) : null,
        shadowPrice: ri !== undefined ? round(sol.resourceShadowPrice[ri]!, 2) : 0,
      });
    }
  });

  // Per OD: served, unmet and routes.
  const odResults: OdResult[] = ods.map((d, i) => ({
    from: d.from,
    to: d.to,
    commodity: d.commodity,
    demand: round(d.teuPerYear, 1),
    served: round(d.teuPerYear - sol.unserved[i]!, 1),
    unmet: round(sol.unserved[i]!, 1),
    routes: [],
  }));
  const byOdRoute = new Map<string, OdRoute>();
  for (const path of sol.paths) {
    const route = describePath(graph, path.arcs);
    const key = `${path.od}|${route.via.join('>')}`;
    const prev = byOdRoute.get(key);
    if (prev) prev.teu += path.flow;
    else {
      const r = { ...route, teu: path.flow, share: 0 };
      byOdRoute.set(key, r);
      odResults[path.od]!.routes.push(r);
    }
  }
  odResults.forEach((od, i) => {
    for (const r of od.routes) {
      r.share = round(r.teu / ods[i]!.teuPerYear, 4);
      r.teu = round(r.teu, 1);
    }
    od.routes.sort((a, b) => b.teu - a.teu);
  });

  const bottlenecks: Bottleneck[] = resources
    .map((r, i) => ({ r, i, price: sol.resourceShadowPrice[i]!, flow: sol.resourceFlow[i]! }))
    .filter((x) => x.price > 1e-6 || x.flow >= x.r.capacityTeuPerYear * (1 - 1e-6))
    .sort((a, b) => b.price - a.price || b.flow / b.r.capacityTeuPerYear - a.flow / a.r.capacityTeuPerYear)
    .map(({ r, price, flow }) => ({
      id: r.id,
      kind: r.kind === 'link' ? ('link' as const) : ('node' as const),
      name: r.kind === 'link' ? `${r.id} (${r.name})` : r.name,
      shadowPrice: round(price, 2),
      utilization: round(flow / r.capacityTeuPerYear, 4),
      flow: round(flow, 1),
      capacity: round(r.capacityTeuPerYear, 1),
    }));

  const demandTotal = ods.reduce((s, d) => s + d.teuPerYear, 0);
  const unmetTotal = Array.from(sol.unserved).reduce((s, u) => s + u, 0);
  return {
    algorithm: sol.algorithm,
    converged,
    iterations: sol.iterations,
    objective: round(sol.objective, 2),
    lowerBound: round(sol.lowerBound, 2),
    co2PriceUsdPerTonne: co2,
    totals: {
      demand: round(demandTotal, 1),
      served: round(demandTotal - unmetTotal, 1),
      unmet: round(unmetTotal, 1),
      teuKm: round(teuKm),
      co2eTonnes: round(co2eKg / 1000, 1),
    },
    links,
    nodes,
    unmetDemand: odResults
      .filter((o) => o.unmet > 0.05)
      .map((o) => ({ from: o.from, to: o.to, commodity: o.commodity, demand: o.demand, unmet: o.unmet })),
    ods: odResults,
    bottlenecks,
  };
}

/** Places, countries, corridors and per-TEU totals along a path of flow-graph arcs. */
export function describePath(g: CorridorFlowGraph, arcs: Uint32Array): Omit<OdRoute, 'teu' | 'share'> {
  const net = g.net;
  const via: string[] = [];
  const countries: string[] = [];
  const corridors: string[] = [];
  let h = 0;
  let usd = 0;
  let kg = 0;
  const push = (list: string[], x: string) => {
    if (list[list.length - 1] !== x) list.push(x);
  };
  for (const e of arcs) {
    h += g.durationH[e]!;
    usd += g.costUsdPerTeu[e]!;
    kg += g.co2eKgPerTeu[e]!;
    const o = g.compiledArc[e]!;
    if (o < 0 || net.arcKind[o] !== ARC_LINK) continue;
    const l = net.arcLink[o]!;
    const rev = net.arcReverse[o] === 1;
    const a = rev ? net.linkTo[l]! : net.linkFrom[l]!;
    const b = rev ? net.linkFrom[l]! : net.linkTo[l]!;
    push(via, net.locations[a]!.id);
    push(via, net.locations[b]!.id);
    const cs = net.links[l]!.countries.slice();
    if (rev) cs.reverse();
    for (const c of cs) push(countries, c);
    if (!corridors.includes(net.links[l]!.corridor)) corridors.push(net.links[l]!.corridor);
  }
  return {
    via,
    countries,
    corridors,
    durationH: round(h, 1),
    costUsdPerTeu: round(usd, 2),
    co2eKgPerTeu: round(kg, 1),
  };
}
