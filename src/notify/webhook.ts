/**
 * Delivers the store's outbox to webhook subscribers: each due message is leased (so instances
 * share the work and a crashed instance's messages come back when the lease ends), POSTed as a
 * CloudEvent signed with the subscription's secret, and marked delivered on a 2xx; otherwise it is
 * retried with exponential backoff until `maxAttempts`, then kept as failed. Delivery is at least
 * once: a receiver deduplicates by the event id (`webhook-id`, the CloudEvent `id`), which stays
 * the same across retries.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxMessage, OutboxStore, Subscription } from '../store/store.js';
import { signedHeaders } from './sign.js';

export interface DispatcherOptions {
  /** Source of the CloudEvents (a URI naming this Corridor). */
  source?: string;
  leaseMs?: number;
  /** Messages claimed per round. */
  batch?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  onError?: (e: unknown) => void;
}

/** Delay before retry `attempt` (1 = the first retry). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The CloudEvents 1.0 envelope; booking topics carry DCSA's BookingNotification. */
export function envelope(m: OutboxMessage, s: Subscription, source: string): Record<string, unknown> {
  const booking = m.topic.startsWith('booking.');
  const { reason, ...data } = m.payload as Record<string, unknown> & { reason?: unknown };
  return {
    specversion: '1.0',
    id: m.id,
    source,
    type: booking ? 'org.dcsa.booking.v2' : `org.corridor.${m.topic}`,
    time: m.createdAt,
    datacontenttype: 'application/json',
    subscriptionReference: s.id,
    data: booking
      ? {
          ...data,
          ...(typeof reason === 'string'
            ? { feedbacks: [{ severity: 'INFO', code: 'INFORMATIONAL_MESSAGE', message: reason.slice(0, 5000) }] }
            : {}),
        }
      : m.payload,
  };
}

export class WebhookDispatcher {
  private readonly owner = `notify-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<number> | undefined;
  private readonly o: Required<Omit<DispatcherOptions, 'onError'>> & Pick<DispatcherOptions, 'onError'>;

  constructor(
    private readonly outbox: OutboxStore,
    opts: DispatcherOptions = {},
  ) {
    this.o = {
      source: opts.source ?? 'urn:corridor',
      leaseMs: opts.leaseMs ?? 60_000,
      batch: opts.batch ?? 20,
      maxAttempts: opts.maxAttempts ?? 12,
      baseDelayMs: opts.baseDelayMs ?? 10_000,
      maxDelayMs: opts.maxDelayMs ?? 3_600_000,
      timeoutMs: opts.timeoutMs ?? 10_000,
      fetch: opts.fetch ?? fetch,
      now: opts.now ?? Date.now,
      onError: opts.onError,
    };
  }

  /** One round: claims the due messages and delivers them; returns how many were delivered. */
  tick(): Promise<number> {
    this.current ??= this.round().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  private async round(): Promise<number> {
    const now = this.o.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const due = await this.outbox.claimDue(this.owner, iso(now), iso(now + this.o.leaseMs), this.o.batch);
    const subs = new Map<string, Subscription | undefined>();
    let delivered = 0;
    await Promise.all(
      due.map(async (m) => {
        if (!subs.has(m.subscription)) subs.set(m.subscription, await this.outbox.findSubscription(m.subscription));
        const s = subs.get(m.subscription);
        if (!s) return this.outbox.failed(m.id, 'subscription deleted', iso(this.o.now()), null);
        const body = JSON.stringify(envelope(m, s, this.o.source));
        let error: string;
        try {
          const r = await this.o.fetch(s.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/cloudevents+json',
              ...signedHeaders(s.secret, m.id, Math.floor(this.o.now() / 1000), body),
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(this.o.timeoutMs),
          });
          await r.body?.cancel().catch(() => undefined);
          if (r.status >= 200 && r.status < 300) {
            await this.outbox.delivered(m.id, iso(this.o.now()));
            delivered++;
            return;
          }
          error = `HTTP ${r.status}`;
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
        const attempt = m.attempts + 1;
        const next =
          attempt >= this.o.maxAttempts
            ? null
            : iso(this.o.now() + backoffMs(attempt, this.o.baseDelayMs, this.o.maxDelayMs));
        await this.outbox.failed(m.id, error, iso(this.o.now()), next);
      }),
    );
    return delivered;
  }

  /** Delivers every `ms` (0: never). */
  start(ms: number): void {
    if (ms <= 0) return;
    this.timer = setInterval(() => void this.tick().catch((e: unknown) => this.o.onError?.(e)), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.current?.catch(() => undefined);
  }
}
