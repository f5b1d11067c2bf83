/**
 * services.yaml and scenario changes through the loader: every problem reported with the file,
 * line, id and what would be valid; figures counted by the provenance walker.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { MINI, mutatedCopy } from '../helpers/tmp-dataset.js';

const SERVICES = `services:
  - id: kuryk-alat-ropax
    name: Kuryk – Alat RoPax
    operator: ASCO
    from: KZ-KURYK
    links: [kuryk-alat-ferry, alat-baku-rail]
    validFrom: "2025-01-01"
    validTo: "2025-12-31"
    headwayH: { min: 48, typical: 72, max: 168, assumption: "fixture: ferries leave when full every few days" }
  - id: alat-baku-shuttle
    name: Alat – Baku shuttle
    operator: ADY
    from: AZALA
    links: [alat-baku-rail]
    validFrom: "2025-01-01"
    validTo: "2025-12-31"
    timetable:
      weekdays: [mon, thu]
      departureTimes: ["08:00"]
      assumption: "fixture: a twice-weekly shuttle for the tests"
    cutoffH: { value: 6, assumption: "fixture: cargo at the terminal six hours ahead" }
`;

/** MINI with a services.yaml (and optional edits to it and to other files). */
function withServices(services: string, edits: Record<string, [string | RegExp, string][]> = {}): string {
  const dir = mutatedCopy(MINI, edits);
  writeFileSync(join(dir, 'services.yaml'), services);
  return dir;
}

