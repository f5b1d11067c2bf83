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
import type { Store } from '../store/store.js';
import type { EventBookingLink, NewTrackingEvent, StoredTrackingEvent } from '../store/tracking.js';
import { type Alert, type AlertRules, alertsBetween, DEFAULT_ALERT_RULES } from '../tracking/alerts.js';
import { bookingReferences, type DcsaEvent, eventLocode, eventTypeCode } from '../tracking/events.js';
import {
  type ForecastPlan,
  forecastPlan,
  type LiveForecast,
  liveForecast,
  type Position,
} from '../tracking/forecast.js';
import { impossibility, PHASES, type Placement, placeEvent, type TrackedLeg } from '../tracking/sequence.js';
import type { RawOptions } from './fields.js';
import type { CorridorService } from './service.js';

/** Who asks (the API's principal, structurally). */
export interface Viewer {
  keyId: string;
  role: 'viewer' | 'planner' | 'operator' | 'admin';
  operator: string | null;
}

export interface TrackedShipment {
  reference: string;
  legs: TrackedLeg[];
  /** The plan request the booking was made from (raw options, as for GET /api/v1/plans). */
  planRequest: RawOptions;
  /** Per leg: service id (or null) and planned departure instant (ISO), to find the booked itinerary again. */
  legKeys: { service: string | null; departure: string }[];
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
  /** New forecast revisions (one per booking whose position changed). */
  forecasts: { booking: string; revision: number; alerts: Alert[] }[];
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

export class TrackingService {
  private readonly plans = new Map<string, { revision: number; plan: ForecastPlan }>();

  constructor(
    private readonly service: CorridorService,
    private readonly store: Store,
    /** Replaceable: the server wires in the bookings, tests a fixture. */
    public directory: ShipmentDirectory,
    private readonly rules: AlertRules = DEFAULT_ALERT_RULES,
  ) {}

  /** The timed path of the booked itinerary in the current World, found again from the plan request. */
  async forecastPlanOf(s: TrackedShipment): Promise<ForecastPlan> {
    const world = this.service.world;
    const hit = this.plans.get(s.reference);
    if (hit && hit.revision === world.revision) return hit.plan;
    const p = await this.service.preparePlan({ ...s.planRequest, samples: '1' });
    const { scenario: sw, request: req } = p;
    const { paths, readyH } = planWithPaths(sw.timetable, {
      from: req.from,
      to: req.to,
      ready: req.ready,
      ...req.constraints,
      samples: 1,
    });
    const path = matchPath(sw.timetable, paths, s);
    if (!path)
      throw new CorridorError(
        'no-route',
        `booking ${s.reference}: its itinerary is no longer in the timetable; the forecast needs the booked departures`,
      );
    const plan = forecastPlan(sw.timetable, path.steps, readyH);
    this.plans.set(s.reference, { revision: world.revision, plan });
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

    const accepted = await this.store.tracking.acceptedPlacements([...shipments.keys()]);
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
    const stored = await this.store.tracking.insertEvents(rows, now);
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
    const forecasts: IngestResult['forecasts'] = [];
    for (const [booking, trigger] of moved) {
      const s = shipments.get(booking);
      if (!s) continue;
      const f = await this.reforecast(s, trigger, now);
      if (f) forecasts.push(f);
    }
    return { items, counts, forecasts, stored: stored.inserted };
  }

  /** A new forecast revision from the booking's accepted milestones; null when its itinerary is gone. */
  async reforecast(
    s: TrackedShipment,
    trigger: string | null,
    now: string,
  ): Promise<{ booking: string; revision: number; alerts: Alert[] } | null> {
    let plan: ForecastPlan;
    try {
      plan = await this.forecastPlanOf(s);
    } catch (e) {
      if (e instanceof CorridorError) return null;
      throw e;
    }
    const accepted = (await this.store.tracking.acceptedPlacements([s.reference])).get(s.reference) ?? [];
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
    const history = await this.store.tracking.listForecasts(s.reference);
    const last = history[history.length - 1];
    const prev = last ? ((last.body as unknown as ForecastBody).raw ?? null) : null;
    const alerts = alertsBetween(prev, next, this.rules);
    const body: ForecastBody = {
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
    const rev = await this.store.tracking.appendForecast(
      s.reference,
      body as unknown as Record<string, unknown>,
      trigger,
      now,
    );
    return { booking: s.reference, revision: rev.revision, alerts };
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
  const tdr = (e.documentReferences ?? []).find((r) => r.documentReferenceType === 'TRD')?.documentReferenceValue;
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
    transportDocumentReference:
      tdr ?? (e.eventType === 'SHIPMENT' && e.documentTypeCode === 'TRD' ? (e.documentID ?? null) : null),
    postedBy: poster.keyId,
    body: JSON.stringify(e),
    links,
  };
}

/** The path whose legs ride the booked services at the booked departures (to the minute). */
function matchPath(tt: ForecastPlan['tt'], paths: readonly TimedPath[], s: TrackedShipment): TimedPath | undefined {
  const wanted = s.legKeys.map((k) => `${k.service ?? '-'}@${Math.round(Date.parse(k.departure) / 60_000)}`).join(' ');
  return paths.find((p) => {
    const fp = forecastPlan(tt, p.steps, 0);
    const keys = [...fp.legStep].map((k) => {
      const st = p.steps[k];
      const svc = st && st.edge < 0 ? (tt.services[tt.rideService[-st.edge - 1] ?? 0]?.id ?? '-') : '-';
      return `${svc}@${Math.round((st?.departureH ?? 0) * 60)}`;
    });
    return keys.join(' ') === wanted;
  });
}
