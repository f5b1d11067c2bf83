/**
 * GET /api/v1/quotes — the Pareto options for a real shipment (containers, weight, flags) on a
 * date, each with an itemised quote and an ISO 14083 footprint: the same JSON as
 * `corridor quote --json`, or PACT ProductFootprints with `format=pact`.
 */
import { z } from 'zod';
import { pactExport } from '../../cli/quote.js';
import { findPricedRoutes } from '../../tariff/priced-routes.js';
import { resolveScenario } from '../context.js';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { ROUTE_OPTION_FIELDS, toRouteQuery } from '../route-query.js';
import { ProblemSchema } from '../schemas/common.js';
import { RouteResultSchema } from '../schemas/route.js';

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const flag = z.enum(['true', 'false']);
const { avoid, modes, avoidPassages, avoidPlaces, maxTransshipments, maxOptions, scenario } = ROUTE_OPTION_FIELDS;

const QuoteParams = z
  .object({
    from: text(100).min(1, 'is required').describe("Origin: name, alias or code (e.g. `Xi'an`, `CNXIA`)"),
    to: text(100).min(1, 'is required').describe('Destination: name, alias or code'),
    containers: text(200)
      .optional()
      .describe(
        'Containers as NxTYPE, comma-separated: ISO 6346 codes (22G1, 42G1, 45G1, 22R1, 45R1) or shorthands (20, 40, 40HC, 45, 20RF, 40RF); default 1x40',
      ),
    weight: text(40)
      .optional()
      .describe('Cargo mass over all containers, without the boxes (e.g. `20t`, `18500kg`); default a typical load'),
    date: DATE.optional().describe(
      'Price with the tariff set and exchange rates valid on this date (default: the latest tariff set)',
    ),
    ready: DATE.optional().describe('Date the cargo is ready; prices for that date when `date` is not given'),
    dangerousGoods: flag
      .optional()
      .describe('`true`: dangerous goods (surcharges; links that refuse them are avoided)'),
    reefer: flag.optional().describe('`true`: needs a reefer container'),
    avoid,
    modes,
    avoidPassages,
    avoidPlaces,
    maxTransshipments,
    maxOptions,
    scenario,
    option: z
      .string()
      .regex(/^[1-9]\d{0,3}$/, 'an option number ≥ 1')
      .optional()
      .describe('Only this option'),
    format: z
      .enum(['json', 'pact'])
      .optional()
      .describe('`pact`: PACT ProductFootprints with the iLEAP ShipmentFootprint extension'),
  })
  .strict();

export function registerQuotes(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/quotes',
    operationId: 'quoteShipment',
    summary: 'Itemised quote and ISO 14083 footprint of every Pareto option for a shipment',
    tags: ['quotes'],
    access: 'read',
    query: QuoteParams,
    responses: {
      200: {
        description: 'The options with `quote` and `emissions` (or `{data: [ProductFootprint]}` with format=pact)',
        schema: RouteResultSchema,
      },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
      404: {
        description: 'Unknown place or scenario, no such option, or a dataset without tariffs',
        schema: ProblemSchema,
      },
    },
    handler: async ({ query, ctx }) => {
      if (!ctx.dataset.pricing)
        throw new HttpProblem(
          'not-found',
          'this dataset has no pricing files (tariffs/, fx.yaml, container-types.yaml, emission-factors.yaml)',
        );
      const sc = query.scenario !== undefined ? await resolveScenario(ctx, query.scenario) : undefined;
      const rq = toRouteQuery(
        Object.fromEntries(
          Object.entries({
            from: query.from,
            to: query.to,
            avoid: query.avoid,
            modes: query.modes,
            avoidPassages: query.avoidPassages,
            avoidPlaces: query.avoidPlaces,
            maxTransshipments: query.maxTransshipments,
            maxOptions: query.maxOptions,
          }).filter(([, v]) => v !== undefined),
        ) as { from: string; to: string },
        ctx.networks.world(sc),
      );
      const result = findPricedRoutes(ctx.networks.world(sc), ctx.networks.get(sc), rq, {
        cargo: {
          ...(query.containers !== undefined ? { containers: query.containers } : {}),
          ...(query.weight !== undefined ? { weight: query.weight } : {}),
          dangerousGoods: query.dangerousGoods === 'true',
          reefer: query.reefer === 'true',
        },
        ...((query.date ?? query.ready) !== undefined ? { date: (query.date ?? query.ready)! } : {}),
      });
      const only = query.option !== undefined ? Number(query.option) : undefined;
      if (only !== undefined && !result.options.some((o) => o.option === only)) {
        throw invalid('query', [
          {
            field: 'query.option',
            message: `there is no option ${only}; this query has ${result.options.length} option(s)`,
            value: query.option!,
          },
        ]);
      }
      if (query.format === 'pact') return pactExport(result, only, 'Corridor planning estimate', new Date());
      return only === undefined ? result : { ...result, options: result.options.filter((o) => o.option === only) };
    },
  });
}
