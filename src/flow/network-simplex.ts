/**
 * Primal network simplex for single-commodity min-cost flow, with a strongly feasible spanning tree
 * kept in parent / thread / successor-count arrays and the block-search pivot rule. All state is in
 * typed arrays held by a reusable workspace; a solve on a problem no larger than the last allocates
 * nothing.
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
 *   thread[u] (preorder successor, cyclic through the root), revThread[u], succNum[u] (subtree
 *   size), lastSucc[u] (last node of u's subtree in thread order). Arc state: +1 at lower bound,
 *   −1 at upper bound, 0 in the tree. Arc ends are interleaved (`ends[2e]` tail, `ends[2e + 1]`
 *   head) so the pricing scan reads one stream for both.
 *
 * Where this differs from LEMON's NetworkSimplex (same pivots otherwise, so the same pivot count):
 * after a pivot only the potentials of the smaller side of the tree change — the moved subtree by
 * +σ, or everything else (a contiguous stretch of the cyclic thread) by −σ; potentials are
 * re-anchored to π_root = 0 when the root's drifts past the big-M scale and at the end. Reduced
 * costs are invariant under that shift. The block scan is a tight loop per block (unrolled by four)
 * instead of a per-arc block counter.
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
  /**
   * Flow per arc (input order). With a caller's workspace this is a view into it, valid until that
   * workspace's next solve (copy it to keep it).
   */
  flow: Float64Array;
  /** Node potentials (duals), π_root = 0. A view into the workspace, like `flow`. */
  potential: Float64Array;
  pivots: number;
}

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;

/**
 * Reusable arrays for repeated solves. One workspace per thread; not re-entrant. The result of a
 * solve (flow, potentials) lives here too, as LEMON's does in its solver object.
 */
export class NetworkSimplexWorkspace {
  private arcCap = -1;
  private nodeCap = -1;
  /** Arc ends, interleaved: tail of arc e at 2e, head at 2e + 1. */
  ends = new Int32Array(0);
  cost = new Float64Array(0);
  cap = new Float64Array(0);
  flow = new Float64Array(0);
  state = new Int8Array(0);
  /** Input arc of each internal arc (the internal order is interleaved for the block search). */
  arcOf = new Int32Array(0);
  /** Flow in input order: the result's `flow`. */
  flowOut = new Float64Array(0);
  pi = new Float64Array(0);
  parent = new Int32Array(0);
  pred = new Int32Array(0);
  predDir = new Int8Array(0);
  thread = new Int32Array(0);
  revThread = new Int32Array(0);
  succNum = new Int32Array(0);
  lastSucc = new Int32Array(0);
  dirty = new Int32Array(0);
  /** Cheapest incoming arc per demand node, for the initial pivots. */
  bestIn = new Int32Array(0);
  /** Nodes in the tree, root included (n + 1): the potential update compares a subtree against it. */
  treeSize = 0;
  /** Where the next block search starts. */
  nextArc = 0;

  ensure(n: number, m: number): void {
    if (m + n > this.arcCap) {
      const a = m + n;
      this.arcCap = a;
      this.ends = new Int32Array(2 * a);
      this.cost = new Float64Array(a);
      this.cap = new Float64Array(a);
      this.flow = new Float64Array(a);
      this.state = new Int8Array(a);
      this.arcOf = new Int32Array(a);
      this.flowOut = new Float64Array(a);
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
      this.bestIn = new Int32Array(k);
    }
  }
}

/**
 * One simplex pivot with `inArc` entering; false when the cycle is unbounded. A module-level
 * function that copies the workspace arrays into locals, so V8 keeps them in registers.
 */
