/**
 * The booking state machine as pure functions: each takes the booking as stored (read under its
 * row lock) and a command, and returns the change to write — or throws a BookingRefusal. The
 * store writes a change in one transaction; the inventory increases it carries are conditional
 * on capacity, so a change that does not fit is not written at all (all or nothing).
 *
 * Statuses follow DCSA Booking 2.0: an operator declining a leg before the booking is confirmed
 * REJECTS it ("discontinued by carrier before it has been Confirmed"); after, DECLINES it. Holds
 * that lapse before every operator answered reject the booking the same way.
 */
import type { RoutingLeg } from './routing.js';
import {
  type BookingChange,
  type BookingEvent,
  type BookingState,
  type BookingStatus,
  type DepartureRef,
  type HistoryEntry,
  type InventoryDelta,
  isFinal,
  type LegRecord,
  legsOf,
} from './model.js';

export type RefusalCode =
  | 'invalid-transition'
  | 'not-found'
  | 'forbidden'
  | 'no-capacity'
  | 'expired'
  | 'invalid-request'
  | 'no-legs';

export class BookingRefusal extends Error {
  override readonly name = 'BookingRefusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isBookingRefusal(e: unknown): e is BookingRefusal {
  return e instanceof BookingRefusal;
}

/** A leg to reserve: the routing leg and its departure with capacity (null: on request). */
export interface LegToHold {
  leg: RoutingLeg;
  departure: DepartureRef | null;
}

export interface Actor {
  /** Key id (or `system`). */
  by: string;
  now: string;
}

const PRE_CONFIRMATION: readonly BookingStatus[] = ['RECEIVED', 'PENDING_UPDATE', 'UPDATE_RECEIVED'];

function addMinutes(iso: string, min: number): string {
  return new Date(Date.parse(iso) + min * 60_000).toISOString();
}

function newLegs(generation: number, legs: readonly LegToHold[], teu: number): LegRecord[] {
  return legs.map(({ leg, departure }) => ({
    generation,
    seq: leg.seq,
    operator: leg.operators[0] ?? 'unknown',
    operators: leg.operators,
    departure: departure?.id ?? null,
    service: leg.service,
    linkIds: leg.linkIds,
    from: leg.from,
    to: leg.to,
    departureTime: leg.departureTime,
    arrivalTime: leg.arrivalTime,
    teu,
    status: departure ? 'held' : 'on-request',
    note: null,
  }));
}

/** Inventory taken by `legs`, given back (sign −1) or taken (+1). */
function inventoryOf(legs: readonly LegRecord[], departures: ReadonlyMap<string, DepartureRef>, sign: 1 | -1) {
  const out: InventoryDelta[] = [];
  for (const l of legs) {
    if (!l.departure) continue;
    const d = departures.get(l.departure) ?? {
      id: l.departure,
      service: l.service ?? '',
      operator: l.operator,
      departsAt: '',
      capacityTeu: 0,
    };
    if (l.status === 'held') out.push({ departure: d, heldTeu: sign * l.teu, bookedTeu: 0 });
    else if (l.status === 'confirmed') out.push({ departure: d, heldTeu: 0, bookedTeu: sign * l.teu });
  }
  return out;
}

const release = (l: LegRecord): LegRecord =>
  l.status === 'held' || l.status === 'confirmed' || l.status === 'on-request' ? { ...l, status: 'released' } : l;

function audience(b: BookingState, legs: readonly LegRecord[]): string[] {
  return [b.owner, ...new Set(legs.flatMap((l) => l.operators.map((o) => `operator:${o}`)))];
}

