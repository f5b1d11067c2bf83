/**
 * Path-based column generation for the linear multicommodity min-cost flow problem (see
 * problem.ts). The restricted master LP holds one row per OD and one per resource, the unserved
 * columns and the paths found so far; it is solved by an `LpSolver` kept warm between rounds.
 * Pricing is a shortest-path problem: with row duals π_i (ODs) and μ_r ≤ 0 (resources), a path p of
 * OD i has reduced cost  Σ_{e∈p} (c_k(e) − Σ_{r∋e} μ_r) − π_i,  so one Dijkstra per (origin, class)
 * prices every OD of that origin at once. Rounds stop when no path has negative reduced cost: the
 * master optimum is then the optimum of the full LP, and its duals are the full LP's duals.
 *
 * Each round also yields a Lagrangian lower bound  Σ_r μ_r cap_r + Σ_i d_i min(M_i, dist_i),
 * reported with the progress so a long solve shows how far it is from optimal.
 *
 * @see L.R. Ford, D.R. Fulkerson, "A suggested computation for maximal multi-commodity network
 *      flows", Management Science 5(1) (1958) 97–101.
 * @see C. Barnhart, C.A. Hane, P.H. Vance, "Using branch-and-price-and-cut to solve origin–
 *      destination integer multicommodity flow problems", Operations Research 48(2) (2000) — the
 *      path formulation and its pricing.
 */
import { DijkstraWorkspace, UNREACHED } from '../routing/dijkstra.js';
import type { CscMatrix, LpSolver } from './lp.js';
import { resourceFlows, type FlowSolution, type MultiCommodityProblem, type SolveProgress } from './problem.js';

export interface ColumnGenerationOptions {
  /** Called after every master solve. */
  onProgress?: (p: SolveProgress) => void;
  /** Safety net; the solve reports `converged: false` when it is hit. */
  maxRounds?: number;
  /** Relative reduced-cost tolerance for a new column (default 1e-9). */
  tolerance?: number;
  now?: () => number;
}

export class FlowSolveError extends Error {}

