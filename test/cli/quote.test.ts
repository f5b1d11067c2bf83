/**
 * `corridor quote` end to end on the default dataset: the V13 calibration with the 2023–24
 * tariff set, itemised and labelled quotes, footprints, the PACT export, and clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PricedOption, PricedRouteResult } from '../../src/tariff/priced-routes.js';
import { cli as run } from '../helpers/cli.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const json = async <T>(...args: string[]): Promise<T> => {
  const r = await run(...args);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
};
const binJson = json;

/** V13 (EY citing the World Bank, per 40'), with the ±25% tolerance of the issue. */
const V13 = { middle: [2500, 3250], northern: [2599, 3121], sea: [1500, 2000] } as const;
const within = (x: number, [lo, hi]: readonly [number, number]) => x >= lo * 0.75 && x <= hi * 1.25;

const isMiddle = (o: PricedOption) =>
  ['KZ', 'AZ', 'GE'].every((c) => o.totals.countries.includes(c)) && !o.totals.countries.includes('RU');
const isNorthern = (o: PricedOption) => o.corridors.includes('northern') && !o.corridors.includes('middle');
const isSea = (o: PricedOption) => o.legs.some((l) => l.linkId === 'shanghai-rotterdam-suez');

describe("corridor quote Xi'an Duisburg --containers 1x40 --date 2024-04-01", () => {
  let r: PricedRouteResult;
  beforeAll(async () => {
    r = await binJson<PricedRouteResult>(
      'quote',
      "Xi'an",
      'Duisburg',
      '--containers',
      '1x40',
      '--date',
      '2024-04-01',
      '--json',
    );
  });

  it('prices with the 2023–24 tariff set for that date', async () => {
    expect(r.pricing).toMatchObject({
      tariffSet: { id: 'tariffs-2023-24' },
      date: '2024-04-01',
      dated: true,
      shipment: { containerCount: 1, teu: 2 },
    });
  });
  it('lands the Middle Corridor and Northern options inside the published V13 ranges', async () => {
    const middle = r.options.filter(isMiddle);
    const northern = r.options.filter(isNorthern);
    expect(middle.length).toBeGreaterThan(0);
    expect(northern.length).toBeGreaterThan(0);
    for (const o of middle)
      expect(within(o.quote.totalUsd, V13.middle), `middle option ${o.option}: USD ${o.quote.totalUsd}`).toBe(true);
    for (const o of northern)
      expect(within(o.quote.totalUsd, V13.northern), `northern option ${o.option}: USD ${o.quote.totalUsd}`).toBe(true);
    // The calibration aims inside the published ranges themselves, not only inside the tolerance.
    expect(Math.min(...middle.map((o) => o.quote.totalUsd))).toBeGreaterThanOrEqual(V13.middle[0]);
    expect(Math.min(...middle.map((o) => o.quote.totalUsd))).toBeLessThanOrEqual(V13.middle[1]);
  });
  it('itemises every quote: items sum to the total, each sourced or labelled, tied to a leg or a node', async () => {
    for (const o of r.options) {
      const q = o.quote;
      expect(Math.abs(q.items.reduce((s, i) => s + i.amountUsd, 0) - q.totalUsd)).toBeLessThan(0.01);
      expect(Math.abs(q.totalUsd - o.totals.costUsd)).toBeLessThanOrEqual(1);
      for (const i of q.items) {
        expect(i.source !== undefined || (i.assumption ?? '').length >= 20, `${i.chargeId} has no provenance`).toBe(
          true,
        );
        expect(i.legIndex !== undefined || i.node !== undefined).toBe(true);
        expect(i.currency).toMatch(/^[A-Z]{3}$/);
      }
    }
  });
  it('says which through-rate priced the Northern transit', async () => {
    const n = r.options.find(isNorthern)!;
    expect(n.quote.throughRates).toEqual([
      expect.objectContaining({ id: 'broad-gauge-transit-westbound', full: true }),
    ]);
    expect(
      n.quote.items.some((i) => i.throughRate === 'broad-gauge-transit-westbound' && i.legIndices!.length === 2),
    ).toBe(true);
  });
  it('gives WTW ≥ TTW ≥ 0 on every leg, WTW > 0, and WTW ≥ TTW > 0 per option; totals.co2eKg is WTW', async () => {
    for (const o of r.options) {
      const e = o.emissions;
      expect(e.legs).toHaveLength(o.legs.length);
      for (const l of e.legs) {
        expect(l.wtwKgCo2e).toBeGreaterThan(0);
        expect(l.wtwKgCo2e).toBeGreaterThanOrEqual(l.ttwKgCo2e);
        if (l.energyCarrier === 'electric') expect(l.ttwKgCo2e).toBe(0);
        else expect(l.ttwKgCo2e).toBeGreaterThan(0);
      }
      expect(e.ttwKgCo2e).toBeGreaterThan(0);
      expect(e.wtwKgCo2e).toBeGreaterThan(e.ttwKgCo2e);
      expect(Math.abs(o.totals.co2eKg - e.wtwKgCo2e)).toBeLessThanOrEqual(1);
    }
  });
});

