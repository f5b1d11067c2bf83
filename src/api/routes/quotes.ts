/**
 * GET /api/v1/quotes — the Pareto options for a real shipment (containers, weight, flags) on a
 * date, each with an itemised quote and an ISO 14083 footprint: the same JSON as
 * `corridor quote --json`, or PACT ProductFootprints with `format=pact`.
 */
import { z } from 'zod';
import { pactExport } from '../../service/footprint.js';
import { QUOTE_FIELDS } from '../../service/fields.js';
import { sendCached, urlCacheHit } from '../cached.js';
import type { RouteTable } from '../define-route.js';
import { queryFields } from '../query-fields.js';
import { ProblemSchema } from '../schemas/common.js';
import { RouteResultSchema } from '../schemas/route.js';

const QuoteParams = z
  .object({
    ...queryFields(QUOTE_FIELDS),
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
    description:
      'Priced for the ready date, else the quote date (`date`), else today; `pricing.basis` says which. ' +
      'The same options and prices as GET /api/v1/routes for the same parameters.',
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
    fastPath: urlCacheHit,
    handler: async ({ query, ctx, req, reply }) => {
      const { format, ...raw } = query;
      const p = await ctx.service.prepareQuote(raw);
      if (format === 'pact')
        return pactExport(await ctx.service.quoteAsync(p), p.request.option, 'Corridor planning estimate', new Date());
      return sendCached(ctx, req, reply, p, async (gone) => (await ctx.service.quoteEncoded(p, gone)).json);
    },
  });
}
