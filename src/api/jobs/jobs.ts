/**
 * Corridor's jobs on the JobQueue: one queue per job kind (its name), the API side (submit, find,
 * list, cancel) and the worker side (run each kind's jobs in the worker-thread pool). The same
 * code runs inside `corridor serve` (unless --no-workers) and in `corridor worker` processes on
 * any host; with pg-boss they share one PostgreSQL, with SQLite one machine.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { PublicationSnapshot } from '../../scenario/publications.js';
import { LocalQueue } from '../../queue/local-queue.js';
import { PgBossQueue } from '../../queue/pgboss-queue.js';
import {
  type JobQueue,
  type JobState,
  PermanentJobError,
  PRIORITY,
  type QueueJob,
  type QueueOptions,
  type QueueTransaction,
} from '../../queue/queue.js';
import type { JobRecord, Store } from '../../store/store.js';
import { jobCounter } from '../metrics.js';
import { JobCancelled, JobFailed, WorkerCrashed, type WorkerPool } from './pool.js';
import { JOB_KINDS } from './registry.js';

/** What a job's queue entry carries: the kind's params and who asked. */
export interface JobData {
  params: unknown;
  createdBy: string | null;
  /** Who owns the job (docs/security.md "Ownership"); absent on jobs queued before ownership: `createdBy`. */
  owner?: string | null;
}

/** How many of the newest jobs per kind a list looks through for one owner's page. */
const LIST_WINDOW = 1000;

/**
 * Per-kind queue settings. Expiry bounds how long a lost run (a killed worker) stays unnoticed,
 * and must exceed the kind's longest honest run: pg-boss 10 has no heartbeat.
 */
const QUEUE_OPTIONS: Record<string, QueueOptions> = {
  'route-batch': { retryLimit: 2, retryDelayS: 2, retryBackoff: true, expireInS: 1800 },
  'route-matrix': { retryLimit: 2, retryDelayS: 2, retryBackoff: true, expireInS: 3600 },
  assignment: { retryLimit: 2, retryDelayS: 2, retryBackoff: true, expireInS: 3600 },
  // A draw is one assignment: seconds. A lost one is noticed within minutes.
  'sweep-draw': { retryLimit: 3, retryDelayS: 1, retryBackoff: true, expireInS: 300 },
};
export const JOB_QUEUES: readonly string[] = JOB_KINDS.map((k) => k.name);

export interface QueueConfig {
  databaseUrl: string;
  /** PostgreSQL: pg-boss's schema (default `corridor_jobs`). */
  pgSchema?: string;
  /** Seconds before a lost run is retried, for every kind (tests: short); default per kind. */
  expireInS?: number;
  pollMs?: number;
  maintenanceIntervalS?: number;
}

/** The engine the database calls for: pg-boss on PostgreSQL, the in-process queue on SQLite. */
export async function openJobQueue(store: Store, c: QueueConfig): Promise<JobQueue> {
  const queue: JobQueue =
    store.dialect === 'postgres'
      ? new PgBossQueue({
          connectionString: c.databaseUrl,
          schema: c.pgSchema ?? 'corridor_jobs',
          ...(c.pollMs !== undefined ? { pollMs: c.pollMs } : {}),
          ...(c.maintenanceIntervalS !== undefined ? { maintenanceIntervalS: c.maintenanceIntervalS } : {}),
        })
      : new LocalQueue(store.driver, c.pollMs !== undefined ? { pollMs: c.pollMs } : {});
  await queue.start();
  for (const name of JOB_QUEUES)
    await queue.createQueue(name, {
      ...(QUEUE_OPTIONS[name] ?? {}),
      ...(c.expireInS !== undefined ? { expireInS: c.expireInS } : {}),
    });
  await carryOverLegacyJobs(store, queue);
  return queue;
}

/**
 * The lease queue's jobs (decision 0009) that were queued or running when this version started
 * are sent to the engine under the same id, then removed from the old table; finished ones stay
 * there as history. Sending under a known id is idempotent on both engines, so a crash between
 * the two steps only repeats the first.
 */
export async function carryOverLegacyJobs(store: Store, queue: JobQueue): Promise<number> {
  const open = await store.openLegacyJobs();
  for (const j of open) {
    await queue.send(j.kind, { params: j.params, createdBy: j.createdBy } satisfies JobData, {
      id: j.id,
      priority: PRIORITY.interactive,
    });
  }
  if (open.length) await store.deleteLegacyJobs(open.map((j) => j.id));
  return open.length;
}

/** A job as the API shows it (the lease queue's record shape, so clients see no change). */
export function jobRecordOf(j: QueueJob): JobRecord {
  const data = (j.data ?? {}) as Partial<JobData>;
  const output = j.output as { message?: string } | null;
  return {
    id: j.id,
    kind: j.queue,
    params: data.params ?? null,
    status: j.state,
    progress: j.progress.fraction,
    progressMessage: j.progress.message,
    result: j.state === 'succeeded' ? j.output : null,
    error: j.state === 'failed' ? (output?.message ?? 'failed') : null,
    attempts: j.attempts,
    createdAt: j.createdAt,
    updatedAt: j.finishedAt ?? j.startedAt ?? j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    leaseOwner: null,
    leaseUntil: null,
    createdBy: data.createdBy ?? null,
    owner: data.owner === undefined ? (data.createdBy ?? null) : data.owner,
  };
}

