/**
 * Bookings over HTTP. DCSA Booking 2.0 (`/v2/bookings`: create, get, update/amend, cancel; errors
 * as DCSA's ErrorResponse) for shippers; departures with capacity, held, booked and remaining;
 * operators' answers on their own legs under `/api/v1/operators/{operator}/bookings`; "my bookings",
 * the audit history, routings and webhook subscriptions under `/api/v1`. Object ownership: a
 * shipper key sees only the bookings it made, an operator key the bookings with a leg of its
 * operator (and only those legs, without the shipper's commercial terms), an admin everything.
 */
import { ActorNames } from '../guards/actors.js';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isBookingRefusal } from '../../booking/decide.js';
import { BOOKING_STATUSES, type BookingState, type LegRecord, legsOf } from '../../booking/model.js';
import { operatorIdsOf } from '../../model/operators.js';
import type { PricedDataset } from '../../model/pricing-types.js';
import { type BookingInput, type DepartureView, ownerOf, type Viewer } from '../../service/bookings.js';
import { ownerToken } from '../../store/store.js';
import { problemFromRefusal } from '../booking-errors.js';
import type { ServiceContext } from '../context.js';
import type { Parsed, RouteTable } from '../define-route.js';
import { idempotent } from '../idempotency.js';
import type { Principal } from '../keys.js';
import { HttpProblem } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { dcsaErrorFor } from './dcsa.js';

export const DCSA_BOOKING_VERSION = '2.0.4';
const dcsaError = dcsaErrorFor(DCSA_BOOKING_VERSION);
const MAX_LIMIT = 100;

const TRIMMED = /^\S(?:.*\S)?$/;
const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

const Location = z.looseObject({
  locationName: z.string().max(100).optional(),
  UNLocationCode: z.string().regex(LOCODE, 'a UN/LOCODE (e.g. CNXIA)').optional(),
});
const ShipmentLocation = z.looseObject({
  location: Location,
  locationTypeCode: z.string().max(3).describe('PRE, POL, POD, PDE, … or ROU with a routingReference'),
});
const Equipment = z.looseObject({
  ISOEquipmentCode: z.string().regex(TRIMMED).max(4).describe('ISO 6346 size-type code, e.g. 42G1'),
  units: z.number().int().min(1).max(10_000),
  isShipperOwned: z.boolean(),
  commodities: z.array(z.looseObject({ commodityType: z.string().max(550) })).optional(),
});
const CreateBookingBody = z
  .looseObject({
    receiptTypeAtOrigin: z.enum(['CY', 'SD', 'CFS']),
    deliveryTypeAtDestination: z.enum(['CY', 'SD', 'CFS']),
    cargoMovementTypeAtOrigin: z.enum(['FCL', 'LCL']),
    cargoMovementTypeAtDestination: z.enum(['FCL', 'LCL']),
    isEquipmentSubstitutionAllowed: z.boolean(),
    routingReference: z
      .string()
      .regex(TRIMMED)
      .max(5000)
      .optional()
      .describe('itineraries[].routingReference of GET /api/v1/plans, or of GET /v1/point-to-point-routes'),
    expectedDepartureDate: DATE.optional(),
    shipmentLocations: z.array(ShipmentLocation).min(1),
    requestedEquipments: z.array(Equipment).min(1).max(100),
    documentParties: z.looseObject({ bookingAgent: z.looseObject({ partyName: z.string().min(1).max(70) }) }),
  })
  .describe('DCSA Booking 2.0 CreateBooking (the fields Corridor reads are checked; the rest is kept as sent)');

const CancelBody = z.union([
  z.strictObject({ bookingStatus: z.literal('CANCELLED'), reason: z.string().max(5000).optional() }),
  z.strictObject({ amendedBookingStatus: z.literal('AMENDMENT_CANCELLED'), reason: z.string().max(5000).optional() }),
  z.strictObject({
    bookingCancellationStatus: z.literal('CANCELLATION_RECEIVED'),
    reason: z.string().max(5000).optional(),
  }),
]);

