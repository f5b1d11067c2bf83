/**
 * Tariff scenarios on tiny networks: charges by unit, size and condition, the most specific
 * charge per category, fallbacks, discounts, through-rates, dated tariff sets and FX; plus
 * properties: quote items sum to the total, and the Pareto search's cost equals the quote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorridorError } from '../../src/model/errors.js';
import type { FxSnapshot } from '../../src/model/pricing-types.js';
import { compileNetwork } from '../../src/network/compile.js';
import { buildCargo, parseContainers, parseWeightTonnes } from '../../src/tariff/cargo.js';
import { fxConverter } from '../../src/tariff/fx.js';
import { findPricedRoutes } from '../../src/tariff/priced-routes.js';
import { chooseTariffSet } from '../../src/tariff/tariff-set.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';
import { CONTAINERS, legCharge, priced, qa, stopCharge, tariffSet, throughRate } from '../helpers/pricing-builders.js';

/** One line per item: "leg 0 rail-haul 100.00" / "KZDOS border kz-border 40.00". */
function itemLines(r: ReturnType<typeof findPricedRoutes>, option = 0): string[] {
  return r.options[option]!.quote.items.map(
    (i) =>
      `${i.legIndex !== undefined ? `leg ${i.legIndex}` : `${i.node} ${i.event}`} ` +
      `${i.chargeId} ${i.amountUsd.toFixed(2)}`,
  );
}

const chain = () =>
  dataset(
    [loc('CNXIA'), loc('KZDOS'), loc('AZALA')],
    [
      link('CNXIA', 'KZDOS', 'rail', { km: 100, gauge: 1435, id: 'cn-kz' }),
      link('KZDOS', 'AZALA', 'rail', { km: 200, gauge: 1520, id: 'kz-az' }),
    ],
    [transfer('KZDOS', 'gauge-change', 10, 50), transfer('KZDOS', 'border', 2, 20)],
  );

describe('T01 charges by unit and size', () => {
  it('prices per container-km with size factors, per TEU and per shipment', () => {
    const ds = priced(
      chain(),
      tariffSet({
        legCharges: [
          legCharge('haul', 'container-km', 1),
          legCharge('fee', 'teu', 10, {}, { category: 'platform' }),
          legCharge('doc', 'shipment', 7, { links: ['cn-kz'] }, { category: 'customs' }),
        ],
      }),
    );
    const r = findPricedRoutes(
      ds,
      compileNetwork(ds),
      { from: 'CNXIA', to: 'AZALA' },
      { cargo: { containers: '2x40,1x20' } },
    );
    // 40' at 1/km, 20' at 0.5 × 1/km (size factor); TEU: 2×2 + 1 = 5.
    expect(itemLines(r)).toEqual([
      'leg 0 haul 250.00',
      'leg 0 fee 50.00',
      'leg 0 doc 7.00',
      'KZDOS border transfer-KZDOS-border 100.00',
      'KZDOS gauge-change transfer-KZDOS-gauge-change 250.00',
      'leg 1 haul 500.00',
      'leg 1 fee 50.00',
    ]);
  });
  it('uses an explicit per-size amount over the size factor', () => {
    const ds = priced(
      chain(),
      tariffSet({ legCharges: [legCharge('haul', 'container', 100, {}, { bySize: { '20': qa(80) } })] }),
    );
    const r = findPricedRoutes(
      ds,
      compileNetwork(ds),
      { from: 'CNXIA', to: 'KZDOS' },
      { cargo: { containers: '1x20' } },
    );
    expect(itemLines(r)).toEqual(['leg 0 haul 80.00']);
  });
  it('counts whole wagons for per-wagon charges', () => {
    const ds = priced(
      chain(),
      tariffSet({
        legCharges: [
          legCharge('haul', 'container', 0),
          legCharge('platform', 'wagon', 30, {}, { category: 'platform' }),
        ],
      }),
    );
    const r = findPricedRoutes(
      ds,
      compileNetwork(ds),
      { from: 'CNXIA', to: 'KZDOS' },
      { cargo: { containers: '2x40' } },
    );
    // 4 TEU on 3-TEU wagons: 2 wagons.
    expect(itemLines(r)).toEqual(['leg 0 haul 0.00', 'leg 0 platform 60.00']);
  });
  it('prices tonne-km on the gross mass, boxes included', () => {
    const ds = priced(chain(), tariffSet({ legCharges: [legCharge('haul', 'tonne-km', 0.01)] }));
    const r = findPricedRoutes(
      ds,
      compileNetwork(ds),
      { from: 'CNXIA', to: 'KZDOS' },
      { cargo: { containers: '1x40', weight: '16t' } },
    );
    expect(itemLines(r)).toEqual(['leg 0 haul 20.00']); // 100 km × (16 + 4) t × 0.01
  });
});

