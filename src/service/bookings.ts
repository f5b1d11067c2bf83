/**
 * The booking use cases: departures with their capacity, booking a routing (a plan's itinerary,
 * by its routing reference, or the first itinerary between the shipment's places), operators'
 * answers, cancellation, updates and amendments, and the expiry of holds. Capacity comes from the
 * current World (the files plus the operators' publications); what is held and booked comes from
 * the store, which writes every change in one transaction (src/booking/ports.ts). Edges format.
 */
import { randomBytes } from 'node:crypto';
import {
  answerLegs,
  BookingRefusal,
  cancelBooking,
  type CancelKind,
  createBooking,
  expireHolds,
  type LegToHold,
  requestUpdate,
  updateBooking,
} from '../booking/decide.js';
import {
  type BookingState,
  type BookingStatus,
  DEFAULT_HOLD_MINUTES,
  type DepartureRef,
  departureId,
  type HistoryEntry,
  legsOf,
} from '../booking/model.js';
import type { BookingRepository, DepartureUsage, IdempotencyFor } from '../booking/ports.js';
import { type BookingRouting, CAPACITY_BASIS, capacityTeu, routingOf } from '../booking/routing.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { Location, Service } from '../model/types.js';
import { NO_DEPARTURE, nextDepartureH } from '../schedule/calendar.js';
import { utcMinute } from '../schedule/itinerary.js';
import type { PlanItinerary } from '../schedule/itinerary.js';
import { Lru } from './lru.js';
import type { Scheduler } from './scheduler.js';
import { type CorridorService, linkMap, type PlanAnswer, type Prepared } from './service.js';

/** Who asks: a shipper (its key id is the party), an operator (its ids), or an admin. */
export interface Viewer {
  /** The key id: who did it, in the history. */
  party: string;
  kind: 'shipper' | 'operator' | 'admin';
  operators: readonly string[];
  /**
   * Who owns what it books: its organisation (`org:<name>`), whose keys all see and change the
   * organisation's bookings; absent: the key alone (`party`).
   */
  owner?: string;
}

/** The owner token a booking made by `v` gets, and that `v` must match to see or change one. */
export const ownerOf = (v: Viewer): string => v.owner ?? v.party;

export interface EquipmentRequest {
  isoCode: string;
  units: number;
}

/** A booking request as the edge validated it. */
export interface BookingInput {
  /** The request as sent (stored and returned as the booking). */
  request: Record<string, unknown>;
  routingReference?: string | undefined;
  equipments: EquipmentRequest[];
  /** UN/LOCODEs of the place of receipt (or loading) and delivery (or discharge). */
  origin?: string | undefined;
  destination?: string | undefined;
  /** YYYY-MM-DD: the ready day when there is no routing reference. */
  departureDate?: string | undefined;
}

export interface DepartureView {
  id: string;
  service: string;
  serviceName: string;
  operator: string;
  kind: 'scheduled' | 'when-full';
  /** UTC departure of the run from the service's first location (a UTC day for departs-when-full services). */
  departsAt: string;
  from: string;
  stops: string[];
  capacity: { teu: number; value: number; unit: string; basis: string } | null;
  heldTeu: number;
  bookedTeu: number;
  /** Null: no published capacity (booked on request). */
  remainingTeu: number | null;
}

export interface DepartureFilter {
  service?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** ISO date or date-time (UTC); default now. */
  after?: string | undefined;
  /** Default after + 14 days. */
  before?: string | undefined;
  /** Departure id to continue after (the previous page's last). */
  cursor?: string | undefined;
  limit: number;
}

export interface BookingServiceDeps {
  corridor: CorridorService;
  repo: BookingRepository;
  scheduler?: Scheduler;
  holdMinutes?: number;
  now?: () => string;
}

const EXPIRE_JOB = 'booking.expire-holds';
const SWEEP_JOB = 'booking.sweep-holds';
const MAX_WINDOW_DAYS = 62;

