/**
 * Track & trace use cases: ingest operators' DCSA events (deduplicated, placed on each booking's
 * legs, impossible sequences flagged), answer event queries within what the caller may see, and
 * keep the live forecast of every booking — re-computed after each accepted milestone from the
 * schedules engine's timed plan of the booking, with its alerts — as a history of revisions.
 *
 * Bookings are the shipments; the service knows them through a `ShipmentDirectory` (the bookings
 * store in the server, a fixture in tests), so tracking does not depend on how bookings are kept.
 */
import { CorridorError } from '../model/errors.js';
import { operatedBy } from '../model/operators.js';
import { planWithPaths } from '../schedule/plan.js';
import { hashSeed } from '../schedule/rng.js';
import type { TimedPath } from '../schedule/search.js';
import { type Alert, type AlertRules, alertsBetween, DEFAULT_ALERT_RULES } from '../tracking/alerts.js';
import type {
  EventBookingLink,
  NewTrackingEvent,
  RevisionNotification,
  StoredTrackingEvent,
  TrackingRepository,
} from '../tracking/records.js';
import { bookingReferences, type DcsaEvent, eventLocode, eventTypeCode } from '../tracking/events.js';
import {
  type ForecastPlan,
  forecastPlan,
  type LiveForecast,
  liveForecast,
  type Position,
} from '../tracking/forecast.js';
import { impossibility, PHASES, type Placement, placeEvent, type TrackedLeg } from '../tracking/sequence.js';
import { transportDocumentOf } from '../tracking/subscriptions.js';
import type { RawOptions } from './fields.js';
import type { CorridorService } from './service.js';

/** Who asks (the API's principal, structurally). */
export interface Viewer {
  keyId: string;
  role: 'viewer' | 'planner' | 'operator' | 'admin';
  operator: string | null;
  /** The owner token of its bookings (its organisation); absent: the key id. */
  owner?: string;
}

export interface TrackedShipment {
  reference: string;
  legs: TrackedLeg[];
  /** The plan request the booking was made from (raw options, as for GET /api/v1/plans). */
  planRequest: RawOptions;
  /** Per leg: service id (or null) and planned departure instant (ISO), to find the booked itinerary again. */
  legKeys: { service: string | null; departure: string }[];
  /**
   * Who is told of its alerts (the outbox's parties: the shipper's owner id, `operator:<id>` for
   * each operator of its legs); none when absent.
   */
  audience?: readonly string[];
}

export interface ShipmentDirectory {
  find(references: readonly string[]): Promise<Map<string, TrackedShipment>>;
  /** The bookings the viewer may see events of; 'all' for no restriction. */
  visibleTo(viewer: Viewer): Promise<readonly string[] | 'all'>;
}

export const NO_SHIPMENTS: ShipmentDirectory = {
  find: async () => new Map(),
  visibleTo: async (v) => (v.role === 'admin' ? 'all' : []),
};

export type IngestOutcome = 'accepted' | 'flagged' | 'duplicate' | 'conflict';

export interface IngestItem {
  eventID: string;
  outcome: IngestOutcome;
  /** Per booking: the leg it marks and why it is flagged, if it is. */
  bookings: EventBookingLink[];
}

export interface IngestResult {
  items: IngestItem[];
  counts: Record<IngestOutcome, number>;
  /** Bookings whose position changed: a new forecast revision follows (see `settled`). */
  forecastsQueued: string[];
  stored: StoredTrackingEvent[];
}

/** A request-level refusal the edge renders (403 / 422) with the events at fault. */
export class TrackingRefusal extends Error {
  constructor(
    readonly kind: 'forbidden' | 'unknown-booking' | 'conflict',
    message: string,
    readonly events: { index: number; eventID: string; reason: string }[],
  ) {
    super(message);
  }
}

