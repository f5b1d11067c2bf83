/**
 * Track & trace records in memory, for runs that keep nothing (`corridor replay`): the same
 * contract as the store's tables (src/store/tracking.ts) for what the tracking service uses.
 */
import type {
  AcceptedPlacement,
  EventFilter,
  ForecastRevision,
  InsertEventsResult,
  NewTrackingEvent,
  StoredTrackingEvent,
  TrackingRepository,
} from '../tracking/records.js';

export class MemoryTracking implements TrackingRepository {
  private readonly events = new Map<string, StoredTrackingEvent & { raw: string }>();
  private readonly forecasts = new Map<string, ForecastRevision[]>();
  private seq = 0;

  async insertEvents(events: readonly NewTrackingEvent[], now: string): Promise<InsertEventsResult> {
    const out: InsertEventsResult = { inserted: [], duplicates: [], conflicts: [] };
    for (const e of events) {
      const prev = this.events.get(e.eventID);
      if (prev) {
        (prev.raw === e.body ? out.duplicates : out.conflicts).push(e.eventID);
        continue;
      }
      const stored = {
        eventID: e.eventID,
        seq: ++this.seq,
        eventAt: e.eventAt,
        receivedAt: now,
        body: JSON.parse(e.body) as Record<string, unknown>,
        links: e.links,
      };
      this.events.set(e.eventID, { ...stored, raw: e.body });
      out.inserted.push(stored);
    }
    return out;
  }

  async findEvent(eventID: string): Promise<StoredTrackingEvent | undefined> {
    return this.events.get(eventID);
  }

  /** Only the booking filter and the limit: a replay lists one shipment's events. */
  async listEvents(f: EventFilter): Promise<StoredTrackingEvent[]> {
    return [...this.events.values()]
      .filter((e) => f.booking === undefined || e.links.some((l) => l.booking === f.booking))
      .sort((a, b) => (a.eventAt === b.eventAt ? (a.eventID < b.eventID ? -1 : 1) : a.eventAt < b.eventAt ? -1 : 1))
      .slice(0, f.limit);
  }

  async eventsSince(afterSeq: number, limit: number, booking?: string): Promise<StoredTrackingEvent[]> {
    return [...this.events.values()]
      .filter((e) => e.seq > afterSeq && (booking === undefined || e.links.some((l) => l.booking === booking)))
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }

  async acceptedPlacements(bookings: readonly string[]): Promise<Map<string, AcceptedPlacement[]>> {
    const out = new Map<string, AcceptedPlacement[]>();
    const sorted = [...this.events.values()].sort((a, b) =>
      a.eventAt === b.eventAt ? (a.eventID < b.eventID ? -1 : 1) : a.eventAt < b.eventAt ? -1 : 1,
    );
    for (const e of sorted)
      for (const l of e.links) {
        if (!bookings.includes(l.booking) || l.flag !== null || l.rank === null || l.leg === null) continue;
        const list = out.get(l.booking) ?? [];
        list.push({ eventID: e.eventID, leg: l.leg, rank: l.rank, eventAt: e.eventAt });
        out.set(l.booking, list);
      }
    return out;
  }

  async appendForecast(
    booking: string,
    body: Record<string, unknown>,
    triggerEventID: string | null,
    now: string,
  ): Promise<ForecastRevision> {
    const list = this.forecasts.get(booking) ?? [];
    const r = { booking, revision: list.length + 1, computedAt: now, triggerEventID, body };
    list.push(r);
    this.forecasts.set(booking, list);
    return r;
  }

  /** No outbox in memory: an item's notifications have no one to go to (replays, tests). */
  async appendForecasts(
    items: readonly { booking: string; body: Record<string, unknown>; triggerEventID: string | null }[],
    now: string,
  ): Promise<ForecastRevision[]> {
    const out: ForecastRevision[] = [];
    for (const it of items) out.push(await this.appendForecast(it.booking, it.body, it.triggerEventID, now));
    return out;
  }

  async listForecasts(booking: string): Promise<ForecastRevision[]> {
    return this.forecasts.get(booking) ?? [];
  }
}
