/**
 * sweep-draw: one run of a Monte Carlo sweep (a random draw of capacities, dwell, demand and
 * prices, or one end of a tornado range) assigned like any scenario; the sweep's many small jobs
 * are these, and any worker can run any of them in any order (a draw is a function of seed and index).
 */
import { z } from 'zod';
import { checkSweep, runSweepDraw } from '../../../service/sweep.js';
import { defineJobKind } from '../kind.js';

export const SweepRequestSchema = z
  .object({
    scenario: z.string().min(1).max(300).optional().describe('Base scenario(s), comma-separated'),
    demand: z.string().min(1).max(300).optional().describe("Demand set; default the scenario's"),
    compare: z.string().min(1).max(300).optional().describe('Scenario whose value is measured in every draw'),
    levels: z.array(z.number().positive().max(10)).min(1).max(10).optional().describe('Demand multipliers'),
    draws: z.number().int().min(1).max(2000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    tornado: z.boolean().optional(),
  })
  .strict();

export const sweepDraw = defineJobKind({
  name: 'sweep-draw',
  title: 'One run of a Monte Carlo sweep',
  description:
    'Assigns one draw of a sweep (POST /api/v1/sweeps makes these): capacities, dwell, demand and prices drawn ' +
    'from their ranges by seed and index; returns the objective, unmet demand and what binds.',
  params: z
    .object({
      sweep: z.string().min(1).max(64),
      request: SweepRequestSchema,
      run: z
        .object({
          run: z.enum(['draw', 'low', 'high']),
          index: z.number().int().min(0),
          range: z.number().int().min(0).optional(),
          level: z.number().positive(),
        })
        .strict(),
    })
    .strict(),
  async check(params, service) {
    await checkSweep(service, params.request);
  },
  async run(params, ctx) {
    ctx.progress(0, 1, `${params.run.run} ${params.run.index}`);
    const { range, ...rest } = params.run;
    return runSweepDraw(ctx.service, params.sweep, params.request, {
      ...rest,
      ...(range !== undefined ? { range } : {}),
    });
  },
});
