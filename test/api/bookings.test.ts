/**
 * Bookings over HTTP: the DCSA conformance scenarios "Dry cargo", "Routing Reference" and
 * "Carrier error response" with every response validated against the DCSA Booking 2.0.4
 * specification (vendor/dcsa/BKG_v2.0.4.yaml), holds on every leg, operators confirming their
 * own legs, ownership, idempotency, cancellation, decline and expiry releasing capacity.
 */
import { existsSync, readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

const SPEC = new URL('../../vendor/dcsa/BKG_v2.0.4.yaml', import.meta.url).pathname;
const SHARED = new URL('../../../shared/standards/dcsa/BKG_v2.0.4.yaml', import.meta.url).pathname;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let api: TestApi;
let validateCreate: ValidateFunction;
let validateCreated: ValidateFunction;
let validateBooking: ValidateFunction;
let validateError: ValidateFunction;
let validateNotification: ValidateFunction;
let shipper: string;
let otherShipper: string;
const operatorKeys = new Map<string, string>();

/** Tomorrow (UTC, real clock): holds compare departures with the real time. */
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  api = await testApi();
  // The schemas refer to each other in cycles, so they are compiled by reference, not dereferenced.
  const spec = (await SwaggerParser.parse(SPEC)) as any;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'bkg', components: draft7(spec.components) });
  const schema = (name: string) => ajv.compile({ $ref: `bkg#/components/schemas/${name}` });
  const bookings = spec.paths['/v2/bookings'];
  const one = spec.paths['/v2/bookings/{bookingReference}'];
  // The operations use exactly these components.
  expect(bookings.post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateBooking');
  expect(one.get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Booking');
  validateCreate = schema('CreateBooking');
  validateCreated = schema('CreateBookingResponse');
  validateBooking = schema('Booking');
  validateError = schema('ErrorResponse');
  validateNotification = schema('BookingNotification');
  shipper = await api.key('planner');
  otherShipper = (await api.ctx.keys.create('planner')).key;
});
afterAll(() => api.close());

/** OpenAPI 3.0's boolean exclusiveMinimum/Maximum (draft 4) as draft 7 numbers, for ajv. */
function draft7(v: any): any {
  if (Array.isArray(v)) return v.map(draft7);
  if (!v || typeof v !== 'object') return v;
  const out: any = {};
  for (const [k, x] of Object.entries(v)) out[k] = draft7(x);
  for (const [ex, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[ex] !== 'boolean') continue;
    if (out[ex] && typeof out[bound] === 'number') {
      out[ex] = out[bound];
      delete out[bound];
    } else delete out[ex];
  }
  return out;
}

const valid = (v: ValidateFunction, body: unknown) => {
  const ok = v(body);
  expect(ok, JSON.stringify(v.errors?.slice(0, 3))).toBe(true);
};

async function operatorKey(id: string): Promise<string> {
  let k = operatorKeys.get(id);
  if (!k) {
    k = (await api.ctx.keys.create('operator', { operator: id })).key;
    operatorKeys.set(id, k);
  }
  return k;
}

/** The spec's dry-cargo example, on the corridor. */
function dryCargo(extra: Record<string, unknown> = {}, units = 2) {
  return {
    receiptTypeAtOrigin: 'CY',
    deliveryTypeAtDestination: 'CY',
    cargoMovementTypeAtOrigin: 'FCL',
    cargoMovementTypeAtDestination: 'FCL',
    serviceContractReference: 'HHL51800000',
    freightPaymentTermCode: 'PRE',
    isPartialLoadAllowed: false,
    isExportDeclarationRequired: false,
    isEquipmentSubstitutionAllowed: false,
    documentParties: {
      bookingAgent: {
        partyName: 'Silk Road Forwarding',
        partyContactDetails: [{ name: 'Export desk', phone: '+86 29 0000 0000' }],
      },
    },
    partyContactDetails: [{ name: 'Li', phone: '+86 29 0000 0001' }],
    shipmentLocations: [
      { location: { locationName: "Xi'an", UNLocationCode: 'CNXIA' }, locationTypeCode: 'PRE' },
      { location: { locationName: 'Baku', UNLocationCode: 'AZBAK' }, locationTypeCode: 'PDE' },
    ],
    expectedDepartureDate: day(1),
    requestedEquipments: [
      {
        isShipperOwned: false,
        ISOEquipmentCode: '42G1',
        units,
        commodities: [
          { commodityType: 'Dry cargo, Freight all kinds', cargoGrossWeight: { value: 36000, unit: 'KGM' } },
        ],
      },
    ],
    ...extra,
  };
}

