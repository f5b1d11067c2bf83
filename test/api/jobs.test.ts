/**
 * Assignment jobs through the API with real worker threads: queued at once, run off the request
 * path, progress visible, results equal to the direct computation, cancellable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let planner = '';
let viewer = '';
beforeAll(async () => {
  api = await testApi({ jobs: 1 });
  planner = await api.key('planner');
  viewer = await api.key('viewer');
});
afterAll(() => api.close());

async function waitFor(id: string, until: (j: any) => boolean, timeoutMs = 20_000): Promise<any> {
  const t0 = Date.now();
  for (;;) {
    const j = json(await api.get(`/api/v1/assignments/${id}`, viewer));
    if (until(j)) return j;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${j.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('assignment jobs', () => {
  it('lists the job kinds with their parameter schemas', async () => {
    const kinds = json(await api.get('/api/v1/assignments/kinds')).kinds;
    expect(kinds.map((k: { name: string }) => k.name)).toEqual([
      'route-batch',
      'route-matrix',
      'assignment',
      'sweep-draw',
    ]);
    expect(kinds[0].params.properties.queries).toBeDefined();
  });

  it('runs a route batch in a worker: 202 at once, then the same results as a direct search', async () => {
    const queries = [
      { from: "Xi'an", to: 'Duisburg' },
      { from: 'CNXIA', to: 'DEDUI', avoid: 'RU' },
    ];
    const t0 = Date.now();
    const r = await api.send('POST', '/api/v1/assignments', { kind: 'route-batch', params: { queries } }, planner);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.statusCode).toBe(202);
    const { id, status } = json(r);
    // An idle in-process worker may already have taken it when the response is written.
    expect(['queued', 'running']).toContain(status);
    expect(r.headers.location).toBe(`/api/v1/assignments/${id}`);
    const done = await waitFor(id, (j) => j.status === 'succeeded');
    expect(done.progress.fraction).toBe(1);
    // The same answer GET /api/v1/routes gives (priced the same way).
    expect(done.result.results[0].result).toEqual(json(await api.get("/api/v1/routes?from=Xi'an&to=Duisburg")));
    expect(done.result.results[1].result.options.every((o: any) => !o.totals.countries.includes('RU'))).toBe(true);
    const list = json(await api.get('/api/v1/assignments?status=succeeded', viewer)).assignments;
    expect(list.map((j: { id: string }) => j.id)).toContain(id);
    expect(list[0].result).toBeUndefined();
  });

  it('computes a route matrix over chosen places', async () => {
    const locations = ['CNXIA', 'KZAAU', 'AZBAK', 'DEDUI'];
    const r = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'route-matrix', params: { locations, avoid: 'RU' } },
      planner,
    );
    const done = await waitFor(json(r).id, (j) => j.status === 'succeeded');
    expect(done.result.pairs).toBe(12);
    expect(done.result.reachable + done.result.unreachable).toBe(12);
    const cell = done.result.cells.find((c: any) => c.from === 'CNXIA' && c.to === 'DEDUI');
    const direct = json(await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=RU'));
    expect(cell.minDurationH).toBe(Math.min(...direct.options.map((o: any) => o.totals.durationH)));
    expect(cell.minCostUsd).toBe(Math.min(...direct.options.map((o: any) => o.totals.costUsd)));
  });

  it('runs the capacity-constrained assignment of a scenario in a worker, with its bottlenecks', async () => {
    const r = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'assignment', params: { scenario: 'demand-2029' } },
      planner,
    );
    expect(r.statusCode).toBe(202);
    const done = await waitFor(json(r).id, (j) => j.status === 'succeeded' || j.status === 'failed', 60_000);
    expect(done.status).toBe('succeeded');
    expect(done.result.demandSet).toBe('trains-2029');
    const result = done.result;
    expect(result.bottlenecks.length).toBeGreaterThan(0);
    for (const b of result.bottlenecks) expect(b.shadowPrice).toBeGreaterThanOrEqual(0);
    for (const l of result.links)
      if (l.capacity !== null && l.capacity !== undefined) expect(l.flow).toBeLessThanOrEqual(l.capacity * (1 + 1e-9));
    const bad = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'assignment', params: { scenario: 'atlantis' } },
      planner,
    );
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0]).toMatchObject({
      field: 'body.params.scenario',
      message: expect.stringContaining('valid:'),
    });
    const noDemand = await api.send('POST', '/api/v1/assignments', { kind: 'assignment', params: {} }, planner);
    expect(noDemand.statusCode).toBe(400);
    expect(json(noDemand).errors[0]).toMatchObject({ field: 'body.params.demand' });
  });

  it('an operator-published link capacity is the capacity the next assignment job uses', async () => {
    const admin = await api.key('admin');
    const pub = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
      { capacityPerYear: { value: 1000, unit: 'TEU' }, assumption: 'test: one small feeder left in service this year' },
      admin,
    );
    expect(pub.statusCode).toBe(200);
    try {
      const r = await api.send(
        'POST',
        '/api/v1/assignments',
        { kind: 'assignment', params: { scenario: 'demand-2029' } },
        planner,
      );
      const done = await waitFor(json(r).id, (j) => j.status === 'succeeded' || j.status === 'failed', 60_000);
      expect(done.status).toBe('succeeded');
      const feeder = done.result.links.filter((l: any) => l.id === 'aktau-alat');
      expect(feeder.length).toBeGreaterThan(0);
      // The file says 89,000 TEU/yr; the job sees the published 1,000.
      for (const l of feeder) {
        expect(l.capacityNative).toEqual({ value: 1000, unit: 'TEU/yr' });
        expect(l.flow).toBeLessThanOrEqual(1000 * (1 + 1e-9));
      }
    } finally {
      await api.send('DELETE', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', undefined, admin);
    }
  });

  it('refuses bad params at submission, naming the field', async () => {
    const unknownKind = await api.send('POST', '/api/v1/assignments', { kind: 'assign-flows', params: {} }, planner);
    expect(unknownKind.statusCode).toBe(400);
    expect(json(unknownKind).errors[0]).toMatchObject({
      field: 'body.kind',
      message: expect.stringMatching(/valid: route-batch, route-matrix, assignment/),
    });
    const badPlace = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'route-batch', params: { queries: [{ from: 'CNXIA', to: 'Atlantis' }] } },
      planner,
    );
    expect(badPlace.statusCode).toBe(400);
    expect(json(badPlace).errors[0].field).toBe('body.params.queries[0].to');
    const badOption = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'route-matrix', params: { modes: 'plane' } },
      planner,
    );
    expect(json(badOption).errors[0].field).toBe('body.params.modes');
    const empty = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'route-batch', params: { queries: [] } },
      planner,
    );
    expect(json(empty).errors[0].field).toBe('body.params.queries');
  });

  it('shows progress while running, cancels a running job, and the worker is free for the next one', async () => {
    // All pairs with three extra criteria: about a second of work, so it is normally caught running
    // between two progress writes (every 300 ms). A machine fast enough to finish it before the
    // first poll sees progress gets another try: being caught running is this test's precondition,
    // not the behaviour under test; a runner that never shows progress still fails every try.
    let id = '';
    let running: any;
    for (let attempt = 0; attempt < 5 && !running; attempt++) {
      const big = await api.send(
        'POST',
        '/api/v1/assignments',
        { kind: 'route-matrix', params: { criteria: 'transshipments,borders,risk' } },
        planner,
      );
      id = json(big).id;
      const seen = await waitFor(
        id,
        (j) => (j.status === 'running' && j.progress.fraction > 0) || j.status === 'succeeded' || j.status === 'failed',
      );
      if (seen.status === 'running') running = seen;
    }
    expect(running, 'a route-matrix job seen running with progress').toBeDefined();
    expect(running.progress.message).toMatch(/→/);
    const c = await api.send('DELETE', `/api/v1/assignments/${id}`, undefined, planner);
    expect(c.statusCode).toBe(200);
    expect(json(c).status).toBe('cancelled');
    expect((await api.send('DELETE', `/api/v1/assignments/${id}`, undefined, planner)).statusCode).toBe(409);
    const next = await api.send(
      'POST',
      '/api/v1/assignments',
      { kind: 'route-batch', params: { queries: [{ from: 'KZAAU', to: 'AZBAK' }] } },
      planner,
    );
    await waitFor(json(next).id, (j) => j.status === 'succeeded', 15_000);
    expect(json(await api.get(`/api/v1/assignments/${id}`, viewer)).status).toBe('cancelled');
  });

  it('404 for an unknown job, 400 for a malformed id', async () => {
    expect((await api.get('/api/v1/assignments/00000000-0000-4000-8000-000000000000', viewer)).statusCode).toBe(404);
    expect((await api.get('/api/v1/assignments/42', viewer)).statusCode).toBe(400);
  });
});
