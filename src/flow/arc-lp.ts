/**
 * The full arc-based LP of a multicommodity problem, for a general LP solver: the reference that
 * column generation is checked and benchmarked against. ODs that share an origin and a cost class
 * are aggregated into one commodity (exact for a linear problem: their paths cost the same), so
 * the LP has (#origin-class groups × #arcs + #ODs) columns and (#groups × #nodes + #resources) rows.
 *
 * Column layout: x[g * arcCount + e] is the flow of group g on arc e; then one unserved column per
 * OD (a virtual arc origin → destination at the unserved cost). Row layout: conservation rows
 * g * nodeCount + v (out − in = supply), then one capacity row per resource.
 */
import type { LpModel } from './lp.js';
import type { MinCostFlowProblem } from './network-simplex.js';
import type { MultiCommodityProblem } from './problem.js';

/**
 * Writes the conservation entries of an arc a → b at position k: +1 in row a, −1 in row b, in
 * ascending row order as CSC requires. Returns the next position.
 */
function putArcEntries(indices: Int32Array, values: Float64Array, k: number, a: number, b: number): number {
  indices[k] = Math.min(a, b);
  values[k] = a < b ? 1 : -1;
  indices[k + 1] = Math.max(a, b);
  values[k + 1] = a < b ? -1 : 1;
  return k + 2;
}

/** The node-arc LP of a single-commodity min-cost flow (one column per arc, one row per node). */
export function minCostFlowLp(p: MinCostFlowProblem): LpModel {
  const m = p.tail.length;
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(2 * m);
  const values = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) starts[e + 1] = putArcEntries(indices, values, 2 * e, p.tail[e]!, p.head[e]!);
  return {
    numCols: m,
    numRows: p.nodeCount,
    colCost: p.cost,
    colLower: new Float64Array(m),
    colUpper: p.capacity,
    rowLower: p.supply,
    rowUpper: p.supply,
    matrix: { starts, indices, values },
  };
}

export interface ArcLp {
  model: LpModel;
  groupCount: number;
  /** Group of each OD. */
  odGroup: Uint32Array;
  /** Row of the first capacity constraint. */
  capacityRow0: number;
}

export function buildArcLp(p: MultiCommodityProblem): ArcLp {
  const { graph, ods } = p;
  const N = graph.nodeCount;
  const m = graph.arcCount;
  const groupKey = new Map<number, number>();
  const groupOrigin: number[] = [];
  const groupClass: number[] = [];
  const odGroup = new Uint32Array(ods.count);
  for (let i = 0; i < ods.count; i++) {
    const key = ods.origin[i]! * 65536 + ods.costClass[i]!;
    let g = groupKey.get(key);
    if (g === undefined) {
      g = groupOrigin.length;
      groupKey.set(key, g);
      groupOrigin.push(ods.origin[i]!);
      groupClass.push(ods.costClass[i]!);
    }
    odGroup[i] = g;
  }
  const G = groupOrigin.length;
  const numCols = G * m + ods.count;
  const numRows = G * N + p.resourceCount;
  const capacityRow0 = G * N;

  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  for (let i = 0; i < ods.count; i++) {
    const g = odGroup[i]!;
    rowLower[g * N + ods.origin[i]!]! += ods.demand[i]!;
    rowLower[g * N + ods.destination[i]!]! -= ods.demand[i]!;
  }
  for (let r = 0; r < G * N; r++) rowUpper[r] = rowLower[r]!;
  for (let r = 0; r < p.resourceCount; r++) {
    rowLower[capacityRow0 + r] = -Infinity;
    rowUpper[capacityRow0 + r] = p.resourceCapacity[r]!;
  }

  const colCost = new Float64Array(numCols);
  const starts = new Int32Array(numCols + 1);
  let nnz = 0;
  for (let e = 0; e < m; e++) nnz += 2 + (p.arcResourceStart[e + 1]! - p.arcResourceStart[e]!);
  const indices = new Int32Array(G * nnz + 2 * ods.count);
  const values = new Float64Array(G * nnz + 2 * ods.count);
  let k = 0;
  let col = 0;
  for (let g = 0; g < G; g++) {
    const c = p.arcCost[groupClass[g]!]!;
    for (let e = 0; e < m; e++) {
      colCost[col] = c[e]!;
      starts[col] = k;
      k = putArcEntries(indices, values, k, g * N + graph.tail[e]!, g * N + graph.target[e]!);
      for (let q = p.arcResourceStart[e]!; q < p.arcResourceStart[e + 1]!; q++) {
        indices[k] = capacityRow0 + p.arcResources[q]!;
        values[k++] = 1;
      }
      col++;
    }
  }
  for (let i = 0; i < ods.count; i++) {
    const g = odGroup[i]!;
    colCost[col] = ods.unservedCost[i]!;
    starts[col] = k;
    k = putArcEntries(indices, values, k, g * N + ods.origin[i]!, g * N + ods.destination[i]!);
    col++;
  }
  starts[numCols] = k;
  return {
    model: {
      numCols,
      numRows,
      colCost,
      colLower: new Float64Array(numCols),
      colUpper: new Float64Array(numCols).fill(Infinity),
      rowLower,
      rowUpper,
      matrix: { starts, indices: indices.subarray(0, k), values: values.subarray(0, k) },
    },
    groupCount: G,
    odGroup,
    capacityRow0,
  };
}
