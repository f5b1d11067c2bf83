/**
 * The shipment page's reading of track & trace (pure: tested without a browser): a Server-Sent
 * Events parser for the booking's stream, the timeline of milestones (planned against estimated
 * and actual), the container's last known position, the alerts, and the ETA band's chart geometry.
 */
import { linearScale } from '../chart/scale.ts';
import type { BookingLeg } from './model.ts';

// --- Server-Sent Events (the WHATWG event-stream format), fed chunk by chunk

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * An incremental event-stream parser. The page reads the stream with fetch (EventSource cannot
 * send the API key), so it parses the bytes itself: lines end in LF, CR or CRLF, `:` starts a
 * comment, a blank line dispatches, `data` lines join with LF, the last `id` is remembered.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private hasData = false;
  lastEventId: string | null = null;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.hasData) {
        out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
      }
      this.event = '';
      this.data = [];
      this.hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
  }
}

// --- DCSA events on the itinerary

/** The fields of a DCSA Track & Trace 2.2 event the page reads. */
export interface TntEvent {
  eventID: string;
  eventType: string;
  eventClassifierCode: string;
  eventDateTime: string;
  transportEventTypeCode?: string;
  equipmentEventTypeCode?: string;
  shipmentEventTypeCode?: string;
  transportCall?: { UNLocationCode?: string; carrierServiceCode?: string; modeOfTransport?: string };
  eventLocation?: { UNLocationCode?: string };
  delayReasonCode?: string;
}

export const PHASES = ['GTIN', 'LOAD', 'DEPA', 'ARRI', 'DISC', 'GTOT'] as const;
export type Phase = (typeof PHASES)[number];
const ORIGIN_SIDE: readonly string[] = ['GTIN', 'LOAD', 'DEPA'];

const PHASE_TEXT: Record<Phase, string> = {
  GTIN: 'gate in',
  LOAD: 'loaded',
  DEPA: 'departed',
  ARRI: 'arrived',
  DISC: 'discharged',
  GTOT: 'gate out',
};
const CLASSIFIER_TEXT: Record<string, string> = { PLN: 'planned', EST: 'estimated', ACT: 'actual' };

export const typeCode = (e: TntEvent): string =>
  e.transportEventTypeCode ?? e.equipmentEventTypeCode ?? e.shipmentEventTypeCode ?? '';
export const locode = (e: TntEvent): string | null =>
  e.transportCall?.UNLocationCode ?? e.eventLocation?.UNLocationCode ?? null;

/**
 * The leg (index in travel order) and milestone an event marks, by the server's rule
 * (src/tracking/sequence.ts): departure-side events belong to the leg leaving the place,
 * arrival-side ones to the leg reaching it, the service code choosing between two.
 */
export function placeOnLegs(legs: readonly BookingLeg[], e: TntEvent): { leg: number; phase: Phase } | null {
  const code = typeCode(e);
  const at = locode(e);
  if (at === null || !(PHASES as readonly string[]).includes(code)) return null;
  const origin = ORIGIN_SIDE.includes(code);
  const candidates = legs.flatMap((l, i) => ((origin ? l.from : l.to) === at ? [i] : []));
  const svc = e.transportCall?.carrierServiceCode;
  const leg = candidates.find((i) => svc !== undefined && legs[i]?.service === svc) ?? candidates[0];
  return leg === undefined ? null : { leg, phase: code as Phase };
}

const ms = (t: string) => Date.parse(t);

export interface TimelineRow {
  /** 1-based leg number. */
  leg: number;
  milestone: 'departure' | 'arrival';
  place: string;
  planned: string;
  /** Latest estimate (EST), if any and no actual yet. */
  estimated: string | null;
  actual: string | null;
  /** Hours late (+) or early (−) of the actual, else the estimate, against the plan. */
  deltaH: number | null;
}

/** Per leg, its departure and arrival: planned (the booking), estimated and actual (DEPA/ARRI events). */
export function timeline(legs: readonly BookingLeg[], events: readonly TntEvent[]): TimelineRow[] {
  const sorted = [...legs].sort((a, b) => a.seq - b.seq);
  const rows: TimelineRow[] = [];
  sorted.forEach((l, i) => {
    for (const milestone of ['departure', 'arrival'] as const) {
      const phase = milestone === 'departure' ? 'DEPA' : 'ARRI';
      const planned = milestone === 'departure' ? l.departureTime : l.arrivalTime;
      const mine = events.filter((e) => {
        const p = placeOnLegs(sorted, e);
        return p !== null && p.leg === i && p.phase === phase;
      });
      const latest = (c: string) =>
        mine
          .filter((e) => e.eventClassifierCode === c)
          .sort((a, b) => ms(a.eventDateTime) - ms(b.eventDateTime))
          .at(c === 'ACT' ? 0 : -1)?.eventDateTime ?? null;
      const actual = latest('ACT');
      const estimated = actual ? null : latest('EST');
      const seen = actual ?? estimated;
      rows.push({
        leg: l.seq,
        milestone,
        place: milestone === 'departure' ? l.from : l.to,
        planned,
        estimated,
        actual,
        deltaH: seen ? Math.round(((ms(seen) - ms(planned)) / 3_600_000) * 10) / 10 : null,
      });
    }
  });
  return rows;
}

