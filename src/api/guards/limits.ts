/**
 * Limits every route follows (docs/api.md "rules every route follows", docs/security.md). One place,
 * so new routes (bookings, events) take the same bounds instead of inventing their own.
 */
import { HttpProblem, invalid } from '../problem.js';

export const LIMITS = {
  /** Largest page a list endpoint returns; `limit` above it is a 400. */
  pageMax: 100,
  /** Page size when `limit` is absent. */
  pageDefault: 50,
  /** Any single string stored from a request body (a title, a description, a note). */
  storedStringChars: 4_000,
  /** A whole stored document (a scenario body), serialised as JSON. */
  storedDocumentBytes: 64 * 1024,
  /** Custom scenarios one API key may own. */
  scenariosPerKey: 200,
  /**
   * Current publications one operator may keep (services, tariff components, capacities). The
   * operator's page lists them whole, so they are bounded rather than paged; the default data has
   * 30 services in all, so 500 records of one operator leave room for any real timetable.
   */
  publicationsPerOperator: 500,
} as const;

/**
 * Refuses a body to be stored when one of its strings, or the whole document, is over the limits:
 * what the store keeps is later served to everyone, so one caller must not be able to make every
 * list and read expensive.
 */
export function checkStoredDocument(body: unknown, where = 'body'): void {
  const bytes = Buffer.byteLength(JSON.stringify(body) ?? '');
  if (bytes > LIMITS.storedDocumentBytes)
    throw new HttpProblem(
      'payload-too-large',
      `the ${where} to be stored is ${bytes} bytes as JSON; at most ${LIMITS.storedDocumentBytes} are kept`,
    );
  const long: { field: string; message: string; value: string }[] = [];
  const walk = (v: unknown, path: string) => {
    if (long.length >= 5) return;
    if (typeof v === 'string') {
      if (v.length > LIMITS.storedStringChars)
        long.push({
          field: path,
          message: `at most ${LIMITS.storedStringChars} characters (got ${v.length})`,
          value: `${v.slice(0, 40)}…`,
        });
    } else if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}.${i}`);
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(body, where);
  if (long.length) throw invalid('body', long);
}
