/**
 * DCSA Track & Trace event subscriptions: create, read, change, delete and rotate the secret of a
 * subscription — only ever the key's own (another key's id answers as unknown) — and the fan-out
 * that turns newly accepted events into outbox notifications for every subscription they match.
 *
 * The fan-out walks the events in acceptance order from each subscription's stored cursor and
 * moves the cursor in the same transaction as it writes the notifications, so a crash loses and
 * duplicates nothing at this step; delivery (src/notify) is at least once on top of it. An event
 * reaches a subscription only if its owner could read it at GET /v2/events (the bookings the key
 * may see), and only if it passes the subscription's filters.
 */
import { randomUUID } from 'node:crypto';
import type { DcsaEvent } from '../tracking/events.js';
import type { TrackingRepository } from '../tracking/records.js';
import {
  type DeliveryStatus,
  type EventNotification,
  type EventSubscriptionRecord,
  type EventSubscriptionRepository,
  eventMatches,
  type SubscriptionFilter,
} from '../tracking/subscriptions.js';
import type { TrackingService, Viewer } from './tracking.js';

/** The active key behind a subscription's owner id (undefined: revoked or gone, nothing is delivered). */
export type OwnerLookup = (keyId: string) => Promise<Viewer | undefined>;

export interface SubscriptionInput {
  callbackUrl: string;
  filter: SubscriptionFilter;
}

/** Events read per page of the fan-out, and pages per subscription per round (the rest next round). */
const PAGE = 500;
const PAGES_PER_ROUND = 20;

export class EventSubscriptionService {
  constructor(
    private readonly repo: EventSubscriptionRepository,
    private readonly events: Pick<TrackingRepository, 'eventsSince'>,
    private readonly tracking: Pick<TrackingService, 'visibleBookings'>,
    private readonly owners: OwnerLookup,
  ) {}

  /** Starts with the next accepted event: a subscription pushes events as they occur. */
  async create(owner: Viewer, input: SubscriptionInput & { secret: string }, now: string) {
    const s: EventSubscriptionRecord = {
      id: randomUUID(),
      owner: owner.keyId,
      callbackUrl: input.callbackUrl,
      secret: input.secret,
      filter: input.filter,
      createdAt: now,
      updatedAt: now,
      cursorSeq: await this.repo.latestEventSeq(),
    };
    await this.repo.createSubscription(s);
    return s;
  }

  list(owner: Viewer, after: string | undefined, limit: number): Promise<EventSubscriptionRecord[]> {
    return this.repo.listSubscriptions(owner.keyId, after, limit);
  }

  /** The key's own subscription; undefined for another key's, so ids of others are not disclosed. */
  async find(owner: Viewer, id: string): Promise<EventSubscriptionRecord | undefined> {
    const s = await this.repo.findSubscription(id);
    return s && s.owner === owner.keyId ? s : undefined;
  }

  async status(
    owner: Viewer,
    id: string,
  ): Promise<(EventSubscriptionRecord & { delivery: DeliveryStatus }) | undefined> {
    const s = await this.find(owner, id);
    return s ? { ...s, delivery: await this.repo.deliveryStatus(id) } : undefined;
  }

  async update(owner: Viewer, id: string, input: SubscriptionInput, now: string) {
    if (!(await this.find(owner, id))) return undefined;
    return this.repo.updateSubscription(id, { callbackUrl: input.callbackUrl, filter: input.filter }, now);
  }

  /** Notifications queued but not yet sent are signed with the new secret when they go out. */
  async rotateSecret(owner: Viewer, id: string, secret: string, now: string): Promise<boolean> {
    if (!(await this.find(owner, id))) return false;
    return (await this.repo.updateSubscription(id, { secret }, now)) !== undefined;
  }

  async remove(owner: Viewer, id: string): Promise<boolean> {
    if (!(await this.find(owner, id))) return false;
    return this.repo.deleteSubscription(id);
  }

  /** Queues the events accepted since each subscription's cursor; returns how many notifications. */
  async fanOut(now: string): Promise<number> {
    const latest = await this.repo.latestEventSeq();
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const subs = await this.repo.listSubscriptions(undefined, after, 200);
      for (const s of subs) if (s.cursorSeq < latest) queued += await this.fanOutOne(s, now);
      if (subs.length < 200) break;
      after = subs[subs.length - 1]?.id;
    }
    return queued;
  }

  private async fanOutOne(s: EventSubscriptionRecord, now: string): Promise<number> {
    const viewer = await this.owners(s.owner);
    const visible = viewer ? await this.tracking.visibleBookings(viewer) : [];
    const canSee = visible === undefined ? undefined : new Set(visible);
    let cursor = s.cursorSeq;
    let queued = 0;
    for (let page = 0; page < PAGES_PER_ROUND; page++) {
      const events = await this.events.eventsSince(cursor, PAGE);
      const last = events[events.length - 1];
      if (!last) break;
      const out: EventNotification[] = [];
      for (const e of events) {
        const bookings = e.links.map((l) => l.booking);
        if (canSee && !bookings.some((b) => canSee.has(b))) continue;
        if (!eventMatches(s.filter, e.body as unknown as DcsaEvent, bookings)) continue;
        out.push({ eventID: e.eventID, seq: e.seq, body: e.body });
      }
      // Another instance moved this cursor first: it queued these events; leave the rest to it.
      if (!(await this.repo.fanOut(s.id, cursor, last.seq, out, now))) break;
      queued += out.length;
      cursor = last.seq;
      if (events.length < PAGE) break;
    }
    return queued;
  }
}
