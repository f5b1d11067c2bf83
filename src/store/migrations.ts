/**
 * The schema, as an append-only list of migrations. The same statements run on SQLite and
 * PostgreSQL, so they keep to the common subset: TEXT, INTEGER, DOUBLE PRECISION, no serials
 * (ids come from the application), timestamps as ISO-8601 UTC text (they sort as text), JSON as
 * text. Never edit a migration that has shipped: add the next one.
 */
import type { SqlDriver } from './sql.js';
import { nth } from '../model/invariant.js';
import { EVENT_SUBSCRIPTION_STATEMENTS } from './event-subscriptions.js';
import { TRACKING_STATEMENTS } from './tracking.js';

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
  {
    version: 3,
    name: 'bookings, inventory, outbox',
    statements: [
      // One row per dated departure that was ever held. The CHECK is the last line of defence:
      // holds are conditional updates (held + booked + n <= capacity), so it never fires.
      `CREATE TABLE departures (
         id TEXT PRIMARY KEY,
         service TEXT NOT NULL,
         operator TEXT NOT NULL,
         departs_at TEXT NOT NULL,
         capacity_teu DOUBLE PRECISION NOT NULL,
         held_teu DOUBLE PRECISION NOT NULL,
         booked_teu DOUBLE PRECISION NOT NULL,
         updated_at TEXT NOT NULL,
         CHECK (held_teu >= 0 AND booked_teu >= 0 AND held_teu + booked_teu <= capacity_teu)
       )`,
      `CREATE INDEX departures_service ON departures (service, departs_at)`,
      `CREATE TABLE bookings (
         reference TEXT PRIMARY KEY,
         carrier_reference TEXT UNIQUE,
         owner TEXT NOT NULL,
         status TEXT NOT NULL,
         amended_status TEXT,
         cancellation_status TEXT,
         routing_reference TEXT,
         request TEXT NOT NULL,
         amended_request TEXT,
         generation INTEGER NOT NULL,
         pending_generation INTEGER,
         hold_expires_at TEXT,
         version INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL
       )`,
      `CREATE INDEX bookings_owner ON bookings (owner, reference)`,
      `CREATE INDEX bookings_hold ON bookings (hold_expires_at)`,
      `CREATE TABLE booking_legs (
         reference TEXT NOT NULL,
         generation INTEGER NOT NULL,
         seq INTEGER NOT NULL,
         operator TEXT NOT NULL,
         operators TEXT NOT NULL,
         departure TEXT,
         service TEXT,
         link_ids TEXT NOT NULL,
         from_loc TEXT NOT NULL,
         to_loc TEXT NOT NULL,
         departure_time TEXT NOT NULL,
         arrival_time TEXT NOT NULL,
         teu DOUBLE PRECISION NOT NULL,
         status TEXT NOT NULL,
         note TEXT,
         PRIMARY KEY (reference, generation, seq)
       )`,
      `CREATE INDEX booking_legs_departure ON booking_legs (departure)`,
      `CREATE TABLE booking_history (
         reference TEXT NOT NULL,
         seq INTEGER NOT NULL,
         at TEXT NOT NULL,
         by_key TEXT NOT NULL,
         from_status TEXT,
         to_status TEXT NOT NULL,
         event TEXT NOT NULL,
         reason TEXT,
         PRIMARY KEY (reference, seq)
       )`,
      `CREATE TABLE routings (
         reference TEXT PRIMARY KEY,
         body TEXT NOT NULL,
         created_at TEXT NOT NULL
       )`,
      `CREATE TABLE idempotency_keys (
         scope TEXT NOT NULL,
         idem_key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         status INTEGER NOT NULL,
         body TEXT NOT NULL,
         created_at TEXT NOT NULL,
         PRIMARY KEY (scope, idem_key)
       )`,
      // Webhook subscriptions and the outbox: a row per (event, subscription), written in the
      // transaction of the state change it reports, delivered at least once by src/notify.
      `CREATE TABLE subscriptions (
         id TEXT PRIMARY KEY,
         owner TEXT NOT NULL,
         url TEXT NOT NULL,
         secret TEXT NOT NULL,
         topics TEXT NOT NULL,
         created_at TEXT NOT NULL
       )`,
      `CREATE INDEX subscriptions_owner ON subscriptions (owner)`,
      `CREATE TABLE outbox (
         id TEXT PRIMARY KEY,
         subscription TEXT NOT NULL,
         topic TEXT NOT NULL,
         payload TEXT NOT NULL,
         created_at TEXT NOT NULL,
         attempts INTEGER NOT NULL,
         next_attempt_at TEXT NOT NULL,
         delivered_at TEXT,
         failed_at TEXT,
         last_error TEXT,
         lease_owner TEXT,
         lease_until TEXT
       )`,
      `CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at)`,
    ],
  },
  { version: 4, name: 'track and trace events and forecasts', statements: TRACKING_STATEMENTS },
  {
    version: 5,
    name: 'sweeps: the header of a Monte Carlo sweep whose runs are jobs on the job engine',
    statements: [
      `CREATE TABLE sweeps (
         id TEXT PRIMARY KEY,
         request TEXT NOT NULL,
         runs INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         created_by TEXT
       )`,
      `CREATE INDEX sweeps_by_owner ON sweeps (created_by, created_at)`,
    ],
  },
  { version: 6, name: 'track and trace event subscriptions', statements: EVENT_SUBSCRIPTION_STATEMENTS },
  {
    version: 7,
    name: 'organisations, ownership of scenarios and jobs, one publication per operator',
    statements: [
      `ALTER TABLE api_keys ADD COLUMN organisation TEXT`,
      `ALTER TABLE scenarios ADD COLUMN owner TEXT`,
      // Scenarios stored before ownership were readable by everyone: they stay so; new ones are private.
      `ALTER TABLE scenarios ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'`,
      `UPDATE scenarios SET owner = created_by`,
      `ALTER TABLE jobs ADD COLUMN owner TEXT`,
      `UPDATE jobs SET owner = created_by`,
      `CREATE INDEX jobs_owner_created ON jobs (owner, created_at)`,
      `CREATE INDEX scenarios_owner ON scenarios (owner, name)`,
      // One publication per operator: two operators of a shared link each keep their own capacity.
      `CREATE TABLE publications_by_operator (
         kind TEXT NOT NULL,
         target TEXT NOT NULL,
         operator TEXT NOT NULL,
         body TEXT NOT NULL,
         revision INTEGER NOT NULL,
         published_at TEXT NOT NULL,
         published_by TEXT,
         PRIMARY KEY (kind, target, operator)
       )`,
      `INSERT INTO publications_by_operator (kind, target, operator, body, revision, published_at, published_by)
         SELECT kind, target, operator, body, revision, published_at, published_by FROM publications`,
      `DROP TABLE publications`,
      `ALTER TABLE publications_by_operator RENAME TO publications`,
    ],
  },
  {
    version: 8,
    name: "event subscriptions: the receiver's accepted batch size and Retry-After pause, shared by instances",
    statements: [
      `ALTER TABLE subscriptions ADD COLUMN delivery_batch INTEGER`,
      `ALTER TABLE subscriptions ADD COLUMN paused_until TEXT`,
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
