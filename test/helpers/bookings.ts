/** Builders for booking tests: routing legs with dated departures, and create commands. */
import { type CreateCommand, createBooking, type LegToHold } from '../../src/booking/decide.js';
import type { BookingChange } from '../../src/booking/model.js';

export const T0 = '2026-12-07T08:00:00.000Z';
export const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

/** A leg on departure `dep` of `capacityTeu` (null: on request) operated by `operator`. */
export function leg(seq: number, dep: string | null, capacityTeu: number, operator = 'op-a'): LegToHold {
  return {
    leg: {
      seq,
      operators: [operator],
      operatorName: operator,
      service: dep ? dep.split('@')[0]! : null,
      serviceName: dep,
      departure: dep,
      departsAt: dep ? '2026-12-08T14:00Z' : null,
      capacity: dep ? { value: capacityTeu, unit: 'TEU' } : null,
      from: `A${seq}`,
      to: `A${seq + 1}`,
      fromName: `A${seq}`,
      toName: `A${seq + 1}`,
      mode: 'rail',
      linkIds: [`l${seq}`],
      departureTime: '2026-12-08T22:00:00+08:00',
      arrivalTime: '2026-12-09T22:00:00+08:00',
    },
    departure: dep
      ? { id: dep, service: dep.split('@')[0]!, operator, departsAt: '2026-12-08T14:00Z', capacityTeu }
      : null,
  };
}

export function booking(
  reference: string,
  legs: LegToHold[],
  teu = 2,
  opts: Partial<CreateCommand> = {},
): BookingChange {
  return createBooking({
    reference,
    owner: 'shipper-1',
    request: { receiptTypeAtOrigin: 'CY' },
    routingReference: null,
    legs,
    teu,
    holdMinutes: 30,
    by: 'shipper-1',
    now: T0,
    ...opts,
  });
}
