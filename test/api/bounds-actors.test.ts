/**
 * Issue #14 through the API: publications and stored scenarios are held to the data files'
 * plausibility bounds (a 400 naming the field, value and range), and the key ids behind
 * `publishedBy` / `by` / `createdBy` are shown only to admins and the key's own organisation.
 */
import { LIMITS } from '../../src/api/guards/limits.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin = '';
let kmtf = '';
let china = '';
beforeAll(async () => {
  api = await testApi();
  admin = await api.key('admin');
  kmtf = (await api.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
  china = (await api.ctx.keys.create('operator', { operator: 'china-railway' })).key;
});
afterAll(() => api.close());

const idOf = (key: string) => key.split('_')[1];
const errorsOf = (r: { body: string }) => json(r).errors as { field: string; message: string }[];

describe('publications are held to the plausibility bounds', () => {
  it('a capacity of 1e308 TEU/yr is a 400 naming the field, value and valid range', async () => {
    const r = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
      { capacityPerYear: { value: 1e308, unit: 'TEU' }, source: 'https://example.org/fleet' },
      kmtf,
    );
    expect(r.statusCode).toBe(400);
    expect(errorsOf(r)).toContainEqual({
      field: 'body.capacityPerYear.value',
      message: expect.stringContaining('valid is 1 ≤ value ≤ 60,000,000 TEU/yr'),
    });
  });

  it('a service with a cut-off of a million hours is refused', async () => {
    const svc = structuredClone(api.ctx.dataset.services?.find((s) => s.id === 'xian-dostyk-block-train'));
    expect(svc).toBeDefined();
    const body = {
      service: { ...svc, cutoffH: { value: 1e6, assumption: 'a typo: hours written in seconds here' } },
      source: 'https://example.org/cr',
    };
    const r = await api.send('PUT', '/api/v1/operators/china-railway/services/xian-dostyk-block-train', body, china);
    expect(r.statusCode).toBe(400);
    const e = errorsOf(r).find((x) => x.field === 'body.service.cutoffH.value');
    expect(e?.message).toMatch(/cutoffH\.value 1,000,000 .*valid is 0 ≤ value ≤ 8760 h/);
  });

  it('a tariff amount of 1e12 is refused, 1.37 is accepted', async () => {
    const set = api.ctx.dataset.pricing?.tariffSets.find((s) => s.id === 'tariffs-2025');
    const c = structuredClone(set?.legCharges.find((x) => x.id === 'cr-express-line-haul'));
    const url = '/api/v1/operators/china-railway/tariffs/tariffs-2025/cr-express-line-haul';
    const put = (value: number) =>
      api.send(
        'PUT',
        url,
        { legCharge: { ...c, amount: { value, source: 'published-by-china-railway' } }, source: 'x.org' },
        china,
      );
    const bad = await put(1e12);
    expect(bad.statusCode).toBe(400);
    expect(errorsOf(bad).map((e) => e.field)).toContain('body.legCharge.amount.value');
    expect((await put(1.37)).statusCode).toBe(200);
    expect((await api.send('DELETE', url, undefined, china)).statusCode).toBe(204);
  });

  it('a stored scenario multiplying a capacity by 1e-9 is refused', async () => {
    const planner = await api.key('planner');
    const r = await api.send(
      'POST',
      '/api/v1/scenarios',
      {
        name: 'far-link',
        title: 'Far',
        description: 'A link too long',
        links: [{ id: 'aktau-alat', capacityMultiplier: { value: 1e-9, assumption: 'a typo in the multiplier here' } }],
      },
      planner,
    );
    expect(r.statusCode).toBe(400);
    expect(errorsOf(r)).toContainEqual({
      field: 'body.links[0].capacityMultiplier.value',
      message: expect.stringContaining('valid is 0.001 ≤ value ≤ 1000 ×'),
    });
  });
});

