/**
 * Network simplex against HiGHS on random single-commodity instances: same optimum, conservation,
 * capacity feasibility, and dual feasibility of the potentials (complementary slackness).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LpModel } from '../src/flow/lp.js';
import { networkSimplex, type MinCostFlowProblem } from '../src/flow/network-simplex.js';
import { createHighsSolver, type ClosableLpSolver } from '../src/solver/highs.js';
import { rng } from './helpers/flow-instances.js';

let highs: ClosableLpSolver;
beforeAll(async () => {
  highs = await createHighsSolver({ inline: true });
});
afterAll(async () => highs.close());

function randomMcf(seed: number, nodes: number, arcs: number, integer: boolean): MinCostFlowProblem {
  const rand = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const tail: number[] = [];
  const head: number[] = [];
  while (tail.length < arcs) {
    const a = int(0, nodes - 1);
    const b = int(0, nodes - 1);
    if (a !== b) {
      tail.push(a);
      head.push(b);
    }
  }
  const supply = new Float64Array(nodes);
  for (let k = 0; k < 3; k++) {
    const s = int(0, nodes - 1);
    const t = int(0, nodes - 1);
    const q = integer ? int(1, 20) : 1 + rand() * 19;
    supply[s]! += q;
    supply[t]! -= q;
  }
  return {
    nodeCount: nodes,
    tail: Uint32Array.from(tail),
    head: Uint32Array.from(head),
    cost: Float64Array.from(tail, () => (integer ? int(0, 30) : rand() * 30)),
    capacity: Float64Array.from(tail, () => (rand() < 0.2 ? Infinity : integer ? int(1, 15) : 1 + rand() * 14)),
    supply,
  };
}

function asLp(p: MinCostFlowProblem): LpModel {
  const m = p.tail.length;
  const starts = new Int32Array(m + 1);
  const indices = new Int32Array(2 * m);
  const values = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    starts[e] = 2 * e;
    const [a, b] = [p.tail[e]!, p.head[e]!];
    indices[2 * e] = Math.min(a, b);
    values[2 * e] = a < b ? 1 : -1;
    indices[2 * e + 1] = Math.max(a, b);
    values[2 * e + 1] = a < b ? -1 : 1;
  }
  starts[m] = 2 * m;
  return { numCols: m, numRows: p.nodeCount, colCost: p.cost, colLower: new Float64Array(m), colUpper: p.capacity, rowLower: p.supply, rowUpper: p.supply, matrix: { starts, indices, values } };
}

describe('network simplex', () => {
  it('finds the LP optimum (HiGHS), with conserving, feasible flows and optimal potentials', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 4, max: 25 }), fc.boolean(), async (seed, nodes, integer) => {
        const p = randomMcf(seed, nodes, nodes * 4, integer);
        const ns = networkSimplex(p);
        const lp = await highs.solve(asLp(p));
        if (lp.status === 'infeasible') {
          expect(ns.status).toBe('infeasible');
          return;
        }
        expect(ns.status).toBe('optimal');
        expect(Math.abs(ns.totalCost - lp.objective)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(lp.objective)));
        const balance = new Float64Array(p.nodeCount);
        for (let e = 0; e < p.tail.length; e++) {
          const f = ns.flow[e]!;
          expect(f).toBeGreaterThanOrEqual(-1e-9);
          expect(f).toBeLessThanOrEqual(p.capacity[e]! + 1e-9);
          balance[p.tail[e]!]! += f;
          balance[p.head[e]!]! -= f;
          const rc = p.cost[e]! + ns.potential[p.tail[e]!]! - ns.potential[p.head[e]!]!;
          if (rc < -1e-7) expect(f).toBeCloseTo(p.capacity[e]!, 6);
          if (rc > 1e-7) expect(f).toBeCloseTo(0, 6);
        }
        for (let v = 0; v < p.nodeCount; v++) expect(balance[v]).toBeCloseTo(p.supply[v]!, 6);
      }),
      { numRuns: 60, seed: 511 },
    );
  });

  it('reports an infeasible problem', () => {
    const r = networkSimplex({ nodeCount: 2, tail: Uint32Array.from([0]), head: Uint32Array.from([1]), cost: Float64Array.from([1]), capacity: Float64Array.from([2]), supply: Float64Array.from([5, -5]) });
    expect(r.status).toBe('infeasible');
  });

  it('rejects unbalanced supplies', () => {
    expect(() => networkSimplex({ nodeCount: 2, tail: Uint32Array.from([0]), head: Uint32Array.from([1]), cost: Float64Array.from([1]), capacity: Float64Array.from([2]), supply: Float64Array.from([5, -4]) })).toThrow(/sum to 1/);
  });
});
