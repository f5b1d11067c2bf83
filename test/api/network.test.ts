/**
 * GET /api/v1/network (the map layer) on the default dataset, and the web page served at `/`.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { configFromEnv } from '../../src/api/config.js';
import { NetworkSchema } from '../../src/api/schemas/network.js';
import { defaultWebDir } from '../../src/api/web-page.js';
import { openStore } from '../../src/store/open.js';
import { json, loadOnce, testApi, type TestApi } from '../helpers/api.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

type Feature = { id: string; geometry: { type: string; coordinates: any }; properties: Record<string, any> };
const byType = (fc: { features: Feature[] }, t: string) => fc.features.filter((f) => f.properties.featureType === t);

describe('GET /api/v1/network', () => {
  it('is GeoJSON with every location, passage and link of the dataset, matching its schema', async () => {
    const r = await api.get('/api/v1/network');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = json(r);
    expect(NetworkSchema.safeParse(fc).success).toBe(true);
    const ds = api.ctx.dataset;
    expect(
      byType(fc, 'location')
        .map((f) => f.properties.id)
        .sort(),
    ).toEqual(ds.locations.map((l) => l.id).sort());
    expect(
      byType(fc, 'passage')
        .map((f) => f.properties.id)
        .sort(),
    ).toEqual(ds.passages.map((p) => p.id).sort());
    expect(
      byType(fc, 'link')
        .map((f) => f.properties.id)
        .sort(),
    ).toEqual(ds.links.map((l) => l.id).sort());
    const [w, s, e, n] = fc.bbox;
    for (const l of ds.locations) {
      expect(l.coordinates.lon).toBeGreaterThanOrEqual(w - 1e-3);
      expect(l.coordinates.lon).toBeLessThanOrEqual(e + 1e-3);
      expect(l.coordinates.lat).toBeGreaterThanOrEqual(s - 1e-3);
      expect(l.coordinates.lat).toBeLessThanOrEqual(n + 1e-3);
    }
  });

  it('draws each link from its origin through its sea passages to its destination', async () => {
    const fc = json(await api.get('/api/v1/network'));
    const ds = api.ctx.dataset;
    const at = (id: string) => ds.locations.find((l) => l.id === id)!.coordinates;
    const close = (p: number[], c: { lat: number; lon: number }) =>
      Math.abs(p[0]! - c.lon) < 1e-4 && Math.abs(p[1]! - c.lat) < 1e-4;
    let withPassages = 0;
    for (const f of byType(fc, 'link')) {
      const link = ds.links.find((l) => l.id === f.properties.id)!;
      const coords = f.geometry.coordinates as number[][];
      expect(f.geometry.type).toBe('LineString');
      expect(close(coords[0]!, at(link.from))).toBe(true);
      expect(close(coords[coords.length - 1]!, at(link.to))).toBe(true);
      expect(coords.length).toBe(2 + link.passages.length);
      for (const [i, id] of link.passages.entries())
        expect(close(coords[i + 1]!, ds.passages.find((p) => p.id === id)!.coordinates)).toBe(true);
      if (link.passages.length) withPassages++;
      expect(f.properties).toMatchObject({
        from: link.from,
        to: link.to,
        mode: link.mode,
        status: link.status,
        distanceKm: link.distanceKm.value,
      });
    }
    expect(withPassages).toBeGreaterThan(0);
  });

  it('gives every figure its provenance and names every source it cites', async () => {
    const fc = json(await api.get('/api/v1/network'));
    const sources = fc.sources as Record<string, { title: string; grade: string }>;
    let cited = 0;
    for (const f of fc.features as Feature[]) {
      const all = [
        ...f.properties.cited,
        ...(f.properties.transfers ?? []).flatMap((t: { cited: unknown[] }) => t.cited),
      ] as { source?: string; assumption?: string; basis?: string[] }[];
      for (const c of all) {
        cited++;
        expect(c.source !== undefined || (c.assumption ?? '').length >= 20).toBe(true);
        if (c.source) expect(sources[c.source], c.source).toBeDefined();
        for (const b of c.basis ?? []) expect(sources[b], b).toBeDefined();
      }
      for (const id of f.properties.sources) expect(sources[id], id).toBeDefined();
    }
    expect(cited).toBeGreaterThan(200);
    const ds = api.ctx.dataset;
    expect(Object.keys(sources).every((id) => ds.sources.some((s) => s.id === id))).toBe(true);
  });

  it('puts dwell, cost and capacity of border, gauge-change and handling steps on their locations', async () => {
    const fc = json(await api.get('/api/v1/network'));
    const ds = api.ctx.dataset;
    for (const t of ds.transfers) {
      const f = byType(fc, 'location').find((x) => x.properties.id === t.location)!;
      const out = f.properties.transfers.find((x: { kind: string }) => x.kind === t.kind);
      expect(out, `${t.location} ${t.kind}`).toMatchObject({
        durationH: { min: t.durationH.min, typical: t.durationH.typical, max: t.durationH.max },
        costUsdPerTeu: t.costUsdPerTeu.value,
      });
      expect(out.capacityPerDay).toEqual(
        t.capacityPerDay ? { value: t.capacityPerDay.value, unit: t.capacityPerDay.unit } : null,
      );
    }
  });

  it('marks the planned links a scenario switches on as enabled, and none in the base network', async () => {
    const base = json(await api.get('/api/v1/network'));
    expect(byType(base, 'link').filter((f) => f.properties.status !== 'operational' && f.properties.enabled)).toEqual(
      [],
    );
    expect(
      byType(base, 'link')
        .filter((f) => f.properties.status === 'operational')
        .every((f) => f.properties.enabled),
    ).toBe(true);
    const scenarios = json(await api.get('/api/v1/scenarios')).scenarios as { name: string; switchesOn: string[] }[];
    const withLinks = scenarios.filter((s) => s.switchesOn.length > 0);
    expect(withLinks.length).toBeGreaterThan(0);
    for (const s of withLinks) {
      const fc = json(await api.get(`/api/v1/network?scenario=${s.name}`));
      expect(fc.scenario).toBe(s.name);
      const on = byType(fc, 'link')
        .filter((f) => f.properties.status !== 'operational' && f.properties.enabled)
        .map((f) => f.properties.id);
      expect(on.sort()).toEqual([...s.switchesOn].sort());
    }
  });

  it('refuses an unknown scenario (404 with the known ones) and unknown parameters (400)', async () => {
    const r = await api.get('/api/v1/network?scenario=no-such-scenario');
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(r).candidates).toEqual(expect.arrayContaining(api.ctx.dataset.scenarios.map((s) => s.name)));
    const bad = await api.get('/api/v1/network?scenario=Not%20A%20Slug&x=1');
    expect(bad.statusCode).toBe(400);
    expect(
      json(bad)
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['query', 'query.scenario']);
  });

  it('is in the OpenAPI document', async () => {
    const doc = json(await api.get('/openapi.json'));
    const op = doc.paths['/api/v1/network'].get;
    expect(op.operationId).toBe('getNetwork');
    expect(op.responses['200'].content['application/geo+json'].schema.properties.features).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['scenario']);
  });
});

describe('the web page at /', () => {
  it('serves the built planner with a policy that keeps every request on this server', async () => {
    const dir = defaultWebDir();
    expect(existsSync(join(dir, 'index.html')), `${dir}index.html is missing: run \`npm run build:web\``).toBe(true);
    const r = await api.get('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(r.body).toContain('<script type="module"');
    const assets = [...r.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const a of assets) {
      const res = await api.get(a);
      expect(res.statusCode, a).toBe(200);
      expect(res.headers['cache-control']).toMatch(/immutable/);
      expect(res.body).toBe(readFileSync(join(dir, a), 'utf8'));
    }
    // The page and its styles load nothing from another origin (the browser test checks the scripts at run time).
    for (const a of [join(dir, 'index.html'), ...assets.filter((x) => x.endsWith('.css')).map((x) => join(dir, x))]) {
      const text = readFileSync(a, 'utf8');
      const external = [...text.matchAll(/(?:(?:src|href)=["']|url\(["']?)(?:https?:)?\/\/[^"')]+/g)].map((m) => m[0]);
      expect(external, a).toEqual([]);
    }
  });

  it('still answers unknown paths with a 404 problem', async () => {
    const r = await api.get('/no/such/page');
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('says how to build the page when it is not built', async () => {
    const store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-web-')), 'db.sqlite')}`);
    const { app } = await buildApp({
      config: configFromEnv({ LOG_LEVEL: 'silent' }),
      load: loadOnce(DEFAULT_DATA),
      store,
      webDir: mkdtempSync(join(tmpdir(), 'corridor-noweb-')),
    });
    try {
      const r = await app.inject({ method: 'GET', url: '/' });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('npm run build:web');
      expect((await app.inject({ method: 'GET', url: '/api/v1/network' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('GET /api/v1/demand', () => {
  it('lists every demand set of the dataset by name, with what the assignment job needs to name it', async () => {
    const r = await api.get('/api/v1/demand');
    expect(r.statusCode).toBe(200);
    const body = json(r) as { demand: { name: string; title: string; year: string | null; flows: number }[] };
    const ds = api.ctx.dataset.demand ?? [];
    expect(ds.length).toBeGreaterThan(0);
    expect(body.demand.map((d) => d.name)).toEqual(ds.map((d) => d.name).sort());
    for (const d of body.demand) {
      const src = ds.find((x) => x.name === d.name)!;
      expect(d).toMatchObject({ title: src.title, year: src.year ?? null, flows: src.flows.length });
    }
    const kinds = json(await api.get('/api/v1/assignments/kinds')).kinds as {
      name: string;
      params: { properties?: Record<string, unknown> };
    }[];
    expect(kinds.find((k) => k.name === 'assignment')?.params.properties?.demand).toBeDefined();
  });
});
