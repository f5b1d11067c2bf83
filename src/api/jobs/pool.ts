/**
 * A fixed pool of worker threads running jobs off the request path. A job sent while every thread
 * is busy waits for the next free one (several queues share one pool). Cancelling a job
 * terminates its thread (CPU-bound code cannot be interrupted otherwise) and starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { PublicationSnapshot } from '../../scenario/publications.js';

/** The built worker: src/api/jobs and dist/api/jobs both sit three levels below the package root. */
export const WORKER_FILE = fileURLToPath(new URL('../../../dist/api/jobs/worker.js', import.meta.url));

export class JobCancelled extends Error {}
export class WorkerCrashed extends Error {}
export class JobFailed extends Error {
  constructor(
    message: string,
    readonly userError: boolean,
    /** For the log only: what an internal error said (the job's error shows none of it). */
    readonly internal?: string,
    /** The user error itself, as plain data, for callers that rebuild it (the request pool). */
    readonly error?: unknown,
  ) {
    super(message);
  }
}

interface Job {
  id: string;
  resolve(r: unknown): void;
  reject(e: Error): void;
  onProgress(f: number, m: string | null): void;
}

interface Slot {
  worker: Worker;
  /** Sent to the thread, in the order it runs them: the first is running, the rest wait in its port. */
  jobs: Job[];
  ready: Promise<void>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { jobId: string; start(): void; reject(e: Error): void }[] = [];
  private closed = false;
  /** Threads being terminated by `cancel`, already replaced in `slots`. */
  private readonly dying = new Set<Slot>();

  constructor(
    readonly size: number,
    private readonly dataDir: string,
    private readonly file = WORKER_FILE,
    /** More for the worker's `workerData` (the request pool's test workers read their behaviour there). */
    private readonly workerData: Record<string, unknown> = {},
    /**
     * Jobs a thread may hold: 1 runs one at a time; 2 also sends the next while one runs, so the
     * thread starts it without waiting for this thread to hear of the first and answer (the request
     * pool: its jobs take milliseconds, and that round trip left each thread idle a tenth of the time).
     */
    private readonly perThread = 1,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.file, { workerData: { ...this.workerData, dataDir: this.dataDir } });
    const slot: Slot = { worker, jobs: [], ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve) => {
      const onReady = (m: { type: string }) => {
        if (m.type === 'ready') {
          worker.off('message', onReady);
          resolve();
        }
      };
      worker.on('message', onReady);
      worker.once('exit', () => resolve());
    });
    worker.on(
      'message',
      (m: {
        type: string;
        jobId: string;
        fraction?: number;
        message?: string | null;
        result?: unknown;
        userError?: boolean;
        internal?: string;
        error?: unknown;
      }) => {
        // By id, not position: a thread answers its jobs in order only if each runs to its end unbroken.
        const at = slot.jobs.findIndex((j) => j.id === m.jobId);
        const job = slot.jobs[at];
        if (!job) return;
        if (m.type === 'progress') job.onProgress(m.fraction ?? 0, m.message ?? null);
        else if (m.type === 'done') {
          slot.jobs.splice(at, 1);
          job.resolve(m.result);
          this.next();
        } else if (m.type === 'failed') {
          slot.jobs.splice(at, 1);
          job.reject(new JobFailed(m.message ?? 'failed', m.userError === true, m.internal, m.error));
          this.next();
        }
      },
    );
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      this.dying.delete(slot);
      for (const job of slot.jobs.splice(0))
        job.reject(new WorkerCrashed('the worker thread stopped while running the job'));
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
      this.next();
    });
    return slot;
  }

  get idle(): number {
    return this.closed ? 0 : this.slots.filter((s) => s.jobs.length === 0).length;
  }
  get busy(): number {
    return this.slots.filter((s) => s.jobs.length > 0).length;
  }

  /** A thread to send a job to: an idle one first, else one with room for the next job. */
  private free(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots)
      if (s.jobs.length < this.perThread && (!best || s.jobs.length < best.jobs.length)) best = s;
    return best;
  }
  /** Jobs sent to threads (running or next in a thread's hand). */
  get held(): number {
    return this.slots.reduce((n, s) => n + s.jobs.length, 0);
  }
  /** Jobs waiting for a free thread. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * `overlay`: the operator publications the job sees (the instance's effective dataset);
   * `today`: the instance's date, so the job prices "today" as the API does.
   */
  run(
    jobId: string,
    kind: string,
    params: unknown,
    onProgress: (fraction: number, message: string | null) => void,
    world: { overlay?: PublicationSnapshot; today?: string } = {},
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new JobCancelled('shutting down'));
    const slot = this.free();
    if (!slot)
      return new Promise((resolve, reject) => {
        this.waiting.push({
          jobId,
          start: () => this.run(jobId, kind, params, onProgress, world).then(resolve, reject),
          reject,
        });
      });
    return new Promise((resolve, reject) => {
      slot.jobs.push({ id: jobId, resolve, reject, onProgress });
      void slot.ready.then(() => slot.worker.postMessage({ type: 'run', jobId, kind, params, ...world }));
    });
  }

  /** Starts the longest-waiting job on a free thread. */
  private next(): void {
    if (this.closed || this.waiting.length === 0 || !this.free()) return;
    this.waiting.shift()?.start();
  }

  /**
   * Takes the job out of the wait if it has not started (its promise rejects with JobCancelled);
   * a running job goes on. Whether it was taken out.
   */
  withdraw(jobId: string, reason: string): boolean {
    const w = this.waiting.findIndex((x) => x.jobId === jobId);
    if (w < 0) return false;
    this.waiting.splice(w, 1)[0]?.reject(new JobCancelled(reason));
    return true;
  }

  /** Stops the job's thread (or takes it out of the wait); its promise rejects with JobCancelled. */
  cancel(jobId: string): void {
    if (this.withdraw(jobId, 'cancelled')) return;
    const slot = this.slots.find((s) => s.jobs.some((j) => j.id === jobId));
    if (!slot) return;
    // Terminating the thread stops the job; the others sent to it fail as crashed (`exit` above).
    const i = slot.jobs.findIndex((j) => j.id === jobId);
    slot.jobs.splice(i, 1)[0]?.reject(new JobCancelled('cancelled'));
    // Replaced now, not on its `exit`: until then the emptied slot looked idle, and a job sent to it
    // died with the thread as "crashed" (a silent retry in the multi-process suite).
    const at = this.slots.indexOf(slot);
    if (at >= 0 && !this.closed) this.slots[at] = this.spawn();
    this.dying.add(slot);
    void slot.worker.terminate();
    this.next();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new JobCancelled('shutting down'));
    for (const s of this.slots) for (const job of s.jobs.splice(0)) job.reject(new JobCancelled('shutting down'));
    await Promise.all([...this.slots, ...this.dying].map((s) => s.worker.terminate()));
  }
}
