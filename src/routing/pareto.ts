/**
 * Exact multi-criteria label-setting search (Martins' algorithm).
 *
 * Criteria: durationH, costUsd, co2eKg, optionally transshipments, border crossings and a risk
 * score. Labels are settled in lexicographic order of their criteria vector: with non-negative arc
 * weights a settled label can never be dominated later, so every label that reaches the
 * destination un-dominated belongs to the Pareto set. A new label is discarded when a label in the
 * bag of its (vertex, layer), or a label already at the destination, weakly dominates it (equal in
 * every criterion counts as dominated: ties keep the first path found).
 *
 * Memory layout (no per-label objects):
 * - `crit[id * K + k]`: criterion k of label id (Float64Array, K = number of criteria);
 * - `pred`, `arc`, `vertex`, `layer`, `dead`: per-label columns;
 * - bags are singly linked lists through `nextInBag`, headed by `bagHead[vertex * 2 + layer]`
 *   (NO_LABEL = empty): insertion and removal without allocation.
 * A *layer* (0/1) marks whether the path has used a "must use" link yet; it lets the same search
 * answer "the best routes that go through X" for the explanations.
 *
 * Options, both off by default: ε-dominance (a label within (1+ε) of another in every criterion is
 * dropped; the set becomes an ε-approximation) and a cap on the number of results (the search stops
 * once that many destination labels are settled).
 * @see E.Q.V. Martins, "On a multicriteria shortest path problem", EJOR 16 (1984) 236–245.
 */
import type { CompiledNetwork } from '../network/compile.js';
import { boundsThroughLinks, boundsToDestination } from './lower-bounds.js';
import { NUM_CLASSES } from '../network/compile.js';
import { IdHeap } from './label-heap.js';

/** Sentinel label id: no predecessor / empty bag. */
export const NO_LABEL = -1;

export const CRITERIA = ['durationH', 'costUsd', 'co2eKg', 'transshipments', 'borderCrossings', 'risk'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const BASE_CRITERIA: readonly Criterion[] = ['durationH', 'costUsd', 'co2eKg'];

export interface ParetoPath {
  durationH: number;
  costUsd: number;
  co2eKg: number;
  transshipments: number;
  borderCrossings: number;
  risk: number;
  /** Arc indices from origin to destination. */
  arcs: number[];
}

export interface ParetoSearchInput {
  net: CompiledNetwork;
  origin: number;
  destination: number;
  /** Per-arc mask, 1 = banned (see constraints.ts). */
  banned: Uint8Array;
  /** Criteria to optimise (default the base three). Order sets the settling order. */
  criteria?: readonly Criterion[];
  /** Paths with more transshipments are infeasible. */
  maxTransshipments?: number;
  /** Relative ε-dominance (0 = exact, the default). */
  epsilon?: number;
  /** Stop after this many results (default: no cap, exact). */
  maxResults?: number;
  /** Per link: 1 = the path must use at least one such link. */
  mustUseLink?: Uint8Array;
  /**
   * Drop a label once it exceeds every one of these bounds (e.g. 2× the best time and 2× the best
   * cost): criteria only grow along a path, so no completion of it could come back within them.
   */
  pruneAbove?: Partial<Record<Criterion, number>>;
  /**
   * Stop at the first path found for which this holds. Paths are found in lexicographic order of the
   * criteria (the first is the fastest when durationH leads), so this is the best such path.
   */
  until?: (path: ParetoPath) => boolean;
}

/** The arc-weight column of a criterion. */
export function criterionColumn(net: CompiledNetwork, c: Criterion): ArrayLike<number> {
  switch (c) {
    case 'durationH':
      return net.arcDurationH;
    case 'costUsd':
      return net.arcCostUsd;
    case 'co2eKg':
      return net.arcCo2eKg;
    case 'transshipments':
      return net.arcTransshipment;
    case 'borderCrossings':
      return net.arcBorderCrossings;
    case 'risk':
      return net.arcRisk;
  }
}

class LabelStore {
  size = 0;
  capacity = 1024;
  crit: Float64Array;
  /** Criteria plus the bounds to the destination: the queue's order (an A*-like focus, decision 0025). */
  key: Float64Array;
  pred = new Int32Array(1024);
  arc = new Int32Array(1024);
  vertex = new Int32Array(1024);
  nextInBag = new Int32Array(1024);
  layer = new Uint8Array(1024);
  dead = new Uint8Array(1024);

  constructor(readonly K: number) {
    this.crit = new Float64Array(1024 * K);
    this.key = new Float64Array(1024 * K);
  }

  add(vertex: number, layer: number, pred: number, arc: number): number {
    if (this.size === this.capacity) this.grow();
    const id = this.size++;
    this.vertex[id] = vertex;
    this.layer[id] = layer;
    this.pred[id] = pred;
    this.arc[id] = arc;
    this.dead[id] = 0;
    this.nextInBag[id] = NO_LABEL;
    return id;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.crit = grow(this.crit, n * this.K);
    this.key = grow(this.key, n * this.K);
    this.pred = grow(this.pred, n);
    this.arc = grow(this.arc, n);
    this.vertex = grow(this.vertex, n);
    this.nextInBag = grow(this.nextInBag, n);
    this.layer = grow(this.layer, n);
    this.dead = grow(this.dead, n);
    this.capacity = n;
  }

  /** Lexicographic order of the keys, used by the queue. */
  less(a: number, b: number): boolean {
    const K = this.K;
    const crit = this.key;
    for (let k = 0; k < K; k++) {
      const x = crit[a * K + k]!;
      const y = crit[b * K + k]!;
      if (x !== y) return x < y;
    }
    return false;
  }
}

/**
 * Breadth-first reachability from the origin's departure platforms over allowed arcs: a cheap
 * O(V + E) test that spares the label search a full sweep of everything reachable when the
 * destination cannot be reached at all.
 */
export function canReach(net: CompiledNetwork, origin: number, destination: number, banned: Uint8Array): boolean {
  const seen = new Uint8Array(net.vertexCount);
  const queue = new Int32Array(net.vertexCount);
  let head = 0;
  let tail = 0;
  for (let c = 0; c < NUM_CLASSES; c++) {
    const v = net.vertexOf[(origin * NUM_CLASSES + c) * 2 + 1]!;
    if (v >= 0) {
      seen[v] = 1;
      queue[tail++] = v;
    }
  }
  while (head < tail) {
    const v = queue[head++]!;
    if (net.vertexLocation[v] === destination && !net.vertexIsDeparture[v]) return true;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      const w = net.arcTarget[e]!;
      if (banned[e] || seen[w]) continue;
      seen[w] = 1;
      queue[tail++] = w;
    }
  }
  return false;
}

