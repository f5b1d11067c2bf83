/**
 * Soak test (not in CI): runs the server for a while (default 10 minutes) under a steady mixed
 * load from autocannon (routes, locations, DCSA, scenarios, health) and reports the server's RSS
 * over time, to catch leaks. Local only (127.0.0.1), bounded in time.
 *
 *   npm run build && node bench/soak.js [--minutes 10] [--connections 20]
 *
 * Writes bench/results/soak.json: {samples: [{s, rssMB, requests}], …}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { rssMB, startBenchServer } from './server-child.js';

const args = process.argv.slice(2);
const arg = (f, d) => (args.includes(f) ? Number(args[args.indexOf(f) + 1]) : d);
const minutes = arg('--minutes', 10);
const connections = arg('--connections', 20);
const SAMPLE_S = 10;

const paths = [
  '/api/v1/routes?from=CNXIA&to=DEDUI',
  "/api/v1/routes?from=Xi'an&to=Duisburg&avoid=RU",
  '/api/v1/routes?from=Aktau&to=Baku&modes=ferry,rail',
  '/api/v1/locations?q=xian',
  '/api/v1/locations?q=constanta',
  '/v1/point-to-point-routes?placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&limit=2',
  '/api/v1/scenarios',
  '/health',
  '/api/v1/routes?from=Nowhere&to=DEDUI',
];

const server = await startBenchServer();
console.log(
  `soak: ${minutes} min, ${connections} connections, sampling RSS every ${SAMPLE_S} s; server ` +
    `${server.url} (pid ${server.pid})`,
);
const samples = [{ s: 0, rssMB: await rssMB(server.pid), requests: 0 }];
let total = 0;
const instance = autocannon({
  url: server.url,
  connections,
  duration: minutes * 60,
  requests: paths.map((path) => ({ method: 'GET', path })),
});
instance.on('response', () => total++);
const t0 = Date.now();
const timer = setInterval(async () => {
  const s = Math.round((Date.now() - t0) / 1000);
  const rss = await rssMB(server.pid);
  samples.push({ s, rssMB: rss, requests: total });
  console.log(`${String(s).padStart(5)} s  RSS ${rss.toFixed(1)} MB  ${total} requests`);
}, SAMPLE_S * 1000);
const result = await instance;
clearInterval(timer);
samples.push({ s: Math.round((Date.now() - t0) / 1000), rssMB: await rssMB(server.pid), requests: total });
await server.stop();

const firstMinute = samples.filter((x) => x.s >= 60);
const base = firstMinute[0]?.rssMB ?? samples[0].rssMB;
const last = samples[samples.length - 1].rssMB;
const summary = {
  date: new Date().toISOString(),
  minutes,
  connections,
  requests: result.requests.total,
  reqPerSec: result.requests.average,
  p99Ms: result.latency.p99,
  errors: result.errors,
  timeouts: result.timeouts,
  rssStartMB: samples[0].rssMB,
  rssAfter1MinMB: base,
  rssEndMB: last,
  rssPeakMB: Math.max(...samples.map((x) => x.rssMB)),
  growthAfterWarmupMB: last - base,
  samples,
};
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL('results/soak.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `soak done: ${summary.requests} requests, ${summary.reqPerSec.toFixed(0)} req/s, p99 ` +
    `${summary.p99Ms} ms; RSS ${summary.rssStartMB.toFixed(1)} → ${summary.rssEndMB.toFixed(1)} MB (peak ` +
    `${summary.rssPeakMB.toFixed(1)}, +${summary.growthAfterWarmupMB.toFixed(1)} MB after the first minute)`,
);
