/**
 * Track & trace tables in the store conformance suite: the same cases on SQLite and PostgreSQL
 * (sqlite.test.ts, postgres.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import type { NewTrackingEvent } from '../../src/store/tracking.js';
import type { StoreFactory } from './conformance.js';

const NOW = '2026-12-07T08:00:00.000Z';

function ev(id: string, at: string, over: Partial<NewTrackingEvent> = {}): NewTrackingEvent {
  const body = { eventID: id, eventDateTime: at, eventType: over.eventType ?? 'TRANSPORT' };
  return {
    eventID: id,
    eventType: 'TRANSPORT',
    classifier: 'ACT',
    typeCode: 'DEPA',
    eventAt: at,
    eventCreatedAt: at,
    locode: 'KZAAU',
    equipmentReference: 'MSKU1234565',
    transportCallID: 'tc-1',
    carrierServiceCode: null,
    vesselIMONumber: null,
    exportVoyageNumber: null,
    documentTypeCode: null,
    transportDocumentReference: null,
    postedBy: 'k1',
    body: JSON.stringify(body),
    links: [{ booking: 'B1', leg: 1, rank: 12, flag: null }],
    ...over,
  };
}

export function trackingConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance, track & trace: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.fresh();
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores events once by eventID: a replay is a duplicate, another body with the id a conflict', async () => {
      const a = ev('e1', '2026-12-01T10:00:00.000Z');
      const r1 = await store.tracking.insertEvents([a, ev('e2', '2026-12-01T09:00:00.000Z')], NOW);
      expect(r1.inserted.map((e) => [e.eventID, e.seq])).toEqual([
        ['e1', 1],
        ['e2', 2],
      ]);
      const r2 = await store.tracking.insertEvents(
        [a, ev('e1', '2026-12-01T11:00:00.000Z'), ev('e3', '2026-12-01T12:00:00.000Z')],
        NOW,
      );
      expect(r2.inserted.map((e) => [e.eventID, e.seq])).toEqual([['e3', 3]]);
      expect(r2.duplicates).toEqual(['e1']);
      expect(r2.conflicts).toEqual(['e1']);
      const found = await store.tracking.findEvent('e1');
      expect(found?.body).toEqual(JSON.parse(a.body));
      expect(found?.links).toEqual(a.links);
      expect(await store.tracking.findEvent('nope')).toBeUndefined();
    });

    it('lists by eventDateTime (late events in their place), filters, and pages by keyset', async () => {
      await store.tracking.insertEvents(
        [
          ev('c', '2026-12-03T00:00:00.000Z'),
          ev('a', '2026-12-01T00:00:00.000Z', { eventType: 'EQUIPMENT', typeCode: 'LOAD', locode: 'CNXIA' }),
          ev('b', '2026-12-02T00:00:00.000Z', { links: [{ booking: 'B2', leg: null, rank: null, flag: null }] }),
        ],
        NOW,
      );
      // A late event, older than all.
      await store.tracking.insertEvents([ev('z', '2026-11-30T00:00:00.000Z', { typeCode: 'ARRI' })], NOW);
      const all = await store.tracking.listEvents({ limit: 10 });
      expect(all.map((e) => e.eventID)).toEqual(['z', 'a', 'b', 'c']);
      const page1 = await store.tracking.listEvents({ limit: 2 });
      const last = page1[page1.length - 1]!;
      const page2 = await store.tracking.listEvents({
        limit: 2,
        after: { eventAt: last.eventAt, eventID: last.eventID },
      });
      expect([...page1, ...page2].map((e) => e.eventID)).toEqual(['z', 'a', 'b', 'c']);
      const ids = async (f: Omit<Parameters<Store['tracking']['listEvents']>[0], 'limit'>) =>
        (await store.tracking.listEvents({ limit: 10, ...f })).map((e) => e.eventID);
      expect(await ids({ eventTypes: ['EQUIPMENT'] })).toEqual(['a']);
      expect(await ids({ typeCodes: { TRANSPORT: ['DEPA'] } })).toEqual(['a', 'b', 'c']);
      expect(await ids({ locode: 'CNXIA' })).toEqual(['a']);
      expect(await ids({ booking: 'B2' })).toEqual(['b']);
      expect(await ids({ visibleBookings: ['B1'] })).toEqual(['z', 'a', 'c']);
      expect(await ids({ visibleBookings: [] })).toEqual([]);
      expect(await ids({ created: { op: 'gte', at: '2026-12-02T00:00:00.000Z' } })).toEqual(['b', 'c']);
      expect(await ids({ created: { op: 'lt', at: '2026-12-01T00:00:00.000Z' } })).toEqual(['z']);
      expect((await store.tracking.eventsSince(2, 10)).map((e) => e.eventID)).toEqual(['b', 'z']);
      expect((await store.tracking.eventsSince(0, 10, 'B2')).map((e) => e.eventID)).toEqual(['b']);
    });

    it('keeps flagged events but leaves them out of the accepted placements', async () => {
      await store.tracking.insertEvents(
        [
          ev('ok', '2026-12-01T00:00:00.000Z'),
          ev('bad', '2026-11-01T00:00:00.000Z', {
            links: [{ booking: 'B1', leg: 1, rank: 13, flag: 'arrival before departure' }],
          }),
        ],
        NOW,
      );
      const acc = await store.tracking.acceptedPlacements(['B1', 'B9']);
      expect(acc.get('B1')?.map((p) => p.eventID)).toEqual(['ok']);
      expect(acc.get('B9')).toBeUndefined();
      expect((await store.tracking.findEvent('bad'))?.links[0]?.flag).toBe('arrival before departure');
    });

    it('keeps every forecast revision of a booking', async () => {
      expect(await store.tracking.listForecasts('B1')).toEqual([]);
      const f1 = await store.tracking.appendForecast('B1', { p50: 1 }, null, NOW);
      const f2 = await store.tracking.appendForecast('B1', { p50: 2 }, 'e1', NOW);
      await store.tracking.appendForecast('B2', { p50: 9 }, null, NOW);
      expect([f1.revision, f2.revision]).toEqual([1, 2]);
      expect((await store.tracking.listForecasts('B1')).map((f) => [f.revision, f.body, f.triggerEventID])).toEqual([
        [1, { p50: 1 }, null],
        [2, { p50: 2 }, 'e1'],
      ]);
    });
  });
}
