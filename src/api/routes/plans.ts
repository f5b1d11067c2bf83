/**
 * GET /api/v1/plans — timed itineraries from a ready time (departures, waits, P10/P50/P90
 * arrival): the same JSON as `corridor plan --json`.
 */
import { z } from 'zod';
import { PLAN_FIELDS } from '../../service/fields.js';
import { sendCached, urlCacheHit } from '../cached.js';
import type { RouteTable } from '../define-route.js';
import { queryFields } from '../query-fields.js';
import { ProblemSchema } from '../schemas/common.js';

export const PlanParamsSchema = z.object(queryFields(PLAN_FIELDS, ['ready'])).strict();

const PlanResultSchema = z
  .looseObject({
    query: z.looseObject({
      from: z.string(),
      to: z.string(),
      ready: z.string(),
      samples: z.number(),
      seed: z.number(),
    }),
    origin: z.looseObject({ id: z.string(), name: z.string(), country: z.string() }),
    destination: z.looseObject({ id: z.string(), name: z.string(), country: z.string() }),
    regime: z.string(),
    itineraries: z.array(
      z.looseObject({
        option: z.number().int(),
        labels: z.array(z.string()),
        summary: z.string(),
        departure: z.string(),
        plannedArrival: z.string(),
        arrival: z.looseObject({ p10: z.string().nullable(), p50: z.string().nullable(), p90: z.string().nullable() }),
        legs: z.array(z.looseObject({ from: z.string(), to: z.string(), departure: z.string(), arrival: z.string() })),
        totals: z.looseObject({ durationH: z.number(), costUsd: z.number(), co2eKg: z.number() }),
        routingReference: z
          .string()
          .optional()
          .describe('Give it to POST /v2/bookings to book exactly this itinerary’s departures'),
      }),
    ),
    notes: z.array(z.string()),
  })
  .describe('Timed itineraries; the same JSON as `corridor plan --json`');

export function registerPlans(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/plans',
    operationId: 'planItineraries',
    summary: 'Timed itineraries from a ready time, with P10/P50/P90 arrival',
    description:
      'Departures from the timetables in services.yaml, waits, and a seeded Monte Carlo arrival ' +
      'distribution per itinerary. Times are local at each place.',
    tags: ['plans'],
    access: 'read',
    query: PlanParamsSchema,
    responses: {
      200: { description: 'The itineraries, earliest arrival first', schema: PlanResultSchema },
      400: { description: 'Invalid parameter (e.g. a ready time outside every timetable)', schema: ProblemSchema },
      404: { description: 'Unknown place or scenario', schema: ProblemSchema },
    },
    fastPath: urlCacheHit,
    handler: async ({ query, ctx, reply, req }) => {
      const p = await ctx.service.preparePlan(query);
      return sendCached(ctx, req, reply, p, async (gone) => {
        const a = await ctx.service.planEncoded(p, gone);
        // Each itinerary's routing is stored before the answer goes out, so it can be booked at once.
        await ctx.bookings.rememberRoutings(a.routings);
        return a.json;
      });
    },
  });
}
