/**
 * Primal network simplex for single-commodity min-cost flow, with a strongly feasible spanning tree
 * kept in parent / thread / successor-count arrays and the block-search pivot rule. All state is in
 * typed arrays; a solve allocates once.
 *
 *   min Σ_e cost[e] x[e]  s.t.  Σ_out x − Σ_in x = supply[v] (every v),  0 ≤ x[e] ≤ capacity[e]
 *
 * Supplies must sum to 0 (add an explicit slack arc for optional demand). An artificial root with
 * one artificial arc per node (big-M cost) gives the initial tree; a positive artificial flow at the
 * end means the problem is infeasible. Node potentials π (reduced cost c_e + π_tail − π_head) are
 * the LP duals: an arc at its capacity with reduced cost −δ < 0 has shadow price δ.
 *
 * Tree layout (one slot per node, plus the root = nodeCount):
 *   parent[u], pred[u] (arc to the parent), predDir[u] (+1: pred points up u → parent, −1: down),
 *   thread[u] (preorder successor), revThread[u], succNum[u] (subtree size), lastSucc[u] (last node
 *   of u's subtree in thread order). Arc state: +1 at lower bound, −1 at upper bound, 0 in the tree.
 *
 * @see R.K. Ahuja, T.L. Magnanti, J.B. Orlin, Network Flows (Prentice Hall, 1993), ch. 11.
 * @see P. Kovács, "Minimum-cost flow algorithms: an experimental evaluation", Optimization Methods
 *      and Software 30(1) (2015) 94–127 — the block-search rule and the tree update follow the LEMON
 *      implementation evaluated there.
 */

export interface MinCostFlowProblem {
  nodeCount: number;
  tail: Uint32Array | Int32Array;
  head: Uint32Array | Int32Array;
  cost: Float64Array;
  /** Infinity for an uncapacitated arc. */
  capacity: Float64Array;
  /** Positive: supply; negative: demand. Must sum to 0. */
  supply: Float64Array;
}

export type MinCostFlowStatus = 'optimal' | 'infeasible' | 'unbounded';

export interface MinCostFlowResult {
  status: MinCostFlowStatus;
  totalCost: number;
  /** Flow per arc (input order). */
  flow: Float64Array;
  /** Node potentials (duals). */
  potential: Float64Array;
  pivots: number;
}

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;

/**
 * Reusable arrays for repeated solves (a solve on a problem no larger than the last allocates
 * only its result). One workspace per thread; not re-entrant.
 */
export class NetworkSimplexWorkspace {
  private arcCap = -1;
  private nodeCap = -1;
  source = new Int32Array(0);
  target = new Int32Array(0);
  cost = new Float64Array(0);
  cap = new Float64Array(0);
  flow = new Float64Array(0);
  state = new Int8Array(0);
  arcOf = new Int32Array(0);
  pi = new Float64Array(0);
  parent = new Int32Array(0);
  pred = new Int32Array(0);
  predDir = new Int8Array(0);
  thread = new Int32Array(0);
  revThread = new Int32Array(0);
  succNum = new Int32Array(0);
  lastSucc = new Int32Array(0);
  dirty = new Int32Array(0);

  ensure(n: number, m: number): void {
    if (m + n > this.arcCap) {
      const a = m + n;
      this.arcCap = a;
      this.source = new Int32Array(a);
      this.target = new Int32Array(a);
      this.cost = new Float64Array(a);
      this.cap = new Float64Array(a);
      this.flow = new Float64Array(a);
      this.state = new Int8Array(a);
      this.arcOf = new Int32Array(a);
    }
    if (n + 1 > this.nodeCap) {
      const k = n + 1;
      this.nodeCap = k;
      this.pi = new Float64Array(k);
      this.parent = new Int32Array(k);
      this.pred = new Int32Array(k);
      this.predDir = new Int8Array(k);
      this.thread = new Int32Array(k);
      this.revThread = new Int32Array(k);
      this.succNum = new Int32Array(k);
      this.lastSucc = new Int32Array(k);
      this.dirty = new Int32Array(k + 1);
    }
  }
}

/**
 * One simplex pivot with `inArc` entering; false when the cycle is unbounded. A module-level
 * function that copies the workspace arrays into locals, so V8 keeps them in registers.
 */
