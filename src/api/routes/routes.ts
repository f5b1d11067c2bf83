/** GET /api/v1/routes — the Pareto-optimal options, the same JSON as `corridor route --json`. */
import { findRoutes } from '../../routing/route.js';
import { findPricedRoutes } from '../../tariff/priced-routes.js';
import type { RouteTable } from '../define-route.js';
import { resolveScenario } from '../context.js';
import { ProblemSchema } from '../schemas/common.js';
import { RouteResultSchema } from '../schemas/route.js';
import { RouteParamsSchema, toRouteQuery } from '../route-query.js';
import { routeCacheCounter } from '../metrics.js';

export function registerRoutes(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/routes',
    operationId: 'findRoutes',
    summary: 'Pareto-optimal routes over time, cost and CO2e',
    description:
      'Nominal times (running time + typical dwell) for one 40-foot container; with the dataset tariffs, each option carries an itemised quote and ISO 14083 footprint. Lists are comma-separated or repeated parameters. ' +
      'An unknown place gives 404 with the closest matches; an impossible constraint gives 200 with no options and the `alternatives` it excluded.',
    tags: ['routes'],
    access: 'read',
    query: RouteParamsSchema,
    responses: {
      200: { description: 'The options, best first by duration', schema: RouteResultSchema },
      400: { description: 'Invalid parameter (named in `errors`)', schema: ProblemSchema },
      404: { description: 'Unknown place or scenario, with candidates', schema: ProblemSchema },
    },
    // A repeated request (same URL) skips validation too; only for answers that cannot change
    // while the server runs (no stored scenario, whose version may change).
    fastPath: (req, ctx) => {
      const hit = ctx.routeUrlCache.get(req.url);
      if (hit !== undefined) routeCacheCounter.inc({ result: 'hit' });
      return hit;
    },
    handler: async ({ query, ctx, reply, req }) => {
      const scenario = query.scenario !== undefined ? await resolveScenario(ctx, query.scenario) : undefined;
      // zod emits keys in schema order, so equal queries give equal keys.
      const key = JSON.stringify([scenario?.version ?? 0, query]);
      let body = ctx.routeCache.get(key);
      routeCacheCounter.inc({ result: body === undefined ? 'miss' : 'hit' });
      if (body === undefined) {
        const rq = toRouteQuery(query, ctx.networks.world(scenario));
        const net = ctx.networks.get(scenario);
        // As `corridor route`: with pricing files, every option carries its quote and footprint.
        const result = ctx.dataset.pricing
          ? findPricedRoutes(ctx.networks.world(scenario), net, rq)
          : findRoutes(net, rq);
        // Kept encoded: a hit then costs no serialization and no UTF-8 encoding.
        body = Buffer.from(JSON.stringify(result));
        ctx.routeCache.set(key, body);
      }
      if (scenario === undefined || scenario.source === 'dataset') ctx.routeUrlCache.set(req.url, body);
      reply.type('application/json; charset=utf-8').send(body);
      return undefined;
    },
  });
}
