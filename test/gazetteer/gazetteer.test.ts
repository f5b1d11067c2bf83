import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountryLocator, labelOutlines, type Polygon } from '../../src/gazetteer/borders.js';
import { formatPopulation, Gazetteer, type GazetteerColumns } from '../../src/gazetteer/gazetteer.js';
import { normalizeName } from '../../src/model/text.js';

interface Row {
  id: number;
  name: string;
  ascii?: string;
  cc: string;
  lat: number;
  lon: number;
  pop: number;
  alts?: string[];
  seat?: number;
}

/** Columns as the loader builds them, from a few rows. */
function columns(rows: Row[]): GazetteerColumns {
  const countries = [...new Set(rows.map((r) => r.cc))];
  const altStart = [0];
  const altNames: string[] = [];
  for (const r of rows) {
    altNames.push(...(r.alts ?? []));
    altStart.push(altNames.length);
  }
  return {
    geonameId: Uint32Array.from(rows, (r) => r.id),
    name: rows.map((r) => r.name),
    asciiName: rows.map((r) => r.ascii ?? ''),
    country: Uint16Array.from(rows, (r) => countries.indexOf(r.cc)),
    countries,
    lat: Float32Array.from(rows, (r) => r.lat),
    lon: Float32Array.from(rows, (r) => r.lon),
    population: Uint32Array.from(rows, (r) => r.pop),
    altStart: Uint32Array.from(altStart),
    altNames,
    seat: Uint8Array.from(rows, (r) => r.seat ?? 0),
  };
}

const ROWS: Row[] = [
  { id: 1, name: 'Warsaw', cc: 'PL', lat: 52.23, lon: 21.01, pop: 1_702_139, alts: ['Warszawa', 'Варшава'], seat: 2 },
  { id: 2, name: 'Warsaw', cc: 'US', lat: 41.24, lon: -85.85, pop: 14_472 },
  { id: 3, name: 'Alexandria', cc: 'EG', lat: 31.2, lon: 29.92, pop: 5_263_542, alts: ['الإسكندرية'] },
  { id: 4, name: 'Alexandria', cc: 'US', lat: 38.8, lon: -77.05, pop: 159_467 },
  { id: 5, name: 'Constanţa', ascii: 'Constanta', cc: 'RO', lat: 44.18, lon: 28.65, pop: 317_832 },
  { id: 6, name: 'Beijing', cc: 'CN', lat: 39.9, lon: 116.4, pop: 18_960_744, alts: ['北京', 'Peking'], seat: 2 },
  { id: 7, name: 'Tbilisi', cc: 'GE', lat: 41.69, lon: 44.83, pop: 1_049_498, alts: ['Tiflis', 'Тбилиси'], seat: 2 },
  { id: 8, name: 'İstanbul', ascii: 'Istanbul', cc: 'TR', lat: 41.01, lon: 28.95, pop: 14_804_116 },
  { id: 9, name: 'Paris', cc: 'FR', lat: 48.85, lon: 2.35, pop: 2_138_551, seat: 2 },
  { id: 10, name: 'Paris', cc: 'US', lat: 33.66, lon: -95.56, pop: 24_782 },
  { id: 11, name: 'Kars', cc: 'TR', lat: 40.6, lon: 43.1, pop: 115_891 },
  { id: 12, name: 'Atlanta', cc: 'US', lat: 33.75, lon: -84.39, pop: 463_878 },
  { id: 13, name: 'Batumi', cc: 'GE', lat: 41.64, lon: 41.64, pop: 172_100 },
  {
    id: 14,
    name: 'Milano',
    ascii: 'Milano',
    cc: 'IT',
    lat: 45.46,
    lon: 9.19,
    pop: 1_371_498,
    alts: ['Milan', 'Mailand'],
  },
  { id: 15, name: 'Milan', cc: 'US', lat: 35.92, lon: -88.76, pop: 7_813 },
];
const NAMES = new Map([
  ['GE', 'Georgia'],
  ['FR', 'France'],
  ['EG', 'Egypt'],
]);
const g = new Gazetteer(columns(ROWS), NAMES);

