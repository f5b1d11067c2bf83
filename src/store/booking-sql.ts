/**
 * Bookings and departure inventory on any SqlDriver. No slot is sold twice because every hold is
 * a conditional update inside the booking's transaction —
 *   UPDATE departures SET held_teu = held_teu + n WHERE id = ? AND held_teu + booked_teu + n <= capacity
 * — and a change whose update touches no row is rolled back whole. SQLite runs every write
 * transaction alone (BEGIN IMMEDIATE); PostgreSQL re-checks the condition on the newest row version
 * after waiting for its row lock (READ COMMITTED), so concurrent holds on the last slots serialise
 * on that row across instances. A change takes row locks in one order — its booking first, then
 * its departures sorted by id — so two multi-leg holds cannot deadlock; a deadlock or
 * serialisation failure PostgreSQL reports anyway is retried. The CHECK constraint on the table is
 * the last line of defence.
 */
import { BookingRefusal } from '../booking/decide.js';
import type {
  AmendedBookingStatus,
  BookingChange,
  BookingState,
  BookingStatus,
  HistoryEntry,
  InventoryDelta,
  LegRecord,
  LegStatus,
} from '../booking/model.js';
import {
  type BookingListFilter,
  type BookingRepository,
  type DepartureUsage,
  IdempotencyConflict,
  type IdempotencyFor,
  type IdempotencyRecord,
} from '../booking/ports.js';
import type { BookingRouting } from '../booking/routing.js';
import { writeOutbox } from './outbox-sql.js';
import type { Row, SqlDriver, SqlExecutor } from './sql.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = (v: unknown) =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as Record<string, unknown>);

function legOf(r: Row): LegRecord {
  return {
    generation: Number(r.generation),
    seq: Number(r.seq),
    operator: String(r.operator),
    operators: String(r.operators).trim().split(' ').filter(Boolean),
    departure: str(r.departure),
    service: str(r.service),
    linkIds: JSON.parse(String(r.link_ids)) as string[],
    from: String(r.from_loc),
    to: String(r.to_loc),
    departureTime: String(r.departure_time),
    arrivalTime: String(r.arrival_time),
    teu: Number(r.teu),
    status: String(r.status) as LegStatus,
    note: str(r.note),
  };
}

function bookingOf(r: Row, legs: LegRecord[]): BookingState {
  return {
    reference: String(r.reference),
    carrierReference: str(r.carrier_reference),
    owner: String(r.owner),
    status: String(r.status) as BookingStatus,
    amendedStatus: str(r.amended_status) as AmendedBookingStatus | null,
    cancellationStatus: str(r.cancellation_status),
    routingReference: str(r.routing_reference),
    request: json(r.request) ?? {},
    amendedRequest: json(r.amended_request),
    generation: Number(r.generation),
    pendingGeneration:
      r.pending_generation === null || r.pending_generation === undefined ? null : Number(r.pending_generation),
    holdExpiresAt: str(r.hold_expires_at),
    version: Number(r.version),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    legs,
  };
}

/** PostgreSQL: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);

/** Net moves per departure, in id order (the lock order). */
function netInventory(deltas: readonly InventoryDelta[]): InventoryDelta[] {
  const m = new Map<string, InventoryDelta>();
  for (const d of deltas) {
    const cur = m.get(d.departure.id);
    if (!cur) m.set(d.departure.id, { ...d });
    else {
      cur.heldTeu += d.heldTeu;
      cur.bookedTeu += d.bookedTeu;
      // The reference with a capacity (a new hold) wins over a release's placeholder.
      if (d.departure.capacityTeu > cur.departure.capacityTeu) cur.departure = d.departure;
    }
  }
  return [...m.values()]
    .filter((d) => d.heldTeu !== 0 || d.bookedTeu !== 0)
    .sort((a, b) => (a.departure.id < b.departure.id ? -1 : a.departure.id > b.departure.id ? 1 : 0));
}

/** Rows per INSERT of routings: three parameters each, well inside both databases' limits. */
const ROUTINGS_PER_STATEMENT = 200;

export class SqlBookings implements BookingRepository {
  constructor(private readonly db: SqlDriver) {}

