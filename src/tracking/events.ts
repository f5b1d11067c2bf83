/**
 * DCSA Track & Trace 2.2 events as Corridor keeps them (the spec: vendor/dcsa/TNT_v2.2.0.yaml).
 * The three kinds — transport (ARRI/DEPA of a transport call), equipment (LOAD, DISC, GTIN, GTOT…)
 * and shipment (document states) — share the base event fields. The body is kept as received
 * (validated at the API boundary); `TrackedEvent` adds what Corridor derives from it.
 *
 * A gauge change has no code of its own in the vocabulary: it is recorded as what happens to the
 * container at the break-of-gauge station — a DISC from the broad-gauge wagon and a LOAD onto the
 * standard-gauge one (or the reverse) at the same UN/LOCODE, each with the rail transport call
 * (modeOfTransport RAIL, facilityTypeCode INTE) of the train it leaves or joins. docs/tracking.md.
 */

export const EVENT_TYPES = ['TRANSPORT', 'EQUIPMENT', 'SHIPMENT'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const CLASSIFIERS = ['PLN', 'EST', 'ACT'] as const;
export type Classifier = (typeof CLASSIFIERS)[number];
export const TRANSPORT_EVENT_CODES = ['ARRI', 'DEPA'] as const;
export const EQUIPMENT_EVENT_CODES = [
  'LOAD',
  'DISC',
  'GTIN',
  'GTOT',
  'STUF',
  'STRP',
  'PICK',
  'DROP',
  'INSP',
  'RSEA',
  'RMVD',
] as const;
export const SHIPMENT_EVENT_CODES = [
  'RECE',
  'DRFT',
  'PENA',
  'PENU',
  'REJE',
  'APPR',
  'ISSU',
  'SURR',
  'SUBM',
  'VOID',
  'CONF',
  'REQS',
  'CMPL',
  'HOLD',
  'RELS',
] as const;
export const DOCUMENT_TYPE_CODES = [
  'CBR',
  'BKG',
  'SHI',
  'SRM',
  'TRD',
  'ARN',
  'VGM',
  'CAS',
  'CUS',
  'DGD',
  'OOG',
] as const;
export const MODES_OF_TRANSPORT = ['VESSEL', 'RAIL', 'TRUCK', 'BARGE'] as const;
export type ModeOfTransport = (typeof MODES_OF_TRANSPORT)[number];

export interface TransportCall {
  transportCallID: string;
  modeOfTransport: ModeOfTransport;
  carrierServiceCode?: string;
  exportVoyageNumber?: string;
  importVoyageNumber?: string;
  transportCallSequenceNumber?: number;
  UNLocationCode?: string;
  facilityCode?: string;
  facilityTypeCode?: string;
  vessel?: { vesselIMONumber?: string; vesselName?: string };
  [k: string]: unknown;
}

export interface DocumentReference {
  documentReferenceType: string;
  documentReferenceValue: string;
}

/** An event body as the spec has it (the fields Corridor reads; others are kept as sent). */
export interface DcsaEvent {
  eventID: string;
  eventCreatedDateTime: string;
  eventType: EventType;
  eventClassifierCode: Classifier;
  eventDateTime: string;
  transportEventTypeCode?: (typeof TRANSPORT_EVENT_CODES)[number];
  equipmentEventTypeCode?: (typeof EQUIPMENT_EVENT_CODES)[number];
  shipmentEventTypeCode?: (typeof SHIPMENT_EVENT_CODES)[number];
  documentTypeCode?: string;
  documentID?: string;
  equipmentReference?: string;
  ISOEquipmentCode?: string;
  emptyIndicatorCode?: 'EMPTY' | 'LADEN';
  transportCall?: TransportCall;
  eventLocation?: { UNLocationCode?: string; [k: string]: unknown };
  documentReferences?: DocumentReference[];
  delayReasonCode?: string;
  changeRemark?: string;
  [k: string]: unknown;
}

/** The type code of an event, whatever its kind. */
export function eventTypeCode(e: DcsaEvent): string {
  return e.transportEventTypeCode ?? e.equipmentEventTypeCode ?? e.shipmentEventTypeCode ?? '';
}

/** Where the event took place: the transport call's UN/LOCODE, else the event location's. */
export function eventLocode(e: DcsaEvent): string | null {
  return e.transportCall?.UNLocationCode ?? e.eventLocation?.UNLocationCode ?? null;
}

/** The bookings an event is about: its BKG document references, or a shipment event's BKG document. */
export function bookingReferences(e: DcsaEvent): string[] {
  const refs = new Set<string>();
  for (const r of e.documentReferences ?? []) if (r.documentReferenceType === 'BKG') refs.add(r.documentReferenceValue);
  if (e.eventType === 'SHIPMENT' && e.documentTypeCode === 'BKG' && e.documentID) refs.add(e.documentID);
  return [...refs];
}

/** UTC milliseconds of an RFC 3339 date-time (the event's local time with its offset). */
export function instantMs(dateTime: string): number {
  return Date.parse(dateTime);
}
