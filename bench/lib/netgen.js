/**
 * NETGEN-style random min-cost flow instances (deterministic from a seed), after
 * D. Klingman, A. Napier, J. Stutz, "NETGEN: A program for generating large scale capacitated
 * assignment, transportation, and minimum cost flow network problems", Management Science 20(5)
 * (1974) 814–821, with the NETGEN-8 parameters of Kovács (2015): m = 8n arcs, costs in [1, 10000],
 * capacities in [1, 1000], ⌈√n⌉ sources and sinks, total supply 1000·√n.
 *
 * As in NETGEN, a skeleton of chains from every source through transshipment nodes to sinks makes
 * every instance feasible (skeleton arcs get the source's supply as capacity); the remaining arcs
 * are random. Not bit-identical to the original Fortran generator (different random numbers).
 */

/** xorshift32, so bench instances are the same on every machine. */
export function rng(seed) {
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

/**
 * @param {{nodes: number, arcs: number, seed: number, minCost?: number, maxCost?: number, minCap?: number,
 * maxCap?: number}} o
 * @returns {{nodeCount: number, tail: Int32Array, head: Int32Array, cost: Float64Array, capacity:
 * Float64Array, supply: Float64Array, name: string}}
 */
export function netgen(o) {
  const rand = rng(o.seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const n = o.nodes;
  const minCost = o.minCost ?? 1;
  const maxCost = o.maxCost ?? 10000;
  const minCap = o.minCap ?? 1;
  const maxCap = o.maxCap ?? 1000;
  const sources = Math.max(1, Math.ceil(Math.sqrt(n)));
  const sinks = sources;
  const totalSupply = Math.round(1000 * Math.sqrt(n));
  const supply = new Float64Array(n);
  // Sources are nodes 0..S-1, sinks the last T nodes, as in NETGEN.
  const share = distribute(totalSupply, sources, rand);
  const sinkShare = distribute(totalSupply, sinks, rand);
  for (let i = 0; i < sources; i++) supply[i] = share[i];
  for (let j = 0; j < sinks; j++) supply[n - sinks + j] -= sinkShare[j];

  const tail = [];
  const head = [];
  const cost = [];
  const cap = [];
  const add = (a, b, c, u) => {
    tail.push(a);
    head.push(b);
    cost.push(c);
    cap.push(u);
  };
  // Skeleton: each source sends its supply along a chain of transshipment nodes to a sink, so the
  // instance is feasible; chains cover the transshipment nodes. A second step pairs sink demand.
  const trans = [];
  for (let v = sources; v < n - sinks; v++) trans.push(v);
  shuffle(trans, rand);
  const per = Math.max(1, Math.floor(trans.length / sources));
  // Flow each source's supply into a common pool of sinks: chains end at a random sink; sink
  // deficits are then covered by arcs from the chain ends with capacity = total supply.
  for (let i = 0; i < sources; i++) {
    const chain = [i, ...trans.slice(i * per, (i + 1) * per)];
    for (let k = 0; k + 1 < chain.length; k++) add(chain[k], chain[k + 1], int(minCost, maxCost), totalSupply);
    const end = chain[chain.length - 1];
    for (let j = 0; j < sinks; j++) add(end, n - sinks + j, int(minCost, maxCost), totalSupply);
    if (tail.length > o.arcs) break;
  }
  while (tail.length < o.arcs) {
    const a = int(0, n - 1);
    const b = int(0, n - 1);
    if (a === b) continue;
    add(a, b, int(minCost, maxCost), int(minCap, maxCap));
  }
  return {
    name:
      `NETGEN-8 style, ${n.toLocaleString('en-US')} nodes, ${tail.length.toLocaleString('en-US')} arcs, ` +
      `seed ${o.seed}`,
    nodeCount: n,
    tail: Int32Array.from(tail),
    head: Int32Array.from(head),
    cost: Float64Array.from(cost),
    capacity: Float64Array.from(cap),
    supply,
  };
}

function distribute(total, parts, rand) {
  const w = Array.from({ length: parts }, () => 0.5 + rand());
  const sum = w.reduce((a, b) => a + b, 0);
  const out = w.map((x) => Math.floor((x / sum) * total));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts, rest--) out[i]++;
  return out;
}

function shuffle(a, rand) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

/** DIMACS min-cost flow text (for the LEMON harness). */
export function toDimacs(p) {
  const lines = [`c ${p.name}`, `p min ${p.nodeCount} ${p.tail.length}`];
  for (let v = 0; v < p.nodeCount; v++) if (p.supply[v] !== 0) lines.push(`n ${v + 1} ${p.supply[v]}`);
  for (let e = 0; e < p.tail.length; e++)
    lines.push(`a ${p.tail[e] + 1} ${p.head[e] + 1} 0 ${p.capacity[e]} ${p.cost[e]}`);
  return `${lines.join('\n')}\n`;
}