  private get forUpdate(): string {
    return this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
  }

  private async tx<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(fn);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (attempt < 5 && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw e;
      }
    }
  }

  private async applyInventory(tx: SqlExecutor, deltas: readonly InventoryDelta[], now: string): Promise<void> {
    for (const d of netInventory(deltas)) {
      const dep = d.departure;
      const take = d.heldTeu + d.bookedTeu;
      if (take > 0 || d.heldTeu > 0) {
        await tx.run(
          'INSERT INTO departures (id, service, operator, departs_at, capacity_teu, held_teu, booked_teu, ' +
            'updated_at) ' +
            'VALUES (?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT (id) DO NOTHING',
          [dep.id, dep.service, dep.operator, dep.departsAt, dep.capacityTeu, now],
        );
      }
      if (take > 0) {
        // The capacity the World has now applies from this hold on; the condition uses it.
        const n = await tx.run(
          'UPDATE departures SET held_teu = held_teu + ?, booked_teu = booked_teu + ?, capacity_teu = ?, ' +
            'updated_at = ? WHERE id = ? AND held_teu + booked_teu + ? <= ?',
          [d.heldTeu, d.bookedTeu, dep.capacityTeu, now, dep.id, take, dep.capacityTeu],
        );
        if (n !== 1) {
          const row = (await tx.all('SELECT held_teu, booked_teu FROM departures WHERE id = ?', [dep.id]))[0];
          const used = Number(row?.held_teu ?? 0) + Number(row?.booked_teu ?? 0);
          const remaining = Math.max(0, dep.capacityTeu - used);
          throw new BookingRefusal(
            'no-capacity',
            `departure ${dep.id} has ${remaining} TEU left of ${dep.capacityTeu}; this booking needs ${take}`,
            { departure: dep.id, capacityTeu: dep.capacityTeu, remainingTeu: remaining, requestedTeu: take },
          );
        }
      } else {
        await tx.run(
          'UPDATE departures SET held_teu = held_teu + ?, booked_teu = booked_teu + ?, updated_at = ? WHERE id = ?',
          [d.heldTeu, d.bookedTeu, now, dep.id],
        );
      }
    }
  }

  private async writeLegs(tx: SqlExecutor, reference: string, legs: readonly LegRecord[]): Promise<void> {
    for (const l of legs) {
      await tx.run(
        `INSERT INTO booking_legs (reference, generation, seq, operator, operators, departure, service, link_ids,
           from_loc, to_loc, departure_time, arrival_time, teu, status, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (reference, generation, seq) DO UPDATE SET status = excluded.status, note = excluded.note`,
        [
          reference,
          l.generation,
          l.seq,
          l.operator,
          ` ${l.operators.join(' ')} `,
          l.departure,
          l.service,
          JSON.stringify(l.linkIds),
          l.from,
          l.to,
          l.departureTime,
          l.arrivalTime,
          l.teu,
          l.status,
          l.note,
        ],
      );
    }
  }

  private async writeHistory(tx: SqlExecutor, reference: string, entries: readonly HistoryEntry[]): Promise<void> {
    const rows = await tx.all('SELECT MAX(seq) AS n FROM booking_history WHERE reference = ?', [reference]);
    let seq = Number(rows[0]?.n ?? 0);
    for (const h of entries) {
      await tx.run(
        'INSERT INTO booking_history (reference, seq, at, by_key, from_status, to_status, event, reason) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [reference, ++seq, h.at, h.by, h.from, h.to, h.event, h.reason],
      );
    }
  }

  private async writeIdempotency(tx: SqlExecutor, r: IdempotencyRecord): Promise<void> {
    const existing = await tx.all(
      `SELECT scope FROM idempotency_keys WHERE scope = ? AND idem_key = ?${this.forUpdate}`,
      [r.scope, r.key],
    );
    if (existing.length) throw new IdempotencyConflict(`Idempotency-Key ${r.key} was used first by another request`);
    try {
      await tx.run(
        'INSERT INTO idempotency_keys (scope, idem_key, fingerprint, status, body, created_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?)',
        [r.scope, r.key, r.fingerprint, r.status, JSON.stringify(r.body), r.createdAt],
      );
    } catch (e) {
      // PostgreSQL: a concurrent insert of the same key committed first (unique_violation).
      if ((e as { code?: unknown }).code === '23505')
        throw new IdempotencyConflict(`Idempotency-Key ${r.key} was used first by another request`);
      throw e;
    }
  }

  private async writeBooking(tx: SqlExecutor, b: BookingState, insert: boolean): Promise<void> {
    const values = [
      b.carrierReference,
      b.owner,
      b.status,
      b.amendedStatus,
      b.cancellationStatus,
      b.routingReference,
      JSON.stringify(b.request),
      b.amendedRequest === null ? null : JSON.stringify(b.amendedRequest),
      b.generation,
      b.pendingGeneration,
      b.holdExpiresAt,
      b.version,
      b.updatedAt,
    ];
    if (insert) {
      await tx.run(
        `INSERT INTO bookings (carrier_reference, owner, status, amended_status, cancellation_status, routing_reference,
           request, amended_request, generation, pending_generation, hold_expires_at, version, updated_at,
           reference, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...values, b.reference, b.createdAt],
      );
    } else {
      await tx.run(
        `UPDATE bookings SET carrier_reference = ?, owner = ?, status = ?, amended_status = ?, cancellation_status = ?,
           routing_reference = ?, request = ?, amended_request = ?, generation = ?, pending_generation = ?,
           hold_expires_at = ?, version = ?, updated_at = ? WHERE reference = ?`,
        [...values, b.reference],
      );
    }
  }

  private async write(
    tx: SqlExecutor,
    c: BookingChange,
    insert: boolean,
    idempotency: IdempotencyFor | undefined,
  ): Promise<void> {
    const now = c.booking.updatedAt;
    if (idempotency) await this.writeIdempotency(tx, idempotency(c.booking));
    if (insert) await this.writeBooking(tx, c.booking, true);
    await this.applyInventory(tx, c.inventory, now);
    if (!insert) await this.writeBooking(tx, c.booking, false);
    await this.writeLegs(tx, c.booking.reference, c.legs);
    await this.writeHistory(tx, c.booking.reference, c.history);
    await writeOutbox(tx, c.events, now);
  }

  create(change: BookingChange, idempotency?: IdempotencyFor): Promise<BookingState> {
    return this.tx(async (tx) => {
      await this.write(tx, change, true, idempotency);
      return change.booking;
    });
  }

  private async load(tx: SqlExecutor, reference: string, lock: boolean): Promise<BookingState | undefined> {
    const r = (
      await tx.all(`SELECT * FROM bookings WHERE reference = ? OR carrier_reference = ?${lock ? this.forUpdate : ''}`, [
        reference,
        reference,
      ])
    )[0];
    if (!r) return undefined;
    const legs = (
      await tx.all('SELECT * FROM booking_legs WHERE reference = ? ORDER BY generation, seq', [String(r.reference)])
    ).map(legOf);
    return bookingOf(r, legs);
  }

  update(
    reference: string,
    decide: (b: BookingState) => BookingChange | null,
    idempotency?: IdempotencyFor,
  ): Promise<BookingState | undefined> {
    return this.tx(async (tx) => {
      const b = await this.load(tx, reference, true);
      if (!b) return undefined;
      const change = decide(b);
      if (!change) return b;
      await this.write(tx, change, false, idempotency);
      return change.booking;
    });
  }

  find(reference: string): Promise<BookingState | undefined> {
    return this.load(this.db, reference, false);
  }

  async history(reference: string): Promise<HistoryEntry[]> {
    const rows = await this.db.all(
      `SELECT h.* FROM booking_history h JOIN bookings b ON b.reference = h.reference
       WHERE b.reference = ? OR b.carrier_reference = ? ORDER BY h.seq`,
      [reference, reference],
    );
    return rows.map((r) => ({
      at: String(r.at),
      by: String(r.by_key),
      from: str(r.from_status) as BookingStatus | null,
      to: String(r.to_status) as BookingStatus,
      event: String(r.event),
      reason: str(r.reason),
    }));
  }

  async list(f: BookingListFilter): Promise<BookingState[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (f.owner !== undefined) {
      where.push('owner = ?');
      params.push(f.owner);
    }
    if (f.operator !== undefined) {
      where.push('reference IN (SELECT reference FROM booking_legs WHERE operators LIKE ?)');
      params.push(`% ${f.operator} %`);
    }
    if (f.status !== undefined) {
      where.push('status = ?');
      params.push(f.status);
    }
    if (f.after !== undefined) {
      where.push('reference > ?');
      params.push(f.after);
    }
    params.push(f.limit);
    const rows = await this.db.all(
      `SELECT * FROM bookings${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY reference LIMIT ?`,
      params,
    );
    if (!rows.length) return [];
    const refs = rows.map((r) => String(r.reference));
    const legRows = await this.db.all(
      `SELECT * FROM booking_legs WHERE reference IN (${refs.map(() => '?').join(', ')}) ORDER BY generation, seq`,
      refs,
    );
    const byRef = new Map<string, LegRecord[]>();
    for (const r of legRows) {
      const k = String(r.reference);
      (byRef.get(k) ?? byRef.set(k, []).get(k))?.push(legOf(r));
    }
    return rows.map((r) => bookingOf(r, byRef.get(String(r.reference)) ?? []));
  }

  async dueHolds(now: string, limit: number): Promise<string[]> {
    const rows = await this.db.all(
      'SELECT reference FROM bookings WHERE hold_expires_at IS NOT NULL AND hold_expires_at <= ? ' +
        'ORDER BY hold_expires_at LIMIT ?',
      [now, limit],
    );
    return rows.map((r) => String(r.reference));
  }

  async departures(f: {
    service?: string;
    after?: string;
    before?: string;
    ids?: readonly string[];
  }): Promise<DepartureUsage[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (f.service !== undefined) {
      where.push('service = ?');
      params.push(f.service);
    }
    if (f.after !== undefined) {
      where.push('departs_at >= ?');
      params.push(f.after);
    }
    if (f.before !== undefined) {
      where.push('departs_at < ?');
      params.push(f.before);
    }
    if (f.ids !== undefined) {
      if (f.ids.length === 0) return [];
      where.push(`id IN (${f.ids.map(() => '?').join(', ')})`);
      params.push(...f.ids);
    }
    const rows = await this.db.all(
      `SELECT * FROM departures${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY departs_at, id`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      service: String(r.service),
      operator: String(r.operator),
      departsAt: String(r.departs_at),
      capacityTeu: Number(r.capacity_teu),
      heldTeu: Number(r.held_teu),
      bookedTeu: Number(r.booked_teu),
    }));
  }

  async saveRoutings(rs: readonly BookingRouting[], now: string): Promise<void> {
    const unique = [...new Map(rs.map((r) => [r.reference, r])).values()];
    for (let i = 0; i < unique.length; i += ROUTINGS_PER_STATEMENT) {
      const chunk = unique.slice(i, i + ROUTINGS_PER_STATEMENT);
      // Unsynced: a routing is derived data (a plan makes it again), and an fsync per plan blocked
      // the request thread for 2–3 ms (decision 0031). It survives the process dying.
      await this.db.runUnsynced(
        `INSERT INTO routings (reference, body, created_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (reference) DO NOTHING`,
        chunk.flatMap((r) => [r.reference, JSON.stringify(r), now]),
      );
    }
  }

  async findRouting(reference: string): Promise<BookingRouting | undefined> {
    const r = (await this.db.all('SELECT body FROM routings WHERE reference = ?', [reference]))[0];
    return r ? (JSON.parse(String(r.body)) as BookingRouting) : undefined;
  }

  async findIdempotent(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const r = (await this.db.all('SELECT * FROM idempotency_keys WHERE scope = ? AND idem_key = ?', [scope, key]))[0];
    return r
      ? {
          scope: String(r.scope),
          key: String(r.idem_key),
          fingerprint: String(r.fingerprint),
          status: Number(r.status),
          body: JSON.parse(String(r.body)),
          createdAt: String(r.created_at),
        }
      : undefined;
  }
}
