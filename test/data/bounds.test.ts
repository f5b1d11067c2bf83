/**
 * Plausibility bounds (issue #14): a link capacity of −89,000 t/yr passed `corridor validate` with
 * 0 errors and made every assignment infeasible; 1e-300 and 1e308 passed too. Each field family
 * refuses a bad value with a message naming the field, value and valid range; the loader adds the
 * file, line and record id; the shipped data (and the dense overlay) stays within every bound.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { BOUNDS, boundKeyOf, checkBounds, describeRange } from '../../src/data/bounds.js';
import { formatIssue } from '../../src/data/issues.js';
import { DEFAULT_DATA, MINI, mutatedCopy } from '../helpers/tmp-dataset.js';

const OVERLAY = new URL('../../data-external/dense-network/', import.meta.url).pathname;
const q = (value: number, extra: Record<string, unknown> = {}) => ({ value, source: 's', ...extra });

/** One bad figure per field family, in the shape of its file (or publication body). */
const BAD: { family: string; doc: unknown; field: string; value: string; range: string }[] = [
  {
    family: 'capacity',
    doc: { links: [{ id: 'x', capacityPerYear: q(-89000, { unit: 't' }) }] },
    field: 'capacityPerYear.value',
    value: '-89,000',
    range: '1 ≤ value ≤ 2,000,000,000 t/yr',
  },
  {
    family: 'capacity',
    doc: { transfers: [{ location: 'KZAKX', kind: 'handling', capacityPerDay: q(1e308, { unit: 'TEU' }) }] },
    field: 'capacityPerDay.value',
    value: '1e+308',
    range: '0.1 ≤ value ≤ 160,000 TEU/day',
  },
  {
    family: 'distance',
    doc: { links: [{ id: 'x', distanceKm: q(1e-300) }] },
    field: 'distanceKm.value',
    value: '1e-300',
    range: '0.1 ≤ value ≤ 40,000 km',
  },
  {
    family: 'distance',
    doc: { links: [{ id: 'x', distanceKm: q(60000) }] },
    field: 'distanceKm.value',
    value: '60,000',
    range: '0.1 ≤ value ≤ 40,000 km',
  },
  {
    family: 'duration',
    doc: { transfers: [{ location: 'KZAKX', kind: 'border', durationH: { min: 1, typical: 5, max: 90000 } }] },
    field: 'durationH.max',
    value: '90,000',
    range: '0 ≤ value ≤ 8760 h',
  },
  {
    family: 'speed',
    doc: { links: [{ id: 'x', speedKmh: q(900) }] },
    field: 'speedKmh.value',
    value: '900',
    range: '1 ≤ value ≤ 200 km/h',
  },
  {
    family: 'price',
    doc: { links: [{ id: 'x', costUsdPerTeu: q(5e6) }] },
    field: 'costUsdPerTeu.value',
    value: '5,000,000',
    range: '0 ≤ value ≤ 100,000 USD',
  },
  {
    family: 'price',
    doc: { fx: [{ date: '2025-01-01', base: 'USD', rates: { KZT: q(1e-300) } }] },
    field: 'rates.KZT.value',
    value: '1e-300',
    range: '0.0001 ≤ value ≤ 1,000,000 units per base unit',
  },
  {
    family: 'emissions',
    doc: { factors: [{ id: 'f', wtwGCo2ePerTkm: q(1e9) }] },
    field: 'wtwGCo2ePerTkm.value',
    value: '1e+9',
    range: '0 ≤ value ≤ 3000 g CO2e/t·km',
  },
  {
    family: 'probability',
    doc: { services: [{ id: 'svc', weatherDelay: { probability: q(1.5) } }] },
    field: 'probability.value',
    value: '1.5',
    range: '0 ≤ value ≤ 1',
  },
  {
    family: 'coordinates',
    doc: { locations: [{ id: 'KZAKX', coordinates: { lat: 91, lon: 10, source: 's' } }] },
    field: 'coordinates.lat',
    value: '91',
    range: '-90 ≤ value ≤ 90 °',
  },
  {
    family: 'date',
    doc: { services: [{ id: 'svc', validFrom: '2025-01-01', validTo: '2205-12-31' }] },
    field: 'validTo',
    value: '"2205-12-31"',
    range: '1900 ≤ value ≤ 2100',
  },
  {
    family: 'demand',
    doc: { name: 'd', flows: [{ from: 'CNXIY', to: 'DEDUI', commodity: 'c', perYear: q(-5, { unit: 'TEU' }) }] },
    field: 'perYear.value',
    value: '-5',
    range: '0 ≤ value ≤ 60,000,000 TEU/yr',
  },
  {
    family: 'count',
    doc: { conversions: { teuPerTrain: q(0) } },
    field: 'teuPerTrain.value',
    value: '0',
    range: '1 ≤ value ≤ 800 TEU',
  },
  {
    family: 'multiplier',
    doc: { name: 's', links: [{ id: 'x', capacityMultiplier: q(1e6) }] },
    field: 'capacityMultiplier.value',
    value: '1,000,000',
    range: '0.001 ≤ value ≤ 1000 ×',
  },
];

