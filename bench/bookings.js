/**
 * Booking holds: holds/s and p99 latency of the store's all-or-nothing hold (one booking of one
 * leg, 1 TEU, in one transaction with its history and outbox), 50 concurrent clients, on SQLite and
 * (with TEST_PG_URL) PostgreSQL with one instance and with three (three processes, each with its
 * own connection pool, the 50 clients split among them, as three API instances would be);
 * contended (10 departures) and uncontended (1,000 departures).
 * `npm run build && node bench/bookings.js [--holds N]`. Prints one line per case and writes
 * bench/results/bookings.json. Issue #16's goal: ≥ 500 holds/s, p99 ≤ 50 ms on SQLite uncontended.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBooking } from '../dist/booking/decide.js';
import { openStore } from '../dist/store/open.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const HOLDS = arg('--holds', 4000);
const CLIENTS = 50;
const NOW = new Date().toISOString();

function change(ref, dep) {
  return createBooking({
    reference: ref,
    owner: 'bench',
    request: { receiptTypeAtOrigin: 'CY' },
    routingReference: null,
    teu: 1,
    holdMinutes: 30,
    by: 'bench',
    now: NOW,
    legs: [
      {
        leg: {
          seq: 1,
          operators: ['op'],
          operatorName: 'op',
          service: 's',
          serviceName: 's',
          departure: dep,
          departsAt: NOW,
          capacity: { value: 1e9, unit: 'TEU' },
          from: 'A',
          to: 'B',
          fromName: 'A',
          toName: 'B',
          mode: 'rail',
          linkIds: ['l'],
          departureTime: NOW,
          arrivalTime: NOW,
        },
        departure: { id: dep, service: 's', operator: 'op', departsAt: NOW, capacityTeu: 1e9 },
      },
    ],
  });
}

/** Holds `from, from + step, …` below `HOLDS` with `clients` concurrent clients; the latencies in ms. */
async function holdAll(store, departures, label, clients, from = 0, step = 1) {
  const lat = [];
  let next = from;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next;
        next += step;
        if (i >= HOLDS) return;
        const s = performance.now();
        await store.bookings.create(change(`${label}${String(i).padStart(7, '0')}`, `d@${i % departures}`));
        lat.push(performance.now() - s);
      }
    }),
  );
  return lat;
}

function summary(lat, secs) {
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { holdsPerS: Math.round(lat.length / secs), p50Ms: +q(0.5).toFixed(1), p99Ms: +q(0.99).toFixed(1) };
}

async function run(store, departures, label) {
  const t0 = performance.now();
  const lat = await holdAll(store, departures, label, CLIENTS);
  return summary(lat, (performance.now() - t0) / 1000);
}

const INSTANCES = 3;
const pgStore = (schema) => openStore(process.env.TEST_PG_URL, { schema, maxConnections: 20 });

/** Three processes on one schema: every one holds every third booking, the wall time is the slowest's. */
async function runInstances(schema, departures, label) {
  const children = Array.from({ length: INSTANCES }, (_, k) =>
    fork(fileURLToPath(import.meta.url), ['--child', schema, String(departures), label, String(k)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const ready = children.map((c) => new Promise((resolve) => c.once('message', resolve)));
  await Promise.all(ready);
  const t0 = performance.now();
  const done = children.map((c) => new Promise((resolve) => c.once('message', resolve)));
  for (const c of children) c.send('go');
  const lats = await Promise.all(done);
  return summary(lats.flat(), (performance.now() - t0) / 1000);
}

if (process.argv[2] === '--child') {
  const [, , , schema, departures, label, k] = process.argv;
  const store = await pgStore(schema);
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  const clients = Math.ceil(CLIENTS / INSTANCES);
  const lat = await holdAll(store, Number(departures), label, clients, Number(k), INSTANCES);
  await store.close();
  process.send(lat, () => process.exit(0));
  await new Promise(() => undefined);
}

const results = [];
const sqliteFile = () => join(mkdtempSync(join(tmpdir(), 'bench-bk-')), 'b.sqlite');
const stores = [['sqlite', () => openStore(`sqlite:${sqliteFile()}`)]];
if (process.env.TEST_PG_URL) stores.push(['postgres', () => pgStore(`bench_${process.pid}`)]);
for (const [dialect, open] of stores) {
  for (const [kind, departures] of [
    ['uncontended', 1000],
    ['contended', 10],
  ]) {
    const store = await open();
    try {
      const r = await run(store, departures, `${kind[0]}`);
      const row = { dialect, instances: 1, kind, departures, clients: CLIENTS, holds: HOLDS, ...r };
      results.push(row);
      console.log(
        `${dialect.padEnd(8)} ${kind.padEnd(11)} ${departures} departures: ${r.holdsPerS} holds/s, ` +
          `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
      );
    } finally {
      await store.close();
    }
  }
}
if (process.env.TEST_PG_URL) {
  for (const [kind, departures] of [
    ['uncontended', 1000],
    ['contended', 10],
  ]) {
    // The first instance migrates the schema before the three start; labels differ from the one-instance rows.
    const schema = `bench_${process.pid}`;
    await (await pgStore(schema)).close();
    const r = await runInstances(schema, departures, `${kind[0]}3-`);
    results.push({ dialect: 'postgres', instances: INSTANCES, kind, departures, clients: CLIENTS, holds: HOLDS, ...r });
    console.log(
      `postgres ×${INSTANCES} ${kind.padEnd(11)} ${departures} departures: ${r.holdsPerS} holds/s, ` +
        `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`,
    );
  }
}
mkdirSync(join(HERE, 'results'), { recursive: true });
writeFileSync(join(HERE, 'results', 'bookings.json'), `${JSON.stringify(results, null, 2)}\n`);
