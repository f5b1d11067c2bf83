/**
 * Measured in a process of its own (node --expose-gc): what reading and indexing the world
 * gazetteer costs (time, heap + typed arrays after GC), and the search latency over a fixed mix of
 * exact names, other scripts, qualifiers, prefixes and unknown names. Prints one JSON line.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await sleep(50);
  }
};
const { readWorldPlaces } = await import(join(DIST, 'data', 'gazetteer.js'));
await settle();
const m0 = process.memoryUsage();
const t0 = performance.now();
const w = readWorldPlaces();
const loadMs = performance.now() - t0;
await settle();
const m1 = process.memoryUsage();
const QUERIES = [
  'Warsaw',
  'Варшава',
  '北京',
  'Paris, FR',
  'Batumi, Georgia',
  'Alexandria',
  'Tiflis',
  'İstanbul',
  'Constanța',
  'Yiwu',
  'Bishk',
  'Münch',
  'Atlantis',
  'Duisbrug',
  'Shenzen',
  'Almaty',
  'Kars',
  'Mersin',
  'Ningbo',
  'Milan',
];
const times = [];
const runs = Number(process.argv[2] ?? 200);
for (let r = 0; r < runs; r++)
  for (const q of QUERIES) {
    const a = performance.now();
    w.gazetteer.search(q, { limit: 10 });
    times.push(performance.now() - a);
  }
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
console.log(
  JSON.stringify({
    places: w.gazetteer.size,
    loadMs,
    addedMb: (m1.heapUsed + m1.external - m0.heapUsed - m0.external) / 1e6,
    searchP50Ms: pct(0.5),
    searchP99Ms: pct(0.99),
    searches: times.length,
  }),
);
