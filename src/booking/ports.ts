/**
 * What the booking use cases need from storage. The store (src/store) implements it on SQLite and
 * PostgreSQL; every write is one transaction that reads the booking under its row lock, asks a
 * decision function (decide.ts) for the change and writes it, inventory increases included, only
 * if every one of them fits the departure's capacity.
 */
import type { BookingChange, BookingState, BookingStatus, HistoryEntry } from './model.js';
import type { BookingRouting } from './routing.js';

/** A stored response to an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header). */
export interface IdempotencyRecord {
  /** Who sent it (the key id): keys are per client. */
  scope: string;
  key: string;
  /** Method, path and body digest of the first request. */
  fingerprint: string;
  status: number;
  body: unknown;
  createdAt: string;
}

/** The record to store with a change, made from the booking as written (the response names it). */
export type IdempotencyFor = (written: BookingState) => IdempotencyRecord;

export interface DepartureUsage {
  id: string;
  service: string;
  operator: string;
  departsAt: string;
  capacityTeu: number;
  heldTeu: number;
  bookedTeu: number;
}

export interface BookingListFilter {
  /** Only this shipper's bookings. */
  owner?: string;
  /** Only bookings with a leg this operator may answer. */
  operator?: string;
  status?: BookingStatus;
  /** Cursor: references after this one (creation order). */
  after?: string;
  limit: number;
}

export interface BookingRepository {
  /**
   * Writes a new booking (BookingRefusal `no-capacity` when a hold does not fit: nothing is
   * written). With `idempotency`, its record is written in the same transaction; a concurrent
   * request that stored the same key first makes this one fail with `IdempotencyConflict`.
   */
  create(change: BookingChange, idempotency?: IdempotencyFor): Promise<BookingState>;
  /**
   * Reads the booking (by carrierBookingRequestReference or carrierBookingReference) under its row
   * lock, applies `decide` and writes the change; `decide` returning null writes nothing.
   * Undefined when there is no such booking.
   */
  update(
    reference: string,
    decide: (b: BookingState) => BookingChange | null,
    idempotency?: IdempotencyFor,
  ): Promise<BookingState | undefined>;
  find(reference: string): Promise<BookingState | undefined>;
  history(reference: string): Promise<HistoryEntry[]>;
  /** Oldest first. */
  list(filter: BookingListFilter): Promise<BookingState[]>;
  /** References of bookings whose holds lapsed by `now`. */
  dueHolds(now: string, limit: number): Promise<string[]>;
  /** Departures that have inventory rows (any booking held them), by service and UTC range. */
  departures(filter: {
    service?: string;
    after?: string;
    before?: string;
    ids?: readonly string[];
  }): Promise<DepartureUsage[]>;
  /** Stores routings (one statement: a plan's itineraries cost one commit); a stored reference is kept as it is. */
  saveRoutings(rs: readonly BookingRouting[], now: string): Promise<void>;
  findRouting(reference: string): Promise<BookingRouting | undefined>;
  findIdempotent(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
}

/** Another request with the same Idempotency-Key was stored first. */
export class IdempotencyConflict extends Error {
  override readonly name = 'IdempotencyConflict';
}
