/** Which store errors mean "the database is unreachable now" (the API's 503) rather than a fault (500). */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../src/store/unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStoreUnavailable', () => {
  it('connection failures and PostgreSQL shutdown states', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '08006', '08001', '57P01', '57P03'])
      expect(isStoreUnavailable(withCode(code)), code).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    // Node's happy-eyeballs connect: one refusal per address.
    expect(isStoreUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
    expect(isStoreUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
  });

  it('faults stay faults', () => {
    for (const code of ['42P01', '23505', '22P02', 'SQLITE_CONSTRAINT', 'ERR_ASSERTION'])
      expect(isStoreUnavailable(withCode(code)), code).toBe(false);
    expect(isStoreUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isStoreUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('42P01')]))).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });

  it('recognizes what pg raises when nothing listens (a closed loopback port)', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://corridor@127.0.0.1:1/corridor',
      connectionTimeoutMillis: 5000,
    });
    pool.on('error', () => undefined);
    let caught: unknown;
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      caught = e;
    } finally {
      await pool.end();
    }
    expect(caught).toBeDefined();
    expect(isStoreUnavailable(caught)).toBe(true);
  });
});
