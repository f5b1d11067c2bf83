/**
 * One interface for the exact Pareto search, with two implementations that share a conformance
 * suite: the label-setting engine used in production and a brute-force path enumerator that
 * serves as the oracle on small graphs.
 */
import { NUM_CLASSES } from '../network/compile.js';
import { paretoSearch, type ParetoPath, type ParetoSearchInput } from './pareto.js';

export interface ParetoEngine {
  readonly name: string;
  search(input: ParetoSearchInput): ParetoPath[];
}

export const labelSettingEngine: ParetoEngine = { name: 'label-setting', search: paretoSearch };

/** Strict Pareto dominance: no worse in every criterion and better in one. */
export function dominates(a: ParetoPath, b: ParetoPath): boolean {
  return (
    a.durationH <= b.durationH &&
    a.costUsd <= b.costUsd &&
    a.co2eKg <= b.co2eKg &&
    (a.durationH < b.durationH || a.costUsd < b.costUsd || a.co2eKg < b.co2eKg)
  );
}

/**
 * Enumerates every simple path (no vertex twice) from the origin's departure platforms to the
 * destination's arrival platforms, then keeps the non-dominated ones (one path per distinct
 * criteria vector). Exponential: for graphs of a handful of locations only.
 */
export const bruteForceEngine: ParetoEngine = {
  name: 'brute-force',
  search({ net, origin, destination, banned }: ParetoSearchInput): ParetoPath[] {
    const all: ParetoPath[] = [];
    const onPath = new Uint8Array(net.vertexCount);
    const arcs: number[] = [];
    const walk = (v: number, t: number, c: number, g: number) => {
      if (net.vertexLocation[v] === destination) {
        if (!net.vertexIsDeparture[v] && arcs.length > 0) all.push({ durationH: t, costUsd: c, co2eKg: g, arcs: arcs.slice() });
        return;
      }
      onPath[v] = 1;
      for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
        const w = net.arcTarget[e]!;
        if (banned[e] || onPath[w]) continue;
        arcs.push(e);
        walk(w, t + net.arcDurationH[e]!, c + net.arcCostUsd[e]!, g + net.arcCo2eKg[e]!);
        arcs.pop();
      }
      onPath[v] = 0;
    };
    for (let k = 0; k < NUM_CLASSES; k++) {
      const v = net.vertexOf[(origin * NUM_CLASSES + k) * 2 + 1]!;
      if (v >= 0) walk(v, 0, 0, 0);
    }
    const front = all.filter((p) => !all.some((q) => dominates(q, p)));
    const seen = new Set<string>();
    return front.filter((p) => {
      const key = `${p.durationH}|${p.costUsd}|${p.co2eKg}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};

export const ENGINES: readonly ParetoEngine[] = [labelSettingEngine, bruteForceEngine];
