import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { openStore, describeDatabaseUrl } from '../../src/store/open.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { storeConformance } from './conformance.js';
import { trackingConformance } from './tracking-conformance.js';

let file = '';
storeConformance('SQLite (better-sqlite3, WAL)', {
  fresh: async () => {
    file = join(mkdtempSync(join(tmpdir(), 'corridor-store-')), 'c.sqlite');
    return openStore(`sqlite:${file}`);
  },
  sibling: () => openStore(`sqlite:${file}`),
  reopen: () => openStore(`sqlite:${file}`),
});
trackingConformance('SQLite', {
  fresh: async () => openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-tnt-')), 't.sqlite')}`),
  sibling: () => Promise.reject(new Error('unused')),
  reopen: () => Promise.reject(new Error('unused')),
});

describe('DATABASE_URL', () => {
  it('accepts sqlite: paths and postgres URLs, and names what is wrong otherwise', () => {
    expect(describeDatabaseUrl('sqlite:/tmp/x.sqlite')).toEqual({ dialect: 'sqlite', file: '/tmp/x.sqlite' });
    expect(describeDatabaseUrl('sqlite:///tmp/x.sqlite')).toEqual({ dialect: 'sqlite', file: '/tmp/x.sqlite' });
    expect(describeDatabaseUrl('postgres://u:p@h:5432/db')).toMatchObject({ dialect: 'postgres' });
    expect(() => describeDatabaseUrl('mysql://u:secret@h/db')).toThrow(
      /must start with sqlite: or postgres:\/\/.*\*\*\*@h/,
    );
    expect(() => describeDatabaseUrl('mysql://u:secret@h/db')).not.toThrow(/secret/);
    expect(() => describeDatabaseUrl('sqlite:')).toThrow(/needs a file/);
  });
});

describe('schema upgrades', () => {
  it('migrates a database made by the previous release (schema 1) to the latest, keeping its data', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'corridor-upgrade-')), 'v1.sqlite');
    // A schema-1 database as the first release left it: its tables, its migration row, a stored
    // scenario and a key.
    const body = { name: 'kept', title: 'Kept across the upgrade', description: 'written at schema 1' };
    const db = new Database(f);
    db.exec(
      `CREATE TABLE corridor_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    for (const st of MIGRATIONS[0]!.statements) db.exec(st);
    db.prepare(`INSERT INTO corridor_migrations (version, name, applied_at) VALUES (1, ?, '2026-11-01T00:00:00Z')`).run(
      MIGRATIONS[0]!.name,
    );
    db.prepare(
      `INSERT INTO scenarios (name, body, version, created_at, updated_at) VALUES ('kept', ?, 1, ` +
        `'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`,
    ).run(JSON.stringify(body));
    db.prepare(
      `INSERT INTO api_keys (id, hash, salt, role, created_at) VALUES ` +
        `('k1', 'h', 's', 'planner', '2026-11-01T00:00:00Z')`,
    ).run();
    db.close();
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThan(1);

    const store = await openStore(`sqlite:${f}`);
    try {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect((await store.listScenarios()).map((x) => [x.name, x.body])).toEqual([['kept', body]]);
      expect((await store.listKeys()).map((k) => k.id)).toEqual(['k1']);
      const p = await store.putPublication(
        {
          kind: 'link-capacity',
          target: 'aktau-alat',
          operator: 'kazmortransflot',
          body: { capacityPerYear: { value: 1, unit: 'TEU' }, source: 's' },
        },
        null,
        '2026-11-28T00:00:00Z',
      );
      expect(p.revision).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('unsynced writes (plan routings)', () => {
  it('commit without an fsync and leave the connection synchronous=FULL, after success and failure', async () => {
    const { SqliteDriver } = await import('../../src/store/sqlite.js');
    const path = join(mkdtempSync(join(tmpdir(), 'corridor-unsynced-')), 'u.sqlite');
    const db = new SqliteDriver(path);
    try {
      await db.run('CREATE TABLE t (k TEXT PRIMARY KEY)');
      const level = async () => Number((await db.all('PRAGMA synchronous'))[0]?.synchronous);
      expect(await level()).toBe(2); // FULL
      expect(await db.runUnsynced('INSERT INTO t (k) VALUES (?)', ['a'])).toBe(1);
      expect(await level()).toBe(2);
      await expect(db.runUnsynced('INSERT INTO t (k) VALUES (?)', ['a'])).rejects.toThrow(/UNIQUE/);
      expect(await level()).toBe(2);
      // Committed: another connection to the file reads it.
      const other = new Database(path, { readonly: true });
      expect(other.prepare('SELECT k FROM t').all()).toEqual([{ k: 'a' }]);
      other.close();
    } finally {
      await db.close();
    }
  });
});

describe('background checkpoints (the API server)', () => {
  it('a thread of its own copies the WAL into the database; commits on the connection never do', async () => {
    const { statSync } = await import('node:fs');
    const { SqliteDriver } = await import('../../src/store/sqlite.js');
    const path = join(mkdtempSync(join(tmpdir(), 'corridor-ckpt-')), 'c.sqlite');
    const db = new SqliteDriver(path, { backgroundCheckpointMs: 20 });
    try {
      await db.run('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
      await vi.waitFor(
        async () => expect(Number((await db.all('PRAGMA wal_autocheckpoint'))[0]?.wal_autocheckpoint)).toBe(0),
        {
          timeout: 20_000,
        },
      );
      const before = statSync(path).size;
      // Far more than SQLite's automatic threshold (1,000 pages), none of it checkpointed by a commit.
      for (let i = 0; i < 40; i++)
        await db.transaction(async (tx) => {
          for (let j = 0; j < 50; j++) await tx.run('INSERT INTO t (v) VALUES (?)', ['x'.repeat(2000)]);
        });
      // The thread's report of a checkpoint may arrive after the pages it copied.
      await vi.waitFor(
        () => {
          expect(statSync(path).size).toBeGreaterThan(before + 2_000_000);
          expect(db.checkpoints).toBeGreaterThan(0);
        },
        { timeout: 20_000 },
      );
      expect(Number((await db.all('SELECT count(*) AS n FROM t'))[0]?.n)).toBe(2000);
    } finally {
      await db.close();
    }
  });
});
