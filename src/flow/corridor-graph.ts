/**
 * The flow graph of a compiled corridor network: the compiled vertices and arcs (platforms,
 * link / pass / transfer arcs; see src/network/compile.ts) plus, per location, a SOURCE node with
 * arcs to its departure vertices and a SINK node with arcs from its arrival vertices. An OD from
 * A to B is then a flow from source(A) to sink(B): it may leave and arrive on any platform, and
 * pays no transfer at either end, exactly as `route` prices it.
 *
 * Node layout: 0 .. V-1 compiled vertices; V + 2·loc = source(loc); V + 2·loc + 1 = sink(loc).
 * Arc columns are per TEU: time (h), money (USD), CO2e (kg); `compiledArc[e]` is the compiled arc
 * (NO_ARC for source and sink arcs).
 */
import { NUM_CLASSES, NO_VERTEX, type CompiledNetwork } from '../network/compile.js';
import type { FlowGraph } from './problem.js';

export const NO_ARC = -1;

export interface CorridorFlowGraph extends FlowGraph {
  readonly net: CompiledNetwork;
  readonly compiledArc: Int32Array;
  readonly durationH: Float64Array;
  readonly costUsdPerTeu: Float64Array;
  readonly co2eKgPerTeu: Float64Array;
  sourceOf(loc: number): number;
  sinkOf(loc: number): number;
}

export function buildCorridorGraph(net: CompiledNetwork): CorridorFlowGraph {
  const V = net.vertexCount;
  const L = net.locations.length;
  const N = V + 2 * L;
  const tails: number[] = [];
  const heads: number[] = [];
  const orig: number[] = [];
  for (let v = 0; v < V; v++) {
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      tails.push(v);
      heads.push(net.arcTarget[e]!);
      orig.push(e);
    }
  }
  for (let loc = 0; loc < L; loc++) {
    for (let c = 0; c < NUM_CLASSES; c++) {
      const arr = net.vertexOf[(loc * NUM_CLASSES + c) * 2]!;
      const dep = net.vertexOf[(loc * NUM_CLASSES + c) * 2 + 1]!;
      if (dep !== NO_VERTEX) {
        tails.push(V + 2 * loc);
        heads.push(dep);
        orig.push(NO_ARC);
      }
      if (arr !== NO_VERTEX) {
        tails.push(arr);
        heads.push(V + 2 * loc + 1);
        orig.push(NO_ARC);
      }
    }
  }
  const m = tails.length;
  const start = new Uint32Array(N + 1);
  for (const t of tails) start[t + 1]!++;
  for (let v = 0; v < N; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, N);
  const tail = new Uint32Array(m);
  const target = new Uint32Array(m);
  const compiledArc = new Int32Array(m);
  const durationH = new Float64Array(m);
  const costUsdPerTeu = new Float64Array(m);
  const co2eKgPerTeu = new Float64Array(m);
  const teu = net.cargo.teu;
  for (let i = 0; i < m; i++) {
    const e = fill[tails[i]!]!++;
    tail[e] = tails[i]!;
    target[e] = heads[i]!;
    const o = orig[i]!;
    compiledArc[e] = o;
    if (o !== NO_ARC) {
      durationH[e] = net.arcDurationH[o]!;
      costUsdPerTeu[e] = net.arcCostUsd[o]! / teu;
      co2eKgPerTeu[e] = net.arcCo2eKg[o]! / teu;
    }
  }
  return {
    net,
    nodeCount: N,
    arcCount: m,
    start,
    tail,
    target,
    compiledArc,
    durationH,
    costUsdPerTeu,
    co2eKgPerTeu,
    sourceOf: (loc) => V + 2 * loc,
    sinkOf: (loc) => V + 2 * loc + 1,
  };
}
