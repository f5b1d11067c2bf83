/**
 * Tariff sets that `extends:` an earlier one: unchanged rates are inherited, a charge of the same
 * id replaces the inherited one, `removes` drops one, and a missing parent or a cycle is an error
 * naming the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const CHILD = (body: string) => `id: tariffs-2099
title: test extension
validFrom: '2099-01-01'
${body}
`;

const withChild = (body: string) => {
  // The test set follows the open-ended 2025 set, which it closes first.
  const dir = mutatedCopy(DEFAULT_DATA, {
    'tariffs/tariffs-2025.yaml': [["validFrom: '2025-03-01'", "validFrom: '2025-03-01'\nvalidTo: '2098-12-31'"]],
  });
  writeFileSync(join(dir, 'tariffs', 'tariffs-2099.yaml'), CHILD(body));
  return loadDataset(dir);
};

describe('tariff sets that extend an earlier set', () => {
  const base = loadDataset(DEFAULT_DATA).dataset.pricing?.tariffSets.find((s) => s.id === 'tariffs-2025');

  it('inherits every charge, replaces one of the same id and drops what it removes', () => {
    if (!base) throw new Error('default data lacks tariffs-2025');
    const r = withChild(`extends: tariffs-2025
removes: [ktz-flat-car-fee]
legCharges:
- id: cr-express-line-haul
  description: China Railway Express line haul, 2099
  category: line-haul
  per: container-km
  currency: CNY
  amount: {value: 0.5, assumption: a test figure that only this test uses}
  'on': {modes: [rail], countries: [CN]}`);
    expect(r.errors).toEqual([]);
    const child = r.dataset.pricing?.tariffSets.find((s) => s.id === 'tariffs-2099');
    if (!child) throw new Error('child set did not load');
    const ids = (s: typeof base) => s.legCharges.map((c) => c.id);
    expect(ids(child)).toEqual(ids(base).filter((id) => id !== 'ktz-flat-car-fee'));
    expect(child.legCharges.find((c) => c.id === 'cr-express-line-haul')?.amount.value).toBe(0.5);
    expect(child.stopCharges.map((c) => c.id)).toEqual(base.stopCharges.map((c) => c.id));
    expect(child.throughRates.map((c) => c.id)).toEqual(base.throughRates.map((c) => c.id));
    expect(child.sizeFactors).toEqual(base.sizeFactors);
  });

  it('a parent that does not exist is an error naming the file and the sets defined', () => {
    const r = withChild('extends: tariffs-1999');
    const e = r.errors.find((x) => x.code === 'unknown-tariff-set');
    expect(e?.file).toBe('tariffs/tariffs-2099.yaml');
    expect(e?.message).toContain('tariffs-2025');
  });

  it('without extends a set must give its size factors', () => {
    const r = withChild('legCharges: []');
    const e = r.errors.find((x) => x.file === 'tariffs/tariffs-2099.yaml');
    expect(e?.message).toContain('sizeFactors');
  });
});
