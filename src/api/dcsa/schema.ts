/**
 * The part of DCSA CS v1.0.3 this server emits, in zod, for the OpenAPI document. The tests
 * validate real responses against the official specification (vendor/dcsa/CS_v1.0.3.yaml).
 */
import { z } from 'zod';

const DateTime = z.string().describe('date-time, local with offset');
const Location = z.looseObject({
  locationName: z.string().max(100),
  UNLocationCode: z
    .string()
    .regex(/^[A-Z]{2}[A-Z2-9]{3}$/)
    .optional(),
});
const Place = z.looseObject({ facilityTypeCode: z.string().max(4), location: Location, dateTime: DateTime });
const Footprint = z.looseObject({ co2e: z.number().describe('tonnes CO2e') });
const CutOffTimes = z.array(z.looseObject({ cutOffDateTimeCode: z.string().max(3), cutOffDateTime: DateTime }));

export const DcsaPointToPointSchema = z
  .looseObject({
    placeOfReceipt: Place,
    placeOfDelivery: Place,
    receiptTypeAtOrigin: z.enum(['CY', 'SD', 'CFS']).optional(),
    deliveryTypeAtDestination: z.enum(['CY', 'SD', 'CFS']).optional(),
    solutionNumber: z.number().int().min(1).optional(),
    routingReference: z.string().max(5000).optional(),
    transitTime: z.number().int().optional().describe('days'),
    solutionFootprint: Footprint.optional(),
    cutOffTimes: CutOffTimes.optional(),
    legs: z
      .array(
        z.looseObject({
          sequenceNumber: z.number().int(),
          transport: z.looseObject({
            modeOfTransport: z.enum([
              'VESSEL',
              'BARGE',
              'RAIL',
              'TRUCK',
              'RAIL_TRUCK',
              'BARGE_TRUCK',
              'BARGE_RAIL',
              'MULTIMODAL',
            ]),
            servicePartners: z.array(z.looseObject({ carrierServiceName: z.string().optional() })).optional(),
          }),
          departure: Place,
          intermediateCalls: z
            .array(
              z.looseObject({
                location: Location,
                arrivalDateTime: DateTime.optional(),
                departureDateTime: DateTime.optional(),
              }),
            )
            .optional(),
          arrival: Place,
          footprint: Footprint.optional(),
          cutOffTimes: CutOffTimes.optional(),
        }),
      )
      .min(1),
  })
  .describe('DCSA CS v1.0.3 PointToPoint');

export const DcsaErrorSchema = z
  .looseObject({
    httpMethod: z.string(),
    requestUri: z.string(),
    statusCode: z.number().int(),
    statusCodeText: z.string(),
    statusCodeMessage: z.string().optional(),
    providerCorrelationReference: z.string().optional(),
    errorDateTime: z.string(),
    errors: z
      .array(
        z.looseObject({
          errorCode: z.number().int().optional(),
          property: z.string().optional(),
          value: z.string().optional(),
          errorCodeText: z.string(),
          errorCodeMessage: z.string(),
        }),
      )
      .min(1),
  })
  .describe('DCSA ErrorResponse; it also carries the RFC 9457 fields type, title, status, detail');
