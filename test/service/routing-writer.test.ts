/**
 * The routings of concurrent plans share writes: every plan waits for its own rows to be
 * committed, plans that finish while a write is under way go into the next one, and a failed
 * write fails exactly the plans in it.
 */
import { describe, expect, it } from 'vitest';
import type { BookingRouting } from '../../src/booking/routing.js';
import { RoutingWriter } from '../../src/service/bookings.js';

const r = (reference: string): BookingRouting => ({ reference, from: 'A', to: 'B', summary: 'A → B', legs: [] });

describe('routing writer', () => {
  it('resolves each write after its rows are saved, with concurrent writes sharing saves', async () => {
    const saved: string[][] = [];
    let release: (() => void) | undefined;
    const writer = new RoutingWriter(async (rs) => {
      saved.push(rs.map((x) => x.reference));
      // The first save is slow: the writes made meanwhile must wait and then go in one save.
      if (saved.length === 1) await new Promise<void>((res) => (release = res));
    });
    const done: string[] = [];
    const first = writer.write([r('a1'), r('a2')]).then(() => done.push('a'));
    await new Promise((res) => setImmediate(res));
    await new Promise((res) => setImmediate(res));
    expect(saved).toEqual([['a1', 'a2']]);
    const rest = ['b', 'c', 'd'].map((k) => writer.write([r(`${k}1`)]).then(() => done.push(k)));
    await new Promise((res) => setImmediate(res));
    expect(done).toEqual([]); // nothing resolves before its save
    release?.();
    await Promise.all([first, ...rest]);
    expect(saved).toEqual([
      ['a1', 'a2'],
      ['b1', 'c1', 'd1'],
    ]);
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes made in one turn of the event loop go in one save', async () => {
    const saves: number[] = [];
    const writer = new RoutingWriter(async (rs) => {
      saves.push(rs.length);
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write([r(`x${i}`), r(`y${i}`)])));
    expect(saves).toEqual([20]);
  });

  it('a failed save rejects the writes in it, and the next write is saved', async () => {
    let fail = true;
    const stored: string[] = [];
    const writer = new RoutingWriter(async (rs) => {
      if (fail) throw new Error('database is unavailable');
      stored.push(...rs.map((x) => x.reference));
    });
    const results = await Promise.allSettled([writer.write([r('p')]), writer.write([r('q')])]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await writer.write([r('s')]);
    expect(stored).toEqual(['s']);
    await writer.write([]);
    expect(stored).toEqual(['s']);
  });

  it('a routing seen committed is not written again; one whose write failed is', async () => {
    let fail = false;
    const saved: string[][] = [];
    const writer = new RoutingWriter(async (rs) => {
      if (fail) throw new Error('disk full');
      saved.push(rs.map((x) => x.reference));
    }, 2);
    await writer.write([r('a'), r('b')]);
    await writer.write([r('a'), r('c')]);
    await writer.write([r('b')]); // remembered two: c and a; b fell out, so it is written again
    expect(saved).toEqual([['a', 'b'], ['c'], ['b']]);
    fail = true;
    await expect(writer.write([r('d')])).rejects.toThrow('disk full');
    fail = false;
    await writer.write([r('d')]);
    expect(saved.at(-1)).toEqual(['d']);
  });
});
