/**
 * Loading a broken dataset never crashes: random damage to the mini fixture (any value replaced
 * by any JSON value, or a file replaced by random text) always yields an issue report, never an
 * exception.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, isMap, isSeq, type Node } from 'yaml';
import { loadDataset } from '../../src/data/load.js';
import { MINI } from '../helpers/tmp-dataset.js';

const FILES = readdirSync(MINI).filter((f) => f.endsWith('.yaml'));

/** All paths to nodes in a YAML document. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (isMap(node))
    for (const item of node.items)
      out.push(...paths(item.value, [...prefix, String((item.key as { value: unknown }).value)]));
  else if (isSeq(node)) for (const [i, item] of node.items.entries()) out.push(...paths(item, [...prefix, i]));
  return out;
}

describe('loader robustness (fast-check)', () => {
  it('never throws on a damaged value anywhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-fuzz-'));
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.nat(), fc.jsonValue(), (file, pick, value) => {
        cpSync(MINI, dir, { recursive: true });
        const doc = parseDocument(readFileSync(join(MINI, file), 'utf8'));
        const all = paths(doc.contents as Node).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        doc.setIn(path, value);
        writeFileSync(join(dir, file), doc.toString());
        const r = loadDataset(dir);
        expect(Array.isArray(r.errors)).toBe(true);
        for (const e of r.issues) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('never throws on random text in place of a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-fuzz-'));
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.string({ maxLength: 200 }), (file, text) => {
        cpSync(MINI, dir, { recursive: true });
        writeFileSync(join(dir, file), text);
        expect(() => loadDataset(dir)).not.toThrow();
      }),
      { numRuns: 150, seed: 43 },
    );
  });
});
