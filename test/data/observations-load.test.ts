import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { OBSERVATION_KINDS } from '../../src/model/observations.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const base = loadDataset(DEFAULT_DATA);

describe('observations/*.yaml', () => {
  it('the default dataset loads them without errors, with sources from the registry', () => {
    expect(base.errors).toEqual([]);
    expect(base.observations.length).toBeGreaterThanOrEqual(60);
    const sources = new Set(base.dataset.sources.map((s) => s.id));
    for (const o of base.observations) expect(sources.has(o.source), o.id).toBe(true);
    // The observations' sources count as cited.
    expect(base.warnings.filter((w) => w.code === 'unused-source' && w.file === 'sources/observations.yaml')).toEqual(
      [],
    );
  });

  it('cover every kind, both directions, three years or more and both regimes', () => {
    const obs = base.observations;
    for (const kind of OBSERVATION_KINDS)
      expect(
        obs.some((o) => o.kind === kind),
        kind,
      ).toBe(true);
    expect(obs.some((o) => o.direction === 'westbound')).toBe(true);
    expect(obs.some((o) => o.direction === 'eastbound')).toBe(true);
    expect(new Set(obs.map((o) => o.date.slice(0, 4))).size).toBeGreaterThanOrEqual(3);
    expect(obs.some((o) => o.regime === 'congested')).toBe(true);
    expect(obs.some((o) => o.regime === 'nominal')).toBe(true);
    expect(new Set(obs.map((o) => o.id)).size).toBe(obs.length);
  });

  it('reads a single figure as min = max', () => {
    const k1 = base.observations.find((o) => o.id === 'price-shanghai-rotterdam-wci-2025-01-16');
    expect(k1?.published).toMatchObject({ min: 4231, max: 4231, unit: 'USD' });
  });

  it('a bad observation is reported with its file, id and field, and the others still load', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'observations/prices.yaml': [['published: {value: 4231, unit: USD', 'published: {value: 4231, unit: EUR']],
      'observations/dwell.yaml': [['source: silkroadnews-2016-07-dostyk', 'source: no-such-source']],
    });
    const r = loadDataset(dir);
    const unit = r.errors.find((e) => e.id === 'price-shanghai-rotterdam-wci-2025-01-16');
    expect(unit).toMatchObject({ file: 'observations/prices.yaml', code: 'schema' });
    expect(unit?.path).toMatch(/published\.unit$/);
    expect(unit?.message).toContain('EUR');
    const src = r.errors.find((e) => e.id === 'dwell-dostyk-2016-07');
    expect(src).toMatchObject({ file: 'observations/dwell.yaml', code: 'unknown-source' });
    expect(src?.path).toMatch(/\.source$/);
    expect(r.observations.length).toBe(base.observations.length - 2);
  });

  it('a range with min above max and a transit time without a destination are errors', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'observations/transit-times.yaml': [
        ['published: {min: 8, max: 11, unit: d', 'published: {min: 12, max: 11, unit: d'],
        [
          '    to: Tbilisi\n    family: middle\n    avoid: [RU]\n    mode: multimodal\n    direction: westbound\n' +
            '    regime: congested',
          '    family: middle\n    avoid: [RU]\n    mode: multimodal\n    direction: westbound\n' +
            '    regime: congested',
        ],
      ],
    });
    const r = loadDataset(dir);
    const range = r.errors.find((e) => e.id === 'time-xian-baku-2024-09');
    expect(range?.message).toContain('above max');
    const to = r.errors.find((e) => e.id === 'time-xian-tbilisi-2021-02');
    expect(to?.path).toMatch(/\.to$/);
    expect(to?.message).toContain('required');
  });
});
