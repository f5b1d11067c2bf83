/** The SQLite database (API key hashes, bookings, scenarios) and its -wal/-shm files are owner-only. */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';

describe('SQLite file modes', () => {
  it('creates the database 0600 (and -wal, -shm) in a directory it creates 0700', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'corridor-mode-')), 'var');
    const file = join(dir, 'corridor.sqlite');
    const store = await openStore(`sqlite:${file}`);
    try {
      await store.insertKey({
        id: 'k1',
        hash: 'h',
        salt: 's',
        role: 'viewer',
        operator: null,
        organisation: null,
        label: 'mode test',
        createdAt: new Date().toISOString(),
        revokedAt: null,
      });
      for (const f of [file, `${file}-wal`, `${file}-shm`])
        expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
      expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await store.close();
    }
  });
});
