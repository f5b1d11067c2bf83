/**
 * Which country a point lies in, and which countries a straight road leg crosses: point in
 * polygon over country outlines (Natural Earth, read at the data edge). No IO.
 *
 * The outlines carry no ISO alpha-2 code of their own in world-atlas (only ISO numeric ids and
 * English names), so `labelOutlines` names each outline by the gazetteer: the country of the most
 * populous place inside it. That needs no hand-kept code table and agrees with the country codes
 * every place and terminal already has.
 */
import { greatCircleKm } from '../model/geo.js';

/** Rings of [lon, lat]; the first ring of each polygon is its outer boundary, the rest holes. */
export type Polygon = readonly (readonly (readonly [number, number])[])[];

export interface CountryOutline {
  /** English name of the outline (Natural Earth). */
  name: string;
  polygons: readonly Polygon[];
}

interface Labelled {
  code: string;
  name: string;
  polygons: readonly Polygon[];
  bbox: [number, number, number, number];
}

function inRing(ring: readonly (readonly [number, number])[], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as readonly [number, number];
    const b = ring[j] as readonly [number, number];
    if (a[1] > lat !== b[1] > lat && lon < ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

function inPolygon(p: Polygon, lon: number, lat: number): boolean {
  const outer = p[0];
  if (!outer || !inRing(outer, lon, lat)) return false;
  for (let h = 1; h < p.length; h++) if (inRing(p[h] as readonly (readonly [number, number])[], lon, lat)) return false;
  return true;
}

function bboxOf(polygons: readonly Polygon[]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [180, 90, -180, -90];
  for (const p of polygons)
    for (const [x, y] of p[0] ?? []) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  return [x0, y0, x1, y1];
}

export class CountryLocator {
  private readonly outlines: Labelled[];

  constructor(outlines: readonly { code: string; name: string; polygons: readonly Polygon[] }[]) {
    this.outlines = outlines.map((o) => ({ ...o, bbox: bboxOf(o.polygons) }));
  }

  /** English name by ISO code, for every labelled outline. */
  names(): Map<string, string> {
    return new Map(this.outlines.map((o) => [o.code, o.name]));
  }

  /** The ISO code of the country the point is in, or undefined (sea, or a territory without an outline). */
  countryAt(lat: number, lon: number): string | undefined {
    for (const o of this.outlines) {
      const [x0, y0, x1, y1] = o.bbox;
      if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue;
      for (const p of o.polygons) if (inPolygon(p, lon, lat)) return o.code;
    }
    return undefined;
  }

  /**
   * Countries along the straight line from A to B in travel order, A's and B's own countries at
   * the ends (they are known exactly; the outlines are coarse near borders), one sample per
   * `stepKm`. Points at sea or outside every outline are skipped.
   */
  countriesAlong(
    a: { lat: number; lon: number; country: string },
    b: { lat: number; lon: number; country: string },
    stepKm = 25,
  ): string[] {
    const out = [a.country];
    const km = greatCircleKm(a.lat, a.lon, b.lat, b.lon);
    const n = Math.max(1, Math.ceil(km / stepKm));
    // Linear interpolation in degrees: road legs are short (≤ ~1,500 km) and away from the poles.
    for (let s = 1; s < n; s++) {
      const t = s / n;
      const c = this.countryAt(a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t);
      if (c !== undefined && c !== out[out.length - 1]) out.push(c);
    }
    if (out[out.length - 1] !== b.country) out.push(b.country);
    return out;
  }
}

/**
 * Names each outline by the country of the most populous place inside it; outlines with no place
 * (uninhabited islands) are dropped. `places` should be sorted by population, largest first.
 */
export function labelOutlines(
  outlines: readonly CountryOutline[],
  places: Iterable<{ lat: number; lon: number; country: string }>,
): { code: string; name: string; polygons: readonly Polygon[] }[] {
  const pending = outlines.map((o) => ({ ...o, bbox: bboxOf(o.polygons) }));
  const done = new Map<number, string>();
  const codesTaken = new Set<string>();
  for (const p of places) {
    if (done.size === pending.length) break;
    if (codesTaken.has(p.country)) continue;
    for (let i = 0; i < pending.length; i++) {
      if (done.has(i)) continue;
      const o = pending[i] as (typeof pending)[number];
      const [x0, y0, x1, y1] = o.bbox;
      if (p.lon < x0 || p.lon > x1 || p.lat < y0 || p.lat > y1) continue;
      if (o.polygons.some((poly) => inPolygon(poly, p.lon, p.lat))) {
        done.set(i, p.country);
        codesTaken.add(p.country);
        break;
      }
    }
  }
  return [...done].map(([i, code]) => ({
    code,
    name: (pending[i] as (typeof pending)[number]).name,
    polygons: (pending[i] as (typeof pending)[number]).polygons,
  }));
}
