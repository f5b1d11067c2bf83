import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessLegs, MAX_WATER_GAP_KM, nearestTerminals, RoadModel } from '../../src/access/road.js';
import { CountryLocator, type Polygon } from '../../src/gazetteer/borders.js';
import type { Dataset, Location, Quantity, RoadParameters } from '../../src/model/types.js';

const q = (value: number): Quantity => ({ value, assumption: 'a figure for this test only, not data' });
const square = (x0: number, y0: number, x1: number, y1: number): Polygon => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
];
// AA | BB | CC side by side (4° of longitude each at the equator ≈ 445 km), a sea, then DD.
const borders = new CountryLocator([
  { code: 'AA', name: 'A', polygons: [square(0, -5, 4, 5)] },
  { code: 'BB', name: 'B', polygons: [square(4, -5, 8, 5)] },
  { code: 'CC', name: 'C', polygons: [square(8, -5, 12, 5)] },
  { code: 'DD', name: 'D', polygons: [square(16, -5, 20, 5)] },
]);

const PARAMS: RoadParameters = {
  nearestTerminals: q(2),
  maxAccessKm: q(1500),
  directMaxKm: q(500),
  hoursOfService: { dailyDrivingH: q(9), breakAfterDrivingH: q(4.5), breakH: q(0.75), dailyRestH: q(11) },
  teuPerTruck: q(2),
  terminalHandling: {
    durationH: { min: 1, typical: 2, max: 3, assumption: 'a figure for this test only' },
    costUsdPerTeu: q(10),
  },
  borderCrossing: { durationH: q(8), costUsdPerTruck: q(100) },
  customsUnions: [{ id: 'ab', countries: ['AA', 'BB'], source: 'test' }],
  defaults: { circuity: q(1.3), costUsdPerTruckKm: q(2), speedKmh: q(60) },
  regions: [{ id: 'a', countries: ['AA'], circuity: q(1.2), costUsdPerTruckKm: q(1), speedKmh: q(80) }],
};
const model = new RoadModel(PARAMS, borders);

const terminal = (id: string, country: string, lon: number): Location => ({
  id,
  name: id,
  aliases: [],
  country,
  kinds: ['rail-terminal'],
  coordinates: { lat: 0, lon, assumption: 'a test location' },
});
const DS = {
  locations: [terminal('T-A', 'AA', 3), terminal('T-B', 'BB', 6), terminal('T-C', 'CC', 10), terminal('T-D', 'DD', 18)],
  links: [],
  transfers: [],
} as unknown as Dataset;
const place = { id: 'geonames:1', name: 'Town', country: 'AA', lat: 0, lon: 1, population: 10_000 };

describe('RoadModel', () => {
  it('measures a leg by the circuity, speed and rate of each country it runs through', () => {
    const inA = model.leg(place, { id: 'x', name: 'X', country: 'AA', lat: 0, lon: 3 }, 'l1');
    expect(inA.link.countries).toEqual(['AA']);
    expect(inA.breakdown.roadKm).toBeCloseTo(inA.breakdown.greatCircleKm * 1.2, 0);
    expect(inA.breakdown.drivingH).toBeCloseTo(inA.breakdown.roadKm / 80, 1);
    expect(inA.link.costUsdPerTeu?.value).toBeCloseTo(inA.breakdown.roadKm / 2, 0);
    expect(inA.link).toMatchObject({ mode: 'road', bidirectional: false, corridor: 'door-to-door' });
  });

  it('charges customs borders only outside a customs union', () => {
    const ab = model.leg(place, { id: 'b', name: 'B', country: 'BB', lat: 0, lon: 6 }, 'l2').breakdown;
    expect(ab.borderCrossings).toBe(0);
    const ac = model.leg(place, { id: 'c', name: 'C', country: 'CC', lat: 0, lon: 10 }, 'l3');
    expect(ac.link.countries).toEqual(['AA', 'BB', 'CC']);
    expect(ac.breakdown.borderCrossings).toBe(1);
    expect(ac.breakdown.borderH).toBe(8);
  });

  it('stretches driving by breaks and daily rests', () => {
    expect(model.restHours(4)).toBe(0);
    expect(model.restHours(8)).toBe(0.75);
    expect(model.restHours(9)).toBe(0.75);
    expect(model.restHours(10)).toBe(11 + 0.75);
    expect(model.restHours(20)).toBe(22 + 2 * 0.75);
  });

  it('finds no road over open water', () => {
    const ad = model.leg(place, { id: 'd', name: 'D', country: 'DD', lat: 0, lon: 18 }, 'l4').breakdown;
    expect(ad.maxAtSeaKm).toBeGreaterThan(MAX_WATER_GAP_KM);
    const legs = accessLegs(DS, model, place, 'origin', {}, 10);
    expect(legs.terminals.map((t) => t.id)).toEqual(['T-A', 'T-B', 'T-C']);
  });

  it('joins the K nearest terminals, nearest first', () => {
    // T-D is 17° of longitude (≈1,890 km) away: beyond maxAccessKm.
    expect(nearestTerminals(DS, place, 1500).map((t) => t.id)).toEqual(['T-A', 'T-B', 'T-C']);
    expect(nearestTerminals(DS, place, 2000).map((t) => t.id)).toEqual(['T-A', 'T-B', 'T-C', 'T-D']);
    const legs = accessLegs(DS, model, place, 'origin');
    expect(legs.links.map((l) => l.to)).toEqual(['T-A', 'T-B']);
    const back = accessLegs(DS, model, place, 'destination');
    expect(back.links.map((l) => [l.from, l.to])).toEqual([
      ['T-A', 'geonames:1'],
      ['T-B', 'geonames:1'],
    ]);
  });

  it('never builds a leg through an avoided country (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray(['AA', 'BB', 'CC', 'DD']),
        fc.double({ min: 0.2, max: 11.8, noNaN: true }),
        fc.constantFrom<'origin' | 'destination'>('origin', 'destination'),
        (avoid, lon, role) => {
          const country = lon < 4 ? 'AA' : lon < 8 ? 'BB' : 'CC';
          const p = { ...place, lon, country };
          const legs = accessLegs(DS, model, p, role, { avoidCountries: avoid }, 4);
          for (const l of legs.links) for (const c of l.countries) if (c !== country) expect(avoid).not.toContain(c);
          for (const t of legs.terminals) expect(avoid).not.toContain(t.country);
        },
      ),
    );
  });
});