/** The API's view of the jobs: submit, find, list, cancel, over every kind's queue. */
export class Jobs {
  constructor(
    readonly queue: JobQueue,
    private readonly store: Store,
  ) {}

  async submit(
    kind: string,
    params: unknown,
    createdBy: string | null,
    tx?: QueueTransaction,
    owner?: string | null,
  ): Promise<JobRecord> {
    const data: JobData = { params, createdBy, ...(owner !== undefined ? { owner } : {}) };
    const id = await this.queue.send(kind, data, {
      priority: PRIORITY.interactive,
      ...(tx ? { tx } : {}),
    });
    if (!id) throw new Error('the queue refused the job');
    const j = await this.find(id, kind);
    if (!j) throw new Error(`job ${id} vanished after it was queued`);
    return j;
  }

  async find(id: string, kind?: string): Promise<JobRecord | undefined> {
    for (const q of kind ? [kind] : JOB_QUEUES) {
      const j = await this.queue.getJob(q, id);
      if (j) return jobRecordOf(j);
    }
    return this.store.findJob(id);
  }

  /**
   * Newest first across every kind's queue and the lease queue's history. The queues filter by
   * state only, so an owner's page is found among the newest LIST_WINDOW jobs of each kind.
   */
  async list(opts: { limit: number; status?: JobState; owner?: string; before?: string }): Promise<JobRecord[]> {
    const filtered = opts.owner !== undefined || opts.before !== undefined;
    const key = (j: JobRecord) => `${j.createdAt}|${j.id}`;
    const keep = (j: JobRecord) =>
      (opts.owner === undefined || j.owner === opts.owner) && (opts.before === undefined || key(j) < opts.before);
    const all: JobRecord[] = [];
    for (const q of JOB_QUEUES)
      for (const j of await this.queue.listJobs(q, {
        limit: filtered ? LIST_WINDOW : opts.limit,
        ...(opts.status ? { state: opts.status } : {}),
      })) {
        const r = jobRecordOf(j);
        if (keep(r)) all.push(r);
      }
    all.push(
      ...(await this.store.listJobs({
        limit: opts.limit,
        ...(opts.status ? { status: opts.status } : {}),
        ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
        ...(opts.before !== undefined ? { before: opts.before } : {}),
      })),
    );
    return all.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0)).slice(0, opts.limit);
  }

  /** False when the job is unknown or already finished. */
  async cancel(id: string): Promise<boolean> {
    const j = await this.find(id);
    if (!j || (j.status !== 'queued' && j.status !== 'running')) return false;
    return this.queue.cancel(j.kind, id);
  }
}

export interface WorkerOptions {
  /** Queues (kinds) to work; default all. */
  queues?: readonly string[];
  /** The operator publications a job runs with: this process's current ones. */
  overlay?: () => PublicationSnapshot;
  /** The date jobs price "today" with. */
  today?: () => string;
  log: FastifyBaseLogger | Pick<Console, 'info' | 'error' | 'warn'>;
}

/**
 * Works the kinds' queues with the threads of `pool`: every queue may start as many jobs as the
 * pool has threads, and the pool runs them as threads come free. A user error in a job fails it
 * at once; a crash or an internal error is retried by the engine.
 */
export async function workJobs(queue: JobQueue, pool: WorkerPool, o: WorkerOptions): Promise<void> {
  const queues = o.queues ?? JOB_QUEUES;
  for (const name of queues) {
    if (!JOB_QUEUES.includes(name)) throw new Error(`unknown queue "${name}"; valid: ${JOB_QUEUES.join(', ')}`);
    await queue.work<JobData>(name, { concurrency: pool.size }, async (job) => {
      const log = o.log as { info(a: unknown, b?: string): void; error(a: unknown, b?: string): void };
      const onAbort = () => pool.cancel(job.id);
      job.signal.addEventListener('abort', onAbort);
      log.info({ jobId: job.id, kind: name, attempt: job.attempt }, 'job started');
      try {
        const overlay = o.overlay?.();
        const today = o.today?.();
        const result = await pool.run(
          job.id,
          name,
          job.data.params,
          (fraction, message) => job.progress(fraction, message),
          { ...(overlay ? { overlay } : {}), ...(today !== undefined ? { today } : {}) },
        );
        jobCounter.inc({ kind: name, outcome: 'succeeded' });
        return result;
      } catch (e) {
        if (e instanceof JobFailed) {
          jobCounter.inc({ kind: name, outcome: 'failed' });
          if (!e.userError)
            log.error(
              { jobId: job.id, kind: name, error: e.internal ?? e.message },
              'job failed with an internal error',
            );
          throw e.userError ? new PermanentJobError(e.message) : e;
        }
        if (e instanceof WorkerCrashed) {
          jobCounter.inc({ kind: name, outcome: 'crashed' });
          log.error({ jobId: job.id, kind: name }, 'job worker crashed; the job will be retried');
        } else if (e instanceof JobCancelled) jobCounter.inc({ kind: name, outcome: 'cancelled' });
        else {
          // Anything else (the pool, the queue, a solver) may say more than a client should read:
          // the job's error is generic, the details are in the log.
          jobCounter.inc({ kind: name, outcome: 'failed' });
          log.error({ jobId: job.id, kind: name, err: e }, 'job failed with an internal error');
          throw new Error(`internal error in job kind ${name}`);
        }
        throw e;
      } finally {
        job.signal.removeEventListener('abort', onAbort);
      }
    });
  }
}
