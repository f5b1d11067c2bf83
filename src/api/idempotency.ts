/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for the booking writes: the first
 * response to a key is stored in the same transaction as the change it reports, so a retry after
 * a lost response (or a crash) replays it instead of booking twice; the same key with another
 * request (method, path or body) is refused with 422. Keys are per API key.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BookingState } from '../booking/model.js';
import { IdempotencyConflict, type IdempotencyFor } from '../booking/ports.js';
import type { ServiceContext } from './context.js';
import { HttpProblem } from './problem.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with sorted keys, so the same body in another key order is the same request. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export interface IdempotentResponse {
  status: number;
  body: unknown;
}

/**
 * Runs `write` once per Idempotency-Key: a replay sends the stored response (with
 * `Idempotent-Replayed: true`); without the header the write simply runs.
 */
export async function idempotent(
  ctx: ServiceContext,
  req: FastifyRequest,
  reply: FastifyReply,
  respond: (b: BookingState) => IdempotentResponse,
  write: (idem: IdempotencyFor | undefined) => Promise<BookingState>,
): Promise<undefined> {
  const raw = req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  const send = (r: IdempotentResponse, replayed: boolean) => {
    if (replayed) reply.header('idempotent-replayed', 'true');
    reply.code(r.status);
    if (r.body === null || r.body === undefined) reply.send();
    else reply.type('application/json; charset=utf-8').send(JSON.stringify(r.body));
    return undefined;
  };
  if (key === undefined) return send(respond(await write(undefined)), false);
  // Structured-header strings are quoted ("abc"); bare tokens are accepted too.
  const k = key.replace(/^"(.*)"$/, '$1');
  if (!KEY.test(k))
    throw new HttpProblem('invalid-parameter', 'Idempotency-Key: 1–255 visible ASCII characters', {
      errors: [{ field: 'header.Idempotency-Key', message: '1–255 visible ASCII characters', value: k.slice(0, 40) }],
    });
  const scope = req.principal?.keyId ?? `ip:${req.ip}`;
  const path = req.url.split('?')[0] ?? '';
  const fingerprint = `${req.method} ${path} ${createHash('sha256')
    .update(canonical(req.body ?? null))
    .digest('base64url')}`;
  const replay = async () => {
    const prior = await ctx.store.bookings.findIdempotent(scope, k);
    if (!prior) return false;
    if (prior.fingerprint !== fingerprint)
      throw new HttpProblem(
        'idempotency-key-reused',
        `Idempotency-Key "${k}" was first used with another request ` +
          `(${prior.fingerprint.split(' ').slice(0, 2).join(' ')}); ` +
          'use a new key for a new request',
      );
    send({ status: prior.status, body: prior.body }, true);
    return true;
  };
  if (await replay()) return undefined;
  try {
    const b = await write((w) => {
      const r = respond(w);
      return { scope, key: k, fingerprint, status: r.status, body: r.body ?? null, createdAt: w.updatedAt };
    });
    return send(respond(b), false);
  } catch (e) {
    // A concurrent request with the same key committed first: answer as it did.
    if (e instanceof IdempotencyConflict && (await replay())) return undefined;
    throw e;
  }
}
