/**
 * The JobQueue on pg-boss 10.4.2 (PostgreSQL): any number of API instances and worker processes on
 * any hosts share the queues through one database. pg-boss owns its schema (migrated by
 * `start()`), fetching with SKIP LOCKED, completion, retries with backoff, expiry of jobs whose
 * worker died, dead letters, cron and retention.
 *
 * What pg-boss 10 lacks, this adapter adds with a few statements of its own, on pg-boss's tables
 * (stable because the version is pinned exactly; the conformance suite fails on any drift):
 * progress (a table `corridor_progress` in pg-boss's schema), "one open job per singleton key"
 * whatever the queue's policy (an advisory lock and a look-up before the insert), listing, failing
 * for good without retries, and handing a running job back on shutdown. Workers fetch through
 * pg-boss's `fetch` in a loop of our own rather than `work()`, so a handler can see cancellation
 * and shutdown through an AbortSignal.
 */
import PgBoss from 'pg-boss';
import pg from 'pg';
import {
  type JobHandler,
  type JobQueue,
  type JobState,
  PermanentJobError,
  type QueueJob,
  type QueueOptions,
  type SendOptions,
  type StopOptions,
  type WorkOptions,
} from './queue.js';

/** How long a forced stop waits for handlers to honour their abort signal. */
const ABANDON_AFTER_MS = 2000;

export interface PgBossQueueOptions {
  connectionString: string;
  /** pg-boss's schema (default `pgboss`); tests use one per run. */
  schema?: string;
  /** Connections for pg-boss and for this adapter, each (default 4). */
  maxConnections?: number;
  /** Idle workers look for work this often (default 500 ms). */
  pollMs?: number;
  /** How often one instance runs pg-boss's maintenance (expiry, archive); default 10 s, tests 1 s. */
  maintenanceIntervalS?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** PostgreSQL's SQLSTATE for a deadlock. */
const DEADLOCK = '40P01';

const STATE_OUT: Record<string, JobState> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};
const STATES_IN: Record<JobState, string[]> = {
  queued: ['created', 'retry'],
  running: ['active'],
  succeeded: ['completed'],
  failed: ['failed'],
  cancelled: ['cancelled'],
};

const isoOf = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

interface Running {
  id: string;
  queue: string;
  controller: AbortController;
  progress: { fraction: number; message: string | null; dirty: boolean };
  done: Promise<void>;
}

export class PgBossQueue implements JobQueue {
  readonly engine = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly pollMs: number;
  private readonly active = new Map<string, Running>();
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(opts: PgBossQueueOptions) {
    this.schema = opts.schema ?? 'pgboss';
    if (!SCHEMA_NAME.test(this.schema)) throw new Error(`invalid pg-boss schema name "${this.schema}"`);
    this.pollMs = opts.pollMs ?? 500;
    const max = opts.maxConnections ?? 4;
    this.boss = new PgBoss({
      connectionString: opts.connectionString,
      schema: this.schema,
      max,
      maintenanceIntervalSeconds: opts.maintenanceIntervalS ?? 10,
      // Monitoring and archiving defaults are pg-boss's; completed jobs stay queryable in the archive.
    });
    this.boss.on('error', () => undefined);
    this.pool = new pg.Pool({ connectionString: opts.connectionString, max });
    this.pool.on('error', () => undefined);
  }

  get running(): number {
    return this.active.size;
  }

  private t(table: string): string {
    return `${this.schema}.${table}`;
  }

