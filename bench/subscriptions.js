/**
 * Event subscriptions (issue 17): how fast accepted events reach subscribers — the fan-out into
 * the outbox and the signed array callbacks, on SQLite, to a local receiver that verifies every
 * signature. 10,000 events, 5 subscriptions (one for everything, four filtered), the server's
 * default dispatcher settings (100 notifications claimed per round, arrays of ≤ 100 events).
 * Run on its own: `npm run build && node bench/subscriptions.js [--quick]`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
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
  const { WebhookDispatcher } = await import(join(DIST, 'notify', 'webhook.js'));
  const { verifyNotificationSignature } = await import(join(DIST, 'notify', 'sign.js'));
  const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-bench-subs-')), 'b.sqlite')}`);
  const config = configFromEnv(
    { LOG_LEVEL: 'silent', RATE_LIMIT_ANONYMOUS_PER_MIN: '10000000', RATE_LIMIT_KEY_PER_MIN: '10000000' },
    { jobWorkers: 0, webhookPollMs: 0, bodyLimitBytes: 64 * 1024 * 1024 },
  );
  const { app, ctx } = await buildApp({ config, load: loadDataset(DATA), store, today: () => '2026-12-07' });
  await app.ready();
  // Legs away from the events' places: no milestones, so this measures delivery, not forecasts.
  const ship = { reference: 'B1', legs: [{ from: 'XXAAA', to: 'XXBBB', operator: 'x', service: null }] };
  ctx.tracking.directory = {
    find: async (refs) => new Map(refs.filter((r) => r === 'B1').map((r) => [r, ship])),
    visibleTo: async () => 'all',
  };
  const key = (await ctx.keys.create('admin', {})).key;
  const secret = randomBytes(32).toString('base64');
  const got = new Map();
  let bad = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (!verifyNotificationSignature(secret, req.headers['notification-signature'], body)) bad++;
      const path = req.url;
      const seen = got.get(path) ?? new Set();
      for (const e of JSON.parse(body)) seen.add(e.eventID);
      got.set(path, seen);
      res.writeHead(204).end();
    });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${receiver.address().port}`;
  const filters = [
    {},
    { eventType: ['EQUIPMENT'] },
    { equipmentEventTypeCode: ['LOAD'] },
    { UNLocationCode: 'KZAAU' },
    { equipmentReference: 'MSKU1234565', carrierBookingReference: 'B1' },
  ];
  for (const [i, f] of filters.entries()) {
    const r = await app.inject({
      method: 'POST',
      url: '/v2/event-subscriptions',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ callbackUrl: `${base}/s${i}`, secret, ...f }),
    });
    if (r.statusCode !== 201) throw new Error(`subscribe: ${r.statusCode} ${r.body}`);
  }
  const N = quick ? 2000 : 10_000;
  const codes = ['GTIN', 'LOAD', 'DISC', 'GTOT'];
  const places = ['KZAAU', 'AZALA', 'GEPTI', 'TRMER'];
  const events = Array.from({ length: N }, (_, i) => {
    const at = new Date(Date.parse('2026-03-02T00:00:00Z') + i * 60_000).toISOString();
    return {
      eventID: randomUUID(),
      eventCreatedDateTime: at,
      eventType: 'EQUIPMENT',
      eventClassifierCode: 'ACT',
      eventDateTime: at,
      equipmentEventTypeCode: codes[i % 4],
      emptyIndicatorCode: 'LADEN',
      equipmentReference: i % 2 ? 'MSKU1234565' : 'TGHU0000001',
      eventLocation: { UNLocationCode: places[(i >> 2) % 4] },
      documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: 'B1' }],
    };
  });
  for (let i = 0; i < N; i += 1000) {
    const r = await app.inject({
      method: 'POST',
      url: '/v2/events',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(events.slice(i, i + 1000)),
    });
    if (r.statusCode !== 200) throw new Error(`ingest: ${r.statusCode}`);
  }
  const expected = filters.map((_, i) => {
    const m = new Set();
    for (const [j, e] of events.entries()) {
      const ok = [
        true,
        true,
        e.equipmentEventTypeCode === 'LOAD',
        e.eventLocation.UNLocationCode === 'KZAAU',
        e.equipmentReference === 'MSKU1234565',
      ][i];
      if (ok) m.add(j);
    }
    return m.size;
  });
  const total = expected.reduce((a, b) => a + b, 0);
  const d = new WebhookDispatcher(store.outbox, {
    beforeRound: () => ctx.eventSubscriptions.fanOut(new Date().toISOString()),
  });
  const t0 = performance.now();
  let delivered = 0;
  for (let round = 0; round < 100_000 && delivered < total; round++) delivered += await d.tick();
  const s = (performance.now() - t0) / 1000;
  const ok = filters.every((_, i) => (got.get(`/s${i}`)?.size ?? 0) === expected[i]);
  log(
    `subscriptions: ${N} events → ${filters.length} subscriptions = ${total} notifications delivered in ` +
      `${s.toFixed(1)} s: ${Math.round(total / s)} notifications/s (fan-out, outbox, signed callbacks); ` +
      `every receiver complete: ${ok}, bad signatures: ${bad}`,
  );
  await app.close();
  await store.close();
  await new Promise((ok2) => receiver.close(ok2));
  return { notifications: total, seconds: s, perSecond: total / s, complete: ok, badSignatures: bad };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run({ quick: process.argv.includes('--quick') });
