/**
 * DCSA TNT 2.2 event subscriptions over HTTP: CRUD owned by the creating key (another key gets
 * 404), responses and callback bodies valid against the spec, and delivery to a real receiver
 * that checks every Notification-Signature and, after deduplication by eventID, sees every event
 * exactly once — through an outage (503 with Retry-After), a 413 (the batch is halved), a secret
 * rotation, a redirect (never followed; dead-lettered and visible on the subscription).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyNotificationSignature } from '../../src/notify/sign.js';
import { WebhookDispatcher } from '../../src/notify/webhook.js';
import type { ShipmentDirectory, TrackedShipment } from '../../src/service/tracking.js';
import { json, testApi, type TestApi } from '../helpers/api.js';
import { tntValidators } from '../helpers/tnt-spec.js';

let api: TestApi;
let validateSub: ValidateFunction;
let validateSubList: ValidateFunction;
let validateCallback: ValidateFunction;
let plan: any;
let shipment: TrackedShipment;
const keys = { admin: '', shipper: '', viewer: '' };

interface Received {
  path: string;
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}
const received: Received[] = [];
/** Decides the answer to each callback (the receiver's behaviour, changed by the tests). */
let answer: (r: Received, events: any[]) => { status: number; headers?: Record<string, string> } = () => ({
  status: 204,
});
let receiver: Server;
let base = '';

beforeAll(async () => {
  api = await testApi({ config: { webhookPollMs: 0 } });
  const v = await tntValidators();
  validateSub = v.subscription;
  validateSubList = v.subscriptionList;
  validateCallback = v.callbackBody;

  const r = await api.get("/api/v1/plans?from=Xi'an&to=Baku&ready=2026-03-02T08:00&samples=1");
  plan = json(r).itineraries[0];
  shipment = {
    reference: 'CORS1',
    legs: plan.legs.map((l: any) => ({ from: l.from, to: l.to, operator: 'x', service: l.service?.id ?? null })),
    planRequest: { from: "Xi'an", to: 'Baku', ready: '2026-03-02T08:00' },
    legKeys: plan.legs.map((l: any) => ({
      service: l.service?.id ?? null,
      departure: new Date(Date.parse(l.departure)).toISOString(),
    })),
  };
  const directory: ShipmentDirectory = {
    find: async (refs) => new Map(refs.filter((x) => x === 'CORS1').map((x) => [x, shipment])),
    // The shipper (planner) owns CORS1; a viewer key sees no booking.
    visibleTo: async (v) => (v.role === 'planner' ? ['CORS1'] : []),
  };
  api.ctx.tracking.directory = directory;
  keys.admin = await api.key('admin');
  keys.shipper = await api.key('planner');
  keys.viewer = await api.key('viewer');

  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', status: 0, headers: req.headers, body };
      if (req.url === '/moved') {
        r.status = 302;
        received.push(r);
        res.writeHead(302, { location: `${base}/hook` }).end();
        return;
      }
      let events: any[] = [];
      try {
        events = JSON.parse(body);
      } catch {
        // an unparseable body is recorded with status 400 below
      }
      const a = Array.isArray(events) ? answer(r, events) : { status: 400 };
      r.status = a.status;
      received.push(r);
      res.writeHead(a.status, a.headers ?? {}).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await api.close();
  await new Promise((ok) => receiver.close(ok));
});

const secret = () => randomBytes(32).toString('base64');

function transport(code: 'ARRI' | 'DEPA', leg: number, at: string) {
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
    documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: 'CORS1' }],
  };
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** Every leg's departure and arrival as planned: 2 events per leg. */
function journey() {
  return plan.legs.flatMap((l: any, i: number) => [
    transport('DEPA', i, iso(Date.parse(l.departure))),
    transport('ARRI', i, iso(Date.parse(l.arrival))),
  ]);
}

