/**
 * Fixed-window request limits per API key (or per client address without one). A plain Map
 * checked in one hook: the general-purpose plugin cost a measurable share of a cached route
 * request (docs/decisions/0007-http-service-fastify.md). Windows are one minute; stale entries
 * are swept once a minute.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { n: number; until: number }>();
  private nextSweep = 0;

  constructor(private readonly windowMs = 60_000) {}

  /** Counts one request; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string, max: number, now = Date.now()): number {
    if (now >= this.nextSweep) this.sweep(now);
    const w = this.windows.get(key);
    if (!w || now >= w.until) {
      this.windows.set(key, { n: 1, until: now + this.windowMs });
      return 0;
    }
    if (w.n >= max) return Math.max(1, Math.ceil((w.until - now) / 1000));
    w.n++;
    return 0;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.until) this.windows.delete(k);
    this.nextSweep = now + this.windowMs;
  }
}
