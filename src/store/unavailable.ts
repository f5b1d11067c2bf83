/**
 * Which store errors mean "the database cannot be reached right now" (a retry later may work),
 * as opposed to a bug or a bad statement. The API answers these 503 `unavailable` with
 * `Retry-After` instead of 500 `internal` (docs/api.md "Errors").
 */

/** Node socket errors of a connection that failed or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (admin shutdown, crash
 * shutdown, cannot connect now), 53300 (too many connections).
 * SQLite: a lock held past the busy timeout.
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function unavailableCode(code: string): boolean {
  return (
    NETWORK_CODES.has(code) ||
    /^08[0-9A-Z]{3}$/.test(code) ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    code === 'SQLITE_BUSY'
  );
}

/** pg and pg-pool raise these without a code when the server goes away or cannot be reached in time. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

export function isStoreUnavailable(e: unknown, depth = 0): boolean {
  if (depth > 4 || typeof e !== 'object' || e === null) return false;
  const { code, message, cause, errors } = e as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && unavailableCode(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((r) => r.test(message))) return true;
  // Node's happy-eyeballs connect rejects with an AggregateError of one error per address.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((x) => isStoreUnavailable(x, depth + 1))) return true;
  return cause !== undefined && isStoreUnavailable(cause, depth + 1);
}