describe('corridor quote Shanghai Rotterdam', () => {
  let r: PricedRouteResult;
  beforeAll(async () => {
    r = await binJson<PricedRouteResult>(
      'quote',
      'Shanghai',
      'Rotterdam',
      '--containers',
      '1x40',
      '--date',
      '2023-11-23',
      '--modes',
      'sea',
      '--json',
    );
  });
  // Sea freight follows the Drewry WCI lane of the quote date; EY's V13 sea range (published April
  // 2024) describes the pre-Red-Sea level, so it is checked at a date of that level (November 2023).
  it('prices the sea route the same way, inside the V13 sea range, with port handling at both ends', async () => {
    const sea = r.options.find(isSea)!;
    expect(within(sea.quote.totalUsd, V13.sea)).toBe(true);
    expect(sea.quote.totalUsd).toBeGreaterThanOrEqual(V13.sea[0]);
    expect(sea.quote.totalUsd).toBeLessThanOrEqual(V13.sea[1]);
    expect(sea.quote.items.map((i) => i.event ?? 'leg')).toEqual(['origin', 'leg', 'destination']);
    expect(sea.emissions.legs[0]!.factorId).toBe('container-ship-deep-sea');
  });
});

describe('quote options and formats', () => {
  it('scales with the shipment and prices 2 × 40HC with a weight', async () => {
    const one = await json<PricedRouteResult>(
      'quote',
      'Shanghai',
      'Rotterdam',
      '--modes',
      'sea',
      '--date',
      '2024-04-01',
      '--json',
    );
    const two = await json<PricedRouteResult>(
      'quote',
      'Shanghai',
      'Rotterdam',
      '--modes',
      'sea',
      '--date',
      '2024-04-01',
      '--containers',
      '2x40HC',
      '--weight',
      '30t',
      '--json',
    );
    expect(two.pricing.shipment).toMatchObject({ containerCount: 2, teu: 4, cargoTonnes: 30 });
    expect(two.options[0]!.quote.totalUsd).toBeCloseTo(2 * one.options[0]!.quote.totalUsd, 0);
  });
  it('prints a readable itemised quote', async () => {
    const r = await run('quote', "Xi'an", 'Duisburg', '--date', '2024-04-01', '--option', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /priced for 2024-04-01 \(the quote date\) · tariff set tariffs-2023-24 \(2023-01-01 to 2025-02-28\)/,
    );
    expect(r.stdout).toMatch(/Option 1 .*\n\s+13\.\d days · USD 3,\d{3}\.\d\d/);
    expect(r.stdout).toMatch(/Footprint \(ISO 14083/);
    expect(r.stdout).not.toMatch(/Option 2/);
  });
  it('exports PACT ProductFootprints with the iLEAP ShipmentFootprint extension', async () => {
    const p = await json<{
      data: {
        id: string;
        pcf: { declaredUnit: string };
        extensions: { dataSchema: string; data: { tces: { co2eWTW: string }[] } }[];
      }[];
    }>('quote', "Xi'an", 'Duisburg', '--date', '2024-04-01', '--format', 'pact', '--option', '2');
    expect(p.data).toHaveLength(1);
    expect(p.data[0]!.pcf.declaredUnit).toBe('ton kilometer');
    expect(p.data[0]!.extensions[0]!.dataSchema).toBe('https://api.ileap.sine.dev/shipment-footprint.json');
    expect(p.data[0]!.extensions[0]!.data.tces.length).toBeGreaterThan(3);
  });
  it('route carries the same quote and footprint on every option', async () => {
    const r = await json<PricedRouteResult>('route', "Xi'an", 'Duisburg', '--json');
    for (const o of r.options) {
      expect(o.quote.tariffSet.id).toBe('tariffs-2025');
      expect(Math.abs(o.quote.totalUsd - o.totals.costUsd)).toBeLessThanOrEqual(1);
      expect(o.emissions.wtwKgCo2e).toBeGreaterThan(0);
    }
  });
});

describe('plan carries the same quote', () => {
  it('quotes every itinerary with the tariff set of the ready date; its cost criterion is the quote', async () => {
    const r = await json<{ itineraries: PricedOption[]; pricing: PricedRouteResult['pricing']; notes: string[] }>(
      'plan',
      "Xi'an",
      'Baku',
      '--ready',
      '2024-04-01T08:00',
      '--samples',
      '200',
      '--json',
    );
    expect(r.pricing.tariffSet.id).toBe('tariffs-2023-24');
    expect(r.itineraries.length).toBeGreaterThan(0);
    for (const it of r.itineraries) {
      expect(Math.abs(it.quote.totalUsd - it.totals.costUsd)).toBeLessThanOrEqual(1);
      expect(Math.abs(it.emissions.wtwKgCo2e - it.totals.co2eKg)).toBeLessThanOrEqual(1);
    }
  });
  it('falls back to the latest tariff set, with a note, when none is valid on the ready date', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'tariffs/tariffs-2023-24.yaml': [["validFrom: '2023-01-01'", "validFrom: '2024-06-01'"]],
    });
    const r = await json<{ pricing: PricedRouteResult['pricing']; notes: string[] }>(
      '--data',
      dir,
      'plan',
      "Xi'an",
      'Baku',
      '--ready',
      '2024-04-01T08:00',
      '--samples',
      '200',
      '--json',
    );
    expect(r.pricing.tariffSet.id).toBe('tariffs-2025');
    expect(r.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no tariff set is valid on the ready date 2024-04-01; quotes use the latest set/),
      ]),
    );
  });
});

describe('quote errors', () => {
  const err = async (...args: string[]) => {
    const r = await run('quote', "Xi'an", 'Duisburg', ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    return r.stderr;
  };
  it('names a bad container type and lists the valid ones', async () => {
    expect(await err('--containers', '3xBANANA')).toMatch(
      /--containers: "BANANA" is not a container type; valid: 22G1 \(20, 20GP, 20DV, 20DC\), 42G1 \(40,/,
    );
  });
  it('rejects negative and absurd weights', async () => {
    expect(await err('--weight', '-5t')).toMatch(/--weight: "-5t" is not a weight; write e.g. 20t/);
    expect(await err('--weight', '900t')).toMatch(
      /900 t puts 900 t in each 42G1 container, over its payload of 26.73 t/,
    );
  });
  it('rejects a date with no valid tariff set, listing the periods', async () => {
    expect(await err('--date', '2019-01-01')).toContain(
      'no tariff set is valid on 2019-01-01; the data has tariffs-2021-22 2021-01-25 to 2022-12-31; ' +
        'tariffs-2023-24 2023-01-01 to 2025-02-28; tariffs-2025 2025-03-01 to open end',
    );
  });
});
