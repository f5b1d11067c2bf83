/**
 * Exact multi-criteria label-setting search (Martins' algorithm) over time, cost and CO2e.
 *
 * Labels are settled in lexicographic order of (durationH, costUsd, co2eKg): with non-negative
 * arc weights, a settled label can never be dominated later, so every label that reaches the
 * destination un-dominated belongs to the Pareto set. A new label is discarded when a label in the
 * bag of its vertex, or a label already at the destination, weakly dominates it (equal in every
 * criterion counts as dominated, so ties keep the first path found).
 *
 * Label storage is struct-of-arrays in growable typed arrays; bags hold label ids.
 * @see E.Q.V. Martins, "On a multicriteria shortest path problem", EJOR 16 (1984) 236–245.
 */
import type { CompiledNetwork } from '../network/compile.js';
import { NUM_CLASSES } from '../network/compile.js';

/** Sentinel predecessor of a label created at the origin. */
export const NO_LABEL = -1;

export interface ParetoPath {
  durationH: number;
  costUsd: number;
  co2eKg: number;
  /** Arc indices from origin to destination. */
  arcs: number[];
}

export interface ParetoSearchInput {
  net: CompiledNetwork;
  origin: number;
  destination: number;
  /** Per-arc mask, 1 = banned (see constraints.ts). */
  banned: Uint8Array;
}

class LabelStore {
  size = 0;
  time = new Float64Array(1024);
  cost = new Float64Array(1024);
  co2 = new Float64Array(1024);
  pred = new Int32Array(1024);
  arc = new Int32Array(1024);
  vertex = new Int32Array(1024);
  dead = new Uint8Array(1024);

  add(vertex: number, time: number, cost: number, co2: number, pred: number, arc: number): number {
    if (this.size === this.time.length) this.grow();
    const id = this.size++;
    this.vertex[id] = vertex;
    this.time[id] = time;
    this.cost[id] = cost;
    this.co2[id] = co2;
    this.pred[id] = pred;
    this.arc[id] = arc;
    this.dead[id] = 0;
    return id;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.time = f64(this.time);
    this.cost = f64(this.cost);
    this.co2 = f64(this.co2);
    this.pred = i32(this.pred);
    this.arc = i32(this.arc);
    this.vertex = i32(this.vertex);
    const d = new Uint8Array(n);
    d.set(this.dead);
    this.dead = d;
  }

  /** a weakly dominates b: no worse in every criterion. */
  weaklyDominates(a: number, time: number, cost: number, co2: number): boolean {
    return this.time[a]! <= time && this.cost[a]! <= cost && this.co2[a]! <= co2;
  }

  /** Lexicographic order used by the queue. */
  less(a: number, b: number): boolean {
    const ta = this.time[a]!, tb = this.time[b]!;
    if (ta !== tb) return ta < tb;
    const ca = this.cost[a]!, cb = this.cost[b]!;
    if (ca !== cb) return ca < cb;
    return this.co2[a]! < this.co2[b]!;
  }
}

/** Binary min-heap of label ids. */
class LabelHeap {
  private items = new Int32Array(1024);
  size = 0;
  constructor(private readonly store: LabelStore) {}

  push(id: number): void {
    if (this.size === this.items.length) {
      const b = new Int32Array(this.items.length * 2);
      b.set(this.items);
      this.items = b;
    }
    let i = this.size++;
    const items = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.store.less(id, items[p]!)) break;
      items[i] = items[p]!;
      i = p;
    }
    items[i] = id;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items[--this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.store.less(items[c + 1]!, items[c]!)) c++;
      if (!this.store.less(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

export function paretoSearch({ net, origin, destination, banned }: ParetoSearchInput): ParetoPath[] {
  const store = new LabelStore();
  const heap = new LabelHeap(store);
  const bags: (number[] | undefined)[] = new Array(net.vertexCount);
  const targets: number[] = [];
  const isDestination = (v: number) => net.vertexLocation[v] === destination;

  const dominatedAt = (bag: number[] | undefined, t: number, c: number, g: number): boolean => {
    if (!bag) return false;
    for (const id of bag) if (store.weaklyDominates(id, t, c, g)) return true;
    return false;
  };

  const insert = (v: number, t: number, c: number, g: number, pred: number, arc: number) => {
    if (dominatedAt(targets, t, c, g) || dominatedAt(bags[v], t, c, g)) return;
    let bag = bags[v];
    if (!bag) bag = bags[v] = [];
    else {
      // Drop the labels the new one dominates; a dead label still in the heap is skipped on pop.
      let w = 0;
      for (const id of bag) {
        if (t <= store.time[id]! && c <= store.cost[id]! && g <= store.co2[id]!) store.dead[id] = 1;
        else bag[w++] = id;
      }
      bag.length = w;
    }
    const id = store.add(v, t, c, g, pred, arc);
    bag.push(id);
    heap.push(id);
  };

  for (let c = 0; c < NUM_CLASSES; c++) {
    const v = net.vertexOf[(origin * NUM_CLASSES + c) * 2 + 1]!;
    if (v >= 0) insert(v, 0, 0, 0, NO_LABEL, -1);
  }

  while (heap.size > 0) {
    const id = heap.pop();
    if (store.dead[id]) continue;
    const v = store.vertex[id]!;
    if (isDestination(v)) {
      if (!net.vertexIsDeparture[v] && !dominatedAt(targets, store.time[id]!, store.cost[id]!, store.co2[id]!)) {
        targets.push(id);
      }
      continue;
    }
    const t = store.time[id]!, c = store.cost[id]!, g = store.co2[id]!;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      if (banned[e]) continue;
      insert(net.arcTarget[e]!, t + net.arcDurationH[e]!, c + net.arcCostUsd[e]!, g + net.arcCo2eKg[e]!, id, e);
    }
  }

  return targets.map((id) => {
    const arcs: number[] = [];
    for (let l = id; store.pred[l] !== NO_LABEL; l = store.pred[l]!) arcs.push(store.arc[l]!);
    arcs.reverse();
    return { durationH: store.time[id]!, costUsd: store.cost[id]!, co2eKg: store.co2[id]!, arcs };
  });
}
