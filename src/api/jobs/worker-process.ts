/**
 * A job worker process (`corridor worker`): loads the dataset, opens the store and the job
 * engine, keeps the operator publications current (polling the store as API instances do) and
 * works the kinds' queues with a pool of worker threads. It serves no HTTP. On SIGTERM it stops
 * taking work, lets running jobs finish for up to the shutdown grace, and hands back the rest.
 */
import { availableParallelism } from 'node:os';
import { defaultDataDir, loadDataset } from '../../data/load.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import type { ServiceConfig } from '../config.js';
import { PublishedWorld } from '../publications.js';
import { openJobQueue, workJobs } from './jobs.js';
import { WorkerPool } from './pool.js';

export class WorkerStartupError extends Error {}

export interface RunningWorker {
  concurrency: number;
  queues: readonly string[] | undefined;
  close(opts?: { graceful?: boolean }): Promise<void>;
}

export async function startWorker(
  config: ServiceConfig,
  opts: { concurrency?: number; queues?: readonly string[] },
  log: Pick<Console, 'info' | 'error' | 'warn'>,
): Promise<RunningWorker> {
  const dataDir = config.dataDir ?? defaultDataDir();
  const load = loadDataset(dataDir);
  if (load.errors.length > 0)
    throw new WorkerStartupError(
      `the dataset in ${load.dir} has ${load.errors.length} error(s); run corridor validate`,
    );
  let store: Store;
  try {
    store = await openStore(config.databaseUrl);
  } catch (e) {
    throw new WorkerStartupError(`cannot open the database: ${e instanceof Error ? e.message : String(e)}`);
  }
  const published = new PublishedWorld(store, load.dataset, () => undefined);
  await published.refresh();
  published.start(config.publicationPollMs, (e) => log.warn({ err: e }, 'reading operator publications failed'));
  const concurrency = opts.concurrency ?? Math.max(1, Math.min(config.jobWorkers || 1, availableParallelism()));
  const queue = await openJobQueue(store, {
    databaseUrl: config.databaseUrl,
    pollMs: config.jobPollMs,
    ...(config.jobExpireS !== undefined ? { expireInS: config.jobExpireS } : {}),
  });
  const pool = new WorkerPool(concurrency, load.dir);
  await workJobs(queue, pool, {
    ...(opts.queues ? { queues: opts.queues } : {}),
    overlay: () => published.snapshot(),
    today: () => new Date().toISOString().slice(0, 10),
    log,
  });
  let closed: Promise<void> | undefined;
  return {
    concurrency,
    queues: opts.queues,
    close: (o = {}) =>
      (closed ??= (async () => {
        published.stop();
        await queue.stop({ graceful: o.graceful !== false, timeoutMs: config.jobShutdownMs });
        await pool.close();
        await store.close();
      })()),
  };
}