describe('T02 which charge applies', () => {
  it('takes the most specific charge of a category and keeps other categories', () => {
    const ds = priced(
      chain(),
      tariffSet({
        legCharges: [
          legCharge('generic', 'container', 100, { modes: ['rail'] }),
          legCharge('specific', 'container', 60, { links: ['kz-az'] }),
          legCharge('kz', 'container', 80, { countries: ['KZ', 'AZ'] }),
          legCharge('plat', 'container', 5, { modes: ['rail'] }, { category: 'platform' }),
        ],
      }),
    );
    const r = findPricedRoutes(ds, compileNetwork(ds), { from: 'CNXIA', to: 'AZALA' }, {});
    expect(itemLines(r).filter((l) => l.startsWith('leg'))).toEqual([
      'leg 0 generic 100.00',
      'leg 0 plat 5.00',
      'leg 1 specific 60.00',
      'leg 1 plat 5.00',
    ]);
  });
  it('applies conditional surcharges only to the cargo they name, without displacing each other', () => {
    const set = tariffSet({
      legCharges: [
        legCharge('haul', 'container', 100),
        legCharge('dg', 'container', 30, {}, { category: 'surcharge', when: { dangerousGoods: true } }),
        legCharge('rf', 'container', 50, {}, { category: 'surcharge', when: { reefer: true } }),
      ],
    });
    const ds = priced(chain(), set);
    const q = (cargo: object) =>
      itemLines(findPricedRoutes(ds, compileNetwork(ds), { from: 'CNXIA', to: 'KZDOS' }, { cargo }));
    expect(q({})).toEqual(['leg 0 haul 100.00']);
    expect(q({ dangerousGoods: true })).toEqual(['leg 0 haul 100.00', 'leg 0 dg 30.00']);
    expect(q({ containers: '1x40RF', dangerousGoods: true })).toEqual([
      'leg 0 haul 100.00',
      'leg 0 dg 30.00',
      'leg 0 rf 50.00',
    ]);
  });
  it('falls back to the generic rate and transfer cost, and says so', () => {
    const ds = priced(chain(), tariffSet());
    const r = findPricedRoutes(ds, compileNetwork(ds), { from: 'CNXIA', to: 'AZALA' }, {});
    const q = r.options[0]!.quote;
    expect(q.coverage.fallbackItems).toBe(q.items.length);
    expect(q.items[0]).toMatchObject({
      category: 'generic-rate',
      fallback: true,
      amountUsd: 200,
      assumption: expect.any(String),
    }); // 100 km × 2 TEU × 1 USD/TEU-km
  });
  it('charges terminal handling at the origin and destination by mode', () => {
    const ds = priced(
      chain(),
      tariffSet({
        legCharges: [legCharge('haul', 'container', 0)],
        stopCharges: [
          stopCharge('rail-terminal', { events: ['origin', 'destination'], modes: ['rail'] }, 25),
          stopCharge('port', { events: ['origin'], modes: ['sea'] }, 999),
        ],
      }),
    );
    const lines = itemLines(findPricedRoutes(ds, compileNetwork(ds), { from: 'CNXIA', to: 'KZDOS' }, {}));
    expect(lines).toEqual([
      'CNXIA origin rail-terminal 25.00',
      'leg 0 haul 0.00',
      'KZDOS destination rail-terminal 25.00',
    ]);
  });
  it('shows a published discount as its own negative line', () => {
    const ds = priced(
      chain(),
      tariffSet({
        legCharges: [
          legCharge('haul', 'container', 0),
          legCharge(
            'plat',
            'container',
            40,
            {},
            { category: 'platform', discountPct: qa(30), discountNote: 'flat-car discount' },
          ),
        ],
      }),
    );
    expect(itemLines(findPricedRoutes(ds, compileNetwork(ds), { from: 'CNXIA', to: 'KZDOS' }, {}))).toEqual([
      'leg 0 haul 0.00',
      'leg 0 plat 40.00',
      'leg 0 plat-discount -12.00',
    ]);
  });
});

