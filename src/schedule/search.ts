/**
 * Time-dependent multi-criteria label setting: Martins' algorithm on the compiled network plus the
 * timetable's ride arcs, with arrival time (absolute hours) as the first criterion, then cost and
 * CO2e. A base arc adds its nominal duration; a ride arc waits for the service's next departure
 * after the cut-off and adds the ride time. Every arc's arrival is a non-decreasing function of the
 * time cargo is ready at its tail (FIFO: taking a later departure never arrives earlier) and no
 * criterion decreases along an arc, so labels settled in lexicographic order are never dominated
 * later and the destination labels form the exact Pareto set. There is no search window: a label
 * waits for the next departure however far away it is, so weekly and fortnightly services are
 * always found; `maxDurationH` optionally prunes labels beyond a horizon.
 * @see E.Q.V. Martins, "On a multicriteria shortest path problem", EJOR 16 (1984) 236–245.
 * @see K.L. Cooke, E. Halsey, "The shortest route through a network with time-dependent internodal transit
 * times", J. Math. Anal. Appl. 14 (1966) 493–498 (FIFO time-dependent arcs).
 * @see D. Delling, T. Pajor, R.F. Werneck, "Round-based public transit routing", Transportation Science 49
 * (2015) 591–604 (McRAPTOR: the alternative we did not choose, see docs/decisions/0004).
 *
 * Memory layout as in routing/pareto.ts: label columns in typed arrays, bags as linked lists
 * through `nextInBag`. A label's `edge` is a base arc id (≥ 0) or a ride as `-(ride + 1)`.
 */
import { IdHeap } from '../routing/label-heap.js';
import { NUM_CLASSES } from '../network/compile.js';
import { NO_DEPARTURE } from './calendar.js';
import { departureH, expectedWeatherHoldH } from './departures.js';
import type { CompiledTimetable } from './timetable.js';

/** Sentinel label id: no predecessor / empty bag. */
export const NO_LABEL = -1;
/** Sentinel `edge` of a start label. */
export const NO_EDGE = 0x7fffffff;
const K = 3;
/** Relative difference below which two costs (or CO2e totals) count as equal. */
export const EQUAL_TOLERANCE = 1e-9;

export interface TimedSearchInput {
  tt: CompiledTimetable;
  origin: number;
  destination: number;
  /** UTC hours since the epoch. */
  readyH: number;
  /** Per base arc, 1 = banned (routing/constraints.ts). */
  banned: Uint8Array;
  /** Prune labels arriving later than readyH + maxDurationH (default: no window). */
  maxDurationH?: number;
}

/** One step of a timed path: an edge, when cargo was ready at its tail, when it left, when it arrived. */
export interface TimedStep {
  /** Base arc id, or -(ride + 1). */
  edge: number;
  readyH: number;
  departureH: number;
  arrivalH: number;
}

export interface TimedPath {
  arrivalH: number;
  costUsd: number;
  co2eKg: number;
  steps: TimedStep[];
}

class Labels {
  size = 0;
  crit = new Float64Array(1024 * K);
  pred = new Int32Array(1024);
  edge = new Int32Array(1024);
  dep = new Float64Array(1024);
  vertex = new Int32Array(1024);
  nextInBag = new Int32Array(1024);
  dead = new Uint8Array(1024);

  add(vertex: number, pred: number, edge: number, dep: number): number {
    if (this.size === this.pred.length) this.grow();
    const id = this.size++;
    this.vertex[id] = vertex;
    this.pred[id] = pred;
    this.edge[id] = edge;
    this.dep[id] = dep;
    this.dead[id] = 0;
    this.nextInBag[id] = NO_LABEL;
    return id;
  }

  private grow(): void {
    const n = this.pred.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.crit = g(this.crit, n * K);
    this.pred = g(this.pred, n);
    this.edge = g(this.edge, n);
    this.dep = g(this.dep, n);
    this.vertex = g(this.vertex, n);
    this.nextInBag = g(this.nextInBag, n);
    this.dead = g(this.dead, n);
  }

  less(a: number, b: number): boolean {
    const c = this.crit;
    for (let k = 0; k < K; k++) {
      const x = c[a * K + k]!;
      const y = c[b * K + k]!;
      if (x !== y) return x < y;
    }
    return a < b;
  }
}

/** Per ride: 1 when any base arc it replaces is banned. */
export function bannedRides(tt: CompiledTimetable, banned: Uint8Array): Uint8Array {
  const out = new Uint8Array(tt.rideCount);
  for (let r = 0; r < tt.rideCount; r++) {
    for (let k = tt.rideArcStart[r]!; k < tt.rideArcStart[r + 1]!; k++) if (banned[tt.rideArcs[k]!]) out[r] = 1;
  }
  return out;
}

