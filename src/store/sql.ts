/**
 * The small SQL surface the store needs from a database driver. Statements are written once with
 * `?` placeholders (parameters are always bound, never spliced) and each driver adapts them.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** PostgreSQL only: a statement with its own `$1, $2, …` placeholders, passed through unchanged. */
  raw?(sql: string, params: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  readonly description: string;
  /**
   * Runs `fn` in one transaction that holds the database's write lock from the start, so
   * read-then-write sequences (claiming a job, bumping a version) cannot interleave.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * `run` without waiting for the disk: the write survives this process dying (kill -9) but may be
   * lost if the machine itself fails before the database next syncs. Only for data a caller can
   * make again (plan routings); SQLite: synchronous=NORMAL for the statement, PostgreSQL:
   * synchronous_commit off for its transaction.
   */
  runUnsynced(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Suffix for a SELECT that picks a row to update inside a transaction (PostgreSQL: skip rows other instances hold).
   */
  readonly lockRowsSuffix: string;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …` for PostgreSQL. The statements in this package contain no literal `?`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
