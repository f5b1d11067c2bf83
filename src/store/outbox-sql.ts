/**
 * The outbox and webhook subscriptions on any SqlDriver. `writeOutbox` runs inside the caller's
 * transaction, so a state change and its notifications commit together or not at all; any
 * component with a transaction (bookings, tracking) writes its events through it.
 */
import { randomUUID } from 'node:crypto';
import type { Row, SqlDriver, SqlExecutor } from './sql.js';
import type { OutboxEvent, OutboxMessage, OutboxStore, Subscription } from './store.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function subscriptionOf(r: Row): Subscription {
  return {
    id: String(r.id),
    owner: String(r.owner),
    url: String(r.url),
    secret: String(r.secret),
    topics: JSON.parse(String(r.topics)) as string[],
    createdAt: String(r.created_at),
    kind: r.kind === 'tnt' ? 'tnt' : 'webhook',
    deliveryBatch: r.delivery_batch === null || r.delivery_batch === undefined ? null : Number(r.delivery_batch),
    pausedUntil: str(r.paused_until),
  };
}

function messageOf(r: Row): OutboxMessage {
  return {
    id: String(r.id),
    subscription: String(r.subscription),
    topic: String(r.topic),
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    createdAt: String(r.created_at),
    attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at),
    deliveredAt: str(r.delivered_at),
    failedAt: str(r.failed_at),
    lastError: str(r.last_error),
  };
}

const matches = (topics: readonly string[], topic: string) =>
  topics.some((t) => t === '*' || topic === t || (t.endsWith('.') && topic.startsWith(t)));

/** Writes one outbox row per event and matching subscription of its audience (and of `*` subscribers). */
export async function writeOutbox(tx: SqlExecutor, events: readonly OutboxEvent[], now: string): Promise<number> {
  let n = 0;
  for (const e of events) {
    const parties = [...new Set([...e.audience, '*'])];
    const subs = (
      await tx.all(`SELECT * FROM subscriptions WHERE owner IN (${parties.map(() => '?').join(', ')})`, parties)
    ).map(subscriptionOf);
    for (const s of subs) {
      if (!matches(s.topics, e.topic)) continue;
      await tx.run(
        'INSERT INTO outbox (id, subscription, topic, payload, created_at, attempts, next_attempt_at) ' +
          'VALUES (?, ?, ?, ?, ?, 0, ?)',
        [randomUUID(), s.id, e.topic, JSON.stringify(e.payload), now, now],
      );
      n++;
    }
  }
  return n;
}

export class SqlOutbox implements OutboxStore {
  constructor(private readonly db: SqlDriver) {}

  async subscribe(s: Subscription): Promise<void> {
    await this.db.run(
      'INSERT INTO subscriptions (id, owner, url, secret, topics, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [s.id, s.owner, s.url, s.secret, JSON.stringify(s.topics), s.createdAt],
    );
  }
  async listSubscriptions(owner?: string): Promise<Subscription[]> {
    const rows =
      owner === undefined
        ? await this.db.all("SELECT * FROM subscriptions WHERE kind = 'webhook' ORDER BY created_at, id")
        : await this.db.all(
            "SELECT * FROM subscriptions WHERE kind = 'webhook' AND owner = ? ORDER BY created_at, id",
            [owner],
          );
    return rows.map(subscriptionOf);
  }
  async findSubscription(id: string): Promise<Subscription | undefined> {
    const r = (await this.db.all('SELECT * FROM subscriptions WHERE id = ?', [id]))[0];
    return r ? subscriptionOf(r) : undefined;
  }
  async unsubscribe(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM outbox WHERE subscription = ? AND delivered_at IS NULL', [id]);
      return (await tx.run('DELETE FROM subscriptions WHERE id = ?', [id])) === 1;
    });
  }
  async setDeliveryState(id: string, state: { deliveryBatch?: number; pausedUntil?: string }): Promise<void> {
    // A smaller batch only ever replaces a larger one, a pause only a shorter one: two instances
    // that each saw a 413 or a Retry-After agree on the stricter.
    if (state.deliveryBatch !== undefined)
      await this.db.run(
        'UPDATE subscriptions SET delivery_batch = ? WHERE id = ? AND (delivery_batch IS NULL OR delivery_batch > ?)',
        [state.deliveryBatch, id, state.deliveryBatch],
      );
    if (state.pausedUntil !== undefined)
      await this.db.run(
        'UPDATE subscriptions SET paused_until = ? WHERE id = ? AND (paused_until IS NULL OR paused_until < ?)',
        [state.pausedUntil, id, state.pausedUntil],
      );
  }
  enqueue(events: readonly OutboxEvent[], now: string): Promise<number> {
    return this.db.transaction((tx) => writeOutbox(tx, events, now));
  }
  async claimDue(owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all(
        `SELECT id FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
           AND (lease_until IS NULL OR lease_until < ?)
         ORDER BY next_attempt_at, id LIMIT ?${this.db.lockRowsSuffix}`,
        [now, now, limit],
      );
      const ids = rows.map((r) => String(r.id));
      if (ids.length === 0) return [];
      // One statement each for the whole claim: a round of a hundred is one write, not a hundred.
      const list = ids.map(() => '?').join(', ');
      await tx.run(`UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN (${list})`, [
        owner,
        leaseUntil,
        ...ids,
      ]);
      const byId = new Map(
        (await tx.all(`SELECT * FROM outbox WHERE id IN (${list})`, ids)).map((m) => [String(m.id), messageOf(m)]),
      );
      return ids.flatMap((id) => byId.get(id) ?? []);
    });
  }
  async delivered(id: string, now: string): Promise<void> {
    await this.db.run(
      'UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL ' +
        'WHERE id = ?',
      [now, id],
    );
  }
  async deliveredAll(ids: readonly string[], now: string): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      await this.db.run(
        'UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL ' +
          `WHERE id IN (${part.map(() => '?').join(', ')})`,
        [now, ...part],
      );
    }
  }
  async postpone(ids: readonly string[], nextAttemptAt: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.run(
      'UPDATE outbox SET next_attempt_at = ?, lease_owner = NULL, lease_until = NULL ' +
        `WHERE id IN (${ids.map(() => '?').join(', ')})`,
      [nextAttemptAt, ...ids],
    );
  }
  async failed(id: string, error: string, now: string, nextAttemptAt: string | null): Promise<void> {
    await this.db.run(
      'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), ' +
        'failed_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?',
      [error.slice(0, 500), nextAttemptAt, nextAttemptAt === null ? now : null, id],
    );
  }
  async list(filter: { subscription?: string; limit: number }): Promise<OutboxMessage[]> {
    const rows =
      filter.subscription === undefined
        ? await this.db.all('SELECT * FROM outbox ORDER BY created_at, id LIMIT ?', [filter.limit])
        : await this.db.all('SELECT * FROM outbox WHERE subscription = ? ORDER BY created_at, id LIMIT ?', [
            filter.subscription,
            filter.limit,
          ]);
    return rows.map(messageOf);
  }
}
