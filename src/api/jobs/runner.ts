/**
 * The job runner of one instance: claims jobs from the store's durable queue while a worker is
 * idle, runs them in the pool, and renews each job's lease while it runs. If the instance dies,
 * the lease lapses and any instance (this one after a restart, or another sharing PostgreSQL)
 * claims the job again; after `maxAttempts` claims it is failed. A job that finished is never
 * run again: finishing is conditional on still holding the lease.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { JobRecord, Store } from '../../store/store.js';
import { jobCounter } from '../metrics.js';
import type { PublicationSnapshot } from '../../scenario/publications.js';
import { JobCancelled, JobFailed, WorkerCrashed, type WorkerPool } from './pool.js';

export interface RunnerOptions {
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
}

export class JobRunner {
  readonly owner = `runner-${randomUUID()}`;
  private readonly active = new Map<string, { fraction: number; message: string | null }>();
  private timer: NodeJS.Timeout | undefined;
  private filling = false;
  private refill = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly pool: WorkerPool,
    private readonly opts: RunnerOptions,
    private readonly log: FastifyBaseLogger,
    /**
     * The operator publications a job runs with: this instance's current ones, read when the job
     * starts (synchronous, so the worker slot is taken before anything else can claim). None: the files only.
     */
    private readonly overlay?: () => PublicationSnapshot,
    /** The instance's date for jobs that price "today" (the service's clock). */
    private readonly today?: () => string,
  ) {}

  get running(): number {
    return this.active.size;
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.opts.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Claims work now (called after a job is enqueued, and on every poll). */
  wake(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = true;
    void this.fill()
      .catch((e: unknown) => this.log.error({ err: e }, 'job runner: claiming failed'))
      .finally(() => {
        this.filling = false;
        if (this.refill) {
          this.refill = false;
          this.wake();
        }
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopped && this.pool.idle > 0) {
      const now = Date.now();
      const job = await this.store.claimJob({
        owner: this.owner,
        now: new Date(now).toISOString(),
        leaseUntil: new Date(now + this.opts.leaseMs).toISOString(),
        maxAttempts: this.opts.maxAttempts,
      });
      if (!job) return;
      void this.execute(job);
    }
  }

  private async execute(job: JobRecord): Promise<void> {
    const state = { fraction: 0, message: null as string | null };
    this.active.set(job.id, state);
    this.log.info({ jobId: job.id, kind: job.kind, attempt: job.attempts }, 'job started');
    const beat = setInterval(
      () => {
        const now = Date.now();
        this.store
          .heartbeatJob(
            job.id,
            this.owner,
            new Date(now + this.opts.leaseMs).toISOString(),
            state.fraction,
            state.message,
            new Date(now).toISOString(),
          )
          .then((mine) => {
            // Cancelled through the API (or the lease was lost): stop the work.
            if (!mine) this.pool.cancel(job.id);
          })
          .catch((e: unknown) => this.log.warn({ err: e, jobId: job.id }, 'job heartbeat failed'));
      },
      Math.max(100, Math.min(1000, Math.floor(this.opts.leaseMs / 3))),
    );
    beat.unref();
    try {
      const overlay = this.overlay?.();
      const today = this.today?.();
      const result = await this.pool.run(
        job.id,
        job.kind,
        job.params,
        (f, m) => {
          state.fraction = f;
          state.message = m;
        },
        { ...(overlay ? { overlay } : {}), ...(today !== undefined ? { today } : {}) },
      );
      await this.store.finishJob(job.id, this.owner, { status: 'succeeded', result }, new Date().toISOString());
      jobCounter.inc({ kind: job.kind, outcome: 'succeeded' });
      this.log.info({ jobId: job.id, kind: job.kind }, 'job succeeded');
    } catch (e) {
      if (e instanceof JobCancelled) {
        jobCounter.inc({ kind: job.kind, outcome: 'cancelled' });
        this.log.info({ jobId: job.id }, 'job stopped');
      } else if (e instanceof JobFailed) {
        await this.store.finishJob(
          job.id,
          this.owner,
          { status: 'failed', error: e.message },
          new Date().toISOString(),
        );
        jobCounter.inc({ kind: job.kind, outcome: 'failed' });
        if (!e.userError)
          this.log.error(
            { jobId: job.id, kind: job.kind, error: e.internal ?? e.message },
            'job failed with an internal error',
          );
      } else if (e instanceof WorkerCrashed) {
        // Let the lease lapse now so the job is retried at once (the attempt still counts).
        const now = new Date().toISOString();
        await this.store
          .heartbeatJob(job.id, this.owner, now, state.fraction, state.message, now)
          .catch(() => undefined);
        jobCounter.inc({ kind: job.kind, outcome: 'crashed' });
        this.log.error({ jobId: job.id, kind: job.kind }, 'job worker crashed; the job will be retried');
      } else {
        this.log.error({ err: e, jobId: job.id }, 'job runner error');
      }
    } finally {
      clearInterval(beat);
      this.active.delete(job.id);
      this.wake();
    }
  }

  /** Cancels locally (the API has marked the job cancelled in the store). */
  cancelLocal(jobId: string): void {
    this.pool.cancel(jobId);
  }

  /** Stops claiming, stops the running jobs and puts them back in the queue for the next instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const ids = [...this.active.keys()];
    await this.pool.close();
    const now = new Date().toISOString();
    for (const id of ids) await this.store.releaseJob(id, this.owner, now).catch(() => undefined);
  }
}
