/**
 * Dataset caps (issue #14, API4: "a 50 MB data file takes 36 s and 2.8 GB to validate"): an
 * oversized file or an over-long list is refused with an error naming the file, the limit and
 * the setting that raises it, without being parsed.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { dataLimits } from '../../src/data/limits.js';
import { MINI } from '../helpers/tmp-dataset.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['CORRIDOR_DATA_MAX_FILE_MB', 'CORRIDOR_DATA_MAX_RECORDS']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const copy = () => {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-caps-'));
  cpSync(MINI, dir, { recursive: true });
  return dir;
};

describe('dataset caps', () => {
  it('refuses a data file over the size cap before parsing it, naming file, limit and setting', () => {
    const dir = copy();
    // 9 MB of YAML comments: valid YAML, so only the cap can refuse it.
    const line = `# ${'x'.repeat(1022)}\n`;
    appendFileSync(join(dir, 'links.yaml'), line.repeat(9 * 1024));
    const r = loadDataset(dir);
    const e = r.errors.find((x) => x.code === 'file-too-large');
    expect(e?.file).toBe('links.yaml');
    expect(e?.message).toContain('over the 8.0 MB');
    expect(e?.message).toContain('CORRIDOR_DATA_MAX_FILE_MB');
    // Raised, the same file loads (the comments are ignored).
    process.env.CORRIDOR_DATA_MAX_FILE_MB = '16';
    expect(loadDataset(dir).errors.filter((x) => x.code === 'file-too-large')).toEqual([]);
  });

  it('refuses a list over the record cap, naming file, count, limit and setting', () => {
    const dir = copy();
    const sources = Array.from({ length: 30 }, (_, i) => `  - { id: s${i}, title: T${i}, publisher: P }\n`).join('');
    mkdirSync(join(dir, 'sources'));
    writeFileSync(join(dir, 'sources', 'extra.yaml'), `sources:\n${sources}`);
    process.env.CORRIDOR_DATA_MAX_RECORDS = '25';
    const r = loadDataset(dir);
    const e = r.errors.find((x) => x.code === 'too-many-records');
    expect(e?.file).toBe('sources/extra.yaml');
    expect(e?.message).toMatch(/holds \d+ \w+ records, over the 25 one file may hold/);
    expect(e?.message).toContain('CORRIDOR_DATA_MAX_RECORDS');
    delete process.env.CORRIDOR_DATA_MAX_RECORDS;
    expect(loadDataset(MINI).errors.filter((x) => x.code === 'too-many-records')).toEqual([]);
  });

  it('names a bad setting', () => {
    expect(() => dataLimits({ CORRIDOR_DATA_MAX_RECORDS: 'lots' })).toThrow(/CORRIDOR_DATA_MAX_RECORDS="lots"/);
    expect(dataLimits({})).toEqual({ maxFileBytes: 8 * 1024 * 1024, maxRecordsPerFile: 20_000 });
  });
});
