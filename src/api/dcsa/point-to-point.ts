/**
 * Timed itineraries → DCSA Commercial Schedules v1.0.3 `PointToPoint` objects.
 * Modes: sea and ferry → VESSEL, rail → RAIL, road → TRUCK. Locations: the UN/LOCODE (for places
 * with a project code, the nearest UN/LOCODE the data records, with the place's own name).
 * Times are UTC. Footprints in tonnes CO2e (DCSA unit).
 * @see https://dcsa.org/standards/commercial-schedules/ (CS_v1.0.3.yaml)
 */
import type { Location, Mode } from '../../model/types.js';
import type { TimedItinerary } from './itinerary.js';

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

export interface DcsaLocation {
  locationName: string;
  UNLocationCode?: string;
}

export function dcsaLocation(l: Location): DcsaLocation {
  const code = LOCODE.test(l.id) ? l.id : l.locode?.code;
  return { locationName: l.name.slice(0, 100), ...(code ? { UNLocationCode: code } : {}) };
}

/** DCSA facility type for a place: port terminal, border, else an inland terminal. */
export function facilityTypeCode(l: Location): 'POTE' | 'BORD' | 'INTE' {
  if (l.kinds.includes('seaport')) return 'POTE';
  if (l.kinds[0] === 'border-crossing') return 'BORD';
  return 'INTE';
}

function transport(mode: Mode): { modeOfTransport: 'VESSEL' | 'RAIL' | 'TRUCK' } {
  return { modeOfTransport: mode === 'rail' ? 'RAIL' : mode === 'road' ? 'TRUCK' : 'VESSEL' };
}

/** `2025-01-14T09:21:00Z` (DCSA date-time, second precision). */
export const dcsaDateTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
const tonnes = (kg: number) => Math.round(kg) / 1000;

export function toPointToPoint(it: TimedItinerary) {
  const first = it.legs[0]!;
  const last = it.legs[it.legs.length - 1]!;
  return {
    placeOfReceipt: { facilityTypeCode: facilityTypeCode(first.from), location: dcsaLocation(first.from), dateTime: dcsaDateTime(it.departure) },
    placeOfDelivery: { facilityTypeCode: facilityTypeCode(last.to), location: dcsaLocation(last.to), dateTime: dcsaDateTime(it.arrival) },
    receiptTypeAtOrigin: 'CY' as const,
    deliveryTypeAtDestination: 'CY' as const,
    solutionNumber: it.solutionNumber,
    routingReference: it.reference.slice(0, 5000),
    transitTime: Math.max(1, Math.ceil((it.arrival.getTime() - it.departure.getTime()) / 86_400_000)),
    solutionFootprint: { co2e: tonnes(it.co2eKg) },
    legs: it.legs.map((leg, i) => ({
      sequenceNumber: i + 1,
      transport: transport(leg.mode),
      departure: { facilityTypeCode: facilityTypeCode(leg.from), location: dcsaLocation(leg.from), dateTime: dcsaDateTime(leg.departure) },
      arrival: { facilityTypeCode: facilityTypeCode(leg.to), location: dcsaLocation(leg.to), dateTime: dcsaDateTime(leg.arrival) },
      footprint: { co2e: tonnes(leg.co2eKg) },
    })),
  };
}
export type DcsaPointToPoint = ReturnType<typeof toPointToPoint>;
