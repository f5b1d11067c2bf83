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
  /** `heapKey[i] = dist[heap[i]]`, kept beside the ids so the sift loops read keys without an indirection. */
  private readonly heapKey: Float64Array;
  /** Position of each vertex in `heap`, or NOT_IN_HEAP. */
  private readonly pos: Int32Array;
  private heapSize = 0;

  constructor(readonly vertexCount: number) {
    this.dist = new Float64Array(vertexCount);
    this.predArc = new Int32Array(vertexCount);
    this.heap = new Int32Array(vertexCount);
    this.heapKey = new Float64Array(vertexCount);
    this.pos = new Int32Array(vertexCount);
  }

  /**
   * Fills `dist` and `predArc` from `source` using arc weights `weight` (≥ 0).
   * `banned[e] = 1` skips arc e. Returns the number of vertices settled.
   */
  run(g: CsrGraph, weight: Float64Array, source: number, banned?: Uint8Array): number {
    const { dist, predArc, pos } = this;
    const start = g.start;
    const target = g.target;
    dist.fill(UNREACHED);
    predArc.fill(NO_ARC);
    pos.fill(NOT_IN_HEAP);
    this.heapSize = 0;
    dist[source] = 0;
    this.decrease(source, 0);
    let settled = 0;
    while (this.heapSize > 0) {
      const u = this.popMin();
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
          this.decrease(v, nd);
        }
      }
    }
    return settled;
  }

  /** Inserts v with key d, or moves it up after its key dropped to d. */
  private decrease(v: number, d: number): void {
    const { heap, heapKey, pos } = this;
    let i = pos[v]!;
    if (i === NOT_IN_HEAP) i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pd = heapKey[p]!;
      if (pd <= d) break;
      const pv = heap[p]!;
      heap[i] = pv;
      heapKey[i] = pd;
      pos[pv] = i;
      i = p;
    }
    heap[i] = v;
    heapKey[i] = d;
    pos[v] = i;
  }

  /** Removes and returns the vertex with the smallest key. */
  private popMin(): number {
    const { heap, heapKey, pos } = this;
    const top = heap[0]!;
    pos[top] = NOT_IN_HEAP;
    const n = --this.heapSize;
    if (n === 0) return top;
    const v = heap[n]!;
    const dv = heapKey[n]!;
    let i = 0;
    for (;;) {
      const c0 = 4 * i + 1;
      if (c0 >= n) break;
      let best = c0;
      let bd = heapKey[c0]!;
      const cEnd = Math.min(c0 + 4, n);
      for (let c = c0 + 1; c < cEnd; c++) {
        const d = heapKey[c]!;
        if (d < bd) {
          bd = d;
          best = c;
        }
      }
      if (bd >= dv) break;
      const bv = heap[best]!;
      heap[i] = bv;
      heapKey[i] = bd;
      pos[bv] = i;
      i = best;
    }
    heap[i] = v;
    heapKey[i] = dv;
    pos[v] = i;
    return top;
  }
}

/** Convenience wrapper: allocates a workspace for one query. */
export function dijkstra(
  g: CsrGraph,
  weight: Float64Array,
  source: number,
  banned?: Uint8Array,
): { dist: Float64Array; predArc: Int32Array } {
  const ws = new DijkstraWorkspace(g.vertexCount);
  ws.run(g, weight, source, banned);
  return { dist: ws.dist, predArc: ws.predArc };
}
