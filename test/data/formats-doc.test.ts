import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFormatDocs } from '../../src/data/formats-doc.js';

describe('docs/formats', () => {
  it('matches the schemas (regenerate with `npm run docs:formats`)', () => {
    for (const [name, content] of Object.entries(generateFormatDocs())) {
      const committed = readFileSync(new URL(`../../docs/formats/${name}`, import.meta.url), 'utf8');
      expect(committed, `docs/formats/${name} is stale`).toBe(content);
    }
  });
});
