/**
 * Track & trace over HTTP: operators post DCSA TNT 2.2 events for their own legs (403 otherwise),
 * duplicates are ignored, impossible sequences kept and flagged, the list pages by cursor within
 * what a key may see, responses validate against the spec, and each accepted milestone adds a
 * forecast revision (a late ferry moves the ETA and raises an alert).
 */
import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorIdsOf } from '../../src/model/operators.js';
import type { ShipmentDirectory, TrackedShipment } from '../../src/service/tracking.js';
import { json, testApi, type TestApi } from '../helpers/api.js';
import { tntValidators } from '../helpers/tnt-spec.js';

let api: TestApi;
let validateList: ValidateFunction;
let validateOne: ValidateFunction;
let shipment: TrackedShipment;
let plan: any;
const keys: Record<string, string> = {};

beforeAll(async () => {
  api = await testApi();
  const v = await tntValidators();
  validateList = v.eventList;
  validateOne = v.event;
  const r = await api.get("/api/v1/plans?from=Xi'an&to=Baku&ready=2026-03-02T08:00&samples=1");
  plan = json(r).itineraries[0];
  const links = new Map(api.ctx.dataset.links.map((l) => [l.id, l]));
  shipment = {
    reference: 'CORB1',
    legs: plan.legs.map((l: any) => ({
      from: l.from,
      to: l.to,
      operator: l.service?.operator ?? links.get(l.linkIds[0])?.operator ?? '',
      service: l.service?.id ?? null,
    })),
    planRequest: { from: "Xi'an", to: 'Baku', ready: '2026-03-02T08:00' },
    legKeys: plan.legs.map((l: any) => ({
      service: l.service?.id ?? null,
      departure: new Date(Date.parse(l.departure)).toISOString(),
    })),
    audience: ['org-shipper-1'],
  };
  // The shipper's webhook for alerts, and another organisation's that must not hear of them.
  for (const [id, owner] of [
    ['sub-alerts', 'org-shipper-1'],
    ['sub-other', 'org-other'],
  ] as const)
    await api.ctx.store.outbox.subscribe({
      id,
      owner,
      url: 'https://receiver.example/hook',
      secret: 's',
      topics: ['tracking.alert'],
      createdAt: '2026-12-07T00:00:00Z',
      kind: 'webhook',
    });
  const directory: ShipmentDirectory = {
    find: async (refs) => new Map(refs.filter((r) => r === 'CORB1').map((r) => [r, shipment])),
    visibleTo: async (v) => (v.role === 'operator' ? ['CORB1'] : []),
  };
  api.ctx.tracking.directory = directory;
  for (const [i, leg] of shipment.legs.entries()) {
    const op = operatorIdsOf(leg.operator)[0]!;
    keys[i] ??= (await api.ctx.keys.create('operator', { operator: op })).key;
  }
  keys.admin = await api.key('admin');
  keys.viewer = await api.key('viewer');
}, 60_000);
afterAll(() => api.close());

function transport(code: 'ARRI' | 'DEPA', leg: number, at: string, extra: Record<string, unknown> = {}) {
  const l = shipment.legs[leg]!;
  return {
    eventID: randomUUID(),
    eventCreatedDateTime: at,
    eventType: 'TRANSPORT',
    eventClassifierCode: 'ACT',
    eventDateTime: at,
    transportEventTypeCode: code,
    transportCall: {
      transportCallID: `tc-${leg}`,
      modeOfTransport: plan.legs[leg].mode === 'rail' ? 'RAIL' : 'VESSEL',
      UNLocationCode: code === 'DEPA' ? l.from : l.to,
    },
    documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: 'CORB1' }],
    ...extra,
  };
}
const post = (body: unknown, key: string, headers: Record<string, string> = {}) =>
  api.send('POST', '/v2/events', body, key, headers);
