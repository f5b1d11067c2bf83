/**
 * Random multicommodity instances for the bench: a sparse random digraph (a Hamiltonian ring for
 * connectivity plus random arcs, NETGEN-8 density), `origins × destinationsPerOrigin` OD pairs, and
 * single-arc capacities on a share of the arcs, sized so that many bind. Deterministic from a seed.
 */
import { rng } from './netgen.js';

/**
 * @param {{nodes: number, arcs: number, origins: number, destinationsPerOrigin: number, capacitatedShare:
 * number, seed: number}} o
 */
export function multicommodityInstance(o) {
  const rand = rng(o.seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const n = o.nodes;
  const tails = [];
  const heads = [];
  for (let v = 0; v < n; v++) {
    tails.push(v);
    heads.push((v + 1) % n);
  }
  while (tails.length < o.arcs) {
    const a = int(0, n - 1);
    const b = int(0, n - 1);
    if (a !== b) {
      tails.push(a);
      heads.push(b);
    }
  }
  const order = tails.map((_, i) => i).sort((x, y) => tails[x] - tails[y] || x - y);
  const m = order.length;
  const start = new Uint32Array(n + 1);
  const tail = new Uint32Array(m);
  const target = new Uint32Array(m);
  const cost = new Float64Array(m);
  order.forEach((i, e) => {
    tail[e] = tails[i];
    target[e] = heads[i];
    start[tails[i] + 1]++;
  });
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  for (let e = 0; e < m; e++) cost[e] = int(1, 100);
  const resourceArcs = [];
  const capacity = [];
  for (let e = 0; e < m; e++) {
    if (rand() < o.capacitatedShare) {
      resourceArcs.push([e]);
      capacity.push(int(20, 200));
    }
  }
  const count = o.origins * o.destinationsPerOrigin;
  const origin = new Uint32Array(count);
  const destination = new Uint32Array(count);
  const demand = new Float64Array(count);
  const unservedCost = new Float64Array(count).fill(100_000);
  const originNodes = new Set();
  while (originNodes.size < o.origins) originNodes.add(int(0, n - 1));
  let i = 0;
  for (const s of originNodes) {
    const dests = new Set();
    while (dests.size < o.destinationsPerOrigin) {
      const t = int(0, n - 1);
      if (t !== s) dests.add(t);
    }
    for (const t of dests) {
      origin[i] = s;
      destination[i] = t;
      demand[i] = int(1, 30);
      i++;
    }
  }
  return {
    name:
      `random digraph, ${n.toLocaleString('en-US')} nodes, ${m.toLocaleString('en-US')} arcs, ` +
      `${count.toLocaleString('en-US')} OD pairs from ${o.origins} origins, ` +
      `${resourceArcs.length.toLocaleString('en-US')} capacitated arcs, seed ${o.seed}`,
    graph: { nodeCount: n, arcCount: m, start, tail, target },
    arcCost: [cost],
    resourceArcs,
    resourceCapacity: Float64Array.from(capacity),
    ods: { count, origin, destination, costClass: new Uint16Array(count), demand, unservedCost },
  };
}
