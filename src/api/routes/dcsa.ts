/**
 * DCSA Commercial Schedules v1.0.3: GET /v1/point-to-point-routes.
 *
 * Until the schedules engine lands, the routings are the timeless Pareto-optimal routes laid out
 * in time from a reference departure (see docs/api.md): 00:00 UTC on `departureStartDate`, else
 * on today's date (or `departureEndDate` when that is earlier). `itinerariesFor` is the one place
 * that changes when timetabled departures exist.
 * Errors use DCSA's ErrorResponse (content type application/json), which also carries the
 * RFC 9457 fields, so both kinds of client can read them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isCorridorError } from '../../model/errors.js';
import type { Location } from '../../model/types.js';
import { findRoutes, type RouteOption } from '../../routing/route.js';
import { Lru } from '../lru.js';
import type { ServiceContext } from '../context.js';
import { problemFromCorridorError } from '../corridor-errors.js';
import type { RouteTable } from '../define-route.js';
import { nominalItineraries, type TimedItinerary } from '../dcsa/itinerary.js';
import { toPointToPoint } from '../dcsa/point-to-point.js';
import { DcsaErrorSchema, DcsaPointToPointSchema } from '../dcsa/schema.js';
import { HttpProblem, PROBLEM_TYPES } from '../problem.js';

export const DCSA_API_VERSION = '1.0.3';
const LOCODE = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE: 2 letters, then 3 of A–Z or 2–9 (e.g. CNXIA)');
const DATE = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const MAX_LIMIT = 100;

const Query = z
  .object({
    placeOfReceipt: LOCODE.describe('UN/LOCODE of the origin'),
    placeOfDelivery: LOCODE.describe('UN/LOCODE of the destination'),
    departureStartDate: DATE.optional(),
    departureEndDate: DATE.optional(),
    arrivalStartDate: DATE.optional(),
    arrivalEndDate: DATE.optional(),
    maxTranshipment: z.string().regex(/^\d{1,3}$/, 'an integer ≥ 0').optional().describe('At most this many vessel-to-vessel transhipments'),
    receiptTypeAtOrigin: z.enum(['CY', 'SD', 'CFS']).optional().describe('Only CY (container yard incl. rail ramp) is offered; SD or CFS give an empty list'),
    deliveryTypeAtDestination: z.enum(['CY', 'SD', 'CFS']).optional(),
    cargoType: z.enum(['DRY', 'REEFER']).optional().describe('REEFER avoids links that refuse reefer cargo'),
    limit: z.string().regex(/^[1-9]\d{0,5}$/, 'an integer ≥ 1').optional().describe(`Page size (default and maximum ${MAX_LIMIT})`),
    cursor: z.string().max(1024).optional().describe('Next-Page-Cursor from the previous page'),
  })
  .strict();
type Query = z.infer<typeof Query>;

const FILTER_KEYS = ['placeOfReceipt', 'placeOfDelivery', 'departureStartDate', 'departureEndDate', 'arrivalStartDate', 'arrivalEndDate', 'maxTranshipment', 'receiptTypeAtOrigin', 'deliveryTypeAtDestination', 'cargoType'] as const;

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

function referenceDeparture(q: Query, today: string): Date {
  const day = q.departureStartDate ?? (q.departureEndDate !== undefined && q.departureEndDate < today ? q.departureEndDate : today);
  return new Date(`${day}T00:00:00Z`);
}

/** Route options by origin, destination and cargo type: they do not depend on the dates. */
const optionCache = new WeakMap<ServiceContext, Lru<string, RouteOption[]>>();

/** The timed itineraries between two places. Today: nominal times on the timeless routes. */
function itinerariesFor(ctx: ServiceContext, from: Location, to: Location, q: Query, departure: Date): TimedItinerary[] {
  let cache = optionCache.get(ctx);
  if (!cache) optionCache.set(ctx, (cache = new Lru<string, RouteOption[]>(2000)));
  const key = `${from.id}|${to.id}|${q.cargoType ?? 'DRY'}`;
  let options = cache.get(key);
  if (!options) {
    options = findRoutes(ctx.networks.get(undefined), {
      from: from.id,
      to: to.id,
      explain: false,
      ...(q.cargoType === 'REEFER' ? { cargo: { reefer: true } } : {}),
    }).options;
    cache.set(key, options);
  }
  const byId = new Map(ctx.dataset.locations.map((l) => [l.id, l]));
  return nominalItineraries(options, byId, departure);
}

function dcsaError(problem: HttpProblem, req: FastifyRequest, reply: FastifyReply) {
  const errs = (problem.extra.errors as { field: string; message: string; value?: string }[] | undefined) ?? [{ field: '', message: problem.detail }];
  const title = PROBLEM_TYPES[problem.code].title;
  reply
    .code(problem.status)
    .type('application/json; charset=utf-8')
    .header('api-version', DCSA_API_VERSION)
    .send({
      // RFC 9457
      type: `/problems/${problem.code}`,
      title,
      status: problem.status,
      detail: problem.detail,
      instance: req.url.split('?')[0],
      ...(problem.extra.candidates ? { candidates: problem.extra.candidates } : {}),
      // DCSA ErrorResponse
      httpMethod: req.method,
      requestUri: req.url.slice(0, 2000),
      statusCode: problem.status,
      statusCodeText: title.slice(0, 50),
      statusCodeMessage: problem.detail.slice(0, 200),
      providerCorrelationReference: String(req.id).slice(0, 100),
      errorDateTime: `${new Date().toISOString().slice(0, 19)}Z`,
      errors: errs.map((e) => ({
        errorCode: problem.status === 404 ? 7005 : 7003,
        property: e.field.replace(/^(query|header)\./, '').slice(0, 100),
        ...(e.value !== undefined ? { value: String(e.value).slice(0, 500) } : {}),
        errorCodeText: problem.status === 404 ? 'notFound' : 'invalidQuery',
        errorCodeMessage: e.message.slice(0, 5000),
      })),
    });
  return reply;
}