export function paretoSearch(input: ParetoSearchInput): ParetoPath[] {
  const { net, origin, destination, banned } = input;
  if (!canReach(net, origin, destination, banned)) return [];
  const userCriteria = input.criteria ?? BASE_CRITERIA;
  // A transshipment bound is only exact if the count takes part in dominance.
  const criteria: Criterion[] =
    input.maxTransshipments !== undefined && !userCriteria.includes('transshipments')
      ? [...userCriteria, 'transshipments']
      : [...userCriteria];
  const K = criteria.length;
  const cols = criteria.map((c) => criterionColumn(net, c));
  const tIndex = criteria.indexOf('transshipments');
  const maxT = input.maxTransshipments ?? Number.POSITIVE_INFINITY;
  const eps = 1 + (input.epsilon ?? 0);
  const maxResults = input.maxResults ?? Number.POSITIVE_INFINITY;
  const mustUse = input.mustUseLink;
  const targetLayer = mustUse ? 1 : 0;
  const bounds = Object.entries(input.pruneAbove ?? {})
    .map(([c, v]) => ({ k: criteria.indexOf(c as Criterion), v: v! }))
    .filter((b) => b.k >= 0);
  const outOfBounds = (): boolean => {
    if (bounds.length === 0) return false;
    for (const b of bounds) if (cand[b.k]! <= b.v) return false;
    return true;
  };

  // Bounds to the destination (through a must-use link while none is used yet): a label that cannot
  // come back within the pruning bounds, or is already beaten by a path found, is not kept.
  const toDestination = boundsToDestination(net, destination, cols, banned);
  const throughLinks = mustUse ? boundsThroughLinks(net, cols, toDestination, mustUse, banned) : undefined;
  const hoped = new Float64Array(K);
  const hopeless = (u: number, layer: number): boolean => {
    const lb = layer === 0 && throughLinks ? throughLinks : toDestination;
    for (let k = 0; k < K; k++) {
      const h = cand[k]! + lb[k]![u]!;
      if (h === Number.POSITIVE_INFINITY) return true;
      hoped[k] = h;
    }
    if (bounds.length > 0 && bounds.every((b) => hoped[b.k]! > b.v)) return true;
    const crit = store.crit;
    for (const t of targets) {
      let beaten = true;
      for (let k = 0; k < K && beaten; k++) if (crit[t * K + k]! > hoped[k]! * eps) beaten = false;
      if (beaten) return true;
    }
    return false;
  };

  const store = new LabelStore(K);
  const heap = new IdHeap(store);
  const bagHead = new Int32Array(net.vertexCount * 2).fill(NO_LABEL);
  const targets: number[] = [];
  const cand = new Float64Array(K);

  /** Does label a (ε-)dominate the candidate vector? */
  const dominatesCand = (a: number): boolean => {
    const crit = store.crit;
    for (let k = 0; k < K; k++) if (crit[a * K + k]! > cand[k]! * eps) return false;
    return true;
  };
  const candDominates = (a: number): boolean => {
    const crit = store.crit;
    for (let k = 0; k < K; k++) if (cand[k]! > crit[a * K + k]!) return false;
    return true;
  };

  /** Inserts the label held in `cand`; returns false if it was dominated. */
  const insert = (v: number, layer: number, pred: number, arc: number): void => {
    for (const t of targets) if (dominatesCand(t)) return;
    const slot = v * 2 + layer;
    for (let id = bagHead[slot]!; id !== NO_LABEL; id = store.nextInBag[id]!) if (dominatesCand(id)) return;
    // Unlink the labels the new one dominates; a dead label still in the heap is skipped on pop.
    let prev = NO_LABEL;
    for (let id = bagHead[slot]!; id !== NO_LABEL; id = store.nextInBag[id]!) {
      if (candDominates(id)) {
        store.dead[id] = 1;
        if (prev === NO_LABEL) bagHead[slot] = store.nextInBag[id]!;
        else store.nextInBag[prev] = store.nextInBag[id]!;
      } else prev = id;
    }
    const id = store.add(v, layer, pred, arc);
    store.crit.set(cand, id * K);
    // The bounds are consistent (per criterion, never more than an arc plus the bound beyond it), so
    // keys only grow along a path and labels still leave the queue in order: a popped label is final.
    const lb = layer === 0 && throughLinks ? throughLinks : toDestination;
    for (let k = 0; k < K; k++) store.key[id * K + k] = cand[k]! + lb[k]![v]!;
    store.nextInBag[id] = bagHead[slot]!;
    bagHead[slot] = id;
    heap.push(id);
  };

  for (let c = 0; c < NUM_CLASSES; c++) {
    const v = net.vertexOf[(origin * NUM_CLASSES + c) * 2 + 1]!;
    if (v >= 0) {
      cand.fill(0);
      insert(v, 0, NO_LABEL, -1);
    }
  }

  while (heap.size > 0 && targets.length < maxResults) {
    const id = heap.pop();
    if (store.dead[id]) continue;
    const v = store.vertex[id]!;
    const layer = store.layer[id]!;
    if (net.vertexLocation[v] === destination) {
      if (!net.vertexIsDeparture[v] && layer === targetLayer) {
        for (let k = 0; k < K; k++) cand[k] = store.crit[id * K + k]!;
        if (!targets.some((t) => t !== id && dominatesCand(t))) {
          targets.push(id);
          if (input.until?.(toPath(net, store, id))) break;
        }
      }
      continue;
    }
    const base = id * K;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      if (banned[e]) continue;
      for (let k = 0; k < K; k++) cand[k] = store.crit[base + k]! + cols[k]![e]!;
      if (tIndex >= 0 && cand[tIndex]! > maxT) continue;
      if (outOfBounds()) continue;
      let nextLayer = layer;
      if (mustUse && layer === 0) {
        const l = net.arcLink[e]!;
        if (l >= 0 && mustUse[l]) nextLayer = 1;
      }
      if (hopeless(net.arcTarget[e]!, nextLayer)) continue;
      insert(net.arcTarget[e]!, nextLayer, id, e);
    }
  }

  const paths = targets.map((id) => toPath(net, store, id));
  // Drop the helper criterion: keep the paths non-dominated on what the user asked for.
  if (K !== userCriteria.length) return nonDominated(paths, userCriteria);
  return paths;
}