const RefParam = z.object({ bookingReference: z.string().regex(TRIMMED).max(100) });
const OperatorParam = z.object({
  operator: z
    .string()
    .max(100)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
});
const OperatorRefParam = OperatorParam.extend({ bookingReference: z.string().regex(TRIMMED).max(100) });
const Limit = z
  .string()
  .regex(/^[1-9]\d{0,2}$/, 'an integer 1–100')
  .refine((v) => Number(v) <= MAX_LIMIT, `at most ${MAX_LIMIT}`)
  .optional()
  .describe(`Page size (default 20, at most ${MAX_LIMIT})`);
const Cursor = z.string().max(200).optional().describe('Next-Page-Cursor of the previous page');

const LegOut = z.looseObject({
  seq: z.number().int(),
  operators: z.array(z.string()),
  service: z.string().nullable(),
  departure: z.string().nullable().describe('Dated departure (service@run); null: booked on request'),
  onRequest: z.boolean(),
  from: z.string(),
  to: z.string(),
  departureTime: z.string(),
  arrivalTime: z.string(),
  teu: z.number(),
  status: z.enum(['held', 'on-request', 'confirmed', 'declined', 'released']),
  note: z.string().nullable(),
});
const BookingSummary = z.looseObject({
  carrierBookingRequestReference: z.string(),
  carrierBookingReference: z.string().optional(),
  bookingStatus: z.enum(BOOKING_STATUSES),
  amendedBookingStatus: z.string().optional(),
  routingReference: z.string().nullable(),
  holdExpiresAt: z.string().nullable(),
  legs: z.array(LegOut),
  amendmentLegs: z.array(LegOut).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const DepartureOut = z.looseObject({
  id: z.string(),
  service: z.string(),
  operator: z.string(),
  kind: z.enum(['scheduled', 'when-full']),
  departsAt: z.string(),
  capacity: z.looseObject({ teu: z.number(), value: z.number(), unit: z.string(), basis: z.string() }).nullable(),
  heldTeu: z.number(),
  bookedTeu: z.number(),
  remainingTeu: z.number().nullable(),
});

export function viewerOf(p: Principal | undefined): Viewer {
  if (!p) throw new HttpProblem('unauthorized', 'bookings need an API key', {}, { 'www-authenticate': 'Bearer' });
  const owner = ownerToken(p);
  if (p.role === 'admin') return { party: p.keyId, owner, kind: 'admin', operators: [] };
  if (p.role === 'operator')
    return { party: p.keyId, owner, kind: 'operator', operators: operatorIdsOf(p.operator ?? '') };
  return { party: p.keyId, owner, kind: 'shipper', operators: [] };
}

/** Refusals as problems (which DCSA routes render as ErrorResponse). */
async function refusing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isBookingRefusal(e)) throw problemFromRefusal(e);
    throw e;
  }
}

function inputOf(body: z.infer<typeof CreateBookingBody>): BookingInput {
  const loc = (...codes: string[]) =>
    codes
      .map((c) => body.shipmentLocations.find((l) => l.locationTypeCode === c)?.location.UNLocationCode)
      .find((x) => x !== undefined);
  if (body.routingReference !== undefined) {
    const clash = body.shipmentLocations.find((l) => ['PRE', 'POL', 'POD', 'PDE'].includes(l.locationTypeCode));
    if (clash)
      throw new HttpProblem(
        'invalid-body',
        'with a routingReference, shipmentLocations must not give PRE, POL, POD or PDE',
        {
          errors: [
            {
              field: 'body.shipmentLocations',
              message: `locationTypeCode ${clash.locationTypeCode} with a routingReference (use ROU)`,
            },
          ],
        },
      );
  }
  return {
    request: body as Record<string, unknown>,
    routingReference: body.routingReference,
    equipments: body.requestedEquipments.map((e) => ({ isoCode: e.ISOEquipmentCode, units: e.units })),
    origin: loc('PRE', 'POL'),
    destination: loc('PDE', 'POD'),
    departureDate: body.expectedDepartureDate,
  };
}

