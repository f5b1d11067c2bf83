/**
 * Delivers the store's outbox to webhook subscribers: each due message is leased (so instances
 * share the work and a crashed instance's messages come back when the lease ends), POSTed as a
 * CloudEvent signed with the subscription's secret, and marked delivered on a 2xx; otherwise it is
 * retried with exponential backoff until `maxAttempts`, then kept as failed. Delivery is at least
 * once: a receiver deduplicates by the event id (`webhook-id`, the CloudEvent `id`), which stays
 * the same across retries.
 *
 * DCSA event subscriptions (kind `tnt`) get their messages as JSON arrays of events, in acceptance
 * order, signed with `Notification-Signature` (the receiver deduplicates by `eventID`). A 413
 * halves the batch for that subscription and resends at once; any other failure postpones the
 * batch by the backoff or the receiver's `Retry-After`, whichever is later. Redirects are never
 * followed: a 3xx is a failure like any other, so a callback cannot be bounced to another host.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxMessage, OutboxStore, Subscription } from '../store/store.js';
import { notificationSignature, signedHeaders } from './sign.js';

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
  /** Most events in one POST to a DCSA event subscription (before any 413 halves it). */
  eventBatch?: number;
  /** The TNT API version sent in the `API-Version` header of event callbacks. */
  apiVersion?: string;
  /** Runs before each round (the event subscriptions' fan-out into the outbox). */
  beforeRound?: () => Promise<unknown>;
  fetch?: typeof fetch;
  now?: () => number;
  onError?: (e: unknown) => void;
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `nowMs`; 0 when absent or bad. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (!header) return 0;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? 0 : Math.max(0, at - nowMs);
}

type Attempt = { ok: true } | { ok: false; status: number | null; error: string; retryAfterMs: number };

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
  private readonly o: Required<Omit<DispatcherOptions, 'onError' | 'beforeRound'>> &
    Pick<DispatcherOptions, 'onError' | 'beforeRound'>;

  constructor(
    private readonly outbox: OutboxStore,
    opts: DispatcherOptions = {},
  ) {
    this.o = {
      source: opts.source ?? 'urn:corridor',
      leaseMs: opts.leaseMs ?? 60_000,
      batch: opts.batch ?? 100,
      maxAttempts: opts.maxAttempts ?? 12,
      baseDelayMs: opts.baseDelayMs ?? 10_000,
      maxDelayMs: opts.maxDelayMs ?? 3_600_000,
      timeoutMs: opts.timeoutMs ?? 10_000,
      eventBatch: opts.eventBatch ?? 100,
      apiVersion: opts.apiVersion ?? '2.2.0',
      beforeRound: opts.beforeRound,
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
    if (this.o.beforeRound) await this.o.beforeRound();
    const now = this.o.now();
    const due = await this.outbox.claimDue(this.owner, this.iso(now), this.iso(now + this.o.leaseMs), this.o.batch);
    const groups = new Map<string, OutboxMessage[]>();
    for (const m of due) groups.set(m.subscription, [...(groups.get(m.subscription) ?? []), m]);
    const counts = await Promise.all(
      [...groups].map(async ([id, msgs]) => {
        const s = await this.outbox.findSubscription(id);
        if (!s) {
          for (const m of msgs) await this.outbox.failed(m.id, 'subscription deleted', this.iso(this.o.now()), null);
          return 0;
        }
        if (s.kind === 'tnt') return this.deliverEvents(s, msgs);
        const ok = await Promise.all(msgs.map((m) => this.deliverOne(s, m)));
        return ok.filter(Boolean).length;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<Attempt> {
    try {
      const r = await this.o.fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await r.body?.cancel().catch(() => undefined);
      if (r.status >= 200 && r.status < 300) return { ok: true };
      return {
        ok: false,
        status: r.status,
        error: `HTTP ${r.status}${r.status >= 300 && r.status < 400 ? ' (redirects are not followed)' : ''}`,
        retryAfterMs: retryAfterMs(r.headers.get('retry-after'), this.o.now()),
      };
    } catch (e) {
      return { ok: false, status: null, error: e instanceof Error ? e.message : String(e), retryAfterMs: 0 };
    }
  }

  /** When to try `m` again after a failed attempt (null: give up, it is dead-lettered). */
  private nextAttempt(m: OutboxMessage, retryAfter: number): string | null {
    const attempt = m.attempts + 1;
    if (attempt >= this.o.maxAttempts) return null;
    const wait = Math.max(backoffMs(attempt, this.o.baseDelayMs, this.o.maxDelayMs), retryAfter);
    return this.iso(this.o.now() + wait);
  }

  private async deliverOne(s: Subscription, m: OutboxMessage): Promise<boolean> {
    const body = JSON.stringify(envelope(m, s, this.o.source));
    const r = await this.post(
      s.url,
      {
        'content-type': 'application/cloudevents+json',
        ...signedHeaders(s.secret, m.id, Math.floor(this.o.now() / 1000), body),
      },
      body,
    );
    if (r.ok) {
      await this.outbox.delivered(m.id, this.iso(this.o.now()));
      return true;
    }
    await this.outbox.failed(m.id, r.error, this.iso(this.o.now()), this.nextAttempt(m, r.retryAfterMs));
    return false;
  }

  /** A DCSA event subscription's due events, as arrays of at most its batch size, oldest first. */
  private async deliverEvents(s: Subscription, msgs: OutboxMessage[]): Promise<number> {
    let queue = [...msgs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // The receiver's batch size and pause are the subscription's, in the database: every instance
    // delivering it honours what the receiver told any of them.
    const paused = s.pausedUntil ? Date.parse(s.pausedUntil) : 0;
    let size = Math.min(s.deliveryBatch ?? this.o.eventBatch, this.o.eventBatch);
    if (paused > this.o.now()) {
      await this.outbox.postpone(
        queue.map((m) => m.id),
        this.iso(paused),
      );
      return 0;
    }
    let delivered = 0;
    while (queue.length > 0) {
      const chunk = queue.slice(0, size);
      const body = JSON.stringify(chunk.map((m) => m.payload));
      const r = await this.post(
        s.url,
        {
          'content-type': 'application/json',
          'notification-signature': notificationSignature(s.secret, body),
          'subscription-id': s.id,
          'api-version': this.o.apiVersion,
        },
        body,
      );
      if (r.ok) {
        await this.outbox.deliveredAll(
          chunk.map((m) => m.id),
          this.iso(this.o.now()),
        );
        delivered += chunk.length;
        queue = queue.slice(chunk.length);
        continue;
      }
      if (r.status === 413 && chunk.length > 1) {
        size = Math.max(1, Math.floor(chunk.length / 2));
        await this.outbox.setDeliveryState(s.id, { deliveryBatch: size });
        continue;
      }
      const at = this.iso(this.o.now());
      if (r.retryAfterMs > 0)
        await this.outbox.setDeliveryState(s.id, { pausedUntil: this.iso(this.o.now() + r.retryAfterMs) });
      let retry: string | null = null;
      for (const m of chunk) {
        const next = this.nextAttempt(m, r.retryAfterMs);
        retry ??= next;
        await this.outbox.failed(m.id, r.error, at, next);
      }
      // The receiver refused: the rest of the backlog waits with the batch instead of being sent now.
      const rest = queue.slice(chunk.length).map((m) => m.id);
      await this.outbox.postpone(rest, retry ?? this.iso(this.o.now() + this.o.baseDelayMs));
      break;
    }
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