describe('plausibility bounds', () => {
  it.each(BAD)('$family: refuses $field = $value, naming field, value and range', (c) => {
    const found = checkBounds(c.doc);
    expect(found).toHaveLength(1);
    const v = found[0];
    expect(v?.bound.family).toBe(c.family);
    expect(v && describeRange(v.bound)).toBe(c.range);
    expect(v?.field).toBe(c.field);
  });

  it('covers every family of the table with a refused value', () => {
    const families = new Set(Object.values(BOUNDS).map((b) => b.family));
    expect(new Set(BAD.map((c) => c.family))).toEqual(families);
  });

  it('accepts the values on the edges of a range and refuses non-finite ones the schema would miss', () => {
    expect(checkBounds({ locations: [{ id: 'A', coordinates: { lat: -90, lon: 180 } }] })).toEqual([]);
    expect(checkBounds({ links: [{ id: 'x', distanceKm: q(40000) }] })).toEqual([]);
    expect(checkBounds({ links: [{ id: 'x', distanceKm: q(0) }] })).toHaveLength(1);
    expect(checkBounds({ links: [{ id: 'x', distanceKm: q(Number.NaN) }] })).toHaveLength(1);
  });

  it('holds a calibrated prior to the bound of its figure', () => {
    const doc = {
      transfers: [
        { location: 'A', kind: 'border', durationH: { min: 1, typical: 2, max: 3, calibrated: { prior: -4 } } },
      ],
    };
    expect(checkBounds(doc).map((v) => v.field)).toEqual(['durationH.calibrated.prior']);
  });

  it('a negative link capacity is an error of the loader naming file, line, record, field, value and range', () => {
    const dir = mutatedCopy(MINI, {
      'links.yaml': [
        [
          /(- id: kuryk-alat-ferry\n)/,
          '$1    capacityPerYear: { value: -89000, unit: t, assumption: "a typo in the capacity figure here" }\n',
        ],
      ],
    });
    const r = loadDataset(dir);
    const e = r.errors.find((x) => x.code === 'implausible');
    expect(e).toMatchObject({ file: 'links.yaml', id: 'kuryk-alat-ferry', path: 'links[0].capacityPerYear.value' });
    expect(e?.line).toBe(3);
    const text = e ? formatIssue(e) : '';
    expect(text).toContain('links.yaml:3 (id kuryk-alat-ferry, links[0].capacityPerYear.value)');
    expect(text).toContain('capacityPerYear.value -89,000');
    expect(text).toContain('valid is 1 ≤ value ≤ 2,000,000,000 t/yr');
  });

  it('the default dataset and the dense overlay load with no bound error', () => {
    for (const dir of [DEFAULT_DATA, OVERLAY]) {
      const r = loadDataset(dir);
      expect(r.errors.filter((e) => e.code === 'implausible')).toEqual([]);
    }
  });

  it('every number in the shipped data files falls under a bound (or is an enumeration)', () => {
    const files = (d: string): string[] =>
      readdirSync(d).flatMap((f) => {
        const p = join(d, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.yaml') ? [p] : [];
      });
    const unbounded = new Set<string>();
    const walk = (v: unknown, path: (string | number)[], holder: Record<string, unknown>, file: string) => {
      if (typeof v === 'number') {
        if (boundKeyOf(path, holder) === undefined && !/gauge/i.test(path.join('.')))
          unbounded.add(`${file}: ${path.filter((p) => typeof p === 'string').join('.')}`);
      } else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...path, i], holder, file);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) walk(x, [...path, k], v as Record<string, unknown>, file);
    };
    for (const f of [...files(DEFAULT_DATA), ...files(join(OVERLAY, 'links')), ...files(join(OVERLAY, 'transfers'))]) {
      if (f.endsWith('detour-exceptions.yaml')) continue;
      walk(parse(readFileSync(f, 'utf8')), [], {}, f.replace(/.*\/data\//, ''));
    }
    expect([...unbounded]).toEqual([]);
  });
});
