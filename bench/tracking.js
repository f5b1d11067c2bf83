/**
 * Track & trace ingestion (issue 17): events/s through POST /v2/events on SQLite — a railway's
 * feed of DEPA/ARRI events in batches of 1,000 (JSON array and NDJSON), each event placed on its
 * booking's legs, sequence-checked and stored in one transaction per batch, with the forecast
 * re-computed once per booking and batch. Goal ≥ 1,000 events/s.
 * Run on its own: `npm run build && node bench/tracking.js [--quick]`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist');
const DATA = join(HERE, '..', 'data');

export async function run({ quick = false, log = console.log } = {}) {
  const { buildApp } = await import(join(DIST, 'api', 'app.js'));
  const { configFromEnv } = await import(join(DIST, 'api', 'config.js'));
  const { loadDataset } = await import(join(DIST, 'data', 'load.js'));
  const { openStore } = await import(join(DIST, 'store', 'open.js'));
  const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-bench-tnt-')), 'b.sqlite')}`);
  const config = configFromEnv(
    { LOG_LEVEL: 'silent', RATE_LIMIT_ANONYMOUS_PER_MIN: '10000000', RATE_LIMIT_KEY_PER_MIN: '10000000' },
    { jobWorkers: 0, bodyLimitBytes: 64 * 1024 * 1024 },
  );
  const { app, ctx } = await buildApp({ config, load: loadDataset(DATA), store, today: () => '2026-12-07' });
  await app.ready();
  const plan = JSON.parse(
    (await app.inject({ method: 'GET', url: "/api/v1/plans?from=Xi'an&to=Baku&ready=2026-03-02T08:00&samples=1" }))
      .body,
  ).itineraries[0];
  // 200 bookings on the same itinerary, as a block train carries many.
  const BOOKINGS = 200;
  const shipment = (ref) => ({
    reference: ref,
    legs: plan.legs.map((l) => ({ from: l.from, to: l.to, operator: 'x', service: l.service?.id ?? null })),
    planRequest: { from: "Xi'an", to: 'Baku', ready: '2026-03-02T08:00' },
    legKeys: plan.legs.map((l) => ({
      service: l.service?.id ?? null,
      departure: new Date(Date.parse(l.departure)).toISOString(),
    })),
  });
  const ships = new Map(Array.from({ length: BOOKINGS }, (_, i) => [`B${i}`, shipment(`B${i}`)]));
  ctx.tracking.directory = {
    find: async (refs) => new Map(refs.filter((r) => ships.has(r)).map((r) => [r, ships.get(r)])),
    visibleTo: async () => 'all',
  };
  const key = (await ctx.keys.create('admin', {})).key;
  const dep = Date.parse(plan.legs[0].departure);
  const event = (i) => {
    const leg = i % plan.legs.length;
    const at = new Date(dep + leg * 86_400_000 + (i % 1000) * 1000).toISOString();
    return {
      eventID: randomUUID(),
      eventCreatedDateTime: at,
      eventType: 'TRANSPORT',
      eventClassifierCode: 'ACT',
      eventDateTime: at,
      transportEventTypeCode: i % 2 ? 'ARRI' : 'DEPA',
      transportCall: { transportCallID: `tc-${leg}`, modeOfTransport: 'RAIL', UNLocationCode: plan.legs[leg].from },
      documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: `B${i % BOOKINGS}` }],
    };
  };
  const BATCH = 1000;
  const batches = quick ? 3 : 10;
  const results = [];
  for (const format of ['json', 'ndjson']) {
    let n = 0;
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      const events = Array.from({ length: BATCH }, (_, i) => event(b * BATCH + i));
      const payload = format === 'json' ? JSON.stringify(events) : events.map((e) => JSON.stringify(e)).join('\n');
      const r = await app.inject({
        method: 'POST',
        url: '/v2/events',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': format === 'json' ? 'application/json' : 'application/x-ndjson',
        },
        payload,
      });
      if (r.statusCode !== 200) throw new Error(`POST /v2/events: ${r.statusCode} ${r.body.slice(0, 300)}`);
      const c = JSON.parse(r.body).counts;
      n += c.accepted + c.flagged;
    }
    const s = (performance.now() - t0) / 1000;
    await ctx.tracking.settled();
    const settled = (performance.now() - t0) / 1000;
    const perS = Math.round(n / s);
    log(
      `tracking ingest (${format}, batches of ${BATCH}, SQLite): ${n} events acknowledged in ${s.toFixed(2)} s = ` +
        `${perS} events/s; with every forecast revision written ${settled.toFixed(2)} s`,
    );
    results.push({
      name: `tracking ingest ${format} (SQLite)`,
      events: n,
      seconds: Math.round(s * 100) / 100,
      eventsPerS: perS,
      secondsWithForecasts: Math.round(settled * 100) / 100,
      goal: 1000,
    });
  }
  await app.close();
  await store.close();
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(out, null, 2));
}