const plannedDep = (leg: number) => Date.parse(plan.legs[leg].departure);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('events in', () => {
  it('refuses an event for a leg the key does not run (403), unknown bookings (422), bad events (400)', async () => {
    const e = transport('DEPA', 0, iso(plannedDep(0)));
    const other = Object.keys(keys).find((k) => k !== '0' && keys[k] !== keys[0] && /^\d+$/.test(k));
    if (other) {
      const r = await post(e, keys[other]!);
      expect(r.statusCode).toBe(403);
      expect(json(r).errors[0].field).toBe('body[0]');
    }
    const unknown = await post(
      { ...e, documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: 'NOPE' }] },
      keys[0]!,
    );
    expect(unknown.statusCode).toBe(422);
    const bad = await post([{ ...e, eventDateTime: 'yesterday' }], keys[0]!);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('body[0].eventDateTime');
    expect((await post(e, keys.viewer!)).statusCode).toBe(403);
  });

  it('accepts, deduplicates, flags an arrival before the departure, and re-forecasts', async () => {
    const dep = transport('DEPA', 0, iso(plannedDep(0)));
    const r1 = await post([dep, dep], keys[0]!);
    expect(r1.statusCode).toBe(200);
    expect(json(r1).counts).toEqual({ accepted: 1, flagged: 0, duplicate: 1, conflict: 0 });
    expect(json(r1).forecastsQueued).toEqual(['CORB1']);
    await api.ctx.tracking.settled();
    const again = await post(dep, keys[0]!);
    expect(json(again).counts.duplicate).toBe(1);
    // NDJSON: an arrival an hour *before* the departure is impossible: kept and flagged.
    const early = transport('ARRI', 0, iso(plannedDep(0) - 3_600_000));
    const r2 = await post(`${JSON.stringify(early)}\n`, keys[0]!, { 'content-type': 'application/x-ndjson' });
    expect(r2.statusCode).toBe(200);
    expect(json(r2).items[0].outcome).toBe('flagged');
    expect(json(r2).items[0].bookings[0].flag).toMatch(/arrival .* is before the departure/);
    const stored = await api.get(`/v2/events/${early.eventID}`, keys.admin);
    expect(stored.statusCode).toBe(200);
    expect(validateOne(json(stored)), JSON.stringify(validateOne.errors)).toBe(true);
  });

  it('a late ferry departure moves the ETA later and raises an eta-later alert', async () => {
    const ferry = shipment.legs.findIndex((l) => /aktau/.test(l.service ?? ''));
    expect(ferry).toBeGreaterThan(0);
    await api.ctx.tracking.settled();
    const before = json(await api.get('/api/v1/bookings/CORB1/eta', keys.admin));
    const p90Before = Date.parse(before.current.p90);
    const lateBy = 5 * 24 * 3_600_000;
    for (let leg = 0; leg < ferry; leg++) {
      const l0 = shipment.legs[leg]!;
      const k = keys[leg]!;
      const arr = Date.parse(plan.legs[leg].arrival);
      if (leg > 0) await post(transport('DEPA', leg, iso(plannedDep(leg))), k);
      expect(l0.to).toBe(shipment.legs[leg + 1]!.from);
      await post(transport('ARRI', leg, iso(arr)), k);
    }
    const r = await post(transport('DEPA', ferry, iso(plannedDep(ferry) + lateBy)), keys[ferry]!);
    expect(r.statusCode).toBe(200);
    await api.ctx.tracking.settled();
    const eta = json(await api.get('/api/v1/bookings/CORB1/eta', keys.admin));
    expect(eta.revisions.length).toBeGreaterThanOrEqual(3);
    expect(Date.parse(eta.current.p90)).toBeGreaterThan(p90Before + 3 * 24 * 3_600_000);
    const kinds = eta.revisions.flatMap((x: any) => x.alerts.map((a: any) => a.kind));
    expect(kinds).toContain('eta-later');
    // Every alert recorded is also a notification to the shipper's subscription, written with it.
    const due = await api.ctx.store.outbox.claimDue('test', '2999-01-01T00:00:00Z', '2999-01-01T00:01:00Z', 1000);
    const alerts = due.filter((m) => m.topic === 'tracking.alert');
    expect(alerts.every((m) => m.subscription === 'sub-alerts')).toBe(true);
    expect(alerts.map((m) => m.payload.alert).sort()).toEqual([...kinds].sort());
    const later = alerts.find((m) => m.payload.alert === 'eta-later')!;
    expect(later.payload).toMatchObject({ carrierBookingRequestReference: 'CORB1', p90: eta.current.p90 });
  });
});

describe('events out', () => {
  it('GET /v2/events validates against TNT 2.2, filters, pages by cursor, hides what a key may not see', async () => {
    const all = await api.get('/v2/events?limit=100', keys.admin);
    expect(all.statusCode).toBe(200);
    expect(all.headers['api-version']).toBe('2.2.0');
    expect(validateList(json(all)), JSON.stringify(validateList.errors?.slice(0, 3))).toBe(true);
    const n = json(all).length;
    expect(n).toBeGreaterThan(3);
    const times = json(all).map((e: any) => Date.parse(e.eventDateTime));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const seen: string[] = [];
    let url = '/v2/events?limit=2';
    for (let i = 0; i < 50; i++) {
      const r = await api.get(url, keys.admin);
      seen.push(...json(r).map((e: any) => e.eventID));
      const next = r.headers['next-page'];
      if (!next) break;
      url = `/v2/events?limit=2&cursor=${next}`;
    }
    expect(seen).toEqual(json(all).map((e: any) => e.eventID));
    const deps = json(await api.get('/v2/events?transportEventTypeCode=DEPA', keys.admin));
    expect(deps.every((e: any) => e.transportEventTypeCode === 'DEPA')).toBe(true);
    expect(json(await api.get('/v2/events?eventType=SHIPMENT', keys.admin))).toEqual([]);
    expect(json(await api.get('/v2/events', keys.viewer))).toEqual([]);
    expect((await api.get('/v2/events?limit=101', keys.admin)).statusCode).toBe(400);
    expect((await api.get('/v2/events?cursor=abc', keys.admin)).statusCode).toBe(400);
    expect((await api.get('/v2/events')).statusCode).toBe(401);
    expect((await api.get(`/v2/events/${json(all)[0].eventID}`, keys.viewer)).statusCode).toBe(404);
  });
});

describe('event stream', () => {
  it('replays the booking’s events after Last-Event-ID, then streams new ones live', async () => {
    const url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${url}/api/v1/bookings/CORB1/events/stream`, {
      headers: { authorization: `Bearer ${keys.admin}`, 'last-event-id': '1' },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (pred: (t: string) => boolean) => {
      while (!pred(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil((t) => /id: 2\n/.test(t));
    expect(text).not.toMatch(/^id: 1\n/m);
    const last = shipment.legs.length - 1;
    const e = transport('ARRI', last, iso(Date.parse(plan.legs[last].arrival) + 30 * 24 * 3_600_000));
    const r = await post(e, keys[last]!);
    expect(r.statusCode).toBe(200);
    await readUntil((t) => t.includes(e.eventID));
    expect(text).toContain(`"eventID":"${e.eventID}"`);
    await readUntil((t) => t.includes('event: eta'));
    ctrl.abort();
    const missing = await api.get('/api/v1/bookings/NOPE/events/stream', keys.admin);
    expect(missing.statusCode).toBe(404);
  });
});
