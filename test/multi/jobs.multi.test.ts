/**
 * Several processes on one PostgreSQL: API instances without workers (`corridor serve
 * --no-workers`) accept jobs, `corridor worker` processes run them through pg-boss. A worker
 * killed with SIGKILL mid-job loses nothing: after the queue's expiry another worker (started
 * later) runs the job again, and its result equals an undisturbed run's; a killed API instance
 * loses no accepted job. Needs TEST_PG_URL (`.ci/run` sets it); run by `npm run test:multi`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import { cliJson } from '../helpers/cli.js';
import { BIN, killStrayServers, startServerProcess } from '../helpers/server-process.js';

const pgUrl = process.env.TEST_PG_URL;
let dbUrl = '';
let dbName = '';
const workers = new Set<ChildProcess>();

function startWorker(env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, [BIN, 'worker', '--concurrency', '1'], {
    env: { ...process.env, DATABASE_URL: dbUrl, JOB_EXPIRE_S: '20', JOB_POLL_MS: '200', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.add(proc);
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  const ready = new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (/corridor: worker with/.test(out)) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    proc.once('exit', (c) => {
      clearInterval(t);
      reject(new Error(`worker exited with ${c}: ${out}`));
    });
  });
  return {
    proc,
    ready,
    output: () => out,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
      workers.delete(proc);
    },
    async stop() {
      proc.kill('SIGTERM');
      const c = await exited;
      workers.delete(proc);
      return c;
    },
  };
}

afterEach(() => {
  killStrayServers();
  for (const w of workers) w.kill('SIGKILL');
  workers.clear();
});

describe.skipIf(!pgUrl)('jobs across processes on one PostgreSQL (pg-boss)', () => {
  let key = '';
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    dbName = `corridor_multi_${process.pid}_${Date.now()}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(pgUrl!);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
    const store = await openStore(dbUrl);
    key = (await new KeyService(store).create('planner')).key;
    await store.close();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  const headers = () => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });
  const submit = async (url: string, body: unknown) => {
    const r = await fetch(`${url}/api/v1/assignments`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(body),
    });
    expect(r.status).toBe(202);
    return ((await r.json()) as { id: string }).id;
  };
  const get = async (url: string, id: string) =>
    (await (await fetch(`${url}/api/v1/assignments/${id}`, { headers: headers() })).json()) as any;
  const finished = async (url: string, id: string, timeoutMs = 120_000) => {
    const t0 = Date.now();
    for (;;) {
      const j = await get(url, id);
      if (j.status !== 'queued' && j.status !== 'running') return j;
      if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${j.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('two API instances and two workers: every job runs, once in effect, whichever instance is asked', async () => {
    // Nobody is killed here: an expiry far above any run (a worker's first job builds its World,
    // slow on a loaded machine) keeps "one attempt each" a fact about delivery, not about speed.
    const env = { DATABASE_URL: dbUrl, JOB_WORKERS: '0', JOB_EXPIRE_S: '600' };
    const apis = [await startServerProcess(env), await startServerProcess(env)];
    const ws = [startWorker({ JOB_EXPIRE_S: '600' }), startWorker({ JOB_EXPIRE_S: '600' })];
    await Promise.all(ws.map((w) => w.ready));
    const places = ['CNXIA', 'KZAAU', 'AZBAK', 'GETBS', 'DEDUI'];
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const from = places[i % places.length]!;
      const to = places[(i + 1 + (i % 3)) % places.length]!;
      ids.push(await submit(apis[i % 2]!.url, { kind: 'route-batch', params: { queries: [{ from, to }] } }));
    }
    // One API instance dies with jobs accepted: none is lost (they live in PostgreSQL).
    await apis[0]!.kill9();
    const done = await Promise.all(ids.map((id) => finished(apis[1]!.url, id)));
    expect(done.map((j) => j.status)).toEqual(ids.map(() => 'succeeded'));
    // Delivered once unless a run failed and was retried: a second attempt must have a logged cause
    // (a crashed worker thread or an internal error naming the job), never a silent re-delivery.
    const logs = ws.map((w) => w.output()).join('\n');
    for (const j of done.filter((x) => x.attempts !== 1)) {
      const cause = logs.split('\n').find((l) => l.includes(j.id) && /crashed|internal error/.test(l));
      expect(cause, `job ${j.id} ran ${j.attempts} times with no logged cause:\n${logs.slice(-4000)}`).toBeDefined();
    }
    const ready = (await (await fetch(`${apis[1]!.url}/ready`)).json()) as any;
    expect(ready.jobs).toMatchObject({ engine: 'pg-boss', workers: 0 });
    for (const w of ws) expect(await w.stop()).toBe(0);
    await apis[1]!.stop();
  }, 240_000);

  it('kill -9 of a worker mid-job: a worker started later runs it again, with the undisturbed result', async () => {
    const api = await startServerProcess({ DATABASE_URL: dbUrl, JOB_WORKERS: '0', JOB_EXPIRE_S: '20' });
    const ids = (
      (await (await fetch(`${api.url}/api/v1/locations`)).json()) as { locations: { id: string }[] }
    ).locations
      .map((l) => l.id)
      .slice(0, 25);
    const params = { locations: ids, criteria: 'transshipments' };
    const first = startWorker();
    await first.ready;
    const victim = await submit(api.url, { kind: 'route-matrix', params });
    const t0 = Date.now();
    for (;;) {
      const j = await get(api.url, victim);
      if (j.status === 'running') break;
      if (j.status === 'succeeded') throw new Error('the job finished before the worker could be killed');
      if (Date.now() - t0 > 60_000) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    await first.kill9();
    expect((await get(api.url, victim)).status).toBe('running');
    const later = startWorker();
    await later.ready;
    const redone = await finished(api.url, victim);
    expect(redone.status).toBe('succeeded');
    expect(redone.attempts).toBe(2);
    const calm = await finished(api.url, await submit(api.url, { kind: 'route-matrix', params }));
    expect(calm.attempts).toBe(1);
    expect(redone.result).toEqual(calm.result);
    expect(await later.stop()).toBe(0);
    await api.stop();
  }, 240_000);

  it('a 200-run sweep on 3 API instances and 2 workers, one killed, one joining: the serial answer', async () => {
    const env = { DATABASE_URL: dbUrl, JOB_WORKERS: '0', JOB_EXPIRE_S: '20' };
    const apis = [await startServerProcess(env), await startServerProcess(env), await startServerProcess(env)];
    const ws = [startWorker(), startWorker()];
    await Promise.all(ws.map((w) => w.ready));
    const request = { scenario: 'demand-2029', draws: 100, seed: 5, levels: [1, 1.5] };
    const r = await fetch(`${apis[0]!.url}/api/v1/sweeps`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(request),
    });
    expect(r.status).toBe(202);
    const { id, runs } = (await r.json()) as { id: string; runs: { total: number } };
    expect(runs.total).toBe(200);
    const sweep = async (i: number) =>
      (await (await fetch(`${apis[i % 3]!.url}/api/v1/sweeps/${id}`, { headers: headers() })).json()) as any;
    // Kill one worker once it has done some of the work, then start another that must join in.
    const t0 = Date.now();
    for (let i = 0; ; i++) {
      const s = await sweep(i);
      if (s.runs.succeeded >= 20) break;
      if (Date.now() - t0 > 120_000) throw new Error(`sweep stuck: ${JSON.stringify(s.runs)}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    await ws[0]!.kill9();
    const late = startWorker();
    await late.ready;
    let done: any;
    for (let i = 0; ; i++) {
      done = await sweep(i);
      if (done.status !== 'queued' && done.status !== 'running') break;
      if (Date.now() - t0 > 200_000) throw new Error(`sweep unfinished: ${JSON.stringify(done.runs)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    expect(done.status).toBe('succeeded');
    expect(done.runs).toMatchObject({ total: 200, succeeded: 200, failed: 0, cancelled: 0 });
    expect(late.output()).toMatch(/"msg":"job started"/);
    // The same request run serially in this process: the same distributions.
    const serial = await cliJson(
      'sweep',
      '--scenario',
      'demand-2029',
      '--draws',
      '100',
      '--seed',
      '5',
      '--levels',
      '1,1.5',
    );
    expect(done.summary).toEqual(serial.summary);
    for (const w of [ws[1]!, late]) expect(await w.stop()).toBe(0);
    for (const a of apis) await a.stop();
  }, 300_000);
});
