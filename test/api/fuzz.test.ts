/**
 * Fuzzing every endpoint with fast-check (seeded): random methods, paths, parameters, headers
 * and bodies — valid, nearly valid and hostile. The server must never answer 5xx, never hang,
 * and every error must be problem+json (the DCSA endpoint: its ErrorResponse) without internals.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable } from '../../src/api/app.js';
import type { RouteSpec } from '../../src/api/define-route.js';
import { testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
const keys: Record<string, string> = {};
beforeAll(async () => {
  api = await testApi();
  for (const r of ['viewer', 'planner', 'admin'] as const) keys[r] = await api.key(r);
});
afterAll(() => api.close());

const specs = buildRouteTable().specs.filter((s) => s.url !== '/metrics');

const PLACES = [
  'CNXIA',
  "Xi'an",
  'xian',
  'Duisburg',
  'DEDUI',
  'KZAAU',
  'Aqtau',
  'AZBAK',
  'GETBS',
  'Constanța',
  'TRIST',
];
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    ',',
    ',,,',
    '-1',
    '0',
    '1',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '%00',
    '\u0000',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>',
    '🚂',
    'Ələt',
    'a'.repeat(5000),
    'RU,IR',
    'rail,sea',
    'time=2,cost=1',
    'base',
  ),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...PLACES),
  fc.integer({ min: -5, max: 1e6 }).map(String),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
);

function paramNames(spec: RouteSpec<any, any, any>): string[] {
  const shape = (spec.query as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

const request = fc
  .record({
    spec: fc.constantFrom(...specs),
    otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), { freq: 5 }),
    pathValue: fc.oneof(
      nasty,
      fc.constantFrom('some-scenario', '00000000-0000-4000-8000-000000000000', 'unknown-place'),
    ),
    query: fc.array(
      fc.tuple(fc.oneof(fc.constantFrom('from', 'to', 'q', 'a', 'b'), fc.string({ maxLength: 12 })), nasty),
      { maxLength: 6 },
    ),
    knownQuery: fc.dictionary(fc.constantFrom('x'), nasty),
    pickKnown: fc.array(fc.tuple(fc.nat(), nasty), { maxLength: 6 }),
    body: fc.option(
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.record({ name: nasty, title: nasty, description: nasty }).map((v) => JSON.stringify(v)),
        fc
          .record({ kind: fc.constantFrom('route-batch', 'route-matrix', 'x'), params: fc.jsonValue({ maxDepth: 3 }) })
          .map((v) => JSON.stringify(v)),
        fc.record({ role: nasty, operator: fc.option(nasty), label: fc.option(nasty) }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 50 }),
      ),
      { freq: 2 },
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      undefined,
    ),
    auth: fc.constantFrom(undefined, 'viewer', 'planner', 'admin', 'garbage', 'forged'),
    apiVersion: fc.option(fc.constantFrom('1', '2', 'x', ''), { freq: 4 }),
  })
  .map((r) => {
    const names = paramNames(r.spec);
    const qs = new URLSearchParams();
    for (const [n, v] of r.pickKnown) if (names.length) qs.append(names[n % names.length]!, v);
    for (const [k, v] of r.query) if (k !== '') qs.append(k, v);
    const url = r.spec.url.replace(/:[a-z]+/gi, encodeURIComponent(r.pathValue) || 'x');
    return { ...r, method: r.otherMethod ?? r.spec.method, url: `${url}${qs.size ? `?${qs}` : ''}` };
  });

const TIMEOUT_MS = 10_000;

describe('fuzz: every endpoint', () => {
  it('never answers 5xx, never hangs, errors are problem details without internals', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.auth === 'garbage') headers.authorization = 'Bearer nonsense';
        else if (r.auth === 'forged') headers['x-api-key'] = `cor_abcdefabcdef_${'C'.repeat(43)}`;
        else if (r.auth) headers.authorization = `Bearer ${keys[r.auth]}`;
        if (r.contentType && r.body !== null) headers['content-type'] = r.contentType;
        if (r.apiVersion !== null) headers['api-version'] = r.apiVersion;
        const res = await Promise.race([
          api.app.inject({
            method: r.method as 'GET',
            url: r.url,
            headers,
            ...(r.body !== null && r.method !== 'GET' && r.method !== 'HEAD' ? { payload: r.body } : {}),
          }),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`hang: ${r.method} ${r.url}`)), TIMEOUT_MS),
          ),
        ]);
        expect(res.statusCode, `${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400 && r.method !== 'HEAD') {
          const ct = String(res.headers['content-type']);
          const dcsa = /^\/v[12]\//.test(r.url);
          expect(ct, `${r.method} ${r.url}`).toMatch(
            dcsa ? /^application\/(problem\+)?json/ : /^application\/problem\+json/,
          );
          const body = JSON.parse(res.body) as Record<string, unknown>;
          expect(body.status).toBe(res.statusCode);
          expect(typeof body.detail).toBe('string');
          expect(res.body).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|SQLITE_|stack/);
        }
      }),
      { numRuns: 600, seed: 7_200_701 },
    );
  }, 240_000);
});

describe('fuzz: nearly valid route and DCSA queries', () => {
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { freq: 2 });
  const routeQuery = fc.record({
    from: fc.constantFrom(...PLACES),
    to: fc.constantFrom(...PLACES),
    avoid: opt(fc.subarray(['RU', 'IR', 'AM', 'TR', 'GE', 'XX', 'ru'], { minLength: 1 }).map((a) => a.join(','))),
    modes: opt(fc.subarray(['rail', 'road', 'sea', 'ferry', 'plane'], { minLength: 1 }).map((a) => a.join(','))),
    maxTransshipments: opt(fc.integer({ min: -1, max: 6 }).map(String)),
    cargo: opt(
      fc.subarray(['reefer', 'dangerous-goods', 'oversize', 'cats'], { minLength: 1 }).map((a) => a.join(',')),
    ),
    criteria: opt(
      fc.subarray(['transshipments', 'borders', 'risk', 'beauty'], { minLength: 1 }).map((a) => a.join(',')),
    ),
    preset: opt(fc.constantFrom('fastest', 'cheapest', 'greenest', 'balanced', 'best')),
    epsilon: opt(fc.constantFrom('0', '0.05', '0.5', '-1', 'x')),
    maxOptions: opt(fc.constantFrom('1', '3', '0', '10000')),
  });
  it('GET /api/v1/routes: 200 with options, 400 or 404 with a named field — never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(routeQuery, async (q) => {
        const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== null) as [string, string][]);
        const res = await api.get(`/api/v1/routes?${qs}`);
        expect(res.statusCode, `${qs} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        const body = JSON.parse(res.body);
        if (res.statusCode === 200) expect(Array.isArray(body.options)).toBe(true);
        else expect(body.errors?.[0]?.field ?? body.candidates, `${qs}: ${res.body.slice(0, 200)}`).toBeDefined();
      }),
      { numRuns: 150, seed: 42 },
    );
  }, 240_000);

  it('paged lists: limit and cursor of any shape give a page of at most limit summaries or a named 400', async () => {
    const cursorFrom = async (url: string) => {
      const r = JSON.parse((await api.get(`${url}?limit=1`, keys.admin)).body) as { nextCursor?: string | null };
      return r.nextCursor ?? '';
    };
    // Every paged list (issue #14): stored ones and those the dataset bounds; an operator's history.
    const lists = [
      '/api/v1/scenarios',
      '/api/v1/assignments',
      '/api/v1/keys',
      '/api/v1/operators',
      '/api/v1/operators/china-railway',
      '/api/v1/sweeps',
      '/api/v1/demand',
      '/api/v1/locations',
    ];
    const itemsOf = (b: Record<string, unknown[] | undefined>) =>
      b.scenarios ?? b.assignments ?? b.keys ?? b.operators ?? b.history ?? b.sweeps ?? b.demand ?? b.locations;
    const real = await Promise.all(lists.map(cursorFrom));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: lists.length - 1 }),
        opt(fc.oneof(fc.constantFrom('1', '50', '100', '101', '0', '-1', '1.5', '99999'), nasty)),
        opt(fc.oneof(fc.constantFrom(...real.filter(Boolean)), nasty, fc.base64String({ maxLength: 40 }))),
        fc.constantFrom<string | undefined>(undefined, 'viewer', 'planner', 'admin'),
        async (which, limit, cursor, role) => {
          const url = lists[which] as string;
          const qs = new URLSearchParams();
          if (limit !== null) qs.set('limit', limit);
          if (cursor !== null) qs.set('cursor', cursor);
          const res = await api.get(`${url}?${qs}`, role ? keys[role] : undefined);
          expect(res.statusCode, `${url}?${qs} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          const body = JSON.parse(res.body);
          if (res.statusCode === 200) {
            const items = itemsOf(body) as Record<string, unknown>[];
            expect(items.length).toBeLessThanOrEqual(limit !== null && /^\d+$/.test(limit) ? Number(limit) : 50);
            expect(body.nextCursor === null || typeof body.nextCursor === 'string').toBe(true);
            // Summaries: no overlay, job detail, key hash or per-operator record lists.
            for (const item of items)
              expect(item.changes ?? item.result ?? item.params ?? item.hash ?? item.summary).toBeUndefined();
            if (url === '/api/v1/operators') for (const item of items) expect(item.links).toBeUndefined();
          } else expect([400, 401, 403]).toContain(res.statusCode);
          if (res.statusCode === 400) expect(body.errors?.[0]?.field).toMatch(/^query\./);
        },
      ),
      { numRuns: 300, seed: 44 },
    );
  }, 240_000);

  it('GET /v1/point-to-point-routes with real UN/LOCODEs and random filters', async () => {
    const codes = ['CNXIA', 'DEDUI', 'KZAAU', 'AZBAK', 'GETBS', 'TRIST', 'PLMAL', 'NLRTM', 'XXAAA'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          placeOfReceipt: fc.constantFrom(...codes),
          placeOfDelivery: fc.constantFrom(...codes),
          maxTranshipment: opt(fc.constantFrom('0', '1', '5', '-1')),
          departureStartDate: opt(fc.constantFrom('2026-01-01', '2026-12-31', '2026-02-29', '2028-02-29')),
          arrivalEndDate: opt(fc.constantFrom('2026-01-20', '2030-01-01')),
          limit: opt(fc.constantFrom('1', '2', '100', '0')),
          cargoType: opt(fc.constantFrom('DRY', 'REEFER', 'FROZEN')),
        }),
        async (q) => {
          const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== null) as [string, string][]);
          const res = await api.get(`/v1/point-to-point-routes?${qs}`);
          expect(res.statusCode, `${qs} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
          expect(res.headers['api-version']).toBe('1.0.3');
        },
      ),
      { numRuns: 120, seed: 43 },
    );
  }, 240_000);
});
