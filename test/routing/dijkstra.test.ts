import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DijkstraWorkspace, NO_ARC, UNREACHED } from '../../src/routing/dijkstra.js';

/** Bellman–Ford as the reference: simple, obviously right, O(VE). */
function bellmanFord(n: number, arcs: { u: number; v: number; w: number; banned: boolean }[], s: number): number[] {
  const d = new Array<number>(n).fill(Infinity);
  d[s] = 0;
  for (let i = 0; i < n; i++) for (const a of arcs) if (!a.banned && d[a.u]! + a.w < d[a.v]!) d[a.v] = d[a.u]! + a.w;
  return d;
}

const arbGraph = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    arcs: fc.array(
      fc.record({ u: fc.nat(n - 1), v: fc.nat(n - 1), w: fc.integer({ min: 0, max: 100 }), banned: fc.boolean() }),
      { maxLength: 120 },
    ),
    s: fc.nat(n - 1),
  }),
);

describe('DijkstraWorkspace', () => {
  it('matches Bellman–Ford, skips banned arcs and records a consistent predecessor tree (fast-check)', () => {
    fc.assert(
      fc.property(arbGraph, ({ n, arcs, s }) => {
        const sorted = [...arcs].sort((a, b) => a.u - b.u);
        const start = new Uint32Array(n + 1);
        for (const a of sorted) start[a.u + 1]!++;
        for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
        const g = { vertexCount: n, start, target: Uint32Array.from(sorted, (a) => a.v) };
        const w = Float64Array.from(sorted, (a) => a.w);
        const banned = Uint8Array.from(sorted, (a) => (a.banned ? 1 : 0));
        const ws = new DijkstraWorkspace(n);
        ws.run(g, w, s, banned);
        const ref = bellmanFord(n, sorted, s);
        for (let v = 0; v < n; v++) {
          expect(ws.dist[v]).toBe(ref[v] === Infinity ? UNREACHED : ref[v]);
          const e = ws.predArc[v]!;
          if (v === s || ws.dist[v] === UNREACHED) expect(e).toBe(NO_ARC);
          else {
            expect(banned[e]).toBe(0);
            expect(g.target[e]).toBe(v);
            const u = sorted[e]!.u;
            expect(ws.dist[u]! + w[e]!).toBe(ws.dist[v]);
          }
        }
        // The workspace is reusable: a second run from the same source gives the same answer.
        const again = Float64Array.from(ws.dist);
        ws.run(g, w, s, banned);
        expect(Array.from(ws.dist)).toEqual(Array.from(again));
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