function pivot(ws: NetworkSimplexWorkspace, inArc: number): boolean {
  const { source, target, cost, cap, flow, state, pi, parent, pred, predDir, thread, revThread, succNum, lastSucc, dirty } = ws;
  // --- Join node: the apex of the cycle the entering arc closes.
  const inSource = source[inArc]!;
  const inTarget = target[inArc]!;
  let join: number;
  {
    let u = inSource;
    let v = inTarget;
    while (u !== v) {
      if (succNum[u]! < succNum[v]!) u = parent[u]!;
      else v = parent[v]!;
    }
    join = u;
  }

  // --- Leaving arc: the last blocking arc in the cycle's orientation (keeps the tree strongly feasible).
  const inState = state[inArc]!;
  const first = inState === STATE_LOWER ? inSource : inTarget;
  const second = inState === STATE_LOWER ? inTarget : inSource;
  let delta = cap[inArc]!;
  let result = 0;
  let uOut = -1;
  for (let u = first; u !== join; u = parent[u]!) {
    const e = pred[u]!;
    const d = predDir[u] === DIR_DOWN ? cap[e]! - flow[e]! : flow[e]!;
    if (d < delta) {
      delta = d;
      uOut = u;
      result = 1;
    }
  }
  for (let u = second; u !== join; u = parent[u]!) {
    const e = pred[u]!;
    const d = predDir[u] === DIR_UP ? cap[e]! - flow[e]! : flow[e]!;
    if (d <= delta) {
      delta = d;
      uOut = u;
      result = 2;
    }
  }
  if (delta === Infinity) return false;
  const uIn = result === 1 ? first : second;
  const vIn = result === 1 ? second : first;

  // --- Push delta round the cycle.
  if (delta > 0) {
    const val = inState * delta;
    flow[inArc]! += val;
    for (let u = inSource; u !== join; u = parent[u]!) flow[pred[u]!]! -= predDir[u]! * val;
    for (let u = inTarget; u !== join; u = parent[u]!) flow[pred[u]!]! += predDir[u]! * val;
  }
  if (result === 0) {
    // The entering arc itself blocks: it moves to its other bound, the tree is unchanged.
    state[inArc] = -inState;
    return true;
  }
  state[inArc] = STATE_TREE;
  const outArc = pred[uOut]!;
  state[outArc] = flow[outArc] === 0 ? STATE_LOWER : STATE_UPPER;

  // --- Tree update: re-hang the subtree of u_out below v_in by the entering arc.
  const oldRevThread = revThread[uOut]!;
  const oldSuccNum = succNum[uOut]!;
  const oldLastSucc = lastSucc[uOut]!;
  const vOut = parent[uOut]!;
  if (uIn === uOut) {
    parent[uIn] = vIn;
    pred[uIn] = inArc;
    predDir[uIn] = uIn === inSource ? DIR_UP : DIR_DOWN;
    if (thread[vIn] !== uOut) {
      let after = thread[oldLastSucc]!;
      thread[oldRevThread] = after;
      revThread[after] = oldRevThread;
      after = thread[vIn]!;
      thread[vIn] = uOut;
      revThread[uOut] = vIn;
      thread[oldLastSucc] = after;
      revThread[after] = oldLastSucc;
    }
  } else {
    const threadContinue = oldRevThread === vIn ? thread[oldLastSucc]! : thread[vIn]!;
    // Walk the stem u_in … u_out, reversing parent links and splicing subtrees into the thread.
    let stem = uIn;
    let parStem = vIn;
    let last = lastSucc[uIn]!;
    let after = thread[last]!;
    thread[vIn] = uIn;
    let nDirty = 0;
    dirty[nDirty++] = vIn;
    while (stem !== uOut) {
      const nextStem = parent[stem]!;
      thread[last] = nextStem;
      dirty[nDirty++] = last;
      const before = revThread[stem]!;
      thread[before] = after;
      revThread[after] = before;
      parent[stem] = parStem;
      parStem = stem;
      stem = nextStem;
      last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem]! : lastSucc[stem]!;
      after = thread[last]!;
    }
    parent[uOut] = parStem;
    thread[last] = threadContinue;
    revThread[threadContinue] = last;
    lastSucc[uOut] = last;
    if (oldRevThread !== vIn) {
      thread[oldRevThread] = after;
      revThread[after] = oldRevThread;
    }
    for (let i = 0; i < nDirty; i++) {
      const u = dirty[i]!;
      revThread[thread[u]!] = u;
    }
    let tmpSc = 0;
    const tmpLs = lastSucc[uOut]!;
    for (let u = uOut, q = parent[u]!; u !== uIn; u = q, q = parent[u]!) {
      pred[u] = pred[q]!;
      predDir[u] = -predDir[q]!;
      tmpSc += succNum[u]! - succNum[q]!;
      succNum[u] = tmpSc;
      lastSucc[q] = tmpLs;
    }
    pred[uIn] = inArc;
    predDir[uIn] = uIn === inSource ? DIR_UP : DIR_DOWN;
    succNum[uIn] = oldSuccNum;
  }
  const upLimitOut = lastSucc[join] === vIn ? join : -1;
  const lastSuccOut = lastSucc[uOut]!;
  for (let u = vIn; u !== -1 && lastSucc[u] === vIn; u = parent[u]!) lastSucc[u] = lastSuccOut;
  if (join !== oldRevThread && vIn !== oldRevThread) {
    for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]!) lastSucc[u] = oldRevThread;
  } else if (lastSuccOut !== oldLastSucc) {
    for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]!) lastSucc[u] = lastSuccOut;
  }
  for (let u = vIn; u !== join; u = parent[u]!) succNum[u]! += oldSuccNum;
  for (let u = vOut; u !== join; u = parent[u]!) succNum[u]! -= oldSuccNum;

  // --- Potentials of the moved subtree.
  const sigma = pi[vIn]! - pi[uIn]! - predDir[uIn]! * cost[inArc]!;
  const end = thread[lastSucc[uIn]!]!;
  for (let u = uIn; u !== end; u = thread[u]!) pi[u]! += sigma;
    return true;
  }