function toPath(net: CompiledNetwork, store: LabelStore, id: number): ParetoPath {
  const arcs: number[] = [];
  for (let l = id; store.pred[l] !== NO_LABEL; l = store.pred[l]!) arcs.push(store.arc[l]!);
  arcs.reverse();
  return measurePath(net, arcs);
}

/** Sums every criterion along a path of arcs (the path keeps the given array). */
export function measurePath(net: CompiledNetwork, arcs: number[]): ParetoPath {
  const p: ParetoPath = { durationH: 0, costUsd: 0, co2eKg: 0, transshipments: 0, borderCrossings: 0, risk: 0, arcs };
  for (const e of arcs) {
    p.durationH += net.arcDurationH[e]!;
    p.costUsd += net.arcCostUsd[e]!;
    p.co2eKg += net.arcCo2eKg[e]!;
    p.transshipments += net.arcTransshipment[e]!;
    p.borderCrossings += net.arcBorderCrossings[e]!;
    p.risk += net.arcRisk[e]!;
  }
  return p;
}

/** a weakly dominates b on the given criteria and is strictly better on one. */
export function dominatesOn(a: ParetoPath, b: ParetoPath, criteria: readonly Criterion[]): boolean {
  let strict = false;
  for (const c of criteria) {
    if (a[c] > b[c]) return false;
    if (a[c] < b[c]) strict = true;
  }
  return strict;
}

/** The non-dominated paths on `criteria`, one per distinct criteria vector. */
export function nonDominated(paths: ParetoPath[], criteria: readonly Criterion[]): ParetoPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    if (paths.some((q) => dominatesOn(q, p, criteria))) return false;
    const key = criteria.map((c) => p[c]).join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
