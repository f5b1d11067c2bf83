/** The booking views' logic: the DCSA request, the hold countdown, legs, who answers, utilisation, paging. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendPage,
  awaitingOperators,
  type BookingLeg,
  type BookingSummary,
  bookingLine,
  bookingRequest,
  canAnswer,
  type Departure,
  holdCountdown,
  legRows,
  utilisationRows,
} from '../../web/src/booking/model.js';

const leg = (seq: number, status: BookingLeg['status'], operators: string[], departure: string | null): BookingLeg => ({
  seq,
  operators,
  service: departure ? departure.split('@')[0]! : null,
  departure,
  onRequest: departure === null,
  from: ['CNXIA', 'KZDOS', 'KZAAU', 'AZALA'][seq - 1]!,
  to: ['KZDOS', 'KZAAU', 'AZALA', 'AZBAK'][seq - 1]!,
  departureTime: '2026-12-08T22:00:00+08:00',
  arrivalTime: '2026-12-11T03:16:00+05:00',
  teu: 2,
  status,
  note: null,
});

const booking = (legs: BookingLeg[], status: BookingSummary['bookingStatus'] = 'RECEIVED'): BookingSummary => ({
  carrierBookingRequestReference: 'BR1',
  bookingStatus: status,
  routingReference: 'CR1',
  holdExpiresAt: '2026-12-07T15:51:05.240Z',
  legs,
  createdAt: '2026-12-07T15:21:05.240Z',
  updatedAt: '2026-12-07T15:21:05.240Z',
});

describe('booking request', () => {
  it('books the routing reference with N × 42G1, ROU only, and a bounded party name', () => {
    const b = bookingRequest('CR1K3AJFU197WO7D', 3, `  ${'x'.repeat(100)} `);
    expect(b.routingReference).toBe('CR1K3AJFU197WO7D');
    expect(b.shipmentLocations.map((l) => l.locationTypeCode)).toEqual(['ROU']);
    expect(b.requestedEquipments).toEqual([{ ISOEquipmentCode: '42G1', units: 3, isShipperOwned: false }]);
    expect(b.documentParties.bookingAgent.partyName).toHaveLength(70);
    expect(bookingRequest('CR1', 1, '  ').documentParties.bookingAgent.partyName).toBe('Corridor web planner');
  });
});

describe('hold countdown', () => {
  const end = Date.parse('2026-12-07T15:51:05.240Z');
  it('counts down in m:ss, h:mm:ss past an hour, and says when it lapsed', () => {
    expect(holdCountdown('2026-12-07T15:51:05.240Z', end - 29 * 60_000 - 41_000)?.text).toBe('29:41');
    expect(holdCountdown('2026-12-07T15:51:05.240Z', end - 3_725_000)?.text).toBe('1:02:05');
    expect(holdCountdown('2026-12-07T15:51:05.240Z', end)).toEqual({ expired: true, secondsLeft: 0, text: 'expired' });
    expect(holdCountdown(null, end)).toBeNull();
    expect(holdCountdown('not a date', end)).toBeNull();
  });
  it('never goes up as time passes, and reads back as the seconds left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000 }), (left, dt) => {
        const a = holdCountdown('2026-12-07T15:51:05.240Z', end - left);
        const b = holdCountdown('2026-12-07T15:51:05.240Z', end - left + dt);
        expect(b!.secondsLeft).toBeLessThanOrEqual(a!.secondsLeft);
        const parts = a!.text === 'expired' ? [0] : a!.text.split(':').map(Number);
        expect(parts.reduce((s, p) => s * 60 + p, 0)).toBe(a!.secondsLeft);
      }),
    );
  });
});

describe('legs and answers', () => {
  const legs = [
    leg(2, 'on-request', ['ktz'], null),
    leg(1, 'held', ['china-railway'], 'xian-dostyk-block-train@2026-12-08T14:00Z'),
    leg(3, 'confirmed', ['kazmortransflot', 'asco'], null),
    leg(4, 'on-request', ['ady'], null),
  ];
  it('lists legs in travel order with their status, departure or why none', () => {
    const rows = legRows(legs);
    expect(rows.map((r) => [r.seq, r.statusText, r.open])).toEqual([
      [1, 'held', true],
      [2, 'on request', true],
      [3, 'confirmed', false],
      [4, 'on request', true],
    ]);
    expect(rows[0]).toMatchObject({
      departure: 'xian-dostyk-block-train',
      departureId: 'xian-dostyk-block-train@2026-12-08T14:00Z',
      departsAt: '2026-12-08T22:00:00+08:00',
    });
    expect(rows[1]!.departure).toBe('on request (no published service)');
    expect(rows[1]!.departureId).toBeNull();
    expect(rows[2]!.operators).toBe('kazmortransflot, asco');
  });
  it('names who still has to answer, and lets only them answer an open booking', () => {
    expect(awaitingOperators(legs)).toEqual(['china-railway', 'ktz', 'ady']);
    const b = booking(legs);
    expect(canAnswer(b, 'ktz')).toBe(true);
    expect(canAnswer(b, 'asco')).toBe(false);
    expect(canAnswer(booking(legs, 'CONFIRMED'), 'ktz')).toBe(false);
    expect(bookingLine(b)).toBe('CNXIA → AZBAK · 4 legs, 1 confirmed');
  });
});

describe('departures board', () => {
  const dep = (id: string, at: string, cap: number | null, held: number, booked: number): Departure => ({
    id,
    service: id.split('@')[0]!,
    operator: 'China Railway',
    departsAt: at,
    capacity: cap === null ? null : { teu: cap, value: cap / 2, unit: 'wagons' },
    heldTeu: held,
    bookedTeu: booked,
    remainingTeu: cap === null ? null : cap - held - booked,
  });
  it('orders by time and gives the share taken, held or booked', () => {
    const rows = utilisationRows([
      dep('s@2', '2026-12-09T14:00Z', 110, 0, 0),
      dep('s@1', '2026-12-08T14:00Z', 110, 2, 20),
      dep('t@1', '2026-12-08T10:00Z', null, 0, 0),
    ]);
    expect(rows.map((r) => r.id)).toEqual(['t@1', 's@1', 's@2']);
    expect(rows[1]).toMatchObject({ share: 22 / 110, busy: true, remainingTeu: 88 });
    expect(rows[0]!.share).toBeNull();
    expect(rows[2]!.busy).toBe(false);
  });
  it('keeps every page in order and the last cursor', () => {
    const p1 = appendPage(null, [1, 2], 'c1');
    const p2 = appendPage(p1, [3], null);
    expect(p2).toEqual({ items: [1, 2, 3], next: null });
  });
});
