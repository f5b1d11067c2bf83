/**
 * The multicommodity flow problem the solvers work on, in integer-indexed typed arrays.
 *
 *   min  Σ_i Σ_{p ∈ P_i} c_{k(i)}(p) x_p + Σ_i M_i u_i
 *   s.t. Σ_{p ∈ P_i} x_p + u_i = d_i                  for every OD i        (demand rows)
 *        Σ_i Σ_{p ∋ r} x_p ≤ cap_r                    for every resource r  (capacity rows)
 *        x, u ≥ 0
 *
 * A *resource* is a capacity shared by a set of arcs (one direction of a link, or every arc that
 * passes a border, gauge change or port handling at a location). All flows are in one unit (TEU per
 * year in Corridor). Each OD belongs to a cost *class* k: classes differ only in arc costs (e.g. a
 * commodity's value of time), so ODs of one class and origin can share one shortest-path tree.
 *
 * Layouts:
 * - graph: CSR, arcs of node v are `start[v] .. start[v+1]`; `tail[e]` is stored too.
 * - `arcCost[k][e]`: cost of one unit on arc e for class k (≥ 0).
 * - `arcResources[arcResourceStart[e] .. arcResourceStart[e+1]]`: the resources arc e uses.
 */
export interface FlowGraph {
  readonly nodeCount: number;
  readonly arcCount: number;
  readonly start: Uint32Array;
  readonly tail: Uint32Array;
  readonly target: Uint32Array;
}

export interface OdPairs {
  readonly count: number;
  readonly origin: Uint32Array;
  readonly destination: Uint32Array;
  readonly costClass: Uint16Array;
  /** Units per year, > 0. */
  readonly demand: Float64Array;
  /** Cost per unit left unserved (> every path's cost for the demand to be served when possible). */
  readonly unservedCost: Float64Array;
}

export interface MultiCommodityProblem {
  readonly graph: FlowGraph;
  readonly arcCost: readonly Float64Array[];
  readonly resourceCount: number;
  /** Units per year per resource (> 0; Infinity is not allowed: leave uncapacitated arcs out). */
  readonly resourceCapacity: Float64Array;
  readonly arcResourceStart: Uint32Array;
  readonly arcResources: Uint32Array;
  readonly ods: OdPairs;
}

export interface FlowSolution {
  objective: number;
  /** Total flow per arc (all ODs). */
  arcFlow: Float64Array;
  /** Flow per resource. */
  resourceFlow: Float64Array;
  /** Shadow price per resource: cost saved by one more unit of capacity (≥ 0). */
  resourceShadowPrice: Float64Array;
  /** Units of each OD left unserved. */
  unserved: Float64Array;
  /** Paths with positive flow: arc lists and flows, per OD. */
  paths: { od: number; arcs: Uint32Array; flow: number }[];
  /** Lower bound on the optimum (equals `objective` at optimality, up to tolerance). */
  lowerBound: number;
  iterations: number;
  algorithm: string;
}

export interface SolveProgress {
  iteration: number;
  objective: number;
  lowerBound: number;
  columns: number;
  elapsedMs: number;
}

/** Builds `arcResourceStart/arcResources` from each resource's arc list. */
export function arcResourceIndex(
  arcCount: number,
  resourceArcs: readonly (readonly number[])[],
): { arcResourceStart: Uint32Array; arcResources: Uint32Array } {
  const arcResourceStart = new Uint32Array(arcCount + 1);
  for (const arcs of resourceArcs) for (const e of arcs) arcResourceStart[e + 1]!++;
  for (let e = 0; e < arcCount; e++) arcResourceStart[e + 1]! += arcResourceStart[e]!;
  const fill = arcResourceStart.slice(0, arcCount);
  const arcResources = new Uint32Array(arcResourceStart[arcCount]!);
  resourceArcs.forEach((arcs, r) => {
    for (const e of arcs) arcResources[fill[e]!++] = r;
  });
  return { arcResourceStart, arcResources };
}

/** Resource flows implied by arc flows. */
export function resourceFlows(p: MultiCommodityProblem, arcFlow: Float64Array): Float64Array {
  const out = new Float64Array(p.resourceCount);
  for (let e = 0; e < p.graph.arcCount; e++) {
    const f = arcFlow[e]!;
    if (f === 0) continue;
    for (let k = p.arcResourceStart[e]!; k < p.arcResourceStart[e + 1]!; k++) out[p.arcResources[k]!]! += f;
  }
  return out;
}
