import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, describeDatabaseUrl } from '../src/store/open.js';
import { storeConformance } from './store/conformance.js';

let file = '';
storeConformance('SQLite (better-sqlite3, WAL)', {
  fresh: async () => {
    file = join(mkdtempSync(join(tmpdir(), 'corridor-store-')), 'c.sqlite');
    return openStore(`sqlite:${file}`);
  },
  sibling: () => openStore(`sqlite:${file}`),
  reopen: () => openStore(`sqlite:${file}`),
});

describe('DATABASE_URL', () => {
  it('accepts sqlite: paths and postgres URLs, and names what is wrong otherwise', () => {
    expect(describeDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({ dialect: 'sqlite', file: '/tmp/x.sqlite' });
    expect(describeDatabaseUrl('sqlite:///tmp/x.sqlite')).toEqual({ dialect: 'sqlite', file: '/tmp/x.sqlite' });
    expect(describeDatabaseUrl('postgres://u:p@h:5432/db')).toMatchObject({ dialect: 'postgres' });
    expect(() => describeDatabaseUrl('mysql://u:secret@h/db')).toThrow(/must start with sqlite: or postgres:\/\/.*\*\*\*@h/);
    expect(() => describeDatabaseUrl('mysql://u:secret@h/db')).not.toThrow(/secret/);
    expect(() => describeDatabaseUrl('sqlite:')).toThrow(/needs a file/);
  });
});
