/**
 * The bad-key throttle under concurrency (issue #14, API2). Counters, not clocks: the tests count
 * scrypt runs and status codes, so they hold on a slow machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_THROTTLE_DEFAULTS, AuthThrottle } from '../../src/api/guards/auth-throttle.js';
import { KeyService } from '../../src/api/keys.js';
import { testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

const from = (key: string, remoteAddress: string) =>
  api.app.inject({
    method: 'GET',
    url: '/api/v1/locations?q=baku',
    headers: { authorization: `Bearer ${key}` },
    remoteAddress,
  });
const idOf = (key: string) => key.split('_')[1] ?? '';
const wrongSecret = (key: string, i = 0) => `cor_${idOf(key)}_${String(i).padStart(43, 'Z')}`;

describe('bad-key throttle', () => {
  it('answers 429 to a concurrent burst of wrong secrets for a known key id, hashing only a bounded few', async () => {
    const victim = (await api.ctx.keys.create('admin')).key;
    const before = api.ctx.keys.scryptRuns;
    const res = await Promise.all(Array.from({ length: 300 }, (_, i) => from(wrongSecret(victim, i), '10.0.0.1')));
    const codes = res.map((r) => r.statusCode);
    const runs = api.ctx.keys.scryptRuns - before;
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(250);
    expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
    expect(runs).toBeLessThanOrEqual(AUTH_THROTTLE_DEFAULTS.failuresPerKeyAndAddress);
    for (const r of res.filter((x) => x.statusCode === 429))
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from their own address, still gets in: the lockout is per (address, key id).
    expect((await from(victim, '10.0.0.2')).statusCode).toBe(200);
  });

  it('never locks a correct secret out: 30 bad keys from an address leave a valid admin key working', async () => {
    const admin = (await api.ctx.keys.create('admin')).key;
    expect((await from(admin, '10.0.1.1')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) {
      const id = `bad${String(i).padStart(9, '0')}`;
      expect((await from(`cor_${id}_${'Q'.repeat(43)}`, '10.0.1.1')).statusCode).toBe(401);
    }
    expect((await from(admin, '10.0.1.1')).statusCode).toBe(200);
    // Even past the per-address budget, a secret verified before needs no hashing and is not throttled.
    const budget = 5;
    const keys = new KeyService(
      api.store,
      0,
      10,
      new AuthThrottle({ ...AUTH_THROTTLE_DEFAULTS, failuresPerAddress: budget }),
    );
    const k = (await keys.create('viewer')).key;
    expect(await keys.verify(k, '10.0.2.1')).toBeDefined();
    for (let i = 0; i < budget; i++) await keys.check(wrongSecret(k), '10.0.2.1');
    expect((await keys.check(wrongSecret(k), '10.0.2.1')).kind).toBe('throttled');
    expect((await keys.check(k, '10.0.2.1')).kind).toBe('ok');
  });

  it('an unknown key id costs the same scrypt as a wrong secret', async () => {
    const keys = new KeyService(api.store);
    await keys.verify(`cor_${'u'.repeat(12)}_${'A'.repeat(43)}`, '10.0.3.1');
    expect(keys.scryptRuns).toBe(1);
  });

  it('a revocation made elsewhere (the CLI) is seen once the verification TTL ends, without scrypt', async () => {
    const server = new KeyService(api.store, 0);
    const k = (await server.create('planner')).key;
    expect(await server.verify(k)).toBeDefined();
    expect(await server.verify(k)).toBeDefined();
    expect(server.scryptRuns).toBe(1);
    await new KeyService(api.store).revoke(idOf(k));
    expect(await server.verify(k)).toBeUndefined();
  });
});

describe('a first burst with one valid key', () => {
  it('shares one scrypt and is never throttled', async () => {
    const keys = new KeyService(api.store);
    const k = (await keys.create('planner')).key;
    const runs = keys.scryptRuns;
    const out = await Promise.all(Array.from({ length: 50 }, () => keys.check(k, '10.0.4.1')));
    expect(out.every((v) => v.kind === 'ok')).toBe(true);
    expect(keys.scryptRuns - runs).toBe(1);
  });
});