/**
 * Block search (the entering-arc rule): scan blocks of `blockSize` arcs from `start`, wrapping
 * round; return the most negative reduced-cost arc of the first block that has one (−1 if none),
 * and write the next start position to `cursor[0]`. A small function of its own so the JIT keeps its
 * loop tight.
 */
function findEnteringArc(
  state: Int8Array,
  cost: Float64Array,
  pi: Float64Array,
  source: Int32Array,
  target: Int32Array,
  m: number,
  start: number,
  blockSize: number,
  negEps: number,
  cursor: Int32Array,
): number {
  let min = negEps;
  let cnt = blockSize;
  let inArc = -1;
  let e = start;
  for (; e < m; e++) {
    const c = state[e]! * (cost[e]! + pi[source[e]!]! - pi[target[e]!]!);
    if (c < min) {
      min = c;
      inArc = e;
    }
    if (--cnt === 0) {
      if (inArc >= 0) {
        cursor[0] = e;
        return inArc;
      }
      cnt = blockSize;
    }
  }
  for (e = 0; e < start; e++) {
    const c = state[e]! * (cost[e]! + pi[source[e]!]! - pi[target[e]!]!);
    if (c < min) {
      min = c;
      inArc = e;
    }
    if (--cnt === 0) {
      if (inArc >= 0) {
        cursor[0] = e;
        return inArc;
      }
      cnt = blockSize;
    }
  }
  cursor[0] = start;
  return inArc;
}

