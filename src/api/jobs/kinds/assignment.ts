/**
 * assignment: the capacity-constrained minimum generalised-cost assignment of a demand set
 * (the same engine and result as `corridor assign --json`), run in a job worker; the LP solver
 * runs in its own worker thread, and each column-generation round reports progress.
 */
import { z } from 'zod';
import type { Dataset } from '../../../model/types.js';
import { CorridorError } from '../../../model/errors.js';
import { compileNetwork } from '../../../network/compile.js';
import { assign } from '../../../flow/assign.js';
import { demandInTeu } from '../../../flow/demand.js';
import { applyScenarios } from '../../../scenario/apply.js';
import { createHighsSolver } from '../../../solver/highs.js';
import { invalid, type FieldError } from '../../problem.js';
import { defineJobKind } from '../kind.js';

const ParamsSchema = z
  .object({
    demand: z
      .string()
      .min(1)
      .optional()
      .describe('Demand set name (data/demand/); default: the one the scenario names'),
    scenario: z
      .string()
      .min(1)
      .optional()
      .describe('Scenario name, or several joined by commas (composed left to right)'),
    co2PriceUsdPerTonne: z.number().min(0).max(10_000).optional(),
  })
  .strict();
type Params = z.infer<typeof ParamsSchema>;

const scenarioNames = (p: Params) =>
  (p.scenario ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function demandSetOf(ds: Dataset, p: Params, scenarioDemand: string | undefined) {
  const name = p.demand ?? scenarioDemand;
  return (ds.demand ?? []).find((d) => d.name === name);
}

export const assignment = defineJobKind({
  name: 'assignment',
  title: 'Capacity-constrained assignment',
  description:
    'Assigns a demand set to the network of a scenario at minimum generalised cost within link and node capacities (column generation with a HiGHS master LP) and returns flows, utilisation, unmet demand and the bottlenecks with their shadow prices — the JSON of `corridor assign --json`.',
  params: ParamsSchema,
  check(params: Params, dataset: Dataset) {
    const errors: FieldError[] = [];
    const valid = dataset.scenarios.map((s) => s.name);
    for (const n of scenarioNames(params)) {
      if (!valid.includes(n))
        errors.push({
          field: 'body.params.scenario',
          message: `unknown scenario; valid: ${valid.join(', ') || '(none)'}`,
          value: n,
        });
    }
    if (errors.length === 0) {
      const applied = applyScenarios(dataset, scenarioNames(params));
      if (!demandSetOf(applied.dataset, params, applied.demandSet)) {
        const sets = (applied.dataset.demand ?? []).map((d) => d.name).join(', ') || '(none)';
        errors.push({
          field: 'body.params.demand',
          message: `${params.demand === undefined ? 'required: this scenario names no demand set' : 'unknown demand set'}; valid: ${sets}`,
          value: params.demand ?? '(none)',
        });
      }
    }
    if (errors.length) throw invalid('body', errors);
  },
  async run(params: Params, ctx) {
    const applied = applyScenarios(ctx.dataset, scenarioNames(params));
    const ds = applied.dataset;
    const set = demandSetOf(ds, params, applied.demandSet);
    if (!set || !ds.commodities)
      throw new CorridorError('invalid-argument', 'no demand set or commodity conversions for this assignment');
    const demand = demandInTeu(set, ds.commodities.conversions, applied.demandScale);
    const net = compileNetwork(ds, applied.name !== undefined ? { scenario: applied.name } : {});
    const solver = await createHighsSolver();
    try {
      const result = await assign(net, demand, ds.commodities, solver, {
        ...(params.co2PriceUsdPerTonne !== undefined ? { co2PriceUsdPerTonne: params.co2PriceUsdPerTonne } : {}),
        onProgress: (p) =>
          ctx.progress(
            p.iteration,
            p.iteration + 1,
            `column generation round ${p.iteration}: objective ${Math.round(p.objective)}, ${p.columns} columns`,
          ),
      });
      return { scenario: params.scenario ?? null, demandSet: set.name, demandScale: applied.demandScale, result };
    } finally {
      await solver.close();
    }
  },
});