/** Time-sortable references: base-36 milliseconds, then randomness. */
function reference(prefix: string): string {
  const r = randomBytes(6).toString('hex').toUpperCase();
  return `${prefix}${Date.now().toString(36).toUpperCase().padStart(9, '0')}${r}`;
}

/** TEU of an ISO 6346 size-type code: the dataset's container types, else the length code (2, 4, L). */
function teuOf(ds: PricedDataset, code: string): number | undefined {
  const t = ds.pricing?.containerTypes.find((c) => c.code === code);
  if (t) return t.teu.value;
  const len = code[0];
  return len === '2' ? 1 : len === '4' ? 2 : len === 'L' ? 2.25 : undefined;
}

const links = linkMap;

/**
 * Routings of concurrent plans, written together. Each plan still waits until its rows are
 * committed (a booking may name them the moment the answer arrives), but the plans that finish
 * while a write is under way, or in the same turn of the event loop, share the next write: under
 * load N plans cost one commit (one fsync on SQLite) instead of one per itinerary. Measured in
 * docs/benchmarks.md ("Uncached plans under load").
 */
export class RoutingWriter {
  private queued: { routings: readonly BookingRouting[]; settle: (error: unknown, failed: boolean) => void }[] = [];
  private writing = false;
  /**
   * References this writer has seen committed. A routing is immutable (its reference is a hash of
   * its legs) and never deleted, so one of these needs no second write: plans of a busy lane in the
   * same week name the same departures again and again.
   */
  private readonly committed: Lru<string, true>;

  constructor(
    private readonly save: (routings: readonly BookingRouting[]) => Promise<void>,
    rememberCommitted = 20_000,
  ) {
    this.committed = new Lru(rememberCommitted);
  }

