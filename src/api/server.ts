/**
 * Starts the service: loads and checks the dataset, opens the store (migrating it) and the job
 * engine (pg-boss on PostgreSQL, the in-process queue on SQLite), starts job workers unless
 * `jobWorkers` is 0 (`corridor serve --no-workers`: API only, `corridor worker` processes run the
 * jobs), listens, and shuts down cleanly on SIGTERM/SIGINT (running jobs finish within the grace,
 * the rest go back to the queue).
 */
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { defaultDataDir, loadDataset } from '../data/load.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import type { ServiceConfig } from './config.js';
import { Jobs, openJobQueue, workJobs } from './jobs/jobs.js';
import { WorkerPool } from './jobs/pool.js';

export class StartupError extends Error {}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(
  config: ServiceConfig,
  onLog: (line: string) => void = () => undefined,
): Promise<RunningServer> {
  const dataDir = config.dataDir ?? defaultDataDir();
  const load = loadDataset(dataDir);
  if (load.errors.length > 0) {
    throw new StartupError(
      (
        `the dataset in ${load.dir} has ${load.errors.length} error(s); run \`corridor validate ` +
        `${config.dataDir ?? ''}\` to list them`
      ).replace(/ `$/, '`'),
    );
  }
  let store: Store;
  try {
    // Checkpoints off the event loop (decision 0031): a commit never waits for one.
    store = await openStore(config.databaseUrl, {}, { backgroundCheckpointMs: 1000 });
  } catch (e) {
    throw new StartupError(`cannot open the database: ${e instanceof Error ? e.message : String(e)}`);
  }
  const workers = Math.min(config.jobWorkers, Math.max(1, availableParallelism()));
  let queue: Awaited<ReturnType<typeof openJobQueue>>;
  try {
    queue = await openJobQueue(store, {
      databaseUrl: config.databaseUrl,
      pollMs: config.jobPollMs,
      ...(config.jobExpireS !== undefined ? { expireInS: config.jobExpireS } : {}),
    });
  } catch (e) {
    await store.close();
    throw new StartupError(`cannot start the job queue: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pool = workers > 0 ? new WorkerPool(workers, load.dir) : undefined;
  const { app, ctx } = await buildApp({ config, load, store, jobs: new Jobs(queue, store) });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    await queue.stop({ graceful: false });
    await pool?.close();
    await store.close();
    const code = (e as { code?: string }).code;
    throw new StartupError(
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is in use (set PORT)`
        : `cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`,
    );
  }
  if (pool)
    await workJobs(queue, pool, {
      overlay: () => ctx.published.snapshot(),
      today: () => ctx.service.today(),
      log: app.log,
    });
  const port = (app.server.address() as { port: number } | null)?.port ?? config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  app.log.info(
    { url, database: store.description, dataset: load.dir, jobEngine: queue.engine, jobWorkers: workers },
    'corridor service listening',
  );
  onLog(
    `corridor: serving ${url} (database ${store.description}, dataset ${load.dir}, jobs on ${queue.engine} ` +
      `with ${workers} worker(s) here); API docs at ${url}/docs`,
  );

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      ctx.closing = true;
      await app.close();
      await queue.stop({ graceful: true, timeoutMs: config.jobShutdownMs });
      await pool?.close();
      await store.close();
    })());
  return { app, url, close };
}
