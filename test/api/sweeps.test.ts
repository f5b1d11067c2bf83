/**
 * Sweeps through the API: the runs are jobs on the engine (in-process here, pg-boss in
 * test/multi/), the summary equals `corridor sweep`'s for the same request, and a sweep is its
 * owner's alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepRunId } from '../../src/api/routes/sweeps.js';
import { json, testApi, type TestApi } from '../helpers/api.js';
import { cliJson } from '../helpers/cli.js';

let api: TestApi;
let planner = '';
let other = '';
let admin = '';
beforeAll(async () => {
  api = await testApi({ jobs: 1 });
  planner = await api.key('planner');
  admin = await api.key('admin');
  other = await api.keyIn('planner', 'elsewhere');
});
afterAll(() => api.close());

async function waitDone(id: string, timeoutMs = 60_000): Promise<any> {
  const t0 = Date.now();
  for (;;) {
    const s = json(await api.get(`/api/v1/sweeps/${id}`, planner));
    if (s.status !== 'queued' && s.status !== 'running') return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`sweep ${id} still ${s.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sweeps', () => {
  it('runs every draw as a job and answers with the same distributions as corridor sweep', async () => {
    const body = { scenario: 'demand-2029', compare: 'baku-25mt', draws: 5, seed: 9, levels: [1, 1.5] };
    const r = await api.send('POST', '/api/v1/sweeps', body, planner);
    expect(r.statusCode).toBe(202);
    const created = json(r);
    expect(r.headers.location).toBe(`/api/v1/sweeps/${created.id}`);
    expect(created.runs.total).toBe(10);
    expect(created.summary).toBeUndefined();
    // Each run is a batch-priority job under an id derived from the sweep and its index.
    const job = json(await api.get(`/api/v1/assignments/${sweepRunId(created.id, 0)}`, planner));
    expect(job.kind).toBe('sweep-draw');
    const done = await waitDone(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.runs).toMatchObject({ total: 10, succeeded: 10, failed: 0, queued: 0, running: 0 });
    const direct = await cliJson(
      'sweep',
      '--scenario',
      'demand-2029',
      '--compare',
      'baku-25mt',
      '--draws',
      '5',
      '--seed',
      '9',
      '--levels',
      '1,1.5',
    );
    expect(done.summary).toEqual(direct.summary);
    expect(done.summary.levels[0].valueUsd).toBeDefined();
  });

  it("is the organisation's: a colleague sees it, another organisation gets 404, an admin sees it", async () => {
    const { id } = json(
      await api.send('POST', '/api/v1/sweeps', { scenario: 'demand-2029', draws: 1, seed: 1 }, planner),
    );
    expect((await api.get(`/api/v1/sweeps/${id}`, other)).statusCode).toBe(404);
    expect((await api.send('DELETE', `/api/v1/sweeps/${id}`, undefined, other)).statusCode).toBe(404);
    expect((await api.get(`/api/v1/sweeps/${id}`, admin)).statusCode).toBe(200);
    const colleague = await api.keyIn('viewer', 'test-org');
    expect(json(await api.get(`/api/v1/sweeps/${id}`, colleague)).createdBy).toBe('org:test-org');
    expect(json(await api.get('/api/v1/sweeps', other)).sweeps).toEqual([]);
    const mine = json(await api.get('/api/v1/sweeps?limit=100', planner)).sweeps;
    expect(mine.map((s: any) => s.id)).toContain(id);
    expect(mine.every((s: any) => s.summary === undefined)).toBe(true);
    await waitDone(id);
    const again = await api.send('DELETE', `/api/v1/sweeps/${id}`, undefined, planner);
    expect(again.statusCode).toBe(409);
  });

  it('refuses a bad request before queueing anything, naming the field', async () => {
    const before = json(await api.get('/api/v1/sweeps?limit=100', admin)).sweeps.length;
    const cases: [unknown, string][] = [
      [{ scenario: 'no-such', draws: 2, seed: 1 }, 'no-such'],
      [{ scenario: 'demand-2029', draws: 0, seed: 1 }, 'body.draws'],
      [{ scenario: 'demand-2029', draws: 2000, seed: 1, levels: [1, 2, 3] }, 'more than 5000'],
      [{ scenario: 'demand-2029', draws: 2, seed: 1, extra: true }, 'extra'],
    ];
    for (const [body, says] of cases) {
      const r = await api.send('POST', '/api/v1/sweeps', body, planner);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).toContain(says);
    }
    expect(json(await api.get('/api/v1/sweeps?limit=100', admin)).sweeps.length).toBe(before);
    expect((await api.send('POST', '/api/v1/sweeps', { draws: 1, seed: 1 })).statusCode).toBe(401);
    expect((await api.get('/api/v1/sweeps/not-a-uuid', planner)).statusCode).toBe(400);
  });
});