describe('event subscriptions: CRUD, ownership, spec', () => {
  it('creates, lists, reads, replaces, rotates and deletes; another key gets 404; never shows the secret', async () => {
    const bad = await api.send(
      'POST',
      '/v2/event-subscriptions',
      { callbackUrl: `${base}/x`, secret: 'c2hvcnQ=' },
      keys.shipper,
    );
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('body.secret');
    const noUrl = await api.send(
      'POST',
      '/v2/event-subscriptions',
      { callbackUrl: 'ftp://x', secret: secret() },
      keys.shipper,
    );
    expect(json(noUrl).errors[0].field).toBe('body.callbackUrl');
    const unknownFilter = await api.send(
      'POST',
      '/v2/event-subscriptions',
      { callbackUrl: `${base}/x`, secret: secret(), scheduleID: 'x' },
      keys.shipper,
    );
    expect(unknownFilter.statusCode).toBe(400);
    expect(
      (await api.send('POST', '/v2/event-subscriptions', { callbackUrl: `${base}/x`, secret: secret() })).statusCode,
    ).toBe(401);

    const r = await api.send(
      'POST',
      '/v2/event-subscriptions',
      { callbackUrl: `${base}/x`, secret: secret(), eventType: ['TRANSPORT'], carrierBookingReference: 'CORS1' },
      keys.shipper,
    );
    expect(r.statusCode).toBe(201);
    expect(r.headers['api-version']).toBe('2.2.0');
    const s = json(r);
    expect(validateSub(s), JSON.stringify(validateSub.errors)).toBe(true);
    expect(s).toMatchObject({ callbackUrl: `${base}/x`, eventType: ['TRANSPORT'], carrierBookingReference: 'CORS1' });
    expect(s.secret).toBeUndefined();
    const id = s.subscriptionID;

    const list = await api.get('/v2/event-subscriptions', keys.shipper);
    expect(validateSubList(json(list)), JSON.stringify(validateSubList.errors)).toBe(true);
    expect(json(list).map((x: any) => x.subscriptionID)).toContain(id);
    expect(json(await api.get('/v2/event-subscriptions', keys.viewer))).toEqual([]);

    const mine = json(await api.get(`/v2/event-subscriptions/${id}`, keys.shipper));
    expect(mine.deliveryStatus).toMatchObject({ pending: 0, delivered: 0, deadLettered: 0, deadLetters: [] });
    expect(validateSub(mine), JSON.stringify(validateSub.errors)).toBe(true);
    expect(mine.secret).toBeUndefined();
    for (const k of [keys.viewer, keys.admin]) {
      expect((await api.get(`/v2/event-subscriptions/${id}`, k)).statusCode).toBe(404);
      expect(
        (await api.send('PUT', `/v2/event-subscriptions/${id}`, { callbackUrl: `${base}/evil` }, k)).statusCode,
      ).toBe(404);
      expect((await api.send('PUT', `/v2/event-subscriptions/${id}/secret`, { secret: secret() }, k)).statusCode).toBe(
        404,
      );
      expect((await api.send('DELETE', `/v2/event-subscriptions/${id}`, undefined, k)).statusCode).toBe(404);
    }

    const put = await api.send(
      'PUT',
      `/v2/event-subscriptions/${id}`,
      { subscriptionID: id, callbackUrl: `${base}/y`, transportEventTypeCode: ['DEPA'] },
      keys.shipper,
    );
    expect(put.statusCode).toBe(200);
    expect(validateSub(json(put)), JSON.stringify(validateSub.errors)).toBe(true);
    expect(json(put).eventType).toBeUndefined();
    expect(json(put)).toMatchObject({ callbackUrl: `${base}/y`, transportEventTypeCode: ['DEPA'] });
    const withSecret = await api.send(
      'PUT',
      `/v2/event-subscriptions/${id}`,
      { callbackUrl: `${base}/y`, secret: secret() },
      keys.shipper,
    );
    expect(json(withSecret).errors[0].field).toBe('body');
    const otherId = await api.send(
      'PUT',
      `/v2/event-subscriptions/${id}`,
      { callbackUrl: `${base}/y`, subscriptionID: randomUUID() },
      keys.shipper,
    );
    expect(json(otherId).errors[0].field).toBe('body.subscriptionID');

    expect(
      (await api.send('PUT', `/v2/event-subscriptions/${id}/secret`, { secret: secret() }, keys.shipper)).statusCode,
    ).toBe(204);
    expect(
      (await api.send('PUT', `/v2/event-subscriptions/${id}/secret`, { secret: 'x' }, keys.shipper)).statusCode,
    ).toBe(400);
    expect((await api.send('DELETE', `/v2/event-subscriptions/${id}`, undefined, keys.shipper)).statusCode).toBe(204);
    expect((await api.get(`/v2/event-subscriptions/${id}`, keys.shipper)).statusCode).toBe(404);
  });

  it('pages the list with a Next-Page cursor', async () => {
    const k = (await api.ctx.keys.create('planner')).key;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        json(await api.send('POST', '/v2/event-subscriptions', { callbackUrl: `${base}/p`, secret: secret() }, k))
          .subscriptionID,
      );
    const seen: string[] = [];
    let url = '/v2/event-subscriptions?limit=2';
    for (let i = 0; i < 5; i++) {
      const r = await api.get(url, k);
      seen.push(...json(r).map((x: any) => x.subscriptionID));
      const next = r.headers['next-page'];
      if (!next) break;
      url = `/v2/event-subscriptions?limit=2&cursor=${next}`;
    }
    expect(seen).toEqual([...ids].sort());
    expect((await api.get('/v2/event-subscriptions?cursor=zzz', k)).statusCode).toBe(400);
  });
});