describe('T03 through-rates', () => {
  const ds4 = () =>
    dataset(
      [loc('KZDOS'), loc('RUMOW'), loc('BYBQT'), loc('PLMAA')],
      [
        link('KZDOS', 'RUMOW', 'rail', { km: 300, gauge: 1520, id: 'a' }),
        link('RUMOW', 'BYBQT', 'rail', { km: 100, gauge: 1520, id: 'b' }),
        link('BYBQT', 'PLMAA', 'rail', { km: 50, gauge: 1520, id: 'c' }),
      ],
    );
  const set = (o = {}) =>
    tariffSet({
      legCharges: [legCharge('haul', 'container-km', 1)],
      throughRates: [throughRate('transit', ['a', 'b'], 200, o)],
    });
  it('replaces the segment charges of a whole chain and says it applied', () => {
    const ds = priced(ds4(), set());
    const q = findPricedRoutes(ds, compileNetwork(ds), { from: 'KZDOS', to: 'PLMAA' }, {}).options[0]!.quote;
    expect(q.items.map((i) => [i.chargeId, i.legIndices ?? i.legIndex, i.amountUsd])).toEqual([
      ['transit', [0, 1], 200],
      ['haul', 2, 50],
    ]);
    expect(q.basis).toBe('mixed');
    expect(q.throughRates).toEqual([
      expect.objectContaining({ id: 'transit', full: true, share: 1, amountUsd: 200, segmentsUsd: 400 }),
    ]);
  });
  it('charges a partial use by distance share', () => {
    const ds = priced(ds4(), set());
    const q = findPricedRoutes(ds, compileNetwork(ds), { from: 'RUMOW', to: 'BYBQT' }, {}).options[0]!.quote;
    expect(q.throughRates).toEqual([expect.objectContaining({ full: false, share: 0.25, amountUsd: 50 })]);
    expect(q.basis).toBe('through-rate');
  });
  it('a one-way rate covers its direction only', () => {
    const ds = priced(ds4(), set({ bidirectional: false }));
    const back = findPricedRoutes(ds, compileNetwork(ds), { from: 'BYBQT', to: 'KZDOS' }, {}).options[0]!.quote;
    expect(back.basis).toBe('segments');
    expect(back.totalUsd).toBe(400);
  });
});

describe('T04 dated tariff sets and FX', () => {
  const sets = [
    tariffSet({ id: 'old', validFrom: '2023-01-01', validTo: '2023-12-31' }),
    tariffSet({ id: 'new', validFrom: '2024-01-01' }),
  ];
  it('picks the set valid on the date, or the latest one without a date', () => {
    expect(chooseTariffSet(sets, '2023-06-01').set.id).toBe('old');
    expect(chooseTariffSet(sets, '2030-01-01').set.id).toBe('new');
    expect(chooseTariffSet(sets)).toMatchObject({ set: { id: 'new' }, date: '2024-01-01', dated: false });
  });
  it('rejects a date no set covers, listing the periods', () => {
    expect(() => chooseTariffSet(sets, '2022-05-05')).toThrow(
      /no tariff set is valid on 2022-05-05; the data has old 2023-01-01 to 2023-12-31; new 2024-01-01 to open end/,
    );
    expect(() => chooseTariffSet(sets, '2024-13-01')).toThrow(/not a calendar date/);
  });
  it('converts at the latest snapshot on or before the date, through the EUR base', () => {
    const fx: FxSnapshot[] = [
      { date: '2024-01-01', base: 'EUR', rates: { USD: qa(1.1), CHF: qa(1.0) } },
      { date: '2024-06-01', base: 'EUR', rates: { USD: qa(1.2), CHF: qa(1.0) } },
      { date: '2024-03-01', base: 'USD', rates: { KZT: qa(500) } },
    ];
    expect(fxConverter(fx, '2024-05-31')('CHF').usdPerUnit).toBeCloseTo(1.1);
    expect(fxConverter(fx, '2024-06-01')('CHF').usdPerUnit).toBeCloseTo(1.2);
    expect(fxConverter(fx, '2024-06-01')('EUR').usdPerUnit).toBeCloseTo(1.2);
    expect(fxConverter(fx, '2024-06-01')('KZT').usdPerUnit).toBeCloseTo(0.002);
    expect(() => fxConverter(fx, '2024-02-01')('KZT')).toThrow(
      /no exchange rate for KZT on or before 2024-02-01; fx.yaml has KZT from 2024-03-01/,
    );
  });
});

