/**
 * Worker threads for the computations of requests (uncached routes, quotes and plans), so the
 * request thread only parses, looks up caches and writes answers, and `/health` answers at once
 * however many searches run (decision 0026). It is the job pool (jobs/pool.ts) with another
 * worker file and a bound on the wait: beyond `queueBound` waiting computations a request gets
 * 503 with `Retry-After` instead of joining a queue it would time out in.
 */
import { fileURLToPath } from 'node:url';
import { CorridorError, InvalidRequestError } from '../model/errors.js';
import type { AnswerOffload, AnswerTask } from '../service/service.js';
import { JobCancelled, JobFailed, WorkerCrashed, WorkerPool } from './jobs/pool.js';
import { requestPoolCounter } from './metrics.js';
import { HttpProblem } from './problem.js';
import type { PlainCorridorError } from './request-worker.js';

/** The built worker: src/api and dist/api both sit two levels below the package root. */
export const REQUEST_WORKER_FILE = fileURLToPath(new URL('../../dist/api/request-worker.js', import.meta.url));

export interface RequestPoolOptions {
  /** Worker threads (≥ 1). */
  size: number;
  /** Computations that may wait for a thread; one more is refused with 503. */
  queueBound: number;
  dataDir: string;
  /** Another worker speaking the same protocol (tests: one that hangs or crashes on demand). */
  file?: string;
  workerData?: Record<string, unknown>;
}

const CLIENT_GONE = 'every client asking for this answer closed its connection before it was computed';

export class RequestPool implements AnswerOffload {
  private readonly pool: WorkerPool;
  private next = 0;
  /** Mean computation time (exponentially weighted), for Retry-After. */
  private meanMs = 50;
  /** Requests refused because the queue was full (metrics, tests). */
  refused = 0;
  /** Answers the workers computed. */
  answered = 0;
  readonly queueBound: number;
  /** Where crashes and internal errors are logged (their details never reach the client). */
  onInternalError: (message: string, detail: string) => void = () => undefined;

  constructor(o: RequestPoolOptions) {
    this.queueBound = o.queueBound;
    // Two per thread: each thread has the next computation in hand when it finishes one.
    this.pool = new WorkerPool(o.size, o.dataDir, o.file ?? REQUEST_WORKER_FILE, o.workerData ?? {}, 2);
  }

  get size(): number {
    return this.pool.size;
  }
  get busy(): number {
    return this.pool.busy;
  }
  /** Computations sent to threads: running, or next in a thread's hand (two per thread). */
  get held(): number {
    return this.pool.held;
  }
  get queued(): number {
    return this.pool.queued;
  }

  /** Computations withdrawn from the wait because every client asking for them had gone. */
  withdrawn = 0;

  /**
   * `signal`: aborts when nobody waits for the answer any more; a computation still waiting for a
   * thread is then dropped, so clients that gave up do not delay those that wait (one that runs
   * finishes, and its answer is cached).
   */
  async run(task: AnswerTask, signal?: AbortSignal): Promise<unknown> {
    if (this.pool.idle === 0 && this.pool.queued >= this.queueBound) {
      this.refused++;
      requestPoolCounter.inc({ outcome: 'refused' });
      // The wait ahead: the queue drains `size` computations at a time.
      const waitS = Math.max(1, Math.ceil(((this.pool.queued + 1) * this.meanMs) / this.pool.size / 1000));
      throw new HttpProblem(
        'unavailable',
        `the server is computing as many answers as it can queue (${this.pool.size} running, ` +
          `${this.pool.queued} waiting); retry in ${waitS} s`,
        {},
        { 'retry-after': String(waitS) },
      );
    }
    const id = `r${++this.next}`;
    const started = Date.now();
    const withdraw = () => {
      if (this.pool.withdraw(id, CLIENT_GONE)) this.withdrawn++;
    };
    signal?.addEventListener('abort', withdraw, { once: true });
    try {
      const result = await this.pool.run(id, task.kind, task, () => undefined);
      this.meanMs = 0.9 * this.meanMs + 0.1 * (Date.now() - started);
      this.answered++;
      requestPoolCounter.inc({ outcome: 'answered' });
      return result;
    } catch (e) {
      const withdrawn = e instanceof JobCancelled && e.message === CLIENT_GONE;
      requestPoolCounter.inc({ outcome: withdrawn ? 'withdrawn' : e instanceof WorkerCrashed ? 'crashed' : 'failed' });
      throw withdrawn ? new HttpProblem('unavailable', CLIENT_GONE) : this.problemOf(e);
    } finally {
      signal?.removeEventListener('abort', withdraw);
    }
  }

  private problemOf(e: unknown): Error {
    if (e instanceof JobFailed && e.userError && e.error) return corridorErrorOf(e.error as PlainCorridorError);
    if (e instanceof JobCancelled) return new HttpProblem('unavailable', 'the server is shutting down');
    if (e instanceof WorkerCrashed) {
      this.onInternalError('request worker thread crashed; it is replaced', e.message);
      return new HttpProblem('internal', 'internal error; quote requestId when reporting it');
    }
    const detail = e instanceof JobFailed ? (e.internal ?? e.message) : e instanceof Error ? e.message : String(e);
    this.onInternalError('request worker failed', detail);
    return new HttpProblem('internal', 'internal error; quote requestId when reporting it');
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function corridorErrorOf(e: PlainCorridorError): CorridorError {
  if (e.type === 'invalid-request') return new InvalidRequestError(e.problems);
  return new CorridorError(e.code, e.message, e.details, e.field);
}
