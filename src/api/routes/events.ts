/**
 * DCSA Track & Trace 2.2: `GET /v2/events` (the spec's filters, cursor paging) and
 * `GET /v2/events/{eventID}`, plus Corridor's ingestion `POST /v2/events` for operators (one event,
 * an array, or NDJSON) and the live forecast of a booking (`GET /api/v1/bookings/{ref}/eta`).
 * Events are visible only through the bookings the key may see (admin: all).
 */
import { z } from 'zod';
import { type IngestResult, TrackingRefusal, type Viewer } from '../../service/tracking.js';
import type { EventFilter, StoredTrackingEvent } from '../../store/tracking.js';
import { ownerToken } from '../../store/store.js';
import { EQUIPMENT_EVENT_CODES, SHIPMENT_EVENT_CODES, TRANSPORT_EVENT_CODES } from '../../tracking/events.js';
import type { DcsaEvent } from '../../tracking/events.js';
import type { Principal } from '../keys.js';
import type { RouteTable } from '../define-route.js';
import { MAX_BATCH, TntEventSchema } from '../dcsa/tnt-schema.js';
import { type FieldError, fieldErrors, HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';

export const TNT_API_VERSION = '2.2.0';
const MAX_LIMIT = 100;

const list = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .max(500)
    .refine(
      (s) => s.split(',').every((x) => (values as readonly string[]).includes(x.trim())),
      `a comma-separated list of ${what}: ${values.join(', ')}`,
    )
    .optional();

const CREATED_OPS = ['gte', 'gt', 'lte', 'lt', 'eq'] as const;
const DATE_TIME = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)) && /T/.test(s), 'an RFC 3339 date-time, e.g. 2026-03-05T00:00:00Z');

const EventsQuery = z
  .object({
    eventType: list(['SHIPMENT', 'TRANSPORT', 'EQUIPMENT'] as const, 'event types'),
    shipmentEventTypeCode: list(SHIPMENT_EVENT_CODES, 'shipment event codes'),
    documentTypeCode: list(
      ['CBR', 'BKG', 'SHI', 'SRM', 'TRD', 'ARN', 'VGM', 'CAS', 'CUS', 'DGD', 'OOG'] as const,
      'codes',
    ),
    carrierBookingReference: z.string().max(35).optional(),
    transportDocumentReference: z.string().max(20).optional(),
    transportEventTypeCode: list(TRANSPORT_EVENT_CODES, 'transport event codes'),
    transportCallID: z.string().max(100).optional(),
    vesselIMONumber: z.string().max(7).optional(),
    exportVoyageNumber: z.string().max(50).optional(),
    carrierServiceCode: z.string().max(5).optional(),
    UNLocationCode: z.string().max(5).optional(),
    equipmentEventTypeCode: list(EQUIPMENT_EVENT_CODES, 'equipment event codes'),
    equipmentReference: z.string().max(15).optional(),
    eventCreatedDateTime: DATE_TIME.optional(),
    'eventCreatedDateTime:gte': DATE_TIME.optional(),
    'eventCreatedDateTime:gt': DATE_TIME.optional(),
    'eventCreatedDateTime:lte': DATE_TIME.optional(),
    'eventCreatedDateTime:lt': DATE_TIME.optional(),
    'eventCreatedDateTime:eq': DATE_TIME.optional(),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,2}$/, `an integer from 1 to ${MAX_LIMIT}`)
      .refine((s) => Number(s) <= MAX_LIMIT, `at most ${MAX_LIMIT}`)
      .optional(),
    cursor: z.string().max(1024).optional(),
  })
  .strict();
type EventsQuery = z.infer<typeof EventsQuery>;

const split = (s: string | undefined) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()));

function viewerOf(p: Principal | undefined): Viewer {
  if (!p) throw new HttpProblem('unauthorized', 'events need an API key (Authorization: Bearer <key>)');
  return { keyId: p.keyId, role: p.role, operator: p.operator, owner: ownerToken(p) };
}

