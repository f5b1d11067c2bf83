/**
 * ISO 14083 footprints: per-leg tonne-km × intensity by factor shape, hub emissions, WTW ≥ TTW,
 * and linearity in the mass moved (property).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../src/network/compile.js';
import { findPricedRoutes } from '../../src/tariff/priced-routes.js';
import { toPactProductFootprint, deterministicUuid } from '../../src/emissions/pact.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';
import { priced, tariffSet } from '../helpers/pricing-builders.js';

const quote = (ds: ReturnType<typeof priced>, from: string, to: string, cargo: object = {}) =>
  findPricedRoutes(ds, compileNetwork(ds), { from, to }, { cargo });

describe('E01 intensities by factor shape', () => {
  const ds = priced(
    dataset(
      [loc('KZAAU'), loc('AZALA'), loc('AZBAK'), loc('GETBS')],
      [
        link('KZAAU', 'AZALA', 'sea', { km: 500, id: 'feeder' }),
        {
          ...link('AZALA', 'AZBAK', 'rail', { km: 100, gauge: 1520, id: 'electric' }),
          traction: 'electric' as const,
          countries: ['AZ', 'KZ'],
        },
        link('AZBAK', 'GETBS', 'rail', { km: 200, gauge: 1520, id: 'diesel', countries: ['AZ', 'GE'] }),
      ],
      [transfer('AZALA', 'handling', 1, 0)],
    ),
    tariffSet(),
  );
  // 16 t of cargo + 4 t tare = 20 t
  const e = quote(ds, 'KZAAU', 'GETBS', { containers: '1x40', weight: '16t' }).options[0]!.emissions;
  it('computes tonne-km, TTW and WTW per leg', () => {
    expect(
      e.legs.map((l) => [l.factorId, l.tonneKm, l.ttwGCo2ePerTkm, l.wtwGCo2ePerTkm, l.ttwKgCo2e, l.wtwKgCo2e]),
    ).toEqual([
      ['ship', 10000, 6, 7, 60, 70], // 70 g/TEU-km ÷ 10 t/TEU
      ['rail-electric', 2000, 0, 16.5, 0, 33], // 0.03 kWh/t-km × mean(AZ default 300, KZ 800)
      ['rail-diesel', 4000, 20, 25, 80, 100],
    ]);
  });
  it('adds hub emissions at a transshipment and totals WTW ≥ TTW > 0', () => {
    expect(e.hubs).toEqual([
      expect.objectContaining({ node: 'AZALA', event: 'handling', tonnes: 20, wtwKgCo2e: 20, ttwKgCo2e: 10 }),
    ]);
    expect(e.wtwKgCo2e).toBeCloseTo(70 + 33 + 100 + 20, 1);
    expect(e.ttwKgCo2e).toBeCloseTo(60 + 0 + 80 + 10, 1);
  });
  it('puts the WTW footprint on the option totals used by the search', () => {
    const o = quote(ds, 'KZAAU', 'GETBS', { containers: '1x40', weight: '16t' }).options[0]!;
    expect(o.totals.co2eKg).toBe(Math.round(o.emissions.wtwKgCo2e));
  });
});

describe('E02 properties', () => {
  const mk = (kms: number[], modes: ('rail' | 'sea' | 'road' | 'ferry')[]) => {
    const locs = [...kms, 0].map((_, i) => loc(`AZ${'ABCDEF'[i]}AA`));
    const links = kms.map((km, i) => link(locs[i]!.id, locs[i + 1]!.id, modes[i]!, { km, id: `l${i}` }));
    return {
      ds: priced(
        dataset(
          locs,
          links,
          locs.map((l) => transfer(l.id, 'handling', 1, 1)),
        ),
        tariffSet(),
      ),
      from: locs[0]!.id,
      to: locs[locs.length - 1]!.id,
    };
  };
  const arb = fc.record({
    kms: fc.array(fc.integer({ min: 5, max: 5000 }), { minLength: 1, maxLength: 4 }),
    modes: fc.array(fc.constantFrom<'rail' | 'sea' | 'road' | 'ferry'>('rail', 'sea', 'road', 'ferry'), {
      minLength: 4,
      maxLength: 4,
    }),
    w1: fc.integer({ min: 1, max: 25 }),
    w2: fc.integer({ min: 1, max: 25 }),
    boxes: fc.integer({ min: 1, max: 4 }),
  });
  it('emissions are linear in the mass moved and WTW ≥ TTW ≥ 0 on every leg', () => {
    fc.assert(
      fc.property(arb, ({ kms, modes, w1, w2, boxes }) => {
        const { ds, from, to } = mk(kms, modes);
        const at = (t: number) =>
          quote(ds, from, to, { containers: `${boxes}x40`, weight: `${t * boxes}t` }).options[0]!.emissions;
        const a = at(w1);
        const b = at(w2);
        // E = k × (cargo + tare): emissions per tonne moved do not depend on the load (outputs are rounded to 0.1 kg).
        const ma = w1 * boxes + 4 * boxes;
        const mb = w2 * boxes + 4 * boxes;
        const slack = (0.1 * (a.legs.length + a.hubs.length + 1)) / Math.min(ma, mb);
        expect(Math.abs(a.wtwKgCo2e / ma - b.wtwKgCo2e / mb)).toBeLessThan(slack);
        expect(Math.abs(a.ttwKgCo2e / ma - b.ttwKgCo2e / mb)).toBeLessThan(slack);
        for (const l of [...a.legs, ...b.legs]) {
          expect(l.wtwKgCo2e).toBeGreaterThan(0);
          expect(l.ttwKgCo2e).toBeGreaterThanOrEqual(0);
          expect(l.wtwKgCo2e).toBeGreaterThanOrEqual(l.ttwKgCo2e);
          if (l.energyCarrier !== 'electric') expect(l.ttwKgCo2e).toBeGreaterThan(0);
        }
        expect(a.wtwKgCo2e).toBeGreaterThanOrEqual(a.ttwKgCo2e);
      }),
      { numRuns: 100, seed: 14083 },
    );
  });
  it('doubling the mass moved doubles every leg (before rounding)', () => {
    const { ds, from, to } = mk([1234, 567], ['rail', 'sea', 'rail', 'rail']);
    const one = quote(ds, from, to, { containers: '1x40', weight: '6t' }).options[0]!.emissions; // 10 t gross
    const two = quote(ds, from, to, { containers: '1x40', weight: '16t' }).options[0]!.emissions; // 20 t gross
    for (const [i, l] of two.legs.entries()) expect(l.wtwKgCo2e).toBeCloseTo(2 * one.legs[i]!.wtwKgCo2e, 0);
  });
});

describe('E03 PACT / iLEAP export', () => {
  const ds = priced(
    dataset(
      [loc('KZAAU'), loc('AZALA'), loc('AZBAK')],
      [link('KZAAU', 'AZALA', 'ferry', { km: 475 }), link('AZALA', 'AZBAK', 'rail', { km: 70, gauge: 1520 })],
      [transfer('AZALA', 'handling', 1, 0)],
    ),
    tariffSet(),
  );
  const o = quote(ds, 'KZAAU', 'AZBAK').options[0]!;
  const pf = toPactProductFootprint({
    shipmentId: 'S1',
    footprint: o.emissions,
    legs: o.legs.map((l) => ({
      linkId: l.linkId,
      from: l.from,
      to: l.to,
      fromName: l.fromName,
      toName: l.toName,
      fromCountry: 'KZ',
      toCountry: 'AZ',
    })),
    containerCount: 1,
    created: '2026-01-01T00:00:00Z',
    date: '2024-04-01',
    companyName: 'Test Co',
    description: 'test',
    gwp: 'AR5',
  });
  const ext = pf.extensions[0]!;
  it('maps legs and hubs to transport chain elements with decimal strings', () => {
    expect(ext.dataSchema).toBe('https://api.ileap.sine.dev/shipment-footprint.json');
    const tces = ext.data.tces as Record<string, unknown>[];
    expect(tces.map((t) => [t.tceId, t.tocId ?? t.hocId, t.prevTceIds])).toEqual([
      ['S1-leg-1', 'ferry', undefined],
      ['S1-hub-1', 'hub-handling', ['S1-leg-1']],
      ['S1-leg-2', 'rail-diesel', ['S1-hub-1']],
    ]);
    for (const t of tces)
      for (const k of ['mass', 'transportActivity', 'co2eWTW', 'co2eTTW']) expect(t[k]).toMatch(/^-?\d+(\.\d+)?$/);
    const sum = tces.reduce((s, t) => s + Number(t.co2eWTW), 0);
    expect(sum).toBeCloseTo(o.emissions.wtwKgCo2e, 0);
  });
  it('fills the PACT footprint per tonne-km and a stable UUID', () => {
    expect(pf.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('x')).toBe(deterministicUuid('x'));
    expect(pf.pcf.declaredUnit).toBe('ton kilometer');
    expect(Number(pf.pcf.unitaryProductAmount) * Number(pf.pcf.pCfExcludingBiogenic)).toBeCloseTo(
      o.emissions.wtwKgCo2e,
      0,
    );
  });
});
