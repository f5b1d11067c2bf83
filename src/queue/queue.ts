/**
 * The job engine behind one interface: pg-boss 10.4.2 on PostgreSQL (workers on any host), and an
 * in-process queue on the embedded SQLite store (the single-machine default). Both pass one
 * conformance suite (test/queue/conformance.ts); job kinds and edges see only this file.
 *
 * Delivery is at least once: a job whose worker dies is run again after its expiry, so handlers
 * must be idempotent (Corridor's kinds are pure computations, and what they write is keyed).
 */

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Priorities: interactive work (a person waiting) is fetched before batch work (sweep draws). */
export const PRIORITY = { batch: 0, interactive: 10 } as const;

/** A transaction of the store's database the queue can write into (enqueue with the causing write). */
export interface QueueTransaction {
  readonly dialect: 'sqlite' | 'postgres';
  /** A statement with `?` placeholders, inside the caller's transaction (the in-process queue's statements). */
  all(sql: string, params?: readonly (string | number | null)[]): Promise<Record<string, unknown>[]>;
  /** PostgreSQL only: a statement with its own `$1, $2, …` placeholders, unchanged (pg-boss's statements). */
  raw?(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface QueueOptions {
  /** Attempts after the first one fails (default 2). */
  retryLimit?: number;
  /** Seconds before a retry (default 0). */
  retryDelayS?: number;
  /** Doubles the delay on each retry, with jitter (pg-boss's backoff). */
  retryBackoff?: boolean;
  /** A running job older than this is presumed dead (its worker died) and failed, to be retried (default 900). */
  expireInS?: number;
  /** Jobs that fail for good are copied to this queue (its data, and the error as output). */
  deadLetter?: string;
}

export interface SendOptions {
  /** The job id (a UUID); default a random one. */
  id?: string;
  /** Higher first (see PRIORITY); then oldest first. */
  priority?: number;
  /** While a job with this key is queued or running in the queue, sending another returns null. */
  singletonKey?: string;
  /** Not before this many seconds from now (delayed jobs: hold expiry). */
  startAfterS?: number;
  retryLimit?: number;
  retryDelayS?: number;
  retryBackoff?: boolean;
  expireInS?: number;
  /** Write the job in this transaction of the store (same database): it exists only if the transaction commits. */
  tx?: QueueTransaction;
}

export interface QueueJob<T = unknown> {
  id: string;
  queue: string;
  data: T;
  state: JobState;
  priority: number;
  /** Runs started so far (1 on the first run). */
  attempts: number;
  retryLimit: number;
  singletonKey: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The handler's result once succeeded; `{message}` once failed. */
  output: unknown;
  progress: { fraction: number; message: string | null };
}

export interface JobHandle<T = unknown> {
  id: string;
  queue: string;
  data: T;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the job is cancelled or the worker shuts down without waiting. */
  signal: AbortSignal;
  /** Records progress (0 … 1); cheap, written at most about once a second. */
  progress(fraction: number, message?: string | null): void;
}

export type JobHandler<T = unknown> = (job: JobHandle<T>) => Promise<unknown>;

/** Thrown by a handler: fail the job now, without retries (a user error: retrying cannot help). */
export class PermanentJobError extends Error {}

export interface WorkOptions {
  /** Jobs of this queue run at once in this process (default 1). */
  concurrency?: number;
}

export interface StopOptions {
  /** Wait for running jobs to finish, up to `timeoutMs`; those still running are handed back. */
  graceful?: boolean;
  timeoutMs?: number;
}

export interface JobQueue {
  readonly engine: 'in-process' | 'pg-boss';
  /** Installs or migrates the engine's tables and starts maintenance (expiry, cron). */
  start(): Promise<void>;
  /** Creates the queue, or updates its options. */
  createQueue(name: string, options?: QueueOptions): Promise<void>;
  /** The job id, or null when a job with the same singleton key is already queued or running. */
  send(queue: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Sends `data` to queue `queue` at every time the cron expression (UTC, minute resolution) names. */
  schedule(queue: string, cron: string, data?: object, options?: SendOptions): Promise<void>;
  unschedule(queue: string): Promise<void>;
  schedules(): Promise<{ queue: string; cron: string }[]>;
  /** Runs the handler on the queue's jobs in this process until stop(). */
  work<T>(queue: string, options: WorkOptions, handler: JobHandler<T>): Promise<void>;
  getJob<T = unknown>(queue: string, id: string): Promise<QueueJob<T> | undefined>;
  /** Newest first, without output. */
  listJobs(queue: string, opts?: { limit?: number; state?: JobState }): Promise<QueueJob[]>;
  /** Queued or running → cancelled (a running handler sees its signal abort); false if finished or unknown. */
  cancel(queue: string, id: string): Promise<boolean>;
  /** Jobs running in this process now. */
  readonly running: number;
  stop(options?: StopOptions): Promise<void>;
}
