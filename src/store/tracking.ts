/**
 * Track & trace state: DCSA events (deduplicated by eventID), their links to bookings with the
 * leg and milestone each marks and the impossibility flag, and the forecast history per booking.
 * Kept apart from sql-store.ts so the statements of one feature read together; SqlStore delegates.
 */
import type {
  AcceptedPlacement,
  EventBookingLink,
  EventFilter,
  ForecastRevision,
  InsertEventsResult,
  NewTrackingEvent,
  RevisionNotification,
  StoredTrackingEvent,
  TrackingRepository,
} from '../tracking/records.js';
import { writeOutbox } from './outbox-sql.js';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql.js';

export type {
  AcceptedPlacement,
  EventBookingLink,
  EventFilter,
  ForecastRevision,
  InsertEventsResult,
  NewTrackingEvent,
  StoredTrackingEvent,
} from '../tracking/records.js';

const OPS = { gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '=' } as const;

export class TrackingTables implements TrackingRepository {
  constructor(private readonly db: SqlDriver) {}

  private async nextSeq(tx: SqlExecutor): Promise<number> {
    if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200717)');
    const rows = await tx.all('SELECT MAX(seq) AS v FROM tracking_events');
    return Number(rows[0]?.v ?? 0) + 1;
  }

  /** One transaction for the batch; an eventID already stored (or repeated in the batch) is not stored again. */
  async insertEvents(events: readonly NewTrackingEvent[], now: string): Promise<InsertEventsResult> {
    return this.db.transaction(async (tx) => {
      const out: InsertEventsResult = { inserted: [], duplicates: [], conflicts: [] };
      let seq = await this.nextSeq(tx);
      for (const e of events) {
        const changed = await tx.run(
          'INSERT INTO tracking_events (event_id, seq, event_type, classifier, type_code, event_at, ' +
            'event_created_at, locode, equipment_reference, transport_call_id, carrier_service_code, vessel_imo, ' +
            'export_voyage, document_type_code, transport_document_reference, posted_by, received_at, body) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING',
          [
            e.eventID,
            seq,
            e.eventType,
            e.classifier,
            e.typeCode,
            e.eventAt,
            e.eventCreatedAt,
            e.locode,
            e.equipmentReference,
            e.transportCallID,
            e.carrierServiceCode,
            e.vesselIMONumber,
            e.exportVoyageNumber,
            e.documentTypeCode,
            e.transportDocumentReference,
            e.postedBy,
            now,
            e.body,
          ],
        );
        if (changed === 0) {
          const prev = await tx.all('SELECT body FROM tracking_events WHERE event_id = ?', [e.eventID]);
          if (prev[0] && String(prev[0].body) === e.body) out.duplicates.push(e.eventID);
          else out.conflicts.push(e.eventID);
          continue;
        }
        for (const l of e.links) {
          await tx.run(
            'INSERT INTO tracking_event_bookings (event_id, booking_ref, leg, milestone_rank, event_at, flag) ' +
              'VALUES (?, ?, ?, ?, ?, ?)',
            [e.eventID, l.booking, l.leg, l.rank, e.eventAt, l.flag],
          );
        }
        out.inserted.push({
          eventID: e.eventID,
          seq,
          eventAt: e.eventAt,
          receivedAt: now,
          body: JSON.parse(e.body) as Record<string, unknown>,
          links: e.links,
        });
        seq++;
      }
      return out;
    });
  }

  private async linksOf(ids: readonly string[]): Promise<Map<string, EventBookingLink[]>> {
    const out = new Map<string, EventBookingLink[]>();
    if (ids.length === 0) return out;
    const rows = await this.db.all(
      `SELECT * FROM tracking_event_bookings WHERE event_id IN (${ids.map(() => '?').join(', ')}) ` +
        'ORDER BY event_id, booking_ref',
      ids,
    );
    for (const r of rows) {
      const id = String(r.event_id);
      const list = out.get(id) ?? [];
      list.push({
        booking: String(r.booking_ref),
        leg: r.leg === null ? null : Number(r.leg),
        rank: r.milestone_rank === null ? null : Number(r.milestone_rank),
        flag: r.flag === null ? null : String(r.flag),
      });
      out.set(id, list);
    }
    return out;
  }

  private async withLinks(rows: Record<string, unknown>[]): Promise<StoredTrackingEvent[]> {
    const links = await this.linksOf(rows.map((r) => String(r.event_id)));
    return rows.map((r) => ({
      eventID: String(r.event_id),
      seq: Number(r.seq),
      eventAt: String(r.event_at),
      receivedAt: String(r.received_at),
      body: JSON.parse(String(r.body)) as Record<string, unknown>,
      links: links.get(String(r.event_id)) ?? [],
    }));
  }

  async findEvent(eventID: string): Promise<StoredTrackingEvent | undefined> {
    const rows = await this.db.all('SELECT * FROM tracking_events WHERE event_id = ?', [eventID]);
    return (await this.withLinks(rows))[0];
  }

  /** Ordered by eventDateTime, then eventID (a stable keyset for cursors). */
  async listEvents(f: EventFilter): Promise<StoredTrackingEvent[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const inList = (col: string, values: readonly string[]) => {
      where.push(values.length ? `${col} IN (${values.map(() => '?').join(', ')})` : '1 = 0');
      params.push(...values);
    };
    if (f.eventTypes) inList('e.event_type', f.eventTypes);
    if (f.typeCodes) {
      const parts: string[] = [];
      for (const [type, codes] of Object.entries(f.typeCodes)) {
        if (!codes) continue;
        parts.push(`(e.event_type <> ? OR e.type_code IN (${codes.map(() => '?').join(', ') || 'NULL'}))`);
        params.push(type, ...codes);
      }
      if (parts.length) where.push(parts.join(' AND '));
    }
    if (f.documentTypeCodes) {
      where.push(
        `(e.event_type <> 'SHIPMENT' OR e.document_type_code IN ` +
          `(${f.documentTypeCodes.map(() => '?').join(', ') || 'NULL'}))`,
      );
      params.push(...f.documentTypeCodes);
    }
    const eq = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`${col} = ?`);
      params.push(v);
    };
    eq('e.transport_document_reference', f.transportDocumentReference);
    eq('e.transport_call_id', f.transportCallID);
    eq('e.vessel_imo', f.vesselIMONumber);
    eq('e.export_voyage', f.exportVoyageNumber);
    eq('e.carrier_service_code', f.carrierServiceCode);
    eq('e.locode', f.locode);
    eq('e.equipment_reference', f.equipmentReference);
    if (f.created) {
      where.push(`e.event_created_at ${OPS[f.created.op]} ?`);
      params.push(f.created.at);
    }
    if (f.booking !== undefined) {
      where.push(
        'EXISTS (SELECT 1 FROM tracking_event_bookings b WHERE b.event_id = e.event_id AND b.booking_ref = ?)',
      );
      params.push(f.booking);
    }
    if (f.visibleBookings) {
      const v = f.visibleBookings;
      where.push(
        v.length
          ? 'EXISTS (SELECT 1 FROM tracking_event_bookings b WHERE b.event_id = e.event_id AND b.booking_ref IN ' +
              `(${v.map(() => '?').join(', ')}))`
          : '1 = 0',
      );
      params.push(...v);
    }
    if (f.after) {
      where.push('(e.event_at > ? OR (e.event_at = ? AND e.event_id > ?))');
      params.push(f.after.eventAt, f.after.eventAt, f.after.eventID);
    }
    const rows = await this.db.all(
      `SELECT e.* FROM tracking_events e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ` +
        `ORDER BY e.event_at, e.event_id LIMIT ${Math.max(1, Math.floor(f.limit))}`,
      params,
    );
    return this.withLinks(rows);
  }

  /** Events of one booking in acceptance order from `afterSeq` (subscriptions, streams). */
  async eventsSince(afterSeq: number, limit: number, booking?: string): Promise<StoredTrackingEvent[]> {
    const rows = await this.db.all(
      booking === undefined
        ? `SELECT * FROM tracking_events WHERE seq > ? ORDER BY seq LIMIT ${Math.floor(limit)}`
        : 'SELECT e.* FROM tracking_events e WHERE e.seq > ? AND EXISTS (SELECT 1 FROM tracking_event_bookings b ' +
            `WHERE b.event_id = e.event_id AND b.booking_ref = ?) ORDER BY e.seq LIMIT ${Math.floor(limit)}`,
      booking === undefined ? [afterSeq] : [afterSeq, booking],
    );
    return this.withLinks(rows);
  }

  /** The unflagged milestone events of these bookings, for the sequence check and the forecast. */
  async acceptedPlacements(bookings: readonly string[]): Promise<Map<string, AcceptedPlacement[]>> {
    const out = new Map<string, AcceptedPlacement[]>();
    if (bookings.length === 0) return out;
    const rows = await this.db.all(
      'SELECT event_id, booking_ref, leg, milestone_rank, event_at FROM tracking_event_bookings WHERE booking_ref IN ' +
        `(${bookings.map(() => '?').join(', ')}) AND flag IS NULL AND milestone_rank IS NOT NULL ` +
        'ORDER BY booking_ref, event_at, event_id',
      bookings,
    );
    for (const r of rows) {
      const b = String(r.booking_ref);
      const list = out.get(b) ?? [];
      list.push({
        eventID: String(r.event_id),
        leg: Number(r.leg),
        rank: Number(r.milestone_rank),
        eventAt: String(r.event_at),
      });
      out.set(b, list);
    }
    return out;
  }

  async appendForecast(
    booking: string,
    body: Record<string, unknown>,
    triggerEventID: string | null,
    now: string,
  ): Promise<ForecastRevision> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200718)');
      const rows = await tx.all('SELECT MAX(revision) AS v FROM tracking_forecasts WHERE booking_ref = ?', [booking]);
      const revision = Number(rows[0]?.v ?? 0) + 1;
      await tx.run(
        'INSERT INTO tracking_forecasts (booking_ref, revision, computed_at, trigger_event_id, body) ' +
          'VALUES (?, ?, ?, ?, ?)',
        [booking, revision, now, triggerEventID, JSON.stringify(body)],
      );
      return { booking, revision, computedAt: now, triggerEventID, body };
    });
  }

  /** Several revisions in one transaction (a batch of events moves many bookings). */
  async appendForecasts(
    items: readonly {
      booking: string;
      body: Record<string, unknown>;
      triggerEventID: string | null;
      notifications?: readonly RevisionNotification[];
    }[],
    now: string,
  ): Promise<ForecastRevision[]> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200718)');
      const out: ForecastRevision[] = [];
      for (const it of items) {
        const rows = await tx.all('SELECT MAX(revision) AS v FROM tracking_forecasts WHERE booking_ref = ?', [
          it.booking,
        ]);
        const revision = Number(rows[0]?.v ?? 0) + 1;
        await tx.run(
          'INSERT INTO tracking_forecasts (booking_ref, revision, computed_at, trigger_event_id, body) ' +
            'VALUES (?, ?, ?, ?, ?)',
          [it.booking, revision, now, it.triggerEventID, JSON.stringify(it.body)],
        );
        if (it.notifications?.length) await writeOutbox(tx, it.notifications, now);
        out.push({ booking: it.booking, revision, computedAt: now, triggerEventID: it.triggerEventID, body: it.body });
      }
      return out;
    });
  }

  async listForecasts(booking: string): Promise<ForecastRevision[]> {
    const rows = await this.db.all('SELECT * FROM tracking_forecasts WHERE booking_ref = ? ORDER BY revision', [
      booking,
    ]);
    return rows.map((r) => ({
      booking: String(r.booking_ref),
      revision: Number(r.revision),
      computedAt: String(r.computed_at),
      triggerEventID: r.trigger_event_id === null ? null : String(r.trigger_event_id),
      body: JSON.parse(String(r.body)) as Record<string, unknown>,
    }));
  }
}

