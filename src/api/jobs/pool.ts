/**
 * A fixed pool of worker threads running jobs off the request path. Cancelling a job terminates
 * its thread (CPU-bound code cannot be interrupted otherwise) and starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { PublicationSnapshot } from '../../scenario/publications.js';
import { must } from '../../model/invariant.js';

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
  ) {
    super(message);
  }
}

interface Slot {
  worker: Worker;
  job:
    | { id: string; resolve(r: unknown): void; reject(e: Error): void; onProgress(f: number, m: string | null): void }
    | undefined;
  ready: Promise<void>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly dataDir: string,
    private readonly file = WORKER_FILE,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.file, { workerData: { dataDir: this.dataDir } });
    const slot: Slot = { worker, job: undefined, ready: Promise.resolve() };
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
      }) => {
        const job = slot.job;
        if (!job || m.jobId !== job.id) return;
        if (m.type === 'progress') job.onProgress(m.fraction ?? 0, m.message ?? null);
        else if (m.type === 'done') {
          slot.job = undefined;
          job.resolve(m.result);
        } else if (m.type === 'failed') {
          slot.job = undefined;
          job.reject(new JobFailed(m.message ?? 'failed', m.userError === true, m.internal));
        }
      },
    );
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      const job = slot.job;
      slot.job = undefined;
      if (job) job.reject(new WorkerCrashed('the worker thread stopped while running the job'));
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    });
    return slot;
  }

  get idle(): number {
    return this.closed ? 0 : this.slots.filter((s) => !s.job).length;
  }
  get busy(): number {
    return this.slots.filter((s) => s.job).length;
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
    const slot = this.slots.find((s) => !s.job);
    if (!slot || this.closed) return Promise.reject(new Error('no idle worker'));
    return new Promise((resolve, reject) => {
      slot.job = { id: jobId, resolve, reject, onProgress };
      void slot.ready.then(() => slot.worker.postMessage({ type: 'run', jobId, kind, params, ...world }));
    });
  }

  /** Stops the job's thread; its promise rejects with JobCancelled. */
  cancel(jobId: string): void {
    const slot = this.slots.find((s) => s.job?.id === jobId);
    if (!slot) return;
    const job = must(slot.job);
    slot.job = undefined;
    job.reject(new JobCancelled('cancelled'));
    void slot.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.slots) {
      const job = s.job;
      s.job = undefined;
      job?.reject(new JobCancelled('shutting down'));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
