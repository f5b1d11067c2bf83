/**
 * The assignment on the default corridor network: column generation against the full arc LP
 * (HiGHS) and against network simplex where the instance is single-commodity; progress reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { assign, buildAssignmentProblem, isSingleCommodity, solveSingleCommodity } from '../../src/flow/assign.js';
import { buildArcLp } from '../../src/flow/arc-lp.js';
import { solveColumnGeneration } from '../../src/flow/column-generation.js';
import { demandInTeu, type DemandOd } from '../../src/flow/demand.js';
import type { SolveProgress } from '../../src/flow/problem.js';
import { compileNetwork } from '../../src/network/compile.js';
import { applyScenario } from '../../src/scenario/apply.js';
import { createHighsSolver, type ClosableLpSolver } from '../../src/solver/highs.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

let highs: ClosableLpSolver;
beforeAll(async () => {
  highs = await createHighsSolver({ inline: true });
});
afterAll(async () => highs.close());

const ds = loadDataset(DEFAULT_DATA).dataset;
const catalog = ds.commodities!;

describe('assignment on the default network', () => {
  it('column generation reaches the optimum of the full arc LP, with progress that closes the gap', async () => {
    const world = applyScenario(ds, 'northern-closed').dataset;
    const ods = demandInTeu(ds.demand!.find((d) => d.name === 'trains-2029')!, catalog.conversions);
    const ap = buildAssignmentProblem(compileNetwork(world), ods, catalog);
    const seen: SolveProgress[] = [];
    const cg = await solveColumnGeneration(ap.problem, highs, { onProgress: (p) => seen.push(p) });
    const lp = await highs.solve(buildArcLp(ap.problem).model);
    expect(lp.status).toBe('optimal');
    expect(Math.abs(cg.objective - lp.objective) / lp.objective).toBeLessThan(1e-7);
    expect(seen.length).toBe(cg.iterations);
    for (let i = 0; i < seen.length; i++) {
      expect(seen[i]!.lowerBound).toBeLessThanOrEqual(seen[i]!.objective * (1 + 1e-9));
      if (i > 0) expect(seen[i]!.objective).toBeLessThanOrEqual(seen[i - 1]!.objective * (1 + 1e-9));
    }
    expect(cg.lowerBound).toBeCloseTo(cg.objective, 3);
  });

  it('network simplex and column generation agree on a single-origin instance with link capacities', async () => {
    // One origin, one commodity; drop transfer capacities so every capacity sits on one arc.
    const world = { ...ds, transfers: ds.transfers.map(({ capacityPerDay: _drop, ...t }) => t) };
    const ods: DemandOd[] = ['AZBAK', 'GETBS', 'TRHAL', 'ROCND'].map((to, i) => ({
      from: 'CNXIA',
      to,
      commodity: 'containers',
      teuPerYear: 40_000 + 10_000 * i,
    }));
    const ap = buildAssignmentProblem(compileNetwork(world), ods, catalog);
    expect(isSingleCommodity(ap.problem)).toBe(true);
    const ns = solveSingleCommodity(ap.problem);
    const cg = await solveColumnGeneration(ap.problem, highs);
    expect(Math.abs(ns.objective - cg.objective) / cg.objective).toBeLessThan(1e-9);
    // Both respect the capacities and price the binding ones alike (the duals may differ only where degenerate).
    for (let r = 0; r < ap.problem.resourceCount; r++) {
      expect(ns.resourceFlow[r]!).toBeLessThanOrEqual(ap.problem.resourceCapacity[r]! * (1 + 1e-9));
      expect(ns.resourceShadowPrice[r]!).toBeGreaterThanOrEqual(0);
    }
    const served = (s: typeof ns) => s.paths.reduce((t, p) => t + p.flow, 0);
    expect(served(ns)).toBeCloseTo(served(cg), 3);
    // The automatic choice picks network simplex for this instance.
    const auto = await assign(compileNetwork(world), ods, catalog, highs);
    expect(auto.algorithm).toMatch(/network simplex/);
    expect(auto.objective).toBeCloseTo(ns.objective, 1);
  });

  it('a CO2 price moves flow towards lower-emission routes without raising emissions', async () => {
    const ods = demandInTeu(ds.demand!.find((d) => d.name === 'northern-transit-2020')!, catalog.conversions);
    const net = compileNetwork(ds);
    const a = await assign(net, ods, catalog, highs);
    const b = await assign(net, ods, catalog, highs, { co2PriceUsdPerTonne: 500 });
    expect(b.totals.co2eTonnes).toBeLessThanOrEqual(a.totals.co2eTonnes + 1e-6);
    expect(b.objective).toBeGreaterThanOrEqual(a.objective);
  });
});

describe('progress of long solves', () => {
  it('prints round, routes, cost, bound and gap once a solve has run for a while', async () => {
    const { progressPrinter } = await import('../../src/cli/assign.js');
    const lines: string[] = [];
    const print = progressPrinter((s) => lines.push(s), 1000);
    print({ iteration: 1, objective: 2_000_000, lowerBound: 1_000_000, columns: 10, elapsedMs: 10 });
    print({ iteration: 2, objective: 1_500_000, lowerBound: 1_200_000, columns: 25, elapsedMs: 2500 });
    expect(lines).toEqual([
      'assign: round 2, 25 routes, cost USD 1,500,000/yr, bound USD 1,200,000 (gap ≤ 20.000 %), 2.5 s\n',
    ]);
  });
});