function pivot(ws: NetworkSimplexWorkspace, inArc: number): boolean {
  const { ends, cost, cap, flow, state, pi, parent, pred, predDir, thread, revThread, succNum, lastSucc, dirty } = ws;
  // --- Join node: the apex of the cycle the entering arc closes.
  const inSource = ends[2 * inArc]!;
  const inTarget = ends[2 * inArc + 1]!;
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

  // --- Potentials: the moved subtree shifts by sigma relative to the rest. Walk whichever side
  // is smaller: the subtree (thread from u_in to its last successor) by +sigma, or the rest of the
  // cyclic thread (root included) by −sigma; the second shifts every π by −sigma, which leaves
  // every reduced cost unchanged.
  const sigma = pi[vIn]! - pi[uIn]! - predDir[uIn]! * cost[inArc]!;
  const end = thread[lastSucc[uIn]!]!;
  if (2 * succNum[uIn]! <= ws.treeSize) {
    for (let u = uIn; u !== end; u = thread[u]!) pi[u]! += sigma;
  } else {
    for (let u = end; u !== uIn; u = thread[u]!) pi[u]! -= sigma;
  }
  return true;
}

/** Index of the arc in [lo, hi) with the lowest state-signed reduced cost below `min`; −1 if none. */
function scanArcs(
  state: Int8Array,
  cost: Float64Array,
  pi: Float64Array,
  ends: Int32Array,
  lo: number,
  hi: number,
  min: number,
): number {
  let best = -1;
  let k = lo;
  // Four arcs a round: V8 does not unroll loops, and the loop overhead is a fair share of so short
  // a body (measured: ~10 % of the whole solve at 100k arcs against one arc a round).
  for (; k + 3 < hi; k += 4) {
    const j = 2 * k;
    const c0 = state[k]! * (cost[k]! + pi[ends[j]!]! - pi[ends[j + 1]!]!);
    const c1 = state[k + 1]! * (cost[k + 1]! + pi[ends[j + 2]!]! - pi[ends[j + 3]!]!);
    const c2 = state[k + 2]! * (cost[k + 2]! + pi[ends[j + 4]!]! - pi[ends[j + 5]!]!);
    const c3 = state[k + 3]! * (cost[k + 3]! + pi[ends[j + 6]!]! - pi[ends[j + 7]!]!);
    if (c0 < min) {
      min = c0;
      best = k;
    }
    if (c1 < min) {
      min = c1;
      best = k + 1;
    }
    if (c2 < min) {
      min = c2;
      best = k + 2;
    }
    if (c3 < min) {
      min = c3;
      best = k + 3;
    }
  }
  for (; k < hi; k++) {
    const c = reducedCost(state, cost, pi, ends, k);
    if (c < min) {
      min = c;
      best = k;
    }
  }
  return best;
}

function reducedCost(state: Int8Array, cost: Float64Array, pi: Float64Array, ends: Int32Array, e: number): number {
  return state[e]! * (cost[e]! + pi[ends[2 * e]!]! - pi[ends[2 * e + 1]!]!);
}

/**
 * Block search (the entering-arc rule): scan blocks of `blockSize` arcs from `ws.nextArc`,
 * wrapping round; return the most negative reduced-cost arc of the first block that has one (−1 if
 * none, after one full round), and leave `ws.nextArc` at that block's last arc, as LEMON does.
 */
function findEnteringArc(ws: NetworkSimplexWorkspace, m: number, blockSize: number, negEps: number): number {
  const { state, cost, pi, ends } = ws;
  let min = negEps;
  let inArc = -1;
  let e = ws.nextArc;
  for (let scanned = 0; scanned < m; scanned += blockSize) {
    let stop = e + Math.min(blockSize, m - scanned);
    const k = scanArcs(state, cost, pi, ends, e, Math.min(stop, m), min);
    if (k >= 0) {
      inArc = k;
      min = reducedCost(state, cost, pi, ends, k);
    }
    if (stop >= m) {
      // The block wraps round to the first arcs.
      stop -= m;
      const w = scanArcs(state, cost, pi, ends, 0, stop, min);
      if (w >= 0) {
        inArc = w;
        min = reducedCost(state, cost, pi, ends, w);
      }
    }
    if (inArc >= 0) {
      ws.nextArc = stop === 0 ? m - 1 : stop - 1;
      return inArc;
    }
    e = stop;
  }
  return -1;
}

/** Shifts every potential so that π_root = 0 (reduced costs are unchanged). */
function anchorPotentials(pi: Float64Array, root: number): void {
  const r = pi[root]!;
  if (r !== 0) for (let v = 0; v <= root; v++) pi[v]! -= r;
}