describe('services.yaml', () => {
  it('loads a valid file, and counts its figures', () => {
    const base = loadDataset(MINI);
    const fixed = SERVICES.replace('links: [kuryk-alat-ferry, alat-baku-rail]', 'links: [kuryk-alat-ferry]');
    const r = loadDataset(withServices(fixed));
    expect(r.errors).toEqual([]);
    expect(r.dataset.services).toHaveLength(2);
    expect(r.provenance.facts - base.provenance.facts).toBe(4);
    expect(r.provenance.unsourced).toBe(0);
  });

  it('stays optional: without the file every link is continuous', () => {
    expect(loadDataset(MINI).dataset.services).toEqual([]);
  });

  it('reports a change of transport class inside a service with the place to split it', () => {
    const r = loadDataset(withServices(SERVICES));
    expect(r.errors).toEqual([
      expect.objectContaining({ file: 'services.yaml', line: 6, id: 'kuryk-alat-ropax', code: 'class-change' }),
    ]);
    expect(r.errors[0]!.message).toMatch(/rail 1520 mm but the service so far runs on ferry; .* split it at AZALA/);
  });

  it('reports unknown links and locations with suggestions', () => {
    const r = loadDataset(
      withServices(
        SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[kuryk-alat-feri]').replace(
          'from: AZALA',
          'from: AZALX',
        ),
      ),
    );
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([
      ['unknown-link', 6],
      ['unknown-location', 13],
    ]);
    expect(r.errors[0]!.message).toMatch(
      /link `kuryk-alat-feri` is not a link of the dataset \(did you mean kuryk-alat-ferry\?\)/,
    );
  });

  it('reports links that do not follow on from each other', () => {
    const r = loadDataset(withServices(SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[aktau-alat-ferry]')));
    expect(r.errors).toEqual([expect.objectContaining({ code: 'links-not-consecutive', id: 'kuryk-alat-ropax' })]);
    expect(r.errors[0]!.message).toMatch(/does not continue from KZ-KURYK: it runs KZAAU – AZALA/);
  });

  it('reports bad calendars and validity periods', () => {
    const bad = SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[kuryk-alat-ferry]')
      .replace(
        'weekdays: [mon, thu]',
        'weekdays: [mon, thu]\n      everyDays: { value: 3, assumption: "fixture: both patterns at once" }',
      )
      .replace('departureTimes: ["08:00"]', 'departureTimes: ["25:00"]')
      .replace('validTo: "2025-12-31"\n    headwayH', 'validTo: "2024-12-31"\n    headwayH');
    const r = loadDataset(withServices(bad));
    const messages = r.errors.map((e) => `${e.id}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/kuryk-alat-ropax: validTo 2024-12-31 is before validFrom 2025-01-01/),
        expect.stringMatching(/alat-baku-shuttle: .*HH:MM, 00:00–23:59/),
        expect.stringMatching(/alat-baku-shuttle: give exactly one of `weekdays`/),
      ]),
    );
  });

  it('reports a calendar without any departure and an impossible date', () => {
    const empty = SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[kuryk-alat-ferry]')
      .replace('weekdays: [mon, thu]', 'weekdays: [mon]\n      except: ["2025-01-06"]')
      .replace(
        /validFrom: "2025-01-01"\n {4}validTo: "2025-12-31"\n {4}timetable/,
        'validFrom: "2025-01-06"\n    validTo: "2025-01-07"\n    timetable',
      );
    const r = loadDataset(withServices(empty));
    expect(r.errors).toEqual([expect.objectContaining({ code: 'empty-calendar', id: 'alat-baku-shuttle' })]);
    const r2 = loadDataset(withServices(SERVICES.replace('validFrom: "2025-01-01"', 'validFrom: "2025-02-30"')));
    expect(r2.errors.some((e) => e.path === 'services[0].validFrom' && /not a real date/.test(e.message))).toBe(true);
  });

  it('reports a figure without provenance', () => {
    const r = loadDataset(
      withServices(
        SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[kuryk-alat-ferry]').replace(
          'cutoffH: { value: 6, assumption: "fixture: cargo at the terminal six hours ahead" }',
          'cutoffH: 6',
        ),
      ),
    );
    expect(r.errors).toEqual([expect.objectContaining({ code: 'schema', path: 'services[1].cutoffH' })]);
    expect(r.provenance.unsourced).toBe(1);
  });
});

describe('scenario changes', () => {
  const services = SERVICES.replace('[kuryk-alat-ferry, alat-baku-rail]', '[kuryk-alat-ferry]');
  const scenario = (changes: string) => ({
    'scenarios/none.yaml': [
      [
        'description: A scenario that switches nothing on, for tests.',
        `description: A scenario for tests.\nchanges:\n${changes}`,
      ],
    ] as [string, string][],
  });

  it('loads a valid change', () => {
    const r = loadDataset(
      withServices(
        services,
        scenario(
          '  - services: {ids: [kuryk-alat-ropax]}\n    multiply: {headwayH: {value: 3, assumption: "fixture: ' +
            'three times rarer departures"}}',
        ),
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.dataset.scenarios[0]!.changes).toHaveLength(1);
  });

  it('reports an unknown service id', () => {
    const r = loadDataset(
      withServices(
        services,
        scenario(
          '  - services: {ids: [kuryk-alat-ropx]}\n    multiply: {headwayH: {value: 3, assumption: "fixture: ' +
            'three times rarer departures"}}',
        ),
      ),
    );
    expect(r.errors).toEqual([
      expect.objectContaining({ file: 'scenarios/none.yaml', code: 'unknown-service', id: 'none' }),
    ]);
    expect(r.errors[0]!.message).toMatch(
      /service `kuryk-alat-ropx` is not a service of the dataset \(did you mean kuryk-alat-ropax\?\)/,
    );
  });

  it('reports a headway change on a weekly timetable and an edit that does not apply', () => {
    const r = loadDataset(
      withServices(
        services,
        scenario(
          '  - services: {ids: [alat-baku-shuttle]}\n    multiply: {headwayH: {value: 2, assumption: "fixture: ' +
            'half the departures"}}',
        ),
      ),
    );
    expect(r.errors).toEqual([expect.objectContaining({ code: 'headway-on-weekly', id: 'none' })]);
    const r2 = loadDataset(
      withServices(
        services,
        scenario(
          '  - transfers: {kinds: [border]}\n    set: {headwayH: {min: 1, typical: 2, max: 3, assumption: ' +
            '"fixture: a headway on a transfer"}}',
        ),
      ),
    );
    expect(r2.errors).toEqual([expect.objectContaining({ code: 'schema', file: 'scenarios/none.yaml' })]);
    expect(r2.errors[0]!.message).toMatch(/transfers have only `durationH`/);
  });
});
