/**
 * A subscription's filters mean what the same filters mean at GET /v2/events: for random events
 * (stored through the real ingestion) and random filters, `eventMatches` accepts exactly the
 * events the store's query returns.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorridorService } from '../../src/service/service.js';
import { type TrackedShipment, TrackingService } from '../../src/service/tracking.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { DcsaEvent } from '../../src/tracking/events.js';
import type { EventFilter, StoredTrackingEvent } from '../../src/tracking/records.js';
import { eventMatches, type SubscriptionFilter } from '../../src/tracking/subscriptions.js';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
const AT = ['2026-03-02T10:00:00+05:00', '2026-03-03T10:00:00Z', '2026-03-04T01:30:00+04:00'];

const eventArb: fc.Arbitrary<DcsaEvent> = fc
  .record({
    kind: fc.constantFrom('TRANSPORT', 'EQUIPMENT', 'SHIPMENT'),
    transportCode: fc.constantFrom('ARRI', 'DEPA'),
    equipmentCode: fc.constantFrom('LOAD', 'DISC', 'GTIN'),
    shipmentCode: fc.constantFrom('RECE', 'CONF', 'ISSU'),
    documentTypeCode: fc.constantFrom('BKG', 'TRD', 'SHI'),
    booking: fc.constantFrom('B1', 'B2'),
    trd: opt(fc.constantFrom('T1', 'T2')),
    locode: opt(fc.constantFrom('KZAAU', 'AZALA')),
    inTransportCall: fc.boolean(),
    transportCallID: fc.constantFrom('tc-1', 'tc-2'),
    carrierServiceCode: opt(fc.constantFrom('AB1', 'CD2')),
    vessel: opt(fc.constantFrom('9321483', '9074729')),
    voyage: opt(fc.constantFrom('V1', 'V2')),
    equipmentReference: opt(fc.constantFrom('MSKU1234565', 'TGHU0000001')),
    at: fc.constantFrom(...AT),
  })
  .map((r) => {
    const tc = {
      transportCallID: r.transportCallID,
      modeOfTransport: 'RAIL' as const,
      ...(r.locode ? { UNLocationCode: r.locode } : {}),
      ...(r.carrierServiceCode ? { carrierServiceCode: r.carrierServiceCode } : {}),
      ...(r.vessel ? { vessel: { vesselIMONumber: r.vessel } } : {}),
      ...(r.voyage ? { exportVoyageNumber: r.voyage } : {}),
    };
    const refs = [
      { documentReferenceType: 'BKG', documentReferenceValue: r.booking },
      ...(r.trd ? [{ documentReferenceType: 'TRD', documentReferenceValue: r.trd }] : []),
    ];
    const base = {
      eventID: randomUUID(),
      eventCreatedDateTime: r.at,
      eventClassifierCode: 'ACT' as const,
      eventDateTime: r.at,
      documentReferences: refs,
    };
    if (r.kind === 'TRANSPORT')
      return { ...base, eventType: 'TRANSPORT', transportEventTypeCode: r.transportCode, transportCall: tc };
    if (r.kind === 'EQUIPMENT')
      return {
        ...base,
        eventType: 'EQUIPMENT',
        equipmentEventTypeCode: r.equipmentCode,
        emptyIndicatorCode: 'LADEN',
        ...(r.equipmentReference ? { equipmentReference: r.equipmentReference } : {}),
        ...(r.inTransportCall
          ? { transportCall: tc }
          : r.locode
            ? { eventLocation: { UNLocationCode: r.locode } }
            : {}),
      };
    return {
      ...base,
      eventType: 'SHIPMENT',
      shipmentEventTypeCode: r.shipmentCode,
      documentTypeCode: r.documentTypeCode,
      documentID: r.documentTypeCode === 'TRD' ? (r.trd ?? 'T1') : r.booking,
    };
  }) as fc.Arbitrary<DcsaEvent>;

const sub = <T>(values: readonly T[]) => opt(fc.subarray([...values], { minLength: 1 }));
const filterArb: fc.Arbitrary<SubscriptionFilter> = fc
  .record({
    eventType: sub(['TRANSPORT', 'EQUIPMENT', 'SHIPMENT']),
    transportEventTypeCode: sub(['ARRI', 'DEPA']),
    equipmentEventTypeCode: sub(['LOAD', 'DISC', 'GTIN']),
    shipmentEventTypeCode: sub(['RECE', 'CONF', 'ISSU']),
    documentTypeCode: sub(['BKG', 'TRD', 'SHI']),
    carrierBookingReference: opt(fc.constantFrom('B1', 'B2')),
    transportDocumentReference: opt(fc.constantFrom('T1', 'T2')),
    transportCallID: opt(fc.constantFrom('tc-1', 'tc-2')),
    vesselIMONumber: opt(fc.constantFrom('9321483', '9074729')),
    exportVoyageNumber: opt(fc.constantFrom('V1', 'V2')),
    carrierServiceCode: opt(fc.constantFrom('AB1', 'CD2')),
    UNLocationCode: opt(fc.constantFrom('KZAAU', 'AZALA')),
    equipmentReference: opt(fc.constantFrom('MSKU1234565', 'TGHU0000001')),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as SubscriptionFilter);

/** The same filters as the event list's query (src/api/routes/events.ts maps the query this way). */
function asQuery(f: SubscriptionFilter): EventFilter {
  const q: EventFilter = { limit: 10_000 };
  if (f.eventType) q.eventTypes = f.eventType;
  const codes: EventFilter['typeCodes'] = {};
  if (f.transportEventTypeCode) codes.TRANSPORT = f.transportEventTypeCode;
  if (f.equipmentEventTypeCode) codes.EQUIPMENT = f.equipmentEventTypeCode;
  if (f.shipmentEventTypeCode) codes.SHIPMENT = f.shipmentEventTypeCode;
  if (Object.keys(codes).length) q.typeCodes = codes;
  if (f.documentTypeCode) q.documentTypeCodes = f.documentTypeCode;
  if (f.carrierBookingReference) q.booking = f.carrierBookingReference;
  if (f.UNLocationCode) q.locode = f.UNLocationCode;
  for (const k of [
    'transportDocumentReference',
    'transportCallID',
    'vesselIMONumber',
    'exportVoyageNumber',
    'carrierServiceCode',
    'equipmentReference',
  ] as const)
    if (f[k] !== undefined) q[k] = f[k];
  return q;
}

