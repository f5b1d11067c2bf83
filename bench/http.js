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
 * Issue 14: uncached plans (every request a new query) at 50 connections with a /health probe at
 * the same time, with the request workers and without (`--plans` runs only these).
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

/** Origin–destination pairs with timetabled services, for the uncached plan load. */
const PLAN_PAIRS = [
  ['CNXIA', 'DEDUI'],
  ['CNXIA', 'AZBAK'],
  ['KZAAU', 'DEDUI'],
  ['AZBAK', 'DEDUI'],
  ['KZAAU', 'AZBAK'],
  ['CNXIA', 'KZAAU'],
];
const PLAN_START = Date.parse('2026-03-02T00:00:00Z');
/** The i-th plan query: pairs in turn, the ready time one minute later each round (never the same URL twice). */
function planPath(i) {
  const [from, to] = PLAN_PAIRS[i % PLAN_PAIRS.length];
  const minute = Math.floor(i / PLAN_PAIRS.length) % (60 * 24 * 60);
  const ready = new Date(PLAN_START + minute * 60_000).toISOString().slice(0, 16);
  return `/api/v1/plans?from=${from}&to=${to}&ready=${ready}`;
}

/**
 * Uncached plans (issue 14): every request a new query (its answer is in no cache), 50 connections,
 * with a one-connection /health probe running at the same time — the question is whether the
 * server keeps answering health checks while it computes.
 */
async function uncachedPlans(o) {
  let next = o.offset;
  const cpu0 = await cpuMs(o.pid);
  const [plans, health] = await Promise.all([
    cannon({
      url: o.url,
      connections: 50,
      duration: o.seconds,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: planPath(next++) }) }],
    }),
    cannon({ url: o.url, connections: 1, duration: o.seconds, requests: [{ method: 'GET', path: '/health' }] }),
  ]);
  const serverCpuMsPerReq = ((await cpuMs(o.pid)) - cpu0) / plans.requests.total;
  // Timeouts (autocannon's 10 s) and errors are what the in-thread server gives under this load:
  // counted and reported, not a reason to stop the bench.
  return {
    reqPerSec: plans.requests.average,
    meanMs: plans.latency.average,
    p50Ms: plans.latency.p50,
    p99Ms: plans.latency.p99,
    requests: plans.requests.total,
    // 503 + Retry-After when the request workers' queue is full: counted, not hidden.
    non2xx: plans.non2xx,
    timeouts: plans.timeouts + plans.errors,
    healthFailed: health.non2xx + health.errors + health.timeouts,
    healthP50Ms: health.latency.p50,
    healthP99Ms: health.latency.p99,
    healthMaxMs: health.latency.max,
    healthRequests: health.requests.total,
    serverCpuMsPerReq,
    next,
  };
}

/** The uncached plan figure with request workers (the default: one per core) and without (REQUEST_WORKERS=0). */
async function planEntriesHttp(seconds, log, warmSeconds = seconds) {
  const entries = [];
  for (const workers of ['default', '0']) {
    const server = await startBenchServer(workers === 'default' ? {} : { REQUEST_WORKERS: workers });
    try {
      await warm(
        server.url,
        PLAN_PAIRS.map((_, i) => planPath(i)),
      );
      // Warm-up on queries of their own (offset far from the measured ones) until the server runs at
      // its steady rate: a fresh server's first seconds under this load run slower (JIT of the worker
      // threads' paths, heap growth). The warm-up's own figures are reported beside the measured ones.
      const cold = await uncachedPlans({ url: server.url, pid: server.pid, seconds: warmSeconds, offset: 400_000 });
      const load1 = loadavg()[0];
      const r = await uncachedPlans({ url: server.url, pid: server.pid, seconds, offset: 0 });
      const met =
        r.reqPerSec >= 100 && r.p99Ms <= 250 && r.healthP99Ms <= 20 && r.non2xx + r.timeouts + r.healthFailed === 0;
      const label = workers === 'default' ? 'request workers: one per core' : 'REQUEST_WORKERS=0, in-thread';
      log(
        `http: GET /api/v1/plans uncached (50 connections, ${label}) ${r.reqPerSec.toFixed(0)} req/s ` +
          `(p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.non2xx} non-2xx, ${r.timeouts} timeouts/errors); /health ` +
          `under that load p99 ${r.healthP99Ms} ms (max ${r.healthMaxMs} ms, ${r.healthFailed} failed) — ` +
          'target ≥ 100 req/s, p99 ≤ 250 ms, /health p99 ≤ 20 ms: ' +
          `${met ? 'met' : 'NOT MET'} (load average ${load1.toFixed(1)} → ${loadavg()[0].toFixed(1)}); the ` +
          `${warmSeconds} s warm-up before it, from a fresh server: ${cold.reqPerSec.toFixed(0)} req/s, ` +
          `p99 ${cold.p99Ms} ms`,
      );
      entries.push({
        name: `http GET /api/v1/plans uncached (50 connections, ${label})`,
        oursMs: r.meanMs,
        peer: 'GET /health (1 connection, same server, same time)',
        peerMs: r.healthP50Ms,
        ratio: null,
        reqPerSec: r.reqPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        peerFailed: r.healthFailed,
        peerP99Ms: r.healthP99Ms,
        peerMaxMs: r.healthMaxMs,
        serverCpuMsPerReq: r.serverCpuMsPerReq,
        target: '≥ 100 req/s, p99 ≤ 250 ms; /health p99 ≤ 20 ms',
        targetMet: met,
        warmUp: { seconds: warmSeconds, reqPerSec: cold.reqPerSec, p50Ms: cold.p50Ms, p99Ms: cold.p99Ms },
        loadAverage1m: load1,
        reps:
          `${seconds} s after a ${warmSeconds} s warm-up; ${r.requests} plan requests, ` +
          'each a query not asked before',
        note:
          'every request a new ready time or pair (no cache holds its answer); autocannon shares the machine ' +
          'with the server and its worker threads',
      });
    } finally {
      await server.stop();
    }
  }
  return entries;
}

/** @param {{quick?: boolean, log?: (s: string) => void, only?: string}} opts */
export async function run({ quick = false, log = console.log, only } = {}) {
  const seconds = quick ? 4 : 10;
  const entries = [];
  if (only === 'plans') return planEntriesHttp(seconds, log);

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
  entries.push(...(await planEntriesHttp(seconds, log)));
  return entries;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entries = await run({
    quick: process.argv.includes('--quick'),
    ...(process.argv.includes('--plans') ? { only: 'plans' } : {}),
  });
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/http.json', import.meta.url), `${JSON.stringify(entries, null, 2)}\n`);
  console.log(JSON.stringify(entries, null, 2));
}
