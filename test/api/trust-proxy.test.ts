/**
 * TRUST_PROXY: the client address (rate limits, bad-key throttles) comes from X-Forwarded-For only
 * when the peer is a configured proxy. The probe's reproduction: with TRUST_PROXY=true, rotating
 * X-Forwarded-For gave every request a fresh anonymous budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, parseTrustProxy, type TrustProxy } from '../../src/api/config.js';
import { testApi, type TestApi } from '../helpers/api.js';

describe('TRUST_PROXY setting', () => {
  it('false by default; a hop count; a list of addresses and ranges', () => {
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, 192.0.2.7,2001:db8::/32,loopback')).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8::/32',
      'loopback',
    ]);
  });

  it('refuses true, with the choices', () => {
    expect(() => configFromEnv({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => configFromEnv({ TRUST_PROXY: 'true' })).toThrow(/hop count.*CIDR/s);
  });

  it('refuses what is not an address or range, naming it', () => {
    for (const bad of ['proxy.internal', '10.0.0.0/33', '10.0.0', '1e3', '10.0.0.1/', '::1/129'])
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
  });
});

/** Four anonymous requests under a limit of 3 per address per minute: which were refused. */
async function burst(
  api: TestApi,
  from: string,
  forwardedFor: (i: number) => string | undefined,
  n = 4,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const xff = forwardedFor(i);
    const r = await api.app.inject({
      method: 'GET',
      url: '/openapi.json',
      remoteAddress: from,
      headers: xff !== undefined ? { 'x-forwarded-for': xff } : {},
    });
    statuses.push(r.statusCode);
  }
  return statuses;
}

describe.each<[string, TrustProxy]>([
  ['not trusted (default)', false],
  ['a list of proxies', ['10.0.0.1', '10.9.0.0/16']],
  ['one hop', 1],
])('rate limits with TRUST_PROXY %s', (label, trustProxy) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi({ config: { trustProxy, rateLimitAnonymousPerMin: 3 } });
  });
  afterAll(async () => {
    await api.close();
  });

  // One hop trusts whichever peer is nearest, so a hop count suits only a server that nothing but the
  // proxies can reach (documented); the address lists trust their proxies only.
  it.skipIf(typeof trustProxy === 'number')(
    'rotating X-Forwarded-For from a client that is not a proxy does not change its bucket',
    async () => {
      const statuses = await burst(api, '203.0.113.5', (i) => `198.51.100.${i + 1}`);
      expect(statuses).toEqual([200, 200, 200, 429]);
    },
  );

  it(`the forwarded address is the client's when the peer is a trusted proxy (${label})`, async () => {
    if (trustProxy === false) {
      // Not trusted: every request from the proxy's address shares its bucket.
      expect(await burst(api, '10.0.0.1', (i) => `198.51.100.${i + 20}`)).toEqual([200, 200, 200, 429]);
      return;
    }
    const proxy = Array.isArray(trustProxy) ? '10.9.4.4' : '10.0.0.1';
    // Clients behind the proxy, each with its own budget...
    expect(await burst(api, proxy, (i) => `198.51.100.${i + 40}`)).toEqual([200, 200, 200, 200]);
    // ...and one of them is limited by its own address, whatever it prepends to the header.
    expect(await burst(api, proxy, (i) => `192.0.2.${i}, 198.51.100.77`)).toEqual([200, 200, 200, 429]);
  });
});
