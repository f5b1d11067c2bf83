/**
 * The bookings' deferred work (a hold's expiry at its time, the periodic sweep of lapsed holds) on
 * the job engine instead of in-memory timers: a delayed job survives the instance that scheduled
 * it, runs once across all instances (any API instance with a queue works these queues), and the
 * sweep is one cron schedule for the whole deployment rather than one timer per instance.
 */
import type { JobQueue } from '../../queue/queue.js';
import type { JobHandler, Scheduler } from '../../service/scheduler.js';

/** Cron has minute resolution: a period under a minute runs every minute. */
export function cronEvery(everyMs: number): string {
  const minutes = Math.max(1, Math.round(everyMs / 60_000));
  if (minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

export class QueueScheduler implements Scheduler {
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly queue: JobQueue,
    private readonly onError: (kind: string, e: unknown) => void = () => undefined,
  ) {}

  /** Every step waits for the ones before it: a job is never sent to a queue not yet created. */
  private afterReady(step: () => Promise<void>, kind: string): Promise<void> {
    this.ready = this.ready.then(step).catch((e: unknown) => this.onError(kind, e));
    return this.ready;
  }

  handle(kind: string, fn: JobHandler): void {
    void this.afterReady(async () => {
      // Handlers are idempotent (decision 0017): retrying a failed expiry is safe.
      await this.queue.createQueue(kind, { retryLimit: 3, retryDelayS: 5, retryBackoff: true, expireInS: 300 });
      await this.queue.work<Record<string, unknown>>(kind, { concurrency: 1 }, async (job) => {
        await fn(job.data);
        return null;
      });
    }, kind);
  }

  schedule(kind: string, runAt: string, payload: Record<string, unknown>, key?: string): Promise<void> {
    return this.afterReady(async () => {
      const startAfterS = Math.max(0, Math.ceil((Date.parse(runAt) - Date.now()) / 1000));
      await this.queue.send(kind, payload, { startAfterS, ...(key !== undefined ? { singletonKey: key } : {}) });
    }, kind);
  }

  every(kind: string, everyMs: number): void {
    if (everyMs <= 0) return;
    void this.afterReady(() => this.queue.schedule(kind, cronEvery(everyMs)), kind);
  }

  /** The queue itself is stopped by its owner (the server or the test harness), after the app. */
  async stop(): Promise<void> {
    await this.ready;
  }
}
