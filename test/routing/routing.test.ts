import { describe, expect, it } from 'vitest';
import { compileNetwork } from '../../src/network/compile.js';
import { findRoutes } from '../../src/routing/route.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';

/** One canonical line per option: "A ~rail~ B ~ferry~ C | 31h USD 500". */
function lines(
  ds: ReturnType<typeof dataset>,
  from: string,
  to: string,
  extra: object = {},
  scenario?: string,
): string[] {
  const net = compileNetwork(ds, scenario ? { scenario } : {});
  return findRoutes(net, { from, to, ...extra }).options.map(
    (o) =>
      `${[o.legs[0]!.from, ...o.legs.map((l) => `~${l.mode}~ ${l.to}`)].join(' ')} | ` +
      `${o.totals.durationH}h USD ${o.totals.costUsd}`,
  );
}

describe('R01 single link', () => {
  it('finds the one link and charges no transfer at the ends', () => {
    const ds = dataset(
      [loc('KZAAU'), loc('AZALA')],
      [link('KZAAU', 'AZALA', 'ferry', { km: 470, h: 21, usdPerTeu: 300 })],
      [transfer('KZAAU', 'handling', 24, 50)],
    );
    expect(lines(ds, 'KZAAU', 'AZALA')).toEqual(['KZAAU ~ferry~ AZALA | 21h USD 300']);
    expect(lines(ds, 'AZALA', 'KZAAU')).toEqual(['AZALA ~ferry~ KZAAU | 21h USD 300']);
  });
});

describe('R02 trade-off', () => {
  const ds = dataset(
    [loc('CNXIA'), loc('KZDOS'), loc('DEDUI')],
    [
      link('CNXIA', 'DEDUI', 'rail', { h: 100, usdPerTeu: 3000, id: 'fast' }),
      link('CNXIA', 'KZDOS', 'rail', { h: 200, usdPerTeu: 1000 }),
      link('KZDOS', 'DEDUI', 'rail', { h: 200, usdPerTeu: 1000 }),
    ],
  );
  it('keeps both the fast-dear and the slow-cheap path, fastest first', () => {
    expect(lines(ds, 'CNXIA', 'DEDUI')).toEqual([
      'CNXIA ~rail~ DEDUI | 100h USD 3000',
      'CNXIA ~rail~ KZDOS ~rail~ DEDUI | 400h USD 2000',
    ]);
  });
  it('drops a path that is worse on every criterion', () => {
    const worse = dataset(ds.locations, [
      ...ds.links,
      link('CNXIA', 'DEDUI', 'rail', { h: 500, usdPerTeu: 5000, id: 'bad', km: 200 }),
    ]);
    expect(lines(worse, 'CNXIA', 'DEDUI')).toHaveLength(2);
  });
});

describe('R03 gauge change', () => {
  const locs = [loc('CNAKL'), loc('KZDOS'), loc('KZALA')];
  const links = [
    link('CNAKL', 'KZDOS', 'rail', { gauge: 1435, h: 5 }),
    link('KZDOS', 'KZALA', 'rail', { gauge: 1520, h: 20 }),
  ];
  it('is impossible where the data has no gauge-change transfer', () => {
    expect(lines(dataset(locs, links), 'CNAKL', 'KZALA')).toEqual([]);
  });
  it('costs its time and money at a gauge-change point', () => {
    const ds = dataset(locs, links, [transfer('KZDOS', 'gauge-change', 12, 100)]);
    const net = compileNetwork(ds);
    const r = findRoutes(net, { from: 'CNAKL', to: 'KZALA' });
    expect(r.options).toHaveLength(1);
    const o = r.options[0]!;
    expect(o.totals.durationH).toBe(37);
    expect(o.totals.gaugeChanges).toBe(1);
    expect(o.totals.transshipments).toBe(1);
    expect(o.stops).toEqual([
      expect.objectContaining({ at: 'KZDOS', events: ['gauge-change'], durationH: 12, costUsd: 100 }),
    ]);
  });
  it('charges the border dwell to trains passing through a border point', () => {
    const ds = dataset(
      [loc('CNAKL'), loc('KZDOS'), loc('KZALA')],
      [link('CNAKL', 'KZDOS', 'rail', { h: 5 }), link('KZDOS', 'KZALA', 'rail', { h: 20 })],
      [transfer('KZDOS', 'border', 4, 10)],
    );
    expect(lines(ds, 'CNAKL', 'KZALA')).toEqual(['CNAKL ~rail~ KZDOS ~rail~ KZALA | 29h USD 210']);
  });
});

