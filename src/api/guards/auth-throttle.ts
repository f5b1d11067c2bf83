/**
 * The bad-key throttle (docs/security.md). Every key check that would run scrypt passes through
 * `begin` first, so an attempt counts while it is still hashing: concurrency cannot outrun the
 * count. Bounds, all answered with 429 + Retry-After and no hashing:
 * - failures per (address, key id) per window: an attacker elsewhere cannot lock out a key's owner;
 * - failures per address per window (any key id): one address cannot try ids without end;
 * - scrypt runs in flight per key id and per address: a burst queues no hashing behind a real key.
 * A key whose secret was verified before never reaches here (KeyService remembers it by digest),
 * so a correct secret is not locked out by someone else's guesses.
 */
export interface AuthThrottleLimits {
  failuresPerKeyAndAddress: number;
  failuresPerAddress: number;
  concurrentPerKey: number;
  concurrentPerAddress: number;
  windowMs: number;
}

export const AUTH_THROTTLE_DEFAULTS: AuthThrottleLimits = {
  failuresPerKeyAndAddress: 30,
  failuresPerAddress: 300,
  concurrentPerKey: 2,
  concurrentPerAddress: 4,
  windowMs: 60_000,
};

interface Window {
  n: number;
  until: number;
}

/**
 * `release(true)`: the secret was right; `false`: wrong; `'undecided'`: it could not be checked (the
 * database did not answer), which is no evidence against the key and counts as neither.
 */
export type Admission =
  | { ok: true; release: (success: boolean | 'undecided') => void }
  | { ok: false; retryAfterS: number };

export class AuthThrottle {
  private readonly failures = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();
  private nextSweep = 0;
  /** scrypt runs admitted so far (tests and metrics read it). */
  admitted = 0;

  constructor(readonly limits: AuthThrottleLimits = AUTH_THROTTLE_DEFAULTS) {}

  begin(address: string, keyId: string, now = Date.now()): Admission {
    if (now >= this.nextSweep) this.sweep(now);
    const pair = `p:${address}|${keyId}`;
    const addr = `a:${address}`;
    const key = `k:${keyId}`;
    const L = this.limits;
    // Attempts in flight count as failures until they prove otherwise.
    const overPair = this.count(pair, now) + (this.inFlight.get(pair) ?? 0) >= L.failuresPerKeyAndAddress;
    const overAddr = this.count(addr, now) + (this.inFlight.get(addr) ?? 0) >= L.failuresPerAddress;
    if (overPair || overAddr) return { ok: false, retryAfterS: this.retryAfter(overPair ? pair : addr, now) };
    if ((this.inFlight.get(key) ?? 0) >= L.concurrentPerKey || (this.inFlight.get(addr) ?? 0) >= L.concurrentPerAddress)
      return { ok: false, retryAfterS: 1 };
    for (const k of [pair, addr, key]) this.inFlight.set(k, (this.inFlight.get(k) ?? 0) + 1);
    this.admitted++;
    let done = false;
    return {
      ok: true,
      release: (success) => {
        if (done) return;
        done = true;
        for (const k of [pair, addr, key]) {
          const n = (this.inFlight.get(k) ?? 1) - 1;
          if (n <= 0) this.inFlight.delete(k);
          else this.inFlight.set(k, n);
        }
        if (success === 'undecided') return;
        if (success) this.failures.delete(pair);
        else for (const k of [pair, addr]) this.fail(k, Date.now());
      },
    };
  }

  private count(k: string, now: number): number {
    const w = this.failures.get(k);
    return w && now < w.until ? w.n : 0;
  }

  private fail(k: string, now: number): void {
    const w = this.failures.get(k);
    if (!w || now >= w.until) {
      if (this.failures.size > 100_000) this.failures.clear();
      this.failures.set(k, { n: 1, until: now + this.limits.windowMs });
    } else w.n++;
  }

  private retryAfter(k: string, now: number): number {
    const w = this.failures.get(k);
    return w ? Math.max(1, Math.ceil((w.until - now) / 1000)) : 1;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.failures) if (now >= w.until) this.failures.delete(k);
    this.nextSweep = now + this.limits.windowMs;
  }
}
