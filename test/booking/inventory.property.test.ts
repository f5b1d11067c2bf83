/**
 * No slot sold twice, as a property: random interleavings of holds, operator confirmations and
 * declines, cancellations, updates and expiry sweeps, run concurrently in random batches against
 * the real store (SQLite; PostgreSQL as well when TEST_PG_URL is set). After every batch, for every
 * departure: booked + held ≤ capacity, and held and booked equal what the legs say (no capacity
 * leaked or lost).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerLegs, cancelBooking, expireHolds, updateBooking } from '../../src/booking/decide.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { booking, leg, T0 } from '../helpers/bookings.js';

const DEPARTURES = [
  { id: 'a@1', cap: 6, op: 'op-a' },
  { id: 'b@1', cap: 4, op: 'op-b' },
  { id: 'c@1', cap: 8, op: 'op-c' },
];

const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

type Op =
  | { kind: 'hold'; deps: number[]; teu: number }
  | { kind: 'answer'; b: number; op: number; accept: boolean }
  | { kind: 'cancel'; b: number; which: 'request' | 'confirmed' | 'amendment' }
  | { kind: 'update'; b: number; deps: number[]; teu: number }
  | { kind: 'expire'; advanceMin: number };

const deps = fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('hold' as const), deps, teu: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      b: fc.nat(30),
      op: fc.integer({ min: 0, max: 2 }),
      accept: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      b: fc.nat(30),
      which: fc.constantFrom('request' as const, 'confirmed' as const, 'amendment' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      b: fc.nat(30),
      deps,
      teu: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('expire' as const), advanceMin: fc.integer({ min: 1, max: 40 }) }),
  },
);

async function check(s: Store): Promise<void> {
  const usage = await s.bookings.departures({});
  const all = await s.bookings.list({ limit: 1000 });
  for (const d of usage) {
    expect(d.heldTeu + d.bookedTeu, `${d.id} over capacity`).toBeLessThanOrEqual(d.capacityTeu);
    expect(d.heldTeu).toBeGreaterThanOrEqual(0);
    let held = 0;
    let booked = 0;
    for (const b of all)
      for (const l of b.legs) {
        if (l.departure !== d.id) continue;
        if (l.status === 'held') held += l.teu;
        if (l.status === 'confirmed') booked += l.teu;
      }
    expect({ id: d.id, held: d.heldTeu, booked: d.bookedTeu }).toEqual({ id: d.id, held, booked });
  }
}

async function run(s: Store, batches: Op[][]): Promise<void> {
  const refs: string[] = [];
  let clock = 0;
  let n = 0;
  const legsOf = (ds: number[]) =>
    ds.map((i, k) => {
      const d = DEPARTURES[i] ?? DEPARTURES[0]!;
      return leg(k + 1, d.id, d.cap, d.op);
    });
  for (const batch of batches) {
    const now = at(clock);
    await Promise.allSettled(
      batch.map(async (o) => {
        const ref = refs.length ? refs[('b' in o ? o.b : 0) % refs.length] : undefined;
        switch (o.kind) {
          case 'hold': {
            const r = `P${String(n++).padStart(4, '0')}`;
            await s.bookings.create(booking(r, legsOf(o.deps), o.teu, { now }));
            refs.push(r);
            return;
          }
          case 'answer':
            if (!ref) return;
            await s.bookings.update(ref, (b) =>
              answerLegs(b, {
                operators: [DEPARTURES[o.op]?.op ?? 'op-a'],
                accept: o.accept,
                reason: null,
                carrierReference: `C${ref}`,
                by: 'op',
                now,
              }),
            );
            return;
          case 'cancel':
            if (!ref) return;
            await s.bookings.update(ref, (b) =>
              cancelBooking(b, { kind: o.which, reason: null, by: 'shipper-1', now }),
            );
            return;
          case 'update':
            if (!ref) return;
            await s.bookings.update(ref, (b) =>
              updateBooking(b, {
                request: {},
                routingReference: null,
                legs: legsOf(o.deps),
                teu: o.teu,
                holdMinutes: 30,
                by: 'shipper-1',
                now,
              }),
            );
            return;
          case 'expire': {
            const later = at(clock + o.advanceMin);
            for (const r of await s.bookings.dueHolds(later, 100))
              await s.bookings.update(r, (b) => expireHolds(b, later));
            return;
          }
        }
      }),
    );
    clock += 5;
    await check(s);
  }
}

const scenario = fc.array(fc.array(op, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 8 });

describe('inventory under random interleavings (fast-check)', () => {
  it('SQLite: booked + held ≤ capacity after every batch, and the legs account for every slot', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (batches) => {
        const s = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-inv-')), 'i.sqlite')}`);
        try {
          await run(s, batches);
        } finally {
          await s.close();
        }
      }),
      { numRuns: 30, seed: 160_016 },
    );
  }, 120_000);

  const url = process.env.TEST_PG_URL;
  it.skipIf(!url)(
    'PostgreSQL: the same, the batch racing over pooled connections',
    async () => {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(scenario, async (batches) => {
          const s = await openStore(url ?? '', { schema: `inv_${process.pid}_${k++}` });
          try {
            await run(s, batches);
          } finally {
            await s.close();
          }
        }),
        { numRuns: 10, seed: 160_017 },
      );
    },
    120_000,
  );
});
