/**
 * Vite plugin: the offline basemap, converted at build time. Reads Natural Earth 1:50m outlines
 * from the `world-atlas` package (TopoJSON, public domain), converts them with topojson-client to
 * GeoJSON land and borders, makes them planar for Web Mercator (map/geometry.ts), rounds
 * coordinates to 0.01° (~1 km: a pixel at zoom 7; the map's detail layers stop well before the
 * outlines would show it) and emits them as hashed assets. Coastlines are the land's outline.
 * It also rasterises the land onto a 0.25° water grid (one bit per cell) for the sea lanes
 * (map/sea-lanes.ts). `virtual:basemap` exports their URLs; MapLibre's worker fetches and tiles them itself, so the
 * page's main thread never parses the outlines.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, Geometry, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Plugin } from 'vite';
import { planarLand, withoutAntimeridian } from './src/map/geometry.ts';
import { rasterizeLand } from './src/map/raster.ts';
import { nth } from './src/invariant.ts';

const VIRTUAL = 'virtual:basemap';
const RESOLVED = `\0${VIRTUAL}`;
const FILES = ['land', 'borders', 'water'] as const;
/** The sea lanes' grid: 0.25° keeps the English Channel, the Bosporus approaches and the Strait of Malacca open. */
export const WATER_CELL_DEG = 0.25;

type Position = [number, number];
const round = (x: number) => Math.round(x * 100) / 100;

/** Rounds a line or ring and drops the points that rounding made repeats. */
function quantizeLine(line: Position[], ring: boolean): Position[] {
  const out: Position[] = [];
  for (const [x, y] of line) {
    const p: Position = [round(x), round(y)];
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  if (
    ring &&
    out.length > 1 &&
    (nth(out, 0)[0] !== nth(out, out.length - 1)[0] || nth(out, 0)[1] !== nth(out, out.length - 1)[1])
  )
    out.push(nth(out, 0));
  return out;
}
const quantizeRings = (rings: Position[][]) => rings.map((r) => quantizeLine(r, true)).filter((r) => r.length >= 4);
const asFeature = (g: Geometry): Feature => ({ type: 'Feature', properties: {}, geometry: g });

export function basemapLayers(): Record<(typeof FILES)[number], string | Uint8Array> {
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{
    countries: GeometryCollection;
    land: GeometryCollection;
  }>;
  const land = planarLand(feature(topo, topo.objects.land) as unknown as FeatureCollection<Polygon | MultiPolygon>);
  const borders: MultiLineString = withoutAntimeridian(mesh(topo, topo.objects.countries, (a, b) => a !== b));
  const fc = (features: Feature[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const polygons = land.features.flatMap((f) =>
    f.geometry.type === 'Polygon'
      ? [f.geometry.coordinates as Position[][]]
      : (f.geometry.coordinates as Position[][][]),
  );
  return {
    water: rasterizeLand(polygons, WATER_CELL_DEG).land,
    land: fc([
      asFeature({ type: 'MultiPolygon', coordinates: polygons.map(quantizeRings).filter((p) => p.length > 0) }),
    ]),
    borders: fc([
      asFeature({
        type: 'MultiLineString',
        coordinates: borders.coordinates.map((l) => quantizeLine(l as Position[], false)).filter((l) => l.length > 1),
      }),
    ]),
  };
}

export function basemapPlugin(): Plugin {
  let layers: Record<(typeof FILES)[number], string | Uint8Array> | undefined;
  const get = () => (layers ??= basemapLayers());
  let serve = false;
  return {
    name: 'corridor-basemap',
    configResolved(c) {
      serve = c.command === 'serve';
    },
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      const grid = `export const waterCellDeg = ${WATER_CELL_DEG};`;
      const ext = (f: string) => (f === 'water' ? 'bin' : 'geojson');
      if (serve) return [grid, ...FILES.map((f) => `export const ${f}Url = '/@basemap/${f}.${ext(f)}';`)].join('\n');
      return [
        grid,
        ...FILES.map((f) => {
          const ref = this.emitFile({ type: 'asset', name: `basemap-${f}.${ext(f)}`, source: get()[f] });
          return `export const ${f}Url = import.meta.ROLLUP_FILE_URL_${ref};`;
        }),
      ].join('\n');
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/@basemap\/(land|borders|water)\.(geojson|bin)$/.exec(req.url ?? '');
        if (!m) return next();
        res.setHeader('content-type', m[2] === 'bin' ? 'application/octet-stream' : 'application/geo+json');
        res.end(get()[m[1] as (typeof FILES)[number]]);
      });
    },
  };
}
