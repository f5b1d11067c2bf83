/**
 * Event subscriptions lose nothing to a crash (run by `npm run test:multi`): a `corridor serve`
 * process is SIGKILLed while it is POSTing a callback; a second process on the same database
 * picks up the leased notifications when the lease ends, and the receiver — checking every
 * signature — has every acknowledged event after deduplication by eventID.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { verifyNotificationSignature } from '../../src/notify/sign.js';
import { openStore } from '../../src/store/open.js';
import { killStrayServers, type ServerProcess, startServerProcess } from '../helpers/server-process.js';

afterEach(killStrayServers);

const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-subs-multi-')), 'subs.sqlite')}`;
const env = {
  DATABASE_URL: db,
  JOB_WORKERS: '0',
  BOOKING_SWEEP_MS: '0',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_LEASE_MS: '1500',
  WEBHOOK_RETRY_BASE_MS: '100',
};
const secret = randomBytes(32).toString('base64');
let shipper = '';
let admin = '';
let receiver: Server;
let callback = '';
/** Each callback as received: signature valid?, event ids. */
const deliveries: { valid: boolean; ids: string[] }[] = [];
let onFirst: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const store = await openStore(db);
  try {
    const keys = new KeyService(store);
    shipper = (await keys.create('planner')).key;
    admin = (await keys.create('admin')).key;
  } finally {
    await store.close();
  }
  receiver = createServer((req, res) => {
    let body = '';
    // The sender may die mid-request: its socket errors are expected here, not failures.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        let ids: string[] = [];
        try {
          ids = (JSON.parse(body) as { eventID: string }[]).map((e) => e.eventID);
        } catch {
          res.writeHead(400).end();
          return;
        }
        const valid = verifyNotificationSignature(secret, req.headers['notification-signature'] as string, body);
        deliveries.push({ valid, ids });
        const first = onFirst;
        onFirst = undefined;
        // The first callback: the sender dies before it reads the answer.
        if (first) await first();
        if (!res.destroyed) res.writeHead(204).end();
      })();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tnt`;
}, 60_000);
afterAll(() => new Promise((ok) => receiver.close(ok)));

const auth = (k: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${k}` });

async function book(s: ServerProcess): Promise<string> {
  const ready = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const p = await fetch(`${s.url}/api/v1/plans?from=CNXIA&to=AZBAK&ready=${ready}T08:00&samples=1`);
  const routingReference = ((await p.json()) as any).itineraries[0].routingReference as string;
  const r = await fetch(`${s.url}/v2/bookings`, {
    method: 'POST',
    headers: auth(shipper),
    body: JSON.stringify({
      receiptTypeAtOrigin: 'CY',
      deliveryTypeAtDestination: 'CY',
      cargoMovementTypeAtOrigin: 'FCL',
      cargoMovementTypeAtDestination: 'FCL',
      isEquipmentSubstitutionAllowed: false,
      routingReference,
      documentParties: { bookingAgent: { partyName: 'Tracker' } },
      shipmentLocations: [{ location: { locationName: 'Routing' }, locationTypeCode: 'ROU' }],
      requestedEquipments: [{ ISOEquipmentCode: '42G1', units: 1, isShipperOwned: false }],
    }),
  });
  expect(r.status).toBe(202);
  return ((await r.json()) as any).carrierBookingRequestReference as string;
}

function events(ref: string, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(Date.now() - (n - i) * 60_000).toISOString();
    return {
      eventID: randomUUID(),
      eventCreatedDateTime: at,
      eventType: 'EQUIPMENT',
      eventClassifierCode: 'ACT',
      eventDateTime: at,
      equipmentEventTypeCode: 'GTIN',
      equipmentReference: 'MSKU1234565',
      emptyIndicatorCode: 'LADEN',
      eventLocation: { UNLocationCode: 'CNXIA' },
      documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: ref }],
    };
  });
}

async function post(s: ServerProcess, batch: { eventID: string }[]): Promise<boolean> {
  try {
    const r = await fetch(`${s.url}/v2/events`, { method: 'POST', headers: auth(admin), body: JSON.stringify(batch) });
    expect(r.status).toBe(200);
    return true;
  } catch (e) {
    if (/fetch failed|other side closed|ECONNRESET|ECONNREFUSED/.test(String(e))) return false;
    throw e;
  }
}

describe('event subscriptions across a kill -9', () => {
  it('every acknowledged event reaches the subscriber after the server is killed mid-delivery', async () => {
    const a = await startServerProcess(env);
    const ref = await book(a);
    const sub = await fetch(`${a.url}/v2/event-subscriptions`, {
      method: 'POST',
      headers: auth(shipper),
      body: JSON.stringify({ callbackUrl: callback, secret, eventType: ['EQUIPMENT'] }),
    });
    expect(sub.status).toBe(201);
    const acked = new Set<string>();
    const sent = new Set<string>();
    let killed = false;
    onFirst = async () => {
      await a.kill9();
      killed = true;
    };
    // Batches go in until the server dies under them.
    for (let i = 0; i < 200 && !killed; i++) {
      const batch = events(ref, 20);
      for (const e of batch) sent.add(e.eventID);
      if (await post(a, batch)) for (const e of batch) acked.add(e.eventID);
      else break;
    }
    while (!killed) await new Promise((r) => setTimeout(r, 20));
    expect(acked.size).toBeGreaterThan(0);
    // The callback in flight when the process died was never answered to it.
    const inFlight = deliveries[0]?.ids ?? [];
    expect(inFlight.length).toBeGreaterThan(0);

    const b = await startServerProcess(env);
    try {
      const more = events(ref, 10);
      expect(await post(b, more)).toBe(true);
      for (const e of more) {
        acked.add(e.eventID);
        sent.add(e.eventID);
      }
      const seen = () => new Set(deliveries.flatMap((d) => d.ids));
      const resent = () => new Set(deliveries.slice(1).flatMap((d) => d.ids));
      const waiting = () => [...acked].some((id) => !seen().has(id)) || inFlight.some((id) => !resent().has(id));
      for (let i = 0; i < 600 && waiting(); i++) await new Promise((r) => setTimeout(r, 100));
      const got = seen();
      expect([...acked].filter((id) => !got.has(id))).toEqual([]);
      expect([...got].filter((id) => !sent.has(id))).toEqual([]);
      expect(deliveries.every((d) => d.valid)).toBe(true);
      // …so the second process sent those events again once the dead one's lease ran out.
      const later = resent();
      expect(inFlight.filter((id) => !later.has(id))).toEqual([]);
      const st = await fetch(`${b.url}/v2/event-subscriptions/${((await sub.json()) as any).subscriptionID}`, {
        headers: auth(shipper),
      });
      const status = ((await st.json()) as any).deliveryStatus;
      expect(status.deadLettered).toBe(0);
      expect(status.delivered).toBeGreaterThanOrEqual(acked.size);
    } finally {
      await b.stop();
    }
  }, 120_000);
});
