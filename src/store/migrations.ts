/**
 * The schema, as an append-only list of migrations. The same statements run on SQLite and
 * PostgreSQL, so they keep to the common subset: TEXT, INTEGER, DOUBLE PRECISION, no serials
 * (ids come from the application), timestamps as ISO-8601 UTC text (they sort as text), JSON as
 * text. Never edit a migration that has shipped: add the next one.
 */
import type { SqlDriver } from './sql.js';
import { nth } from '../model/invariant.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, scenarios, jobs',
    statements: [
      `CREATE TABLE api_keys (
         id TEXT PRIMARY KEY,
         hash TEXT NOT NULL,
         salt TEXT NOT NULL,
         role TEXT NOT NULL,
         operator TEXT,
         label TEXT,
         created_at TEXT NOT NULL,
         revoked_at TEXT
       )`,
      `CREATE TABLE scenarios (
         name TEXT PRIMARY KEY,
         body TEXT NOT NULL,
         version INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         created_by TEXT,
         updated_by TEXT
       )`,
      `CREATE TABLE scenario_revisions (
         name TEXT NOT NULL,
         version INTEGER NOT NULL,
         body TEXT,
         deleted INTEGER NOT NULL,
         at TEXT NOT NULL,
         by_key TEXT,
         PRIMARY KEY (name, version)
       )`,
      `CREATE TABLE jobs (
         id TEXT PRIMARY KEY,
         kind TEXT NOT NULL,
         params TEXT NOT NULL,
         status TEXT NOT NULL,
         progress DOUBLE PRECISION NOT NULL,
         progress_message TEXT,
         result TEXT,
         error TEXT,
         attempts INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         started_at TEXT,
         finished_at TEXT,
         lease_owner TEXT,
         lease_until TEXT,
         created_by TEXT
       )`,
      `CREATE INDEX jobs_status_created ON jobs (status, created_at)`,
      `CREATE INDEX jobs_created ON jobs (created_at)`,
    ],
  },
  {
    version: 2,
    name: 'operator publications',
    statements: [
      // The current publication per record; a withdrawn service or tariff component is a row too.
      `CREATE TABLE publications (
         kind TEXT NOT NULL,
         target TEXT NOT NULL,
         operator TEXT NOT NULL,
         body TEXT NOT NULL,
         revision INTEGER NOT NULL,
         published_at TEXT NOT NULL,
         published_by TEXT,
         PRIMARY KEY (kind, target)
       )`,
      // Every change, numbered across all records: the highest revision is what instances poll.
      `CREATE TABLE publication_revisions (
         revision INTEGER PRIMARY KEY,
         kind TEXT NOT NULL,
         target TEXT NOT NULL,
         operator TEXT NOT NULL,
         action TEXT NOT NULL,
         body TEXT,
         previous TEXT,
         at TEXT NOT NULL,
         by_key TEXT
       )`,
      `CREATE INDEX publication_revisions_operator ON publication_revisions (operator, revision)`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = nth(MIGRATIONS, MIGRATIONS.length - 1).version;

/** Applies the missing migrations in one transaction; refuses a database newer than this code. */
export async function migrate(db: SqlDriver, now: string): Promise<number> {
  await db.run(
    `CREATE TABLE IF NOT EXISTS corridor_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, ` +
      `applied_at TEXT NOT NULL)`,
  );
  return db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.all(`SELECT pg_advisory_xact_lock(7200701)`);
    const rows = await tx.all(`SELECT version FROM corridor_migrations ORDER BY version`);
    const applied = new Set(rows.map((r) => Number(r.version)));
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_SCHEMA_VERSION) {
      throw new Error(
        `the database schema is version ${newest}, newer than this Corridor understands ` +
          `(${LATEST_SCHEMA_VERSION}); upgrade Corridor`,
      );
    }
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const s of m.statements) await tx.run(s);
      await tx.run(`INSERT INTO corridor_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [
        m.version,
        m.name,
        now,
      ]);
    }
    return LATEST_SCHEMA_VERSION;
  });
}
