/**
 * jsonBytes writes an answer's JSON piece by piece (src/service/json-bytes.ts): its bytes must be
 * exactly those of Buffer.from(JSON.stringify(value)), whatever the value, and in memory of their
 * own so a worker thread can transfer them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../src/service/json-bytes.js';
import { CorridorService } from '../../src/service/service.js';
import { World } from '../../src/service/world.js';
import { loadOnce } from '../helpers/api.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const same = (v: unknown) => expect(jsonBytes(v).equals(Buffer.from(JSON.stringify(v)))).toBe(true);

/** Values JSON.stringify treats specially: left out of objects, null in arrays, toJSON, non-ASCII. */
const awkward = fc.oneof(
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.constant(Number.NaN),
  fc.constant(-0),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.date({ noInvalidDate: true }),
  fc.constant(Object.create(null) as object),
  fc.constant({ toJSON: (key: string) => `key ${key}` }),
  // toJSON runs once: the object it returns is written member by member, its own toJSON left out.
  fc.constant({ toJSON: (key: string) => ({ toJSON: () => 'never', key, deep: [{ toJSON: () => 7 }] }) }),
  fc.constant(
    new (class Point {
      x = 1;
      y = [2, undefined];
    })(),
  ),
  fc.constant(new Map([[1, 2]])),
  fc.constant(Object(3) as object),
  fc.constant(Object('wrapped') as object),
  fc.constant(Object(false) as object),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('Xi’an → Duisburg', '≈ USD 5,350 × 2', 'Łódź', '🚂 emoji', '\ud800 lone surrogate', 'İzmit'),
);

const values = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), awkward, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 6 }),
})).value;

describe('jsonBytes', () => {
  it('gives the bytes of Buffer.from(JSON.stringify(v)) for any value with a JSON form', () => {
    fc.assert(
      fc.property(
        values.filter((v) => JSON.stringify(v) !== undefined),
        (v) => {
          same(v);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('is exact on the default data’s plan and route answers, large and small', async () => {
    const s = new CorridorService({ world: new World(loadOnce(DEFAULT_DATA).dataset), today: () => '2026-12-07' });
    const plan = s.plan(await s.preparePlan({ from: 'CNXIA', to: 'DEDUI', ready: '2026-03-02T08:00', samples: '500' }));
    expect(JSON.stringify(plan).length).toBeGreaterThan(50_000);
    same(plan);
    same(s.route(await s.prepareRoute({ from: 'KZAAU', to: 'AZBAK' })));
    same(s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', containers: '2x40HC', avoid: 'RU' })));
    // One large answer after another reuses the scratch memory: the second is not the first's tail.
    same({ small: true });
  });

  it('owns its memory (a transfer would otherwise take a shared pool away) and refuses what has no JSON', () => {
    const b = jsonBytes({ a: 'x' });
    expect(b.byteOffset).toBe(0);
    expect(b.buffer.byteLength).toBe(b.length);
    const big = jsonBytes({ a: 'y'.repeat(200_000), b: [1, 2] });
    expect(big.buffer.byteLength).toBe(big.length);
    expect(b.toString()).toBe('{"a":"x"}');
    expect(() => jsonBytes(undefined)).toThrow(/no JSON form/);
    expect(() => jsonBytes({ n: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { back: cyclic };
    expect(() => jsonBytes(cyclic)).toThrow(TypeError);
  });
});
