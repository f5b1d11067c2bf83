/**
 * Maps a planned itinerary to a DCSA Commercial Schedules v1.0.3 `PointToPoint` routing (the
 * element of the `GET /v1/point-to-point-routes` response). Pure: the API issue calls it.
 *
 * Mapping:
 * - one DCSA leg per itinerary leg (a service ride or an unscheduled link); the service's
 *   intermediate stops become `intermediateCalls`; transshipments happen between legs;
 * - transport: rail → `RAIL`, road → `TRUCK`, sea and ferry → `VESSEL` (with the service name as a
 *   service partner's `carrierServiceName`); `MULTIMODAL` is reserved for a leg whose mode is not
 *   known, which the current model never produces;
 * - locations by UN/LOCODE (`locode.code`, or the id when it is one) and name; a project-coded
 *   place whose nearest code is approximate (Altynkol → KZHOR) keeps that code and its own name;
 * - facility type: `POTE` at seaports, `BORD` at border crossings, `INTE` (inland terminal)
 *   elsewhere;
 * - times are local with offset (as the itinerary prints them); the cut-off of a service is an
 *   `FCO` (FCL delivery cut-off); `transitTime` is whole days from receipt (the ready time) to
 *   delivery, rounded up; footprints are CO2e in tonnes (well-to-wheel).
 * @see https://dcsa.org/standards/commercial-schedules/ (Commercial Schedules 1.0.3)
 */
import type { Location } from '../model/types.js';
import type { PlanItinerary, PlanLeg } from './itinerary.js';
import { nth } from '../model/invariant.js';

export type DcsaFacilityTypeCode = 'POTE' | 'BORD' | 'INTE';
export type DcsaModeOfTransport = 'RAIL' | 'TRUCK' | 'VESSEL' | 'MULTIMODAL';

export interface DcsaLocation {
  locationName: string;
  UNLocationCode?: string;
}

export interface DcsaPlace {
  facilityTypeCode: DcsaFacilityTypeCode;
  location: DcsaLocation;
  dateTime: string;
}

export interface DcsaCutOffTime {
  cutOffDateTimeCode: 'FCO';
  cutOffDateTime: string;
}

export type DcsaTransport =
  | { modeOfTransport: 'VESSEL'; servicePartners?: { carrierServiceName: string }[] }
  | { modeOfTransport: 'RAIL' | 'TRUCK' | 'MULTIMODAL' };

export interface DcsaIntermediateCall {
  facilityTypeCode: DcsaFacilityTypeCode;
  location: DcsaLocation;
  arrivalDateTime: string;
  departureDateTime: string;
}

export interface DcsaLeg {
  sequenceNumber: number;
  transport: DcsaTransport;
  departure: DcsaPlace;
  arrival: DcsaPlace;
  intermediateCalls?: DcsaIntermediateCall[];
  footprint: { co2e: number };
  cutOffTimes?: DcsaCutOffTime[];
}

export interface DcsaPointToPoint {
  placeOfReceipt: DcsaPlace;
  placeOfDelivery: DcsaPlace;
  receiptTypeAtOrigin: 'CY';
  deliveryTypeAtDestination: 'CY';
  cutOffTimes?: DcsaCutOffTime[];
  solutionNumber: number;
  routingReference: string;
  transitTime: number;
  solutionFootprint: { co2e: number };
  legs: DcsaLeg[];
}

const UN_LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const MAX_NAME = 50;

function dcsaLocation(loc: Location | undefined, id: string, name: string): DcsaLocation {
  const code = loc?.locode?.code ?? (UN_LOCODE.test(id) ? id : undefined);
  return { locationName: (loc?.name ?? name).slice(0, 100), ...(code ? { UNLocationCode: code } : {}) };
}

function facilityType(loc: Location | undefined): DcsaFacilityTypeCode {
  if (loc?.kinds.includes('seaport')) return 'POTE';
  if (loc?.kinds.includes('border-crossing')) return 'BORD';
  return 'INTE';
}

function transportOf(leg: PlanLeg): DcsaTransport {
  switch (leg.mode) {
    case 'rail':
      return { modeOfTransport: 'RAIL' };
    case 'road':
      return { modeOfTransport: 'TRUCK' };
    case 'sea':
    case 'ferry':
      return leg.service
        ? {
            modeOfTransport: 'VESSEL',
            servicePartners: [{ carrierServiceName: leg.service.name.slice(0, MAX_NAME).trim() }],
          }
        : { modeOfTransport: 'VESSEL' };
    default:
      return { modeOfTransport: 'MULTIMODAL' };
  }
}

const tonnes = (kg: number) => Math.round(kg) / 1000;

export function toDcsaPointToPoint(
  itinerary: PlanItinerary,
  locations: readonly Location[] | ReadonlyMap<string, Location>,
): DcsaPointToPoint {
  const byId: ReadonlyMap<string, Location> =
    locations instanceof Map ? locations : new Map((locations as readonly Location[]).map((l) => [l.id, l]));
  const place = (id: string, name: string, dateTime: string): DcsaPlace => {
    const loc = byId.get(id);
    return { facilityTypeCode: facilityType(loc), location: dcsaLocation(loc, id, name), dateTime };
  };
  const legs: DcsaLeg[] = itinerary.legs.map((leg, i) => {
    const cutoff = leg.service?.cutoff;
    return {
      sequenceNumber: i + 1,
      transport: transportOf(leg),
      departure: place(leg.from, leg.fromName, leg.departure),
      arrival: place(leg.to, leg.toName, leg.arrival),
      ...(leg.calls.length
        ? {
            intermediateCalls: leg.calls.map((c) => {
              const loc = byId.get(c.at);
              return {
                facilityTypeCode: facilityType(loc),
                location: dcsaLocation(loc, c.at, c.name),
                arrivalDateTime: c.arrival,
                departureDateTime: c.departure,
              };
            }),
          }
        : {}),
      footprint: { co2e: tonnes(leg.co2eKg) },
      ...(cutoff ? { cutOffTimes: [{ cutOffDateTimeCode: 'FCO' as const, cutOffDateTime: cutoff }] } : {}),
    };
  });
  const first = nth(itinerary.legs, 0);
  const last = nth(itinerary.legs, itinerary.legs.length - 1);
  const firstCutoff = first.service?.cutoff;
  return {
    // Receipt: the cut-off of the first service, or the first departure when it has none.
    placeOfReceipt: place(first.from, first.fromName, firstCutoff ?? first.departure),
    placeOfDelivery: place(last.to, last.toName, itinerary.plannedArrival),
    receiptTypeAtOrigin: 'CY',
    deliveryTypeAtDestination: 'CY',
    ...(firstCutoff ? { cutOffTimes: [{ cutOffDateTimeCode: 'FCO' as const, cutOffDateTime: firstCutoff }] } : {}),
    solutionNumber: itinerary.option,
    routingReference:
      itinerary.routingReference ?? itinerary.legs.map((l) => l.service?.id ?? l.linkIds.join('+')).join(' > '),
    transitTime: Math.ceil(itinerary.totals.durationH / 24),
    solutionFootprint: { co2e: tonnes(itinerary.totals.co2eKg) },
    legs,
  };
}
