/**
 * Starts the service: loads and checks the dataset, opens the store (migrating it), starts the
 * job workers, listens, and shuts down cleanly on SIGTERM/SIGINT (running jobs go back to the
 * queue for the next start).
 */
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { defaultDataDir, loadDataset } from '../data/load.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import type { ServiceConfig } from './config.js';
import { WorkerPool } from './jobs/pool.js';
import { JobRunner } from './jobs/runner.js';

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
    store = await openStore(config.databaseUrl);
  } catch (e) {
    throw new StartupError(`cannot open the database: ${e instanceof Error ? e.message : String(e)}`);
  }
  const workers = Math.min(config.jobWorkers, Math.max(1, availableParallelism()));
  const pool = workers > 0 ? new WorkerPool(workers, load.dir) : undefined;
  // The runner logs through the app's logger, which exists only after buildApp: bind it late.
  let runner: JobRunner | undefined;
  const { app, ctx } = await buildApp({ config, load, store });
  if (pool) {
    runner = new JobRunner(
      store,
      pool,
      { leaseMs: config.jobLeaseMs, pollMs: config.jobPollMs, maxAttempts: config.jobMaxAttempts },
      app.log,
      () => ctx.published.snapshot(),
      () => ctx.service.today(),
    );
    ctx.jobs = runner;
  }
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    await pool?.close();
    await store.close();
    const code = (e as { code?: string }).code;
    throw new StartupError(
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is in use (set PORT)`
        : `cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`,
    );
  }
  runner?.start();
  const port = (app.server.address() as { port: number } | null)?.port ?? config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  app.log.info(
    { url, database: store.description, dataset: load.dir, jobWorkers: workers },
    'corridor service listening',
  );
  onLog(
    `corridor: serving ${url} (database ${store.description}, dataset ${load.dir}, ${workers} job ` +
      `worker(s)); API docs at ${url}/docs`,
  );

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      ctx.closing = true;
      await app.close();
      await runner?.stop();
      await store.close();
    })());
  return { app, url, close };
}