export interface Position {
  /** UN/LOCODE of the last actual milestone. */
  at: string;
  /** 1-based leg number. */
  leg: number;
  phase: Phase;
  time: string;
  /** "departed CNXIA on leg 1 (CNXIA → KZDOS)". */
  text: string;
  /** Between the places of its leg (departed, not yet arrived). */
  inTransit: boolean;
}

/**
 * Where the container was last seen: the actual milestone furthest along the itinerary (physical
 * order, as the forecast takes it), the latest by time among equals; null before any.
 */
export function lastKnownPosition(legs: readonly BookingLeg[], events: readonly TntEvent[]): Position | null {
  const sorted = [...legs].sort((a, b) => a.seq - b.seq);
  let best: { rank: number; t: number; e: TntEvent; leg: number; phase: Phase } | null = null;
  for (const e of events) {
    if (e.eventClassifierCode !== 'ACT') continue;
    const p = placeOnLegs(sorted, e);
    if (!p) continue;
    const rank = p.leg * 10 + PHASES.indexOf(p.phase);
    const t = ms(e.eventDateTime);
    if (!best || rank > best.rank || (rank === best.rank && t > best.t)) best = { rank, t, e, ...p };
  }
  if (!best) return null;
  const l = sorted[best.leg];
  const at = locode(best.e) ?? '';
  return {
    at,
    leg: l?.seq ?? best.leg + 1,
    phase: best.phase,
    time: best.e.eventDateTime,
    text: `${PHASE_TEXT[best.phase]} ${at} on leg ${l?.seq ?? best.leg + 1}${l ? ` (${l.from} → ${l.to})` : ''}`,
    inTransit: best.phase === 'DEPA',
  };
}

/** Events in the order they happened (eventDateTime), newest last; duplicates by eventID dropped. */
export function orderedEvents(events: readonly TntEvent[]): TntEvent[] {
  const seen = new Map<string, TntEvent>();
  for (const e of events) if (!seen.has(e.eventID)) seen.set(e.eventID, e);
  return [...seen.values()].sort(
    (a, b) => ms(a.eventDateTime) - ms(b.eventDateTime) || a.eventID.localeCompare(b.eventID),
  );
}

/** "actual DEPA (departed) at CNXIA". */
export function eventText(e: TntEvent): string {
  const code = typeCode(e);
  const phase = (PHASES as readonly string[]).includes(code) ? ` (${PHASE_TEXT[code as Phase]})` : '';
  const at = locode(e);
  return `${CLASSIFIER_TEXT[e.eventClassifierCode] ?? e.eventClassifierCode} ${code}${phase}${at ? ` at ${at}` : ''}`;
}

// --- the live forecast

export interface EtaRevision {
  revision: number;
  computedAt?: string;
  /** The instant the forecast is conditioned on (the latest milestone's time). */
  asOf: string;
  p10: string | null;
  p50: string | null;
  p90: string | null;
  alerts?: { kind: string; message: string; leg?: number; hours?: number }[];
}

export interface Alert {
  revision: number;
  kind: string;
  message: string;
}

/** Every revision's alerts, newest first. */
export function alertsOf(revisions: readonly EtaRevision[]): Alert[] {
  return [...revisions]
    .sort((a, b) => b.revision - a.revision)
    .flatMap((r) => (r.alerts ?? []).map((a) => ({ revision: r.revision, kind: a.kind, message: a.message })));
}

export interface EtaChart {
  width: number;
  height: number;
  /** SVG path of the P10–P90 band (closed), '' with fewer than one full revision. */
  band: string;
  /** SVG path of the P50 line. */
  p50: string;
  points: { x: number; y: number; revision: number; p50: string }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  plot: { left: number; top: number; right: number; bottom: number };
}

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayLabel = (t: number) => {
  const d = new Date(t);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return t % DAY_MS === 0 ? day : `${day} ${d.toISOString().slice(11, 16)}`;
};

