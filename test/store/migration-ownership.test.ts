/**
 * Migration 7 on a database written before ownership: stored scenarios stay readable by everyone
 * (public) and owned by their creator key, jobs by theirs, and publications keep their rows under
 * the per-operator key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { SqliteDriver } from '../../src/store/sqlite.js';

describe('migration 7 (organisations, ownership, one publication per operator)', () => {
  it('keeps earlier data: scenarios public and owned by their creator, jobs owned, publications kept', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corridor-mig-')), 'old.sqlite');
    const old = new SqliteDriver(file);
    await old.run(
      'CREATE TABLE corridor_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((x) => x.version < 7)) {
      for (const s of m.statements) await old.run(s);
      await old.run('INSERT INTO corridor_migrations VALUES (?, ?, ?)', [m.version, m.name, '2026-01-01']);
    }
    await old.run(
      'INSERT INTO scenarios VALUES (\'old-one\', \'{"name":"old-one","title":"T","description":"D"}\', 1, ' +
        "'2026-01-01', '2026-01-01', 'abc123def456', 'abc123def456')",
    );
    await old.run(
      'INSERT INTO jobs (id, kind, params, status, progress, attempts, created_at, updated_at, created_by) VALUES ' +
        "('j1', 'route-batch', '{}', 'queued', 0, 0, '2026-01-01', '2026-01-01', 'abc123def456')",
    );
    await old.run(
      "INSERT INTO publications VALUES ('link-capacity', 'aktau-alat', 'asco', '{}', 1, '2026-01-01', NULL)",
    );
    await old.close();

    const store = await SqlStore.open(new SqliteDriver(file));
    try {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await store.findScenario('old-one')).toMatchObject({ owner: 'abc123def456', visibility: 'public' });
      expect((await store.listScenarioPage(undefined, 10, { owner: null, all: false })).map((s) => s.name)).toEqual([
        'old-one',
      ]);
      expect((await store.findJob('j1'))?.owner).toBe('abc123def456');
      expect((await store.listPublications()).map((p) => [p.target, p.operator])).toEqual([['aktau-alat', 'asco']]);
    } finally {
      await store.close();
    }
  });
});
