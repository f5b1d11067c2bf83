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

/** Whether the answer to `p` is in the response cache. */
export function isCached(ctx: ServiceContext, p: Prepared<unknown>): boolean {
  return ctx.routeCache.get(`${ctx.service.today()}|${p.key}`) !== undefined;
}

/** `compute` may run in a request worker (the service's `*Async` use cases). */
export async function sendCached<T>(
  ctx: ServiceContext,
  req: FastifyRequest,
  reply: FastifyReply,
  p: Prepared<T>,
  compute: () => unknown,
): Promise<undefined> {
  const key = `${ctx.service.today()}|${p.key}`;
  let body = ctx.routeCache.get(key);
  routeCacheCounter.inc({ result: body === undefined ? 'miss' : 'hit' });
  if (body === undefined) {
    body = Buffer.from(JSON.stringify(await compute()));
    ctx.routeCache.set(key, body);
  }
  // A stored scenario may get a new version under the same URL: only file scenarios go by URL.
  if (p.scenario.selection.refs.every((r) => r.source === 'dataset') && p.world === ctx.service.world)
    ctx.routeUrlCache.set(urlKey(ctx, req), body);
  reply.type('application/json; charset=utf-8').send(body);
  return undefined;
}
