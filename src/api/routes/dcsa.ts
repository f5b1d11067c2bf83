/**
 * DCSA Commercial Schedules v1.0.3: GET /v1/point-to-point-routes.
 *
 * The routings are the schedules engine's timed itineraries (`planItineraries`) from a ready time
 * of 00:00 local time at the origin on `departureStartDate` (else today, or `departureEndDate`
 * when that is earlier), mapped by `toDcsaPointToPoint` (src/schedule/dcsa.ts).
 * Errors use DCSA's ErrorResponse (content type application/json), which also carries the
 * RFC 9457 fields, so both kinds of client can read them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isCorridorError } from '../../model/errors.js';
import type { Location } from '../../model/types.js';
import { toDcsaPointToPoint, type DcsaPointToPoint } from '../../schedule/dcsa.js';
import { Lru } from '../../service/lru.js';
import type { ServiceContext } from '../context.js';
import { problemFromCorridorError } from '../corridor-errors.js';
import type { RouteTable } from '../define-route.js';
import { DcsaErrorSchema, DcsaPointToPointSchema } from '../dcsa/schema.js';
import { HttpProblem, PROBLEM_TYPES } from '../problem.js';
import { getOrCreate } from '../../model/memo.js';
import { nth } from '../../model/invariant.js';

export const DCSA_API_VERSION = '1.0.3';
const LOCODE = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE: 2 letters, then 3 of A–Z or 2–9 (e.g. CNXIA)');
const DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );
const MAX_LIMIT = 100;

const Query = z
  .object({
    placeOfReceipt: LOCODE.describe('UN/LOCODE of the origin'),
    placeOfDelivery: LOCODE.describe('UN/LOCODE of the destination'),
    departureStartDate: DATE.optional(),
    departureEndDate: DATE.optional(),
    arrivalStartDate: DATE.optional(),
    arrivalEndDate: DATE.optional(),
    maxTranshipment: z
      .string()
      .regex(/^\d{1,3}$/, 'an integer ≥ 0')
      .optional()
      .describe('At most this many vessel-to-vessel transhipments'),
    receiptTypeAtOrigin: z
      .enum(['CY', 'SD', 'CFS'])
      .optional()
      .describe('Only CY (container yard incl. rail ramp) is offered; SD or CFS give an empty list'),
    deliveryTypeAtDestination: z.enum(['CY', 'SD', 'CFS']).optional(),
    cargoType: z.enum(['DRY', 'REEFER']).optional().describe('REEFER avoids links that refuse reefer cargo'),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, 'an integer ≥ 1')
      .optional()
      .describe(`Page size (default and maximum ${MAX_LIMIT})`),
    cursor: z.string().max(1024).optional().describe('Next-Page-Cursor from the previous page'),
  })
  .strict();
type Query = z.infer<typeof Query>;

const FILTER_KEYS = [
  'placeOfReceipt',
  'placeOfDelivery',
  'departureStartDate',
  'departureEndDate',
  'arrivalStartDate',
  'arrivalEndDate',
  'maxTranshipment',
  'receiptTypeAtOrigin',
  'deliveryTypeAtDestination',
  'cargoType',
] as const;

function filterFingerprint(q: Query): string {
  return FILTER_KEYS.map((k) => q[k] ?? '').join('|');
}

/** The location a UN/LOCODE names: its own id first, then a recorded exact LOCODE, then an approximate one. */
function byLocode(locations: readonly Location[], code: string): Location | undefined {
  return (
    locations.find((l) => l.id === code) ??
    locations.find((l) => l.locode?.code === code && !l.locode.approximate) ??
    locations.find((l) => l.locode?.code === code)
  );
}

/** The ready day: departureStartDate, else today, else departureEndDate when that is earlier. */
function readyDay(q: Query, today: string): string {
  return (
    q.departureStartDate ??
    (q.departureEndDate !== undefined && q.departureEndDate < today ? q.departureEndDate : today)
  );
}

/**
 * Samples per itinerary for the arrival distribution, which DCSA does not carry: the planned
 * times do not depend on it, so the fewest that the engine accepts.
 */
const DCSA_SAMPLES = 1;

/** Routings by the service's request key (World revision, places, cargo type, day). */
const routingCache = new WeakMap<ServiceContext, Lru<string, DcsaPointToPoint[]>>();