export interface ForecastBody {
  booking: string;
  computedAt: string;
  asOf: string;
  position: (Position & { at: string }) | null;
  p10: string | null;
  p50: string | null;
  p90: string | null;
  unservedShare: number;
  connections: { leg: number; service: string; plannedDeparture: string; reachableShare: number }[];
  currentLegP90: string | null;
  alerts: Alert[];
  samples: number;
  seed: number;
  raw: LiveForecast;
}

const isoH = (h: number | null) => (h === null ? null : new Date(h * 3_600_000).toISOString());
const toH = (iso: string) => Date.parse(iso) / 3_600_000;

export const FORECAST_SAMPLES = 2000;
/** Bookings forecast per store transaction. */
const FORECAST_BATCH = 200;
/** Itineraries kept compiled for forecasting (cleared when full; one re-plan each brings them back). */
const PLAN_CACHE = 1000;
const READY_FALLBACKS_H = [0, 6, 24, 72];

export class TrackingService {
  private readonly plans = new Map<string, { revision: number; plan: ForecastPlan }>();
  /**
   * Bookings waiting for a new forecast revision. Forecasting runs after the ingestion answered,
   * one booking at a time, and a booking with several new events in the queue is forecast once:
   * a railway's batch of a thousand events must not wait for a thousand Monte Carlo runs.
   */
  private readonly pending = new Map<string, { shipment: TrackedShipment; trigger: string; now: string }>();
  /** The newest forecast per booking, to compare the next one with (alerts) without a read. */
  private readonly lastForecast = new Map<string, LiveForecast | null>();
  private draining: Promise<void> | null = null;
  /** Called with each new forecast revision and its alerts (notifications, event streams). */
  readonly forecastListeners: ((f: { booking: string; revision: number; alerts: Alert[] }) => void)[] = [];
  /** Errors of background forecasts (logged by the edge). */
  onError: (e: unknown) => void = () => undefined;

  private drain(): void {
    if (this.draining) return;
    this.draining = (async () => {
      while (this.pending.size > 0) {
        const jobs = [...this.pending.values()].slice(0, FORECAST_BATCH);
        for (const j of jobs) this.pending.delete(j.shipment.reference);
        try {
          const computed: { booking: string; body: ForecastBody }[] = [];
          for (const j of jobs) {
            const body = await this.computeForecast(j.shipment, j.now);
            if (body) computed.push({ booking: j.shipment.reference, body });
          }
          const revs = await this.records.appendForecasts(
            computed.map((c) => {
              const job = jobs.find((j) => j.shipment.reference === c.booking);
              return {
                booking: c.booking,
                body: c.body as unknown as Record<string, unknown>,
                triggerEventID: job?.trigger || null,
                notifications: alertNotifications(c.body, job?.shipment.audience ?? []),
              };
            }),
            jobs[0]?.now ?? new Date().toISOString(),
          );
          revs.forEach((r, i) => {
            const c = computed[i];
            if (!c) return;
            this.lastForecast.set(r.booking, c.body.raw);
            for (const l of this.forecastListeners)
              l({ booking: r.booking, revision: r.revision, alerts: c.body.alerts });
          });
        } catch (e) {
          this.onError(e);
        }
      }
    })().finally(() => {
      this.draining = null;
    });
  }

