/**
 * assignment: the capacity-constrained minimum generalised-cost assignment of a demand set
 * (the same engine and result as `corridor assign --json`), run in a job worker; the LP solver
 * runs in its own worker thread, and each column-generation round reports progress.
 */
import { z } from 'zod';
import { defineJobKind } from '../kind.js';

const ParamsSchema = z
  .object({
    demand: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe('Demand set name (data/demand/); default: the one the scenario names'),
    scenario: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe('Scenario name, or several joined by commas (composed left to right)'),
    co2PriceUsdPerTonne: z.number().min(0).max(10_000).optional(),
  })
  .strict();
type Params = z.infer<typeof ParamsSchema>;

const raw = (p: Params) => ({
  ...(p.scenario !== undefined ? { scenario: p.scenario } : {}),
  ...(p.demand !== undefined ? { demand: p.demand } : {}),
  ...(p.co2PriceUsdPerTonne !== undefined ? { co2Price: p.co2PriceUsdPerTonne } : {}),
});

export const assignment = defineJobKind({
  name: 'assignment',
  title: 'Capacity-constrained assignment',
  description:
    'Assigns a demand set to the network of a scenario at minimum generalised cost within link and node ' +
    'capacities (column generation with a HiGHS master LP) and returns flows, utilisation, unmet demand and the ' +
    'bottlenecks with their shadow prices — the JSON of `corridor assign --json`.',
  params: ParamsSchema,
  async check(params: Params, service) {
    await service.prepareAssign(raw(params));
  },
  async run(params: Params, ctx) {
    const p = await ctx.service.prepareAssign(raw(params));
    return ctx.service.assign(p, (s) =>
      ctx.progress(
        s.iteration,
        s.iteration + 1,
        `column generation round ${s.iteration}: objective ${Math.round(s.objective)}, ${s.columns} columns`,
      ),
    );
  },
});
