/** /health (the process answers), /ready (dataset loaded, database reachable), /metrics. */
import { z } from 'zod';
import type { RouteTable } from '../define-route.js';
import { HttpProblem } from '../problem.js';
import { registry } from '../metrics.js';
import { LATEST_SCHEMA_VERSION } from '../../store/migrations.js';

export function registerHealth(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers',
    tags: ['operations'],
    access: 'public',
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
    handler: () => ({ status: 'ok' }),
  });

  t.add({
    method: 'GET',
    url: '/ready',
    operationId: 'ready',
    summary: 'Readiness: dataset loaded, database reachable and migrated',
    tags: ['operations'],
    access: 'public',
    responses: {
      200: {
        description: 'Ready',
        schema: z.looseObject({
          status: z.literal('ready'),
          dataset: z.looseObject({ locations: z.number(), links: z.number(), warnings: z.number() }),
          database: z.looseObject({ dialect: z.string(), schemaVersion: z.number() }),
          jobs: z.looseObject({ engine: z.string().nullable(), workers: z.number(), running: z.number() }),
          uptimeS: z.number(),
        }),
      },
      503: { description: 'Not ready (database unreachable or shutting down)' },
    },
    handler: async ({ ctx }) => {
      if (ctx.closing) throw new HttpProblem('unavailable', 'shutting down');
      let schemaVersion: number;
      try {
        await ctx.store.ping();
        schemaVersion = await ctx.store.schemaVersion();
      } catch {
        throw new HttpProblem('unavailable', `the database (${ctx.store.dialect}) does not answer`);
      }
      if (schemaVersion !== LATEST_SCHEMA_VERSION)
        throw new HttpProblem('unavailable', `database schema ${schemaVersion}, expected ${LATEST_SCHEMA_VERSION}`);
      return {
        status: 'ready',
        dataset: {
          locations: ctx.dataset.locations.length,
          links: ctx.dataset.links.length,
          warnings: ctx.load.warnings.length,
        },
        database: { dialect: ctx.store.dialect, schemaVersion },
        jobs: {
          engine: ctx.jobs?.queue.engine ?? null,
          workers: ctx.config.jobWorkers,
          running: ctx.jobs?.queue.running ?? 0,
        },
        uptimeS: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
      };
    },
  });

  t.add({
    method: 'GET',
    url: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Needs an admin key, or the scraper token METRICS_TOKEN as `Authorization: Bearer <token>` ' +
      '(CORRIDOR_METRICS_PUBLIC=true opens it to everyone).',
    tags: ['operations'],
    // Checked in the handler: the scraper's token is not an API key.
    access: 'public',
    responses: {
      200: { description: 'Metrics', contentType: 'text/plain; version=0.0.4' },
      401: { description: 'No admin key or metrics token' },
      403: { description: 'A key without the admin role' },
    },
    handler: async ({ ctx, reply, req, principal }) => {
      if (!ctx.config.metricsPublic && !req.metricsToken && principal?.role !== 'admin') {
        const how = `an admin key${ctx.config.metricsToken !== undefined ? ' or the metrics token' : ''}`;
        throw principal
          ? new HttpProblem('forbidden', `metrics need ${how}; the key has role ${principal.role}`, {
              requiredRole: 'admin',
              role: principal.role,
            })
          : new HttpProblem(
              'unauthorized',
              `metrics need ${how} (Authorization: Bearer <key>)`,
              { requiredRole: 'admin' },
              { 'www-authenticate': 'Bearer' },
            );
      }
      reply.type(registry.contentType).send(await registry.metrics());
      return undefined;
    },
  });
}
