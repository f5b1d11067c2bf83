/**
 * Uncached routes, quotes and plans computed in request worker threads (src/api/request-pool.ts):
 * the same answers as on the request thread, in the same World (operator publications, dataset and
 * stored scenarios); a bounded queue that answers 503 + Retry-After; /health answering while every
 * worker is busy; a crashed worker giving a problem answer and being replaced. The queue and crash
 * cases use a stub worker (test/fixtures/request-workers) whose behaviour the test picks.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RequestPool } from '../../src/api/request-pool.js';
import type { AnswerTask } from '../../src/service/service.js';
import { json, type TestApi, testApi } from '../helpers/api.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const STUB = new URL('../fixtures/request-workers/stub-worker.mjs', import.meta.url).pathname;
const PROBLEM = 'application/problem+json; charset=utf-8';

describe('request workers answer as the request thread does', () => {
  let pooled: TestApi;
  let inThread: TestApi;
  const pool = new RequestPool({ size: 1, queueBound: 100, dataDir: DEFAULT_DATA });
  const keys = new Map<TestApi, { planner: string; china: string }>();
  beforeAll(async () => {
    pooled = await testApi({ requestPool: pool });
    inThread = await testApi();
    for (const api of [pooled, inThread])
      keys.set(api, {
        planner: await api.key('planner'),
        china: (await api.ctx.keys.create('operator', { operator: 'china-railway' })).key,
      });
  });
  afterAll(async () => {
    await pooled?.close();
    await inThread?.close();
  });

  /** The same request to both apps: equal status, content type and body. */
  async function same(url: string, key?: 'planner'): Promise<{ status: number; body: string }> {
    const a = await pooled.get(url, key && keys.get(pooled)?.[key]);
    const b = await inThread.get(url, key && keys.get(inThread)?.[key]);
    expect({ status: a.statusCode, type: a.headers['content-type'] }).toEqual({
      status: b.statusCode,
      type: b.headers['content-type'],
    });
    expect(JSON.parse(a.body)).toEqual(JSON.parse(b.body));
    expect(a.body).toBe(b.body);
    return { status: a.statusCode, body: a.body };
  }

  it('routes, plans and quotes, with and without a dataset scenario, and their errors', async () => {
    const scenario = pooled.ctx.dataset.scenarios[0]?.name ?? '';
    const before = pooled.ctx.service.computed;
    expect((await same(`/api/v1/routes?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU`)).status).toBe(200);
    expect((await same(`/api/v1/routes?from=CNXIA&to=DEDUI&scenario=${scenario}`)).status).toBe(200);
    expect((await same('/api/v1/plans?from=CNXIA&to=DEDUI&ready=2026-03-02T08:00&samples=200')).status).toBe(200);
    const quote = '/api/v1/quotes?from=CNXIA&to=DEDUI&containers=2x40HC&weight=30t&date=2025-06-01&avoid=RU';
    expect((await same(quote)).status).toBe(200);
    expect((await same(`${quote}&option=1`)).status).toBe(200);
    // An error raised while computing (not while parsing) comes back from the worker as the same problem.
    expect((await same(`${quote}&option=99`)).status).toBeGreaterThanOrEqual(400);
    expect(pooled.ctx.service.computed - before).toBe(6);
    // Five answers from the worker; the sixth was an error.
    expect(pool.answered).toBe(5);
    // DCSA point-to-point routings plan through the pool too.
    const p2p = '/v1/point-to-point-routes?placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02';
    expect((await same(p2p)).status).toBe(200);
    expect(pool.answered).toBe(6);
  });

  it('in the World of the current publication revision, and under stored scenarios', async () => {
    const url = '/api/v1/quotes?from=CNXIA&to=DEDUI&containers=1x40&date=2025-06-01&avoid=RU';
    const before = await same(url);
    for (const api of [pooled, inThread]) {
      const set = api.ctx.dataset.pricing?.tariffSets.find((s) => s.id === 'tariffs-2025');
      const c = JSON.parse(JSON.stringify(set?.legCharges.find((x) => x.id === 'cr-express-line-haul')));
      c.amount = { value: 1.37, source: 'published-by-china-railway', ref: 'CR Express rate notice 2025-05' };
      const r = await api.send(
        'PUT',
        '/api/v1/operators/china-railway/tariffs/tariffs-2025/cr-express-line-haul',
        { legCharge: c, source: 'https://example.org/cr/rates' },
        keys.get(api)?.china,
      );
      expect(r.statusCode).toBe(200);
      const slow = {
        name: 'slow-caspian',
        title: 'Slow Caspian ports',
        description: 'Handling at Alat ten times the nominal dwell',
        changes: [
          {
            transfers: { locations: ['AZALA'], kinds: ['handling'] },
            multiply: { durationH: { value: 10, assumption: 'a test stress factor for the Alat berth queue' } },
          },
        ],
      };
      expect((await api.send('POST', '/api/v1/scenarios', slow, keys.get(api)?.planner)).statusCode).toBe(201);
    }
    const answered = pool.answered;
    const after = await same(url);
    expect(pool.answered).toBe(answered + 1);
    // The publication reached the worker: the answer changed, and equally on both.
    expect(after.body).not.toBe(before.body);
    const custom = await same('/api/v1/routes?from=CNXIA&to=DEDUI&scenario=slow-caspian', 'planner');
    expect(custom.status).toBe(200);
    expect(json({ body: custom.body }).query.scenario).toBe('slow-caspian');
    await same('/api/v1/plans?from=CNXIA&to=AZBAK&ready=2026-03-02T08:00&samples=50&scenario=slow-caspian', 'planner');
  });
});

