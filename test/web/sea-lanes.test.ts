/** Sea lanes: around land on a water grid, through the gap, exact at the ends. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rasterizeLand } from '../../web/src/map/raster.js';
import { isLand, SeaRouter, type LonLat, type WaterGrid } from '../../web/src/map/sea-lanes.js';

type Ring = [number, number][];
const box = (w: number, s: number, e: number, n: number): Ring => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const landAt = (g: WaterGrid, [lon, lat]: LonLat) =>
  isLand(g, Math.floor((g.north - lat) / g.cellDeg) * g.width + Math.floor((lon - g.west) / g.cellDeg));

/** Points every 0.05° along the line, for checking what it crosses. */
function sample(line: LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (let k = 0; k + 1 < line.length; k++) {
    const [a, b] = [line[k]!, line[k + 1]!];
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 0.05));
    for (let i = 0; i <= n; i++) out.push([a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n]);
  }
  return out;
}

describe('rasterizeLand', () => {
  it('fills cells whose centre is inside, keeps holes as water and wraps past 180°', () => {
    const g = rasterizeLand([[box(0, 0, 10, 10), box(4, 4, 6, 6)], [box(175, 20, 185, 22)]], 1);
    expect(g.width).toBe(360);
    expect(landAt(g, [0.5, 0.5])).toBe(true);
    expect(landAt(g, [9.5, 9.5])).toBe(true);
    expect(landAt(g, [10.5, 5.5])).toBe(false);
    expect(landAt(g, [5.5, 5.5])).toBe(false); // the hole
    expect(landAt(g, [179.5, 21.5])).toBe(true);
    expect(landAt(g, [-179.5, 21.5])).toBe(true); // 180.5° wrapped
    expect(landAt(g, [-174.5, 21.5])).toBe(false);
  });
});

describe('SeaRouter', () => {
  // A wall along 10°E from 30°S to 30°N with one gap at 20–21°N.
  const grid = rasterizeLand([[box(10, -30, 11, 20)], [box(10, 21, 11, 30)]], 0.25);
  const router = new SeaRouter(grid);

  it('goes round land through the gap and ends exactly at the given points', () => {
    const a: LonLat = [5, 5];
    const b: LonLat = [15, 5];
    const line = router.line(a, b);
    expect(line[0]).toEqual(a);
    expect(line[line.length - 1]).toEqual(b);
    expect(line.length).toBeGreaterThan(2);
    expect(sample(line).filter((p) => landAt(grid, p))).toEqual([]);
    expect(Math.max(...line.map((p) => p[1]))).toBeGreaterThanOrEqual(20);
  });

  it('keeps a straight line where the water is open', () => {
    expect(router.line([1, 1], [8, 25])).toEqual([
      [1, 1],
      [8, 25],
    ]);
  });

  it('routes through every waypoint in order, on water between them', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 29 })),
        fc.tuple(fc.integer({ min: 12, max: 29 }), fc.integer({ min: 1, max: 29 })),
        ([x0, y0], [x1, y1]) => {
          const via: LonLat = [10.5, 20.5];
          const line = router.route([[x0 + 0.1, y0 + 0.1], via, [x1 + 0.1, y1 + 0.1]]);
          expect(line[0]).toEqual([x0 + 0.1, y0 + 0.1]);
          expect(line[line.length - 1]).toEqual([x1 + 0.1, y1 + 0.1]);
          expect(line).toContainEqual(via);
          expect(sample(line).filter((p) => landAt(grid, p))).toEqual([]);
        },
      ),
      { seed: 21, numRuns: 40 },
    );
  });

  it('falls back to the straight segment when nothing is found within the budget', () => {
    expect(router.line([5, 5], [15, 5], 10)).toEqual([
      [5, 5],
      [15, 5],
    ]);
  });
});