/** A booking by routing reference (shipmentLocations: ROU only). */
function byRouting(routingReference: string, units = 2) {
  const b = dryCargo({ routingReference }, units) as Record<string, unknown>;
  delete b.expectedDepartureDate;
  b.shipmentLocations = [{ location: { locationName: 'Routing' }, locationTypeCode: 'ROU' }];
  return b;
}

async function planReference(option = 0): Promise<string> {
  const r = await api.get(`/api/v1/plans?from=Xi'an&to=Baku&ready=${day(1)}T08:00&samples=1`);
  expect(r.statusCode).toBe(200);
  const ref = json(r).itineraries[option].routingReference;
  expect(ref).toMatch(/^CR[0-9A-Z]+$/);
  return ref;
}

async function create(body: unknown, key = shipper, headers: Record<string, string> = {}) {
  return api.send('POST', '/v2/bookings', body, key, headers);
}

async function confirmAll(ref: string) {
  const b = json(await api.get(`/api/v1/bookings/${ref}`, shipper));
  let last: any;
  for (const op of new Set<string>(b.legs.map((l: any) => l.operators[0]))) {
    const r = await api.send('POST', `/api/v1/operators/${op}/bookings/${ref}/confirm`, {}, await operatorKey(op));
    expect(r.statusCode, r.body).toBe(200);
    last = json(r);
  }
  return last;
}

const departureUsage = async (id: string) => {
  const [service, at] = id.split('@') as [string, string];
  const r = await api.get(`/api/v1/departures?service=${service}&after=${at}&limit=1`);
  return json(r)[0];
};

