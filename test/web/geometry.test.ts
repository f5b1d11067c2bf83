/** Natural Earth outlines made planar for Web Mercator. */
import type { FeatureCollection, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature } from 'topojson-client';
import { describe, expect, it } from 'vitest';
import countries from 'world-atlas/countries-50m.json' with { type: 'json' };
import { planarLand, unwrapRing, withoutAntimeridian } from '../../web/src/map/geometry.js';

type Pos = [number, number];
const area = (r: Pos[]) =>
  r.reduce(
    (a, p, i) => a + (r[(i + r.length - 1) % r.length]![0] - p[0]) * (r[(i + r.length - 1) % r.length]![1] + p[1]),
    0,
  );

describe('basemap geometry', () => {
  it('never leaves a segment that jumps across the map', () => {
    const m: MultiLineString = {
      type: 'MultiLineString',
      coordinates: [
        [
          [170, 60],
          [179.9, 62],
          [-179.9, 63],
          [-170, 64],
        ],
        [
          [180, 60],
          [180, 70],
          [175, 71],
        ],
      ],
    };
    const out = withoutAntimeridian(m);
    expect(out.coordinates).toEqual([
      [
        [170, 60],
        [179.9, 62],
      ],
      [
        [-179.9, 63],
        [-170, 64],
      ],
      [
        [180, 70],
        [175, 71],
      ],
    ]);
  });

  it('unwraps a ring across the antimeridian and keeps most of it in [−180, 180]', () => {
    const ring: Pos[] = [
      [170, 60],
      [179, 60],
      [-175, 62],
      [-175, 66],
      [179, 66],
      [170, 66],
      [170, 60],
    ];
    const u = unwrapRing(ring);
    expect(u.map((p) => p[0])).toEqual([170, 179, 185, 185, 179, 170, 170]);
    const polar: Pos[] = [
      [-180, -80],
      [0, -70],
      [180, -80],
      [180, -90],
      [-180, -90],
      [-180, -80],
    ];
    expect(unwrapRing(polar)).toBe(polar);
  });

  it('turns the world-atlas land into continuous, RFC 7946-wound rings', () => {
    const topo = countries as unknown as Topology<{ land: GeometryCollection }>;
    const land = planarLand(feature(topo, topo.objects.land) as unknown as FeatureCollection<Polygon | MultiPolygon>);
    let rings = 0;
    for (const f of land.features) {
      const polys =
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Pos[][]] : (f.geometry.coordinates as Pos[][][]);
      for (const poly of polys) {
        poly.forEach((ring, i) => {
          rings++;
          const a = area(ring);
          if (Math.abs(a) > 1e-9) expect(a > 0, `ring ${rings}`).toBe(i === 0);
          const polarRing = ring.some((p) => p[1] <= -85);
          if (!polarRing)
            for (let k = 1; k < ring.length; k++)
              expect(Math.abs(ring[k]![0] - ring[k - 1]![0])).toBeLessThanOrEqual(180);
        });
      }
    }
    expect(rings).toBeGreaterThan(1000);
  });
});