export async function solveColumnGeneration(
  p: MultiCommodityProblem,
  solver: LpSolver,
  opts: ColumnGenerationOptions = {},
): Promise<FlowSolution & { converged: boolean }> {
  const now = opts.now ?? (() => Date.now());
  const t0 = now();
  const tol = opts.tolerance ?? 1e-9;
  const maxRounds = opts.maxRounds ?? 10_000;
  const { graph, ods } = p;
  const n = ods.count;
  const R = p.resourceCount;
  const m = graph.arcCount;

  // Master: rows 0..n-1 = demand (equality), rows n..n+R-1 = capacity (≤ cap). Columns 0..n-1 unserved.
  const rowLower = new Float64Array(n + R);
  const rowUpper = new Float64Array(n + R);
  for (let i = 0; i < n; i++) rowLower[i] = rowUpper[i] = ods.demand[i]!;
  for (let r = 0; r < R; r++) {
    rowLower[n + r] = -Infinity;
    rowUpper[n + r] = p.resourceCapacity[r]!;
  }
  const starts = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) starts[i] = i;
  const session = await solver.open({
    numCols: n,
    numRows: n + R,
    colCost: Float64Array.from(ods.unservedCost),
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(Infinity),
    rowLower,
    rowUpper,
    matrix: { starts, indices: Int32Array.from({ length: n }, (_, i) => i), values: new Float64Array(n).fill(1) },
  });

  // Pricing groups: ODs sharing origin and cost class.
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = ods.origin[i]! * 65536 + ods.costClass[i]!;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  const classes = [...new Set(Array.from(ods.costClass))];
  const weight = new Map(classes.map((k) => [k, new Float64Array(m)]));
  const penalty = new Float64Array(m);
  const ws = new DijkstraWorkspace(graph.nodeCount);
  const csr = { vertexCount: graph.nodeCount, start: graph.start, target: graph.target };

  const columnOd: number[] = [];
  const columnArcs: Uint32Array[] = [];
  const seen = new Set<string>();
  const dist = new Float64Array(n);
  let objective = Infinity;
  let lowerBound = -Infinity;
  let rounds = 0;
  let converged = false;
  let last: { colValue: Float64Array; rowDual: Float64Array } | undefined;

  try {
    for (; rounds < maxRounds; rounds++) {
      const res = await session.solve();
      if (res.status !== 'optimal') throw new FlowSolveError(`master LP not solved: ${res.detail}`);
      objective = res.objective;
      last = { colValue: res.colValue, rowDual: res.rowDual };
      const y = res.rowDual;

      // Arc weights with the capacity prices.
      penalty.fill(0);
      let capacityTerm = 0;
      for (let r = 0; r < R; r++) capacityTerm += Math.min(0, y[n + r]!) * p.resourceCapacity[r]!;
      for (let e = 0; e < m; e++) {
        let s = 0;
        for (let k = p.arcResourceStart[e]!; k < p.arcResourceStart[e + 1]!; k++)
          s -= Math.min(0, y[n + p.arcResources[k]!]!);
        penalty[e] = s;
      }
      for (const k of classes) {
        const w = weight.get(k)!;
        const c = p.arcCost[k]!;
        for (let e = 0; e < m; e++) w[e] = c[e]! + penalty[e]!;
      }

      // Pricing.
      const newCost: number[] = [];
      const newOd: number[] = [];
      const newArcs: Uint32Array[] = [];
      let lagrangian = capacityTerm;
      for (const members of groups.values()) {
        const first = members[0]!;
        const w = weight.get(ods.costClass[first]!)!;
        ws.run(csr, w, ods.origin[first]!);
        for (const i of members) {
          const d = ws.dist[ods.destination[i]!]!;
          dist[i] = d;
          lagrangian += ods.demand[i]! * Math.min(ods.unservedCost[i]!, d);
          const pi = y[i]!;
          if (d === UNREACHED || d - pi >= -tol * Math.max(1, Math.abs(pi))) continue;
          const arcs = extractPath(ws.predArc, graph.tail, ods.origin[i]!, ods.destination[i]!);
          const key = `${i}:${arcs.join(',')}`;
          if (seen.has(key)) continue; // numerically tied with a column already in the master
          seen.add(key);
          const c = p.arcCost[ods.costClass[i]!]!;
          let cost = 0;
          for (const e of arcs) cost += c[e]!;
          newCost.push(cost);
          newOd.push(i);
          newArcs.push(arcs);
        }
      }
      lowerBound = Math.max(lowerBound, lagrangian);
      opts.onProgress?.({
        iteration: rounds + 1,
        objective,
        lowerBound,
        columns: columnOd.length,
        elapsedMs: now() - t0,
      });
      if (newOd.length === 0) {
        converged = true;
        lowerBound = objective;
        break;
      }
      await session.addColumns(
        Float64Array.from(newCost),
        new Float64Array(newOd.length),
        new Float64Array(newOd.length).fill(Infinity),
        columnMatrix(p, n, newOd, newArcs),
      );
      for (let j = 0; j < newOd.length; j++) {
        columnOd.push(newOd[j]!);
        columnArcs.push(newArcs[j]!);
      }
    }
  } finally {
    await session.close();
  }

  const x = last!.colValue;
  const y = last!.rowDual;
  const arcFlow = new Float64Array(m);
  const paths: FlowSolution['paths'] = [];
  for (let j = 0; j < columnOd.length; j++) {
    const f = x[n + j]!;
    if (f <= 0) continue;
    const arcs = columnArcs[j]!;
    for (const e of arcs) arcFlow[e]! += f;
    paths.push({ od: columnOd[j]!, arcs, flow: f });
  }
  const resourceShadowPrice = new Float64Array(R);
  for (let r = 0; r < R; r++) resourceShadowPrice[r] = Math.max(0, -y[n + r]!);
  return {
    objective,
    arcFlow,
    resourceFlow: resourceFlows(p, arcFlow),
    resourceShadowPrice,
    unserved: Float64Array.from({ length: n }, (_, i) => Math.max(0, x[i]!)),
    paths,
    lowerBound,
    iterations: rounds + 1,
    algorithm: `column generation (shortest-path pricing, master LP by ${solver.name})`,
    converged,
  };
}

/** Arcs of the shortest path from `origin` to `dest`, in travel order. */
function extractPath(predArc: Int32Array, tail: Uint32Array, origin: number, dest: number): Uint32Array {
  const rev: number[] = [];
  for (let v = dest; v !== origin; ) {
    const e = predArc[v]!;
    rev.push(e);
    v = tail[e]!;
  }
  rev.reverse();
  return Uint32Array.from(rev);
}

/** Master-LP columns of new paths: 1 in the OD's demand row, 1 in each resource row the path uses. */
function columnMatrix(p: MultiCommodityProblem, n: number, od: number[], arcs: Uint32Array[]): CscMatrix {
  const starts = new Int32Array(od.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const count = new Map<number, number>();
  for (let j = 0; j < od.length; j++) {
    indices.push(od[j]!);
    values.push(1);
    count.clear();
    for (const e of arcs[j]!) {
      for (let k = p.arcResourceStart[e]!; k < p.arcResourceStart[e + 1]!; k++) {
        const r = p.arcResources[k]!;
        count.set(r, (count.get(r) ?? 0) + 1);
      }
    }
    for (const [r, c] of [...count.entries()].sort((a, b) => a[0] - b[0])) {
      indices.push(n + r);
      values.push(c);
    }
    starts[j + 1] = indices.length;
  }
  return { starts, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}