describe('R04 constraints', () => {
  const ds = dataset(
    [loc('CNXIA'), loc('RUMOW'), loc('AZALA'), loc('DEDUI')],
    [
      link('CNXIA', 'RUMOW', 'rail', { h: 100, usdPerTeu: 500 }),
      link('RUMOW', 'DEDUI', 'rail', { h: 50, usdPerTeu: 500 }),
      link('CNXIA', 'AZALA', 'rail', { h: 200, usdPerTeu: 800 }),
      link('AZALA', 'DEDUI', 'sea', { h: 200, usdPerTeu: 800, countries: ['AZ', 'EG', 'DE'], passages: ['suez'] }),
    ],
    [transfer('AZALA', 'handling', 10, 0)],
  );
  it('--avoid removes every option touching the country', () => {
    expect(lines(ds, 'CNXIA', 'DEDUI')).toHaveLength(1);
    expect(lines(ds, 'CNXIA', 'DEDUI', { avoidCountries: ['RU'] })).toEqual([
      'CNXIA ~rail~ AZALA ~sea~ DEDUI | 410h USD 1600',
    ]);
  });
  it('an avoided country on a sea passage excludes the passage', () => {
    expect(lines(ds, 'CNXIA', 'DEDUI', { avoidCountries: ['RU', 'EG'] })).toEqual([]);
    expect(lines(ds, 'CNXIA', 'DEDUI', { avoidCountries: ['RU'], avoidPassages: ['suez'] })).toEqual([]);
  });
  it('--modes keeps only the listed modes', () => {
    expect(lines(ds, 'CNXIA', 'DEDUI', { avoidCountries: ['RU'], modes: ['rail'] })).toEqual([]);
  });
  it('refuses an origin inside an avoided country', () => {
    expect(() => findRoutes(compileNetwork(ds), { from: 'RUMOW', to: 'DEDUI', avoidCountries: ['RU'] })).toThrow(
      /RUMOW.*RU/,
    );
  });
});

describe('R05 scenarios', () => {
  const ds = dataset(
    [loc('AZBAK'), loc('TRKSY')],
    [
      link('AZBAK', 'TRKSY', 'rail', { h: 100, id: 'long' }),
      link('AZBAK', 'TRKSY', 'rail', { h: 30, id: 'short', status: 'proposed', scenarios: ['open-x'] }),
    ],
  );
  it('keeps proposed links off unless their scenario is chosen', () => {
    expect(lines(ds, 'AZBAK', 'TRKSY')).toEqual(['AZBAK ~rail~ TRKSY | 100h USD 100']);
    expect(lines(ds, 'AZBAK', 'TRKSY', {}, 'open-x')).toEqual(['AZBAK ~rail~ TRKSY | 30h USD 100']);
  });
});

describe('R06 explanations', () => {
  const ds = dataset(
    [loc('CNXIA'), loc('RUMOW'), loc('KZAAU'), loc('DEDUI')],
    [
      link('CNXIA', 'RUMOW', 'rail', { h: 100, usdPerTeu: 500, corridor: 'northern' }),
      link('RUMOW', 'DEDUI', 'rail', { h: 50, usdPerTeu: 500, corridor: 'northern' }),
      link('CNXIA', 'KZAAU', 'rail', { h: 200, usdPerTeu: 600, corridor: 'middle' }),
      link('KZAAU', 'DEDUI', 'rail', { h: 200, usdPerTeu: 600, corridor: 'middle' }),
    ],
  );
  const net = compileNetwork(ds);

  it('names the option an avoided country excluded, and why', () => {
    const r = findRoutes(net, { from: 'CNXIA', to: 'DEDUI', avoidCountries: ['RU'] });
    expect(r.options.map((o) => o.corridors)).toEqual([['middle']]);
    expect(r.alternatives).toEqual([
      expect.objectContaining({ kind: 'excluded', corridors: ['northern'], reason: 'crosses RU, an avoided country' }),
    ]);
  });

  it('names the best route of a family that lost, with its margins', () => {
    const r = findRoutes(net, { from: 'CNXIA', to: 'DEDUI' });
    expect(r.options.map((o) => o.corridors)).toEqual([['northern']]);
    expect(r.alternatives).toEqual([
      expect.objectContaining({
        kind: 'dominated',
        corridors: ['middle'],
        dominatedBy: 1,
        reason: '10.4 days slower and USD 200 dearer than option 1',
      }),
    ]);
  });

  it('labels fastest, cheapest, greenest and balanced, and honours a preset', () => {
    const r = findRoutes(net, { from: 'CNXIA', to: 'DEDUI', avoidCountries: ['RU'], preset: 'cheapest' });
    expect(r.options[0]!.labels).toEqual(['fastest', 'cheapest', 'greenest', 'balanced']);
    expect(r.recommended).toEqual({ preset: 'cheapest', option: 1 });
  });
});