/** The tables (migration 3). */
export const TRACKING_STATEMENTS = [
  `CREATE TABLE tracking_events (
     event_id TEXT PRIMARY KEY,
     seq INTEGER NOT NULL UNIQUE,
     event_type TEXT NOT NULL,
     classifier TEXT NOT NULL,
     type_code TEXT NOT NULL,
     event_at TEXT NOT NULL,
     event_created_at TEXT NOT NULL,
     locode TEXT,
     equipment_reference TEXT,
     transport_call_id TEXT,
     carrier_service_code TEXT,
     vessel_imo TEXT,
     export_voyage TEXT,
     document_type_code TEXT,
     transport_document_reference TEXT,
     posted_by TEXT,
     received_at TEXT NOT NULL,
     body TEXT NOT NULL
   )`,
  `CREATE INDEX tracking_events_at ON tracking_events (event_at, event_id)`,
  `CREATE TABLE tracking_event_bookings (
     event_id TEXT NOT NULL,
     booking_ref TEXT NOT NULL,
     leg INTEGER,
     milestone_rank INTEGER,
     event_at TEXT NOT NULL,
     flag TEXT,
     PRIMARY KEY (event_id, booking_ref)
   )`,
  `CREATE INDEX tracking_event_bookings_booking ON tracking_event_bookings (booking_ref, event_at)`,
  `CREATE TABLE tracking_forecasts (
     booking_ref TEXT NOT NULL,
     revision INTEGER NOT NULL,
     computed_at TEXT NOT NULL,
     trigger_event_id TEXT,
     body TEXT NOT NULL,
     PRIMARY KEY (booking_ref, revision)
   )`,
];
