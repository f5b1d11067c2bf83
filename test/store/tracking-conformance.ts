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

    it('event subscriptions: owned rows, filters kept, fan-out moves the cursor once, delivery status', async () => {
      const sub = (id: string, owner: string, cursorSeq = 0) => ({
        id,
        owner,
        callbackUrl: `http://127.0.0.1:9/${id}`,
        secret: 'c2VjcmV0',
        filter: { eventType: ['TRANSPORT'], carrierBookingReference: 'B1' },
        createdAt: NOW,
        updatedAt: NOW,
        cursorSeq,
      });
      const es = store.eventSubscriptions;
      expect(await es.latestEventSeq()).toBe(0);
      await store.tracking.insertEvents(
        [ev('e1', '2026-12-01T00:00:00.000Z'), ev('e2', '2026-12-02T00:00:00.000Z')],
        NOW,
      );
      expect(await es.latestEventSeq()).toBe(2);
      await es.createSubscription(sub('s-b', 'k1', 2));
      await es.createSubscription(sub('s-a', 'k1'));
      await es.createSubscription(sub('s-c', 'k2'));
      expect((await es.listSubscriptions('k1', undefined, 10)).map((x) => x.id)).toEqual(['s-a', 's-b']);
      expect((await es.listSubscriptions('k1', 's-a', 10)).map((x) => x.id)).toEqual(['s-b']);
      expect((await es.listSubscriptions(undefined, undefined, 10)).map((x) => x.id)).toEqual(['s-a', 's-b', 's-c']);
      expect(await es.findSubscription('s-b')).toEqual(sub('s-b', 'k1', 2));
      // Not a booking webhook: the booking outbox and its subscription list leave it alone.
      expect(await store.outbox.enqueue([{ topic: 'booking.x', audience: ['k1'], payload: {} }], NOW)).toBe(0);

      const u = await es.updateSubscription(
        's-a',
        { callbackUrl: 'http://h/new', filter: {} },
        '2026-12-07T09:00:00.000Z',
      );
      expect(u).toMatchObject({ callbackUrl: 'http://h/new', filter: {}, updatedAt: '2026-12-07T09:00:00.000Z' });
      expect((await es.updateSubscription('s-a', { secret: 'bmV3' }, NOW))?.secret).toBe('bmV3');
      expect(await es.updateSubscription('nope', { secret: 'x' }, NOW)).toBeUndefined();

      const n = (id: string, seq: number) => ({ eventID: id, seq, body: { eventID: id } });
      expect(await es.fanOut('s-a', 0, 2, [n('e1', 1), n('e2', 2)], NOW)).toBe(true);
      // A second instance with the old cursor writes nothing.
      expect(await es.fanOut('s-a', 0, 2, [n('e1', 1), n('e2', 2)], NOW)).toBe(false);
      expect((await es.findSubscription('s-a'))?.cursorSeq).toBe(2);
      const claimed = await store.outbox.claimDue('w', NOW, '2026-12-07T08:01:00.000Z', 10);
      expect(claimed.map((m) => [m.subscription, m.payload.eventID, m.topic])).toEqual([
        ['s-a', 'e1', 'tnt.event'],
        ['s-a', 'e2', 'tnt.event'],
      ]);
      expect((await store.outbox.findSubscription('s-a'))?.kind).toBe('tnt');
      await store.outbox.delivered(claimed[0]!.id, NOW);
      await store.outbox.failed(claimed[1]!.id, 'HTTP 302', '2026-12-07T08:00:30.000Z', null);
      expect(await es.deliveryStatus('s-a')).toEqual({
        pending: 0,
        delivered: 1,
        deadLettered: 1,
        lastDeliveredAt: NOW,
        lastError: 'HTTP 302',
        deadLetters: [{ eventID: 'e2', attempts: 1, lastError: 'HTTP 302', failedAt: '2026-12-07T08:00:30.000Z' }],
      });
      // Postponed messages come back when due, without an attempt counted.
      expect(await es.fanOut('s-b', 2, 3, [n('e3', 3)], NOW)).toBe(true);
      const [m3] = await store.outbox.claimDue('w', NOW, '2026-12-07T08:01:00.000Z', 10);
      await store.outbox.postpone([m3!.id], '2026-12-07T09:00:00.000Z');
      expect(await store.outbox.claimDue('w', '2026-12-07T08:30:00.000Z', '2026-12-07T08:31:00.000Z', 10)).toEqual([]);
      const back = await store.outbox.claimDue('w', '2026-12-07T09:00:00.000Z', '2026-12-07T09:01:00.000Z', 10);
      expect(back.map((m) => [m.id, m.attempts])).toEqual([[m3!.id, 0]]);
      expect((await es.deliveryStatus('s-b')).pending).toBe(1);
      expect(await es.deleteSubscription('s-b')).toBe(true);
      expect(await es.deleteSubscription('s-b')).toBe(false);
      expect(await es.findSubscription('s-b')).toBeUndefined();
      expect((await es.deliveryStatus('s-b')).pending).toBe(0);
    });
  });
}
