/**
 * Planar clean-up of Natural Earth outlines for a Web Mercator map: no line or ring may jump
 * across the antimeridian, and rings are wound as RFC 7946 says. Pure (tested in node).
 */
import type { FeatureCollection, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { nth } from '../invariant.ts';

type Position = [number, number];

/**
 * Natural Earth is cut at ±180°: rings run up the antimeridian, and a segment from +180 to −180
 * would draw a line across the whole map. Drops segments along or across the antimeridian.
 */
export function withoutAntimeridian(m: MultiLineString): MultiLineString {
  const lines: Position[][] = [];
  for (const line of m.coordinates as Position[][]) {
    let cur: Position[] = [];
    for (let i = 0; i < line.length; i++) {
      const p = nth(line, i);
      const q = line[i - 1];
      const cut =
        q !== undefined && (Math.abs(p[0] - q[0]) > 180 || (Math.abs(p[0]) >= 179.999 && Math.abs(q[0]) >= 179.999));
      if (cut) {
        if (cur.length > 1) lines.push(cur);
        cur = [];
      }
      cur.push(p);
    }
    if (cur.length > 1) lines.push(cur);
  }
  return { type: 'MultiLineString', coordinates: lines };
}

/**
 * A ring that crosses the antimeridian (Eurasia reaches Chukotka at −169°) jumps from +180 to −180
 * and would cut across the whole map. Makes the ring continuous (steps of less than 180°), then
 * shifts it by whole turns so that most of it lies in [−180, 180]; MapLibre wraps the rest into
 * the next world copy. Rings round a pole (Antarctica) do not close when unwrapped: left as they are.
 */
export function unwrapRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  let offset = 0;
  let jumped = false;
  for (let i = 0; i < ring.length; i++) {
    const p = nth(ring, i);
    if (i > 0) {
      const d = p[0] + offset - nth(out, i - 1)[0];
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
      jumped ||= Math.abs(d) > 180;
    }
    out.push([p[0] + offset, p[1]]);
  }
  if (!jumped) return ring;
  if (Math.abs(nth(out, 0)[0] - nth(out, out.length - 1)[0]) > 1e-9) return ring;
  const mean = out.reduce((sum, p) => sum + p[0], 0) / out.length;
  const shift = -360 * Math.round(mean / 360);
  return out.map(([x, y]) => [x + shift, y]);
}

/** Twice the signed planar area of a ring (lon/lat); > 0 when counter-clockwise. */
function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (nth(ring, j)[0] - nth(ring, i)[0]) * (nth(ring, j)[1] + nth(ring, i)[1]);
  return a;
}

/**
 * topojson-client keeps d3's spherical winding (exterior rings clockwise); MapLibre classifies rings
 * by winding, so a tile lying wholly inside a continent would come out as a hole. Rewinds to
 * RFC 7946: exterior rings counter-clockwise, holes clockwise (after unwrapping them).
 * @see https://www.rfc-editor.org/rfc/rfc7946#section-3.1.6
 */
export function planarLand(fc: FeatureCollection<Polygon | MultiPolygon>): FeatureCollection<Polygon | MultiPolygon> {
  const fix = (rings: Position[][]) =>
    rings.map(unwrapRing).map((r, i) => (ringArea(r) > 0 === (i === 0) ? r : [...r].reverse()));
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      ...f,
      geometry:
        f.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: fix(f.geometry.coordinates as Position[][]) }
          : { type: 'MultiPolygon', coordinates: (f.geometry.coordinates as Position[][][]).map(fix) },
    })),
  };
}
