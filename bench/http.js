/**
 * HTTP throughput of the service (issue 7): autocannon, 50 connections, against
 * GET /api/v1/routes on the default dataset and, in the same run, against the trivial JSON
 * endpoint GET /health of the same server as the baseline. Target: ≥ 3,000 req/s with
 * p99 ≤ 25 ms for routes on this 2-core machine (autocannon shares the machine).
 *
 * Routes cycle over a fixed set of origin–destination pairs. The server caches serialized route
 * responses (ROUTE_CACHE_ENTRIES), so after the warm-up this is the cached path; a second entry
 * measures the uncached path (cache off), where every request runs the Pareto search.
 *
 * `run({quick})` returns bench entries `{name, oursMs, peer, peerMs, ratio, …}`;
 * `node bench/http.js [--quick]` runs it alone and writes bench/results/http.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { cpuMs, startBenchServer } from './server-child.js';

const PAIRS = [
  ["Xi'an", 'Duisburg'],
  ['CNXIA', 'DEDUI'],
  ['Aktau', 'Baku'],
  ['KZAAU', 'DEDUI'],
  ['CNXIA', 'AZBAK'],
  ['Baku', 'Duisburg'],
];
const ROUTE_PATHS = PAIRS.flatMap(([a, b]) => [
  `/api/v1/routes?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`,
  `/api/v1/routes?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}&avoid=RU`,
]);

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** @param {{url: string, pid: number, connections: number, seconds: number, paths: string[]}} o */
async function measure(o) {
  const cpu0 = await cpuMs(o.pid);
  const r = await cannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    requests: o.paths.map((path) => ({ method: 'GET', path })),
  });
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0) throw new Error(`${o.paths[0]}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  // Server CPU per request: independent of what else the machine is doing, unlike req/s.
  const serverCpuMsPerReq = ((await cpuMs(o.pid)) - cpu0) / r.requests.total;
  return {
    reqPerSec: r.requests.average,
    meanMs: r.latency.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    serverCpuMsPerReq,
  };
}

async function warm(url, paths) {
  for (const p of paths) {
    const res = await fetch(url + p);
    if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
    await res.arrayBuffer();
  }
}

/** @param {{quick?: boolean, log?: (s: string) => void}} opts */
export async function run({ quick = false, log = console.log } = {}) {
  const seconds = quick ? 4 : 10;
  const entries = [];

  const server = await startBenchServer();
  try {
    await warm(server.url, [...ROUTE_PATHS, '/health']);
    await measure({ url: server.url, pid: server.pid, connections: 50, seconds: 2, paths: ['/health'] }); // JIT warm-up
    const trivial = await measure({ url: server.url, pid: server.pid, connections: 50, seconds, paths: ['/health'] });
    const routes = await measure({ url: server.url, pid: server.pid, connections: 50, seconds, paths: ROUTE_PATHS });
    const met = routes.reqPerSec >= 3000 && routes.p99Ms <= 25;
    log(
      `http: GET /health ${trivial.reqPerSec.toFixed(0)} req/s (p99 ${trivial.p99Ms} ms, server CPU ` +
        `${trivial.serverCpuMsPerReq.toFixed(3)} ms/req); GET /api/v1/routes (cached) ` +
        `${routes.reqPerSec.toFixed(0)} req/s (p99 ${routes.p99Ms} ms, server CPU ` +
        `${routes.serverCpuMsPerReq.toFixed(3)} ms/req) — target ≥ 3000 req/s, p99 ≤ 25 ms: ` +
        `${met ? 'met' : 'NOT MET'} (load average ${loadavg()[0].toFixed(1)})`,
    );
    entries.push({
      name: 'http GET /api/v1/routes (50 connections, cached responses)',
      oursMs: routes.meanMs,
      peer: 'GET /health (trivial JSON endpoint, same server)',
      peerMs: trivial.meanMs,
      ratio: routes.meanMs / trivial.meanMs,
      reqPerSec: routes.reqPerSec,
      p50Ms: routes.p50Ms,
      p99Ms: routes.p99Ms,
      peerReqPerSec: trivial.reqPerSec,
      peerP99Ms: trivial.p99Ms,
      throughputRatio: routes.reqPerSec / trivial.reqPerSec,
      serverCpuMsPerReq: routes.serverCpuMsPerReq,
      peerServerCpuMsPerReq: trivial.serverCpuMsPerReq,
      capacityReqPerSecPerCore: 1000 / routes.serverCpuMsPerReq,
      target: '≥ 3000 req/s and p99 ≤ 25 ms',
      loadAverage1m: loadavg()[0],
      targetMet: met,
      reps:
        `${seconds} s each after warm-up; ${routes.requests} route requests over ${ROUTE_PATHS.length} ` +
        `distinct queries`,
      note:
        'autocannon runs on the same 2-core machine as the server; route responses come from the server LRU ' +
        'after the first request of each query',
    });
  } finally {
    await server.stop();
  }

  const uncached = await startBenchServer({ ROUTE_CACHE_ENTRIES: '0' });
  try {
    await warm(uncached.url, ROUTE_PATHS.slice(0, 2));
    const trivial = await measure({
      url: uncached.url,
      pid: uncached.pid,
      connections: 10,
      seconds: Math.ceil(seconds / 2),
      paths: ['/health'],
    });
    const routes = await measure({
      url: uncached.url,
      pid: uncached.pid,
      connections: 10,
      seconds,
      paths: ROUTE_PATHS,
    });
    log(
      `http: GET /api/v1/routes (uncached, 10 connections) ${routes.reqPerSec.toFixed(1)} req/s (p50 ` +
        `${routes.p50Ms} ms, p99 ${routes.p99Ms} ms)`,
    );
    entries.push({
      name: 'http GET /api/v1/routes (10 connections, cache off)',
      oursMs: routes.meanMs,
      peer: 'GET /health (trivial JSON endpoint, same server)',
      peerMs: trivial.meanMs,
      ratio: routes.meanMs / trivial.meanMs,
      reqPerSec: routes.reqPerSec,
      p50Ms: routes.p50Ms,
      p99Ms: routes.p99Ms,
      peerReqPerSec: trivial.reqPerSec,
      serverCpuMsPerReq: routes.serverCpuMsPerReq,
      reps: `${seconds} s; ${routes.requests} requests`,
      note:
        'every request runs the full Pareto search with explanations (ROUTE_CACHE_ENTRIES=0): the cost of a ' +
        'first-time query',
    });
  } finally {
    await uncached.stop();
  }
  return entries;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = await run({ quick: process.argv.includes('--quick') });
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/http.json', import.meta.url), `${JSON.stringify(entries, null, 2)}\n`);
  console.log(JSON.stringify(entries, null, 2));
}