/** The timed routings between two places from 00:00 local time on the ready day: `corridor plan --dcsa`. */
async function routingsFor(
  ctx: ServiceContext,
  from: Location,
  to: Location,
  q: Query,
  day: string,
): Promise<DcsaPointToPoint[]> {
  const cache = getOrCreate(routingCache, ctx, () => new Lru<string, DcsaPointToPoint[]>(1000));
  const p = await ctx.service.preparePlan({
    from: from.id,
    to: to.id,
    ready: `${day}T00:00`,
    samples: String(DCSA_SAMPLES),
    ...(q.cargoType === 'REEFER' ? { cargo: 'reefer' } : {}),
  });
  const hit = cache.get(p.key);
  if (hit) return hit;
  const locations = p.scenario.dataset.locations;
  const answer = await ctx.service.planAsync(p);
  // Stored so that a booking naming a routingReference books exactly this routing's departures.
  await ctx.bookings.rememberPlan(p, answer);
  const routings = answer.itineraries.map((it) => toDcsaPointToPoint(it, locations));
  cache.set(p.key, routings);
  return routings;
}

/** Vessel-to-vessel changes between consecutive legs (DCSA's definition of a transhipment). */
function transhipments(p: DcsaPointToPoint): number {
  let n = 0;
  for (let i = 1; i < p.legs.length; i++)
    if (
      nth(p.legs, i - 1).transport.modeOfTransport === 'VESSEL' &&
      nth(p.legs, i).transport.modeOfTransport === 'VESSEL'
    )
      n++;
  return n;
}

const ERROR_CODES: Record<number, [number, string]> = {
  400: [7003, 'invalidInput'],
  401: [7001, 'unauthorized'],
  403: [7002, 'forbidden'],
  404: [7005, 'notFound'],
  409: [7009, 'conflict'],
  422: [7004, 'unprocessable'],
};

/** A problem as DCSA's ErrorResponse, which also carries the RFC 9457 fields (`version`: the API-Version header). */
export function dcsaErrorFor(version: string) {
  return (problem: HttpProblem, req: FastifyRequest, reply: FastifyReply) => {
    const errs = (problem.extra.errors as { field: string; message: string; value?: string }[] | undefined) ?? [
      { field: '', message: problem.detail },
    ];
    const title = PROBLEM_TYPES[problem.code].title;
    const [errorCode, errorCodeText] = ERROR_CODES[problem.status] ?? [7000, 'error'];
    const { errors: _e, ...extra } = problem.extra;
    reply
      .code(problem.status)
      .type('application/json; charset=utf-8')
      .headers(problem.headers)
      .header('api-version', version)
      .send({
        ...extra,
        // RFC 9457
        type: `/problems/${problem.code}`,
        title,
        status: problem.status,
        detail: problem.detail,
        instance: req.url.split('?')[0],
        // DCSA ErrorResponse
        httpMethod: req.method,
        requestUri: req.url.slice(0, 2000),
        statusCode: problem.status,
        statusCodeText: title.slice(0, 50),
        statusCodeMessage: problem.detail.slice(0, 200),
        providerCorrelationReference: String(req.id).slice(0, 100),
        errorDateTime: `${new Date().toISOString().slice(0, 19)}Z`,
        errors: errs.map((e) => ({
          errorCode,
          ...(e.field ? { property: e.field.replace(/^(query|header|body|path)\./, '').slice(0, 100) } : {}),
          ...(e.value !== undefined ? { value: String(e.value).slice(0, 500) } : {}),
          errorCodeText: problem.status === 400 && req.method === 'GET' ? 'invalidQuery' : errorCodeText,
          errorCodeMessage: e.message.slice(0, 5000),
        })),
      });
    return reply;
  };
}

const dcsaError = dcsaErrorFor(DCSA_API_VERSION);

