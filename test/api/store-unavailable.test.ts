/**
 * With the database down (PostgreSQL stopped, restarting, unreachable) the API answers 503
 * `unavailable` with Retry-After, not 500 `internal`. The driver under a real store fails every
 * statement the way pg does once `down` is set: the store, the key check and the job queue all see it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDriver, SqlExecutor } from '../../src/store/sql.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { SqliteDriver } from '../../src/store/sqlite.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

class FlakyDriver implements SqlDriver {
  /** What every statement throws; undefined: the database answers. */
  failure: (() => Error) | undefined;
  constructor(private readonly inner: SqliteDriver) {}
  get dialect() {
    return this.inner.dialect;
  }
  get description() {
    return this.inner.description;
  }
  get lockRowsSuffix() {
    return this.inner.lockRowsSuffix;
  }
  private check(): void {
    if (this.failure) throw this.failure();
  }
  all: SqlExecutor['all'] = async (sql, params) => {
    this.check();
    return this.inner.all(sql, params);
  };
  run: SqlExecutor['run'] = async (sql, params) => {
    this.check();
    return this.inner.run(sql, params);
  };
  runUnsynced: SqlExecutor['run'] = async (sql, params) => {
    this.check();
    return this.inner.runUnsynced(sql, params);
  };
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.check();
    return this.inner.transaction(fn);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** What pg raises: a refused connection (no server), and the server shutting down (SQLSTATE 57P01). */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED', port: 5432 });
const adminShutdown = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
const undefinedTable = () => Object.assign(new Error('relation "scenarios" does not exist'), { code: '42P01' });

let api: TestApi;
let driver: FlakyDriver;
let freshKey: string;

beforeAll(async () => {
  driver = new FlakyDriver(new SqliteDriver(join(mkdtempSync(join(tmpdir(), 'corridor-down-')), 'api.sqlite')));
  api = await testApi({ store: await SqlStore.open(driver) });
  freshKey = await api.keyIn('planner', 'down-org');
});
afterAll(async () => {
  driver.failure = undefined;
  await api.close();
});

async function whileDown<T>(failure: () => Error, run: () => Promise<T>): Promise<T> {
  driver.failure = failure;
  try {
    return await run();
  } finally {
    driver.failure = undefined;
  }
}

describe('database down', () => {
  it('a store read is 503 unavailable with Retry-After and no driver message', async () => {
    const r = await whileDown(refused, () => api.get('/api/v1/scenarios'));
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    const p = json(r);
    expect(p).toMatchObject({ type: '/problems/unavailable', status: 503 });
    expect(p.requestId).toBeTruthy();
    expect(r.body).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|5432/);
  });

  it('the server shutting down (57P01) is 503 as well, on writes and job submissions', async () => {
    const put = await whileDown(adminShutdown, () =>
      api.send('PUT', '/api/v1/scenarios/down-test', { name: 'down-test', changes: [] }, freshKey),
    );
    expect(put.statusCode).toBe(503);
    expect(put.body).not.toMatch(/administrator/);
    const job = await whileDown(adminShutdown, () =>
      api.send(
        'POST',
        '/api/v1/assignments',
        { kind: 'route-batch', params: { queries: [{ from: 'Aktau', to: 'Baku' }] } },
        freshKey,
      ),
    );
    expect(job.statusCode).toBe(503);
  });

  it('a key that must be looked up is 503 (not 401: the key may well be valid)', async () => {
    const other = await api.keyIn('viewer', 'down-org');
    const r = await whileDown(refused, () => api.get('/api/v1/scenarios', other));
    expect(r.statusCode).toBe(503);
    // Back up: the same key works.
    expect((await api.get('/api/v1/scenarios', other)).statusCode).toBe(200);
  });

  it('an outage does not count against a key: no lockout when the database is back', async () => {
    const key = await api.keyIn('viewer', 'down-org');
    // More checks than the bad-key throttle allows per address and key id in a minute (30).
    const statuses = await whileDown(refused, async () => {
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await api.get('/api/v1/scenarios', key)).statusCode);
      return out;
    });
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect((await api.get('/api/v1/scenarios', key)).statusCode).toBe(200);
  });

  it('/ready says so too', async () => {
    const r = await whileDown(refused, () => api.get('/ready'));
    expect(r.statusCode).toBe(503);
    expect(r.headers['retry-after']).toBeDefined();
  });

  it('a statement that fails for another reason is still a 500 internal', async () => {
    const r = await whileDown(undefinedTable, () => api.get('/api/v1/scenarios'));
    expect(r.statusCode).toBe(500);
    expect(json(r).type).toBe('/problems/internal');
    expect(r.body).not.toMatch(/relation/);
  });
});
