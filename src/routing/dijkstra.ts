/**
 * Single-criterion one-to-all shortest paths on a CSR graph (Dijkstra with an indexed 4-ary heap).
 *
 * Used for the fastest/cheapest/greenest single-criterion queries, as a lower bound for pruning,
 * and as the reference the multi-criteria search is benchmarked against. All per-query state
 * lives in a reusable `DijkstraWorkspace`, so repeated queries allocate nothing.
 * @see E.W. Dijkstra, "A note on two problems in connexion with graphs", Numer. Math. 1 (1959).
 */

/** A directed graph in CSR form: arcs of v are `start[v] .. start[v+1]`. */
export interface CsrGraph {
  readonly vertexCount: number;
  readonly start: Uint32Array;
  readonly target: Uint32Array;
}

/** Distance of a vertex not reached. */
export const UNREACHED = Number.POSITIVE_INFINITY;
/** Predecessor arc of the source and of unreached vertices. */
export const NO_ARC = -1;
/** Heap position of a vertex not in the heap. */
const NOT_IN_HEAP = -1;

export class DijkstraWorkspace {
  readonly dist: Float64Array;
  readonly predArc: Int32Array;
  /** Heap of vertex ids, 4-ary, ordered by dist. */
  private readonly heap: Int32Array;
  /** Position of each vertex in `heap`, or NOT_IN_HEAP. */
  private readonly pos: Int32Array;
  private heapSize = 0;

  constructor(readonly vertexCount: number) {
    this.dist = new Float64Array(vertexCount);
    this.predArc = new Int32Array(vertexCount);
    this.heap = new Int32Array(vertexCount);
    this.pos = new Int32Array(vertexCount);
  }

  /**
   * Fills `dist` and `predArc` from `source` using arc weights `weight` (≥ 0).
   * `banned[e] = 1` skips arc e. Returns the number of vertices settled.
   */
  run(g: CsrGraph, weight: Float64Array, source: number, banned?: Uint8Array): number {
    const { dist, predArc, heap, pos } = this;
    const start = g.start;
    const target = g.target;
    dist.fill(UNREACHED);
    predArc.fill(NO_ARC);
    pos.fill(NOT_IN_HEAP);
    this.heapSize = 0;
    dist[source] = 0;
    this.push(source);
    let settled = 0;
    while (this.heapSize > 0) {
      const u = heap[0]!;
      this.popTop();
      settled++;
      const du = dist[u]!;
      const end = start[u + 1]!;
      for (let e = start[u]!; e < end; e++) {
        if (banned !== undefined && banned[e] === 1) continue;
        const v = target[e]!;
        const nd = du + weight[e]!;
        if (nd < dist[v]!) {
          dist[v] = nd;
          predArc[v] = e;
          if (pos[v] === NOT_IN_HEAP) this.push(v);
          else this.siftUp(pos[v]!);
        }
      }
    }
    return settled;
  }

  private push(v: number): void {
    const i = this.heapSize++;
    this.heap[i] = v;
    this.pos[v] = i;
    this.siftUp(i);
  }

  private siftUp(i: number): void {
    const { heap, pos, dist } = this;
    const v = heap[i]!;
    const dv = dist[v]!;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pv = heap[p]!;
      if (dist[pv]! <= dv) break;
      heap[i] = pv;
      pos[pv] = i;
      i = p;
    }
    heap[i] = v;
    pos[v] = i;
  }

  private popTop(): void {
    const { heap, pos, dist } = this;
    pos[heap[0]!] = NOT_IN_HEAP;
    const n = --this.heapSize;
    if (n === 0) return;
    const v = heap[n]!;
    const dv = dist[v]!;
    let i = 0;
    for (;;) {
      const c0 = 4 * i + 1;
      if (c0 >= n) break;
      let best = c0;
      let bd = dist[heap[c0]!]!;
      const cEnd = c0 + 4 < n ? c0 + 4 : n;
      for (let c = c0 + 1; c < cEnd; c++) {
        const d = dist[heap[c]!]!;
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      if (bd >= dv) break;
      const bv = heap[best]!;
      heap[i] = bv;
      pos[bv] = i;
      i = best;
    }
    heap[i] = v;
    pos[v] = i;
  }
}

/** Convenience wrapper: allocates a workspace for one query. */
export function dijkstra(g: CsrGraph, weight: Float64Array, source: number, banned?: Uint8Array): { dist: Float64Array; predArc: Int32Array } {
  const ws = new DijkstraWorkspace(g.vertexCount);
  ws.run(g, weight, source, banned);
  return { dist: ws.dist, predArc: ws.predArc };
}