export function timedParetoSearch(input: TimedSearchInput): TimedPath[] {
  const { tt, origin, destination, readyH, banned } = input;
  const net = tt.net;
  const horizon = readyH + (input.maxDurationH ?? Number.POSITIVE_INFINITY);
  const rideBanned = bannedRides(tt, banned);
  const L = new Labels();
  const heap = new IdHeap(L);
  const bagHead = new Int32Array(net.vertexCount).fill(NO_LABEL);
  const targets: number[] = [];
  const cand = new Float64Array(K);

  // Cost and CO2e of a ride are summed over its arcs in another order than the same arcs taken one
  // by one, so equal totals can differ in the last bits: compare them with a relative tolerance.
  const le = (x: number, y: number) => x <= y + EQUAL_TOLERANCE * Math.abs(y);
  const weaklyDominates = (a: number): boolean => {
    const c = L.crit;
    return c[a * K]! <= cand[0]! && le(c[a * K + 1]!, cand[1]!) && le(c[a * K + 2]!, cand[2]!);
  };
  const dominatedByCand = (a: number): boolean => {
    const c = L.crit;
    return cand[0]! <= c[a * K]! && le(cand[1]!, c[a * K + 1]!) && le(cand[2]!, c[a * K + 2]!);
  };
  const insert = (v: number, pred: number, edge: number, dep: number): void => {
    for (const t of targets) if (weaklyDominates(t)) return;
    for (let id = bagHead[v]!; id !== NO_LABEL; id = L.nextInBag[id]!) if (weaklyDominates(id)) return;
    let prev = NO_LABEL;
    for (let id = bagHead[v]!; id !== NO_LABEL; id = L.nextInBag[id]!) {
      if (dominatedByCand(id)) {
        L.dead[id] = 1;
        if (prev === NO_LABEL) bagHead[v] = L.nextInBag[id]!;
        else L.nextInBag[prev] = L.nextInBag[id]!;
      } else prev = id;
    }
    const id = L.add(v, pred, edge, dep);
    L.crit.set(cand, id * K);
    L.nextInBag[id] = bagHead[v]!;
    bagHead[v] = id;
    heap.push(id);
  };

  for (let c = 0; c < NUM_CLASSES; c++) {
    const v = net.vertexOf[(origin * NUM_CLASSES + c) * 2 + 1]!;
    if (v < 0) continue;
    cand[0] = readyH;
    cand[1] = 0;
    cand[2] = 0;
    insert(v, NO_LABEL, NO_EDGE, readyH);
  }

  while (heap.size > 0) {
    const id = heap.pop();
    if (L.dead[id]) continue;
    const v = L.vertex[id]!;
    if (net.vertexLocation[v] === destination) {
      if (net.vertexIsDeparture[v]) continue;
      // A target inserted before another target settled may be dominated by it now.
      cand.set(L.crit.subarray(id * K, id * K + K));
      if (!targets.some(weaklyDominates)) targets.push(id);
      continue;
    }
    const t = L.crit[id * K]!;
    const cost = L.crit[id * K + 1]!;
    const co2 = L.crit[id * K + 2]!;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      if (banned[e] || tt.arcScheduled[e]) continue;
      cand[0] = t + tt.arcDurationH[e]!;
      if (cand[0] > horizon) continue;
      cand[1] = cost + net.arcCostUsd[e]!;
      cand[2] = co2 + net.arcCo2eKg[e]!;
      insert(net.arcTarget[e]!, id, e, t);
    }
    for (let r = tt.rideStart[v]!; r < tt.rideStart[v + 1]!; r++) {
      if (rideBanned[r]) continue;
      const svc = tt.rideService[r]!;
      const board = departureH(tt, svc, tt.rideBoard[r]!, t);
      if (board === NO_DEPARTURE) continue;
      const dep = board + expectedWeatherHoldH(tt, svc, board);
      cand[0] = dep + tt.rideDurationH[r]!;
      if (cand[0] > horizon) continue;
      cand[1] = cost + tt.rideCostUsd[r]!;
      cand[2] = co2 + tt.rideCo2eKg[r]!;
      insert(tt.rideTarget[r]!, id, -(r + 1), dep);
    }
  }

  return targets.map((id) => {
    const steps: TimedStep[] = [];
    for (let l = id; L.pred[l] !== NO_LABEL; l = L.pred[l]!) {
      const p = L.pred[l]!;
      steps.push({ edge: L.edge[l]!, readyH: L.crit[p * K]!, departureH: L.dep[l]!, arrivalH: L.crit[l * K]! });
    }
    steps.reverse();
    return { arrivalH: L.crit[id * K]!, costUsd: L.crit[id * K + 1]!, co2eKg: L.crit[id * K + 2]!, steps };
  });
}