  /**
   * Instances starting together on a fresh database deadlock inside pg-boss (each creates queue
   * partitions: `CREATE TABLE` + `ATTACH PARTITION` on the job table, a foreign key to the queue
   * table), and `CREATE TABLE IF NOT EXISTS` races on the catalogue. One session-level advisory
   * lock per schema makes setup one instance at a time; it is not pg-boss's own lock key, which
   * pg-boss takes inside `start()` on its own connections.
   */
  private async setupLocked<T>(fn: () => Promise<T>): Promise<T> {
    const key = `corridor-queue-setup:${this.schema}`;
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  async start(): Promise<void> {
    await this.setupLocked(async () => {
      await this.boss.start();
      await this.pool.query(
        `CREATE TABLE IF NOT EXISTS ${this.t('corridor_progress')} (
           id uuid PRIMARY KEY, fraction double precision NOT NULL, message text, updated_on timestamptz NOT NULL
         )`,
      );
    });
    // Progress writes and cancellation checks for the jobs running here, once a second.
    this.timer = setInterval(() => void this.beat().catch(() => undefined), 1000);
    this.timer.unref();
  }

  async createQueue(name: string, o: QueueOptions = {}): Promise<void> {
    const q = {
      name,
      retryLimit: o.retryLimit ?? 2,
      retryDelay: o.retryDelayS ?? 0,
      retryBackoff: o.retryBackoff ?? false,
      expireInSeconds: o.expireInS ?? 900,
      ...(o.deadLetter !== undefined ? { deadLetter: o.deadLetter } : {}),
    };
    // Serialised with other instances' setup; a deadlock with a running instance's maintenance
    // (which is not under the setup lock) is retried, since every step here is idempotent.
    await this.setupLocked(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, q);
          else await this.boss.createQueue(name, q);
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== DEADLOCK || attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
    });
  }

  async send(queue: string, data: object, o: SendOptions = {}): Promise<string | null> {
    if (o.tx && (o.tx.dialect !== 'postgres' || !o.tx.raw))
      throw new Error('pg-boss can only enqueue inside a PostgreSQL transaction of the same database');
    const inTx = async (
      raw: (sql: string, params: readonly unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
    ) => {
      if (o.singletonKey !== undefined) {
        await raw('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}:${queue}:${o.singletonKey}`]);
        const open = await raw(
          `SELECT 1 FROM ${this.t('job')} WHERE name = $1 AND singleton_key = $2 AND state < 'completed' LIMIT 1`,
          [queue, o.singletonKey],
        );
        if (open.rows.length) return null;
      }
      const options: PgBoss.SendOptions = {
        db: { executeSql: (text, values) => raw(text, values) as Promise<{ rows: unknown[] }> as never },
        ...(o.id !== undefined ? { id: o.id } : {}),
        ...(o.priority !== undefined ? { priority: o.priority } : {}),
        ...(o.singletonKey !== undefined ? { singletonKey: o.singletonKey } : {}),
        ...(o.startAfterS !== undefined && o.startAfterS > 0 ? { startAfter: Math.ceil(o.startAfterS) } : {}),
        ...(o.retryLimit !== undefined ? { retryLimit: o.retryLimit } : {}),
        ...(o.retryDelayS !== undefined ? { retryDelay: o.retryDelayS } : {}),
        ...(o.retryBackoff !== undefined ? { retryBackoff: o.retryBackoff } : {}),
        ...(o.expireInS !== undefined ? { expireInSeconds: o.expireInS } : {}),
      };
      return this.boss.send(queue, data, options);
    };
    if (o.tx?.raw) return inTx(o.tx.raw.bind(o.tx));
    const client = await this.pool.connect();
    let id: string | null;
    try {
      await client.query('BEGIN');
      id = await inTx((sql, params) => client.query(sql, params as unknown[]));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if (id) for (const w of this.wakers.get(queue) ?? []) w();
    return id;
  }

  async schedule(queue: string, cron: string, data: object = {}, options: SendOptions = {}): Promise<void> {
    const { tx: _tx, ...o } = options;
    await this.boss.schedule(queue, cron, data, {
      tz: 'UTC',
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.singletonKey !== undefined ? { singletonKey: o.singletonKey } : {}),
    });
  }

  async unschedule(queue: string): Promise<void> {
    await this.boss.unschedule(queue);
  }

  async schedules(): Promise<{ queue: string; cron: string }[]> {
    return (await this.boss.getSchedules())
      .map((s) => ({ queue: s.name, cron: s.cron }))
      .sort((a, b) => a.queue.localeCompare(b.queue));
  }

  private columns(withOutput: boolean): string {
    return (
      `j.id, j.name, j.data, j.state, j.priority, j.retry_count, j.retry_limit, j.singleton_key, j.created_on, ` +
      `j.started_on, j.completed_on, ${withOutput ? 'j.output' : 'NULL AS output'}, p.fraction, p.message`
    );
  }

  private jobOf(r: Record<string, unknown>): QueueJob {
    const state = STATE_OUT[String(r.state)] ?? 'queued';
    const started = r.started_on !== null && r.started_on !== undefined;
    return {
      id: String(r.id),
      queue: String(r.name),
      data: r.data,
      state,
      priority: Number(r.priority),
      attempts: Number(r.retry_count) + (started ? 1 : 0),
      retryLimit: Number(r.retry_limit),
      singletonKey: (r.singleton_key as string | null) ?? null,
      createdAt: isoOf(r.created_on) ?? '',
      startedAt: isoOf(r.started_on),
      finishedAt: state === 'queued' || state === 'running' ? null : isoOf(r.completed_on),
      output: outputOf(state, r.output),
      progress: {
        fraction: state === 'succeeded' ? 1 : Number(r.fraction ?? 0),
        message: (r.message as string | null) ?? null,
      },
    };
  }

  async getJob<T = unknown>(queue: string, id: string): Promise<QueueJob<T> | undefined> {
    const from = (table: string) =>
      `SELECT ${this.columns(true)} FROM ${this.t(table)} j ` +
      `LEFT JOIN ${this.t('corridor_progress')} p ON p.id = j.id ` +
      `WHERE j.name = $1 AND j.id = $2::uuid`;
    const { rows } = await this.pool.query(`${from('job')} UNION ALL ${from('archive')} LIMIT 1`, [queue, id]);
    return rows[0] ? (this.jobOf(rows[0]) as QueueJob<T>) : undefined;
  }

  async listJobs(queue: string, opts: { limit?: number; state?: JobState } = {}): Promise<QueueJob[]> {
    const states = opts.state ? STATES_IN[opts.state] : Object.keys(STATE_OUT);
    const from = (table: string) =>
      `SELECT ${this.columns(false)} FROM ${this.t(table)} j LEFT JOIN ${this.t('corridor_progress')} p ` +
      `ON p.id = j.id WHERE j.name = $1 AND j.state::text = ANY($2)`;
    const { rows } = await this.pool.query(
      `${from('job')} UNION ALL ${from('archive')} ORDER BY created_on DESC, id DESC LIMIT $3`,
      [queue, states, opts.limit ?? 50],
    );
    return rows.map((r) => this.jobOf(r));
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    const r = (await this.boss.cancel(queue, id)) as unknown as { affected?: number } | undefined;
    this.active.get(id)?.controller.abort(new Error('cancelled'));
    return (r?.affected ?? 0) > 0;
  }

  async work<T>(queue: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    const n = Math.max(1, options.concurrency ?? 1);
    for (let i = 0; i < n; i++) this.loops.push(this.loop(queue, handler as JobHandler));
  }

  private async loop(queue: string, handler: JobHandler): Promise<void> {
    let wake: () => void = () => undefined;
    const wakers = this.wakers.get(queue) ?? new Set();
    this.wakers.set(queue, wakers);
    while (!this.stopping) {
      let jobs: PgBoss.JobWithMetadata<object>[] = [];
      try {
        jobs = await this.boss.fetch<object>(queue, { batchSize: 1, includeMetadata: true });
      } catch {
        jobs = [];
      }
      const job = jobs[0];
      if (job && !this.stopping) {
        await this.run(queue, job, handler);
        continue;
      }
      if (job) await this.handBack(queue, job.id);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
        wakers.add(wake);
      });
      wakers.delete(wake);
    }
  }

  private async run(queue: string, job: PgBoss.JobWithMetadata<object>, handler: JobHandler): Promise<void> {
    const controller = new AbortController();
    const entry: Running = {
      id: job.id,
      queue,
      controller,
      progress: { fraction: 0, message: null, dirty: false },
      done: Promise.resolve(),
    };
    let release: () => void = () => undefined;
    entry.done = new Promise<void>((r) => {
      release = r;
    });
    this.active.set(job.id, entry);
    try {
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        const value = await handler({
          id: job.id,
          queue,
          data: job.data,
          attempt: job.retryCount + 1,
          signal: controller.signal,
          progress: (fraction, message = null) => {
            entry.progress = { fraction, message, dirty: true };
          },
        });
        outcome = { ok: true, value };
      } catch (error) {
        outcome = { ok: false, error };
      }
      if (this.stopping && controller.signal.aborted) await this.handBack(queue, job.id);
      else if (outcome.ok) {
        // pg-boss stores an object as it is and wraps anything else as {value}: wrap everything, unwrap on read.
        await this.boss.complete(queue, job.id, { value: outcome.value ?? null });
        await this.pool.query(`DELETE FROM ${this.t('corridor_progress')} WHERE id = $1`, [job.id]);
      } else {
        const e = outcome.error;
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof PermanentJobError)
          await this.pool.query(
            `UPDATE ${this.t('job')} SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`,
            [queue, job.id],
          );
        await this.boss.fail(queue, job.id, { message });
      }
    } catch {
      // The database went away mid-job: pg-boss's expiry retries the job elsewhere.
    } finally {
      this.active.delete(job.id);
      release();
    }
  }

  /** Back to the queue without counting the run: the next fetch sees no start and keeps retry_count. */
  private async handBack(queue: string, id: string): Promise<void> {
    await this.pool
      .query(
        `UPDATE ${this.t('job')} SET state = 'retry', started_on = NULL, start_after = now() ` +
          `WHERE name = $1 AND id = $2 AND state = 'active'`,
        [queue, id],
      )
      .catch(() => undefined);
  }

  private async beat(): Promise<void> {
    if (this.active.size === 0) return;
    const ids = [...this.active.keys()];
    const { rows } = await this.pool.query(`SELECT id, state FROM ${this.t('job')} WHERE id = ANY($1::uuid[])`, [ids]);
    const state = new Map(rows.map((r) => [String(r.id), String(r.state)]));
    // Only the jobs this query asked about: one fetched while it ran is absent from `state`, and
    // reading that as "no longer active" cancelled a job that had just started.
    for (const id of ids) {
      const a = this.active.get(id);
      if (!a) continue;
      if (state.get(id) !== 'active') {
        a.controller.abort(new Error('cancelled'));
        continue;
      }
      if (!a.progress.dirty) continue;
      a.progress.dirty = false;
      await this.pool.query(
        `INSERT INTO ${this.t('corridor_progress')} (id, fraction, message, updated_on) VALUES ($1, $2, $3, now())
         ON CONFLICT (id) DO UPDATE SET fraction = excluded.fraction, message = excluded.message,
           updated_on = excluded.updated_on`,
        [a.id, a.progress.fraction, a.progress.message],
      );
    }
  }

  async stop(o: StopOptions = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    for (const set of this.wakers.values()) for (const w of set) w();
    const all = [...this.active.values()];
    const wait = Promise.all(all.map((a) => a.done));
    let finished = all.length === 0;
    if (o.graceful !== false && !finished) {
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), o.timeoutMs ?? 30_000).unref());
      finished = (await Promise.race([wait.then(() => 'done' as const), timeout])) === 'done';
    }
    if (!finished) {
      for (const a of this.active.values()) a.controller.abort(new Error('shutting down'));
      // A handler that ignores its signal is left behind: its job expires and runs elsewhere.
      await Promise.race([wait, new Promise((r) => setTimeout(r, ABANDON_AFTER_MS).unref())]);
    }
    for (const a of this.active.values()) await this.handBack(a.queue, a.id);
    await Promise.race([Promise.all(this.loops), new Promise((r) => setTimeout(r, ABANDON_AFTER_MS).unref())]);
    await this.boss.stop({ graceful: false, wait: true, close: true });
    await this.pool.end();
  }
}

/**
 * Output as the interface gives it: the handler's value (this adapter completes with {value}), or
 * {message} of a failure (ours, or pg-boss's expiry, which writes {value: {message}}).
 */
function outputOf(state: JobState, output: unknown): unknown {
  if (output === null || output === undefined || typeof output !== 'object') return null;
  const o = output as { value?: unknown; message?: unknown };
  if (state === 'succeeded') return o.value ?? null;
  if (typeof o.message === 'string') return { message: o.message };
  const inner = o.value as { message?: unknown } | undefined;
  return typeof inner?.message === 'string' ? { message: inner.message } : output;
}
