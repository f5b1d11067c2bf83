/**
 * Lower bounds to the destination for the Pareto search (decision 0025): per criterion, the least
 * sum of that criterion from each vertex to the destination, by one multi-source Dijkstra over the
 * reversed arcs. A label whose criteria plus these bounds are already dominated by a path found, or
 * beyond every pruning bound, has no completion worth keeping, so it is dropped early. On the dense
 * network this is what keeps the per-family explanation searches from sweeping the whole graph.
 */
import type { CompiledNetwork } from '../network/compile.js';
import { getOrCreate } from '../model/memo.js';

/** The arcs grouped by their head: arcs into v are `revArc[revStart[v] .. revStart[v+1]]`. */
interface ReverseCsr {
  revStart: Uint32Array;
  revArc: Uint32Array;
  /** Tail of every arc (the reverse graph's target). */
  tail: Uint32Array;
}

const REVERSE = new WeakMap<CompiledNetwork, ReverseCsr>();

function reverseCsr(net: CompiledNetwork): ReverseCsr {
  return getOrCreate(REVERSE, net, () => {
    const V = net.vertexCount;
    const E = net.arcCount;
    const tail = new Uint32Array(E);
    for (let v = 0; v < V; v++) for (let e = net.arcStart[v] ?? 0; e < (net.arcStart[v + 1] ?? 0); e++) tail[e] = v;
    const revStart = new Uint32Array(V + 1);
    for (let e = 0; e < E; e++)
      revStart[(net.arcTarget[e] ?? 0) + 1] = (revStart[(net.arcTarget[e] ?? 0) + 1] ?? 0) + 1;
    for (let v = 0; v < V; v++) revStart[v + 1] = (revStart[v + 1] ?? 0) + (revStart[v] ?? 0);
    const fill = revStart.slice(0, V);
    const revArc = new Uint32Array(E);
    for (let e = 0; e < E; e++) {
      const h = net.arcTarget[e] ?? 0;
      revArc[fill[h] ?? 0] = e;
      fill[h] = (fill[h] ?? 0) + 1;
    }
    return { revStart, revArc, tail };
  });
}

/**
 * Completes `dist` (its finite entries are the seeds) with the least `weight` sum from every vertex to
 * a seed over the arcs not banned. A binary heap with lazy deletion: the graphs have ~10³ vertices.
 */
function reverseDijkstra(
  net: CompiledNetwork,
  weight: ArrayLike<number>,
  banned: Uint8Array,
  dist: Float64Array,
): void {
  const { revStart, revArc, tail } = reverseCsr(net);
  const heapV: number[] = [];
  const heapD: number[] = [];
  const push = (v: number, d: number) => {
    let i = heapV.length;
    heapV.push(v);
    heapD.push(d);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((heapD[p] ?? 0) <= d) break;
      heapV[i] = heapV[p] ?? 0;
      heapD[i] = heapD[p] ?? 0;
      i = p;
    }
    heapV[i] = v;
    heapD[i] = d;
  };
  const pop = (): number => {
    const top = heapV[0] ?? 0;
    const lastV = heapV.pop() ?? 0;
    const lastD = heapD.pop() ?? 0;
    const n = heapV.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && (heapD[c + 1] ?? 0) < (heapD[c] ?? 0)) c++;
        if ((heapD[c] ?? 0) >= lastD) break;
        heapV[i] = heapV[c] ?? 0;
        heapD[i] = heapD[c] ?? 0;
        i = c;
      }
      heapV[i] = lastV;
      heapD[i] = lastD;
    }
    return top;
  };
  for (let v = 0; v < dist.length; v++)
    if ((dist[v] ?? Number.POSITIVE_INFINITY) < Number.POSITIVE_INFINITY) push(v, dist[v] ?? 0);
  const done = new Uint8Array(dist.length);
  while (heapV.length > 0) {
    const u = pop();
    if (done[u]) continue;
    done[u] = 1;
    const du = dist[u] ?? 0;
    for (let i = revStart[u] ?? 0; i < (revStart[u + 1] ?? 0); i++) {
      const e = revArc[i] ?? 0;
      if (banned[e]) continue;
      const t = tail[e] ?? 0;
      const nd = du + (weight[e] ?? 0);
      if (nd < (dist[t] ?? 0)) {
        dist[t] = nd;
        push(t, nd);
      }
    }
  }
}

/** Shaves float rounding off a bound, so a sum taken in another order never exceeds the true one. */
function shave(dist: Float64Array): Float64Array {
  for (let v = 0; v < dist.length; v++) dist[v] = (dist[v] ?? 0) * (1 - 1e-9) - 1e-9;
  return dist;
}

/**
 * Per criterion column, the bound from every vertex to the destination's arrival platforms
 * (`Infinity` where it cannot be reached).
 */
export function boundsToDestination(
  net: CompiledNetwork,
  destination: number,
  cols: readonly ArrayLike<number>[],
  banned: Uint8Array,
): Float64Array[] {
  return cols.map((col) => {
    const dist = new Float64Array(net.vertexCount).fill(Number.POSITIVE_INFINITY);
    for (let v = 0; v < net.vertexCount; v++)
      if (net.vertexLocation[v] === destination && !net.vertexIsDeparture[v]) dist[v] = 0;
    reverseDijkstra(net, col, banned, dist);
    return shave(dist);
  });
}

/**
 * Per criterion, the bound from every vertex to the destination through at least one arc of a link
 * in `mustUse`: seeded at those arcs' tails with the arc plus the bound from its head.
 */
export function boundsThroughLinks(
  net: CompiledNetwork,
  cols: readonly ArrayLike<number>[],
  toDestination: readonly Float64Array[],
  mustUse: Uint8Array,
  banned: Uint8Array,
): Float64Array[] {
  const { tail } = reverseCsr(net);
  return cols.map((col, k) => {
    const after = toDestination[k] ?? new Float64Array(0);
    const dist = new Float64Array(net.vertexCount).fill(Number.POSITIVE_INFINITY);
    for (let e = 0; e < net.arcCount; e++) {
      const l = net.arcLink[e] ?? -1;
      if (l < 0 || !mustUse[l] || banned[e]) continue;
      const d = (col[e] ?? 0) + Math.max(0, after[net.arcTarget[e] ?? 0] ?? 0);
      const t = tail[e] ?? 0;
      if (d < (dist[t] ?? 0)) dist[t] = d;
    }
    reverseDijkstra(net, col, banned, dist);
    return shave(dist);
  });
}
