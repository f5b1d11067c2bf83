/**
 * Answers kept encoded: a repeated query costs no computation, serialization or UTF-8 encoding.
 * Keys are the service's canonical request keys (they name the World's revision and the versions
 * of stored scenarios) plus today's date, which prices requests without a ready or quote date.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Prepared } from '../service/service.js';
import type { ServiceContext } from './context.js';
import { routeCacheCounter } from './metrics.js';

/** The exact-URL key of a request: only for answers that cannot change while the World stands. */
export const urlKey = (ctx: ServiceContext, req: FastifyRequest) => `${ctx.service.today()}|${req.url}`;

/** The fast path of a cached GET endpoint: the body cached under this exact URL, if any. */
export function urlCacheHit(req: FastifyRequest, ctx: ServiceContext): Buffer | undefined {
  const hit = ctx.routeUrlCache.get(urlKey(ctx, req));
  if (hit !== undefined) routeCacheCounter.inc({ result: 'hit' });
  return hit;
}

/** Aborts when the connection closes before the response is complete: nobody will read the answer. */
function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

/**
 * Sends the cached answer to `p`, or the JSON bytes `compute` gives (the service's `*Encoded` use
 * cases, which may run in a request worker), kept for the next request.
 */
export async function sendCached<T>(
  ctx: ServiceContext,
  req: FastifyRequest,
  reply: FastifyReply,
  p: Prepared<T>,
  compute: (clientGone: AbortSignal) => Promise<Uint8Array>,
): Promise<undefined> {
  const key = `${ctx.service.today()}|${p.key}`;
  let body = ctx.routeCache.get(key);
  routeCacheCounter.inc({ result: body === undefined ? 'miss' : 'hit' });
  if (body === undefined) {
    const json = await compute(clientGone(reply));
    // A view of the same memory (a worker's bytes arrive as a plain Uint8Array): no copy.
    body = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
    ctx.routeCache.set(key, body);
  }
  // A stored scenario may get a new version under the same URL: only file scenarios go by URL.
  if (p.scenario.selection.refs.every((r) => r.source === 'dataset') && p.world === ctx.service.world)
    ctx.routeUrlCache.set(urlKey(ctx, req), body);
  reply.type('application/json; charset=utf-8').send(body);
  return undefined;
}
