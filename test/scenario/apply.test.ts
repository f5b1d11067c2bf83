/**
 * Scenario overlays on tiny networks: switching links on and off, capacity / time / cost / dwell
 * edits, added links, closed countries, demand, and composition through `extends`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset, Quantity, Scenario } from '../../src/model/types.js';
import { applyScenario, applyScenarios, scenarioChain } from '../../src/scenario/apply.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';

const A = 'test fixture value, not a real figure';
const q = (value: number): Quantity => ({ value, assumption: A });

function world(scenarios: Scenario[]): Dataset {
  const ds = dataset(
    [loc('KZAAU'), loc('AZALA'), loc('AZBAK'), loc('GETBS'), loc('RUMOW'), loc('AMEVN')],
    [
      {
        ...link('KZAAU', 'AZALA', 'sea', { km: 470, h: 24, id: 'aktau-alat' }),
        capacityPerYear: { value: 1000, unit: 'TEU', assumption: A },
      },
      link('AZALA', 'AZBAK', 'rail', { gauge: 1520, id: 'alat-baku' }),
      link('AZBAK', 'GETBS', 'rail', { gauge: 1520, id: 'baku-tbilisi', h: 20 }),
      link('AZBAK', 'AMEVN', 'rail', { gauge: 1520, id: 'baku-yerevan', status: 'planned', scenarios: ['open-am'] }),
      link('KZAAU', 'RUMOW', 'rail', { gauge: 1520, id: 'aktau-moscow', countries: ['KZ', 'RU'] }),
    ],
    [{ ...transfer('AZALA', 'handling', 10, 50), capacityPerDay: { value: 100, unit: 'TEU', assumption: A } }],
  );
  return { ...ds, scenarios: [{ name: 'open-am', title: 'Open AM', description: 't' }, ...scenarios] };
}
const sc = (name: string, o: Partial<Scenario> = {}): Scenario => ({ name, title: name, description: 'test', ...o });

describe('applying a scenario', () => {
  it('leaves the dataset as it is without a scenario', () => {
    const ds = world([]);
    expect(applyScenario(ds, undefined).dataset).toBe(ds);
  });

  it('switches on the links that list it, and only those', () => {
    const ds = world([]);
    const a = applyScenario(ds, 'open-am');
    expect(a.dataset.links.find((l) => l.id === 'baku-yerevan')!.status).toBe('operational');
    expect(a.changes).toEqual([expect.objectContaining({ kind: 'enable-link', target: 'baku-yerevan' })]);
    expect(ds.links.find((l) => l.id === 'baku-yerevan')!.status).toBe('planned');
  });

  it('edits capacity, time and cost of the selected links, recording the provenance of derived values', () => {
    const ds = world([
      sc('low', {
        links: [{ id: 'aktau-alat', capacityMultiplier: q(0.5), durationMultiplier: q(2), costMultiplier: q(1.5) }],
      }),
    ]);
    const l = applyScenario(ds, 'low').dataset.links.find((x) => x.id === 'aktau-alat')!;
    expect(l.capacityPerYear!.value).toBe(500);
    expect(l.capacityPerYear!.unit).toBe('TEU');
    expect(l.durationH!.value).toBe(48);
    expect(l.costUsdPerTeu!.value).toBeCloseTo(470 * 1 * 1.5, 9);
    expect(l.capacityPerYear!.assumption).toMatch(/scenario low: capacity 1000 × 0.5/);
  });

  it('closes links by selector and every link touching an avoided country', () => {
    const ds = world([
      sc('shut', { links: [{ corridor: 'test', mode: 'sea', enabled: false }], avoidCountries: ['RU'] }),
    ]);
    const ids = applyScenario(ds, 'shut').dataset.links.map((l) => l.id);
    expect(ids).not.toContain('aktau-alat');
    expect(ids).not.toContain('aktau-moscow');
    expect(ids).toContain('baku-tbilisi');
  });

  it('scales dwell and capacity of transfers selected by location and kind', () => {
    const ds = world([
      sc('congested', { transfers: [{ kind: 'handling', durationMultiplier: q(2), capacityMultiplier: q(0.5) }] }),
    ]);
    const t = applyScenario(ds, 'congested').dataset.transfers[0]!;
    expect(t.durationH).toMatchObject({ min: 20, typical: 20, max: 20 });
    expect(t.capacityPerDay!.value).toBe(50);
  });

  it('adds links that are on in the scenario whatever their status', () => {
    const ds = world([
      sc('new', {
        addLinks: [link('GETBS', 'AMEVN', 'rail', { gauge: 1520, id: 'tbilisi-yerevan', status: 'proposed' })],
      }),
    ]);
    const l = applyScenario(ds, 'new').dataset.links.find((x) => x.id === 'tbilisi-yerevan')!;
    expect(l.status).toBe('operational');
  });

  it(
    'composes through extends: parents first, later edits win, links of every scenario in the chain ' + 'switched on',
    () => {
      const ds = world([
        sc('half', { links: [{ id: 'aktau-alat', capacityPerYear: { value: 500, unit: 'TEU', assumption: A } }] }),
        sc('child', {
          extends: ['open-am', 'half'],
          links: [{ id: 'aktau-alat', capacityMultiplier: q(3) }],
          demand: { scale: q(2) },
        }),
      ]);
      const a = applyScenario(ds, 'child');
      expect(a.chain).toEqual(['open-am', 'half', 'child']);
      expect(a.dataset.links.find((l) => l.id === 'aktau-alat')!.capacityPerYear!.value).toBe(1500);
      expect(a.dataset.links.find((l) => l.id === 'baku-yerevan')!.status).toBe('operational');
      expect(a.demandScale).toBe(2);
    },
  );

  it('composes a list of scenarios like a scenario that extends them', () => {
    const ds = world([
      sc('half', { links: [{ id: 'aktau-alat', capacityMultiplier: q(0.5) }] }),
      sc('both', { extends: ['open-am', 'half'] }),
    ]);
    const viaList = applyScenarios(ds, ['open-am', 'half']).dataset;
    const viaFile = applyScenario(ds, 'both').dataset;
    expect(viaList.links).toEqual(viaFile.links);
    expect(viaList.scenarios).toEqual(ds.scenarios);
  });

  it('rejects unknown names and cycles', () => {
    const ds = world([sc('a', { extends: ['b'] }), sc('b', { extends: ['a'] }), sc('c', { extends: ['nope'] })]);
    expect(() => scenarioChain(ds.scenarios, 'zz')).toThrow(/unknown scenario "zz"; valid: .*open-am/);
    expect(() => scenarioChain(ds.scenarios, 'a')).toThrow(/scenario cycle: a → b → a/);
    expect(() => scenarioChain(ds.scenarios, 'c')).toThrow(/extends unknown scenario "nope"/);
  });

  it('multiplying capacity by x then by y equals multiplying by x·y (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (x, y) => {
          const ds = world([
            sc('x', { links: [{ id: 'aktau-alat', capacityMultiplier: q(x) }] }),
            sc('y', { extends: ['x'], links: [{ id: 'aktau-alat', capacityMultiplier: q(y) }] }),
            sc('xy', { links: [{ id: 'aktau-alat', capacityMultiplier: q(x * y) }] }),
          ]);
          const a = applyScenario(ds, 'y').dataset.links[0]!.capacityPerYear!.value;
          const b = applyScenario(ds, 'xy').dataset.links[0]!.capacityPerYear!.value;
          expect(a).toBeCloseTo(b, 6);
        },
      ),
      { numRuns: 50, seed: 6 },
    );
  });
});
