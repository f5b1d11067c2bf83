/**
 * Dated freight-rate indices: the reading rule (a point on its date, linear between two points,
 * last point held, first point before the series) and what the default data makes of it — a head-haul quote
 * that moves with the Drewry WCI and a backhaul priced from its own lane.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import type { FreightIndex } from '../../src/model/pricing-types.js';
import { readIndex } from '../../src/tariff/freight-index.js';
import { cliJson } from '../helpers/cli.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const series: FreightIndex = {
  id: 'test-lane',
  title: 'Test lane',
  publisher: 'test',
  currency: 'USD',
  per: 'container',
  points: [
    { date: '2025-01-02', value: 100, source: 's' },
    { date: '2025-01-09', value: 200, source: 's' },
    { date: '2025-01-16', value: 150, source: 's' },
  ],
};

describe('reading an index at a date', () => {
  it('takes the point of the date, the line between two points, holds the last and uses the first before', () => {
    expect(readIndex(series, '2025-01-09')).toEqual({ point: series.points[1], value: 200, position: 'within' });
    // 3 of 7 days from 200 towards 150.
    const between = readIndex(series, '2025-01-12');
    expect(between.position).toBe('between');
    expect(between.point).toEqual(series.points[1]);
    expect(between.next).toEqual(series.points[2]);
    expect(between.value).toBeCloseTo(200 - (3 / 7) * 50, 2);
    expect(readIndex(series, '2025-03-01')).toEqual({ point: series.points[2], value: 150, position: 'after-last' });
    expect(readIndex(series, '2024-12-31')).toEqual({ point: series.points[0], value: 100, position: 'before-first' });
  });

  it('reads a value between the points on either side of the date, equal to a point on its date', () => {
    const dates = fc
      .uniqueArray(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 })
      .map((ds) => ds.sort((a, b) => a - b).map((d) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10)));
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 3100 }), (ds, q) => {
        const s: FreightIndex = {
          ...series,
          points: ds.map((date, i) => ({ date, value: (i * 37) % 11, source: 's' })),
        };
        const date = new Date(Date.UTC(2020, 0, 1 + q)).toISOString().slice(0, 10);
        const r = readIndex(s, date);
        const onOrBefore = s.points.filter((p) => p.date <= date);
        const expected = onOrBefore[onOrBefore.length - 1] ?? s.points[0];
        expect(r.point).toEqual(expected);
        const after = s.points.find((p) => p.date > date);
        if (r.point.date === date || !after || date < (s.points[0]?.date ?? '')) expect(r.value).toBe(r.point.value);
        else {
          expect(r.next).toEqual(after);
          expect(r.value).toBeGreaterThanOrEqual(Math.min(r.point.value, after.value) - 0.01);
          expect(r.value).toBeLessThanOrEqual(Math.max(r.point.value, after.value) + 0.01);
        }
      }),
    );
  });
});

describe('sea freight by date and direction (default data)', () => {
  const pricing = loadDataset(DEFAULT_DATA).dataset.pricing;
  const lane = (id: string) => {
    const s = pricing?.indices.find((i) => i.id === id);
    if (!s) throw new Error(`default data lacks index ${id}`);
    return s;
  };
  const seaFreight = async (from: string, to: string, date: string) => {
    const q = await cliJson('quote', from, to, '--modes', 'sea', '--date', date);
    const items: { category: string; amountUsd: number; chargeId: string; source?: string }[] =
      q.options[0].quote.items;
    const sea = items.filter((i) => i.category === 'sea-freight');
    expect(sea).toHaveLength(1);
    return { total: q.options[0].quote.totalUsd as number, item: sea[0] as (typeof sea)[number] };
  };

  it('a Shanghai → Rotterdam quote of 16 Jan 2025 and of 2 Oct 2025 differ as the WCI lane did', async () => {
    const wci = lane('wci-shanghai-rotterdam');
    const jan = await seaFreight('Shanghai', 'Rotterdam', '2025-01-16');
    const oct = await seaFreight('Shanghai', 'Rotterdam', '2025-10-02');
    expect(jan.item.amountUsd).toBe(readIndex(wci, '2025-01-16').value);
    expect(oct.item.amountUsd).toBe(readIndex(wci, '2025-10-02').value);
    expect(jan.item.amountUsd - oct.item.amountUsd).toBeGreaterThan(0);
    expect(jan.item.source).toBe(readIndex(wci, '2025-01-16').point.source);
    // The rest of the quote (THC both ends) is the same kind of cost on both dates; the gap is the index's.
    expect(Math.abs(jan.total - oct.total - (jan.item.amountUsd - oct.item.amountUsd))).toBeLessThan(50);
  });

  it('a 2021 quote reads the lane on its own date under the 2021–22 set, not the 2023 level', async () => {
    const wci = lane('wci-shanghai-rotterdam');
    const q = await cliJson('quote', 'Shanghai', 'Rotterdam', '--modes', 'sea', '--date', '2021-02-04');
    expect(q.options[0].quote.tariffSet.id).toBe('tariffs-2021-22');
    const feb = await seaFreight('Shanghai', 'Rotterdam', '2021-02-04');
    const reading = readIndex(wci, '2021-02-04');
    expect(reading.position).toBe('within');
    expect(feb.item.amountUsd).toBe(reading.value);
    expect(feb.item.source).toBe(reading.point.source);
    // The lane in 2023 was a fraction of its 2021 level: a clamp to the 2023–24 set would show here.
    expect(feb.item.amountUsd).toBeGreaterThan(3 * readIndex(wci, '2023-03-16').value);
  });

  it('Rotterdam → Shanghai is priced from the backhaul lane, not the head-haul one', async () => {
    const back = lane('wci-rotterdam-shanghai');
    const r = await seaFreight('Rotterdam', 'Shanghai', '2025-10-02');
    const h = await seaFreight('Shanghai', 'Rotterdam', '2025-10-02');
    expect(r.item.chargeId).toBe('europe-asia-backhaul-ocean');
    expect(r.item.amountUsd).toBe(readIndex(back, '2025-10-02').value);
    expect(r.item.amountUsd).toBeLessThan(h.item.amountUsd / 2);
  });
});

describe('index files', () => {
  it('an indexed charge naming a series that does not exist is an error naming file, charge and series', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'tariffs/tariffs-2025.yaml': [['series: wci-rotterdam-shanghai', 'series: wci-nowhere']],
    });
    const { errors } = loadDataset(dir);
    const e = errors.find((x) => x.code === 'unknown-index');
    expect(e?.file).toBe('tariffs/tariffs-2025.yaml');
    expect(e?.id).toBe('europe-asia-backhaul-ocean');
    expect(e?.message).toContain('wci-nowhere');
  });

  it('points out of date order are refused with the point named', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'indices/drewry-wci.yaml': [['date: "2025-10-02"', 'date: "2025-09-01"']],
    });
    const { errors } = loadDataset(dir);
    const e = errors.find((x) => x.file === 'indices/drewry-wci.yaml');
    expect(e?.message).toContain('date order');
  });
});