describe('key ids are hidden from other readers', () => {
  it('publishedBy and history.by name the operator or organisation; the key id only to admins, the owner', async () => {
    const body = { capacityPerYear: { value: 90000, unit: 'TEU' }, source: 'https://example.org/fleet' };
    const url = '/api/v1/operators/kazmortransflot/capacities/aktau-alat';
    expect((await api.send('PUT', url, body, kmtf)).statusCode).toBe(200);
    const read = async (key?: string) => json(await api.get('/api/v1/operators/kazmortransflot', key));
    const other = await api.keyIn('viewer', 'someone-else');
    for (const [who, key] of [
      ['anonymous', undefined],
      ['another organisation', other],
      ['another operator', china],
    ] as const) {
      const op = await read(key);
      const text = JSON.stringify(op);
      expect(text, who).not.toContain(idOf(kmtf));
      expect(op.publications[0].publishedBy, who).toBe('kazmortransflot');
      expect(op.history.at(-1).by, who).toBe('kazmortransflot');
    }
    expect((await read(kmtf)).publications[0].publishedBy).toBe(idOf(kmtf));
    expect((await read(admin)).publications[0].publishedBy).toBe(idOf(kmtf));
    expect((await api.send('DELETE', url, undefined, kmtf)).statusCode).toBe(204);
  });

  it("a public scenario's createdBy is the organisation for other readers", async () => {
    const planner = await api.keyIn('planner', 'acme-freight');
    const doc = { name: 'acme-open', title: 'Open', description: 'Shared', visibility: 'public' };
    expect((await api.send('POST', '/api/v1/scenarios', doc, planner)).statusCode).toBe(201);
    const anon = json(await api.get('/api/v1/scenarios/acme-open'));
    expect(anon).toMatchObject({ createdBy: 'acme-freight', updatedBy: 'acme-freight' });
    const listed = json(await api.get('/api/v1/scenarios?limit=100')).scenarios.find(
      (s: { name: string }) => s.name === 'acme-open',
    );
    expect(listed.createdBy).toBe('acme-freight');
    const colleague = await api.keyIn('viewer', 'acme-freight');
    expect(json(await api.get('/api/v1/scenarios/acme-open', colleague)).createdBy).toBe(idOf(planner));
    // A key of no organisation is named by its role only.
    const loner = await api.keyIn('planner', null);
    const d2 = { name: 'loner-open', title: 'Open', description: 'Shared', visibility: 'public' };
    expect((await api.send('POST', '/api/v1/scenarios', d2, loner)).statusCode).toBe(201);
    expect(json(await api.get('/api/v1/scenarios/loner-open')).createdBy).toBe('planner key');
  });
});

describe('current publications per operator', () => {
  it('are capped: one more new record is a 409 naming the limit, a replacement still goes through', async () => {
    const body = (teu: number) => ({
      capacityPerYear: { value: teu, unit: 'TEU' },
      source: 'https://example.org/fleet',
    });
    const url = (link: string) => `/api/v1/operators/kazmortransflot/capacities/${link}`;
    expect((await api.send('PUT', url('aktau-alat'), body(80_000), kmtf)).statusCode).toBe(200);
    // Fill the rest of the operator's quota straight in the store (through the API it would take minutes).
    const have = (await api.store.listPublications()).filter((p) => p.operator === 'kazmortransflot').length;
    const filler = Array.from({ length: LIMITS.publicationsPerOperator - have }, (_, i) => `quota-link-${i}`);
    for (const target of filler)
      await api.store.putPublication(
        { kind: 'link-capacity', target, operator: 'kazmortransflot', body: body(1000) },
        null,
        '2026-12-07T00:00:00Z',
      );
    const refused = await api.send('PUT', url('turkmenbashi-aktau'), body(50_000), kmtf);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).detail).toContain(String(LIMITS.publicationsPerOperator));
    // Replacing a record it already publishes is not a new one.
    expect((await api.send('PUT', url('aktau-alat'), body(85_000), kmtf)).statusCode).toBe(200);
    for (const target of filler)
      await api.store.deletePublication('link-capacity', target, null, '2026-12-07T00:01:00Z', 'kazmortransflot');
    expect((await api.send('PUT', url('turkmenbashi-aktau'), body(50_000), kmtf)).statusCode).toBe(200);
  });
});
