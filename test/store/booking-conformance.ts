/**
 * The booking part of the store conformance suite (run by conformance.ts on SQLite and
 * PostgreSQL): holds are all or nothing, racing holds never sell a slot twice, confirmations,
 * cancellations and expiry move the inventory, and the outbox is written with the change.
 */
import { describe, expect, it } from 'vitest';
import { answerLegs, cancelBooking, expireHolds, isBookingRefusal, updateBooking } from '../../src/booking/decide.js';
import { IdempotencyConflict } from '../../src/booking/ports.js';
import type { Store } from '../../src/store/store.js';
import { at, booking, leg, T0 } from '../helpers/bookings.js';

const usage = async (s: Store, id: string) => {
  const d = (await s.bookings.departures({ ids: [id] }))[0];
  return d ? { capacity: d.capacityTeu, held: d.heldTeu, booked: d.bookedTeu } : undefined;
};

export function bookingConformance(store: () => Store, sibling: () => Promise<Store>): void {
  describe('bookings and inventory', () => {
    it('holds every leg at once and reads the booking back with its legs and history', async () => {
      const s = store();
      await s.bookings.create(
        booking('B1', [leg(1, 'train@1', 10), leg(2, null, 0, 'op-b'), leg(3, 'ferry@1', 6, 'op-c')]),
      );
      expect(await usage(s, 'train@1')).toEqual({ capacity: 10, held: 2, booked: 0 });
      expect(await usage(s, 'ferry@1')).toEqual({ capacity: 6, held: 2, booked: 0 });
      const b = await s.bookings.find('B1');
      expect(b?.status).toBe('RECEIVED');
      expect(b?.legs.map((l) => [l.seq, l.status, l.operators])).toEqual([
        [1, 'held', ['op-a']],
        [2, 'on-request', ['op-b']],
        [3, 'held', ['op-c']],
      ]);
      expect((await s.bookings.history('B1')).map((h) => [h.from, h.to, h.event])).toEqual([
        [null, 'RECEIVED', 'created'],
      ]);
      expect((await s.bookings.list({ operator: 'op-b', limit: 10 })).map((x) => x.reference)).toEqual(['B1']);
      expect(await s.bookings.list({ operator: 'op-z', limit: 10 })).toEqual([]);
    });

    it('all or nothing: a leg that does not fit leaves every departure and the booking untouched', async () => {
      const s = store();
      await s.bookings.create(booking('B1', [leg(1, 'ferry@1', 4)], 4));
      const err = await s.bookings
        .create(booking('B2', [leg(1, 'train@1', 10), leg(2, 'ferry@1', 4)], 2))
        .catch((e: unknown) => e);
      expect(isBookingRefusal(err) && err.code).toBe('no-capacity');
      expect(isBookingRefusal(err) && err.details).toMatchObject({ departure: 'ferry@1', remainingTeu: 0 });
      expect(await usage(s, 'train@1')).toBeUndefined();
      expect(await s.bookings.find('B2')).toBeUndefined();
    });

    it("stores a plan's routings in one call: duplicates once, a stored reference unchanged, any number", async () => {
      const s = store();
      const routing = (ref: string, summary = "Xi'an → Baku") => ({
        reference: ref,
        from: 'CNXIA',
        to: 'AZBAK',
        summary,
        legs: [],
      });
      await s.bookings.saveRoutings([routing('RT-A'), routing('RT-A'), routing('RT-B')], '2026-12-07T00:00:00Z');
      await s.bookings.saveRoutings([routing('RT-A', 'changed')], '2026-12-07T00:01:00Z');
      expect((await s.bookings.findRouting('RT-A'))?.summary).toBe("Xi'an → Baku");
      expect((await s.bookings.findRouting('RT-B'))?.reference).toBe('RT-B');
      // More rows than one statement takes (200): all stored.
      const many = Array.from({ length: 450 }, (_, i) => routing(`RT-M${i}`));
      await s.bookings.saveRoutings(many, '2026-12-07T00:02:00Z');
      for (const i of [0, 199, 200, 449])
        expect((await s.bookings.findRouting(`RT-M${i}`))?.reference).toBe(`RT-M${i}`);
      await s.bookings.saveRoutings([], '2026-12-07T00:03:00Z');
      expect(await s.bookings.findRouting('RT-none')).toBeUndefined();
    });

    it('1,000 racing holds for the last 10 slots from two connections: exactly 10 win, losers told why', async () => {
      const s = store();
      const t = await sibling();
      const n = 1000;
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) =>
          (i % 2 ? t : s).bookings.create(booking(`R${String(i).padStart(4, '0')}`, [leg(1, 'last@1', 10)], 1)),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled').length;
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toBe(10);
      for (const r of lost) expect(isBookingRefusal(r.reason) && r.reason.code).toBe('no-capacity');
      expect(await usage(s, 'last@1')).toEqual({ capacity: 10, held: 10, booked: 0 });
    });

    it('reversed multi-leg holds racing: no deadlock left, inventory consistent', async () => {
      const s = store();
      const t = await sibling();
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? t : s).bookings.create(
            booking(
              `M${String(i).padStart(3, '0')}`,
              i % 2 ? [leg(1, 'x@1', 20), leg(2, 'y@1', 20)] : [leg(1, 'y@1', 20), leg(2, 'x@1', 20)],
              1,
            ),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(20);
      expect(await usage(s, 'x@1')).toMatchObject({ held: 20 });
      expect(await usage(s, 'y@1')).toMatchObject({ held: 20 });
    });

    it('operators confirm their legs (held → booked); CONFIRMED when all are; cancel releases', async () => {
      const s = store();
      await s.bookings.create(booking('B1', [leg(1, 'train@1', 10, 'op-a'), leg(2, 'ferry@1', 10, 'op-b')]));
      const ans =
        (ops: string[], accept = true) =>
        (b: Parameters<typeof answerLegs>[0]) =>
          answerLegs(b, { operators: ops, accept, reason: null, carrierReference: 'CB1', by: 'k', now: at(60) });
      let b = await s.bookings.update('B1', ans(['op-a']));
      expect(b?.status).toBe('RECEIVED');
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0, booked: 2 });
      b = await s.bookings.update('B1', ans(['op-b']));
      expect(b?.status).toBe('CONFIRMED');
      expect(b?.carrierReference).toBe('CB1');
      expect((await s.bookings.find('CB1'))?.reference).toBe('B1');
      await expect(s.bookings.update('B1', ans(['op-b']))).rejects.toThrow(/already answered|nothing to answer/);
      b = await s.bookings.update('B1', (x) =>
        cancelBooking(x, { kind: 'confirmed', reason: 'changed plans', by: 'shipper-1', now: at(120) }),
      );
      expect(b?.status).toBe('CANCELLED');
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0, booked: 0 });
      expect(await usage(s, 'ferry@1')).toMatchObject({ held: 0, booked: 0 });
      expect((await s.bookings.history('B1')).map((h) => h.to)).toEqual([
        'RECEIVED',
        'RECEIVED',
        'CONFIRMED',
        'CANCELLED',
      ]);
    });

    it('an amendment holds beside the reservation, replaces it when confirmed, or fails leaving it', async () => {
      const s = store();
      const ok = (ops: string[]) => (b: Parameters<typeof answerLegs>[0]) =>
        answerLegs(b, { operators: ops, accept: true, reason: null, carrierReference: 'CB1', by: 'k', now: at(5) });
      await s.bookings.create(booking('B1', [leg(1, 'train@1', 10, 'op-a')], 2));
      await s.bookings.update('B1', ok(['op-a']));
      const amend = (dep: string, cap: number, teu: number) => (b: Parameters<typeof answerLegs>[0]) =>
        updateBooking(b, {
          request: { amended: true },
          routingReference: null,
          legs: [leg(1, dep, cap, 'op-a')],
          teu,
          holdMinutes: 30,
          by: 'shipper-1',
          now: at(10),
        });
      // 2 booked + 9 more held on the same departure does not fit 10: nothing changes.
      await expect(s.bookings.update('B1', amend('train@1', 10, 9))).rejects.toThrow(/TEU left/);
      let b = await s.bookings.find('B1');
      expect([b?.status, b?.amendedStatus, b?.version]).toEqual(['CONFIRMED', null, 2]);
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0, booked: 2 });
      b = await s.bookings.update('B1', amend('train@2', 10, 4));
      expect([b?.status, b?.amendedStatus]).toEqual(['CONFIRMED', 'AMENDMENT_RECEIVED']);
      expect(await usage(s, 'train@2')).toMatchObject({ held: 4 });
      b = await s.bookings.update('B1', ok(['op-a']));
      expect([b?.status, b?.amendedStatus, b?.request]).toEqual([
        'CONFIRMED',
        'AMENDMENT_CONFIRMED',
        { amended: true },
      ]);
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0, booked: 0 });
      expect(await usage(s, 'train@2')).toMatchObject({ held: 0, booked: 4 });
    });

    it('a declined leg rejects the booking and releases its other holds at once', async () => {
      const s = store();
      await s.bookings.create(booking('B1', [leg(1, 'train@1', 10, 'op-a'), leg(2, 'ferry@1', 10, 'op-b')]));
      await s.bookings.update('B1', (b) =>
        answerLegs(b, {
          operators: ['op-a'],
          accept: true,
          reason: null,
          carrierReference: 'CB1',
          by: 'k',
          now: at(1),
        }),
      );
      const b = await s.bookings.update('B1', (x) =>
        answerLegs(x, {
          operators: ['op-b'],
          accept: false,
          reason: 'full',
          carrierReference: 'CB1',
          by: 'k',
          now: at(2),
        }),
      );
      expect(b?.status).toBe('REJECTED');
      expect(b?.legs.map((l) => l.status)).toEqual(['released', 'declined']);
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0, booked: 0 });
      expect(await usage(s, 'ferry@1')).toMatchObject({ held: 0, booked: 0 });
    });

    it('expired holds are found and released, and a confirmation racing the expiry loses cleanly', async () => {
      const s = store();
      await s.bookings.create(booking('B1', [leg(1, 'train@1', 10)]));
      expect(await s.bookings.dueHolds(at(60), 10)).toEqual([]);
      const late = at(31 * 60);
      expect(await s.bookings.dueHolds(late, 10)).toEqual(['B1']);
      await expect(
        s.bookings.update('B1', (b) =>
          answerLegs(b, { operators: ['op-a'], accept: true, reason: null, carrierReference: 'C', by: 'k', now: late }),
        ),
      ).rejects.toThrow(/lapsed/);
      const b = await s.bookings.update('B1', (x) => expireHolds(x, late));
      expect(b?.status).toBe('REJECTED');
      expect(await usage(s, 'train@1')).toMatchObject({ held: 0 });
      expect(await s.bookings.dueHolds(late, 10)).toEqual([]);
      // A second sweep finds nothing to do.
      expect((await s.bookings.update('B1', (x) => expireHolds(x, late)))?.version).toBe(b?.version);
    });

    it('Idempotency-Key records commit with the booking; a second use of the key is refused', async () => {
      const s = store();
      const idem = { scope: 'k1', key: 'abc', fingerprint: 'f', status: 202, body: { r: 'B1' }, createdAt: T0 };
      await s.bookings.create(booking('B1', [leg(1, 'train@1', 10)]), () => idem);
      expect((await s.bookings.findIdempotent('k1', 'abc'))?.body).toEqual({ r: 'B1' });
      await expect(s.bookings.create(booking('B2', [leg(1, 'train@1', 10)]), () => idem)).rejects.toBeInstanceOf(
        IdempotencyConflict,
      );
      expect(await s.bookings.find('B2')).toBeUndefined();
      expect(await usage(s, 'train@1')).toMatchObject({ held: 2 });
    });

    it("a receiver's batch size and pause are kept per subscription, the stricter one winning", async () => {
      const s = store();
      await s.outbox.subscribe({ id: 'sub9', owner: 'o', url: 'http://x/', secret: 's', topics: ['*'], createdAt: T0 });
      expect(await s.outbox.findSubscription('sub9')).toMatchObject({ deliveryBatch: null, pausedUntil: null });
      await s.outbox.setDeliveryState('sub9', { deliveryBatch: 25, pausedUntil: at(120) });
      // Another instance saw an older, looser answer: it does not undo the stricter one.
      await s.outbox.setDeliveryState('sub9', { deliveryBatch: 50, pausedUntil: at(60) });
      expect(await s.outbox.findSubscription('sub9')).toMatchObject({ deliveryBatch: 25, pausedUntil: at(120) });
      await s.outbox.setDeliveryState('sub9', { deliveryBatch: 12 });
      expect((await s.outbox.findSubscription('sub9'))?.deliveryBatch).toBe(12);
    });

    it('the outbox gets one message per event and subscription, only when the change commits', async () => {
      const s = store();
      await s.outbox.subscribe({
        id: 'sub1',
        owner: 'shipper-1',
        url: 'http://127.0.0.1:1/hook',
        secret: 's',
        topics: ['booking.'],
        createdAt: T0,
      });
      await s.outbox.subscribe({
        id: 'sub2',
        owner: 'operator:op-a',
        url: 'http://x/',
        secret: 's',
        topics: ['*'],
        createdAt: T0,
      });
      await s.bookings.create(booking('B1', [leg(1, 'full@1', 2)]));
      await s.bookings.create(booking('B2', [leg(1, 'full@1', 2)])).catch(() => undefined);
      const msgs = (await s.outbox.list({ limit: 10 })).sort((a, b) => a.subscription.localeCompare(b.subscription));
      expect(msgs.map((m) => [m.subscription, m.topic, m.payload.carrierBookingRequestReference])).toEqual([
        ['sub1', 'booking.status', 'B1'],
        ['sub2', 'booking.status', 'B1'],
      ]);
      const claimed = await s.outbox.claimDue('w1', at(1), at(61), 10);
      expect(claimed).toHaveLength(2);
      expect(await s.outbox.claimDue('w2', at(2), at(62), 10)).toEqual([]);
      await s.outbox.delivered(claimed[0]!.id, at(3));
      await s.outbox.failed(claimed[1]!.id, 'HTTP 500', at(3), at(30));
      expect(await s.outbox.claimDue('w2', at(10), at(70), 10)).toEqual([]);
      expect((await s.outbox.claimDue('w2', at(30), at(90), 10)).map((m) => [m.id, m.attempts])).toEqual([
        [claimed[1]!.id, 1],
      ]);
    });
  });
}
