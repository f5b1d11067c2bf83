/**
 * Bookings read for people (pure: tested without a browser): the DCSA booking request the page
 * sends for a planned itinerary, the hold's countdown, the status of each leg, who still has to
 * answer, and a departure's utilisation.
 */

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

export type LegStatus = 'held' | 'on-request' | 'confirmed' | 'declined' | 'released';

/** A leg as `GET /api/v1/bookings/{ref}` gives it (the fields the page reads). */
export interface BookingLeg {
  seq: number;
  operators: string[];
  service: string | null;
  departure: string | null;
  onRequest: boolean;
  from: string;
  to: string;
  linkIds?: string[];
  departureTime: string;
  arrivalTime: string;
  teu: number;
  status: LegStatus;
  note: string | null;
}

export interface BookingSummary {
  carrierBookingRequestReference: string;
  carrierBookingReference?: string;
  bookingStatus: BookingStatus;
  routingReference: string | null;
  holdExpiresAt: string | null;
  legs: BookingLeg[];
  createdAt: string;
  updatedAt: string;
}

/** A dated departure as `GET /api/v1/departures` gives it. */
export interface Departure {
  id: string;
  service: string;
  serviceName?: string;
  operator: string;
  departsAt: string;
  capacity: { teu: number; value: number; unit: string } | null;
  heldTeu: number;
  bookedTeu: number;
  remainingTeu: number | null;
}

/**
 * DCSA Booking 2.0 `CreateBooking` for one planned itinerary: its routing reference (so the
 * server books exactly its departures), `containers` × 40' dry (ISO 6346 `42G1`), full
 * container load from container yard to container yard.
 */
export function bookingRequest(routingReference: string, containers: number, partyName: string) {
  return {
    receiptTypeAtOrigin: 'CY',
    deliveryTypeAtDestination: 'CY',
    cargoMovementTypeAtOrigin: 'FCL',
    cargoMovementTypeAtDestination: 'FCL',
    isEquipmentSubstitutionAllowed: false,
    routingReference,
    shipmentLocations: [{ location: { locationName: 'Corridor routing' }, locationTypeCode: 'ROU' }],
    requestedEquipments: [{ ISOEquipmentCode: '42G1', units: containers, isShipperOwned: false }],
    documentParties: { bookingAgent: { partyName: partyName.trim().slice(0, 70) || 'Corridor web planner' } },
  };
}

export interface Countdown {
  expired: boolean;
  /** Whole seconds left (0 once expired). */
  secondsLeft: number;
  /** "29:41", "1:02:05" or "expired". */
  text: string;
}

/** Time left on a hold at `nowMs`; null when the booking holds nothing that can lapse. */
export function holdCountdown(expiresAt: string | null, nowMs: number): Countdown | null {
  if (!expiresAt) return null;
  const end = Date.parse(expiresAt);
  if (!Number.isFinite(end)) return null;
  const s = Math.max(0, Math.floor((end - nowMs) / 1000));
  if (s === 0) return { expired: true, secondsLeft: 0, text: 'expired' };
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return { expired: false, secondsLeft: s, text: hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}` };
}

const LEG_STATUS_TEXT: Record<LegStatus, string> = {
  held: 'held',
  'on-request': 'on request',
  confirmed: 'confirmed',
  declined: 'declined',
  released: 'released',
};

export interface LegRow {
  seq: number;
  route: string;
  operators: string;
  /** The service ridden, or why there is no dated departure to hold. */
  departure: string;
  /** The dated departure held or booked (service@run), or null: booked on request. */
  departureId: string | null;
  /** Planned departure, the origin's local time (RFC 3339). */
  departsAt: string;
  status: LegStatus;
  statusText: string;
  /** Still waiting for its operator's answer. */
  open: boolean;
}

/** One row per leg, in travel order. */
export function legRows(legs: readonly BookingLeg[]): LegRow[] {
  return [...legs]
    .sort((a, b) => a.seq - b.seq)
    .map((l) => ({
      seq: l.seq,
      route: `${l.from} → ${l.to}`,
      operators: l.operators.join(', ') || '—',
      departure: l.departure
        ? (l.service ?? l.departure)
        : l.service
          ? `${l.service} (on request: no published capacity)`
          : 'on request (no published service)',
      departureId: l.departure,
      departsAt: l.departureTime,
      status: l.status,
      statusText: LEG_STATUS_TEXT[l.status] ?? l.status,
      open: l.status === 'held' || l.status === 'on-request',
    }));
}

/** Operators that still have to answer (confirm or decline) a leg, in leg order, each once. */
export function awaitingOperators(legs: readonly BookingLeg[]): string[] {
  const out: string[] = [];
  for (const r of [...legs].sort((a, b) => a.seq - b.seq))
    if (r.status === 'held' || r.status === 'on-request')
      for (const o of r.operators) if (!out.includes(o)) out.push(o);
  return out;
}

/** Whether `operator` may still answer this booking (it runs an open leg of it). */
export function canAnswer(b: BookingSummary, operator: string): boolean {
  if (b.bookingStatus !== 'RECEIVED' && b.bookingStatus !== 'UPDATE_RECEIVED') return false;
  return b.legs.some((l) => (l.status === 'held' || l.status === 'on-request') && l.operators.includes(operator));
}

/** One line for a booking in a list: status, legs, and the hold. */
export function bookingLine(b: BookingSummary): string {
  const legs = [...b.legs].sort((x, y) => x.seq - y.seq);
  const first = legs[0];
  const last = legs[legs.length - 1];
  const route = first && last ? `${first.from} → ${last.to}` : '(no legs visible)';
  const confirmed = legs.filter((l) => l.status === 'confirmed').length;
  return `${route} · ${legs.length} leg${legs.length === 1 ? '' : 's'}, ${confirmed} confirmed`;
}

export interface UtilisationRow {
  id: string;
  service: string;
  departsAt: string;
  capacityTeu: number | null;
  heldTeu: number;
  bookedTeu: number;
  remainingTeu: number | null;
  /** (held + booked) / capacity, 0..1; null without a published capacity. */
  share: number | null;
  /** Anything held or booked on it. */
  busy: boolean;
}

/** Departures by time, with the share of their capacity taken (held or booked). */
export function utilisationRows(departures: readonly Departure[]): UtilisationRow[] {
  return [...departures]
    .sort((a, b) => Date.parse(a.departsAt) - Date.parse(b.departsAt) || a.id.localeCompare(b.id))
    .map((d) => {
      const cap = d.capacity?.teu ?? null;
      const taken = d.heldTeu + d.bookedTeu;
      return {
        id: d.id,
        service: d.service,
        departsAt: d.departsAt,
        capacityTeu: cap,
        heldTeu: d.heldTeu,
        bookedTeu: d.bookedTeu,
        remainingTeu: d.remainingTeu,
        share: cap && cap > 0 ? Math.min(1, taken / cap) : null,
        busy: taken > 0,
      };
    });
}

/** `Next-Page-Cursor` paging: the pages seen so far and whether there is more. */
export interface Paged<T> {
  items: T[];
  next: string | null;
}

export function appendPage<T>(prev: Paged<T> | null, items: readonly T[], next: string | null): Paged<T> {
  return { items: [...(prev?.items ?? []), ...items], next };
}
