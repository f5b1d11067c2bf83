import { nth } from '../invariant.ts';
/**
 * Rasterises land polygons onto a lon/lat grid (one bit per cell, 1 = the cell's centre is on
 * land), by scanlines with the even-odd rule, so holes (the Caspian Sea) stay water. Rings may
 * run past ±180° (see geometry.ts unwrapRing); cells wrap round. Used at build time for the sea
 * lanes' water grid. Pure (tested in node).
 */

type Position = [number, number];

/** The shape of sea-lanes.ts's WaterGrid (kept free of imports: the build plugin loads this file). */
export interface LandGrid {
  width: number;
  height: number;
  cellDeg: number;
  west: number;
  north: number;
  land: Uint8Array;
}

export function rasterizeLand(polygons: readonly Position[][][], cellDeg: number): LandGrid {
  const width = Math.round(360 / cellDeg);
  const height = Math.round(180 / cellDeg);
  const west = -180;
  const north = 90;
  const land = new Uint8Array(Math.ceil((width * height) / 8));
  const rows: number[][] = Array.from({ length: height }, () => []);
  for (const poly of polygons) {
    for (const ring of poly) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [x0, y0] = nth(ring, k);
        const [x1, y1] = nth(ring, k + 1);
        if (y0 === y1) continue;
        const lo = Math.min(y0, y1);
        const hi = Math.max(y0, y1);
        // Rows whose centre latitude lies in [lo, hi).
        const rFirst = Math.max(0, Math.ceil((north - hi) / cellDeg - 0.5));
        const rLast = Math.min(height - 1, Math.floor((north - lo) / cellDeg - 0.5));
        for (let r = rFirst; r <= rLast; r++) {
          const yc = north - (r + 0.5) * cellDeg;
          if (yc < lo || yc >= hi) continue;
          nth(rows, r).push(x0 + ((yc - y0) / (y1 - y0)) * (x1 - x0));
        }
      }
    }
  }
  rows.forEach((xs, r) => {
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const cFirst = Math.ceil((nth(xs, k) - west) / cellDeg - 0.5);
      const cLast = Math.ceil((nth(xs, k + 1) - west) / cellDeg - 0.5) - 1;
      for (let c = cFirst; c <= cLast; c++) {
        const i = r * width + (((c % width) + width) % width);
        land[i >> 3] = nth(land, i >> 3) | (1 << (i & 7));
      }
    }
  });
  return { width, height, cellDeg, west, north, land };
}
