/**
 * Safe defaults: /metrics needs an admin key (or the scraper's METRICS_TOKEN) unless opened on
 * purpose; /docs stays public (it is the API's documentation); every response, the web page's
 * included, carries a Permissions-Policy that switches off browser features nothing here uses.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS_POLICY } from '../../src/api/app.js';
import { ConfigError, configFromEnv } from '../../src/api/config.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

const TOKEN = 'scrape-0123456789abcdef0123456789';

describe('/metrics by default', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi({ config: { metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('is not public', async () => {
    expect(configFromEnv({}).metricsPublic).toBe(false);
    const r = await api.get('/metrics');
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).not.toMatch(/corridor_http_request_duration_seconds/);
  });

  it('refuses keys below admin, serves an admin key', async () => {
    const viewer = await api.get('/metrics', await api.key('viewer'));
    expect(viewer.statusCode).toBe(403);
    expect(json(viewer).requiredRole).toBe('admin');
    const admin = await api.get('/metrics', await api.key('admin'));
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toMatch(/corridor_http_request_duration_seconds/);
  });

  it('serves the metrics token, which opens nothing else', async () => {
    expect((await api.get('/metrics', TOKEN)).statusCode).toBe(200);
    expect((await api.get('/metrics', `${TOKEN}x`)).statusCode).toBe(401);
    // Not an API key: elsewhere it is refused like any unknown key.
    expect((await api.get('/api/v1/scenarios', TOKEN)).statusCode).toBe(401);
  });

  it('/docs and /openapi.json stay public', async () => {
    expect((await api.get('/openapi.json')).statusCode).toBe(200);
    expect((await api.get('/docs/')).statusCode).toBe(200);
  });

  it('a short METRICS_TOKEN is a configuration error', () => {
    expect(() => configFromEnv({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(configFromEnv({ METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
  });
});

describe('/metrics opened on purpose', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi({ config: configFromEnv({ CORRIDOR_METRICS_PUBLIC: 'true', LOG_LEVEL: 'silent' }) });
  });
  afterAll(async () => {
    await api.close();
  });

  it('CORRIDOR_METRICS_PUBLIC=true serves anyone', async () => {
    expect((await api.get('/metrics')).statusCode).toBe(200);
  });
});

describe('Permissions-Policy', () => {
  let api: TestApi;
  beforeAll(async () => {
    const web = mkdtempSync(join(tmpdir(), 'corridor-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
    api = await testApi({ webDir: web });
  });
  afterAll(async () => {
    await api.close();
  });

  it('is on the web page, beside its CSP', async () => {
    const r = await api.get('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).toBeDefined();
    expect(r.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    expect(PERMISSIONS_POLICY).toMatch(/camera=\(\)/);
    expect(PERMISSIONS_POLICY).toMatch(/geolocation=\(\)/);
  });

  it('is on API answers and on errors', async () => {
    expect((await api.get('/api/v1/scenarios')).headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    expect((await api.get('/no/such/thing')).headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
  });
});
