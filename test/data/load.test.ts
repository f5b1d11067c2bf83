import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { MINI, mutatedCopy } from '../helpers/tmp-dataset.js';

describe('loading a dataset', () => {
  it('loads the mini fixture cleanly and counts provenance', () => {
    const r = loadDataset(MINI);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.dataset.locations.map((l) => l.id)).toEqual(['KZAAU', 'KZ-KURYK', 'AZALA', 'AZBAK']);
    expect(r.provenance).toEqual({ facts: 24, sourced: 10, assumptions: 14, calibrated: 0, unsourced: 0 });
  });

  it('names the file, line and id of a link pointing at a missing location', () => {
    const dir = mutatedCopy(MINI, { 'links.yaml': [['to: AZBAK', 'to: AZXXX']] });
    const r = loadDataset(dir);
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: 'links.yaml',
        line: 24,
        id: 'alat-baku-rail',
        code: 'unknown-location',
        path: 'links[2].to',
      }),
    ]);
    expect(r.errors[0]!.message).toContain('AZXXX');
  });

  it('reports every problem at once, never stopping at the first', () => {
    const dir = mutatedCopy(MINI, {
      'links.yaml': [
        ['mode: ferry\n    distanceKm: { value: 470', 'mode: hovercraft\n    distanceKm: { value: 470'],
        ['source: seanews-2022-zarifa', 'source: no-such-source'],
        ['speedKmh: { value: 35,', 'speedKmh: { value: 900,'],
      ],
      'locations.yaml': [['kinds: [city]', 'kinds: [town]']],
      'transfers.yaml': [['typical: 20.1, max: 30', 'typical: 40, max: 30']],
    });
    const codes = loadDataset(dir).errors.map((e) => `${e.file}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'links.yaml:schema',
        'links.yaml:unknown-source',
        'links.yaml:implausible-speed',
        'locations.yaml:schema',
        'transfers.yaml:schema',
      ]),
    );
  });

  it('says what is valid for an enum', () => {
    const dir = mutatedCopy(MINI, { 'links.yaml': [['mode: ferry', 'mode: hovercraft']] });
    const e = loadDataset(dir).errors.find((x) => x.code === 'schema')!;
    expect(e).toMatchObject({ file: 'links.yaml', line: 5, path: 'links[0].mode', id: 'kuryk-alat-ferry' });
    expect(e.message).toMatch(/"hovercraft".*rail, road, sea, ferry/);
  });

  it('counts a bare number as unsourced and rejects it', () => {
    const dir = mutatedCopy(MINI, {
      'links.yaml': [
        [
          'distanceKm: { value: 70, assumption: "Alat lies about 70 km south of Baku by the coastal line" }',
          'distanceKm: 70',
        ],
      ],
    });
    const r = loadDataset(dir);
    expect(r.provenance.unsourced).toBe(1);
    expect(r.errors).toEqual([
      expect.objectContaining({
        path: 'links[2].distanceKm',
        line: 28,
        message: expect.stringContaining('{value: 70, source:'),
      }),
    ]);
  });

  it('rejects a number with an empty excuse for an assumption', () => {
    const dir = mutatedCopy(MINI, {
      'transfers.yaml': [['assumption: "placeholder handling charge for the fixture"', 'assumption: "guess"']],
    });
    expect(loadDataset(dir).errors).toEqual([
      expect.objectContaining({ code: 'schema', message: expect.stringContaining('reasoning') }),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = mutatedCopy(MINI, { 'transfers.yaml': [['kind: handling', 'kind: [handling']] });
    expect(loadDataset(dir).errors).toEqual([
      expect.objectContaining({ file: 'transfers.yaml', code: 'yaml-syntax', line: expect.any(Number) }),
    ]);
  });

  it('reports a missing file and a missing directory without throwing', () => {
    const dir = mutatedCopy(MINI, {});
    rmSync(join(dir, 'links.yaml'));
    expect(loadDataset(dir).errors).toEqual([expect.objectContaining({ file: 'links.yaml', code: 'file-unreadable' })]);
    expect(loadDataset('/nonexistent/corridor').errors[0]).toMatchObject({ code: 'dataset-missing' });
  });

  it('catches a distance shorter than the great circle between the endpoints', () => {
    const dir = mutatedCopy(MINI, { 'links.yaml': [['value: 480,', 'value: 120,']] });
    expect(loadDataset(dir).errors).toEqual([
      expect.objectContaining({ code: 'shorter-than-great-circle', id: 'kuryk-alat-ferry' }),
    ]);
  });

  it('warns about places where modes meet without handling', () => {
    const dir = mutatedCopy(MINI, { 'transfers.yaml': [['location: AZALA', 'location: AZBAK']] });
    const codes = loadDataset(dir).warnings.map((w) => `${w.id}:${w.code}`);
    expect(codes).toEqual(expect.arrayContaining(['AZALA:no-handling', 'AZBAK:useless-handling']));
  });
});

describe('record lists in several files', () => {
  it('joins links/*.yaml with links.yaml and names the file of each problem', () => {
    const dir = mutatedCopy(MINI, {});
    const text = readFileSync(join(dir, 'links.yaml'), 'utf8');
    const start = text.indexOf('  - id: alat-baku-rail');
    expect(start).toBeGreaterThan(0);
    const rest = text.slice(start).indexOf('\n  - id:', 1);
    const block = rest < 0 ? text.slice(start) : text.slice(start, start + rest + 1);
    writeFileSync(join(dir, 'links.yaml'), text.replace(block, ''));
    mkdirSync(join(dir, 'links'));
    writeFileSync(join(dir, 'links', 'b-region.yaml'), `links:\n${block}`);
    writeFileSync(join(dir, 'links', 'a-empty.yaml'), 'links: []\n');
    const joined = loadDataset(dir);
    expect(joined.errors).toEqual([]);
    expect(joined.dataset.links.map((l) => l.id)).toEqual(
      loadDataset(MINI)
        .dataset.links.map((l) => l.id)
        .filter((id) => id !== 'alat-baku-rail')
        .concat('alat-baku-rail'),
    );
    writeFileSync(join(dir, 'links', 'b-region.yaml'), `links:\n${block.replace('to: AZBAK', 'to: AZXXX')}`);
    expect(loadDataset(dir).errors).toEqual([
      expect.objectContaining({ file: 'links/b-region.yaml', code: 'unknown-location', line: 4 }),
    ]);
  });

  it('reports a required list with neither a file nor a directory', () => {
    const dir = mutatedCopy(MINI, {});
    rmSync(join(dir, 'locations.yaml'));
    expect(loadDataset(dir).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'locations.yaml', code: 'file-unreadable' })]),
    );
  });
});
