/**
 * DCSA Track & Trace 2.2 events at the boundary (zod), following vendor/dcsa/TNT_v2.2.0.yaml:
 * the required fields of each kind, the code lists, lengths and RFC 3339 date-times. Fields the
 * spec allows and Corridor does not read pass through unchanged. Corridor requires `eventID` (the
 * spec's optional metadata) because it deduplicates by it.
 */
import { z } from 'zod';
import {
  DOCUMENT_TYPE_CODES,
  EQUIPMENT_EVENT_CODES,
  MODES_OF_TRANSPORT,
  SHIPMENT_EVENT_CODES,
  TRANSPORT_EVENT_CODES,
} from '../../tracking/events.js';

const DATE_TIME = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'an RFC 3339 date-time with offset, e.g. 2026-03-05T14:30:00+05:00',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid date-time');
const UUID = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a UUID');
const LOCODE = z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE: 2 letters, then 3 of A–Z or 2–9');
const CLASSIFIER = z.enum(['PLN', 'EST', 'ACT']);

const DocumentReference = z.looseObject({
  documentReferenceType: z.enum(['BKG', 'TRD']),
  documentReferenceValue: z.string().min(1).max(100),
});

export const TransportCallSchema = z.looseObject({
  transportCallID: z.string().min(1).max(100),
  modeOfTransport: z.enum(MODES_OF_TRANSPORT),
  carrierServiceCode: z.string().max(5).optional(),
  exportVoyageNumber: z.string().max(50).optional(),
  importVoyageNumber: z.string().max(50).optional(),
  transportCallSequenceNumber: z.number().int().optional(),
  UNLocationCode: LOCODE.optional(),
  facilityCode: z.string().max(6).optional(),
  facilityTypeCode: z.enum(['BOCR', 'CLOC', 'COFS', 'COYA', 'OFFD', 'DEPO', 'INTE', 'POTE', 'RAMP']).optional(),
  vessel: z.looseObject({ vesselIMONumber: z.string().max(7).optional() }).optional(),
});

const base = {
  eventID: UUID,
  eventCreatedDateTime: DATE_TIME,
  eventClassifierCode: CLASSIFIER,
  eventDateTime: DATE_TIME,
  documentReferences: z.array(DocumentReference).max(1000).optional(),
};

export const TransportEventSchema = z.looseObject({
  ...base,
  eventType: z.literal('TRANSPORT'),
  transportEventTypeCode: z.enum(TRANSPORT_EVENT_CODES),
  transportCall: TransportCallSchema,
  delayReasonCode: z.string().max(3).optional(),
  changeRemark: z.string().max(250).optional(),
});

export const EquipmentEventSchema = z.looseObject({
  ...base,
  eventType: z.literal('EQUIPMENT'),
  equipmentEventTypeCode: z.enum(EQUIPMENT_EVENT_CODES),
  emptyIndicatorCode: z.enum(['EMPTY', 'LADEN']),
  equipmentReference: z.string().max(15).optional(),
  ISOEquipmentCode: z.string().max(4).optional(),
  transportCall: TransportCallSchema.optional(),
  eventLocation: z.looseObject({ UNLocationCode: LOCODE.optional() }).optional(),
});

export const ShipmentEventSchema = z.looseObject({
  ...base,
  eventType: z.literal('SHIPMENT'),
  shipmentEventTypeCode: z.enum(SHIPMENT_EVENT_CODES),
  documentTypeCode: z.enum(DOCUMENT_TYPE_CODES),
  documentID: z.string().min(1).max(100),
  reason: z.string().max(5000).optional(),
});

export const TntEventSchema = z.discriminatedUnion('eventType', [
  TransportEventSchema,
  EquipmentEventSchema,
  ShipmentEventSchema,
]);
export type TntEvent = z.infer<typeof TntEventSchema>;

/** At most this many events per request (a railway's feed sends batches). */
export const MAX_BATCH = 5000;