describe('DCSA Booking 2.0 conformance', () => {
  it('the spec validators reject what the spec forbids, and the vendored spec is the shared one', () => {
    expect(validateBooking({ bookingStatus: 'RECEIVED' })).toBe(false);
    expect(validateError({ statusCode: 400 })).toBe(false);
    expect(validateCreate({ receiptTypeAtOrigin: 'CY' })).toBe(false);
    valid(validateCreate, dryCargo());
    if (existsSync(SHARED)) expect(readFileSync(SPEC, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
  });

  it('Dry cargo: 202 with a reference, RECEIVED with holds on every leg, CONFIRMED after every operator', async () => {
    const r = await create(dryCargo());
    expect(r.statusCode, r.body).toBe(202);
    expect(r.headers['api-version']).toBe('2.0.4');
    valid(validateCreated, json(r));
    const ref = json(r).carrierBookingRequestReference;
    const g = await api.get(`/v2/bookings/${ref}`, shipper);
    expect(g.statusCode).toBe(200);
    const b = json(g);
    valid(validateBooking, b);
    expect(b.bookingStatus).toBe('RECEIVED');
    expect(b.serviceContractReference).toBe('HHL51800000');
    const legs = b.corridor.legs;
    expect(legs.length).toBeGreaterThan(1);
    expect(legs.some((l: any) => l.status === 'held')).toBe(true);
    for (const l of legs) expect(l.status).toBe(l.departure ? 'held' : 'on-request');
    const confirmed = await confirmAll(ref);
    expect(confirmed.bookingStatus).toBe('CONFIRMED');
    const c = json(await api.get(`/v2/bookings/${ref}`, shipper));
    valid(validateBooking, c);
    expect(c.carrierBookingReference).toMatch(/^CB/);
    expect(c.confirmedEquipments).toEqual([{ ISOEquipmentCode: '42G1', units: 2 }]);
    // The confirmed booking is also found by its carrierBookingReference.
    expect(
      json(await api.get(`/v2/bookings/${c.carrierBookingReference}`, shipper)).carrierBookingRequestReference,
    ).toBe(ref);
    const h = json(await api.get(`/api/v1/bookings/${ref}/history`, shipper));
    expect(h[0]).toMatchObject({ from: null, to: 'RECEIVED', event: 'created' });
    expect(h[h.length - 1].to).toBe('CONFIRMED');
  });

  it('Routing Reference: books exactly the planned itinerary’s departures, held then booked', async () => {
    const routing = await planReference();
    const rt = json(await api.get(`/api/v1/routings/${routing}`));
    const inventoried = rt.legs.filter((l: any) => l.departure);
    expect(inventoried.length).toBeGreaterThan(0);
    const before = await departureUsage(inventoried[0].departure);
    const r = await create(byRouting(routing));
    expect(r.statusCode, r.body).toBe(202);
    const ref = json(r).carrierBookingRequestReference;
    const b = json(await api.get(`/v2/bookings/${ref}`, shipper));
    valid(validateBooking, b);
    expect(b.routingReference).toBe(routing);
    expect(b.corridor.legs.map((l: any) => l.departure)).toEqual(rt.legs.map((l: any) => l.departure));
    const held = await departureUsage(inventoried[0].departure);
    expect(held.heldTeu).toBe(before.heldTeu + 4);
    expect(held.remainingTeu).toBe(before.remainingTeu - 4);
    await confirmAll(ref);
    const booked = await departureUsage(inventoried[0].departure);
    expect(booked).toMatchObject({ heldTeu: before.heldTeu, bookedTeu: before.bookedTeu + 4 });
  });

  it('Carrier error response: invalid request, unknown booking, invalid transition, unknown routing', async () => {
    const bad = await create({ ...dryCargo(), documentParties: undefined });
    expect(bad.statusCode).toBe(400);
    valid(validateError, json(bad));
    expect(json(bad).errors[0].property).toBe('documentParties');
    const missing = await api.get('/v2/bookings/BRNOSUCHREF', shipper);
    expect(missing.statusCode).toBe(404);
    valid(validateError, json(missing));
    const unknownRouting = await create(byRouting('CRNOTAROUTING'));
    expect(unknownRouting.statusCode).toBe(400);
    valid(validateError, json(unknownRouting));
    expect(json(unknownRouting).errors[0].property).toBe('routingReference');
    const ref = json(await create(dryCargo())).carrierBookingRequestReference;
    await confirmAll(ref);
    const conflict = await api.send('PATCH', `/v2/bookings/${ref}`, { bookingStatus: 'CANCELLED' }, shipper);
    expect(conflict.statusCode).toBe(409);
    valid(validateError, json(conflict));
    expect(json(conflict).status).toBe(409);
  });
});

describe('bookings: ownership, idempotency, cancel, decline, expiry', () => {
  it('another shipper does not see the booking; an operator sees only its legs and no commercial terms', async () => {
    const ref = json(await create(dryCargo())).carrierBookingRequestReference;
    expect((await api.get(`/v2/bookings/${ref}`, otherShipper)).statusCode).toBe(404);
    expect(
      (await api.send('PATCH', `/v2/bookings/${ref}`, { bookingStatus: 'CANCELLED' }, otherShipper)).statusCode,
    ).toBe(404);
    const mine = json(await api.get('/api/v1/bookings?limit=100', otherShipper));
    expect(mine.map((b: any) => b.carrierBookingRequestReference)).not.toContain(ref);
    const china = await operatorKey('china-railway');
    const seen = json(await api.get(`/v2/bookings/${ref}`, china));
    expect(seen.serviceContractReference).toBeUndefined();
    expect(seen.corridor.legs.every((l: any) => l.operators.includes('china-railway'))).toBe(true);
    const list = json(await api.get('/api/v1/operators/china-railway/bookings?limit=100', china));
    expect(list.map((b: any) => b.carrierBookingRequestReference)).toContain(ref);
    expect((await api.get('/api/v1/operators/ady/bookings', china)).statusCode).toBe(403);
    // An operator without a leg on it cannot answer.
    const r = await api.send('POST', `/api/v1/operators/tcdd/bookings/${ref}/confirm`, {}, await operatorKey('tcdd'));
    expect(r.statusCode).toBe(404);
  });

  it("a booking belongs to the shipper's organisation: a colleague sees and cancels it, others cannot", async () => {
    const ref = json(await create(dryCargo())).carrierBookingRequestReference;
    const colleague = await api.keyIn('planner', 'test-org');
    const stranger = await api.keyIn('planner', 'another-org');
    expect((await api.get(`/v2/bookings/${ref}`, stranger)).statusCode).toBe(404);
    const theirs = json(await api.get('/api/v1/bookings?limit=100', stranger));
    expect(theirs.map((b: any) => b.carrierBookingRequestReference)).not.toContain(ref);
    expect((await api.get(`/v2/bookings/${ref}`, colleague)).statusCode).toBe(200);
    const ours = json(await api.get('/api/v1/bookings?limit=100', colleague));
    expect(ours.map((b: any) => b.carrierBookingRequestReference)).toContain(ref);
    const cancel = await api.send('PATCH', `/v2/bookings/${ref}`, { bookingStatus: 'CANCELLED' }, colleague);
    expect(cancel.statusCode).toBe(202);
    // The history names the key that did it, not just the organisation.
    const history = json(await api.get(`/api/v1/bookings/${ref}/history`, shipper));
    expect(JSON.stringify(history)).toContain(colleague.split('_')[1]);
  });

  it('Idempotency-Key: a replay returns the first response and holds nothing more; another body is 422', async () => {
    const routing = await planReference();
    const dep = json(await api.get(`/api/v1/routings/${routing}`)).legs.find((l: any) => l.departure).departure;
    const before = await departureUsage(dep);
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    const a = await create(byRouting(routing, 1), shipper, headers);
    const b = await create(byRouting(routing, 1), shipper, headers);
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(json(b)).toEqual(json(a));
    expect((await departureUsage(dep)).heldTeu).toBe(before.heldTeu + 2);
    const c = await create(byRouting(routing, 3), shipper, headers);
    expect(c.statusCode).toBe(422);
    valid(validateError, json(c));
  });

  it('cancel releases every held slot; a declined leg rejects the booking and releases the others', async () => {
    const routing = await planReference();
    const dep = json(await api.get(`/api/v1/routings/${routing}`)).legs.find((l: any) => l.departure).departure;
    const before = await departureUsage(dep);
    const ref = json(await create(byRouting(routing))).carrierBookingRequestReference;
    expect(
      (await api.send('PATCH', `/v2/bookings/${ref}`, { bookingStatus: 'CANCELLED', reason: 'no' }, shipper))
        .statusCode,
    ).toBe(202);
    expect(json(await api.get(`/v2/bookings/${ref}`, shipper)).bookingStatus).toBe('CANCELLED');
    expect((await departureUsage(dep)).heldTeu).toBe(before.heldTeu);

    const ref2 = json(await create(byRouting(routing))).carrierBookingRequestReference;
    const china = await operatorKey('china-railway');
    expect(
      (await api.send('POST', `/api/v1/operators/china-railway/bookings/${ref2}/confirm`, {}, china)).statusCode,
    ).toBe(200);
    expect((await departureUsage(dep)).bookedTeu).toBe(before.bookedTeu + 4);
    const d = await api.send(
      'POST',
      `/api/v1/operators/ady/bookings/${ref2}/decline`,
      { reason: 'line works' },
      await operatorKey('ady'),
    );
    expect(d.statusCode, d.body).toBe(200);
    expect(json(d).bookingStatus).toBe('REJECTED');
    expect(await departureUsage(dep)).toMatchObject({ heldTeu: before.heldTeu, bookedTeu: before.bookedTeu });
    const again = await api.send('POST', `/api/v1/operators/china-railway/bookings/${ref2}/confirm`, {}, china);
    expect(again.statusCode).toBe(409);
  });

  it('holds lapse after the hold time: the sweep rejects the booking and releases its slots', async () => {
    const routing = await planReference();
    const dep = json(await api.get(`/api/v1/routings/${routing}`)).legs.find((l: any) => l.departure).departure;
    const before = await departureUsage(dep);
    const c = await create(byRouting(routing));
    expect(c.statusCode, c.body).toBe(202);
    const ref = json(c).carrierBookingRequestReference;
    expect((await departureUsage(dep)).heldTeu, JSON.stringify([dep, before, await departureUsage(dep)])).toBe(
      before.heldTeu + 4,
    );
    const later = new Date(Date.now() + 31 * 60_000).toISOString();
    expect(await api.ctx.bookings.sweep(later)).toBeGreaterThanOrEqual(1);
    const b = json(await api.get(`/api/v1/bookings/${ref}`, shipper));
    expect(b.bookingStatus).toBe('REJECTED');
    // Every hold of this file lapses by then (confirmed slots are booked, not held).
    expect(await departureUsage(dep)).toMatchObject({ heldTeu: 0, bookedTeu: before.bookedTeu });
  });

  it('an operator publishes a capacity for a departs-when-full feeder: it gets inventory and fills up', async () => {
    const feeder = JSON.parse(JSON.stringify(api.ctx.dataset.services?.find((s) => s.id === 'aktau-alat-feeder')));
    feeder.capacityPerDeparture = {
      value: 4,
      unit: 'TEU',
      assumption: 'test: a deliberately tiny feeder so that two bookings of 2 × 40 ft fill it',
    };
    const kmtf = await operatorKey('kazmortransflot');
    const p = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/services/aktau-alat-feeder',
      { service: feeder, source: 'https://example.org/kmtf/2026' },
      kmtf,
    );
    expect(p.statusCode, p.body).toBe(200);
    const routing = await planReference();
    const legs = json(await api.get(`/api/v1/routings/${routing}`)).legs;
    const feederLeg = legs.find((l: any) => l.service === 'aktau-alat-feeder');
    expect(feederLeg.departure).toMatch(/^aktau-alat-feeder@\d{4}-\d\d-\d\d$/);
    const a = await create(byRouting(routing));
    expect(a.statusCode, a.body).toBe(202);
    const full = await create(byRouting(routing));
    expect(full.statusCode).toBe(409);
    valid(validateError, json(full));
    expect(json(full).departure).toBe(feederLeg.departure);
    const usage = await departureUsage(feederLeg.departure);
    expect(usage).toMatchObject({ heldTeu: 4, remainingTeu: 0 });
    await api.send('DELETE', '/api/v1/operators/kazmortransflot/services/aktau-alat-feeder', undefined, kmtf);
  });

  it('notifications: outbox rows with the change, delivered signed as DCSA BookingNotification', async () => {
    const s = json(await api.send('POST', '/api/v1/subscriptions', { url: 'http://127.0.0.1:9/hook' }, shipper));
    expect(s.secret).toBeTruthy();
    const ref = json(await create(dryCargo())).carrierBookingRequestReference;
    const got: { headers: Record<string, string>; body: string }[] = [];
    const { WebhookDispatcher } = await import('../../src/notify/webhook.js');
    const { verifySignature } = await import('../../src/notify/sign.js');
    const d = new WebhookDispatcher(api.store.outbox, {
      fetch: (async (_url: string, init: RequestInit) => {
        got.push({ headers: init.headers as Record<string, string>, body: String(init.body) });
        return new Response(null, { status: got.length === 1 ? 500 : 204 });
      }) as unknown as typeof fetch,
      baseDelayMs: 0,
    });
    await d.tick();
    await d.tick();
    expect(got.length).toBe(2);
    expect(got[0]?.headers['webhook-id']).toBe(got[1]?.headers['webhook-id']);
    const event = JSON.parse(got[1]?.body ?? '{}');
    valid(validateNotification, event);
    expect(event.data).toMatchObject({ carrierBookingRequestReference: ref, bookingStatus: 'RECEIVED' });
    expect(verifySignature(s.secret, got[1]?.headers ?? {}, got[1]?.body ?? '')).toBe(true);
    expect(verifySignature('wrong', got[1]?.headers ?? {}, got[1]?.body ?? '')).toBe(false);
    const sub = json(await api.get(`/api/v1/subscriptions/${s.id}`, shipper));
    expect(sub.secret).toBeUndefined();
    expect(sub.deliveries[0].deliveredAt).toBeTruthy();
  });
});

describe('departures', () => {
  it('lists dated runs with capacity in TEU, pages with a cursor, and names a bad parameter', async () => {
    const r = await api.get('/api/v1/departures?service=xian-dostyk-block-train&limit=3');
    expect(r.statusCode).toBe(200);
    const rows = json(r);
    expect(rows).toHaveLength(3);
    expect(rows[0].capacity).toMatchObject({ teu: 110, value: 55, unit: 'wagons' });
    const next = json(
      await api.get(
        `/api/v1/departures?service=xian-dostyk-block-train&limit=3&cursor=${r.headers['next-page-cursor']}`,
      ),
    );
    expect(next[0].departsAt > rows[2].departsAt).toBe(true);
    const bad = await api.get('/api/v1/departures?service=no-such-service');
    expect(bad.statusCode).toBe(404);
    expect((await api.get('/api/v1/departures?limit=500')).statusCode).toBe(400);
  });
});

// Last: its booking stays on the shared departures the tests above count.
describe('operators answer their own legs', () => {
  it('an admin confirming through one operator’s route confirms that operator’s legs only', async () => {
    const ref = json(await create(dryCargo())).carrierBookingRequestReference;
    const b = json(await api.get(`/api/v1/bookings/${ref}`, shipper));
    const first = b.legs[0].operators[0];
    const others = b.legs.filter((l: any) => !l.operators.includes(first));
    expect(others.length).toBeGreaterThan(0);
    const r = await api.send('POST', `/api/v1/operators/${first}/bookings/${ref}/confirm`, {}, await api.key('admin'));
    expect(r.statusCode, r.body).toBe(200);
    const after = json(await api.get(`/api/v1/bookings/${ref}`, shipper));
    for (const l of after.legs)
      expect(l.status === 'confirmed', `leg ${l.seq} of ${l.operators}`).toBe(l.operators.includes(first));
    expect(after.bookingStatus).toBe('RECEIVED');
  });
});