export function networkSimplex(p: MinCostFlowProblem, ws: NetworkSimplexWorkspace = new NetworkSimplexWorkspace()): MinCostFlowResult {
  const n = p.nodeCount;
  const m = p.tail.length;
  let sum = 0;
  let maxAbs = 0;
  for (let v = 0; v < n; v++) {
    sum += p.supply[v]!;
    maxAbs = Math.max(maxAbs, Math.abs(p.supply[v]!));
  }
  if (Math.abs(sum) > 1e-9 * Math.max(1, maxAbs)) throw new RangeError(`networkSimplex: supplies sum to ${sum}, not 0`);
  if (n === 0) return { status: 'optimal', totalCost: 0, flow: new Float64Array(m), potential: new Float64Array(0), pivots: 0 };

  ws.ensure(n, m);
  const all = m + n;
  const root = n;
  const { source, target, cost, cap, flow, state, arcOf, pi, parent, pred, predDir, thread, revThread, succNum, lastSucc, dirty } = ws;

  // Store arcs interleaved (stride ≈ m/n) so each block of the pivot search samples the whole graph.
  const skip = n > 1 ? Math.max(Math.floor(m / n), 3) : 1;
  for (let a = 0, i = 0, j = 0; a < m; a++) {
    arcOf[i] = a;
    if ((i += skip) >= m) i = ++j;
  }
  let maxCost = 0;
  for (let i = 0; i < m; i++) {
    const a = arcOf[i]!;
    source[i] = p.tail[a]!;
    target[i] = p.head[a]!;
    const c = p.cost[a]!;
    cost[i] = c;
    cap[i] = p.capacity[a]!;
    flow[i] = 0;
    state[i] = STATE_LOWER;
    if (c > maxCost) maxCost = c;
    else if (-c > maxCost) maxCost = -c;
  }
  const artCost = (maxCost + 1) * (n + 1);

  // Initial tree: every node hangs from the root by an artificial arc.
  parent[root] = -1;
  pred[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  succNum[root] = n + 1;
  lastSucc[root] = root - 1;
  pi[root] = 0;
  for (let u = 0, e = m; u < n; u++, e++) {
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    cap[e] = Infinity;
    state[e] = STATE_TREE;
    const s = p.supply[u]!;
    if (s >= 0) {
      predDir[u] = DIR_UP;
      pi[u] = 0;
      source[e] = u;
      target[e] = root;
      flow[e] = s;
      cost[e] = 0;
    } else {
      predDir[u] = DIR_DOWN;
      pi[u] = artCost;
      source[e] = root;
      target[e] = u;
      flow[e] = -s;
      cost[e] = artCost;
    }
  }

  const blockSize = Math.max(Math.floor(Math.sqrt(m)), 10);
  // Reduced costs above −eps count as non-negative (for integer data any eps < 1 is exact).
  const negEps = -maxCost * 1e-12;
  let nextArc = 0;
  /** findEnteringArc writes where the next search starts here. */
  const cursor = new Int32Array(1);
  let pivots = 0;
  let status: MinCostFlowStatus = 'optimal';

  // Heuristic initial pivots (as in LEMON): bring each demand node's cheapest incoming arc into
  // the tree first, which replaces many artificial arcs at once and saves pivots later.
  {
    let demandNodes = 0;
    let supplyNodes = 0;
    for (let v = 0; v < n; v++) {
      if (p.supply[v]! < 0) demandNodes++;
      else if (p.supply[v]! > 0) supplyNodes++;
    }
    if (demandNodes > 0 && !(demandNodes === 1 && supplyNodes === 1)) {
      const best = new Int32Array(n).fill(-1);
      for (let i = 0; i < m; i++) {
        const t = target[i]!;
        if (p.supply[t]! < 0 && (best[t]! < 0 || cost[i]! < cost[best[t]!]!)) best[t] = i;
      }
      for (let v = 0; v < n; v++) {
        const e = best[v]!;
        if (e < 0 || state[e]! * (cost[e]! + pi[source[e]!]! - pi[target[e]!]!) >= 0) continue;
        if (!pivot(ws, e)) {
          status = 'unbounded';
          break;
        }
      }
    }
  }

  while (status === 'optimal') {
    // --- Entering arc: block search (scan blocks of arcs; the best of the first block with a candidate).
    const inArc = findEnteringArc(state, cost, pi, source, target, m, nextArc, blockSize, negEps, cursor);
    if (inArc < 0) break;
    nextArc = cursor[0]!;
    pivots++;
    if (!pivot(ws, inArc)) {
      status = 'unbounded';
      break;
    }
  }

  if (status === 'optimal') {
    for (let e = m; e < all; e++) {
      if (flow[e]! > 1e-9 * Math.max(1, maxAbs)) {
        status = 'infeasible';
        break;
      }
    }
  }
  const out = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    out[arcOf[i]!] = flow[i]!;
    total += flow[i]! * cost[i]!;
  }
  return { status, totalCost: total, flow: out, potential: pi.slice(0, n), pivots };
}
