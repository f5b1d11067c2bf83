/** GET /api/v1/routes — the Pareto-optimal options, the same JSON as `corridor route --json`. */
import { z } from 'zod';
import { ROUTE_FIELDS } from '../../service/fields.js';
import { sendCached, urlCacheHit } from '../cached.js';
import type { RouteTable } from '../define-route.js';
import { queryFields } from '../query-fields.js';
import { ProblemSchema } from '../schemas/common.js';
import { RouteResultSchema } from '../schemas/route.js';

export const RouteParamsSchema = z.object(queryFields(ROUTE_FIELDS)).strict();

export function registerRoutes(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/routes',
    operationId: 'findRoutes',
    summary: 'Pareto-optimal routes over time, cost and CO2e',
    description:
      'Nominal times (running time + typical dwell); with the dataset tariffs each option carries an itemised ' +
      'quote (for the shipment given, default one 40-foot container) and an ISO 14083 footprint, priced for the ' +
      'ready date, else the quote date, else today (`pricing.basis`). Lists are comma-separated or repeated ' +
      'parameters. An unknown place gives 404 with the closest matches; an impossible constraint gives 200 with ' +
      'no options and the `alternatives` it excluded.',
    tags: ['routes'],
    access: 'read',
    query: RouteParamsSchema,
    responses: {
      200: { description: 'The options, best first by duration', schema: RouteResultSchema },
      400: { description: 'Invalid parameter (named in `errors`)', schema: ProblemSchema },
      404: { description: 'Unknown place or scenario, with candidates', schema: ProblemSchema },
    },
    fastPath: urlCacheHit,
    handler: async ({ query, ctx, reply, req }) => {
      const p = await ctx.service.prepareRoute(query);
      return sendCached(ctx, req, reply, p, async (gone) => (await ctx.service.routeEncoded(p, { signal: gone })).json);
    },
  });
}
