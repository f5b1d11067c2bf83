/** The Sankey layout conserves flow and scales every band alike. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sankeyLayout, type SankeyFlow } from '../../web/src/compare/sankey.js';

const flowArb = fc.array(
  fc.record({
    origin: fc.constantFrom('Xi’an', 'Almaty', 'Urumqi'),
    route: fc.constantFrom('middle', 'northern', 'sea-suez'),
    destination: fc.constantFrom('Duisburg', 'Istanbul'),
    teu: fc.integer({ min: 1, max: 50_000 }),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('sankeyLayout', () => {
  it('conserves flow at the route nodes, fits the height and keeps bands inside their nodes', () => {
    fc.assert(
      fc.property(flowArb, (flows: SankeyFlow[]) => {
        const L = sankeyLayout(flows, 200, 240, 10, 8);
        const total = flows.reduce((s, f) => s + f.teu, 0);
        const col = (c: number) => L.nodes.filter((n) => n.column === c);
        for (const c of [0, 1, 2]) expect(col(c).reduce((s, n) => s + n.value, 0)).toBeCloseTo(total, 6);
        for (const n of col(1)) {
          const into = L.links.filter((l) => l.target === n.id).reduce((s, l) => s + l.value, 0);
          const out = L.links.filter((l) => l.source === n.id).reduce((s, l) => s + l.value, 0);
          expect(into).toBeCloseTo(out, 6);
        }
        for (const n of L.nodes) {
          expect(n.y).toBeGreaterThanOrEqual(-1e-6);
          expect(n.y + n.height).toBeLessThanOrEqual(240 + 1e-6);
        }
        const scale = L.links[0]!.width / L.links[0]!.value;
        for (const l of L.links) {
          expect(l.width / l.value).toBeCloseTo(scale, 9);
          const s = L.nodes.find((n) => n.id === l.source)!;
          const t = L.nodes.find((n) => n.id === l.target)!;
          expect(l.y0).toBeGreaterThanOrEqual(s.y - 1e-6);
          expect(l.y0 + l.width).toBeLessThanOrEqual(s.y + s.height + 1e-6);
          expect(l.y1).toBeGreaterThanOrEqual(t.y - 1e-6);
          expect(l.y1 + l.width).toBeLessThanOrEqual(t.y + t.height + 1e-6);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });
  it('ignores empty flows', () => {
    expect(sankeyLayout([{ origin: 'a', route: 'r', destination: 'b', teu: 0 }], 100, 100).nodes).toEqual([]);
  });
});
