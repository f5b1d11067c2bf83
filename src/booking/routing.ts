/**
 * From a planned itinerary to what a booking reserves: one leg per service ride (a dated
 * departure with inventory) and one per operator along a stretch of links without a service
 * (booked on request: no inventory, the operator answers). The routing's reference is a hash of
 * exactly those legs, so the same itinerary always has the same reference on every instance and
 * a booking made with it reserves exactly those departures.
 */
import { operatorIdsOf } from '../model/operators.js';
import type { Link, ServiceCapacityUnit } from '../model/types.js';
import type { PlanItinerary } from '../schedule/itinerary.js';
import { departureId } from './model.js';

/**
 * TEU per capacity unit of a service. The data gives block-train and ferry capacity in wagons
 * (the Xi'an train source: "one 40' per flat wagon") and road services in trucks (one 40' box or
 * two 20' boxes per truck), so one wagon or truck carries 2 TEU. An assumption stated in the
 * departure list (`capacity.basis`); no operator publishes slot counts in TEU for these services.
 */
export const TEU_PER_UNIT: Record<ServiceCapacityUnit, number> = { TEU: 1, wagons: 2, trucks: 2 };

export const CAPACITY_BASIS =
  "capacity in TEU from the service's capacityPerDeparture; wagons and trucks carry one 40' box (2 TEU) each, as " +
  "the Xi'an block-train source has it (one 40' per flat wagon)";

export interface RoutingLeg {
  seq: number;
  /** Operator ids that may confirm the leg (first: the one named first in the data). */
  operators: string[];
  operatorName: string;
  service: string | null;
  serviceName: string | null;
  /** Departure id (service@run); null for on-request legs. */
  departure: string | null;
  /** UTC run start of the service (null on request). */
  departsAt: string | null;
  /** Capacity per departure in the service's unit (null: the service publishes none: on request). */
  capacity: { value: number; unit: ServiceCapacityUnit } | null;
  from: string;
  to: string;
  fromName: string;
  toName: string;
  mode: string;
  linkIds: string[];
  departureTime: string;
  arrivalTime: string;
}

export interface BookingRouting {
  reference: string;
  from: string;
  to: string;
  summary: string;
  legs: RoutingLeg[];
}

/** The links' operator texts (from the dataset), for legs without a service. */
export type LinkOperators = ReadonlyMap<string, Pick<Link, 'operator'>>;

export function routingOf(it: PlanItinerary, links: LinkOperators): BookingRouting {
  const legs: RoutingLeg[] = [];
  for (const leg of it.legs) {
    const base = {
      from: leg.from,
      to: leg.to,
      fromName: leg.fromName,
      toName: leg.toName,
      mode: leg.mode,
      departureTime: leg.departure,
      arrivalTime: leg.arrival,
    };
    if (leg.service) {
      const s = leg.service;
      // A departs-when-full service has no timetable: its sailings of one UTC day are one departure.
      const run = s.kind === 'when-full' ? `${s.run.slice(0, 10)}` : s.run;
      legs.push({
        ...base,
        seq: legs.length + 1,
        operators: operatorIdsOf(s.operator),
        operatorName: s.operator,
        service: s.id,
        serviceName: s.name,
        departure: s.capacityPerDeparture ? departureId(s.id, run) : null,
        departsAt: s.capacityPerDeparture ? run : null,
        capacity: s.capacityPerDeparture,
        linkIds: leg.linkIds,
      });
      continue;
    }
    // Links without a service: one on-request leg per run of links of one operator text.
    let group: string[] = [];
    let text = '';
    const flush = () => {
      if (!group.length) return;
      legs.push({
        ...base,
        seq: legs.length + 1,
        operators: operatorIdsOf(text),
        operatorName: text,
        service: null,
        serviceName: null,
        departure: null,
        departsAt: null,
        capacity: null,
        linkIds: group,
      });
      group = [];
    };
    for (const id of leg.linkIds) {
      const op = links.get(id)?.operator ?? '';
      if (group.length && op !== text) flush();
      text = op;
      group.push(id);
    }
    flush();
  }
  const canonical = legs
    .map((l) => (l.service ? `${l.service}@${l.departsAt ?? l.departureTime}:${l.from}>${l.to}` : l.linkIds.join('+')))
    .join('|');
  return {
    reference: `CR${fnv1a64(`${it.legs[0]?.departure ?? ''}|${canonical}`)}`,
    from: it.legs[0]?.from ?? '',
    to: it.legs[it.legs.length - 1]?.to ?? '',
    summary: it.summary,
    legs,
  };
}

/** Capacity of a departure in TEU. */
export function capacityTeu(c: { value: number; unit: ServiceCapacityUnit }): number {
  return c.value * TEU_PER_UNIT[c.unit];
}

/** FNV-1a, 64 bits as two 32-bit halves, base 36: a short stable id (the stored routing guards collisions). */
export function fnv1a64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0;
  }
  return (h2.toString(36).padStart(7, '0') + h1.toString(36).padStart(7, '0')).toUpperCase();
}