export function registerDcsa(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/v1/point-to-point-routes',
    operationId: 'getPointToPointRoutes',
    summary: 'DCSA Commercial Schedules v1.0.3: point-to-point routings',
    description:
      'Routings between two UN/LOCODEs in the DCSA format. Until timetables exist, the legs carry nominal times from a reference departure at 00:00 UTC on `departureStartDate` (default today). Paginated with `limit` and `Next-Page-Cursor`.',
    tags: ['DCSA'],
    access: 'read',
    query: Query,
    headerParams: [{ name: 'API-Version', description: 'Major version only; must be 1', schema: { type: 'string', example: '1' } }],
    responses: {
      200: {
        description: 'Routings',
        schema: z.array(DcsaPointToPointSchema),
        headers: {
          'API-Version': { description: 'Version of the contract', schema: { type: 'string', example: DCSA_API_VERSION } },
          'Next-Page-Cursor': { description: 'Pass as `cursor` for the next page', schema: { type: 'string' } },
        },
      },
      400: { description: 'Invalid parameter', schema: DcsaErrorSchema },
      404: { description: 'No location has that UN/LOCODE', schema: DcsaErrorSchema },
    },
    onInvalid: dcsaError,
    handler: ({ query, ctx, req, reply }) => {
      const version = req.headers['api-version'];
      if (version !== undefined && String(version).trim() !== '1') {
        throw new HttpProblem('invalid-parameter', 'API-Version: only major version 1 is served here', { errors: [{ field: 'header.API-Version', message: 'must be 1 (major version only)', value: String(version).slice(0, 20) }] });
      }
      for (const [a, b] of [['departureStartDate', 'departureEndDate'], ['arrivalStartDate', 'arrivalEndDate']] as const) {
        if (query[a] !== undefined && query[b] !== undefined && query[a]! > query[b]!) {
          throw new HttpProblem('invalid-parameter', `${a} is after ${b}`, { errors: [{ field: `query.${b}`, message: `must not be before ${a} (${query[a]})`, value: query[b] }] });
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
          throw new HttpProblem('invalid-parameter', 'cursor is not a Next-Page-Cursor of this query (filters must stay the same)', {
            errors: [{ field: 'query.cursor', message: 'not a Next-Page-Cursor from a request with these filters', value: query.cursor.slice(0, 40) }],
          });
        }
        offset = c.o as number;
      }
      const places = (['placeOfReceipt', 'placeOfDelivery'] as const).map((k) => {
        const l = byLocode(ctx.dataset.locations, query[k]);
        if (!l) {
          const country = ctx.dataset.locations.filter((x) => x.country === query[k].slice(0, 2));
          throw new HttpProblem('unknown-place', `${k}: no location has UN/LOCODE ${query[k]}`, {
            errors: [{ field: `query.${k}`, message: `no location has this UN/LOCODE${country.length ? `; in ${query[k].slice(0, 2)}: ${country.slice(0, 8).map((x) => x.id).join(', ')}` : ''}`, value: query[k] }],
            candidates: country.slice(0, 8).map((x) => x.id),
          });
        }
        return l;
      });
      const [from, to] = places as [Location, Location];
      if (from.id === to.id) {
        throw new HttpProblem('invalid-parameter', 'placeOfReceipt and placeOfDelivery are the same place', { errors: [{ field: 'query.placeOfDelivery', message: 'must differ from placeOfReceipt', value: query.placeOfDelivery }] });
      }
      reply.header('api-version', DCSA_API_VERSION);
      if ((query.receiptTypeAtOrigin ?? 'CY') !== 'CY' || (query.deliveryTypeAtDestination ?? 'CY') !== 'CY') return [];
      const departure = referenceDeparture(query, new Date().toISOString().slice(0, 10));
      let its: TimedItinerary[];
      try {
        its = itinerariesFor(ctx, from, to, query, departure);
      } catch (e) {
        if (isCorridorError(e)) throw problemFromCorridorError(e);
        throw e;
      }
      const max = query.maxTranshipment !== undefined ? Number(query.maxTranshipment) : Infinity;
      const arrivalDay = (it: TimedItinerary) => it.arrival.toISOString().slice(0, 10);
      its = its.filter(
        (it) =>
          it.transhipments <= max &&
          (query.arrivalStartDate === undefined || arrivalDay(it) >= query.arrivalStartDate) &&
          (query.arrivalEndDate === undefined || arrivalDay(it) <= query.arrivalEndDate),
      );
      const page = its.slice(offset, offset + limit);
      if (offset + limit < its.length) {
        reply.header('next-page-cursor', Buffer.from(JSON.stringify({ o: offset + limit, f: fingerprint })).toString('base64url'));
      }
      return page.map(toPointToPoint);
    },
  });
}
