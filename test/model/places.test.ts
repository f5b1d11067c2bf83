import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { PlaceIndex, resolvePlace } from '../../src/model/places.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const { dataset } = loadDataset(DEFAULT_DATA);
const index = new PlaceIndex(dataset.locations);

function outcome(f: () => { id: string }): string {
  try {
    return f().id;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('place resolution', () => {
  const names = dataset.locations.flatMap((l) => [
    l.id,
    l.name,
    ...l.aliases,
    l.name.toLowerCase(),
    l.name.toUpperCase(),
  ]);

  it('the index agrees with the reference resolver on every id, name and alias', () => {
    for (const n of names)
      expect(outcome(() => index.resolve(n))).toBe(outcome(() => resolvePlace(dataset.locations, n)));
  });

  it('the index agrees with the reference resolver on arbitrary text (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom(...names).map((n) => `${n.slice(0, -1)}x`),
        ),
        (q) => {
          expect(outcome(() => index.resolve(q))).toBe(outcome(() => resolvePlace(dataset.locations, q)));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('resolves spellings users type', () => {
    const id = (q: string) => index.resolve(q).id;
    expect([id("Xi'an"), id('Xian'), id('CNXIA'), id('xi an')]).toEqual(['CNXIA', 'CNXIA', 'CNXIA', 'CNXIA']);
    expect([id('Constanța'), id('Constanta'), id('ROCND')]).toEqual(['ROCND', 'ROCND', 'ROCND']);
    expect([id('Aqtau'), id('Aktau'), id('KZAAU')]).toEqual(['KZAAU', 'KZAAU', 'KZAAU']);
    expect(id('Shanghai')).toBe('CNSGH');
  });

  it('names the closest matches for a typo', () => {
    expect(() => index.resolve('Duisbrug')).toThrow(/closest matches: .*Duisburg \(DEDUI\)/);
  });
});
