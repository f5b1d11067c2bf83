/**
 * The API on the default dataset, in-process: what a client sees for good and bad requests.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { RouteResultSchema } from '../../src/api/schemas/route.js';
import { cliJson } from '../helpers/cli.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

const isProblem = (r: { headers: Record<string, unknown>; statusCode: number; body: string }, status: number) => {
  expect(r.statusCode).toBe(status);
  expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const b = json(r);
  expect(b).toMatchObject({
    type: expect.stringMatching(/^\/problems\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(r.body).not.toMatch(/at .*\.(js|ts):\d+/);
  return b;
};

describe('locations', () => {
  it('finds a place by alias, spelling variant or code, best match first', async () => {
    const byAlias = json(await api.get('/api/v1/locations?q=Aqtau'));
    expect(byAlias.locations[0]).toMatchObject({ id: 'KZAAU', name: 'Aktau', country: 'KZ', kind: expect.any(String) });
    const byCode = json(await api.get('/api/v1/locations?q=dedui'));
    expect(byCode.locations[0].id).toBe('DEDUI');
    const fuzzy = json(await api.get('/api/v1/locations?q=Xian'));
    expect(fuzzy.locations[0].id).toBe('CNXIA');
  });
  it('lists every location without q, filtered by country', async () => {
    // Pages of at most 100 by name; following nextCursor reaches every location once.
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { locations: { id: string }[]; nextCursor: string | null } = json(
        await api.get(`/api/v1/locations?limit=100${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.locations.length).toBeLessThanOrEqual(100);
      seen.push(...page.locations.map((l: { id: string }) => l.id));
      cursor = page.nextCursor;
    }
    expect(seen.length).toBe(api.ctx.dataset.locations.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(json(await api.get('/api/v1/locations')).locations.length).toBe(50);
    const kz = json(await api.get('/api/v1/locations?country=kz'));
    expect(kz.locations.length).toBeGreaterThan(0);
    expect(kz.locations.every((l: { country: string }) => l.country === 'KZ')).toBe(true);
  });
  it('refuses unknown parameters and bad values, naming them', async () => {
    const b = isProblem(await api.get('/api/v1/locations?query=xian'), 400);
    expect(b.errors).toEqual([
      expect.objectContaining({ field: 'query', message: expect.stringMatching(/unknown parameter.*`query`/) }),
    ]);
    const l = isProblem(await api.get('/api/v1/locations?q=x&limit=0'), 400);
    expect(l.errors[0]).toMatchObject({ field: 'query.limit', value: '0' });
  });
  it('gives 404 with the closest ids for an unknown id', async () => {
    const b = isProblem(await api.get('/api/v1/locations/DEDUX'), 404);
    expect(b.candidates).toContain('DEDUI');
  });
});

describe('routes', () => {
  it("returns the same JSON as `corridor route --json` (Xi'an → Duisburg avoiding RU)", async () => {
    const r = await api.get(`/api/v1/routes?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const cli = await cliJson('route', "Xi'an", 'Duisburg', '--avoid', 'RU');
    expect(json(r)).toEqual(cli);
    expect(RouteResultSchema.safeParse(json(r)).success).toBe(true);
    expect(json(r).options.every((o: { totals: { countries: string[] } }) => !o.totals.countries.includes('RU'))).toBe(
      true,
    );
  });
  it('takes lists comma-separated or repeated, and answers repeated queries from the cache identically', async () => {
    const a = await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=RU,IR&modes=rail,ferry,sea');
    const b = await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=RU&avoid=IR&modes=rail&modes=ferry&modes=sea');
    expect(a.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    expect((await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=RU,IR&modes=rail,ferry,sea')).body).toBe(a.body);
  });
  it('gives 404 with candidates for an unknown place, naming the parameter', async () => {
    const b = isProblem(await api.get('/api/v1/routes?from=Xian&to=Duisbrug'), 404);
    expect(b.candidates).toContain('DEDUI');
    expect(b.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
  });
  it('gives 400 naming every bad parameter and what is valid', async () => {
    const b = isProblem(
      await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=XX&modes=rail,plane&maxTransshipments=-1&preset=fast'),
      400,
    );
    const fields = b.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['query.avoid', 'query.maxTransshipments', 'query.modes', 'query.preset']);
    const c = isProblem(await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&avoid=XX&modes=rail,plane'), 400);
    expect(c.errors).toEqual([
      expect.objectContaining({ field: 'query.avoid', message: expect.stringMatching(/"XX" is not an ISO 3166-1/) }),
      expect.objectContaining({
        field: 'query.modes',
        message: expect.stringMatching(/"plane" is not a mode; valid: rail, road, sea, ferry/),
      }),
    ]);
    isProblem(await api.get('/api/v1/routes?to=DEDUI'), 400);
    isProblem(await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&scenario=nope'), 404);
  });
  it('routes under a dataset scenario', async () => {
    const name = api.ctx.dataset.scenarios[0]!.name;
    const r = json(await api.get(`/api/v1/routes?from=CNXIA&to=DEDUI&scenario=${name}`));
    expect(r.query.scenario).toBe(name);
  });
});

describe('HTTP behaviour', () => {
  it('405 with Allow for a known path and another method', async () => {
    const r = await api.send('DELETE', '/api/v1/routes');
    isProblem(r, 405);
    expect(r.headers.allow).toBe('GET, HEAD');
    expect((await api.send('PATCH', '/api/v1/scenarios/x', {})).headers.allow).toBe('DELETE, GET, HEAD, PUT');
  });
  it('404 problem for an unknown path', async () => {
    isProblem(await api.get('/api/v2/nothing'), 404);
  });
  it('400 for malformed JSON, 413 for a 2 MB body, 415 for a non-JSON body', async () => {
    const planner = await api.key('planner');
    const bad = isProblem(await api.send('POST', '/api/v1/scenarios', '{"name": "x",', planner), 400);
    expect(bad.type).toBe('/problems/malformed-json');
    const big = JSON.stringify({ name: 'big', title: 'x', description: 'y'.repeat(2 * 1024 * 1024) });
    isProblem(await api.send('POST', '/api/v1/scenarios', big, planner), 413);
    isProblem(
      await api.send('POST', '/api/v1/scenarios', 'name=x', planner, {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      415,
    );
  });
  it('sends no CORS headers by default', async () => {
    const r = await api.get('/api/v1/locations?q=baku', undefined, { origin: 'https://evil.example' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
  it('allows only the configured origins', async () => {
    const other = await testApi({ config: { corsOrigins: ['https://corridor.example'] } });
    try {
      const ok = await other.get('/health', undefined, { origin: 'https://corridor.example' });
      expect(ok.headers['access-control-allow-origin']).toBe('https://corridor.example');
      const no = await other.get('/health', undefined, { origin: 'https://evil.example' });
      expect(no.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await other.close();
    }
  });
  it('rate-limits per address and per key, with 429 problem+json and Retry-After', async () => {
    const limited = await testApi({ config: { rateLimitAnonymousPerMin: 3, rateLimitKeyPerMin: 5 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.get('/api/v1/locations?q=baku')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const r = await limited.get('/api/v1/locations?q=baku');
      isProblem(r, 429);
      expect(r.headers['retry-after']).toBeDefined();
      // A key has its own, larger budget.
      const k = await limited.key('viewer');
      for (let i = 0; i < 5; i++) expect((await limited.get('/api/v1/locations?q=baku', k)).statusCode).toBe(200);
      expect((await limited.get('/api/v1/locations?q=baku', k)).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('operations', () => {
  it('/health and /ready', async () => {
    expect(json(await api.get('/health'))).toEqual({ status: 'ok' });
    expect(json(await api.get('/ready'))).toMatchObject({
      status: 'ready',
      database: { dialect: 'sqlite', schemaVersion: LATEST_SCHEMA_VERSION },
    });
  });
  it('/metrics in the Prometheus format, counting requests by route template', async () => {
    await api.get('/api/v1/locations?q=baku');
    // Not public by default (test/api/defaults.test.ts): an admin key reads it.
    const r = await api.get('/metrics', await api.key('admin'));
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toMatch(
      /corridor_http_request_duration_seconds_count\{route="\/api\/v1\/locations",method="GET",status="200"\} \d+/,
    );
    expect(r.body).toMatch(/corridor_process_resident_memory_bytes \d+/);
  });
  it('/openapi.json is a valid OpenAPI 3.1 document covering every endpoint', async () => {
    const doc = json(await api.get('/openapi.json'));
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/v1/locations',
      '/api/v1/routes',
      '/api/v1/plans',
      '/api/v1/scenarios',
      '/api/v1/scenarios/{name}',
      '/api/v1/scenarios/diff',
      '/api/v1/assignments',
      '/api/v1/assignments/{id}',
      '/v1/point-to-point-routes',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    const params = doc.paths['/api/v1/routes'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['from', 'to', 'avoid', 'modes', 'scenario']));
    expect(doc.paths['/api/v1/scenarios'].post['x-required-role']).toBe('planner');
  });
  it('/docs serves the interactive documentation', async () => {
    const r = await api.get('/docs/');
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/swagger-ui/i);
  });
  it('/problems/{code} explains each problem type', async () => {
    expect(json(await api.get('/problems/unknown-place'))).toMatchObject({ status: 404, title: 'Unknown place' });
    isProblem(await api.get('/problems/toString'), 404);
  });
});

describe('plans', () => {
  it("returns the same JSON as `corridor plan --json` (Xi'an → Duisburg, ready 2026-03-02 08:00 local)", async () => {
    const r = await api.get(
      `/api/v1/plans?from=${encodeURIComponent("Xi'an")}&to=Duisburg&ready=2026-03-02T08:00&samples=500`,
    );
    expect(r.statusCode).toBe(200);
    const cli = await cliJson('plan', "Xi'an", 'Duisburg', '--ready', '2026-03-02T08:00', '--samples', '500');
    expect(json(r)).toEqual(cli);
    const it0 = json(r).itineraries[0];
    expect(it0.arrival.p50).toMatch(/^2026-/);
    expect(it0.departure >= '2026-03-02T08:00').toBe(true);
  });
  it('names a bad or out-of-range ready time, and refuses too many samples', async () => {
    const bad = isProblem(await api.get('/api/v1/plans?from=CNXIA&to=DEDUI&ready=tomorrow'), 400);
    expect(bad.errors[0]).toMatchObject({ field: 'query.ready', value: 'tomorrow' });
    const outside = isProblem(await api.get('/api/v1/plans?from=CNXIA&to=DEDUI&ready=2031-01-01T08:00'), 400);
    expect(outside.errors[0].field).toBe('query.ready');
    expect(outside.detail).toMatch(/outside the validity of every service/);
    const many = isProblem(await api.get('/api/v1/plans?from=CNXIA&to=DEDUI&ready=2026-03-02&samples=1000000'), 400);
    expect(many.errors[0].field).toBe('query.samples');
    isProblem(await api.get('/api/v1/plans?from=CNXIA&to=DEDUI'), 400);
  });
});

describe('quotes', () => {
  it('returns the same JSON as `corridor quote --json` for a real shipment', async () => {
    const r = await api.get('/api/v1/quotes?from=CNXIA&to=DEDUI&containers=2x40HC&weight=30t&date=2025-06-01&avoid=RU');
    expect(r.statusCode).toBe(200);
    const cli = await cliJson(
      'quote',
      'CNXIA',
      'DEDUI',
      '--containers',
      '2x40HC',
      '--weight',
      '30t',
      '--date',
      '2025-06-01',
      '--avoid',
      'RU',
    );
    expect(json(r)).toEqual(cli);
    expect(json(r).options[0].quote).toBeDefined();
  });
  it('exports PACT footprints and names bad shipment parameters', async () => {
    const pact = json(await api.get('/api/v1/quotes?from=CNXIA&to=DEDUI&format=pact&option=1'));
    expect(pact.data).toHaveLength(1);
    const bad = isProblem(await api.get('/api/v1/quotes?from=CNXIA&to=DEDUI&containers=3xBANANA'), 400);
    expect(bad.detail).toMatch(/BANANA/);
    isProblem(await api.get('/api/v1/quotes?from=CNXIA&to=DEDUI&option=99'), 400);
    isProblem(await api.get('/api/v1/quotes?from=CNXIA&to=DEDUI&reefer=yes'), 400);
  });
});
