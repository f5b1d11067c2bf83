/**
 * No slot sold twice across server processes and crashes (run by `npm run test:multi`): three
 * `corridor serve` instances on one PostgreSQL race for the last slots of a departure; then an
 * instance is SIGKILLed during a burst of bookings, and every acknowledged booking is present,
 * with the departure's held slots equal to what the stored legs hold (no capacity leaked).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import { killStrayServers, type ServerProcess, startServerProcess } from '../helpers/server-process.js';

afterEach(killStrayServers);

const pgUrl = process.env.TEST_PG_URL;
if (!pgUrl && process.env.CORRIDOR_REQUIRE_PG === '1') {
  describe('bookings across instances', () => {
    it('needs TEST_PG_URL', () => {
      throw new Error('CORRIDOR_REQUIRE_PG=1 but TEST_PG_URL is not set');
    });
  });
}

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let admin: pg.Client;
let db = '';
let dbName = '';
let key = '';

async function routingOn(s: ServerProcess, ready: string) {
  const r = await fetch(`${s.url}/api/v1/plans?from=CNXIA&to=AZBAK&ready=${ready}T08:00&samples=1`);
  expect(r.status).toBe(200);
  const ref = ((await r.json()) as any).itineraries[0].routingReference as string;
  const routing = (await (await fetch(`${s.url}/api/v1/routings/${ref}`)).json()) as any;
  const dep = routing.legs.find((l: any) => l.departure).departure as string;
  return { ref, dep };
}

function body(routingReference: string, units: number) {
  return JSON.stringify({
    receiptTypeAtOrigin: 'CY',
    deliveryTypeAtDestination: 'CY',
    cargoMovementTypeAtOrigin: 'FCL',
    cargoMovementTypeAtDestination: 'FCL',
    isEquipmentSubstitutionAllowed: false,
    routingReference,
    documentParties: { bookingAgent: { partyName: 'Racer' } },
    shipmentLocations: [{ location: { locationName: 'Routing' }, locationTypeCode: 'ROU' }],
    requestedEquipments: [{ ISOEquipmentCode: '42G1', units, isShipperOwned: false }],
  });
}

const book = (s: ServerProcess, routing: string, units: number) =>
  fetch(`${s.url}/v2/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: body(routing, units),
  });

async function accounting(dep: string) {
  const row = (await admin.query(`SELECT held_teu, booked_teu, capacity_teu FROM departures WHERE id = $1`, [dep]))
    .rows[0];
  const legs = (
    await admin.query(
      `SELECT COALESCE(SUM(teu), 0) AS held FROM booking_legs WHERE departure = $1 AND status = 'held'`,
      [dep],
    )
  ).rows[0];
  return {
    held: Number(row?.held_teu),
    booked: Number(row?.booked_teu),
    capacity: Number(row?.capacity_teu),
    legsHeld: Number(legs?.held),
  };
}

describe.skipIf(!pgUrl)('bookings across instances and crashes (PostgreSQL)', () => {
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    dbName = `corridor_bk_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(pgUrl ?? '');
    u.pathname = `/${dbName}`;
    db = u.toString();
    const store = await openStore(db);
    try {
      key = (await new KeyService(store).create('planner')).key;
    } finally {
      await store.close();
    }
    // The accounting queries read the new database directly.
    await admin.end();
    admin = new pg.Client({ connectionString: db });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    const a = new pg.Client({ connectionString: pgUrl });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await a.end();
  });

  it('three instances race for the last slots: exactly the capacity is sold, every loser told why', async () => {
    const servers = await Promise.all(
      [0, 1, 2].map(() => startServerProcess({ DATABASE_URL: db, JOB_WORKERS: '0', BOOKING_SWEEP_MS: '0' })),
    );
    try {
      const { ref, dep } = await routingOn(servers[0] as ServerProcess, day(2));
      // Each instance plans too, so every one has the same routing stored (same reference).
      for (const s of servers) expect((await routingOn(s, day(2))).ref).toBe(ref);
      const results = await Promise.all(
        Array.from({ length: 90 }, (_, i) => book(servers[i % 3] as ServerProcess, ref, 1)),
      );
      const codes = await Promise.all(
        results.map(async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as any })),
      );
      const won = codes.filter((c) => c.status === 202);
      const lost = codes.filter((c) => c.status !== 202);
      const a = await accounting(dep);
      // 110 TEU per train (55 wagons × 2 TEU), 2 TEU per booking of one 40' box.
      expect(a.capacity).toBe(110);
      expect(won.length).toBe(55);
      expect(a).toMatchObject({ held: 110, legsHeld: 110 });
      for (const l of lost) {
        expect(l.status).toBe(409);
        expect(l.body.type).toBe('/problems/no-capacity');
        expect(l.body.departure).toBe(dep);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  }, 120_000);

  it('kill -9 during a burst of bookings: every acknowledged booking is there and no capacity leaked', async () => {
    const a = await startServerProcess({ DATABASE_URL: db, JOB_WORKERS: '0', BOOKING_SWEEP_MS: '0' });
    const { ref, dep } = await routingOn(a, day(3));
    const acked: string[] = [];
    let stop = false;
    let sent = 0;
    const writer = async () => {
      while (!stop) {
        sent++;
        try {
          const r = await book(a, ref, 1);
          if (r.status === 202) acked.push(((await r.json()) as any).carrierBookingRequestReference);
          else if (r.status !== 409) throw new Error(`unexpected ${r.status}`);
        } catch (e) {
          if (!stop && !/fetch failed|other side closed|ECONNRESET/.test(String(e))) throw e;
          return;
        }
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    while (acked.length < 10) await new Promise((r) => setTimeout(r, 10));
    await a.kill9();
    stop = true;
    await Promise.all(writers);
    expect(sent).toBeGreaterThan(acked.length);
    const b = await startServerProcess({ DATABASE_URL: db, JOB_WORKERS: '0', BOOKING_SWEEP_MS: '0' });
    try {
      for (const r of acked) {
        const g = await fetch(`${b.url}/api/v1/bookings/${r}`, { headers: { authorization: `Bearer ${key}` } });
        expect(g.status, `acknowledged ${r} is missing`).toBe(200);
        expect(((await g.json()) as any).bookingStatus).toBe('RECEIVED');
      }
      const acc = await accounting(dep);
      expect(acc.held).toBe(acc.legsHeld);
      expect(acc.held).toBeGreaterThanOrEqual(acked.length * 2);
      expect(acc.held + acc.booked).toBeLessThanOrEqual(acc.capacity);
    } finally {
      await b.stop();
    }
  }, 120_000);
});
