/**
 * What track & trace keeps, as plain records, and the repository the application layer stores
 * them through (implemented by the store on SQLite and PostgreSQL: src/store/tracking.ts).
 */

export interface EventBookingLink {
  booking: string;
  /** Leg index and milestone rank on that booking's itinerary; null when not a milestone. */
  leg: number | null;
  rank: number | null;
  /** Why the event is impossible on this booking's itinerary (kept, not used for the forecast). */
  flag: string | null;
}

export interface NewTrackingEvent {
  eventID: string;
  eventType: string;
  classifier: string;
  typeCode: string;
  /** eventDateTime as UTC ISO text (sorts as time). */
  eventAt: string;
  eventCreatedAt: string;
  locode: string | null;
  equipmentReference: string | null;
  transportCallID: string | null;
  carrierServiceCode: string | null;
  vesselIMONumber: string | null;
  exportVoyageNumber: string | null;
  documentTypeCode: string | null;
  transportDocumentReference: string | null;
  postedBy: string | null;
  /** The event as received, serialized once. */
  body: string;
  links: EventBookingLink[];
}

export interface StoredTrackingEvent {
  eventID: string;
  /** Order of acceptance, across all events (delivery order of subscriptions). */
  seq: number;
  eventAt: string;
  receivedAt: string;
  body: Record<string, unknown>;
  links: EventBookingLink[];
}

export interface InsertEventsResult {
  inserted: StoredTrackingEvent[];
  /** Already stored with the same body: ignored. */
  duplicates: string[];
  /** Already stored with a different body: refused. */
  conflicts: string[];
}

export interface EventFilter {
  eventTypes?: string[];
  /** Type codes accepted per event type (absent: all codes of that type). */
  typeCodes?: Partial<Record<'TRANSPORT' | 'EQUIPMENT' | 'SHIPMENT', string[]>>;
  documentTypeCodes?: string[];
  booking?: string;
  /** Only events linked to one of these bookings (object ownership). */
  visibleBookings?: string[];
  transportDocumentReference?: string;
  transportCallID?: string;
  vesselIMONumber?: string;
  exportVoyageNumber?: string;
  carrierServiceCode?: string;
  locode?: string;
  equipmentReference?: string;
  created?: { op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq'; at: string };
  /** Keyset: strictly after (eventAt, eventID). */
  after?: { eventAt: string; eventID: string };
  limit: number;
}

export interface ForecastRevision {
  booking: string;
  revision: number;
  computedAt: string;
  triggerEventID: string | null;
  body: Record<string, unknown>;
}

export interface AcceptedPlacement {
  eventID: string;
  leg: number;
  rank: number;
  eventAt: string;
}

export interface TrackingRepository {
  insertEvents(events: readonly NewTrackingEvent[], now: string): Promise<InsertEventsResult>;
  findEvent(eventID: string): Promise<StoredTrackingEvent | undefined>;
  listEvents(f: EventFilter): Promise<StoredTrackingEvent[]>;
  eventsSince(afterSeq: number, limit: number, booking?: string): Promise<StoredTrackingEvent[]>;
  acceptedPlacements(bookings: readonly string[]): Promise<Map<string, AcceptedPlacement[]>>;
  appendForecast(
    booking: string,
    body: Record<string, unknown>,
    triggerEventID: string | null,
    now: string,
  ): Promise<ForecastRevision>;
  /** Several revisions in one transaction, each with the notifications it causes (the same transaction). */
  appendForecasts(
    items: readonly {
      booking: string;
      body: Record<string, unknown>;
      triggerEventID: string | null;
      notifications?: readonly RevisionNotification[];
    }[],
    now: string,
  ): Promise<ForecastRevision[]>;
  listForecasts(booking: string): Promise<ForecastRevision[]>;
}

/** A notification for the outbox (its topic, who is told, what). */
export interface RevisionNotification {
  topic: string;
  audience: readonly string[];
  payload: Record<string, unknown>;
}