export function networkSimplex(
  p: MinCostFlowProblem,
  ws: NetworkSimplexWorkspace = new NetworkSimplexWorkspace(),
): MinCostFlowResult {
  const n = p.nodeCount;
  const m = p.tail.length;
  let sum = 0;
  let maxAbs = 0;
  for (let v = 0; v < n; v++) {
    sum += p.supply[v]!;
    maxAbs = Math.max(maxAbs, Math.abs(p.supply[v]!));
  }
  if (Math.abs(sum) > 1e-9 * Math.max(1, maxAbs)) throw new RangeError(`networkSimplex: supplies sum to ${sum}, not 0`);
  if (n === 0)
    return { status: 'optimal', totalCost: 0, flow: new Float64Array(m), potential: new Float64Array(0), pivots: 0 };

  ws.ensure(n, m);
  const all = m + n;
  const root = n;
  const { ends, cost, cap, flow, state, arcOf, pi, parent, pred, predDir, thread, revThread, succNum, lastSucc } = ws;

  // Store arcs interleaved (stride ≈ m/n) so each block of the pivot search samples the whole graph.
  const skip = n > 1 ? Math.max(Math.floor(m / n), 3) : 1;
  for (let a = 0, i = 0, j = 0; a < m; a++) {
    arcOf[i] = a;
    i += skip;
    if (i >= m) i = ++j;
  }
  let maxCost = 0;
  for (let i = 0; i < m; i++) {
    const a = arcOf[i]!;
    ends[2 * i] = p.tail[a]!;
    ends[2 * i + 1] = p.head[a]!;
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
      ends[2 * e] = u;
      ends[2 * e + 1] = root;
      flow[e] = s;
      cost[e] = 0;
    } else {
      predDir[u] = DIR_DOWN;
      pi[u] = artCost;
      ends[2 * e] = root;
      ends[2 * e + 1] = u;
      flow[e] = -s;
      cost[e] = artCost;
    }
  }
  ws.treeSize = n + 1;
  ws.nextArc = 0;

  const blockSize = Math.max(Math.floor(Math.sqrt(m)), 10);
  // Reduced costs above −eps count as non-negative (for integer data any eps < 1 is exact).
  const negEps = -maxCost * 1e-12;
  // The smaller-side potential update moves π_root; re-anchor before it outgrows the big-M scale,
  // so reduced costs keep the precision they have with π_root = 0.
  const driftLimit = 2 * artCost;
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
      const best = ws.bestIn;
      best.fill(-1, 0, n);
      for (let i = 0; i < m; i++) {
        const t = ends[2 * i + 1]!;
        if (p.supply[t]! < 0 && (best[t]! < 0 || cost[i]! < cost[best[t]!]!)) best[t] = i;
      }
      for (let v = 0; v < n; v++) {
        const e = best[v]!;
        if (e < 0 || reducedCost(state, cost, pi, ends, e) >= 0) continue;
        if (!pivot(ws, e)) {
          status = 'unbounded';
          break;
        }
        if (Math.abs(pi[root]!) > driftLimit) anchorPotentials(pi, root);
      }
    }
  }

  while (status === 'optimal') {
    const inArc = findEnteringArc(ws, m, blockSize, negEps);
    if (inArc < 0) break;
    pivots++;
    if (!pivot(ws, inArc)) {
      status = 'unbounded';
      break;
    }
    if (Math.abs(pi[root]!) > driftLimit) anchorPotentials(pi, root);
  }
  anchorPotentials(pi, root);

  if (status === 'optimal') {
    for (let e = m; e < all; e++) {
      if (flow[e]! > 1e-9 * Math.max(1, maxAbs)) {
        status = 'infeasible';
        break;
      }
    }
  }
  const out = ws.flowOut.subarray(0, m);
  let total = 0;
  for (let i = 0; i < m; i++) {
    out[arcOf[i]!] = flow[i]!;
    total += flow[i]! * cost[i]!;
  }
  return { status, totalCost: total, flow: out, potential: pi.subarray(0, n), pivots };
}
