/**
 * Keys and roles: every mutating route refuses a request without a key (401) and a key of each
 * role below the one it needs (403); the route list comes from the app's own table, so a new
 * route is covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable } from '../../src/api/app.js';
import { ROLE_RANK } from '../../src/api/keys.js';
import { ROLES, type Role } from '../../src/store/store.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

const specs = buildRouteTable().specs;
const mutating = specs.filter((s) => s.method !== 'GET');
const concrete = (url: string) =>
  url
    .replace(':name', 'some-scenario')
    .replace(':id', url.includes('keys') ? 'abcdefabcdef' : '00000000-0000-4000-8000-000000000000')
    // The operator key of the harness belongs to China Railway (the first link's operator).
    .replace(':operator', 'china-railway')
    .replace(':service', 'some-service')
    .replace(':tariffSet', 'tariffs-2025')
    .replace(':component', 'some-component')
    .replace(':link', 'xian-urumqi');
const bodyFor = (url: string) =>
  url.includes('scenarios')
    ? { name: 'some-scenario', title: 'T', description: 'D' }
    : url.includes('keys')
      ? { role: 'viewer' }
      : { kind: 'route-batch', params: { queries: [{ from: 'CNXIA', to: 'DEDUI' }] } };

describe('every mutating route needs a key with a sufficient role', () => {
  it('has mutating routes, and none of them is open', () => {
    expect(mutating.length).toBeGreaterThanOrEqual(13);
    for (const s of mutating) expect(ROLES as readonly string[], `${s.method} ${s.url}`).toContain(s.access);
  });

  for (const s of mutating) {
    const need = s.access as Role;
    describe(`${s.method} ${s.url} (needs ${need})`, () => {
      it('401 without a key, with WWW-Authenticate', async () => {
        const r = await api.send(
          s.method as 'POST',
          concrete(s.url),
          s.method === 'DELETE' ? undefined : bodyFor(s.url),
        );
        expect(r.statusCode).toBe(401);
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(r.headers['content-type']).toMatch(/problem\+json/);
      });
      it('401 with a forged or malformed key', async () => {
        const forged = `cor_abcdefabcdef_${'A'.repeat(43)}`;
        expect((await api.send(s.method as 'POST', concrete(s.url), bodyFor(s.url), forged)).statusCode).toBe(401);
        expect(
          (
            await api.send(s.method as 'POST', concrete(s.url), bodyFor(s.url), undefined, {
              authorization: 'Basic dXNlcjpwYXNz',
            })
          ).statusCode,
        ).toBe(401);
      });
      for (const role of ROLES.filter((r) => ROLE_RANK[r] < ROLE_RANK[need])) {
        it(`403 for role ${role}`, async () => {
          const r = await api.send(
            s.method as 'POST',
            concrete(s.url),
            s.method === 'DELETE' ? undefined : bodyFor(s.url),
            await api.key(role),
          );
          expect(r.statusCode).toBe(403);
          expect(json(r)).toMatchObject({ requiredRole: need, role });
        });
      }
      it(`gets past authorization with role ${need}`, async () => {
        const r = await api.send(
          s.method as 'POST',
          concrete(s.url),
          s.method === 'DELETE' ? undefined : bodyFor(s.url),
          await api.key(need),
        );
        expect([401, 403]).not.toContain(r.statusCode);
        expect(r.statusCode).toBeLessThan(500);
      });
    });
  }
});

describe('keys', () => {
  it('an admin creates a key over the API, it works at once, and revoking it stops it', async () => {
    const admin = await api.key('admin');
    const created = await api.send('POST', '/api/v1/keys', { role: 'planner', label: 'ci' }, admin);
    expect(created.statusCode).toBe(201);
    const { key, id } = json(created);
    expect(key).toMatch(/^cor_[a-z0-9]{12}_/);
    const listed = json(await api.get('/api/v1/keys', admin));
    expect(JSON.stringify(listed)).not.toContain(key.slice('cor_'.length + 13) /* the secret: it may contain '_' */);
    expect(listed.keys.find((k: { id: string }) => k.id === id)).toMatchObject({
      role: 'planner',
      label: 'ci',
      revokedAt: null,
    });
    const scen = { name: 'key-test', title: 'T', description: 'D' };
    expect((await api.send('POST', '/api/v1/scenarios', scen, key)).statusCode).toBe(201);
    expect((await api.send('DELETE', `/api/v1/keys/${id}`, undefined, admin)).statusCode).toBe(204);
    expect((await api.send('DELETE', '/api/v1/scenarios/key-test', undefined, key)).statusCode).toBe(401);
  });
  it('stores only a scrypt hash', async () => {
    const k = await api.key('viewer');
    // The secret is base64url and may itself contain `_`: only the first two separators count.
    const [, id, secret] = /^cor_([a-z0-9]{12})_(.+)$/.exec(k) ?? [];
    const rec = await api.store.findKey(id ?? '');
    expect(rec).toBeDefined();
    expect(secret?.length).toBeGreaterThan(20);
    expect(JSON.stringify(rec)).not.toContain(secret);
    expect(rec!.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it('an operator key names an operator from the data', async () => {
    const admin = await api.key('admin');
    const bad = await api.send('POST', '/api/v1/keys', { role: 'operator', operator: 'Nobody Rail' }, admin);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0]).toMatchObject({
      field: 'body.operator',
      message: expect.stringMatching(/unknown operator; valid: /),
    });
    expect((await api.send('POST', '/api/v1/keys', { role: 'viewer', operator: 'ADY' }, admin)).statusCode).toBe(400);
  });
  it('blocks an address after repeated invalid keys, before any more hashing', async () => {
    const forged = `cor_abcdefabcdef_${'B'.repeat(43)}`;
    const other = await testApi();
    try {
      const codes: number[] = [];
      for (let i = 0; i < 32; i++) codes.push((await other.get('/api/v1/locations?q=baku', forged)).statusCode);
      expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
      expect(codes.slice(30)).toEqual([429, 429]);
    } finally {
      await other.close();
    }
  });
});

describe('anonymous reads can be switched off', () => {
  it('then reads need a key (401), and any role may read', async () => {
    const closed = await testApi({ config: { anonymousRead: false } });
    try {
      expect((await closed.get('/api/v1/locations?q=baku')).statusCode).toBe(401);
      expect((await closed.get('/api/v1/routes?from=CNXIA&to=DEDUI')).statusCode).toBe(401);
      expect((await closed.get('/api/v1/locations?q=baku', await closed.key('viewer'))).statusCode).toBe(200);
      expect((await closed.get('/health')).statusCode).toBe(200);
    } finally {
      await closed.close();
    }
  });
  it('job lists are never anonymous', async () => {
    expect((await api.get('/api/v1/assignments')).statusCode).toBe(401);
    expect((await api.get('/api/v1/assignments', await api.key('viewer'))).statusCode).toBe(200);
  });
});