describe('event subscriptions: delivery', () => {
  let clock = Date.now();
  const now = () => clock;
  const dispatcher = () =>
    new WebhookDispatcher(api.store.outbox, {
      now,
      baseDelayMs: 1000,
      maxAttempts: 4,
      beforeRound: () => api.ctx.eventSubscriptions.fanOut(new Date(clock).toISOString()),
    });
  const subscribe = async (key: string, body: Record<string, unknown>) => {
    const s = secret();
    const r = await api.send('POST', '/v2/event-subscriptions', { secret: s, ...body }, key);
    expect(r.statusCode).toBe(201);
    return { id: json(r).subscriptionID as string, secret: s };
  };
  const post = async (events: unknown[]) => {
    const r = await api.send('POST', '/v2/events', events, keys.admin);
    expect(r.statusCode).toBe(200);
    return r;
  };

  it('every event exactly once after dedup, signed, through a 503 outage with Retry-After and a 413', async () => {
    received.length = 0;
    const all = await subscribe(keys.shipper, { callbackUrl: `${base}/all` });
    const departures = await subscribe(keys.shipper, { callbackUrl: `${base}/deps`, transportEventTypeCode: ['DEPA'] });
    const blind = await subscribe(keys.viewer, { callbackUrl: `${base}/blind` });
    const secrets: Record<string, string> = { '/all': all.secret, '/deps': departures.secret, '/blind': blind.secret };
    const events = journey();
    expect(events.length).toBeGreaterThanOrEqual(8);
    // The receiver is down (503, come back in 2 minutes), then refuses arrays of more than 3 events.
    let down = true;
    answer = (_r, evs) => {
      if (down) return { status: 503, headers: { 'retry-after': '120' } };
      if (evs.length > 3) return { status: 413 };
      return { status: 204 };
    };
    await post(events.slice(0, 5));
    const d = dispatcher();
    expect(await d.tick()).toBe(0);
    expect(received.filter((r) => r.path === '/all').map((r) => r.status)).toEqual([503]);
    // Events accepted during the outage wait with the rest.
    await post(events.slice(5));
    // Backoff says 1 s, Retry-After 120 s: nothing is sent before the receiver asked, not even by
    // another instance (the pause is the subscription's, in the database).
    clock += 60_000;
    const before = received.length;
    await dispatcher().tick();
    await d.tick();
    expect(received.slice(before).filter((r) => r.path === '/all')).toEqual([]);
    down = false;
    clock += 61_000;
    // Every other round by a fresh instance: it knows the halved batch from the database.
    for (let i = 0; i < 10; i++) {
      await (i % 2 ? dispatcher() : d).tick();
      clock += 5_000;
    }
    const seen = new Map<string, Map<string, number>>();
    const ids3: Record<string, string> = { '/all': all.id, '/deps': departures.id, '/blind': blind.id };
    for (const r of received) {
      // Subscriptions of the CRUD tests above get these events too, at their own paths.
      if (r.status !== 204 || !(r.path in ids3)) continue;
      const path = r.path;
      expect(r.headers['subscription-id']).toBe(ids3[path]);
      expect(r.headers['api-version']).toBe('2.2.0');
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(verifyNotificationSignature(secrets[path]!, r.headers['notification-signature'] as string, r.body)).toBe(
        true,
      );
      expect(verifyNotificationSignature(secret(), r.headers['notification-signature'] as string, r.body)).toBe(false);
      const body = JSON.parse(r.body);
      expect(validateCallback(body), JSON.stringify(validateCallback.errors?.slice(0, 3))).toBe(true);
      const m = seen.get(path) ?? new Map<string, number>();
      for (const e of body) m.set(e.eventID, (m.get(e.eventID) ?? 0) + 1);
      seen.set(path, m);
    }
    const ids = events.map((e: any) => e.eventID).sort();
    expect([...(seen.get('/all')?.keys() ?? [])].sort()).toEqual(ids);
    expect([...(seen.get('/deps')?.keys() ?? [])].sort()).toEqual(
      events
        .filter((e: any) => e.transportEventTypeCode === 'DEPA')
        .map((e: any) => e.eventID)
        .sort(),
    );
    // The viewer key may not see CORS1: nothing reaches its receiver.
    expect(received.filter((r) => r.path === '/blind')).toEqual([]);
    // The 413 halved the batch: after it, no array of more than 3 events reached /all.
    const allPosts = received.filter((r) => r.path === '/all');
    expect(allPosts.some((r) => r.status === 413)).toBe(true);
    const last413 = allPosts.map((r) => r.status).lastIndexOf(413);
    for (const r of allPosts.slice(last413 + 1)) expect(JSON.parse(r.body).length).toBeLessThanOrEqual(3);
    // What the receiver asked for is the subscription's: any instance starts from it.
    const kept = await api.store.outbox.findSubscription(all.id);
    expect(kept?.deliveryBatch).toBeGreaterThanOrEqual(1);
    expect(kept?.deliveryBatch).toBeLessThanOrEqual(3);
    expect(Date.parse(kept?.pausedUntil ?? '')).toBeGreaterThan(0);
    // Acceptance order within each array.
    const order = new Map(events.map((e: any, i: number) => [e.eventID, i]));
    for (const r of allPosts.filter((x) => x.status === 204)) {
      const idx = JSON.parse(r.body).map((e: any) => order.get(e.eventID));
      expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    }
    const st = json(await api.get(`/v2/event-subscriptions/${all.id}`, keys.shipper)).deliveryStatus;
    expect(st).toMatchObject({ pending: 0, delivered: events.length, deadLettered: 0 });
  });

  it('signs with the rotated secret; a redirect is not followed: retried, then dead-lettered and visible', async () => {
    received.length = 0;
    answer = () => ({ status: 204 });
    const s = await subscribe(keys.shipper, { callbackUrl: `${base}/hook`, eventType: ['TRANSPORT'] });
    const fresh = secret();
    expect(
      (await api.send('PUT', `/v2/event-subscriptions/${s.id}/secret`, { secret: fresh }, keys.shipper)).statusCode,
    ).toBe(204);
    const moved = await subscribe(keys.shipper, { callbackUrl: `${base}/moved` });
    const [e] = journey();
    await post([e]);
    const d = dispatcher();
    for (let i = 0; i < 6; i++) {
      await d.tick();
      clock += 3_600_000;
    }
    const hook = received.filter((r) => r.path === '/hook');
    expect(hook).toHaveLength(1);
    expect(
      verifyNotificationSignature(fresh, hook[0]!.headers['notification-signature'] as string, hook[0]!.body),
    ).toBe(true);
    expect(
      verifyNotificationSignature(s.secret, hook[0]!.headers['notification-signature'] as string, hook[0]!.body),
    ).toBe(false);
    // 4 attempts at /moved, each a 302 never followed to /hook.
    expect(received.filter((r) => r.path === '/moved')).toHaveLength(4);
    const st = json(await api.get(`/v2/event-subscriptions/${moved.id}`, keys.shipper)).deliveryStatus;
    expect(st).toMatchObject({ pending: 0, delivered: 0, deadLettered: 1 });
    expect(st.deadLetters[0]).toMatchObject({ eventID: e.eventID, attempts: 4 });
    expect(st.deadLetters[0].lastError).toMatch(/HTTP 302.*redirects are not followed/);
  });
});