  write(routings: readonly BookingRouting[]): Promise<void> {
    const fresh = routings.filter((r) => this.committed.get(r.reference) === undefined);
    if (fresh.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queued.push({ routings: fresh, settle: (error, failed) => (failed ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    await new Promise<void>((r) => setImmediate(r));
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      try {
        const routings = batch.flatMap((b) => b.routings);
        await this.save(routings);
        for (const r of routings) this.committed.set(r.reference, true);
        for (const b of batch) b.settle(undefined, false);
      } catch (e) {
        for (const b of batch) b.settle(e, true);
      }
    }
    this.writing = false;
  }
}

/** The locations a service calls at, in order. */
function stopsOf(ds: PricedDataset, s: Service): string[] {
  const out = [s.from];
  let cur = s.from;
  for (const id of s.links) {
    const l = links(ds).get(id);
    if (!l) break;
    cur = l.from === cur ? l.to : l.from;
    out.push(cur);
  }
  return out;
}

function locationBy(ds: PricedDataset, code: string): Location | undefined {
  return (
    ds.locations.find((l) => l.id === code) ??
    ds.locations.find((l) => l.locode?.code === code && !l.locode.approximate) ??
    ds.locations.find((l) => l.locode?.code === code)
  );
}

function isoOr(text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback;
  const t = text.length === 10 ? `${text}T00:00:00Z` : text;
  const ms = Date.parse(t);
  if (Number.isNaN(ms))
    throw new BookingRefusal('invalid-request', `"${text}" is not an ISO date or date-time`, { value: text });
  return new Date(ms).toISOString();
}

export class BookingService {
  readonly holdMinutes: number;
  private readonly now: () => string;

  private readonly routingWriter: RoutingWriter;

  constructor(private readonly deps: BookingServiceDeps) {
    this.routingWriter = new RoutingWriter((rs) => this.repo.saveRoutings(rs, this.now()));
    this.holdMinutes = deps.holdMinutes ?? DEFAULT_HOLD_MINUTES;
    this.now = deps.now ?? (() => new Date().toISOString());
    const s = deps.scheduler;
    if (s) {
      s.handle(EXPIRE_JOB, async (p) => {
        await this.expire(String(p.reference));
      });
      s.handle(SWEEP_JOB, async () => {
        await this.sweep();
      });
    }
  }

  /** Starts the periodic sweep of lapsed holds (the safety net for delayed expiry jobs lost in a crash). */
  startSweeps(everyMs = 60_000): void {
    this.deps.scheduler?.every(SWEEP_JOB, everyMs);
  }

  private get repo(): BookingRepository {
    return this.deps.repo;
  }

  /** The routing of each itinerary, stored so a booking can name it by reference. */
  async rememberPlan(p: Prepared<unknown>, answer: PlanAnswer): Promise<BookingRouting[]> {
    const routings = answer.itineraries.map((it) => routingOf(it, links(p.scenario.dataset)));
    await this.routingWriter.write(routings);
    return routings;
  }

  /** Routings the service built with a plan (`planEncoded`), stored. */
  rememberRoutings(routings: readonly BookingRouting[]): Promise<void> {
    return this.routingWriter.write(routings);
  }

  /** The routing of one itinerary, stored. */
  async remember(it: PlanItinerary, ds: PricedDataset): Promise<BookingRouting> {
    const r = routingOf(it, links(ds));
    await this.routingWriter.write([r]);
    return r;
  }

  routing(reference: string): Promise<BookingRouting | undefined> {
    return this.repo.findRouting(reference);
  }

  /** Dated departures of the services with their capacity and what is held and booked. */
  async departures(f: DepartureFilter): Promise<{ departures: DepartureView[]; next: string | null }> {
    const world = this.deps.corridor.world;
    const ds = world.dataset;
    const tt = world.base.timetable;
    const now = this.now();
    const after = isoOr(f.after, now);
    const before = isoOr(f.before, new Date(Date.parse(after) + 14 * 86_400_000).toISOString());
    if (before <= after)
      throw new BookingRefusal('invalid-request', `before (${before}) must be later than after (${after})`, {
        field: 'before',
      });
    if (Date.parse(before) - Date.parse(after) > MAX_WINDOW_DAYS * 86_400_000)
      throw new BookingRefusal(
        'invalid-request',
        `the window from after to before is at most ${MAX_WINDOW_DAYS} days`,
        {
          field: 'before',
        },
      );
    const resolve = (code: string | undefined, field: string) => {
      if (code === undefined) return undefined;
      const l = locationBy(ds, code);
      if (!l) throw new BookingRefusal('not-found', `${field}: no location has id or UN/LOCODE "${code}"`, { field });
      return l.id;
    };
    const from = resolve(f.from, 'from');
    const to = resolve(f.to, 'to');
    if (f.service !== undefined && !(ds.services ?? []).some((s) => s.id === f.service))
      throw new BookingRefusal('not-found', `service: no service "${f.service}"`, {
        field: 'service',
        candidates: (ds.services ?? []).map((s) => s.id),
      });
    const rows: DepartureView[] = [];
    const afterH = Date.parse(after) / 3_600_000;
    const beforeH = Date.parse(before) / 3_600_000;
    for (const s of ds.services ?? []) {
      if (f.service !== undefined && s.id !== f.service) continue;
      const stops = stopsOf(ds, s);
      const i = from === undefined ? 0 : stops.indexOf(from);
      if (i < 0) continue;
      if (to !== undefined && stops.indexOf(to, i + 1) < 0) continue;
      const idx = tt.serviceIndex.get(s.id);
      if (idx === undefined) continue;
      const cap = s.capacityPerDeparture
        ? {
            teu: capacityTeu(s.capacityPerDeparture),
            value: s.capacityPerDeparture.value,
            unit: s.capacityPerDeparture.unit,
            basis: CAPACITY_BASIS,
          }
        : null;
      const base = {
        service: s.id,
        serviceName: s.name,
        operator: s.operator,
        from: s.from,
        stops,
        capacity: cap,
        heldTeu: 0,
        bookedTeu: 0,
        remainingTeu: cap?.teu ?? null,
      };
      const cal = tt.calendars[idx];
      if (cal) {
        for (let t = afterH; ; ) {
          const run = nextDepartureH(cal, t);
          if (run === NO_DEPARTURE || run >= beforeH) break;
          const at = utcMinute(run);
          rows.push({ ...base, id: departureId(s.id, at), kind: 'scheduled', departsAt: at });
          t = run + 1 / 60;
        }
      } else {
        const validFrom = Date.parse(`${s.validFrom}T00:00:00Z`);
        const validTo = Date.parse(`${s.validTo}T00:00:00Z`) + 86_400_000;
        const first = Math.max(Date.parse(after.slice(0, 10)), validFrom);
        for (let d = first; d < Math.min(Date.parse(before), validTo); d += 86_400_000) {
          const day = new Date(d).toISOString().slice(0, 10);
          rows.push({ ...base, id: departureId(s.id, day), kind: 'when-full', departsAt: day });
        }
      }
    }
    rows.sort((a, b) => (a.departsAt < b.departsAt ? -1 : a.departsAt > b.departsAt ? 1 : a.id < b.id ? -1 : 1));
    const start = f.cursor === undefined ? 0 : rows.findIndex((r) => r.id === f.cursor) + 1;
    if (f.cursor !== undefined && start === 0)
      throw new BookingRefusal(
        'invalid-request',
        'cursor: not a departure of this query (filters must stay the same)',
        {
          field: 'cursor',
        },
      );
    const page = rows.slice(start, start + f.limit);
    const used = new Map<string, DepartureUsage>();
    for (const u of await this.repo.departures({ ids: page.map((r) => r.id) })) used.set(u.id, u);
    for (const r of page) {
      const u = used.get(r.id);
      if (!u) continue;
      r.heldTeu = u.heldTeu;
      r.bookedTeu = u.bookedTeu;
      if (r.capacity) r.remainingTeu = Math.max(0, r.capacity.teu - u.heldTeu - u.bookedTeu);
    }
    const last = page[page.length - 1];
    return { departures: page, next: start + f.limit < rows.length && last ? last.id : null };
  }

  /** The legs to hold for a routing, with each departure's capacity as the current World has it. */
  private legsToHold(routing: BookingRouting): LegToHold[] {
    const ds = this.deps.corridor.world.dataset;
    const today = this.now();
    return routing.legs.map((leg) => {
      if (!leg.service) return { leg, departure: null };
      const svc = (ds.services ?? []).find((s) => s.id === leg.service);
      if (!svc)
        throw new BookingRefusal(
          'invalid-request',
          `service ${leg.service} of leg ${leg.seq} is no longer published; plan again for a new routingReference`,
          { field: 'routingReference' },
        );
      if (!leg.departsAt || !svc.capacityPerDeparture) return { leg, departure: null };
      const departsAt = leg.departsAt;
      if ((departsAt.length === 10 ? `${departsAt}T23:59:59Z` : departsAt) < today.slice(0, 16))
        throw new BookingRefusal('invalid-request', `departure ${leg.departure} of leg ${leg.seq} has already left`, {
          field: 'routingReference',
        });
      const departure: DepartureRef = {
        id: departureId(svc.id, departsAt),
        service: svc.id,
        operator: leg.operators[0] ?? svc.operator,
        departsAt,
        capacityTeu: capacityTeu(svc.capacityPerDeparture),
      };
      return { leg, departure };
    });
  }

  private teu(equipments: readonly EquipmentRequest[]): number {
    const ds = this.deps.corridor.world.dataset;
    let teu = 0;
    equipments.forEach((e, i) => {
      const t = teuOf(ds, e.isoCode);
      if (t === undefined)
        throw new BookingRefusal(
          'invalid-request',
          `requestedEquipments[${i}].ISOEquipmentCode: "${e.isoCode}" is not an ISO 6346 size-type code Corridor ` +
            `knows; valid: ${(ds.pricing?.containerTypes ?? []).map((c) => c.code).join(', ') || '2xxx, 4xxx, Lxxx'}`,
          { field: `requestedEquipments[${i}].ISOEquipmentCode` },
        );
      teu += t * e.units;
    });
    return teu;
  }

  /** The routing a request books: the one its routingReference names, else the first planned itinerary. */
  private async routingFor(input: BookingInput): Promise<BookingRouting> {
    if (input.routingReference !== undefined) {
      const r = await this.repo.findRouting(input.routingReference);
      if (!r)
        throw new BookingRefusal(
          'invalid-request',
          `routingReference "${input.routingReference}" names no routing Corridor offered; take one from ` +
            'GET /api/v1/plans (itineraries[].routingReference) or GET /v1/point-to-point-routes',
          { field: 'routingReference' },
        );
      return r;
    }
    const corridor = this.deps.corridor;
    if (!input.origin || !input.destination)
      throw new BookingRefusal(
        'invalid-request',
        'without a routingReference the booking needs shipmentLocations with a place of receipt (PRE) or ' +
          'loading (POL) and a place of delivery (PDE) or discharge (POD)',
        { field: 'shipmentLocations' },
      );
    const ds = corridor.world.dataset;
    const places = [input.origin, input.destination].map((code, i) => {
      const l = locationBy(ds, code);
      if (!l)
        throw new BookingRefusal('invalid-request', `shipmentLocations: no location has UN/LOCODE ${code}`, {
          field: 'shipmentLocations',
          value: code,
          role: i === 0 ? 'origin' : 'destination',
        });
      return l;
    });
    const day = input.departureDate ?? this.now().slice(0, 10);
    const p = await corridor.preparePlan({
      from: places[0]?.id,
      to: places[1]?.id,
      ready: `${day}T00:00`,
      samples: '1',
    });
    const it = corridor.plan(p).itineraries[0];
    if (!it)
      throw new BookingRefusal(
        'invalid-request',
        `no itinerary from ${input.origin} to ${input.destination} on ${day}`,
        {
          field: 'shipmentLocations',
        },
      );
    return this.remember(it, p.scenario.dataset);
  }

  private schedule(b: BookingState): void {
    if (b.holdExpiresAt && this.deps.scheduler)
      void this.deps.scheduler
        .schedule(EXPIRE_JOB, b.holdExpiresAt, { reference: b.reference }, `${b.reference}:${b.version}`)
        .catch(() => undefined);
  }

  /** A new booking: every leg held at once (or a BookingRefusal naming the departure that is full). */
  async book(viewer: Viewer, input: BookingInput, idempotency?: IdempotencyFor): Promise<BookingState> {
    const routing = await this.routingFor(input);
    const change = createBooking({
      reference: reference('BR'),
      owner: ownerOf(viewer),
      request: input.request,
      routingReference: routing.reference,
      legs: this.legsToHold(routing),
      teu: this.teu(input.equipments),
      holdMinutes: this.holdMinutes,
      by: viewer.party,
      now: this.now(),
    });
    const b = await this.repo.create(change, idempotency);
    this.schedule(b);
    return b;
  }

  /** A booking the viewer may see (404 otherwise: another shipper's booking does not exist for them). */
  async get(viewer: Viewer, ref: string): Promise<BookingState> {
    const b = await this.repo.find(ref);
    if (!b || !visible(viewer, b)) throw notFound(ref);
    return b;
  }

  async history(viewer: Viewer, ref: string): Promise<HistoryEntry[]> {
    await this.get(viewer, ref);
    return this.repo.history(ref);
  }

  list(
    viewer: Viewer,
    f: { status?: BookingStatus | undefined; after?: string | undefined; limit: number },
    operator?: string,
  ): Promise<BookingState[]> {
    return this.repo.list({
      limit: f.limit,
      ...(f.status ? { status: f.status } : {}),
      ...(f.after ? { after: f.after } : {}),
      ...(viewer.kind === 'shipper' ? { owner: ownerOf(viewer) } : {}),
      ...(operator !== undefined ? { operator } : {}),
    });
  }

  private async change(
    viewer: Viewer,
    ref: string,
    decide: (b: BookingState) => ReturnType<typeof cancelBooking> | null,
    idempotency?: IdempotencyFor,
  ): Promise<BookingState> {
    const b = await this.repo.update(
      ref,
      (x) => {
        if (!visible(viewer, x)) throw notFound(ref);
        return decide(x);
      },
      idempotency,
    );
    if (!b) throw notFound(ref);
    this.schedule(b);
    return b;
  }

  /** The shipper cancels the request, the confirmed booking, or only its pending amendment. */
  cancel(viewer: Viewer, ref: string, kind: CancelKind, reason: string | null, idem?: IdempotencyFor) {
    return this.change(
      viewer,
      ref,
      (b) => {
        ownerOnly(viewer, b);
        return cancelBooking(b, { kind, reason, by: viewer.party, now: this.now() });
      },
      idem,
    );
  }

  /**
   * The shipper updates (before confirmation) or amends (after) the booking: the new legs are held
   * at once, or nothing changes.
   */
  async update(viewer: Viewer, ref: string, input: BookingInput, idem?: IdempotencyFor): Promise<BookingState> {
    const current = await this.get(viewer, ref);
    ownerOnly(viewer, current);
    const routing =
      input.routingReference === undefined && current.routingReference
        ? await this.routingFor({ ...input, routingReference: current.routingReference })
        : await this.routingFor(input);
    const legs = this.legsToHold(routing);
    const teu = this.teu(input.equipments);
    return this.change(
      viewer,
      ref,
      (b) =>
        updateBooking(b, {
          request: input.request,
          routingReference: routing.reference,
          legs,
          teu,
          holdMinutes: this.holdMinutes,
          by: viewer.party,
          now: this.now(),
        }),
      idem,
    );
  }

  /** An operator confirms or declines its legs (every open one, or leg `seq`). */
  async answer(
    viewer: Viewer,
    ref: string,
    a: { accept: boolean; seq?: number | undefined; reason: string | null },
    idem?: IdempotencyFor,
  ): Promise<BookingState> {
    await this.expire(ref);
    return this.change(
      viewer,
      ref,
      (b) =>
        answerLegs(b, {
          // An admin answers for the operator it names (the route's), or for all when it names none.
          operators: viewer.kind === 'admin' && viewer.operators.length === 0 ? 'any' : viewer.operators,
          accept: a.accept,
          ...(a.seq !== undefined ? { seq: a.seq } : {}),
          reason: a.reason,
          carrierReference: reference('CB'),
          by: viewer.party,
          now: this.now(),
        }),
      idem,
    );
  }

  /** An operator asks the shipper to update the request (or amend the booking). */
  askUpdate(viewer: Viewer, ref: string, reason: string | null): Promise<BookingState> {
    return this.change(viewer, ref, (b) => requestUpdate(b, { reason, by: viewer.party, now: this.now() }));
  }

  /** Releases the booking's holds if they lapsed; true when it did. */
  async expire(ref: string, now = this.now()): Promise<boolean> {
    let changed = false;
    await this.repo.update(ref, (b) => {
      const c = expireHolds(b, now);
      changed = c !== null;
      return c;
    });
    return changed;
  }

  /** Every booking whose holds lapsed by `now`: released. Returns how many. */
  async sweep(now = this.now()): Promise<number> {
    let n = 0;
    for (;;) {
      const due = await this.repo.dueHolds(now, 100);
      if (!due.length) return n;
      for (const ref of due) if (await this.expire(ref, now)) n++;
      if (due.length < 100) return n;
    }
  }
}

function notFound(ref: string): BookingRefusal {
  return new BookingRefusal('not-found', `no booking ${ref}`);
}

export function visible(v: Viewer, b: BookingState): boolean {
  if (v.kind === 'admin') return true;
  if (v.kind === 'shipper') return b.owner === ownerOf(v);
  return b.legs.some((l) => l.operators.some((o) => v.operators.includes(o)));
}

function ownerOnly(v: Viewer, b: BookingState): void {
  if (v.kind === 'admin' || b.owner === ownerOf(v)) return;
  throw new BookingRefusal(
    'forbidden',
    `only the shipper (organisation) that made booking ${b.reference} may change it`,
  );
}

/** The legs in effect, and those of a pending amendment. */
export function currentLegs(b: BookingState) {
  return { legs: legsOf(b, b.generation), amendment: b.pendingGeneration ? legsOf(b, b.pendingGeneration) : null };
}
