/**
 * Placing an actual event on a shipment's itinerary and checking that the sequence is possible.
 * Each leg has milestones in a fixed physical order — gate-in at its origin, loading, departure,
 * arrival, discharge — and legs follow each other, so every placed actual event has a rank; an
 * event whose time contradicts an already accepted event of lower or higher rank (a departure
 * before the loading, an arrival before the departure, leaving a leg before arriving from the
 * previous one) is impossible. It is kept and flagged, and the forecast ignores it. The check is
 * against accepted events only, so a late but consistent event is placed by its eventDateTime and
 * a flag, once given, is never revised by later arrivals.
 */
import { type DcsaEvent, eventLocode, eventTypeCode, instantMs } from './events.js';

/** The legs of a shipment as tracking sees them. */
export interface TrackedLeg {
  from: string;
  to: string;
  /** Who runs the leg, as the data names it (one or several operators; src/model/operators.ts). */
  operator: string;
  /** Service id, when the leg rides a published service. */
  service: string | null;
}

export const PHASES = ['GTIN', 'LOAD', 'DEPA', 'ARRI', 'DISC', 'GTOT'] as const;
export type Phase = (typeof PHASES)[number];

export interface Placement {
  leg: number;
  phase: Phase;
  /** leg · 10 + phase index: the physical order of milestones. */
  rank: number;
  /** UTC ms of eventDateTime. */
  atMs: number;
}

const ORIGIN_SIDE = new Set(['GTIN', 'LOAD', 'DEPA']);
const DESTINATION_SIDE = new Set(['ARRI', 'DISC', 'GTOT']);

/**
 * The leg and milestone an event marks, or null when it is not a milestone of this itinerary
 * (a shipment event, an inspection, a place the itinerary does not pass). Departure-side events
 * belong to the leg leaving the place, arrival-side ones to the leg reaching it; when a place is
 * left or reached twice, the transport call's carrierServiceCode picks the leg of that service.
 */
export function placeEvent(legs: readonly TrackedLeg[], e: DcsaEvent): Placement | null {
  const code = eventTypeCode(e);
  const at = eventLocode(e);
  if (at === null || !(PHASES as readonly string[]).includes(code)) return null;
  const origin = ORIGIN_SIDE.has(code);
  if (!origin && !DESTINATION_SIDE.has(code)) return null;
  const candidates: number[] = [];
  legs.forEach((l, i) => {
    if ((origin ? l.from : l.to) === at) candidates.push(i);
  });
  if (candidates.length === 0) return null;
  const svc = e.transportCall?.carrierServiceCode;
  const leg = candidates.find((i) => svc !== undefined && legs[i]?.service === svc) ?? candidates[0];
  if (leg === undefined) return null;
  const phase = code as Phase;
  return { leg, phase, rank: leg * 10 + PHASES.indexOf(phase), atMs: instantMs(e.eventDateTime) };
}

/**
 * Why `p` cannot have happened given the accepted placements, or null when it is consistent.
 * Equal times are allowed (a LOAD and DEPA reported at the same minute).
 */
export function impossibility(
  accepted: readonly Placement[],
  p: Placement,
  legs: readonly TrackedLeg[],
): string | null {
  for (const a of accepted) {
    if (a.rank < p.rank && a.atMs > p.atMs) return `${describe(p, legs)} is before ${describe(a, legs)}`;
    if (a.rank > p.rank && a.atMs < p.atMs) return `${describe(a, legs)} is before ${describe(p, legs)}`;
  }
  return null;
}

const WORDS: Record<Phase, string> = {
  GTIN: 'gate-in',
  LOAD: 'loading',
  DEPA: 'departure',
  ARRI: 'arrival',
  DISC: 'discharge',
  GTOT: 'gate-out',
};

function describe(p: Placement, legs: readonly TrackedLeg[]): string {
  const l = legs[p.leg];
  const where = l ? (ORIGIN_SIDE.has(p.phase) ? l.from : l.to) : '?';
  return `the ${WORDS[p.phase]} at ${where} (leg ${p.leg + 1}, ${new Date(p.atMs).toISOString()})`;
}
