/**
 * DCSA Track & Trace 2.2 event subscriptions without IO: the filters a subscription holds (the
 * subset of the spec's subscription body that `GET /v2/events` also supports, with the same
 * meaning: AND between filters, OR within a comma list) and the match of one stored event against
 * them, plus the records and the repository port the store implements.
 */
import { bookingReferences, type DcsaEvent, eventLocode, eventTypeCode } from './events.js';

export interface SubscriptionFilter {
  eventType?: string[];
  transportEventTypeCode?: string[];
  equipmentEventTypeCode?: string[];
  shipmentEventTypeCode?: string[];
  /** Applies to shipment events only (as in GET /v2/events). */
  documentTypeCode?: string[];
  carrierBookingReference?: string;
  transportDocumentReference?: string;
  transportCallID?: string;
  vesselIMONumber?: string;
  exportVoyageNumber?: string;
  carrierServiceCode?: string;
  UNLocationCode?: string;
  equipmentReference?: string;
}

export const FILTER_FIELDS = [
  'eventType',
  'transportEventTypeCode',
  'equipmentEventTypeCode',
  'shipmentEventTypeCode',
  'documentTypeCode',
  'carrierBookingReference',
  'transportDocumentReference',
  'transportCallID',
  'vesselIMONumber',
  'exportVoyageNumber',
  'carrierServiceCode',
  'UNLocationCode',
  'equipmentReference',
] as const satisfies readonly (keyof SubscriptionFilter)[];

/** The transport document an event names (a TRD reference, or a shipment event about one). */
export function transportDocumentOf(e: DcsaEvent): string | null {
  const tdr = (e.documentReferences ?? []).find((r) => r.documentReferenceType === 'TRD')?.documentReferenceValue;
  return tdr ?? (e.eventType === 'SHIPMENT' && e.documentTypeCode === 'TRD' ? (e.documentID ?? null) : null);
}

const CODE_FILTER = {
  TRANSPORT: 'transportEventTypeCode',
  EQUIPMENT: 'equipmentEventTypeCode',
  SHIPMENT: 'shipmentEventTypeCode',
} as const;

/**
 * Does the event pass every filter? `bookings` are the bookings the store linked it to (the
 * carrierBookingReference filter matches those, as the event list does).
 */
export function eventMatches(f: SubscriptionFilter, e: DcsaEvent, bookings: readonly string[]): boolean {
  if (f.eventType && !f.eventType.includes(e.eventType)) return false;
  const codes = f[CODE_FILTER[e.eventType as keyof typeof CODE_FILTER]];
  if (codes && !codes.includes(eventTypeCode(e))) return false;
  if (f.documentTypeCode && e.eventType === 'SHIPMENT' && !f.documentTypeCode.includes(e.documentTypeCode ?? ''))
    return false;
  if (
    f.carrierBookingReference !== undefined &&
    !bookings.includes(f.carrierBookingReference) &&
    !bookingReferences(e).includes(f.carrierBookingReference)
  )
    return false;
  const tc = e.transportCall;
  const eq: [string | undefined, string | null | undefined][] = [
    [f.transportDocumentReference, transportDocumentOf(e)],
    [f.transportCallID, tc?.transportCallID],
    [f.vesselIMONumber, tc?.vessel?.vesselIMONumber],
    [f.exportVoyageNumber, tc?.exportVoyageNumber],
    [f.carrierServiceCode, tc?.carrierServiceCode],
    [f.UNLocationCode, eventLocode(e)],
    [f.equipmentReference, e.equipmentReference],
  ];
  return eq.every(([want, got]) => want === undefined || want === got);
}

/** A DCSA event subscription as stored: owned by the API key that created it. */
export interface EventSubscriptionRecord {
  id: string;
  /** The key id of its creator: only that key sees, changes or deletes it. */
  owner: string;
  callbackUrl: string;
  /** Base64 text, as the subscriber sent it; its bytes are the HMAC key. */
  secret: string;
  filter: SubscriptionFilter;
  createdAt: string;
  updatedAt: string;
  /** Events with a higher acceptance sequence are still to be matched against it (the fan-out cursor). */
  cursorSeq: number;
}

/** One event bound for a subscription. */
export interface EventNotification {
  eventID: string;
  /** Its acceptance sequence: notifications of one subscription go out in this order. */
  seq: number;
  body: Record<string, unknown>;
}

export interface DeadLetter {
  eventID: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
}

export interface DeliveryStatus {
  pending: number;
  delivered: number;
  deadLettered: number;
  lastDeliveredAt: string | null;
  lastError: string | null;
  /** The newest dead letters (at most 100). */
  deadLetters: DeadLetter[];
}

export interface EventSubscriptionRepository {
  /** Starts after `cursorSeq` (the newest event when it subscribes). */
  createSubscription(s: EventSubscriptionRecord): Promise<void>;
  findSubscription(id: string): Promise<EventSubscriptionRecord | undefined>;
  /** The owner's subscriptions by id after `after`; every subscription when owner is undefined. */
  listSubscriptions(
    owner: string | undefined,
    after: string | undefined,
    limit: number,
  ): Promise<EventSubscriptionRecord[]>;
  updateSubscription(
    id: string,
    patch: { callbackUrl?: string; filter?: SubscriptionFilter; secret?: string },
    now: string,
  ): Promise<EventSubscriptionRecord | undefined>;
  /** Removes it with its undelivered notifications. */
  deleteSubscription(id: string): Promise<boolean>;
  /** The newest acceptance sequence (0: no event yet). */
  latestEventSeq(): Promise<number>;
  /**
   * In one transaction: queues `notifications` for the subscription and moves its cursor from
   * `fromSeq` to `toSeq`; false (and nothing written) when another instance moved it first.
   */
  fanOut(
    id: string,
    fromSeq: number,
    toSeq: number,
    notifications: readonly EventNotification[],
    now: string,
  ): Promise<boolean>;
  deliveryStatus(id: string): Promise<DeliveryStatus>;
}
