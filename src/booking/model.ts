/**
 * Bookings: plain data for a reservation of a whole corridor itinerary across operators. A
 * booking holds slots on the dated departures of every leg at once; each operator confirms or
 * declines its own legs. Statuses are DCSA Booking 2.0's. No IO here: the store applies the
 * changes the decision functions (decide.ts) compute, inside one transaction.
 */

/** DCSA Booking 2.0 `bookingStatus`. */
export const BOOKING_STATUSES = [
  'RECEIVED',
  'PENDING_UPDATE',
  'UPDATE_RECEIVED',
  'CONFIRMED',
  'PENDING_AMENDMENT',
  'REJECTED',
  'DECLINED',
  'CANCELLED',
  'COMPLETED',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: readonly BookingStatus[] = ['REJECTED', 'DECLINED', 'CANCELLED', 'COMPLETED'];

export type AmendedBookingStatus =
  | 'AMENDMENT_RECEIVED'
  | 'AMENDMENT_CONFIRMED'
  | 'AMENDMENT_DECLINED'
  | 'AMENDMENT_CANCELLED';

/**
 * A leg's reservation: `held` (slots held, awaiting the operator, expires), `on-request` (a
 * link without a published service: no inventory, the operator answers), `confirmed` (held slots
 * became booked, or an on-request leg was accepted), `declined` by its operator, `released`
 * (slots given back: cancelled, expired, another leg declined, replaced by an amendment).
 */
export type LegStatus = 'held' | 'on-request' | 'confirmed' | 'declined' | 'released';

/** A dated departure of a service: the unit of inventory. */
export interface DepartureRef {
  /** `<service id>@<UTC departure of the run from the service's first location>` (see departureId). */
  id: string;
  service: string;
  operator: string;
  /** UTC ISO 8601 of the run's departure from the service's first location. */
  departsAt: string;
  /** Capacity of the departure in TEU as the current World has it. */
  capacityTeu: number;
}

/** One leg of a booked itinerary. */
export interface LegRecord {
  /** Generation of the reservation it belongs to (1, then +1 per update or amendment). */
  generation: number;
  /** 1-based position in the itinerary. */
  seq: number;
  /** Operator id (src/model/operators.ts) named first for the leg. */
  operator: string;
  /** Every operator id that may confirm the leg (a joint link has several). */
  operators: string[];
  /** Null for an on-request leg (a continuous link without a service). */
  departure: string | null;
  service: string | null;
  /** Link ids of an on-request leg (or of the service's part ridden). */
  linkIds: string[];
  from: string;
  to: string;
  /** Planned local departure and arrival (RFC 3339) as the plan had them. */
  departureTime: string;
  arrivalTime: string;
  teu: number;
  status: LegStatus;
  /** Operator's answer, when there was one. */
  note: string | null;
}

export interface HistoryEntry {
  at: string;
  /** Key id of whoever caused it; `system` for expiry. */
  by: string;
  from: BookingStatus | null;
  to: BookingStatus;
  event: string;
  reason: string | null;
}

export interface BookingState {
  /** DCSA carrierBookingRequestReference: given at creation. */
  reference: string;
  /** DCSA carrierBookingReference: given at confirmation. */
  carrierReference: string | null;
  /** The shipper party that owns it (the key id that created it). */
  owner: string;
  status: BookingStatus;
  amendedStatus: AmendedBookingStatus | null;
  cancellationStatus: string | null;
  routingReference: string | null;
  /** The DCSA booking request (CreateBooking / UpdateBooking) in effect. */
  request: Record<string, unknown>;
  /** A pending amendment's request (confirmed bookings only). */
  amendedRequest: Record<string, unknown> | null;
  /** Generation of the legs in effect. */
  generation: number;
  /** Generation of an amendment awaiting its operators (null: none). */
  pendingGeneration: number | null;
  /** When unconfirmed holds of the newest generation lapse (null: none to lapse). */
  holdExpiresAt: string | null;
  /** +1 on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Every generation's legs. */
  legs: LegRecord[];
}

/** A notification to write to the outbox with the change (src/notify delivers it). */
export interface BookingEvent {
  /** e.g. `booking.received`, `booking.confirmed`, `booking.leg.held`. */
  topic: string;
  /** Parties to notify: the owner key id, `operator:<id>`. */
  audience: string[];
  payload: Record<string, unknown>;
}

/** Inventory moves of one change, per departure (TEU; negative gives back). */
export interface InventoryDelta {
  departure: DepartureRef;
  heldTeu: number;
  bookedTeu: number;
}

/**
 * What a decision asks the store to write, in one transaction: the new booking fields, leg rows
 * to insert or replace, inventory moves (increases are conditional on capacity: all or nothing),
 * audit history and notifications.
 */
export interface BookingChange {
  booking: BookingState;
  legs: LegRecord[];
  inventory: InventoryDelta[];
  history: HistoryEntry[];
  events: BookingEvent[];
}

/** Default hold: 30 minutes. */
export const DEFAULT_HOLD_MINUTES = 30;

export function departureId(service: string, departsAtUtc: string): string {
  return `${service}@${departsAtUtc}`;
}

/** The legs of one generation, in order. */
export function legsOf(b: BookingState, generation: number): LegRecord[] {
  return b.legs.filter((l) => l.generation === generation).sort((x, y) => x.seq - y.seq);
}

export function isFinal(s: BookingStatus): boolean {
  return FINAL_STATUSES.includes(s);
}
