/**
 * Paging of the lists that were served whole (issue #14, API4): keys, operators, an operator's
 * publication history, sweeps, demand sets and locations take `limit` ≤ 100 and a `cursor`; walking
 * the pages serves every item exactly once, `limit=101` and a forged cursor are a named 400.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let admin = '';
beforeAll(async () => {
  api = await testApi();
  admin = await api.key('admin');
  for (let i = 0; i < 4; i++) await api.keyIn('viewer', null);
});
afterAll(() => api.close());

/** Every item of a list, walking its pages of `limit`; each page at most `limit` long. */
async function walk(url: string, field: string, limit: number, key = admin) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const r = await api.get(`${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, key);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    const body = json(r);
    const items = body[field] as Record<string, unknown>[];
    expect(items.length).toBeLessThanOrEqual(limit);
    ids.push(...items.map((i) => String(i.id ?? i.name ?? i.revision)));
    if (body.nextCursor) expect(r.headers['next-page-cursor']).toBe(body.nextCursor);
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 200);
  return { ids, pages };
}

describe('paged lists', () => {
  it.each([
    ['/api/v1/keys', 'keys'],
    ['/api/v1/operators', 'operators'],
    ['/api/v1/demand', 'demand'],
    ['/api/v1/locations', 'locations'],
  ])('%s: pages of 2 serve every item once, as one page of 100 does', async (url, field) => {
    const { ids, pages } = await walk(url, field, 2);
    expect(new Set(ids).size).toBe(ids.length);
    const whole = await walk(url, field, 100);
    expect(ids).toEqual(whole.ids);
    if (ids.length > 2) expect(pages).toBeGreaterThan(1);
  });

  it.each([
    '/api/v1/keys',
    '/api/v1/operators',
    '/api/v1/operators/china-railway',
    '/api/v1/sweeps',
    '/api/v1/demand',
    '/api/v1/locations',
  ])('%s: limit=101 and a forged cursor are a 400 naming the field', async (url) => {
    const over = await api.get(`${url}?limit=101`, admin);
    expect(over.statusCode).toBe(400);
    expect(json(over).errors[0].field).toBe('query.limit');
    const forged = await api.get(`${url}?cursor=${Buffer.from('not-issued').toString('base64url')}`, admin);
    expect(forged.statusCode).toBe(400);
    expect(json(forged).errors[0].field).toBe('query.cursor');
  });

  it("an operator's history pages by revision, oldest first", async () => {
    const kmtf = (await api.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
    const url = '/api/v1/operators/kazmortransflot/capacities/aktau-alat';
    for (const value of [90000, 91000, 92000])
      expect(
        (await api.send('PUT', url, { capacityPerYear: { value, unit: 'TEU' }, source: 'x.org' }, kmtf)).statusCode,
      ).toBe(200);
    const { ids } = await walk('/api/v1/operators/kazmortransflot', 'history', 1, kmtf);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(ids).toHaveLength(3);
  });

  it('sweeps made in the same millisecond are each served once (the cursor is time and id)', async () => {
    const at = '2026-12-07T10:00:00.000Z';
    const made: string[] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of made)
      await api.ctx.store.createSweep({ id, request: {}, runs: 0, createdAt: at, createdBy: null });
    const { ids } = await walk('/api/v1/sweeps', 'sweeps', 1);
    expect(ids.filter((i) => made.includes(i)).sort()).toEqual([...made].sort());
  });

  it('a search (q) is ranked, not paged: a cursor with q is a 400', async () => {
    const r = await api.get(`/api/v1/locations?q=baku&cursor=${Buffer.from('c1:AZBAK').toString('base64url')}`);
    expect(r.statusCode).toBe(400);
    expect(json(r).errors[0].field).toBe('query.cursor');
    expect(json(await api.get('/api/v1/locations?q=baku')).nextCursor).toBeNull();
  });
});