describe('Gazetteer', () => {
  it('resolves names across diacritics, scripts and transliterations, by population', () => {
    const top = (q: string) => g.exact(q)[0]?.place;
    expect(top('Warsaw')).toMatchObject({ name: 'Warsaw', country: 'PL', id: 'geonames:1' });
    expect(top('варшава')?.id).toBe('geonames:1');
    expect(top('北京')?.name).toBe('Beijing');
    expect(top('Tiflis')?.name).toBe('Tbilisi');
    expect(top('Istanbul')?.name).toBe('İstanbul');
    expect(top('Constanța')?.name).toBe('Constanţa');
    expect(top('Constanta')?.name).toBe('Constanţa');
    expect(top('Alexandria')?.country).toBe('EG');
    expect(g.exact('Alexandria').map((h) => h.place.country)).toEqual(['EG', 'US']);
    // An alternate of a big city beats the own name of a small one.
    expect(top('Milan')?.name).toBe('Milano');
  });

  it('takes a country qualifier by code or name', () => {
    expect(g.split('Paris, FR')).toMatchObject({ name: 'Paris', country: 'FR' });
    expect(g.split('Batumi, Georgia')).toMatchObject({ name: 'Batumi', country: 'GE' });
    expect(g.split('Paris, Atlantis').country).toBe('??');
    expect(g.exact('Paris', 'US')[0]?.place.country).toBe('US');
    expect(g.search('Alexandria, EG').map((h) => h.place.country)).toEqual(['EG']);
  });

  it('never resolves a place of another name; similar names are suggestions only', () => {
    expect(g.exact('Pari')).toEqual([]);
    expect(g.exact('Atlantis')).toEqual([]);
    const s = g.search('Atlantis');
    expect(s.map((h) => h.place.name)).toContain('Atlanta');
    expect(s.every((h) => h.kind === 'similar' || h.kind === 'prefix')).toBe(true);
    // Paris does not suggest Kars: too few shared trigrams.
    expect(g.search('Paris').map((h) => h.place.name)).not.toContain('Kars');
  });

  it('ranks prefixes for autocomplete by size', () => {
    const s = g.search('war');
    expect(s[0]).toMatchObject({ kind: 'prefix', place: { country: 'PL' } });
    expect(g.search('Par', { limit: 1 })[0]?.place.country).toBe('FR');
  });

  it('finds a place by its id', () => {
    expect(g.byId('geonames:7')?.name).toBe('Tbilisi');
    expect(g.byId('7')?.name).toBe('Tbilisi');
    expect(g.byId('geonames:99')).toBeUndefined();
  });

  it('every exact result carries the folded query among its names (property)', () => {
    const forms = ROWS.flatMap((r) => [r.name, r.ascii ?? r.name, ...(r.alts ?? [])]);
    fc.assert(
      fc.property(fc.constantFrom(...forms), fc.constantFrom('', ' ', '  '), (name, pad) => {
        const hits = g.exact(`${pad}${name.toUpperCase()}${pad}`);
        expect(hits.length).toBeGreaterThan(0);
        for (const h of hits) {
          const row = ROWS.find((r) => r.id === h.place.geonameId);
          const names = [row?.name, row?.ascii, ...(row?.alts ?? [])].filter((x): x is string => !!x);
          expect(names.map(normalizeName)).toContain(normalizeName(name));
        }
      }),
    );
  });

  it('formats populations as a person reads them', () => {
    expect(formatPopulation(5_263_542)).toBe('5.3 M');
    expect(formatPopulation(18_960_744)).toBe('19 M');
    expect(formatPopulation(463_878)).toBe('464 k');
    expect(formatPopulation(2_106)).toBe('2,106');
  });
});

describe('CountryLocator', () => {
  const square = (x0: number, y0: number, x1: number, y1: number): Polygon => [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ];
  // Two countries side by side, a sea gap, a third.
  const outlines = [
    { name: 'Westland', polygons: [square(0, 0, 10, 10)] },
    { name: 'Eastland', polygons: [square(10, 0, 20, 10)] },
    { name: 'Farland', polygons: [square(30, 0, 40, 10)] },
    { name: 'Empty', polygons: [square(50, 50, 51, 51)] },
  ];
  const labelled = labelOutlines(outlines, [
    { lat: 5, lon: 5, country: 'WW' },
    { lat: 5, lon: 15, country: 'EE' },
    { lat: 6, lon: 6, country: 'WW' },
    { lat: 5, lon: 35, country: 'FF' },
  ]);
  const loc = new CountryLocator(labelled);

  it('names outlines by the places inside them and drops empty ones', () => {
    expect(labelled.map((o) => [o.name, o.code])).toEqual([
      ['Westland', 'WW'],
      ['Eastland', 'EE'],
      ['Farland', 'FF'],
    ]);
    expect(loc.names().get('EE')).toBe('Eastland');
  });

  it('finds the country of a point and the countries along a line', () => {
    expect(loc.countryAt(5, 5)).toBe('WW');
    expect(loc.countryAt(5, 25)).toBeUndefined();
    expect(loc.countriesAlong({ lat: 5, lon: 1, country: 'WW' }, { lat: 5, lon: 39, country: 'FF' })).toEqual([
      'WW',
      'EE',
      'FF',
    ]);
  });
});