/**
 * The ETA band over time: across, when each revision was made (its `asOf`, in days); up, the
 * arrival (P10–P90 band, P50 line). Revisions without a full band are left out (the forecast did
 * not reach P90 in enough draws). Axis values are UTC days from the first revision, labelled as dates.
 */
export function etaChart(revisions: readonly EtaRevision[], width = 360, height = 200): EtaChart {
  const plot = { left: 78, top: 10, right: width - 12, bottom: height - 28 };
  const full = [...revisions]
    .filter((r) => r.p10 && r.p50 && r.p90 && Number.isFinite(ms(r.asOf)))
    .sort((a, b) => ms(a.asOf) - ms(b.asOf) || a.revision - b.revision)
    .map((r) => ({ r, x: ms(r.asOf), p10: ms(r.p10 ?? ''), p50: ms(r.p50 ?? ''), p90: ms(r.p90 ?? '') }));
  const empty: EtaChart = { width, height, band: '', p50: '', points: [], xTicks: [], yTicks: [], plot };
  const first = full[0];
  if (!first) return empty;
  // Days relative to a UTC midnight, so nice ticks fall on whole days.
  const t0 = Math.floor(Math.min(first.x, ...full.map((f) => f.p10)) / DAY_MS) * DAY_MS;
  const d = (t: number) => (t - t0) / DAY_MS;
  // At least two days across, and room above and below the band, so one revision reads as a band.
  const xv = full.map((f) => d(f.x));
  const x0 = Math.min(...xv);
  const x1 = Math.max(...xv);
  const xPad = Math.max(0, 2 - (x1 - x0)) / 2;
  const xs = linearScale([x0 - xPad, x1 + xPad], [plot.left, plot.right], 4);
  const yv = full.flatMap((f) => [d(f.p10), d(f.p90)]);
  const y0 = Math.min(...yv);
  const y1 = Math.max(...yv);
  const yPad = Math.max(0.5, (y1 - y0) * 0.15);
  const ys = linearScale([y0 - yPad, y1 + yPad], [plot.bottom, plot.top], 4);
  const X = (t: number) => round(xs(d(t)));
  const Y = (t: number) => round(ys(d(t)));
  // A single revision is drawn as a short band so it stays visible.
  const spread = full.length === 1 ? [first.x - DAY_MS / 4, first.x + DAY_MS / 4] : null;
  const upper = full.flatMap((f, i) =>
    spread && i === 0 ? spread.map((x) => [X(x), Y(f.p90)]) : [[X(f.x), Y(f.p90)]],
  );
  const lower = full.flatMap((f, i) =>
    spread && i === 0 ? spread.map((x) => [X(x), Y(f.p10)]) : [[X(f.x), Y(f.p10)]],
  );
  const mid = full.flatMap((f, i) => (spread && i === 0 ? spread.map((x) => [X(x), Y(f.p50)]) : [[X(f.x), Y(f.p50)]]));
  const path = (pts: number[][]) => pts.map(([x, y], i) => `${i ? 'L' : 'M'}${x},${y}`).join(' ');
  return {
    width,
    height,
    band: `${path([...upper, ...lower.reverse()])} Z`,
    p50: path(mid),
    points: full.map((f) => ({ x: X(f.x), y: Y(f.p50), revision: f.r.revision, p50: f.r.p50 ?? '' })),
    // Whole days only when there are at least two of them: "8 Dec 12:00" labels run into each other.
    xTicks: (xs.ticks.filter(Number.isInteger).length >= 2 ? xs.ticks.filter(Number.isInteger) : xs.ticks).map((v) => ({
      x: round(xs(v)),
      label: dayLabel(t0 + v * DAY_MS),
    })),
    yTicks: ys.ticks.map((v) => ({ y: round(ys(v)), label: dayLabel(t0 + v * DAY_MS) })),
    plot,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;

// --- the itinerary on the map

export interface LinkEnds {
  from: string;
  to: string;
  mode: string;
}

/**
 * The booking's links in travel order, each oriented from where the container comes: a leg
 * starts at its `from`, and each link continues from the end the previous one reached. Links the
 * network does not know are left out.
 */
export function itineraryLinks(
  legs: readonly BookingLeg[],
  links: ReadonlyMap<string, LinkEnds>,
): { linkId: string; from: string; to: string; mode: string }[] {
  const out: { linkId: string; from: string; to: string; mode: string }[] = [];
  for (const l of [...legs].sort((a, b) => a.seq - b.seq)) {
    let at = l.from;
    for (const id of l.linkIds ?? []) {
      const k = links.get(id);
      if (!k) continue;
      const to = k.from === at ? k.to : k.from;
      out.push({ linkId: id, from: at, to, mode: k.mode });
      at = to;
    }
  }
  return out;
}