function filterOf(q: EventsQuery): Omit<EventFilter, 'limit'> {
  const f: Omit<EventFilter, 'limit'> = {};
  const types = split(q.eventType);
  if (types) f.eventTypes = types;
  const codes: EventFilter['typeCodes'] = {};
  const t = split(q.transportEventTypeCode);
  const e = split(q.equipmentEventTypeCode);
  const s = split(q.shipmentEventTypeCode);
  if (t) codes.TRANSPORT = t;
  if (e) codes.EQUIPMENT = e;
  if (s) codes.SHIPMENT = s;
  if (t || e || s) f.typeCodes = codes;
  const d = split(q.documentTypeCode);
  if (d) f.documentTypeCodes = d;
  if (q.carrierBookingReference !== undefined) f.booking = q.carrierBookingReference;
  const copy = [
    ['transportDocumentReference', 'transportDocumentReference'],
    ['transportCallID', 'transportCallID'],
    ['vesselIMONumber', 'vesselIMONumber'],
    ['exportVoyageNumber', 'exportVoyageNumber'],
    ['carrierServiceCode', 'carrierServiceCode'],
    ['UNLocationCode', 'locode'],
    ['equipmentReference', 'equipmentReference'],
  ] as const;
  for (const [from, to] of copy) if (q[from] !== undefined) f[to] = q[from];
  for (const op of CREATED_OPS) {
    const v = q[`eventCreatedDateTime:${op}`] ?? (op === 'eq' ? q.eventCreatedDateTime : undefined);
    if (v !== undefined) f.created = { op, at: new Date(Date.parse(v)).toISOString() };
  }
  return f;
}

function fingerprint(q: EventsQuery): string {
  const { limit: _l, cursor: _c, ...rest } = q;
  return JSON.stringify(Object.entries(rest).sort());
}

function decodeCursor(cursor: string, fp: string): { eventAt: string; eventID: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      a?: unknown;
      i?: unknown;
      f?: unknown;
    };
    if (typeof c.a === 'string' && typeof c.i === 'string' && c.f === fp) return { eventAt: c.a, eventID: c.i };
  } catch {
    // falls through to the problem below
  }
  throw invalid('query', [
    {
      field: 'query.cursor',
      message: 'not a Next-Page cursor of a request with these filters',
      value: cursor.slice(0, 40),
    },
  ]);
}

const encodeCursor = (e: StoredTrackingEvent, fp: string) =>
  Buffer.from(JSON.stringify({ a: e.eventAt, i: e.eventID, f: fp })).toString('base64url');

/** Parses the ingestion body: one event, an array, or NDJSON text; every bad event is named. */
export function parseEventBatch(raw: unknown): DcsaEvent[] {
  let items: unknown[];
  const errors: FieldError[] = [];
  if (typeof raw === 'string') {
    items = [];
    raw.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        items.push(JSON.parse(line));
      } catch {
        errors.push({ field: `body.line[${i + 1}]`, message: 'not a JSON object', value: line.slice(0, 60) });
      }
    });
  } else items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) errors.push({ field: 'body', message: 'no events' });
  if (items.length > MAX_BATCH)
    errors.push({ field: 'body', message: `at most ${MAX_BATCH} events per request, got ${items.length}` });
  const out: DcsaEvent[] = [];
  if (errors.length) throw invalid('body', errors);
  items.forEach((item, i) => {
    const r = TntEventSchema.safeParse(item, { reportInput: true });
    if (r.success) out.push(r.data as DcsaEvent);
    else
      for (const fe of fieldErrors('body', r.error).slice(0, 5))
        errors.push({ ...fe, field: fe.field.replace(/^body/, `body[${i}]`) });
  });
  if (errors.length) throw invalid('body', errors.slice(0, 100));
  return out;
}

const EventSchema = z.looseObject({ eventID: z.string(), eventType: z.string(), eventDateTime: z.string() });
const IngestOut = z.looseObject({
  counts: z.object({ accepted: z.number(), flagged: z.number(), duplicate: z.number(), conflict: z.number() }),
  items: z.array(z.looseObject({ eventID: z.string(), outcome: z.string() })),
  forecastsQueued: z.array(z.string()),
});

