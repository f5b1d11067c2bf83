/**
 * GET /api/v1/plans — timed itineraries from a ready time (departures, waits, P10/P50/P90
 * arrival): the same JSON as `corridor plan --json`.
 */
import { z } from 'zod';
import { DEFAULT_SAMPLES, DEFAULT_SEED, planItineraries, type PlanQuery } from '../../schedule/plan.js';
import { resolveScenario } from '../context.js';
import { pricedPlan } from '../../tariff/priced-plan.js';
import type { RouteTable } from '../define-route.js';
import { ROUTE_OPTION_FIELDS, toRouteQuery } from '../route-query.js';
import { ProblemSchema } from '../schemas/common.js';
import { routeCacheCounter } from '../metrics.js';

/** Samples per itinerary a request may ask for: bounds the CPU one request can take. */
export const API_MAX_SAMPLES = 100_000;

const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const { avoid, modes, avoidPlaces, avoidPassages, scenario } = ROUTE_OPTION_FIELDS;

export const PlanParamsSchema = z
  .object({
    from: text(100).min(1, 'is required').describe("Origin: name, alias or code (e.g. `Xi'an`, `CNXIA`)"),
    to: text(100).min(1, 'is required').describe('Destination: name, alias or code'),
    ready: z
      .string()
      .max(40)
      .regex(
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/,
        'an ISO 8601 date or date-time, e.g. 2026-03-02T08:00 (local at the origin) or 2026-03-02T08:00+08:00',
      )
      .describe('When the cargo is ready at the origin; local time at the origin unless it carries an offset'),
    avoid,
    modes,
    avoidPlaces,
    avoidPassages,
    scenario,
    samples: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, `an integer from 1 to ${API_MAX_SAMPLES}`)
      .refine((v) => Number(v) <= API_MAX_SAMPLES, `at most ${API_MAX_SAMPLES}`)
      .optional()
      .describe(`Monte Carlo samples per itinerary (default ${DEFAULT_SAMPLES})`),
    seed: z
      .string()
      .regex(/^\d{1,10}$/, 'an integer from 0 to 4294967295')
      .refine((v) => Number(v) <= 0xffffffff, 'at most 4294967295')
      .optional()
      .describe(`Monte Carlo seed (default ${DEFAULT_SEED}); the same seed gives the same answer`),
    horizonDays: z
      .string()
      .regex(/^[1-9]\d{0,3}$/, 'an integer from 1 to 3660')
      .refine((v) => Number(v) <= 3660, 'at most 3660')
      .optional()
      .describe('Drop itineraries arriving more than this many days after the ready time'),
  })
  .strict();

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
      'Departures from the timetables in services.yaml, waits, and a seeded Monte Carlo arrival distribution per itinerary. Times are local at each place.',
    tags: ['plans'],
    access: 'read',
    query: PlanParamsSchema,
    responses: {
      200: { description: 'The itineraries, earliest arrival first', schema: PlanResultSchema },
      400: { description: 'Invalid parameter (e.g. a ready time outside every timetable)', schema: ProblemSchema },
      404: { description: 'Unknown place or scenario', schema: ProblemSchema },
    },
    fastPath: (req, ctx) => {
      const hit = ctx.routeUrlCache.get(req.url);
      if (hit !== undefined) routeCacheCounter.inc({ result: 'hit' });
      return hit;
    },
    handler: async ({ query, ctx, reply, req }) => {
      const sc = query.scenario !== undefined ? await resolveScenario(ctx, query.scenario) : undefined;
      const key = JSON.stringify(['plan', sc?.version ?? 0, query]);
      let body = ctx.routeCache.get(key);
      routeCacheCounter.inc({ result: body === undefined ? 'miss' : 'hit' });
      if (body === undefined) {
        const c = toRouteQuery(
          {
            from: query.from,
            to: query.to,
            ...(query.avoid !== undefined ? { avoid: query.avoid } : {}),
            ...(query.modes !== undefined ? { modes: query.modes } : {}),
            ...(query.avoidPlaces !== undefined ? { avoidPlaces: query.avoidPlaces } : {}),
            ...(query.avoidPassages !== undefined ? { avoidPassages: query.avoidPassages } : {}),
          },
          ctx.networks.world(sc),
        );
        const q: PlanQuery = { ...c, ready: query.ready };
        if (query.samples !== undefined) q.samples = Number(query.samples);
        if (query.seed !== undefined) q.seed = Number(query.seed);
        if (query.horizonDays !== undefined) q.maxDurationH = Number(query.horizonDays) * 24;
        // As `corridor plan`: with pricing files, itineraries are searched on the quoted cost and carry quotes.
        const result = ctx.dataset.pricing
          ? pricedPlan(ctx.networks.world(sc), ctx.networks.get(sc), q)
          : planItineraries(ctx.timetables.get(sc), q);
        body = Buffer.from(JSON.stringify(result));
        ctx.routeCache.set(key, body);
      }
      if (sc === undefined || sc.source === 'dataset') ctx.routeUrlCache.set(req.url, body);
      reply.type('application/json; charset=utf-8').send(body);
      return undefined;
    },
  });
}