  /** Resolves when every queued forecast is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  constructor(
    private readonly service: CorridorService,
    private readonly records: TrackingRepository,
    /** Replaceable: the server wires in the bookings, tests a fixture. */
    public directory: ShipmentDirectory,
    private readonly rules: AlertRules = DEFAULT_ALERT_RULES,
  ) {}

  /** The timed path of the booked itinerary in the current World, found again from the plan request. */
  async forecastPlanOf(s: TrackedShipment): Promise<ForecastPlan> {
    const world = this.service.world;
    // Bookings of the same itinerary (a block train's) share one plan.
    const key = JSON.stringify([s.planRequest, s.legKeys]);
    const hit = this.plans.get(key);
    if (hit && hit.revision === world.revision) return hit.plan;
    let found: { tt: ForecastPlan['tt']; path: TimedPath; readyH: number } | undefined;
    // The booked departures are found again from the plan's ready time, or a little earlier when
    // a cut-off or a departs-when-full wait sits before the first departure.
    for (const earlierH of READY_FALLBACKS_H) {
      const ready = s.planRequest.ready;
      const raw =
        earlierH === 0 || typeof ready !== 'string'
          ? s.planRequest
          : { ...s.planRequest, ready: new Date(Date.parse(ready) - earlierH * 3_600_000).toISOString() };
      const p = await this.service.preparePlan({ ...raw, samples: '1' });
      const { scenario: sw, request: req } = p;
      const { paths, readyH } = planWithPaths(sw.timetable, {
        from: req.from,
        to: req.to,
        ready: req.ready,
        ...req.constraints,
        samples: 1,
      });
      const path = matchPath(sw.timetable, paths, s);
      if (path) {
        found = { tt: sw.timetable, path, readyH };
        break;
      }
    }
    if (!found)
      throw new CorridorError(
        'no-route',
        `booking ${s.reference}: its itinerary is no longer in the timetable; the forecast needs the booked departures`,
      );
    const plan = forecastPlan(found.tt, found.path.steps, found.readyH);
    if (this.plans.size >= PLAN_CACHE) this.plans.clear();
    this.plans.set(key, { revision: world.revision, plan });
    return plan;
  }

  async ingest(events: readonly DcsaEvent[], poster: Viewer, now: string): Promise<IngestResult> {
    const refs = new Set<string>();
    const missing: { index: number; eventID: string; reason: string }[] = [];
    events.forEach((e, index) => {
      const b = bookingReferences(e);
      if (b.length === 0)
        missing.push({
          index,
          eventID: e.eventID,
          reason: 'names no booking: add documentReferences [{documentReferenceType: BKG, documentReferenceValue}]',
        });
      for (const r of b) refs.add(r);
    });
    const shipments = await this.directory.find([...refs]);
    events.forEach((e, index) => {
      for (const r of bookingReferences(e))
        if (!shipments.has(r)) missing.push({ index, eventID: e.eventID, reason: `unknown booking ${r}` });
    });
    if (missing.length)
      throw new TrackingRefusal('unknown-booking', `${missing.length} event(s) name no known booking`, missing);

    const placements = events.map((e) => {
      const m = new Map<string, Placement | null>();
      for (const r of bookingReferences(e)) {
        const s = shipments.get(r);
        m.set(r, s ? placeEvent(s.legs, e) : null);
      }
      return m;
    });
    if (poster.role !== 'admin') {
      const denied: { index: number; eventID: string; reason: string }[] = [];
      events.forEach((e, index) => {
        for (const [r, p] of placements[index] ?? []) {
          const s = shipments.get(r);
          if (!s) continue;
          const legs = p ? [s.legs[p.leg]] : s.legs.filter((l) => legAt(l, e));
          if (legs.length === 0 || legs.some((l) => !l || !operatedBy(l.operator, poster.operator ?? '')))
            denied.push({
              index,
              eventID: e.eventID,
              reason:
                `booking ${r}: ${eventTypeCode(e)} at ${eventLocode(e) ?? '(no UN/LOCODE)'} is not on a leg ` +
                `operated by ${poster.operator ?? '(no operator)'}`,
            });
        }
      });
      if (denied.length)
        throw new TrackingRefusal('forbidden', `${denied.length} event(s) are for legs this key does not run`, denied);
    }

    const accepted = await this.records.acceptedPlacements([...shipments.keys()]);
    const known = new Map<string, Placement[]>();
    for (const [b, list] of accepted)
      known.set(
        b,
        list.map((a) => ({
          leg: a.leg,
          rank: a.rank,
          phase: PHASES[a.rank % 10] ?? 'DEPA',
          atMs: Date.parse(a.eventAt),
        })),
      );
    const seenInBatch = new Set<string>();
    const rows: NewTrackingEvent[] = [];
    const rowLinks: EventBookingLink[][] = [];
    events.forEach((e, index) => {
      const links: EventBookingLink[] = [];
      const duplicateInBatch = seenInBatch.has(e.eventID);
      seenInBatch.add(e.eventID);
      for (const [r, p] of placements[index] ?? []) {
        const s = shipments.get(r);
        const actual = e.eventClassifierCode === 'ACT';
        if (!s || !p || !actual) {
          links.push({ booking: r, leg: p?.leg ?? null, rank: null, flag: null });
          continue;
        }
        const list = known.get(r) ?? [];
        const flag = impossibility(list, p, s.legs);
        if (!flag && !duplicateInBatch) {
          list.push(p);
          known.set(r, list);
        }
        links.push({ booking: r, leg: p.leg, rank: p.rank, flag });
      }
      rowLinks.push(links);
      rows.push(toRow(e, poster, links));
    });
    const stored = await this.records.insertEvents(rows, now);
    const insertedIds = new Set(stored.inserted.map((x) => x.eventID));
    const dup = new Set(stored.duplicates);
    const items: IngestItem[] = [];
    const counts: Record<IngestOutcome, number> = { accepted: 0, flagged: 0, duplicate: 0, conflict: 0 };
    const moved = new Map<string, string>();
    const taken = new Set<string>();
    events.forEach((e, index) => {
      const links = rowLinks[index] ?? [];
      let outcome: IngestOutcome;
      if (insertedIds.has(e.eventID) && !taken.has(e.eventID)) {
        taken.add(e.eventID);
        outcome = links.some((l) => l.flag) ? 'flagged' : 'accepted';
        for (const l of links) if (l.rank !== null && !l.flag) moved.set(l.booking, e.eventID);
      } else outcome = dup.has(e.eventID) || taken.has(e.eventID) ? 'duplicate' : 'conflict';
      counts[outcome]++;
      items.push({ eventID: e.eventID, outcome, bookings: links });
    });
    for (const [booking, trigger] of moved) {
      const sh = shipments.get(booking);
      if (sh) this.pending.set(booking, { shipment: sh, trigger, now });
    }
    this.drain();
    return { items, counts, forecastsQueued: [...moved.keys()], stored: stored.inserted };
  }

  /** The next forecast of a booking from its accepted milestones; null when its itinerary is gone. */
  async computeForecast(s: TrackedShipment, now: string): Promise<ForecastBody | null> {
    let plan: ForecastPlan;
    try {
      plan = await this.forecastPlanOf(s);
    } catch (e) {
      if (e instanceof CorridorError) return null;
      throw e;
    }
    const accepted = (await this.records.acceptedPlacements([s.reference])).get(s.reference) ?? [];
    let position: Position | null = null;
    let asOfH = plan.readyH;
    for (const a of accepted) {
      const atH = toH(a.eventAt);
      asOfH = Math.max(asOfH, atH);
      if (!position || a.rank > position.leg * 10 + PHASES.indexOf(position.phase))
        position = { leg: a.leg, phase: PHASES[a.rank % 10] ?? 'DEPA', atH };
    }
    const seed = hashSeed(1, s.reference);
    const next = liveForecast(plan, position, asOfH, FORECAST_SAMPLES, seed);
    let prev = this.lastForecast.get(s.reference);
    if (prev === undefined) {
      const history = await this.records.listForecasts(s.reference);
      const last = history[history.length - 1];
      prev = last ? ((last.body as unknown as ForecastBody).raw ?? null) : null;
    }
    const alerts = alertsBetween(prev, next, this.rules);
    return {
      booking: s.reference,
      computedAt: now,
      asOf: isoH(asOfH) ?? now,
      position: position ? { ...position, at: isoH(position.atH) ?? '' } : null,
      p10: isoH(next.p10H),
      p50: isoH(next.p50H),
      p90: isoH(next.p90H),
      unservedShare: next.unservedShare,
      connections: next.connections.map((c) => ({
        leg: c.leg,
        service: c.service,
        plannedDeparture: isoH(c.plannedDepartureH) ?? '',
        reachableShare: c.reachableShare,
      })),
      currentLegP90: isoH(next.currentLegP90H),
      alerts,
      samples: next.samples,
      seed: next.seed,
      raw: next,
    };
  }

  /** Queues a booking for a new forecast revision (e.g. when it is booked, before any event). */
  requestForecast(s: TrackedShipment, trigger: string | null, now: string): void {
    this.pending.set(s.reference, { shipment: s, trigger: trigger ?? '', now });
    this.drain();
  }

  async visibleBookings(viewer: Viewer): Promise<readonly string[] | undefined> {
    if (viewer.role === 'admin') return undefined;
    const v = await this.directory.visibleTo(viewer);
    return v === 'all' ? undefined : v;
  }
}

