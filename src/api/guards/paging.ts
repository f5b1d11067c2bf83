/**
 * Paging for every list endpoint: `limit` (1…LIMITS.pageMax, default LIMITS.pageDefault) and an
 * opaque `cursor` from the previous page's `nextCursor` (also sent as the `Next-Page-Cursor`
 * header). Lists are ordered by a unique key; the cursor is that key of the last item served, so a
 * page is a range read (`key > cursor ORDER BY key LIMIT n+1`) and never loads the whole table.
 */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { invalid } from '../problem.js';
import { LIMITS } from './limits.js';

/** Query fields to spread into a list route's query schema. */
export const pageQuery = {
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'a whole number')
    .optional()
    .describe(`Items per page, 1–${LIMITS.pageMax} (default ${LIMITS.pageDefault})`),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
};

export const pageOut = {
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
};

export interface PageRequest {
  limit: number;
  /** The sort key of the last item already served, or undefined for the first page. */
  after: string | undefined;
}

export function pageRequest(q: { limit?: string | undefined; cursor?: string | undefined }): PageRequest {
  const limit = q.limit === undefined ? LIMITS.pageDefault : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.pageMax)
    throw invalid('query', [
      { field: 'query.limit', message: `between 1 and ${LIMITS.pageMax}`, value: String(q.limit).slice(0, 20) },
    ]);
  if (q.cursor === undefined || q.cursor === '') return { limit, after: undefined };
  const after = decodeCursor(q.cursor);
  if (after === undefined)
    throw invalid('query', [
      { field: 'query.cursor', message: 'not a cursor from a previous page', value: q.cursor.slice(0, 40) },
    ]);
  return { limit, after };
}

export const encodeCursor = (key: string) => Buffer.from(`c1:${key}`, 'utf8').toString('base64url');
function decodeCursor(c: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(c)) return undefined;
  const s = Buffer.from(c, 'base64url').toString('utf8');
  return s.startsWith('c1:') ? s.slice(3) : undefined;
}

/**
 * One page out of `items` already sorted by `keyOf` and filtered to keys after the cursor, of
 * which the caller fetched at most `limit + 1` (the extra one says whether a next page exists).
 */
export function pageOf<T>(items: T[], req: PageRequest, keyOf: (t: T) => string, reply?: FastifyReply) {
  const page = items.slice(0, req.limit);
  const last = page.at(-1);
  const nextCursor = items.length > req.limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  if (reply && nextCursor) reply.header('next-page-cursor', nextCursor);
  return { page, nextCursor };
}