const legJson = (l: LegRecord) => ({
  seq: l.seq,
  operators: l.operators,
  service: l.service,
  departure: l.departure,
  onRequest: l.departure === null,
  from: l.from,
  to: l.to,
  linkIds: l.linkIds,
  departureTime: l.departureTime,
  arrivalTime: l.arrivalTime,
  teu: l.teu,
  status: l.status,
  note: l.note,
});

/** The legs the viewer may see: all for the shipper and admins, its own for an operator. */
function seenLegs(v: Viewer, b: BookingState, legs: readonly LegRecord[]): LegRecord[] {
  if (v.kind !== 'operator' || b.owner === ownerOf(v)) return [...legs];
  return legs.filter((l) => l.operators.some((o) => v.operators.includes(o)));
}

function summary(v: Viewer, b: BookingState) {
  const amendment = b.pendingGeneration !== null ? legsOf(b, b.pendingGeneration) : null;
  return {
    carrierBookingRequestReference: b.reference,
    ...(b.carrierReference ? { carrierBookingReference: b.carrierReference } : {}),
    bookingStatus: b.status,
    ...(b.amendedStatus ? { amendedBookingStatus: b.amendedStatus } : {}),
    ...(b.cancellationStatus ? { bookingCancellationStatus: b.cancellationStatus } : {}),
    routingReference: b.routingReference,
    holdExpiresAt: b.holdExpiresAt,
    legs: seenLegs(v, b, legsOf(b, b.generation)).map(legJson),
    amendmentLegs: amendment ? seenLegs(v, b, amendment).map(legJson) : null,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

const MODE: Record<string, string> = { rail: 'RAIL', road: 'TRUCK', sea: 'VESSEL', ferry: 'VESSEL' };

function dcsaPlace(ds: PricedDataset, id: string) {
  const l = ds.locations.find((x) => x.id === id);
  const code = l?.locode?.code ?? (LOCODE.test(id) ? id : undefined);
  return { locationName: (l?.name ?? id).slice(0, 100), ...(code ? { UNLocationCode: code } : {}) };
}

/** Commercial terms an operator of one leg does not see. */
const COMMERCIAL = [
  'serviceContractReference',
  'contractQuotationReference',
  'freightPaymentTermCode',
  'originChargesPaymentTerm',
  'destinationChargesPaymentTerm',
  'declaredValue',
  'declaredValueCurrency',
  'incoTerms',
  'charges',
  'invoicePayableAt',
];

/** The DCSA Booking: the request in effect, the statuses, the transport plan and Corridor's legs. */
function dcsaBooking(ctx: ServiceContext, v: Viewer, b: BookingState, amended: boolean) {
  const request = amended ? (b.amendedRequest ?? {}) : b.request;
  const legs = legsOf(b, amended && b.pendingGeneration !== null ? b.pendingGeneration : b.generation);
  const operatorView = v.kind === 'operator' && b.owner !== ownerOf(v);
  const body: Record<string, unknown> = { ...request };
  if (operatorView) {
    for (const k of COMMERCIAL) delete body[k];
    const parties = (request.documentParties ?? {}) as Record<string, unknown>;
    body.documentParties = { bookingAgent: parties.bookingAgent };
  }
  const ds = ctx.dataset;
  const shown = seenLegs(v, b, legs);
  const feedbacks = [
    ...(b.holdExpiresAt
      ? [
          {
            severity: 'INFO',
            code: 'INFORMATIONAL_MESSAGE',
            message: `slots are held until ${b.holdExpiresAt} unless every operator confirms its legs`,
          },
        ]
      : []),
    ...legs
      .filter((l) => l.departure === null && l.status === 'on-request')
      .map((l) => ({
        severity: 'INFO',
        code: 'INFORMATIONAL_MESSAGE',
        message:
          `leg ${l.seq} (${l.from} → ${l.to}) has no published service: booked on request, ` +
          `${l.operators.join(', ')} answers`,
      })),
  ];
  return {
    ...body,
    carrierBookingRequestReference: b.reference,
    ...(b.carrierReference ? { carrierBookingReference: b.carrierReference } : {}),
    bookingStatus: b.status,
    ...(b.amendedStatus ? { amendedBookingStatus: b.amendedStatus } : {}),
    ...(b.cancellationStatus ? { bookingCancellationStatus: b.cancellationStatus } : {}),
    ...(b.routingReference ? { routingReference: b.routingReference } : {}),
    ...(b.status === 'CONFIRMED'
      ? {
          confirmedEquipments: (
            (request.requestedEquipments ?? []) as { ISOEquipmentCode: string; units: number }[]
          ).map((e) => ({ ISOEquipmentCode: e.ISOEquipmentCode, units: e.units })),
        }
      : {}),
    transportPlan: shown.map((l, i) => ({
      transportPlanStage: 'MNC',
      transportPlanStageSequenceNumber: i + 1,
      loadLocation: dcsaPlace(ds, l.from),
      dischargeLocation: dcsaPlace(ds, l.to),
      plannedDepartureDate: l.departureTime.slice(0, 10),
      plannedArrivalDate: l.arrivalTime.slice(0, 10),
      modeOfTransport: MODE[ds.links.find((x) => x.id === l.linkIds[0])?.mode ?? ''] ?? 'MULTIMODAL',
    })),
    ...(feedbacks.length ? { feedbacks } : {}),
    corridor: { holdExpiresAt: b.holdExpiresAt, legs: shown.map(legJson) },
  };
}

function page<T>(reply: FastifyReply, items: T[], limit: number, cursorOf: (t: T) => string): T[] {
  if (items.length > limit) {
    const last = items[limit - 1];
    if (last) reply.header('next-page-cursor', cursorOf(last));
    return items.slice(0, limit);
  }
  return items;
}

const dcsaHeaders = (reply: FastifyReply) => reply.header('api-version', DCSA_BOOKING_VERSION);

const DCSA_ERRORS = {
  400: { description: 'Invalid request (DCSA ErrorResponse)' },
  401: { description: 'No or invalid API key' },
  404: { description: 'No such booking (or not yours)' },
  409: { description: 'No capacity left on a departure, or a change the booking status does not allow' },
  422: { description: 'Idempotency-Key reused with another request' },
};

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  description:
    'Makes the write safe to retry: a replay returns the first response; another body with the same key is 422',
  schema: { type: 'string', maxLength: 255 },
};

type Req = Parsed<unknown, unknown, unknown>;

export function registerBookings(t: RouteTable): void {
  t.add({
    method: 'POST',
    url: '/v2/bookings',
    operationId: 'createBooking',
    summary: 'DCSA Booking 2.0: book an itinerary (holds every leg at once)',
    description:
      'Holds slots on every dated departure of the routing (`routingReference` of a plan or a DCSA point-to-point ' +
      'routing; else the first itinerary between the shipment locations on `expectedDepartureDate`), all or ' +
      'nothing, for the configured hold time. 202 with `carrierBookingRequestReference`; the booking is RECEIVED ' +
      'at once. 409 when a departure has too few slots left (nothing held).',
    tags: ['bookings'],
    access: 'planner',
    body: CreateBookingBody,
    headerParams: [IDEMPOTENCY_HEADER],
    responses: {
      202: {
        description: 'Accepted: the booking is RECEIVED with its slots held',
        schema: z.object({ carrierBookingRequestReference: z.string() }),
      },
      ...DCSA_ERRORS,
    },
    onInvalid: dcsaError,
    handler: ({ body, principal, ctx, req, reply }) =>
      refusing(async () => {
        dcsaHeaders(reply);
        const v = viewerOf(principal);
        const input = inputOf(body);
        reply.header('location', '');
        return idempotent(
          ctx,
          req,
          reply,
          (b) => {
            reply.header('location', `/v2/bookings/${b.reference}`);
            return { status: 202, body: { carrierBookingRequestReference: b.reference } };
          },
          (idem) => ctx.bookings.book(v, input, idem),
        );
      }),
  });

  t.add({
    method: 'GET',
    url: '/v2/bookings/:bookingReference',
    operationId: 'getBooking',
    summary: 'DCSA Booking 2.0: a booking by carrierBookingRequestReference or carrierBookingReference',
    tags: ['bookings'],
    access: 'planner',
    params: RefParam,
    query: z.object({ amendedContent: z.enum(['true', 'false']).optional() }).strict(),
    responses: {
      200: { description: 'The booking (DCSA Booking, with Corridor legs under `corridor`)' },
      ...DCSA_ERRORS,
    },
    onInvalid: dcsaError,
    handler: ({ params, query, principal, ctx, reply }) =>
      refusing(async () => {
        dcsaHeaders(reply);
        const v = viewerOf(principal);
        const b = await ctx.bookings.get(v, params.bookingReference);
        const amended = query.amendedContent === 'true';
        if (amended && b.amendedRequest === null)
          throw new HttpProblem('not-found', `booking ${b.reference} has no amendment`);
        return dcsaBooking(ctx, v, b, amended);
      }),
  });

  t.add({
    method: 'PUT',
    url: '/v2/bookings/:bookingReference',
    operationId: 'updateBooking',
    summary: 'DCSA Booking 2.0: update the request, or amend a confirmed booking',
    description:
      'Before confirmation the new legs replace the held ones (UPDATE_RECEIVED); on a CONFIRMED booking they are ' +
      'held beside the confirmed reservation (AMENDMENT_RECEIVED) until every operator confirms. Either way the new ' +
      'holds fit entirely, or the request fails with 409 and the old reservation stays as it was.',
    tags: ['bookings'],
    access: 'planner',
    params: RefParam,
    body: CreateBookingBody,
    headerParams: [IDEMPOTENCY_HEADER],
    responses: { 202: { description: 'Accepted (no content)' }, ...DCSA_ERRORS },
    onInvalid: dcsaError,
    handler: ({ params, body, principal, ctx, req, reply }) =>
      refusing(async () => {
        dcsaHeaders(reply);
        const v = viewerOf(principal);
        const input = inputOf(body);
        return idempotent(
          ctx,
          req,
          reply,
          () => ({ status: 202, body: null }),
          (idem) => ctx.bookings.update(v, params.bookingReference, input, idem),
        );
      }),
  });

  t.add({
    method: 'PATCH',
    url: '/v2/bookings/:bookingReference',
    operationId: 'cancelBooking',
    summary: 'DCSA Booking 2.0: cancel the request, the confirmed booking, or its amendment',
    description:
      '`bookingStatus: CANCELLED` before confirmation; `bookingCancellationStatus: CANCELLATION_RECEIVED` for a ' +
      'CONFIRMED booking (accepted at once); `amendedBookingStatus: AMENDMENT_CANCELLED` for a pending amendment. ' +
      'Every slot concerned is released in the same write. 409 when the status does not allow it.',
    tags: ['bookings'],
    access: 'planner',
    params: RefParam,
    body: CancelBody,
    headerParams: [IDEMPOTENCY_HEADER],
    responses: { 202: { description: 'Accepted (no content)' }, ...DCSA_ERRORS },
    onInvalid: dcsaError,
    handler: ({ params, body, principal, ctx, req, reply }) =>
      refusing(async () => {
        dcsaHeaders(reply);
        const v = viewerOf(principal);
        const kind = 'bookingStatus' in body ? 'request' : 'amendedBookingStatus' in body ? 'amendment' : 'confirmed';
        return idempotent(
          ctx,
          req,
          reply,
          () => ({ status: 202, body: null }),
          (idem) => ctx.bookings.cancel(v, params.bookingReference, kind, body.reason ?? null, idem),
        );
      }),
  });

  t.add({
    method: 'GET',
    url: '/api/v1/bookings',
    operationId: 'listBookings',
    summary: 'My bookings (a shipper’s own; an operator’s with a leg of its; all for admins)',
    tags: ['bookings'],
    access: 'planner',
    query: z.object({ status: z.enum(BOOKING_STATUSES).optional(), limit: Limit, cursor: Cursor }).strict(),
    responses: {
      200: { description: 'Bookings, oldest first; `Next-Page-Cursor` for more', schema: z.array(BookingSummary) },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
    },
    handler: async ({ query, principal, ctx, reply }) => {
      const v = viewerOf(principal);
      const limit = Number(query.limit ?? 20);
      const op = v.kind === 'operator' ? v.operators[0] : undefined;
      const rows = await ctx.bookings.list(v, { status: query.status, after: query.cursor, limit: limit + 1 }, op);
      return page(reply, rows, limit, (b) => b.reference).map((b) => summary(v, b));
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/bookings/:bookingReference',
    operationId: 'getBookingSummary',
    summary: 'A booking with its legs, holds and their expiry',
    tags: ['bookings'],
    access: 'planner',
    params: RefParam,
    responses: {
      200: { description: 'The booking', schema: BookingSummary },
      404: { description: 'No such booking (or not yours)', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx }) => {
      const v = viewerOf(principal);
      return summary(v, await ctx.bookings.get(v, params.bookingReference));
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/bookings/:bookingReference/history',
    operationId: 'getBookingHistory',
    summary: 'Every state change of a booking: who, when, from → to, why',
    tags: ['bookings'],
    access: 'planner',
    params: RefParam,
    responses: {
      200: {
        description: 'Oldest first',
        schema: z.array(
          z.object({
            at: z.string(),
            by: z.string().describe('Who: the key id for admins and its organisation, else the organisation'),
            from: z.string().nullable(),
            to: z.string(),
            event: z.string(),
            reason: z.string().nullable(),
          }),
        ),
      },
      404: { description: 'No such booking (or not yours)', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx }) => {
      // An operator reads the history of a booking on its legs: the shipper's key ids stay hidden from it.
      const names = new ActorNames(ctx.store, principal);
      const rows = await ctx.bookings.history(viewerOf(principal), params.bookingReference);
      return Promise.all(rows.map((r) => names.named(r, ['by'])));
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/departures',
    operationId: 'listDepartures',
    summary: 'Dated departures with capacity, held, booked and remaining TEU',
    description:
      'The runs of the services (data files + operator publications) between `after` and `before` (UTC; default ' +
      'now and 14 days on, at most 62 days), optionally of one service or calling at `from` and later `to`. A ' +
      'departs-when-full service has one departure per UTC day. Services without a published capacity have ' +
      '`capacity: null` and are booked on request.',
    tags: ['bookings'],
    access: 'read',
    query: z
      .object({
        service: z.string().max(200).optional(),
        from: z.string().max(100).optional().describe('Location id or UN/LOCODE'),
        to: z.string().max(100).optional(),
        after: z.string().max(40).optional().describe('ISO date or date-time (UTC)'),
        before: z.string().max(40).optional(),
        limit: Limit,
        cursor: Cursor,
      })
      .strict(),
    responses: {
      200: { description: 'Departures by time; `Next-Page-Cursor` for more', schema: z.array(DepartureOut) },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
      404: { description: 'Unknown service or place', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, reply }) => {
      try {
        const r = await ctx.bookings.departures({ ...query, limit: Number(query.limit ?? 20) });
        if (r.next) reply.header('next-page-cursor', r.next);
        return r.departures satisfies DepartureView[];
      } catch (e) {
        if (isBookingRefusal(e)) throw problemFromRefusal(e, 'query');
        throw e;
      }
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/routings/:reference',
    operationId: 'getRouting',
    summary: 'A routing (the legs and departures a routingReference books)',
    tags: ['bookings'],
    access: 'read',
    params: z.object({ reference: z.string().max(100) }),
    responses: {
      200: { description: 'The routing' },
      404: { description: 'No routing has this reference', schema: ProblemSchema },
    },
    handler: async ({ params, ctx }) => {
      const r = await ctx.bookings.routing(params.reference);
      if (!r) throw new HttpProblem('not-found', `no routing ${params.reference}`);
      return r;
    },
  });

  // --- operators: their legs

  const operatorOnly = (p: Req & { params: { operator: string } }): Viewer => {
    const v = viewerOf(p.principal);
    if (v.kind === 'admin') return { ...v, operators: [p.params.operator] };
    if (!v.operators.includes(p.params.operator))
      throw new HttpProblem(
        'forbidden',
        `this key is bound to operator ${v.operators.join(', ') || '(none)'}, not ${p.params.operator}`,
        { requiredRole: 'admin' },
      );
    return v;
  };

  t.add({
    method: 'GET',
    url: '/api/v1/operators/:operator/bookings',
    operationId: 'listOperatorBookings',
    summary: 'Bookings with a leg of this operator (only its legs), e.g. those awaiting an answer',
    tags: ['bookings', 'operators'],
    access: 'operator',
    params: OperatorParam,
    query: z.object({ status: z.enum(BOOKING_STATUSES).optional(), limit: Limit, cursor: Cursor }).strict(),
    responses: {
      200: { description: 'Bookings, oldest first', schema: z.array(BookingSummary) },
      403: { description: 'A key of another operator', schema: ProblemSchema },
    },
    handler: async (p) => {
      const v = operatorOnly(p);
      const limit = Number(p.query.limit ?? 20);
      const rows = await p.ctx.bookings.list(
        { ...v, kind: 'operator' },
        { status: p.query.status, after: p.query.cursor, limit: limit + 1 },
        p.params.operator,
      );
      return page(p.reply, rows, limit, (b) => b.reference).map((b) => summary({ ...v, kind: 'operator' }, b));
    },
  });

  const AnswerBody = z
    .object({
      leg: z.number().int().min(1).optional().describe('One leg (its seq); default every open leg of the operator'),
      reason: z.string().max(2000).optional(),
    })
    .strict();

  for (const action of ['confirm', 'decline', 'request-update'] as const) {
    t.add({
      method: 'POST',
      url: `/api/v1/operators/:operator/bookings/:bookingReference/${action}`,
      operationId: `${action === 'request-update' ? 'requestUpdateOf' : action}OperatorLegs`,
      summary:
        action === 'confirm'
          ? 'Confirm this operator’s legs (held slots become booked; CONFIRMED when every leg is)'
          : action === 'decline'
            ? 'Decline this operator’s legs (the booking is REJECTED, or DECLINED once confirmed; all its ' +
              'slots released)'
            : 'Ask the shipper to update the request (PENDING_UPDATE) or amend the booking (PENDING_AMENDMENT)',
      tags: ['bookings', 'operators'],
      access: 'operator',
      params: OperatorRefParam,
      body: AnswerBody,
      headerParams: [IDEMPOTENCY_HEADER],
      responses: {
        200: { description: 'The booking after the answer', schema: BookingSummary },
        403: { description: 'A key of another operator', schema: ProblemSchema },
        404: { description: 'No such booking, or no leg of this operator', schema: ProblemSchema },
        409: { description: 'Already answered, holds lapsed, or a final status', schema: ProblemSchema },
      },
      handler: (p) =>
        refusing(async () => {
          const v = operatorOnly(p);
          const { bookingReference } = p.params;
          const reason = p.body.reason ?? null;
          if (action === 'request-update')
            return summary(v, await p.ctx.bookings.askUpdate(v, bookingReference, reason));
          return idempotent(
            p.ctx,
            p.req,
            p.reply,
            (b) => ({ status: 200, body: summary(v, b) }),
            (idem) =>
              p.ctx.bookings.answer(
                v,
                bookingReference,
                { accept: action === 'confirm', seq: p.body.leg, reason },
                idem,
              ),
          );
        }),
    });
  }

  // --- webhook subscriptions

  const SubscriptionOut = z.object({
    id: z.string(),
    owner: z.string(),
    url: z.string(),
    topics: z.array(z.string()),
    createdAt: z.string(),
    secret: z.string().optional().describe('Shown once, at creation: verifies the webhook-signature header'),
  });

  t.add({
    method: 'POST',
    url: '/api/v1/subscriptions',
    operationId: 'createSubscription',
    summary: 'Subscribe a URL to notifications (bookings: DCSA BookingNotification CloudEvents, signed)',
    description:
      'Deliveries are POSTed at least once with Standard Webhooks headers (webhook-id, webhook-timestamp, ' +
      'webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with the secret returned here), retried ' +
      'with exponential backoff; deduplicate by webhook-id. A shipper key gets its bookings, an operator key the ' +
      'bookings touching its legs, an admin key everything.',
    tags: ['bookings'],
    access: 'planner',
    body: z
      .object({
        url: z.url({ protocol: /^https?$/ }).max(2000),
        topics: z.array(z.string().max(100)).min(1).max(20).optional().describe('Topic prefixes; default ["booking."]'),
      })
      .strict(),
    responses: {
      201: { description: 'Created', schema: SubscriptionOut },
      400: { description: 'Invalid body', schema: ProblemSchema },
    },
    handler: async ({ body, principal, ctx, reply }) => {
      const v = viewerOf(principal);
      const owner = v.kind === 'admin' ? '*' : v.kind === 'operator' ? `operator:${v.operators[0] ?? ''}` : ownerOf(v);
      const s = {
        id: `sub_${randomBytes(9).toString('base64url')}`,
        owner,
        url: body.url,
        secret: randomBytes(24).toString('base64url'),
        topics: body.topics ?? ['booking.'],
        createdAt: new Date().toISOString(),
      };
      await ctx.store.outbox.subscribe(s);
      reply.code(201);
      return s;
    },
  });

  const ownedSubscription = async (req: FastifyRequest, ctx: ServiceContext, id: string) => {
    const v = viewerOf(req.principal);
    const s = await ctx.store.outbox.findSubscription(id);
    // DCSA event subscriptions share the table; they are managed at /v2/event-subscriptions only.
    const mine =
      s &&
      s.kind !== 'tnt' &&
      (v.kind === 'admin' ||
        s.owner === ownerOf(v) ||
        (v.kind === 'operator' && s.owner === `operator:${v.operators[0]}`));
    if (!s || !mine) throw new HttpProblem('not-found', `no subscription ${id}`);
    return s;
  };

  t.add({
    method: 'GET',
    url: '/api/v1/subscriptions/:id',
    operationId: 'getSubscription',
    summary: 'A subscription with its recent deliveries',
    tags: ['bookings'],
    access: 'planner',
    params: z.object({ id: z.string().max(100) }),
    responses: { 200: { description: 'The subscription' }, 404: { description: 'Not found', schema: ProblemSchema } },
    handler: async ({ params, req, ctx }) => {
      const { secret: _s, ...s } = await ownedSubscription(req, ctx, params.id);
      const deliveries = await ctx.store.outbox.list({ subscription: s.id, limit: 100 });
      return { ...s, deliveries };
    },
  });

  t.add({
    method: 'DELETE',
    url: '/api/v1/subscriptions/:id',
    operationId: 'deleteSubscription',
    summary: 'Unsubscribe (undelivered notifications are dropped)',
    tags: ['bookings'],
    access: 'planner',
    params: z.object({ id: z.string().max(100) }),
    responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found', schema: ProblemSchema } },
    handler: async ({ params, req, ctx, reply }) => {
      await ownedSubscription(req, ctx, params.id);
      await ctx.store.outbox.unsubscribe(params.id);
      reply.code(204).send();
      return undefined;
    },
  });
}