export function registerDcsa(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/v1/point-to-point-routes',
    operationId: 'getPointToPointRoutes',
    summary: 'DCSA Commercial Schedules v1.0.3: point-to-point routings',
    description:
      'Routings between two UN/LOCODEs in the DCSA format: the timed itineraries of GET /api/v1/plans from ' +
      '00:00 local time at the origin on `departureStartDate` (default today), with local times and ' +
      'offsets. Paginated with `limit` and `Next-Page-Cursor`.',
    tags: ['DCSA'],
    access: 'read',
    query: Query,
    headerParams: [
      { name: 'API-Version', description: 'Major version only; must be 1', schema: { type: 'string', example: '1' } },
    ],
    responses: {
      200: {
        description: 'Routings',
        schema: z.array(DcsaPointToPointSchema),
        headers: {
          'API-Version': {
            description: 'Version of the contract',
            schema: { type: 'string', example: DCSA_API_VERSION },
          },
          'Next-Page-Cursor': { description: 'Pass as `cursor` for the next page', schema: { type: 'string' } },
        },
      },
      400: { description: 'Invalid parameter', schema: DcsaErrorSchema },
      404: { description: 'No location has that UN/LOCODE', schema: DcsaErrorSchema },
    },
    onInvalid: dcsaError,
    handler: async ({ query, ctx, req, reply }) => {
      const version = req.headers['api-version'];
      if (version !== undefined && String(version).trim() !== '1') {
        throw new HttpProblem('invalid-parameter', 'API-Version: only major version 1 is served here', {
          errors: [
            {
              field: 'header.API-Version',
              message: 'must be 1 (major version only)',
              value: String(version).slice(0, 20),
            },
          ],
        });
      }
      for (const [a, b] of [
        ['departureStartDate', 'departureEndDate'],
        ['arrivalStartDate', 'arrivalEndDate'],
      ] as const) {
        const from = query[a];
        const to = query[b];
        if (from !== undefined && to !== undefined && from > to) {
          throw new HttpProblem('invalid-parameter', `${a} is after ${b}`, {
            errors: [{ field: `query.${b}`, message: `must not be before ${a} (${query[a]})`, value: query[b] }],
          });
        }
      }
      const limit = Math.min(MAX_LIMIT, Number(query.limit ?? MAX_LIMIT));
      const fingerprint = filterFingerprint(query);
      let offset = 0;
      if (query.cursor !== undefined) {
        let c: { o?: unknown; f?: unknown } | undefined;
        try {
          c = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
        } catch {
          c = undefined;
        }
        if (!c || !Number.isInteger(c.o) || (c.o as number) < 0 || c.f !== fingerprint) {
          throw new HttpProblem(
            'invalid-parameter',
            'cursor is not a Next-Page-Cursor of this query (filters must stay the same)',
            {
              errors: [
                {
                  field: 'query.cursor',
                  message: 'not a Next-Page-Cursor from a request with these filters',
                  value: query.cursor.slice(0, 40),
                },
              ],
            },
          );
        }
        offset = c.o as number;
      }
      const places = (['placeOfReceipt', 'placeOfDelivery'] as const).map((k) => {
        const l = byLocode(ctx.dataset.locations, query[k]);
        if (!l) {
          const country = ctx.dataset.locations.filter((x) => x.country === query[k].slice(0, 2));
          throw new HttpProblem('unknown-place', `${k}: no location has UN/LOCODE ${query[k]}`, {
            errors: [
              {
                field: `query.${k}`,
                message: `no location has this UN/LOCODE${
                  country.length
                    ? `; in ${query[k].slice(0, 2)}: ${country
                        .slice(0, 8)
                        .map((x) => x.id)
                        .join(', ')}`
                    : ''
                }`,
                value: query[k],
              },
            ],
            candidates: country.slice(0, 8).map((x) => x.id),
          });
        }
        return l;
      });
      const [from, to] = places as [Location, Location];
      if (from.id === to.id) {
        throw new HttpProblem('invalid-parameter', 'placeOfReceipt and placeOfDelivery are the same place', {
          errors: [
            {
              field: 'query.placeOfDelivery',
              message: 'must differ from placeOfReceipt',
              value: query.placeOfDelivery,
            },
          ],
        });
      }
      reply.header('api-version', DCSA_API_VERSION);
      if ((query.receiptTypeAtOrigin ?? 'CY') !== 'CY' || (query.deliveryTypeAtDestination ?? 'CY') !== 'CY') return [];
      const day = readyDay(query, ctx.service.today());
      let all: DcsaPointToPoint[];
      try {
        all = await routingsFor(ctx, from, to, query, day);
      } catch (e) {
        if (isCorridorError(e)) {
          // The ready day comes from departureStartDate here: the engine's `ready` is that field.
          const p = problemFromCorridorError(e);
          const message = p.detail.replace(/^query\.ready: \S+/, `departure date ${day}`);
          throw new HttpProblem(p.code, message, {
            errors: [{ field: 'query.departureStartDate', message, value: day }],
          });
        }
        throw e;
      }
      const max = query.maxTranshipment !== undefined ? Number(query.maxTranshipment) : Infinity;
      // Dates compare as local dates at each place (the times carry their offsets).
      const departureDay = (p: DcsaPointToPoint) => nth(p.legs, 0).departure.dateTime.slice(0, 10);
      const arrivalDay = (p: DcsaPointToPoint) => p.placeOfDelivery.dateTime.slice(0, 10);
      const kept = all.filter(
        (p) =>
          transhipments(p) <= max &&
          (query.departureEndDate === undefined || departureDay(p) <= query.departureEndDate) &&
          (query.arrivalStartDate === undefined || arrivalDay(p) >= query.arrivalStartDate) &&
          (query.arrivalEndDate === undefined || arrivalDay(p) <= query.arrivalEndDate),
      );
      const page = kept.slice(offset, offset + limit);
      if (offset + limit < kept.length) {
        reply.header(
          'next-page-cursor',
          Buffer.from(JSON.stringify({ o: offset + limit, f: fingerprint })).toString('base64url'),
        );
      }
      return page;
    },
  });
}
