/**
 * Resource limits (issue #14, API4): stored documents are bounded, lists are paged summaries, the
 * body's scenario name follows the path's rule. Each case is a reproduction from the probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/api/guards/limits.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let planner = '';
beforeAll(async () => {
  api = await testApi({ config: { bodyLimitBytes: 4 * 1024 * 1024 } });
  planner = await api.key('planner');
});
afterAll(() => api.close());

const doc = (name: string, description = 'a test scenario') => ({ name, title: 'T', description });

describe('stored scenario limits', () => {
  it('refuses a 1 MB scenario body instead of storing it (413), and a long description field (400)', async () => {
    const big = await api.send('POST', '/api/v1/scenarios', doc('huge', 'x'.repeat(1024 * 1024)), planner);
    expect(big.statusCode).toBe(413);
    expect(json(big).detail).toContain(String(LIMITS.storedDocumentBytes));
    const long = await api.send(
      'POST',
      '/api/v1/scenarios',
      doc('long', 'x'.repeat(LIMITS.storedStringChars + 1)),
      planner,
    );
    expect(long.statusCode).toBe(400);
    expect(json(long).errors[0].field).toBe('body.description');
    expect((await api.get('/api/v1/scenarios/huge')).statusCode).toBe(404);
  });

  it('validates the body name like the path: a 100,000-character name is a 400, not a 201', async () => {
    const r = await api.send('POST', '/api/v1/scenarios', doc('a'.repeat(100_000)), planner);
    expect(r.statusCode).toBe(400);
    expect(r.headers.location).toBeUndefined();
    expect(JSON.stringify(json(r).errors)).toContain('body.name');
  });

  it('caps the scenarios one key may store', async () => {
    const key = await api.key('admin');
    for (let i = 0; i < LIMITS.scenariosPerKey; i++)
      await api.store.createScenario(`quota-${i}`, doc(`quota-${i}`), key.split('_')[1] ?? '', '2026-12-07T00:00Z');
    const r = await api.send('POST', '/api/v1/scenarios', doc('one-too-many'), key);
    expect(r.statusCode).toBe(409);
    expect(json(r).detail).toContain(String(LIMITS.scenariosPerKey));
    for (let i = 0; i < LIMITS.scenariosPerKey; i++) await api.store.deleteScenario(`quota-${i}`, null, '2026-12-07');
  });
});

describe('paged scenario list', () => {
  it('pages with limit ≤ 100 and a cursor, visiting every scenario once, with summaries only', async () => {
    for (let i = 0; i < 7; i++) {
      const r = await api.send('POST', '/api/v1/scenarios', { ...doc(`paged-${i}`), changes: [] }, planner);
      expect(r.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const r = await api.get(`/api/v1/scenarios?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode).toBe(200);
      const body = json(r);
      expect(body.scenarios.length).toBeLessThanOrEqual(3);
      for (const s of body.scenarios) expect(s.changes).toBeUndefined();
      seen.push(...body.scenarios.map((s: { name: string }) => s.name));
      cursor = body.nextCursor;
      if (cursor) expect(r.headers['next-page-cursor']).toBe(cursor);
      pages++;
    }
    const all = [...api.ctx.dataset.scenarios.map((s) => s.name), ...[0, 1, 2, 3, 4, 5, 6].map((i) => `paged-${i}`)];
    expect(seen.sort()).toEqual(all.sort());
    expect(new Set(seen).size).toBe(seen.length);
    // The look-ahead row means no empty last page.
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('refuses limit above 100, below 1, and a forged cursor', async () => {
    for (const q of [
      'limit=101',
      'limit=0',
      'limit=abc',
      'cursor=!!',
      `cursor=${Buffer.from('x').toString('base64url')}`,
    ])
      expect((await api.get(`/api/v1/scenarios?${q}`)).statusCode).toBe(400);
    expect(json(await api.get('/api/v1/scenarios?limit=100')).scenarios.length).toBeLessThanOrEqual(100);
  });
});