describe('the request pool under load and failure (stub worker)', () => {
  it('answers 503 with Retry-After when the queue is full, and /health meanwhile', async () => {
    const pool = new RequestPool({
      size: 1,
      queueBound: 1,
      dataDir: DEFAULT_DATA,
      file: STUB,
      workerData: { hang: ['CNXIA', 'KZAAU', 'AZBAK'] },
    });
    const api = await testApi({ requestPool: pool });
    try {
      const running = api.get('/api/v1/routes?from=CNXIA&to=DEDUI');
      await vi.waitFor(() => expect(pool.busy).toBe(1), { timeout: 20_000 });
      // The thread takes the next computation in hand while it runs one; the third waits in the queue.
      const next = api.get('/api/v1/routes?from=KZAAU&to=DEDUI');
      await vi.waitFor(() => expect(pool.held).toBe(2), { timeout: 20_000 });
      const waiting = api.get('/api/v1/routes?from=AZBAK&to=DEDUI');
      await vi.waitFor(() => expect(pool.queued).toBe(1), { timeout: 20_000 });
      const refused = await api.get('/api/v1/plans?from=AZALA&to=DEDUI&ready=2026-03-02T08:00');
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toBe(PROBLEM);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(json(refused)).toMatchObject({ type: '/problems/unavailable', status: 503 });
      expect(pool.refused).toBe(1);
      // Cached answers, health and metadata never wait for a worker.
      expect((await api.get('/health')).statusCode).toBe(200);
      expect((await api.get('/api/v1/locations?q=Baku')).statusCode).toBe(200);
      expect(pool.busy).toBe(1);
      await api.close();
      // Shutting down answers the computations still waiting, as 503.
      expect((await running).statusCode).toBe(503);
      expect((await next).statusCode).toBe(503);
      expect((await waiting).statusCode).toBe(503);
    } finally {
      await api.close();
    }
  });

  it('a crashed worker gives the request a problem answer and is replaced', async () => {
    const pool = new RequestPool({
      size: 1,
      queueBound: 10,
      dataDir: DEFAULT_DATA,
      file: STUB,
      workerData: { crash: ['CNXIA'] },
    });
    const logged: string[] = [];
    const api = await testApi({ requestPool: pool });
    pool.onInternalError = (m) => logged.push(m);
    try {
      const first = await api.get('/api/v1/routes?from=KZAAU&to=DEDUI');
      expect(first.statusCode).toBe(200);
      const crashed = await api.get('/api/v1/routes?from=CNXIA&to=DEDUI');
      expect(crashed.statusCode).toBe(500);
      expect(crashed.headers['content-type']).toBe(PROBLEM);
      expect(json(crashed)).toMatchObject({ type: '/problems/internal', requestId: expect.any(String) });
      expect(crashed.body).not.toMatch(/thread|worker/i);
      expect(logged).toEqual(['request worker thread crashed; it is replaced']);
      const next = await api.get('/api/v1/routes?from=AZBAK&to=DEDUI');
      expect(next.statusCode).toBe(200);
      expect(json(next).threadId).not.toBe(json(first).threadId);
      expect(pool.size).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('drops a waiting computation whose clients have all gone, and finishes the ones in hand', async () => {
    const pool = new RequestPool({
      size: 1,
      queueBound: 10,
      dataDir: DEFAULT_DATA,
      file: STUB,
      workerData: { hang: ['CNXIA', 'KZAAU', 'AZBAK'] },
    });
    const task = (from: string): AnswerTask => ({
      kind: 'route',
      raw: { from, to: 'DEDUI' },
      key: from,
      today: '2026-12-07',
      world: { revision: 0, publications: [] },
      stored: [],
    });
    try {
      const gone = [new AbortController(), new AbortController(), new AbortController()];
      const runs = ['CNXIA', 'KZAAU', 'AZBAK'].map((from, i) => pool.run(task(from), gone[i]?.signal));
      for (const r of runs) r.catch(() => undefined);
      await vi.waitFor(() => expect({ held: pool.held, queued: pool.queued }).toEqual({ held: 2, queued: 1 }), {
        timeout: 20_000,
      });
      gone[2]?.abort();
      await expect(runs[2]).rejects.toMatchObject({ code: 'unavailable' });
      expect({ queued: pool.queued, withdrawn: pool.withdrawn }).toEqual({ queued: 0, withdrawn: 1 });
      // Those a thread already holds are not taken back: their answers would still be cached.
      gone[0]?.abort();
      gone[1]?.abort();
      expect({ held: pool.held, withdrawn: pool.withdrawn }).toEqual({ held: 2, withdrawn: 1 });
    } finally {
      await pool.close();
    }
  });
});
