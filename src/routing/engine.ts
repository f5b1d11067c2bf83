/**
 * One interface for the exact Pareto search, with two implementations that share a conformance
 * suite: the label-setting engine used in production and a brute-force path enumerator that
 * serves as the oracle on small graphs.
 */
import { NUM_CLASSES } from '../network/compile.js';
import {
  BASE_CRITERIA,
  dominatesOn,
  measurePath,
  nonDominated,
  paretoSearch,
  type Criterion,
  type ParetoPath,
  type ParetoSearchInput,
} from './pareto.js';

export interface ParetoEngine {
  readonly name: string;
  search(input: ParetoSearchInput): ParetoPath[];
}

export const labelSettingEngine: ParetoEngine = { name: 'label-setting', search: paretoSearch };

/** Strict Pareto dominance on the base criteria. */
export function dominates(a: ParetoPath, b: ParetoPath): boolean {
  return dominatesOn(a, b, BASE_CRITERIA);
}

/**
 * Enumerates every simple path (no state twice) from the origin's departure platforms to the
 * destination's arrival platforms, applies the same feasibility rules, then keeps the
 * non-dominated ones (one path per distinct criteria vector). Exponential: for graphs of a handful
 * of locations only. ε-dominance and the result cap are approximations and not part of the oracle.
 */
export const bruteForceEngine: ParetoEngine = {
  name: 'brute-force',
  search({
    net,
    origin,
    destination,
    banned,
    criteria = BASE_CRITERIA,
    maxTransshipments,
    mustUseLink,
    pruneAbove,
  }: ParetoSearchInput): ParetoPath[] {
    const all: ParetoPath[] = [];
    // A state is (vertex, layer): with must-use links, the path may come back through a vertex
    // after it has used one, as in the label-setting search's product graph.
    const onPath = new Uint8Array(net.vertexCount * 2);
    const arcs: number[] = [];
    const walk = (v: number, layer: number) => {
      if (net.vertexLocation[v] === destination) {
        if (!net.vertexIsDeparture[v] && arcs.length > 0) all.push(measurePath(net, arcs.slice()));
        return;
      }
      onPath[v * 2 + layer] = 1;
      for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
        const w = net.arcTarget[e]!;
        const l = net.arcLink[e]!;
        const next = layer === 1 || (mustUseLink !== undefined && l >= 0 && mustUseLink[l] === 1) ? 1 : 0;
        if (banned[e] || onPath[w * 2 + next]) continue;
        arcs.push(e);
        walk(w, next);
        arcs.pop();
      }
      onPath[v * 2 + layer] = 0;
    };
    for (let k = 0; k < NUM_CLASSES; k++) {
      const v = net.vertexOf[(origin * NUM_CLASSES + k) * 2 + 1]!;
      if (v >= 0) walk(v, 0);
    }
    const feasible = all.filter(
      (p) =>
        (maxTransshipments === undefined || p.transshipments <= maxTransshipments) &&
        (!mustUseLink || p.arcs.some((e) => net.arcLink[e]! >= 0 && mustUseLink[net.arcLink[e]!] === 1)) &&
        !exceedsAll(p, pruneAbove),
    );
    return nonDominated(feasible, criteria);
  },
};

function exceedsAll(p: ParetoPath, bounds: ParetoSearchInput['pruneAbove']): boolean {
  const entries = Object.entries(bounds ?? {}) as [keyof typeof bounds & string, number][];
  return entries.length > 0 && entries.every(([c, v]) => p[c as Criterion] > v);
}

export const ENGINES: readonly ParetoEngine[] = [labelSettingEngine, bruteForceEngine];