/** Does an event's place touch this leg (either end)? */
function legAt(l: TrackedLeg, e: DcsaEvent): boolean {
  const at = eventLocode(e);
  return at !== null && (l.from === at || l.to === at);
}

function toRow(e: DcsaEvent, poster: Viewer, links: EventBookingLink[]): NewTrackingEvent {
  const tc = e.transportCall;
  return {
    eventID: e.eventID,
    eventType: e.eventType,
    classifier: e.eventClassifierCode,
    typeCode: eventTypeCode(e),
    eventAt: new Date(Date.parse(e.eventDateTime)).toISOString(),
    eventCreatedAt: new Date(Date.parse(e.eventCreatedDateTime)).toISOString(),
    locode: eventLocode(e),
    equipmentReference: e.equipmentReference ?? null,
    transportCallID: tc?.transportCallID ?? null,
    carrierServiceCode: tc?.carrierServiceCode ?? null,
    vesselIMONumber: tc?.vessel?.vesselIMONumber ?? null,
    exportVoyageNumber: tc?.exportVoyageNumber ?? null,
    documentTypeCode: e.documentTypeCode ?? null,
    transportDocumentReference: transportDocumentOf(e),
    postedBy: poster.keyId,
    body: JSON.stringify(e),
    links,
  };
}

