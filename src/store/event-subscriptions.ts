/**
 * DCSA event subscriptions on any SqlDriver. They are rows of the webhook `subscriptions` table
 * (kind `tnt`, with their filters and a fan-out cursor over the events' acceptance sequence), so
 * their notifications go through the same outbox and the same dispatcher as every other webhook.
 * Fan-out moves the cursor and writes the outbox rows in one transaction: an instance killed at
 * any point either wrote both or neither, and the next round starts from the stored cursor.
 */
import { randomUUID } from 'node:crypto';
import type {
  DeliveryStatus,
  EventNotification,
  EventSubscriptionRecord,
  EventSubscriptionRepository,
  SubscriptionFilter,
} from '../tracking/subscriptions.js';
import type { Row, SqlDriver } from './sql.js';

export const TNT_TOPIC = 'tnt.event';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function recordOf(r: Row): EventSubscriptionRecord {
  return {
    id: String(r.id),
    owner: String(r.owner),
    callbackUrl: String(r.url),
    secret: String(r.secret),
    filter: JSON.parse(String(r.filters ?? '{}')) as SubscriptionFilter,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at ?? r.created_at),
    cursorSeq: Number(r.cursor_seq),
  };
}

/** Outbox ids sort by the event's acceptance sequence, so a subscription's backlog goes out in order. */
const outboxId = (seq: number) => `${String(seq).padStart(12, '0')}.${randomUUID()}`;

export class EventSubscriptionTables implements EventSubscriptionRepository {
  constructor(private readonly db: SqlDriver) {}

  async createSubscription(s: EventSubscriptionRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO subscriptions (id, owner, url, secret, topics, created_at, kind, filters, updated_at, cursor_seq) ' +
        "VALUES (?, ?, ?, ?, '[]', ?, 'tnt', ?, ?, ?)",
      [s.id, s.owner, s.callbackUrl, s.secret, s.createdAt, JSON.stringify(s.filter), s.updatedAt, s.cursorSeq],
    );
  }

  async findSubscription(id: string): Promise<EventSubscriptionRecord | undefined> {
    const r = (await this.db.all("SELECT * FROM subscriptions WHERE id = ? AND kind = 'tnt'", [id]))[0];
    return r ? recordOf(r) : undefined;
  }

  async listSubscriptions(
    owner: string | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<EventSubscriptionRecord[]> {
    const where = ["kind = 'tnt'"];
    const params: string[] = [];
    if (owner !== undefined) {
      where.push('owner = ?');
      params.push(owner);
    }
    if (after !== undefined) {
      where.push('id > ?');
      params.push(after);
    }
    const rows = await this.db.all(
      `SELECT * FROM subscriptions WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
      params,
    );
    return rows.map(recordOf);
  }

  async updateSubscription(
    id: string,
    patch: { callbackUrl?: string; filter?: SubscriptionFilter; secret?: string },
    now: string,
  ): Promise<EventSubscriptionRecord | undefined> {
    const sets = ['updated_at = ?'];
    const params: string[] = [now];
    if (patch.callbackUrl !== undefined) {
      sets.push('url = ?');
      params.push(patch.callbackUrl);
    }
    if (patch.filter !== undefined) {
      sets.push('filters = ?');
      params.push(JSON.stringify(patch.filter));
    }
    if (patch.secret !== undefined) {
      sets.push('secret = ?');
      params.push(patch.secret);
    }
    const n = await this.db.run(`UPDATE subscriptions SET ${sets.join(', ')} WHERE id = ? AND kind = 'tnt'`, [
      ...params,
      id,
    ]);
    return n === 1 ? this.findSubscription(id) : undefined;
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM outbox WHERE subscription = ? AND delivered_at IS NULL', [id]);
      return (await tx.run("DELETE FROM subscriptions WHERE id = ? AND kind = 'tnt'", [id])) === 1;
    });
  }

  async latestEventSeq(): Promise<number> {
    const rows = await this.db.all('SELECT MAX(seq) AS v FROM tracking_events');
    return Number(rows[0]?.v ?? 0);
  }

  async fanOut(
    id: string,
    fromSeq: number,
    toSeq: number,
    notifications: readonly EventNotification[],
    now: string,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const moved = await tx.run(
        "UPDATE subscriptions SET cursor_seq = ? WHERE id = ? AND kind = 'tnt' AND cursor_seq = ?",
        [toSeq, id, fromSeq],
      );
      if (moved !== 1) return false;
      for (const n of notifications)
        await tx.run(
          'INSERT INTO outbox (id, subscription, topic, payload, created_at, attempts, next_attempt_at) ' +
            'VALUES (?, ?, ?, ?, ?, 0, ?)',
          [outboxId(n.seq), id, TNT_TOPIC, JSON.stringify(n.body), now, now],
        );
      return true;
    });
  }

  async deliveryStatus(id: string): Promise<DeliveryStatus> {
    const counts = (
      await this.db.all(
        'SELECT SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS pending, ' +
          'SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered, ' +
          'SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS dead, ' +
          'MAX(delivered_at) AS last_delivered FROM outbox WHERE subscription = ?',
        [id],
      )
    )[0];
    const lastError = (
      await this.db.all(
        'SELECT last_error FROM outbox WHERE subscription = ? AND last_error IS NOT NULL AND delivered_at IS NULL ' +
          'ORDER BY id DESC LIMIT 1',
        [id],
      )
    )[0];
    const dead = await this.db.all(
      'SELECT payload, attempts, last_error, failed_at FROM outbox WHERE subscription = ? AND failed_at IS NOT NULL ' +
        'ORDER BY failed_at DESC, id DESC LIMIT 100',
      [id],
    );
    return {
      pending: Number(counts?.pending ?? 0),
      delivered: Number(counts?.delivered ?? 0),
      deadLettered: Number(counts?.dead ?? 0),
      lastDeliveredAt: str(counts?.last_delivered),
      lastError: str(lastError?.last_error),
      deadLetters: dead.map((r) => ({
        eventID: String((JSON.parse(String(r.payload)) as { eventID?: unknown }).eventID ?? ''),
        attempts: Number(r.attempts),
        lastError: str(r.last_error),
        failedAt: String(r.failed_at),
      })),
    };
  }
}

/** Migration 6: event subscriptions as kind `tnt` rows of the webhook subscriptions. */
export const EVENT_SUBSCRIPTION_STATEMENTS = [
  "ALTER TABLE subscriptions ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook'",
  'ALTER TABLE subscriptions ADD COLUMN filters TEXT',
  'ALTER TABLE subscriptions ADD COLUMN updated_at TEXT',
  'ALTER TABLE subscriptions ADD COLUMN cursor_seq INTEGER NOT NULL DEFAULT 0',
  'CREATE INDEX outbox_subscription ON outbox (subscription, delivered_at)',
];