export function registerEvents(t: RouteTable): void {
  t.add({
    method: 'POST',
    url: '/v2/events',
    operationId: 'postEvents',
    summary: 'Operators post DCSA Track & Trace 2.2 events (one, an array, or NDJSON)',
    description:
      'Each event names its bookings with documentReferences of type BKG. An operator key may post events only ' +
      'for legs its operator runs (403 otherwise). Events are deduplicated by eventID; late events are placed by ' +
      'eventDateTime; an impossible sequence is kept, flagged and not used for the forecast. Every accepted ' +
      "milestone re-computes the booking's forecast.",
    tags: ['Track & Trace'],
    access: 'operator',
    responses: {
      200: { description: 'What became of each event', schema: IngestOut },
      400: { description: 'An event does not match the TNT 2.2 schema', schema: ProblemSchema },
      403: { description: 'An event is for a leg this key does not run', schema: ProblemSchema },
      422: { description: 'An event names no known booking', schema: ProblemSchema },
    },
    handler: async ({ req, principal, ctx }) => {
      const viewer = viewerOf(principal);
      const events = parseEventBatch(req.body);
      let r: IngestResult;
      try {
        r = await ctx.tracking.ingest(events, viewer, new Date().toISOString());
      } catch (e) {
        if (e instanceof TrackingRefusal) {
          const errors = e.events.slice(0, 100).map((x) => ({
            field: `body[${x.index}]`,
            message: x.reason,
            value: x.eventID,
          }));
          if (e.kind === 'forbidden') throw new HttpProblem('forbidden', e.message, { errors });
          throw new HttpProblem('unprocessable', e.message, { errors });
        }
        throw e;
      }
      for (const l of ctx.trackingListeners) l(r);
      return { counts: r.counts, items: r.items, forecastsQueued: r.forecastsQueued };
    },
  });

  t.add({
    method: 'GET',
    url: '/v2/events',
    operationId: 'getEvents',
    summary: 'DCSA Track & Trace 2.2: find events',
    description:
      'The spec’s filters (comma lists are OR), ordered by eventDateTime then eventID, `limit` ≤ 100 and a ' +
      '`Next-Page` cursor. Only events of bookings the key may see.',
    tags: ['Track & Trace'],
    access: 'viewer',
    query: EventsQuery,
    responses: {
      200: {
        description: 'Events',
        schema: z.array(EventSchema),
        headers: {
          'API-Version': { description: 'Version of the contract', schema: { type: 'string' } },
          'Next-Page': { description: 'Pass as `cursor` for the next page', schema: { type: 'string' } },
        },
      },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
    },
    handler: async ({ query, principal, ctx, reply }) => {
      const viewer = viewerOf(principal);
      const limit = Number(query.limit ?? MAX_LIMIT);
      const fp = fingerprint(query);
      const f: EventFilter = { ...filterOf(query), limit: limit + 1 };
      if (query.cursor !== undefined) f.after = decodeCursor(query.cursor, fp);
      const visible = await ctx.tracking.visibleBookings(viewer);
      if (visible) f.visibleBookings = [...visible];
      const rows = await ctx.store.tracking.listEvents(f);
      const page = rows.slice(0, limit);
      reply.header('api-version', TNT_API_VERSION);
      const last = page[page.length - 1];
      if (rows.length > limit && last) reply.header('next-page', encodeCursor(last, fp));
      return page.map((e) => e.body);
    },
  });

  t.add({
    method: 'GET',
    url: '/v2/events/:eventID',
    operationId: 'getEvent',
    summary: 'DCSA Track & Trace 2.2: one event by eventID',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: z.object({ eventID: z.string().max(100) }),
    responses: {
      200: { description: 'The event', schema: EventSchema },
      404: { description: 'No such event visible to this key', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx, reply }) => {
      const viewer = viewerOf(principal);
      const e = await ctx.store.tracking.findEvent(params.eventID);
      const visible = await ctx.tracking.visibleBookings(viewer);
      if (!e || (visible && !e.links.some((l) => visible.includes(l.booking))))
        throw new HttpProblem('not-found', `no event ${params.eventID} visible to this key`);
      reply.header('api-version', TNT_API_VERSION);
      return e.body;
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/bookings/:bookingReference/eta',
    operationId: 'getBookingEta',
    summary: 'The live arrival forecast of a booking, with every revision',
    description:
      'P10/P50/P90 arrival re-computed after each accepted milestone event from where the container is, the ' +
      'planned connections still reachable, and the alerts each revision raised. Oldest revision first.',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: z.object({ bookingReference: z.string().max(35) }),
    responses: {
      200: {
        description: 'Forecast history',
        schema: z.looseObject({ booking: z.string(), current: z.unknown(), revisions: z.array(z.unknown()) }),
      },
      404: { description: 'No such booking visible to this key', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx }) => {
      const viewer = viewerOf(principal);
      const visible = await ctx.tracking.visibleBookings(viewer);
      const known = (await ctx.tracking.directory.find([params.bookingReference])).has(params.bookingReference);
      if (!known || (visible && !visible.includes(params.bookingReference)))
        throw new HttpProblem('not-found', `no booking ${params.bookingReference} visible to this key`);
      const revisions = (await ctx.store.tracking.listForecasts(params.bookingReference)).map((r) => {
        const { raw: _raw, ...body } = r.body as Record<string, unknown>;
        return { revision: r.revision, triggerEventID: r.triggerEventID, ...body };
      });
      return { booking: params.bookingReference, current: revisions[revisions.length - 1] ?? null, revisions };
    },
  });
}

/** Server-Sent Events of one booking: past events (after Last-Event-ID), then live events and forecast revisions. */
export function registerEventStream(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/bookings/:bookingReference/events/stream',
    operationId: 'streamBookingEvents',
    summary: "Server-Sent Events of a booking's events and forecast revisions (for the shipment page)",
    description:
      '`event: tnt` carries a DCSA event (id = its acceptance sequence; reconnect with Last-Event-ID to resume), ' +
      '`event: eta` a new forecast revision with its alerts. Live events reach the streams of the instance that ' +
      'accepted them; a reconnect to any instance replays what was missed from the store.',
    tags: ['Track & Trace'],
    access: 'viewer',
    params: z.object({ bookingReference: z.string().max(35) }),
    responses: {
      200: { description: 'The event stream', contentType: 'text/event-stream' },
      404: { description: 'No such booking visible to this key', schema: ProblemSchema },
    },
    handler: async ({ params, principal, ctx, req, reply }) => {
      const viewer = viewerOf(principal);
      const ref = params.bookingReference;
      const visible = await ctx.tracking.visibleBookings(viewer);
      const known = (await ctx.tracking.directory.find([ref])).has(ref);
      if (!known || (visible && !visible.includes(ref)))
        throw new HttpProblem('not-found', `no booking ${ref} visible to this key`);
      const lastId = Number(req.headers['last-event-id'] ?? 0);
      let sent = Number.isInteger(lastId) && lastId > 0 ? lastId : 0;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      // Headers now, not with the first event: a fetch-based client (the web page) is open at once.
      res.flushHeaders();
      const sendEvent = (e: StoredTrackingEvent) => {
        if (e.seq <= sent) return;
        sent = e.seq;
        res.write(`id: ${e.seq}\nevent: tnt\ndata: ${JSON.stringify(e.body)}\n\n`);
      };
      // Subscribe before replaying, so nothing accepted in between is lost (sendEvent skips repeats).
      const queue: StoredTrackingEvent[] = [];
      let replaying = true;
      const onIngest = (r: IngestResult) => {
        for (const e of r.stored) if (e.links.some((l) => l.booking === ref)) replaying ? queue.push(e) : sendEvent(e);
      };
      const onForecast = (f: { booking: string; revision: number; alerts: unknown[] }) => {
        if (f.booking === ref) res.write(`event: eta\ndata: ${JSON.stringify(f)}\n\n`);
      };
      ctx.trackingListeners.push(onIngest);
      ctx.tracking.forecastListeners.push(onForecast);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        ctx.trackingListeners.splice(ctx.trackingListeners.indexOf(onIngest), 1);
        ctx.tracking.forecastListeners.splice(ctx.tracking.forecastListeners.indexOf(onForecast), 1);
      });
      for (;;) {
        const page = await ctx.store.tracking.eventsSince(sent, 500, ref);
        for (const e of page) sendEvent(e);
        if (page.length < 500) break;
      }
      replaying = false;
      for (const e of queue.splice(0)) sendEvent(e);
      return undefined;
    },
  });
}
