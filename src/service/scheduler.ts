/**
 * Deferred work behind one small interface: a delayed job (a hold's expiry at its time) and a
 * periodic sweep (the safety net for delayed jobs lost with a crashed instance). Handlers must be
 * idempotent: a job may run twice, or after the sweep did its work. The in-process implementation
 * below keeps timers in memory; a durable queue (pg-boss: `send` with `startAfter` and a
 * `singletonKey`, `schedule` with a cron expression, `work`) implements the same interface.
 */
export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

export interface Scheduler {
  /** Registers what runs for `kind`. */
  handle(kind: string, fn: JobHandler): void;
  /** Runs `kind` with `payload` at `runAt` (ISO) or soon after; `key` collapses duplicates. */
  schedule(kind: string, runAt: string, payload: Record<string, unknown>, key?: string): Promise<void>;
  /** Runs `kind` (payload `{}`) every `everyMs`. */
  every(kind: string, everyMs: number): void;
  stop(): Promise<void>;
}

/** Node timers, unref'd so they never hold the process open; a failed run is reported, not retried. */
export class InProcessScheduler implements Scheduler {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly onError: (kind: string, e: unknown) => void = () => undefined) {}

  handle(kind: string, fn: JobHandler): void {
    this.handlers.set(kind, fn);
  }

  private run(kind: string, payload: Record<string, unknown>): void {
    const fn = this.handlers.get(kind);
    if (!fn || this.stopped) return;
    const p = fn(payload)
      .catch((e: unknown) => this.onError(kind, e))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async schedule(kind: string, runAt: string, payload: Record<string, unknown>, key?: string): Promise<void> {
    if (this.stopped) return;
    const id = `${kind}:${key ?? `${runAt}:${JSON.stringify(payload)}`}`;
    const old = this.timers.get(id);
    if (old) clearTimeout(old);
    // setTimeout takes at most 2^31 − 1 ms; later jobs wait for the sweep.
    const ms = Math.min(Math.max(0, Date.parse(runAt) - Date.now()), 2 ** 31 - 1);
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.run(kind, payload);
    }, ms);
    t.unref();
    this.timers.set(id, t);
  }

  every(kind: string, everyMs: number): void {
    if (everyMs <= 0) return;
    const t = setInterval(() => this.run(kind, {}), everyMs);
    t.unref();
    this.intervals.push(t);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timers.clear();
    await Promise.all([...this.running]);
  }
}
