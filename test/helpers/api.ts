/**
 * In-process API harness: the whole app on a temp SQLite file (or a given store), driven with
 * `app.inject()` — no port, no network.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { configFromEnv, type ServiceConfig } from '../../src/api/config.js';
import type { ServiceContext } from '../../src/api/context.js';
import { loadDataset, type LoadResult } from '../../src/data/load.js';
import { openStore } from '../../src/store/open.js';
import { Jobs, openJobQueue, workJobs } from '../../src/api/jobs/jobs.js';
import { WorkerPool } from '../../src/api/jobs/pool.js';
import type { Role, Store } from '../../src/store/store.js';
import type { RequestPool } from '../../src/api/request-pool.js';
import { TEST_TODAY } from './cli.js';
import { DEFAULT_DATA } from './tmp-dataset.js';

const loads = new Map<string, LoadResult>();
export function loadOnce(dir: string): LoadResult {
  let l = loads.get(dir);
  if (!l) {
    l = loadDataset(dir);
    if (l.errors.length) throw new Error(`test dataset ${dir} has errors: ${l.errors[0]!.message}`);
    loads.set(dir, l);
  }
  return l;
}

export interface TestApi {
  app: FastifyInstance;
  ctx: ServiceContext;
  store: Store;
  /** A key of this role (cached per role), of the organisation `test-org`, which all these keys share. */
  key(role: Role): Promise<string>;
  /** A new key of this role in `organisation` (null: a key of its own), never cached. */
  keyIn(role: Role, organisation: string | null): Promise<string>;
  get(url: string, key?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  send(
    method: 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    body?: unknown,
    key?: string,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** `jobs`: work the job queues with this many worker threads (the built dist/ worker); the queue is in-process. */
export async function testApi(
  opts: {
    data?: string;
    config?: Partial<ServiceConfig>;
    store?: Store;
    jobs?: number;
    /** The built web page to serve at `/` (default dist/web). */
    webDir?: string;
    requestPool?: RequestPool;
  } = {},
): Promise<TestApi> {
  const store =
    opts.store ?? (await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-api-')), 'api.sqlite')}`));
  const config = configFromEnv(
    { LOG_LEVEL: 'silent', RATE_LIMIT_ANONYMOUS_PER_MIN: '1000000', RATE_LIMIT_KEY_PER_MIN: '1000000' },
    { jobWorkers: 0, requestWorkers: 0, ...opts.config },
  );
  const queue = await openJobQueue(store, { databaseUrl: 'test', pollMs: 100 });
  const { app, ctx } = await buildApp({
    config,
    load: loadOnce(opts.data ?? DEFAULT_DATA),
    store,
    jobs: new Jobs(queue, store),
    today: () => TEST_TODAY,
    ...(opts.webDir !== undefined ? { webDir: opts.webDir } : {}),
    ...(opts.requestPool ? { requestPool: opts.requestPool } : {}),
  });
  await app.ready();
  const pool = opts.jobs ? new WorkerPool(opts.jobs, opts.data ?? DEFAULT_DATA) : undefined;
  if (pool)
    await workJobs(queue, pool, {
      overlay: () => ctx.published.snapshot(),
      today: () => ctx.service.today(),
      log: app.log,
    });
  const keys = new Map<Role, string>();
  const keyIn = async (role: Role, organisation: string | null) => {
    const operator = role === 'operator' ? { operator: ctx.dataset.links[0]!.operator } : {};
    return (await ctx.keys.create(role, { ...operator, organisation })).key;
  };
  const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  return {
    app,
    ctx,
    store,
    async key(role) {
      let k = keys.get(role);
      if (!k) {
        k = await keyIn(role, 'test-org');
        keys.set(role, k);
      }
      return k;
    },
    keyIn,
    get: (url, key, headers = {}) => app.inject({ method: 'GET', url, headers: { ...auth(key), ...headers } }),
    send: (method, url, body, key, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...auth(key), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      }),
    async close() {
      await app.close();
      await queue.stop({ graceful: false });
      await pool?.close();
      await store.close();
    },
  };
}

export const json = <T = any>(r: { body: string }): T => JSON.parse(r.body) as T;
