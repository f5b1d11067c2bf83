/**
 * Column generation against the full arc-based LP solved by HiGHS, on random small instances:
 * the same optimum, flows that conserve and respect every capacity, and valid shadow prices.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArcLp } from '../../src/flow/arc-lp.js';
import { solveColumnGeneration } from '../../src/flow/column-generation.js';
import type { MultiCommodityProblem, FlowSolution } from '../../src/flow/problem.js';
import { createHighsSolver, type ClosableLpSolver } from '../../src/solver/highs.js';
import { randomInstance } from '../helpers/flow-instances.js';

let highs: ClosableLpSolver;
beforeAll(async () => {
  highs = await createHighsSolver({ inline: true });
});
afterAll(async () => highs.close());

/** Flow conservation per OD path set and capacity feasibility, checked from the paths. */
function checkFeasible(p: MultiCommodityProblem, s: FlowSolution): void {
  const served = new Float64Array(p.ods.count);
  for (const path of s.paths) {
    expect(path.flow).toBeGreaterThan(0);
    let v = p.ods.origin[path.od]!;
    for (const e of path.arcs) {
      expect(p.graph.tail[e]).toBe(v);
      v = p.graph.target[e]!;
    }
    expect(v).toBe(p.ods.destination[path.od]);
    served[path.od]! += path.flow;
  }
  for (let i = 0; i < p.ods.count; i++) expect(served[i]! + s.unserved[i]!).toBeCloseTo(p.ods.demand[i]!, 6);
  for (let r = 0; r < p.resourceCount; r++) {
    expect(s.resourceFlow[r]!).toBeLessThanOrEqual(p.resourceCapacity[r]! * (1 + 1e-9) + 1e-7);
    expect(s.resourceShadowPrice[r]!).toBeGreaterThanOrEqual(0);
    // Complementary slackness: a priced resource is full.
    if (s.resourceShadowPrice[r]! > 1e-6) expect(s.resourceFlow[r]!).toBeCloseTo(p.resourceCapacity[r]!, 5);
  }
}

describe('column generation', () => {
  it('matches the arc-based LP optimum (HiGHS) on random instances', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), async (seed, integer) => {
        const p = randomInstance(seed, {
          nodes: 12,
          arcs: 40,
          ods: 8,
          classes: 2,
          capacitated: 0.3,
          sharedResources: 2,
          integer,
        });
        const cg = await solveColumnGeneration(p, highs);
        const lp = await highs.solve(buildArcLp(p).model);
        expect(lp.status).toBe('optimal');
        expect(cg.converged).toBe(true);
        expect(Math.abs(cg.objective - lp.objective)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(lp.objective)));
        checkFeasible(p, cg);
      }),
      { numRuns: 40, seed: 20260511 },
    );
  });

  it('prices a binding capacity at the cost difference to the next-best route', async () => {
    // Two parallel routes 0→1: direct (cost 1, capacity 4) and via node 2 (cost 2 + 3).
    const p: MultiCommodityProblem = {
      graph: {
        nodeCount: 3,
        arcCount: 3,
        start: Uint32Array.from([0, 2, 2, 3]),
        tail: Uint32Array.from([0, 0, 2]),
        target: Uint32Array.from([1, 2, 1]),
      },
      arcCost: [Float64Array.from([1, 2, 3])],
      resourceCount: 1,
      resourceCapacity: Float64Array.from([4]),
      arcResourceStart: Uint32Array.from([0, 1, 1, 1]),
      arcResources: Uint32Array.from([0]),
      ods: {
        count: 1,
        origin: Uint32Array.from([0]),
        destination: Uint32Array.from([1]),
        costClass: Uint16Array.from([0]),
        demand: Float64Array.from([10]),
        unservedCost: Float64Array.from([100]),
      },
    };
    const s = await solveColumnGeneration(p, highs);
    expect(s.objective).toBeCloseTo(4 * 1 + 6 * 5, 9);
    expect(s.resourceShadowPrice[0]).toBeCloseTo(4, 9);
    expect(Array.from(s.arcFlow)).toEqual([4, 6, 6]);
  });

  it('leaves demand unserved when no capacity is left, and prices capacity at the unserved cost', async () => {
    const p: MultiCommodityProblem = {
      graph: {
        nodeCount: 2,
        arcCount: 1,
        start: Uint32Array.from([0, 1, 1]),
        tail: Uint32Array.from([0]),
        target: Uint32Array.from([1]),
      },
      arcCost: [Float64Array.from([10])],
      resourceCount: 1,
      resourceCapacity: Float64Array.from([3]),
      arcResourceStart: Uint32Array.from([0, 1]),
      arcResources: Uint32Array.from([0]),
      ods: {
        count: 1,
        origin: Uint32Array.from([0]),
        destination: Uint32Array.from([1]),
        costClass: Uint16Array.from([0]),
        demand: Float64Array.from([5]),
        unservedCost: Float64Array.from([50]),
      },
    };
    const s = await solveColumnGeneration(p, highs);
    expect(s.unserved[0]).toBeCloseTo(2, 9);
    expect(s.resourceShadowPrice[0]).toBeCloseTo(40, 9);
  });
});

describe('HiGHS in a worker thread', () => {
  it('gives the same answer as in-process', async () => {
    const worker = await createHighsSolver();
    try {
      const p = randomInstance(7, { nodes: 10, arcs: 30, ods: 6, classes: 1, capacitated: 0.3, sharedResources: 1 });
      const a = await solveColumnGeneration(p, worker);
      const b = await solveColumnGeneration(p, highs);
      expect(a.objective).toBeCloseTo(b.objective, 6);
      expect(worker.name).toMatch(/^HiGHS \d+\.\d+/);
    } finally {
      await worker.close();
    }
  });
});
