/**
 * Bookings as tracking's shipments: a booking's legs in effect (its current generation, without
 * released or declined legs) with the operators that run them, the booked services and departure
 * times (to find the itinerary again in the timetable for the forecast), and who may see its
 * events — the shipper that owns it, the operators of its legs, admin.
 */
import type { BookingRepository } from '../booking/ports.js';
import type { BookingState } from '../booking/model.js';
import type { ShipmentDirectory, TrackedShipment, Viewer } from './tracking.js';

/** Bookings listed per page when collecting what a key may see. */
const PAGE = 500;
/** At most this many bookings' events visible to one key through the event list (oldest first). */
const MAX_VISIBLE = 20_000;

export function shipmentOf(b: BookingState): TrackedShipment | undefined {
  const legs = b.legs
    .filter((l) => l.generation === b.generation && l.status !== 'released' && l.status !== 'declined')
    .sort((x, y) => x.seq - y.seq);
  const first = legs[0];
  const last = legs[legs.length - 1];
  if (!first || !last) return undefined;
  // Ready a minute before the first departure: the search from there finds the booked departures again.
  const ready = new Date(Date.parse(first.departureTime) - 60_000).toISOString();
  return {
    reference: b.reference,
    legs: legs.map((l) => ({
      from: l.from,
      to: l.to,
      operator: (l.operators.length ? l.operators : [l.operator]).join(' / '),
      service: l.service,
    })),
    planRequest: { from: first.from, to: last.to, ready },
    legKeys: legs.map((l) => ({ service: l.service, departure: new Date(Date.parse(l.departureTime)).toISOString() })),
    // The parties of the booking's own notifications: its owner and the operators of its legs.
    audience: [b.owner, ...new Set(legs.flatMap((l) => (l.operators.length ? l.operators : [l.operator])))].map(
      (p, i) => (i === 0 ? p : `operator:${p}`),
    ),
  };
}

export function bookedShipments(repo: BookingRepository): ShipmentDirectory {
  return {
    async find(refs) {
      const out = new Map<string, TrackedShipment>();
      for (const r of refs) {
        const b = await repo.find(r);
        const s = b ? shipmentOf(b) : undefined;
        if (s) out.set(r, s);
      }
      return out;
    },
    async visibleTo(v: Viewer) {
      if (v.role === 'admin') return 'all';
      const refs: string[] = [];
      let after: string | undefined;
      while (refs.length < MAX_VISIBLE) {
        const page = await repo.list({
          limit: PAGE,
          ...(after ? { after } : {}),
          ...(v.role === 'operator' ? { operator: v.operator ?? '' } : { owner: v.owner ?? v.keyId }),
        });
        refs.push(...page.map((b) => b.reference));
        if (page.length < PAGE) break;
        after = page[page.length - 1]?.reference;
      }
      return refs;
    },
  };
}
