/**
 * The in-process queue: jobs in tables of the store's own database (SQLite by default), worked by
 * handlers in this process. It keeps pg-boss's semantics — priorities then age, retries with
 * optional exponential backoff, expiry of a running job whose worker died (then retried), dead-
 * letter queues, singleton keys, cron, cancellation — so both engines pass one conformance suite.
 *
 * Claims run in one write transaction (SQLite's lock; PostgreSQL would use SKIP LOCKED), so several
 * processes on one SQLite file never take the same job; but the queue is meant for one machine.
 */
import { randomUUID } from 'node:crypto';
import cronParser from 'cron-parser';
import type { SqlDriver, SqlExecutor } from '../store/sql.js';
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

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS queue_queues (
     name TEXT PRIMARY KEY,
     retry_limit INTEGER NOT NULL,
     retry_delay_s DOUBLE PRECISION NOT NULL,
     retry_backoff INTEGER NOT NULL,
     expire_in_s DOUBLE PRECISION NOT NULL,
     dead_letter TEXT
   )`,
  `CREATE TABLE IF NOT EXISTS queue_jobs (
     id TEXT PRIMARY KEY,
     queue TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data TEXT NOT NULL,
     state TEXT NOT NULL,
     priority INTEGER NOT NULL,
     singleton_key TEXT,
     attempts INTEGER NOT NULL,
     retry_limit INTEGER NOT NULL,
     retry_delay_s DOUBLE PRECISION NOT NULL,
     retry_backoff INTEGER NOT NULL,
     expire_in_s DOUBLE PRECISION NOT NULL,
     dead_letter TEXT,
     start_after TEXT NOT NULL,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     output TEXT,
     progress DOUBLE PRECISION NOT NULL,
     progress_message TEXT
   )`,
  `CREATE INDEX IF NOT EXISTS queue_jobs_fetch ON queue_jobs (queue, state, priority, seq)`,
  `CREATE INDEX IF NOT EXISTS queue_jobs_singleton ON queue_jobs (queue, singleton_key, state)`,
  `CREATE TABLE IF NOT EXISTS queue_schedules (
     queue TEXT PRIMARY KEY,
     cron TEXT NOT NULL,
     data TEXT NOT NULL,
     options TEXT NOT NULL,
     last_slot TEXT NOT NULL
   )`,
];

const DEFAULTS = { retryLimit: 2, retryDelayS: 0, retryBackoff: false, expireInS: 900 };
const iso = (ms: number) => new Date(ms).toISOString();
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const STATE_OUT: Record<string, JobState> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

function jobOf(r: Record<string, unknown>, withOutput = true): QueueJob {
  return {
    id: String(r.id),
    queue: String(r.queue),
    data: JSON.parse(String(r.data)),
    state: STATE_OUT[String(r.state)] ?? 'queued',
    priority: Number(r.priority),
    attempts: Number(r.attempts),
    retryLimit: Number(r.retry_limit),
    singletonKey: str(r.singleton_key),
    createdAt: String(r.created_at),
    startedAt: str(r.started_at),
    finishedAt: str(r.finished_at),
    output: withOutput && r.output !== null && r.output !== undefined ? JSON.parse(String(r.output)) : null,
    progress: { fraction: Number(r.progress), message: str(r.progress_message) },
  };
}

interface Running {
  id: string;
  queue: string;
  controller: AbortController;
  done: Promise<void>;
  progress: { fraction: number; message: string | null; dirty: boolean };
}

/** How long a forced stop waits for handlers to honour their abort signal. */
const ABANDON_AFTER_MS = 2000;

export interface LocalQueueOptions {
  /** How often idle workers look for work and maintenance runs (expiry, cron); default 500 ms. */
  pollMs?: number;
  /** The clock (tests move it to fire cron and expiry without waiting). */
  now?: () => number;
}

export class LocalQueue implements JobQueue {
  readonly engine = 'in-process' as const;
  private readonly workers = new Map<string, { concurrency: number; handler: JobHandler<unknown> }>();
  private readonly active = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private filling = false;
  private refill = false;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: SqlDriver,
    opts: LocalQueueOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 500;
    this.now = opts.now ?? Date.now;
  }

  get running(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    for (const s of SCHEMA) await this.db.run(s);
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref();
  }

  async createQueue(name: string, o: QueueOptions = {}): Promise<void> {
    const v = { ...DEFAULTS, ...o };
    await this.db.run(
      `INSERT INTO queue_queues (name, retry_limit, retry_delay_s, retry_backoff, expire_in_s, dead_letter)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET retry_limit = excluded.retry_limit, retry_delay_s = excluded.retry_delay_s,
         retry_backoff = excluded.retry_backoff, expire_in_s = excluded.expire_in_s,
         dead_letter = excluded.dead_letter`,
      [name, v.retryLimit, v.retryDelayS, v.retryBackoff ? 1 : 0, v.expireInS, o.deadLetter ?? null],
    );
  }

  async send(queue: string, data: object, o: SendOptions = {}): Promise<string | null> {
    const insert = (tx: Pick<SqlExecutor, 'all'>) => this.insert(tx, queue, data, o);
    if (o.tx) return insert(o.tx);
    const id = await this.db.transaction(insert);
    if (id) this.wake();
    return id;
  }

  private async insert(
    tx: Pick<SqlExecutor, 'all'>,
    queue: string,
    data: object,
    o: SendOptions,
  ): Promise<string | null> {
    const q = (await tx.all('SELECT * FROM queue_queues WHERE name = ?', [queue]))[0];
    if (!q) throw new Error(`no queue "${queue}" (createQueue first)`);
    if (o.singletonKey !== undefined) {
      const open = await tx.all(
        `SELECT id FROM queue_jobs WHERE queue = ? AND singleton_key = ? AND state IN ('created', 'retry', 'active')`,
        [queue, o.singletonKey],
      );
      if (open.length) return null;
    }
    const id = o.id ?? randomUUID();
    if ((await tx.all('SELECT id FROM queue_jobs WHERE id = ?', [id])).length) return null;
    const now = this.now();
    // seq orders jobs created in the same millisecond; read in the transaction, so it is unique.
    const seq = Number((await tx.all('SELECT MAX(seq) AS m FROM queue_jobs'))[0]?.m ?? 0) + 1;
    await tx.all(
      `INSERT INTO queue_jobs (id, queue, seq, data, state, priority, singleton_key, attempts, retry_limit,
         retry_delay_s, retry_backoff, expire_in_s, dead_letter, start_after, created_at, progress)
       VALUES (?, ?, ?, ?, 'created', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0)`,
      [
        id,
        queue,
        seq,
        JSON.stringify(data),
        o.priority ?? 0,
        o.singletonKey ?? null,
        o.retryLimit ?? Number(q.retry_limit),
        o.retryDelayS ?? Number(q.retry_delay_s),
        o.retryBackoff !== undefined ? (o.retryBackoff ? 1 : 0) : Number(q.retry_backoff),
        o.expireInS ?? Number(q.expire_in_s),
        str(q.dead_letter),
        iso(now + (o.startAfterS ?? 0) * 1000),
        iso(now),
      ],
    );
    return id;
  }

  async schedule(queue: string, cron: string, data: object = {}, options: SendOptions = {}): Promise<void> {
    cronParser.parseExpression(cron, { utc: true });
    const { tx: _tx, ...opts } = options;
    await this.db.run(
      `INSERT INTO queue_schedules (queue, cron, data, options, last_slot) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (queue) DO UPDATE SET cron = excluded.cron, data = excluded.data, options = excluded.options`,
      [queue, cron, JSON.stringify(data), JSON.stringify(opts), iso(this.now())],
    );
  }

  async unschedule(queue: string): Promise<void> {
    await this.db.run('DELETE FROM queue_schedules WHERE queue = ?', [queue]);
  }

  async schedules(): Promise<{ queue: string; cron: string }[]> {
    const rows = await this.db.all('SELECT queue, cron FROM queue_schedules ORDER BY queue');
    return rows.map((r) => ({ queue: String(r.queue), cron: String(r.cron) }));
  }

  async work<T>(queue: string, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    this.workers.set(queue, { concurrency: Math.max(1, options.concurrency ?? 1), handler: handler as JobHandler });
    this.wake();
  }

  async getJob<T = unknown>(queue: string, id: string): Promise<QueueJob<T> | undefined> {
    const rows = await this.db.all('SELECT * FROM queue_jobs WHERE queue = ? AND id = ?', [queue, id]);
    return rows[0] ? (jobOf(rows[0]) as QueueJob<T>) : undefined;
  }

  async listJobs(queue: string, opts: { limit?: number; state?: JobState } = {}): Promise<QueueJob[]> {
    const states = opts.state
      ? Object.entries(STATE_OUT)
          .filter(([, v]) => v === opts.state)
          .map(([k]) => k)
      : [];
    const where = states.length ? ` AND state IN (${states.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all(`SELECT * FROM queue_jobs WHERE queue = ?${where} ORDER BY seq DESC LIMIT ?`, [
      queue,
      ...states,
      opts.limit ?? 50,
    ]);
    return rows.map((r) => jobOf(r, false));
  }

  async cancel(queue: string, id: string): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE queue_jobs SET state = 'cancelled', finished_at = ? WHERE queue = ? AND id = ? ` +
        `AND state IN ('created', 'retry', 'active')`,
      [iso(this.now()), queue, id],
    );
    this.active.get(id)?.controller.abort(new Error('cancelled'));
    return n > 0;
  }

  /** Maintenance and claiming; also called by tests that move the clock. */
  tick(): void {
    if (this.stopped) return;
    void this.maintain()
      .catch(() => undefined)
      .then(() => this.wake());
  }

  /** Expires running jobs whose worker died, fires due cron slots, writes progress, sees cancellations. */
  async maintain(): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const expired = await tx.all(`SELECT * FROM queue_jobs WHERE state = 'active'`);
      for (const r of expired) {
        if (Date.parse(String(r.started_at)) + Number(r.expire_in_s) * 1000 > now) continue;
        // As pg-boss: a run past its expiry is presumed lost, whoever holds it; a handler still going here stops.
        this.active.get(String(r.id))?.controller.abort(new Error('expired'));
        await this.failIn(tx, r, 'job expired while running (its worker stopped or took too long)', now);
      }
    });
    for (const s of await this.db.all('SELECT * FROM queue_schedules')) {
      // prev() is strictly before its date: start a second later so a slot falling exactly now counts.
      const it = cronParser.parseExpression(String(s.cron), { utc: true, currentDate: new Date(now + 1000) });
      let slot = it.prev().getTime();
      if (slot > now) slot = it.prev().getTime();
      if (slot <= Date.parse(String(s.last_slot))) continue;
      await this.db.transaction(async (tx) => {
        const n = await tx.run('UPDATE queue_schedules SET last_slot = ? WHERE queue = ? AND last_slot < ?', [
          iso(slot),
          String(s.queue),
          iso(slot),
        ]);
        if (n > 0) await this.insert(tx, String(s.queue), JSON.parse(String(s.data)), JSON.parse(String(s.options)));
      });
    }
    for (const r of this.active.values()) {
      const rows = await this.db.all('SELECT state FROM queue_jobs WHERE id = ?', [r.id]);
      if (rows[0]?.state !== 'active') r.controller.abort(new Error('cancelled'));
      else if (r.progress.dirty) {
        r.progress.dirty = false;
        await this.db.run(
          `UPDATE queue_jobs SET progress = ?, progress_message = ? WHERE id = ? AND state = 'active'`,
          [r.progress.fraction, r.progress.message, r.id],
        );
      }
    }
  }

  /** The failure of one run: a retry (after the delay) while retries remain, else failed and dead-lettered. */
  private async failIn(tx: SqlExecutor, r: Record<string, unknown>, message: string, now: number, permanent = false) {
    const attempts = Number(r.attempts);
    const output = JSON.stringify({ message });
    if (attempts <= Number(r.retry_limit) && !permanent) {
      const base = Number(r.retry_delay_s);
      const delayS = Number(r.retry_backoff) ? base * 2 ** (attempts - 1) * (1 + Math.random()) : base;
      await tx.run(
        `UPDATE queue_jobs SET state = 'retry', start_after = ?, output = ? WHERE id = ? AND state = 'active'`,
        [iso(now + delayS * 1000), output, String(r.id)],
      );
      return;
    }
    const n = await tx.run(
      `UPDATE queue_jobs SET state = 'failed', finished_at = ?, output = ? WHERE id = ? AND state = 'active'`,
      [iso(now), output, String(r.id)],
    );
    if (n > 0 && r.dead_letter !== null && r.dead_letter !== undefined && r.dead_letter !== r.queue)
      await this.insert(tx, String(r.dead_letter), { ...JSON.parse(String(r.data)) }, {});
  }

  private wake(): void {
    if (this.stopped || this.workers.size === 0) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = true;
    void this.fill()
      .catch(() => undefined)
      .finally(() => {
        this.filling = false;
        if (this.refill) {
          this.refill = false;
          this.wake();
        }
      });
  }

  private async fill(): Promise<void> {
    for (const [queue, w] of this.workers) {
      while (!this.stopped && [...this.active.values()].filter((a) => a.queue === queue).length < w.concurrency) {
        const job = await this.claim(queue);
        if (!job) break;
        this.run(job, w.handler);
      }
    }
  }

  private claim(queue: string): Promise<Record<string, unknown> | undefined> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const rows = await tx.all(
        `SELECT id FROM queue_jobs WHERE queue = ? AND state IN ('created', 'retry') AND start_after <= ?
         ORDER BY priority DESC, seq LIMIT 1${this.db.lockRowsSuffix}`,
        [queue, iso(now)],
      );
      const id = rows[0]?.id;
      if (id === undefined) return undefined;
      await tx.run(`UPDATE queue_jobs SET state = 'active', started_at = ?, attempts = attempts + 1 WHERE id = ?`, [
        iso(now),
        String(id),
      ]);
      return (await tx.all('SELECT * FROM queue_jobs WHERE id = ?', [String(id)]))[0];
    });
  }

  private run(r: Record<string, unknown>, handler: JobHandler): void {
    const id = String(r.id);
    const controller = new AbortController();
    const entry: Running = {
      id,
      queue: String(r.queue),
      controller,
      done: Promise.resolve(),
      progress: { fraction: 0, message: null, dirty: false },
    };
    this.active.set(id, entry);
    entry.done = (async () => {
      let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
      try {
        const value = await handler({
          id,
          queue: entry.queue,
          data: JSON.parse(String(r.data)),
          attempt: Number(r.attempts),
          signal: controller.signal,
          progress: (fraction, message = null) => {
            entry.progress = { fraction, message, dirty: true };
          },
        });
        outcome = { ok: true, value };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // Stopped without waiting: the job goes back to the queue (not an attempt lost to a crash).
      if (this.stopped && controller.signal.aborted) {
        await this.db
          .run(`UPDATE queue_jobs SET state = 'retry', attempts = attempts - 1 WHERE id = ? AND state = 'active'`, [id])
          .catch(() => undefined);
      } else if (outcome.ok) {
        await this.db.run(
          `UPDATE queue_jobs SET state = 'completed', finished_at = ?, output = ?, progress = 1 ` +
            `WHERE id = ? AND state = 'active'`,
          [iso(this.now()), JSON.stringify(outcome.value ?? null), id],
        );
      } else {
        const e = outcome.error;
        const message = e instanceof Error ? e.message : String(e);
        await this.db.transaction(async (tx) => {
          const row = (await tx.all('SELECT * FROM queue_jobs WHERE id = ?', [id]))[0];
          if (row) await this.failIn(tx, row, message, this.now(), e instanceof PermanentJobError);
        });
      }
      this.active.delete(id);
      this.wake();
    })().catch(() => {
      this.active.delete(id);
    });
  }

  async stop(o: StopOptions = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const all = [...this.active.values()];
    const wait = Promise.all(all.map((a) => a.done));
    if (o.graceful !== false && all.length) {
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), o.timeoutMs ?? 30_000).unref());
      if ((await Promise.race([wait.then(() => 'done' as const), timeout])) === 'done') return;
    }
    for (const a of this.active.values()) a.controller.abort(new Error('shutting down'));
    // A handler that ignores its signal is left behind: its job expires and runs elsewhere.
    await Promise.race([wait, new Promise((r) => setTimeout(r, ABANDON_AFTER_MS).unref())]);
  }
}
