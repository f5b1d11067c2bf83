/**
 * One answer per question: the CLI, the HTTP API and the job kinds ask the same application
 * service, so the same query gives the same JSON through each — under a scenario, with prices.
 * (Before the service they disagreed: route jobs ignored scenario overlays and priced nominally.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';
import { cliJson } from '../helpers/cli.js';

let api: TestApi;
let planner = '';
beforeAll(async () => {
  api = await testApi({ jobs: 1 });
  planner = await api.key('planner');
});
afterAll(() => api.close());

async function job(kind: string, params: unknown): Promise<any> {
  const r = await api.send('POST', '/api/v1/assignments', { kind, params }, planner);
  expect(r.statusCode).toBe(202);
  const id = json(r).id;
  for (let i = 0; i < 1200; i++) {
    const j = json(await api.get(`/api/v1/assignments/${id}`, planner));
    if (j.status === 'succeeded') return j.result;
    if (j.status === 'failed') throw new Error(`job failed: ${j.error}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('job did not finish');
}

const QUERY = { from: "Xi'an", to: 'Duisburg', scenario: 'northern-closed', ready: '2025-01-06', containers: '2x40' };
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

describe('CLI = API = jobs', () => {
  it("routes Xi'an → Duisburg under northern-closed, priced for the ready date, identically", async () => {
    const viaCli = await cliJson(
      'route',
      QUERY.from,
      QUERY.to,
      '--scenario',
      QUERY.scenario,
      '--ready',
      QUERY.ready,
      '--containers',
      QUERY.containers,
    );
    const viaApi = json(await api.get(`/api/v1/routes?${qs(QUERY)}`));
    const viaBatch = await job('route-batch', { queries: [QUERY] });
    expect(viaApi).toEqual(viaCli);
    expect(viaBatch.results[0].result).toEqual(viaCli);
    // The scenario holds in every one of them: nothing through Russia, and priced as stated.
    expect(viaCli.options.length).toBeGreaterThan(0);
    for (const o of viaCli.options) expect(o.totals.countries).not.toContain('RU');
    expect(viaCli.pricing).toMatchObject({ date: '2025-01-06', basis: 'ready-date' });
    // The matrix prices each pair as the route endpoint does.
    const matrix = await job('route-matrix', {
      locations: ['CNXIA', 'DEDUI'],
      ...QUERY,
      from: undefined,
      to: undefined,
    });
    const cell = matrix.cells.find((c: any) => c.from === 'CNXIA' && c.to === 'DEDUI');
    expect(cell.minCostUsd).toBe(Math.min(...viaCli.options.map((o: any) => o.totals.costUsd)));
  });

  it('quotes and plans the same through the CLI and the API', async () => {
    const quoteCli = await cliJson('quote', 'Shanghai', 'Rotterdam', '--date', '2025-01-16', '--containers', '1x40HC');
    expect(json(await api.get('/api/v1/quotes?from=Shanghai&to=Rotterdam&date=2025-01-16&containers=1x40HC'))).toEqual(
      quoteCli,
    );
    const planCli = await cliJson('plan', "Xi'an", 'Baku', '--ready', '2025-01-06T08:00', '--scenario', 'congested');
    expect(
      json(
        await api.get(
          `/api/v1/plans?${qs({ from: "Xi'an", to: 'Baku', ready: '2025-01-06T08:00', scenario: 'congested' })}`,
        ),
      ),
    ).toEqual(planCli);
  });

  it('assigns a scenario’s demand identically from the CLI and as a job', async () => {
    const viaCli = await cliJson('assign', '--scenario', 'demand-2029');
    const viaJob = await job('assignment', { scenario: 'demand-2029' });
    expect(viaJob).toEqual(viaCli);
  });

  it('names a bad field in each edge’s words, from the one parser', async () => {
    const { cli } = await import('../helpers/cli.js');
    const r = await cli('route', "Xi'an", 'Duisburg', '--avoid-places', 'Atlantis');
    expect(r.stderr).toMatch(/^corridor: --avoid-places: unknown place "Atlantis"/);
    const p = json(await api.get("/api/v1/routes?from=Xi'an&to=Duisburg&avoidPlaces=Atlantis"));
    expect(p.errors).toEqual([expect.objectContaining({ field: 'query.avoidPlaces', value: 'Atlantis' })]);
    expect(p.errors[0].message).toBe(r.stderr.replace(/^corridor: --avoid-places: /, '').trim());
  });
});
