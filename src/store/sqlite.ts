/**
 * SQLite driver (better-sqlite3, WAL). better-sqlite3 is synchronous and the store's transactions
 * are async functions, so every statement and transaction goes through one queue: nothing from
 * another request can run inside an open transaction on the shared connection.
 * The queue is per database file and process-wide: a second connection to the same file in this
 * process (a sibling store) must not start a transaction while the first holds the write lock, as
 * better-sqlite3 would then block the event loop waiting for a lock only the event loop can free.
 * Another process waits on SQLite's busy timeout instead; our transactions never wait on IO while
 * holding the lock, so that wait is short.
 * synchronous=FULL: a commit is on disk before the write is acknowledged. A new database file is
 * created 0600 (owner only), and its directory 0700.
 */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql.js';

/** The built checkpointer: src/store and dist/store both sit two levels below the package root. */
const CHECKPOINTER_FILE = fileURLToPath(new URL('../../dist/store/sqlite-checkpointer.js', import.meta.url));

export interface SqliteOptions {
  /**
   * Checkpoint the WAL from a thread of its own every this many ms instead of inside commits on this
   * connection (the API server: its event loop must not wait for checkpoints). Off: SQLite's own
   * automatic checkpoints.
   */
  backgroundCheckpointMs?: number;
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly lockRowsSuffix = '';
  readonly description: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private static readonly queues = new Map<string, { tail: Promise<unknown> }>();
  private readonly queue: { tail: Promise<unknown> };

  private checkpointer: Worker | undefined;
  /** Checkpoints the background thread has made (tests). */
  checkpoints = 0;

  constructor(
    readonly file: string,
    opts: SqliteOptions = {},
  ) {
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // Keys' hashes, bookings and scenarios are in this file: owner-only. SQLite gives the -wal and
      // -shm files the database file's mode, so creating it 0600 first covers all three.
      if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.description = `sqlite:${file}`;
    if (opts.backgroundCheckpointMs !== undefined && file !== ':memory:')
      this.startCheckpointer(opts.backgroundCheckpointMs);
    let q = SqliteDriver.queues.get(file);
    if (!q || file === ':memory:') {
      q = { tail: Promise.resolve() };
      if (file !== ':memory:') SqliteDriver.queues.set(file, q);
    }
    this.queue = q;
  }

  private startCheckpointer(intervalMs: number): void {
    const worker = new Worker(CHECKPOINTER_FILE, { workerData: { file: this.file, intervalMs } });
    // Not a reason to keep the process alive; and until it has started, SQLite's own checkpoints run.
    worker.unref();
    worker.on('message', (m: { type: string; checkpoints?: number }) => {
      if (m.type === 'ready') this.db.pragma('wal_autocheckpoint = 0');
      else if (m.type === 'checkpoint') this.checkpoints = m.checkpoints ?? this.checkpoints;
    });
    worker.on('error', () => undefined);
    // A checkpointer that stops for any reason hands the job back to the commits, so the WAL stays bounded.
    worker.once('exit', () => {
      if (this.checkpointer === worker && this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      if (this.checkpointer === worker) this.checkpointer = undefined;
    });
    this.checkpointer = worker;
  }

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private readonly direct: SqlExecutor = {
    all: async (sql, params = []) => {
      const s = this.prepare(sql);
      if (s.reader) return s.all(...(params as SqlValue[])) as Row[];
      s.run(...(params as SqlValue[]));
      return [];
    },
    run: async (sql, params = []) => this.prepare(sql).run(...(params as SqlValue[])).changes,
  };

  /** Runs `fn` after everything queued before it, alone on the connection. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.tail.then(fn, fn);
    this.queue.tail = next.catch(() => undefined);
    return next;
  }

  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.exclusive(() => this.direct.all(sql, params));
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.exclusive(() => this.direct.run(sql, params));
  }
  runUnsynced(sql: string, params?: readonly SqlValue[]): Promise<number> {
    // Alone on the connection (the queue), so no other statement commits under NORMAL. In WAL mode
    // a NORMAL commit is in the WAL file, not yet synced: the next FULL commit or checkpoint syncs it.
    return this.exclusive(async () => {
      this.db.pragma('synchronous = NORMAL');
      try {
        return await this.direct.run(sql, params);
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    });
  }
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.direct);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }
  async close(): Promise<void> {
    const worker = this.checkpointer;
    this.checkpointer = undefined;
    if (worker) await worker.terminate();
    await this.exclusive(async () => this.db.close());
  }
}
