/**
 * One declaration per endpoint: its zod schemas validate the request at the boundary and the
 * same schemas generate the OpenAPI document (openapi.ts), so the two cannot drift apart.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../store/store.js';
import { atLeast, type Principal } from './keys.js';
import type { ServiceContext } from './context.js';
import { fieldErrors, HttpProblem, invalid } from './problem.js';
import { must } from '../model/invariant.js';
import { readerOf, withReader } from './guards/ownership.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * Who may call: `public` anyone (health, docs); `read` anyone when anonymous reads are enabled,
 * else any key; a role: a key with at least that role.
 */
export type Access = 'public' | 'read' | Role;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

export interface Parsed<Q, P, B> {
  query: Q;
  params: P;
  body: B;
  principal: Principal | undefined;
  req: FastifyRequest;
  reply: FastifyReply;
  ctx: ServiceContext;
}

export interface RouteSpec<Q = unknown, P = unknown, B = unknown> {
  method: HttpMethod;
  /** fastify path, `:name` for parameters. */
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  /** Extra header parameters, for the document only. */
  headerParams?: { name: string; description: string; schema: Record<string, unknown>; required?: boolean }[];
  responses: Record<number, ResponseSpec>;
  /** Exclude from the OpenAPI document (e.g. the docs UI itself). */
  hidden?: boolean;
  /**
   * Returns the body to send (serialized as JSON), or undefined when the handler has sent the
   * reply itself. Throws HttpProblem (or CorridorError) for the client's mistakes.
   */
  handler(p: Parsed<Q, P, B>): Promise<unknown> | unknown;
  /**
   * Answers before validation when it can (a response cached under the exact request URL);
   * returns undefined to take the normal path. Runs after authorization.
   */
  fastPath?: (req: FastifyRequest, ctx: ServiceContext) => Buffer | undefined;
  /** Overrides how validation errors are rendered (the DCSA endpoint's own error format). */
  onInvalid?: (problem: HttpProblem, req: FastifyRequest, reply: FastifyReply) => unknown;
}

/** Query values may repeat (`avoid=RU&avoid=IR`): lists join them with commas, the rest refuse. */
function normalizeQuery(raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>))
    out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

export function authorize(access: Access, principal: Principal | undefined, anonymousRead: boolean): void {
  if (access === 'public') return;
  if (access === 'read') {
    if (anonymousRead || principal) return;
    throw new HttpProblem(
      'unauthorized',
      'reads need an API key on this server (Authorization: Bearer <key>)',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }
  if (!principal) {
    throw new HttpProblem(
      'unauthorized',
      `this request needs an API key with role ${access} or higher (Authorization: Bearer <key>)`,
      { requiredRole: access },
      { 'www-authenticate': 'Bearer' },
    );
  }
  if (!atLeast(principal.role, access)) {
    throw new HttpProblem(
      'forbidden',
      `this request needs role ${access} or higher; the key has role ${principal.role}`,
      { requiredRole: access, role: principal.role },
    );
  }
}

/**
 * An endpoint of any query, path and body types: the table holds them side by side, and each was
 * type-checked where it was declared (`add`), so here the types are erased.
 */
// biome-ignore lint/suspicious/noExplicitAny: type erasure of checked declarations (see above)
export type AnyRouteSpec = RouteSpec<any, any, any>;

export class RouteTable {
  readonly specs: AnyRouteSpec[] = [];

  add<Q, P, B>(spec: RouteSpec<Q, P, B>): void {
    this.specs.push(spec as AnyRouteSpec);
  }

  register(app: FastifyInstance, ctx: ServiceContext): void {
    for (const spec of this.specs) {
      app.route({
        method: spec.method,
        url: spec.url,
        handler: async (req, reply) => {
          const principal = req.principal;
          authorize(spec.access, principal, ctx.config.anonymousRead);
          const fast = spec.fastPath?.(req, ctx);
          if (fast !== undefined) return reply.type('application/json; charset=utf-8').send(fast);
          try {
            const query = spec.query ? parseOr('query', spec.query, normalizeQuery(req.query)) : undefined;
            const params = spec.params ? parseOr('path', spec.params, req.params) : undefined;
            const body = spec.body
              ? parseOr('body', spec.body, req.body === undefined ? undefined : req.body)
              : undefined;
            const parsed = { query, params, body, principal, req, reply, ctx } as Parsed<unknown, unknown, unknown>;
            const out = await withReader(readerOf(principal), () => spec.handler(parsed));
            if (out === undefined) return reply;
            return out;
          } catch (e) {
            if (e instanceof HttpProblem && spec.onInvalid) return spec.onInvalid(e, req, reply);
            throw e;
          }
        },
      });
    }
    // 405 with Allow for the methods a known path does not take.
    const byUrl = new Map<string, Set<string>>();
    for (const s of this.specs) (byUrl.get(s.url) ?? must(byUrl.set(s.url, new Set()).get(s.url))).add(s.method);
    for (const [url, methods] of byUrl) {
      const allow = [...methods, ...(methods.has('GET') ? ['HEAD'] : [])].sort().join(', ');
      // With CORS on, OPTIONS belongs to the preflight handler.
      const candidates = [
        'GET',
        'POST',
        'PUT',
        'DELETE',
        'PATCH',
        ...(ctx.config.corsOrigins.length ? [] : ['OPTIONS']),
      ] as const;
      const others = candidates.filter((m) => !methods.has(m));
      if (others.length === 0) continue;
      app.route({
        method: others,
        url,
        handler: async () => {
          throw new HttpProblem(
            'method-not-allowed',
            `this URL takes ${allow}`,
            { allow: allow.split(', ') },
            { allow },
          );
        },
      });
    }
  }
}

function parseOr<T>(where: 'query' | 'body' | 'path', schema: z.ZodType<T>, input: unknown): T {
  if (where === 'body' && input === undefined) {
    throw invalid('body', [{ field: 'body', message: 'a JSON body is required (Content-Type: application/json)' }]);
  }
  const r = schema.safeParse(input, { reportInput: true });
  if (!r.success) throw invalid(where, fieldErrors(where, r.error));
  return r.data;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The request carried METRICS_TOKEN (it reads /metrics only). */
    metricsToken: boolean;
  }
}
