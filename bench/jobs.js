/**
 * The job engine (issue 15), on this machine, in one run:
 *  1. the engine's own cost per job: empty handlers on pg-boss 10.4.2 and on the in-process
 *     SQLite queue (jobs/s and ms per job, send to completion);
 *  2. a sweep's wall time through `corridor serve --no-workers` + 1 and 2 `corridor worker`
 *     processes on one PostgreSQL, against the same sweep run serially in one process
 *     (`corridor sweep`), reported as runs/s and as a ratio.
 * Needs PostgreSQL: BENCH_PG_URL or TEST_PG_URL (a database this may create others beside).
 * Run on its own: `npm run build && node bench/jobs.js [--quick]`; results in bench/results/jobs.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist');
const BIN = join(HERE, '..', 'bin', 'corridor.js');
const quick = process.argv.includes('--quick');
const pgUrl = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL;
if (!pgUrl) {
  console.error('bench/jobs.js: set BENCH_PG_URL (or TEST_PG_URL) to a PostgreSQL database');
  process.exit(2);
}

async function freshDatabase(tag) {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const name = `corridor_bench_${tag}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: pgUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Empty handlers: what the engine itself costs per job, from send to completion. */
async function overhead(queue, n, concurrency) {
  await queue.start();
  await queue.createQueue('bench-empty', { retryLimit: 0 });
  let done = 0;
  let finish = () => undefined;
  const all = new Promise((r) => {
    finish = r;
  });
  await queue.work('bench-empty', { concurrency }, async () => {
    if (++done === n) finish();
    return null;
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await queue.send('bench-empty', { i });
  await all;
  const ms = performance.now() - t0;
  await queue.stop({ graceful: true, timeoutMs: 5000 });
  return { jobs: n, concurrency, wallMs: ms, jobsPerS: (n / ms) * 1000, msPerJob: ms / n };
}

function startProcess(args, env, readyPattern) {
  const proc = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_KEY_PER_MIN: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  const ready = new Promise((resolve, reject) => {
    proc.stderr.on('data', (d) => {
      out += d;
      const m = readyPattern.exec(out);
      if (m) resolve(m[1] ?? '');
    });
    proc.once('exit', (c) => reject(new Error(`corridor ${args[0]} exited ${c}: ${out}`)));
  });
  return {
    proc,
    ready,
    stop: () =>
      new Promise((r) => {
        proc.once('exit', r);
        proc.kill('SIGTERM');
      }),
  };
}

async function sweepWithWorkers(request, workers) {
  const db = await freshDatabase(`w${workers}`);
  const { openStore } = await import(join(DIST, 'store', 'open.js'));
  const { KeyService } = await import(join(DIST, 'api', 'keys.js'));
  const store = await openStore(db.url);
  const key = (await new KeyService(store).create('planner')).key;
  await store.close();
  const env = { DATABASE_URL: db.url, JOB_WORKERS: '0', PORT: '0', HOST: '127.0.0.1' };
  const api = startProcess(['serve', '--no-workers'], env, /serving (http:\/\/\S+) /);
  const url = await api.ready;
  const ws = Array.from({ length: workers }, () =>
    startProcess(['worker', '--concurrency', '1'], { DATABASE_URL: db.url, JOB_POLL_MS: '100' }, /worker with()/),
  );
  await Promise.all(ws.map((w) => w.ready));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const t0 = performance.now();
  const r = await fetch(`${url}/api/v1/sweeps`, { method: 'POST', headers, body: JSON.stringify(request) });
  const { id, runs } = await r.json();
  let s;
  for (;;) {
    s = await (await fetch(`${url}/api/v1/sweeps/${id}`, { headers })).json();
    if (s.status !== 'queued' && s.status !== 'running') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const ms = performance.now() - t0;
  for (const w of ws) await w.stop();
  await api.stop();
  await db.drop();
  if (s.status !== 'succeeded') throw new Error(`sweep ${s.status}: ${JSON.stringify(s.runs)}`);
  return { workers, runs: runs.total, wallMs: ms, runsPerS: (runs.total / ms) * 1000, summary: s.summary };
}

async function serialSweep(request) {
  const args = [
    'sweep',
    '--scenario',
    request.scenario,
    '--draws',
    String(request.draws),
    '--seed',
    String(request.seed),
    '--levels',
    request.levels.join(','),
    '--json',
  ];
  const t0 = performance.now();
  const out = await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let s = '';
    p.stdout.on('data', (d) => (s += d));
    p.once('exit', (c) => (c === 0 ? resolve(s) : reject(new Error(`corridor sweep exited ${c}`))));
  });
  const ms = performance.now() - t0;
  const runs = request.draws * request.levels.length;
  return { workers: 0, runs, wallMs: ms, runsPerS: (runs / ms) * 1000, summary: JSON.parse(out).summary };
}

const { PgBossQueue } = await import(join(DIST, 'queue', 'pgboss-queue.js'));
const { LocalQueue } = await import(join(DIST, 'queue', 'local-queue.js'));
const { openStore } = await import(join(DIST, 'store', 'open.js'));
const N = quick ? 300 : 1000;
const results = { date: new Date().toISOString(), cpus: cpus().length, loadavg: loadavg(), overhead: [], sweep: [] };

{
  const db = await freshDatabase('empty');
  const q = new PgBossQueue({ connectionString: db.url, schema: 'bench_jobs', pollMs: 50 });
  results.overhead.push({ engine: 'pg-boss 10.4.2', ...(await overhead(q, N, 4)) });
  await db.drop();
}
{
  const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-bench-q-')), 'q.sqlite')}`);
  const q = new LocalQueue(store.driver, { pollMs: 50 });
  results.overhead.push({ engine: 'in-process (SQLite)', ...(await overhead(q, N, 4)) });
  await store.close();
}
for (const o of results.overhead)
  console.log(
    `${o.engine.padEnd(22)} empty jobs: ${o.jobs} in ${(o.wallMs / 1000).toFixed(2)} s = ` +
      `${o.jobsPerS.toFixed(0)} jobs/s, ${o.msPerJob.toFixed(2)} ms per job (concurrency ${o.concurrency})`,
  );

const request = { scenario: 'demand-2029', draws: quick ? 20 : 60, seed: 1, levels: [1, 1.5] };
const serial = await serialSweep(request);
results.sweep.push(serial);
for (const w of [1, 2]) results.sweep.push(await sweepWithWorkers(request, w));
const serialSummary = serial.summary;
for (const s of results.sweep) {
  // Deep equality: the server's serializer may order keys differently from JSON.stringify.
  const same = isDeepStrictEqual(s.summary, serialSummary);
  console.log(
    `sweep of ${s.runs} runs ${s.workers ? `with ${s.workers} worker process(es)` : 'serially in one process'}`.padEnd(
      52,
    ) +
      `${(s.wallMs / 1000).toFixed(1)} s = ${s.runsPerS.toFixed(2)} runs/s` +
      (s.workers ? `, ${(serial.wallMs / s.wallMs).toFixed(2)}× the serial speed; same answer: ${same}` : ''),
  );
  delete s.summary;
}
mkdirSync(join(HERE, 'results'), { recursive: true });
writeFileSync(join(HERE, 'results', 'jobs.json'), `${JSON.stringify(results, null, 2)}\n`);
