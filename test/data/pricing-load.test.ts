/** The pricing files in the loader: validated, counted, and every problem named with file and line. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_DATA, MINI, mutatedCopy } from '../helpers/tmp-dataset.js';

describe('pricing files', () => {
  it('loads the default dataset with its tariff sets, FX, container types and factors, all counted', () => {
    const r = loadDataset(DEFAULT_DATA);
    expect(r.errors).toEqual([]);
    expect(r.dataset.pricing?.tariffSets.map((s) => s.id)).toEqual([
      'tariffs-2021-22',
      'tariffs-2023-24',
      'tariffs-2025',
    ]);
    expect(r.dataset.pricing?.containerTypes.map((c) => c.code)).toEqual(
      expect.arrayContaining(['22G1', '42G1', '45G1', 'L5G1']),
    );
    expect(r.provenance.unsourced).toBe(0);
  });
  it('leaves a dataset without pricing files as it was', () => {
    const r = loadDataset(MINI);
    expect(r.errors).toEqual([]);
    expect(r.dataset.pricing).toBeUndefined();
  });
  it('reports an incomplete group of pricing files', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {});
    rmSync(join(dir, 'fx.yaml'));
    const r = loadDataset(dir);
    expect(r.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'fx.yaml', message: expect.stringMatching(/pricing files come as a group/) }),
      ]),
    );
    // …and the currencies the tariff sets use have no rate.
    expect(r.errors.some((e) => e.code === 'missing-fx')).toBe(true);
  });
  it('names the file, line and id of a charge on an unknown link, with a suggestion', () => {
    const dir = mutatedCopy(DEFAULT_DATA, { 'tariffs/tariffs-2023-24.yaml': [['- aktau-alat', '- aktau-alatt']] });
    const e = loadDataset(dir).errors;
    expect(e).toEqual([
      expect.objectContaining({
        file: 'tariffs/tariffs-2023-24.yaml',
        line: expect.any(Number),
        code: 'unknown-link',
        message: expect.stringMatching(/`aktau-alatt` is not a link of the dataset \(did you mean aktau-alat/),
      }),
    ]);
  });
  it('rejects overlapping tariff periods and a currency without an FX rate', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'tariffs/tariffs-2023-24.yaml': [
        ["validTo: '2025-02-28'", "validTo: '2025-06-30'"],
        [/currency: KZT/, 'currency: XAU'],
      ],
    });
    const codes = loadDataset(dir).errors.map((e) => `${e.file}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'tariffs/tariffs-2023-24.yaml:overlapping-tariffs',
        'tariffs/tariffs-2023-24.yaml:missing-fx',
      ]),
    );
  });
  it('rejects a bad ISO 6346 code, a charge without provenance and an unknown unit', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'container-types.yaml': [['code: 42G1', 'code: 40FT']],
      'tariffs/tariffs-2025.yaml': [[/per: container-km/, 'per: furlong']],
      'fx.yaml': [['CNY: { value: 7.7779, source: ecb-eurofxref-2024-04-02 }', 'CNY: 7.7779']],
    });
    const e = loadDataset(dir).errors;
    expect(e).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'container-types.yaml',
          message: expect.stringMatching(/ISO 6346 size-type code is 4 characters/),
        }),
        expect.objectContaining({
          file: 'tariffs/tariffs-2025.yaml',
          message: expect.stringMatching(/"furlong" is not valid; expected one of container, container-km/),
        }),
        expect.objectContaining({ file: 'fx.yaml', message: expect.stringMatching(/a bare number has no provenance/) }),
      ]),
    );
  });
  it('checks that an emission factor covers every link', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'emission-factors.yaml': [['on: { modes: [road] }', 'on: { modes: [road], countries: [NL] }']],
    });
    expect(loadDataset(dir).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'missing-emission-factor', file: 'emission-factors.yaml' }),
      ]),
    );
  });
});
