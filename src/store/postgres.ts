/**
 * PostgreSQL driver (pg). Many Corridor instances can share one database: job claims lock rows
 * with FOR UPDATE SKIP LOCKED, and migrations take an advisory lock.
 */
import pg from 'pg';
import { numberedPlaceholders, type Row, type SqlDriver, type SqlExecutor, type SqlValue } from './sql.js';

export interface PostgresOptions {
  /** Work in this schema (created if missing) instead of `public`; used by tests to isolate runs. */
  schema?: string;
  maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function executor(q: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    all: async (sql, params = []) => (await q.query(numberedPlaceholders(sql), params as SqlValue[])).rows as Row[],
    run: async (sql, params = []) => (await q.query(numberedPlaceholders(sql), params as SqlValue[])).rowCount ?? 0,
    raw: async (sql, params) => ({ rows: (await q.query(sql, params as unknown[])).rows as Row[] }),
  };
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly lockRowsSuffix = ' FOR UPDATE SKIP LOCKED';
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly exec: SqlExecutor;
  private ready: Promise<void>;

  constructor(url: string, opts: PostgresOptions = {}) {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema))
      throw new Error(`invalid PostgreSQL schema name "${opts.schema}"`);
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.maxConnections ?? 10,
      // A server that drops packets would otherwise hold a request until the OS gives up (minutes):
      // after 10 s the connect fails, and the API answers 503 (src/store/unavailable.ts).
      connectionTimeoutMillis: 10_000,
      // The schema as a startup parameter: a `SET` on 'connect' raced the pool's first query on that client.
      ...(opts.schema !== undefined ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
    this.pool.on('error', () => undefined);
    const u = new URL(url);
    this.description =
      `postgres://${u.hostname}` +
      `${u.port ? `:${u.port}` : ''}${u.pathname}${opts.schema ? ` (schema ${opts.schema})` : ''}`;
    if (opts.schema) {
      this.ready = this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`).then(() => undefined);
    } else this.ready = Promise.resolve();
    this.exec = executor(this.pool);
  }

  async all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    await this.ready;
    return this.exec.all(sql, params);
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    await this.ready;
    return this.exec.run(sql, params);
  }
  async runUnsynced(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.transaction(async (tx) => {
      // For this transaction only: its commit returns before the WAL reaches the disk.
      await tx.run('SET LOCAL synchronous_commit TO OFF');
      return tx.run(sql, params);
    });
  }
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(executor(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}