/**
 * The path whose legs ride the booked services at the booked departures (to the minute); legs
 * without a service (continuous links, whose departure follows the cargo) match by service only.
 */
function matchPath(tt: ForecastPlan['tt'], paths: readonly TimedPath[], s: TrackedShipment): TimedPath | undefined {
  const key = (service: string | null, departureMin: number) => (service ? `${service}@${departureMin}` : '-');
  const wanted = s.legKeys.map((k) => key(k.service, Math.round(Date.parse(k.departure) / 60_000))).join(' ');
  return paths.find((p) => {
    const fp = forecastPlan(tt, p.steps, 0);
    const keys = [...fp.legStep].map((k) => {
      const st = p.steps[k];
      const svc = st && st.edge < 0 ? (tt.services[tt.rideService[-st.edge - 1] ?? 0]?.id ?? null) : null;
      return key(svc, Math.round((st?.departureH ?? 0) * 60));
    });
    return keys.join(' ') === wanted;
  });
}

/** The topic of alert notifications (a CloudEvent `org.corridor.tracking.alert` to webhook subscribers). */
export const ALERT_TOPIC = 'tracking.alert';

/**
 * One notification per alert of a new forecast revision, written with the revision (so an alert is
 * sent exactly when it is recorded). The revision number is not known before the write, so the
 * payload names the trigger event and the forecast's time; `GET …/eta` has the revision.
 */
export function alertNotifications(body: ForecastBody, audience: readonly string[]): RevisionNotification[] {
  if (audience.length === 0) return [];
  return body.alerts.map((a) => ({
    topic: ALERT_TOPIC,
    audience,
    payload: {
      carrierBookingRequestReference: body.booking,
      alert: a.kind,
      message: a.message,
      ...(a.leg !== undefined ? { leg: a.leg } : {}),
      ...(a.hours !== undefined ? { hours: a.hours } : {}),
      forecastAsOf: body.asOf,
      p10: body.p10,
      p50: body.p50,
      p90: body.p90,
    },
  }));
}