let store: Store;
let stored: StoredTrackingEvent[];

beforeAll(async () => {
  store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-subs-')), 's.sqlite')}`);
  // Legs away from the events' places: nothing is a milestone, so no forecast (and no service) is needed.
  const shipment = (reference: string): TrackedShipment => ({
    reference,
    legs: [{ from: 'XXAAA', to: 'XXBBB', operator: 'x', service: null }],
    planRequest: {},
    legKeys: [{ service: null, departure: '2026-03-01T00:00:00.000Z' }],
  });
  const tracking = new TrackingService({} as CorridorService, store.tracking, {
    find: async (refs) => new Map(refs.map((r) => [r, shipment(r)])),
    visibleTo: async () => 'all',
  });
  const events = fc.sample(eventArb, { numRuns: 120, seed: 17 });
  await tracking.ingest(events, { keyId: 'admin', role: 'admin', operator: null }, '2026-12-07T08:00:00.000Z');
  stored = await store.tracking.listEvents({ limit: 10_000 });
  expect(stored).toHaveLength(120);
});
afterAll(() => store.close());

describe('subscription filters', () => {
  it('match exactly the events GET /v2/events returns for the same filters', async () => {
    let some = 0;
    let narrowed = 0;
    await fc.assert(
      fc.asyncProperty(filterArb, async (f) => {
        const listed = new Set((await store.tracking.listEvents(asQuery(f))).map((e) => e.eventID));
        const matched = new Set(
          stored
            .filter((e) =>
              eventMatches(
                f,
                e.body as unknown as DcsaEvent,
                e.links.map((l) => l.booking),
              ),
            )
            .map((e) => e.eventID),
        );
        expect([...matched].sort()).toEqual([...listed].sort());
        if (matched.size > 0) some++;
        if (matched.size > 0 && matched.size < stored.length) narrowed++;
      }),
      { numRuns: 300, seed: 22 },
    );
    // The filters are not all trivially empty or trivially everything.
    expect(some).toBeGreaterThan(60);
    expect(narrowed).toBeGreaterThan(60);
  });
});