function statusEvent(b: BookingState, legs: readonly LegRecord[], reason: string | null): BookingEvent {
  return {
    topic: 'booking.status',
    audience: audience(b, legs),
    payload: {
      carrierBookingRequestReference: b.reference,
      ...(b.carrierReference ? { carrierBookingReference: b.carrierReference } : {}),
      bookingStatus: b.status,
      ...(b.amendedStatus ? { amendedBookingStatus: b.amendedStatus } : {}),
      ...(b.cancellationStatus ? { bookingCancellationStatus: b.cancellationStatus } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}

function history(
  a: Actor,
  from: BookingStatus | null,
  to: BookingStatus,
  event: string,
  reason: string | null,
): HistoryEntry {
  return { at: a.now, by: a.by, from, to, event, reason };
}

function bump(b: BookingState, a: Actor, fields: Partial<BookingState>): BookingState {
  return { ...b, ...fields, version: b.version + 1, updatedAt: a.now };
}

export interface CreateCommand extends Actor {
  reference: string;
  owner: string;
  request: Record<string, unknown>;
  routingReference: string | null;
  legs: LegToHold[];
  teu: number;
  holdMinutes: number;
}

/** A new booking: RECEIVED, with slots held on every leg that has inventory. */
export function createBooking(c: CreateCommand): BookingChange {
  if (c.legs.length === 0) throw new BookingRefusal('no-legs', 'the routing has no legs to book');
  if (!(c.teu > 0)) throw new BookingRefusal('invalid-request', 'the booking requests no equipment');
  const legs = newLegs(1, c.legs, c.teu);
  const booking: BookingState = {
    reference: c.reference,
    carrierReference: null,
    owner: c.owner,
    status: 'RECEIVED',
    amendedStatus: null,
    cancellationStatus: null,
    routingReference: c.routingReference,
    request: c.request,
    amendedRequest: null,
    generation: 1,
    pendingGeneration: null,
    holdExpiresAt: addMinutes(c.now, c.holdMinutes),
    version: 1,
    createdAt: c.now,
    updatedAt: c.now,
    legs,
  };
  const deps = departuresOf(c.legs);
  return {
    booking,
    legs,
    inventory: inventoryOf(legs, deps, 1),
    history: [history(c, null, 'RECEIVED', 'created', `held ${legs.filter((l) => l.departure).length} departure(s)`)],
    events: [statusEvent(booking, legs, null)],
  };
}

function departuresOf(legs: readonly LegToHold[]): Map<string, DepartureRef> {
  const m = new Map<string, DepartureRef>();
  for (const l of legs) if (l.departure) m.set(l.departure.id, l.departure);
  return m;
}

export interface AnswerCommand extends Actor {
  /** Operator ids the caller speaks for (an admin: every operator of the legs). */
  operators: readonly string[] | 'any';
  accept: boolean;
  /** One leg (1-based seq), or every open leg of the caller's operators. */
  seq?: number;
  reason: string | null;
  /** The carrierBookingReference to give when this answer confirms the booking. */
  carrierReference: string;
}

const mayAnswer = (ops: readonly string[] | 'any', l: LegRecord) =>
  ops === 'any' || l.operators.some((o) => ops.includes(o));

/**
 * An operator confirms or declines its legs of the generation awaiting answers (the booking's
 * request or its pending amendment); declining a leg of a confirmed booking declines it.
 */
export function answerLegs(b: BookingState, c: AnswerCommand): BookingChange {
  if (isFinal(b.status))
    throw new BookingRefusal('invalid-transition', `booking ${b.reference} is ${b.status}; nothing to answer`, {
      bookingStatus: b.status,
    });
  const amendment = b.pendingGeneration !== null;
  const gen = b.pendingGeneration ?? b.generation;
  const all = legsOf(b, gen);
  const mine = all.filter((l) => mayAnswer(c.operators, l) && (c.seq === undefined || l.seq === c.seq));
  if (mine.length === 0)
    throw new BookingRefusal(
      'not-found',
      c.seq === undefined
        ? `booking ${b.reference} has no leg of this operator`
        : `booking ${b.reference} has no leg ${c.seq} of this operator`,
    );
  if (b.holdExpiresAt !== null && b.holdExpiresAt <= c.now && mine.some((l) => l.status === 'held'))
    throw new BookingRefusal('expired', `the holds of booking ${b.reference} lapsed at ${b.holdExpiresAt}`);
  const confirmedBooking = b.status === 'CONFIRMED' && !amendment;
  const open = mine.filter((l) => l.status === 'held' || l.status === 'on-request' || confirmedBooking);
  if (open.length === 0 || (confirmedBooking && c.accept))
    throw new BookingRefusal(
      'invalid-transition',
      `leg(s) ${mine.map((l) => l.seq).join(', ')} of booking ${b.reference} are already answered ` +
        `(${mine.map((l) => l.status).join(', ')})`,
      { legs: mine.map((l) => ({ seq: l.seq, status: l.status })) },
    );
  const deps = new Map<string, DepartureRef>();
  const inventory: InventoryDelta[] = [];
  const answered = new Map<number, LegRecord>();
  for (const l of open) {
    if (c.accept) {
      if (l.status === 'held' && l.departure)
        inventory.push({ departure: depOf(l, deps), heldTeu: -l.teu, bookedTeu: l.teu });
      answered.set(l.seq, { ...l, status: 'confirmed', note: c.reason });
    } else answered.set(l.seq, { ...l, status: 'declined', note: c.reason });
  }
  const after = all.map((l) => answered.get(l.seq) ?? l);
  const event = c.accept ? 'leg-confirmed' : 'leg-declined';
  const reason = `${event} ${[...answered.keys()].join(', ')}${c.reason ? `: ${c.reason}` : ''}`;
  const legChanges: LegRecord[] = [...answered.values()];

  if (!c.accept) {
    // Any declined leg ends the request (or the amendment): every other slot of it goes back.
    const others = after.filter((l) => !answered.has(l.seq));
    inventory.push(...inventoryOf(others, deps, -1));
    for (const l of open)
      if (l.status === 'held' || l.status === 'confirmed') inventory.push(...inventoryOf([l], deps, -1));
    legChanges.push(...others.map(release).filter((l, i) => l.status !== others[i]?.status));
    if (amendment) {
      const nb = bump(b, c, {
        amendedStatus: 'AMENDMENT_DECLINED',
        amendedRequest: null,
        pendingGeneration: null,
        holdExpiresAt: null,
      });
      return done(nb, b, legChanges, inventory, c, 'amendment-declined', reason);
    }
    const to: BookingStatus = b.status === 'CONFIRMED' ? 'DECLINED' : 'REJECTED';
    const nb = bump(b, c, { status: to, holdExpiresAt: null });
    return done(nb, b, legChanges, inventory, c, event, reason);
  }
  if (after.every((l) => l.status === 'confirmed')) {
    if (amendment) {
      // The amendment replaces the reservation: the old generation's slots go back in the same write.
      const old = legsOf(b, b.generation);
      inventory.push(...inventoryOf(old, deps, -1));
      legChanges.push(...old.map(release));
      const nb = bump(b, c, {
        amendedStatus: 'AMENDMENT_CONFIRMED',
        request: b.amendedRequest ?? b.request,
        amendedRequest: null,
        generation: gen,
        pendingGeneration: null,
        holdExpiresAt: null,
      });
      return done(nb, b, legChanges, inventory, c, 'amendment-confirmed', reason);
    }
    const nb = bump(b, c, {
      status: 'CONFIRMED',
      carrierReference: b.carrierReference ?? c.carrierReference,
      holdExpiresAt: null,
    });
    return done(nb, b, legChanges, inventory, c, event, `${reason}; every leg confirmed`);
  }
  return done(bump(b, c, {}), b, legChanges, inventory, c, event, reason);
}

function depOf(l: LegRecord, deps: Map<string, DepartureRef>): DepartureRef {
  const id = l.departure ?? '';
  let d = deps.get(id);
  if (!d) {
    d = { id, service: l.service ?? '', operator: l.operator, departsAt: '', capacityTeu: 0 };
    deps.set(id, d);
  }
  return d;
}

function done(
  nb: BookingState,
  before: BookingState,
  legs: LegRecord[],
  inventory: InventoryDelta[],
  a: Actor,
  event: string,
  reason: string | null,
): BookingChange {
  const touched = new Map(legs.map((l) => [`${l.generation}/${l.seq}`, l]));
  const merged = before.legs.map((l) => touched.get(`${l.generation}/${l.seq}`) ?? l);
  for (const l of legs) if (!before.legs.some((x) => x.generation === l.generation && x.seq === l.seq)) merged.push(l);
  const booking = { ...nb, legs: merged };
  const involved = merged.filter(
    (l) => l.generation === booking.generation || l.generation === booking.pendingGeneration,
  );
  return {
    booking,
    legs,
    inventory,
    history: [history(a, before.status, booking.status, event, reason)],
    events: [statusEvent(booking, involved.length ? involved : merged, reason)],
  };
}

export type CancelKind = 'request' | 'confirmed' | 'amendment';

export interface CancelCommand extends Actor {
  kind: CancelKind;
  reason: string | null;
}

/**
 * The shipper cancels: the request before confirmation (`bookingStatus: CANCELLED`), a confirmed
 * booking (`bookingCancellationStatus: CANCELLATION_RECEIVED`, accepted at once), or only a
 * pending amendment (`amendedBookingStatus: AMENDMENT_CANCELLED`). Every slot concerned goes back.
 */
export function cancelBooking(b: BookingState, c: CancelCommand): BookingChange {
  if (c.kind === 'amendment') {
    if (b.pendingGeneration === null || b.amendedStatus !== 'AMENDMENT_RECEIVED')
      throw new BookingRefusal('not-found', `booking ${b.reference} has no amendment awaiting confirmation`);
    const pending = legsOf(b, b.pendingGeneration);
    const nb = bump(b, c, {
      amendedStatus: 'AMENDMENT_CANCELLED',
      amendedRequest: null,
      pendingGeneration: null,
      holdExpiresAt: null,
    });
    return done(nb, b, pending.map(release), inventoryOf(pending, new Map(), -1), c, 'amendment-cancelled', c.reason);
  }
  const allowed: readonly BookingStatus[] =
    c.kind === 'request' ? PRE_CONFIRMATION : ['CONFIRMED', 'PENDING_AMENDMENT'];
  if (!allowed.includes(b.status))
    throw new BookingRefusal(
      'invalid-transition',
      c.kind === 'request'
        ? `booking ${b.reference} is ${b.status}: bookingStatus CANCELLED cancels only a booking not yet confirmed ` +
            `(${PRE_CONFIRMATION.join(', ')}); a confirmed one is cancelled with bookingCancellationStatus ` +
            'CANCELLATION_RECEIVED'
        : `booking ${b.reference} is ${b.status}: bookingCancellationStatus CANCELLATION_RECEIVED cancels only ` +
            'a CONFIRMED or PENDING_AMENDMENT booking',
      { bookingStatus: b.status },
    );
  const live = b.legs.filter((l) => l.status === 'held' || l.status === 'confirmed' || l.status === 'on-request');
  const nb = bump(b, c, {
    status: 'CANCELLED',
    ...(c.kind === 'confirmed' ? { cancellationStatus: 'CANCELLATION_CONFIRMED' } : {}),
    ...(b.pendingGeneration !== null ? { amendedStatus: 'AMENDMENT_CANCELLED' as const } : {}),
    amendedRequest: null,
    pendingGeneration: null,
    holdExpiresAt: null,
  });
  return done(nb, b, live.map(release), inventoryOf(live, new Map(), -1), c, 'cancelled', c.reason);
}

export interface UpdateCommand extends Actor {
  request: Record<string, unknown>;
  routingReference: string | null;
  legs: LegToHold[];
  teu: number;
  holdMinutes: number;
}

/**
 * The shipper changes the booking. Before confirmation (an update) the new legs replace the old
 * ones in one write; on a confirmed booking (an amendment) they are held beside the confirmed
 * reservation, which stays in force until every operator confirms the amendment. Either way the
 * new holds fit entirely or nothing is written, and the old reservation stays as it was.
 */
export function updateBooking(b: BookingState, c: UpdateCommand): BookingChange {
  if (c.legs.length === 0) throw new BookingRefusal('no-legs', 'the routing has no legs to book');
  if (!(c.teu > 0)) throw new BookingRefusal('invalid-request', 'the booking requests no equipment');
  const nextGen = Math.max(...b.legs.map((l) => l.generation), 0) + 1;
  const fresh = newLegs(nextGen, c.legs, c.teu);
  const deps = departuresOf(c.legs);
  const expires = addMinutes(c.now, c.holdMinutes);
  if (PRE_CONFIRMATION.includes(b.status)) {
    const old = legsOf(b, b.generation);
    const nb = bump(b, c, {
      status: 'UPDATE_RECEIVED',
      request: c.request,
      routingReference: c.routingReference,
      generation: nextGen,
      holdExpiresAt: expires,
    });
    const inventory = [...inventoryOf(old, deps, -1), ...inventoryOf(fresh, deps, 1)];
    return done(nb, b, [...old.map(release), ...fresh], inventory, c, 'updated', null);
  }
  if (b.status === 'CONFIRMED' || b.status === 'PENDING_AMENDMENT') {
    const replaced = b.pendingGeneration !== null ? legsOf(b, b.pendingGeneration) : [];
    const nb = bump(b, c, {
      status: 'CONFIRMED',
      amendedStatus: 'AMENDMENT_RECEIVED',
      amendedRequest: c.request,
      routingReference: c.routingReference ?? b.routingReference,
      pendingGeneration: nextGen,
      holdExpiresAt: expires,
    });
    const inventory = [...inventoryOf(replaced, deps, -1), ...inventoryOf(fresh, deps, 1)];
    return done(nb, b, [...replaced.map(release), ...fresh], inventory, c, 'amendment-received', null);
  }
  throw new BookingRefusal('invalid-transition', `booking ${b.reference} is ${b.status}; it can no longer be changed`, {
    bookingStatus: b.status,
  });
}

/** The operator asks the shipper for an update (PENDING_UPDATE before confirmation, PENDING_AMENDMENT after). */
export function requestUpdate(b: BookingState, c: Actor & { reason: string | null }): BookingChange {
  const to: BookingStatus | undefined = PRE_CONFIRMATION.includes(b.status)
    ? 'PENDING_UPDATE'
    : b.status === 'CONFIRMED'
      ? 'PENDING_AMENDMENT'
      : undefined;
  if (!to)
    throw new BookingRefusal('invalid-transition', `booking ${b.reference} is ${b.status}; no update can be asked`, {
      bookingStatus: b.status,
    });
  return done(bump(b, c, { status: to }), b, [], [], c, 'update-requested', c.reason);
}

/**
 * Holds that lapsed: the request is rejected, or the amendment declined, and their slots go back.
 * Null: nothing due.
 */
export function expireHolds(b: BookingState, now: string): BookingChange | null {
  if (b.holdExpiresAt === null || b.holdExpiresAt > now || isFinal(b.status)) return null;
  const a: Actor = { by: 'system', now };
  const reason = `holds lapsed at ${b.holdExpiresAt} before every operator confirmed`;
  if (b.pendingGeneration !== null) {
    const pending = legsOf(b, b.pendingGeneration);
    const nb = bump(b, a, {
      amendedStatus: 'AMENDMENT_DECLINED',
      amendedRequest: null,
      pendingGeneration: null,
      holdExpiresAt: null,
    });
    return done(nb, b, pending.map(release), inventoryOf(pending, new Map(), -1), a, 'expired', reason);
  }
  if (!PRE_CONFIRMATION.includes(b.status)) return null;
  const live = b.legs.filter((l) => l.status === 'held' || l.status === 'confirmed' || l.status === 'on-request');
  const nb = bump(b, a, { status: 'REJECTED', holdExpiresAt: null });
  return done(nb, b, live.map(release), inventoryOf(live, new Map(), -1), a, 'expired', reason);
}