describe('T05 cargo', () => {
  it('reads ISO 6346 codes, shorthands and counts', () => {
    expect(parseContainers(CONTAINERS, '2x40HC, 1×22G1,3*45').map((g) => `${g.count}×${g.type.code}`)).toEqual([
      '2×45G1',
      '1×22G1',
      '3×L5G1',
    ]);
    expect(parseContainers(CONTAINERS, '42G1').map((g) => g.count)).toEqual([1]);
  });
  it('reads weights in t and kg', () => {
    expect(parseWeightTonnes('20t')).toBe(20);
    expect(parseWeightTonnes('18500kg')).toBe(18.5);
    expect(parseWeightTonnes('7,5 t')).toBe(7.5);
  });
  it('spreads the cargo over the containers by TEU', () => {
    const c = buildCargo(CONTAINERS, { containers: '1x40,1x20', weight: '30t' });
    expect(c.groups.map((g) => g.cargoTonnesPerContainer)).toEqual([20, 10]);
  });
  it('rejects bad containers, counts and weights with what is valid', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CorridorError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(() => buildCargo(CONTAINERS, { containers: '3xBANANA' }))).toMatch(
      /"BANANA" is not a container type; valid: 22G1 \(20\), 42G1 \(40\)/,
    );
    expect(err(() => buildCargo(CONTAINERS, { containers: '0x40' }))).toMatch(/count is a whole number from 1 to 500/);
    expect(err(() => buildCargo(CONTAINERS, { weight: '-3t' }))).toMatch(/"-3t" is not a weight/);
    expect(err(() => buildCargo(CONTAINERS, { weight: '0t' }))).toMatch(/must be more than 0/);
    expect(err(() => buildCargo(CONTAINERS, { containers: '1x40', weight: '40t' }))).toMatch(
      /over its payload of 26 t/,
    );
    expect(err(() => buildCargo(CONTAINERS, { containers: '1x40', reefer: true }))).toMatch(
      /reefer cargo needs a reefer container type \(e.g. 40RF\)/,
    );
  });
});

describe('T06 properties', () => {
  // A random corridor: a chain of 2–5 links of random modes and lengths, random charges.
  const arb = fc.record({
    kms: fc.array(fc.integer({ min: 10, max: 3000 }), { minLength: 2, maxLength: 5 }),
    modes: fc.array(fc.constantFrom('rail', 'sea', 'road'), { minLength: 5, maxLength: 5 }),
    rates: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 4, maxLength: 4 }),
    through: fc.boolean(),
    count40: fc.integer({ min: 0, max: 3 }),
    count20: fc.integer({ min: 0, max: 3 }),
    weightT: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    dg: fc.boolean(),
  });
  type Case = typeof arb extends fc.Arbitrary<infer T> ? T : never;
  const build = (a: Case) => {
    const ids = a.kms.map((_, i) => `L${i}`);
    const locs = [...a.kms, 0].map((_, i) => loc(`KZ${'ABCDEF'[i]}AA`));
    const links = a.kms.map((km, i) =>
      link(locs[i]!.id, locs[i + 1]!.id, a.modes[i] as 'rail', { km, id: ids[i]!.toLowerCase() }),
    );
    const transfers = locs.map((l) => transfer(l.id, 'handling', 1, 7));
    const set = tariffSet({
      legCharges: [
        legCharge('haul', 'container-km', a.rates[0]!, { modes: ['rail'] }),
        legCharge('sea', 'container', a.rates[1]! * 300, { modes: ['sea'] }, { category: 'sea-freight' }),
        legCharge('tkm', 'tonne-km', a.rates[2]! / 100, {}, { category: 'platform', currency: 'CHF' }),
        legCharge('dg', 'container', 25, {}, { category: 'surcharge', when: { dangerousGoods: true } }),
      ],
      stopCharges: [
        stopCharge('thc', { events: ['handling', 'origin', 'destination'] }, a.rates[3]! * 50, { currency: 'CHF' }),
      ],
      throughRates: a.through ? [throughRate('thr', [ids[0]!.toLowerCase(), ids[1]!.toLowerCase()], 333)] : [],
    });
    return { ds: priced(dataset(locs, links, transfers), set), from: locs[0]!.id, to: locs[locs.length - 1]!.id };
  };
  const containers = (a: { count40: number; count20: number }) =>
    [a.count40 ? `${a.count40}x40` : '', a.count20 ? `${a.count20}x20` : ''].filter(Boolean).join(',') || '1x40';

  it('quote items always sum to the total, and the total is what the search optimised', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const { ds, from, to } = build(a);
        const weight =
          a.weightT !== undefined ? `${Math.min(a.weightT, 10 * (a.count40 + a.count20 || 1))}t` : undefined;
        const r = findPricedRoutes(
          ds,
          compileNetwork(ds),
          { from, to },
          { cargo: { containers: containers(a), ...(weight ? { weight } : {}), dangerousGoods: a.dg } },
        );
        expect(r.options.length).toBeGreaterThan(0);
        for (const o of r.options) {
          const sum = o.quote.items.reduce((s, i) => s + i.amountUsd, 0);
          expect(Math.abs(sum - o.quote.totalUsd)).toBeLessThan(0.005 + 1e-9 * Math.abs(sum));
          expect(Math.abs(o.quote.totalUsd - o.totals.costUsd)).toBeLessThanOrEqual(0.5 + 0.01 * o.quote.items.length);
          for (const i of o.quote.items) expect(i.source !== undefined || (i.assumption ?? '').length >= 20).toBe(true);
        }
      }),
      { numRuns: 150, seed: 14083 },
    );
  });
});
