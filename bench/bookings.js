/**
 * Booking holds: holds/s and p99 latency of the store's all-or-nothing hold (one booking of one
 * leg, 1 TEU, in one transaction with its history and outbox), 50 concurrent clients, on SQLite and
 * (with TEST_PG_URL) PostgreSQL; contended (10 departures) and uncontended (1,000 departures).
 * `npm run build && node bench/bookings.js [--holds N]`. Prints one line per case and writes
 * bench/results/bookings.json. Issue #16's goal: ≥ 500 holds/s, p99 ≤ 50 ms on SQLite uncontended.
 */
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

async function run(store, departures, label) {
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= HOLDS) return;
        const s = performance.now();
        await store.bookings.create(change(`${label}${String(i).padStart(7, '0')}`, `d@${i % departures}`));
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { holdsPerS: Math.round(HOLDS / secs), p50Ms: +q(0.5).toFixed(1), p99Ms: +q(0.99).toFixed(1) };
}

const results = [];
const sqliteFile = () => join(mkdtempSync(join(tmpdir(), 'bench-bk-')), 'b.sqlite');
const stores = [['sqlite', () => openStore(`sqlite:${sqliteFile()}`)]];
if (process.env.TEST_PG_URL)
  stores.push([
    'postgres',
    () => openStore(process.env.TEST_PG_URL, { schema: `bench_${process.pid}`, maxConnections: 20 }),
  ]);
for (const [dialect, open] of stores) {
  for (const [kind, departures] of [
    ['uncontended', 1000],
    ['contended', 10],
  ]) {
    const store = await open();
    try {
      const r = await run(store, departures, `${kind[0]}`);
      const row = { dialect, kind, departures, clients: CLIENTS, holds: HOLDS, ...r };
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
mkdirSync(join(HERE, 'results'), { recursive: true });
writeFileSync(join(HERE, 'results', 'bookings.json'), `${JSON.stringify(results, null, 2)}\n`);
