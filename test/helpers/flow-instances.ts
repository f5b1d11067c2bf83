/**
 * Small random multicommodity instances for the flow tests (deterministic from a seed).
 */
import { arcResourceIndex, type MultiCommodityProblem } from '../../src/flow/problem.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export interface InstanceShape {
  nodes: number;
  arcs: number;
  ods: number;
  classes: number;
  /** Share of arcs with a single-arc capacity. */
  capacitated: number;
  /** Number of multi-arc resources (like a border shared by several arcs). */
  sharedResources: number;
  /** Integer data (costs, capacities, demands). */
  integer?: boolean;
}

export function randomInstance(seed: number, s: InstanceShape): MultiCommodityProblem {
  const rand = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const val = (lo: number, hi: number) => (s.integer ? int(lo, hi) : lo + rand() * (hi - lo));
  const tails: number[] = [];
  const heads: number[] = [];
  // A ring guarantees every OD a path; random chords make alternatives.
  for (let v = 0; v < s.nodes; v++) {
    tails.push(v);
    heads.push((v + 1) % s.nodes);
  }
  while (tails.length < s.arcs) {
    const a = int(0, s.nodes - 1);
    const b = int(0, s.nodes - 1);
    if (a !== b) {
      tails.push(a);
      heads.push(b);
    }
  }
  const order = tails.map((_, i) => i).sort((x, y) => tails[x]! - tails[y]! || x - y);
  const m = order.length;
  const start = new Uint32Array(s.nodes + 1);
  const tail = new Uint32Array(m);
  const target = new Uint32Array(m);
  order.forEach((i, e) => {
    tail[e] = tails[i]!;
    target[e] = heads[i]!;
    start[tails[i]! + 1]!++;
  });
  for (let v = 0; v < s.nodes; v++) start[v + 1]! += start[v]!;
  const baseCost = Float64Array.from({ length: m }, () => val(1, 20));
  const time = Float64Array.from({ length: m }, () => val(1, 10));
  const arcCost = Array.from({ length: s.classes }, (_, k) => Float64Array.from(baseCost, (c, e) => c + k * time[e]!));
  const resourceArcs: number[][] = [];
  const capacity: number[] = [];
  for (let e = 0; e < m; e++) {
    if (rand() < s.capacitated) {
      resourceArcs.push([e]);
      capacity.push(val(2, 30));
    }
  }
  for (let r = 0; r < s.sharedResources; r++) {
    const set = new Set<number>();
    const k = int(2, 4);
    while (set.size < Math.min(k, m)) set.add(int(0, m - 1));
    resourceArcs.push([...set]);
    capacity.push(val(5, 40));
  }
  const n = s.ods;
  const origin = new Uint32Array(n);
  const destination = new Uint32Array(n);
  const costClass = new Uint16Array(n);
  const demand = new Float64Array(n);
  const unservedCost = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    origin[i] = int(0, s.nodes - 1);
    do destination[i] = int(0, s.nodes - 1);
    while (destination[i] === origin[i]);
    costClass[i] = int(0, s.classes - 1);
    demand[i] = val(1, 20);
    unservedCost[i] = s.integer ? 1000 : 500 + rand() * 500;
  }
  const idx = arcResourceIndex(m, resourceArcs);
  return {
    graph: { nodeCount: s.nodes, arcCount: m, start, tail, target },
    arcCost,
    resourceCount: resourceArcs.length,
    resourceCapacity: Float64Array.from(capacity),
    ...idx,
    ods: { count: n, origin, destination, costClass, demand, unservedCost },
  };
}
