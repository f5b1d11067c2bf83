/**
 * Opens the store a URL names: `sqlite:/path/file.sqlite` (or `sqlite::memory:`), or
 * `postgres://user:pass@host:port/db` (also `postgresql://`). Default: ./var/corridor.sqlite.
 */
import { resolve } from 'node:path';
import { PostgresDriver, type PostgresOptions } from './postgres.js';
import { SqliteDriver, type SqliteOptions } from './sqlite.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export const DEFAULT_DATABASE_URL = 'sqlite:./var/corridor.sqlite';

export class StoreUrlError extends Error {}

export function describeDatabaseUrl(
  url: string,
): { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string } {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new StoreUrlError('DATABASE_URL "sqlite:" needs a file, e.g. sqlite:./var/corridor.sqlite');
    return { dialect: 'sqlite', file: rest === ':memory:' ? rest : resolve(rest) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new StoreUrlError('DATABASE_URL is not a valid postgres:// URL');
    }
    return { dialect: 'postgres', url };
  }
  throw new StoreUrlError(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.replace(/\/\/[^@/]*@/, '//***@').slice(0, 60)}")`,
  );
}

export async function openStore(
  url: string = DEFAULT_DATABASE_URL,
  pg: PostgresOptions = {},
  sqlite: SqliteOptions = {},
): Promise<Store> {
  const d = describeDatabaseUrl(url);
  const driver = d.dialect === 'sqlite' ? new SqliteDriver(d.file, sqlite) : new PostgresDriver(d.url, pg);
  return SqlStore.open(driver);
}
