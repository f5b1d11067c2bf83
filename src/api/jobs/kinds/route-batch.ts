/** route-batch: many route queries in one job (the same options as GET /api/v1/routes each). */
import { z } from 'zod';
import { isCorridorError } from '../../../model/errors.js';
import { resolvePlace } from '../../../model/places.js';
import { findRoutes } from '../../../routing/route.js';
import { RouteParamsSchema, toRouteQuery } from '../../route-query.js';
import { invalid, type FieldError } from '../../problem.js';
import { defineJobKind } from '../kind.js';

export const routeBatch = defineJobKind({
  name: 'route-batch',
  title: 'Batch of route queries',
  description:
    'Runs up to 1000 route queries (each with the parameters of GET /api/v1/routes, as strings) and returns every result in order.',
  params: z
    .object({
      queries: z.array(RouteParamsSchema).min(1, 'at least one query').max(1000, 'at most 1000 queries'),
    })
    .strict(),
  check(params, dataset) {
    const errors: FieldError[] = [];
    params.queries.forEach((q, i) => {
      for (const role of ['from', 'to'] as const) {
        try {
          resolvePlace(dataset.locations, q[role], role === 'from' ? 'origin' : 'destination');
        } catch (e) {
          if (!isCorridorError(e)) throw e;
          errors.push({ field: `body.params.queries[${i}].${role}`, message: e.message, value: q[role] });
        }
      }
      if (q.scenario !== undefined && !dataset.scenarios.some((s) => s.name === q.scenario)) {
        errors.push({
          field: `body.params.queries[${i}].scenario`,
          message: `unknown dataset scenario; valid: ${dataset.scenarios.map((s) => s.name).join(', ') || '(none)'}`,
          value: q.scenario,
        });
      }
      try {
        toRouteQuery(q, dataset, 'body', `params.queries[${i}].`);
      } catch (e) {
        const fe = (e as { extra?: { errors?: FieldError[] } }).extra?.errors;
        if (!fe) throw e;
        errors.push(...fe);
      }
    });
    if (errors.length) throw invalid('body', errors);
  },
  run(params, ctx) {
    const n = params.queries.length;
    const results = params.queries.map((q, i) => {
      ctx.progress(i, n, `query ${i + 1} of ${n}`);
      try {
        return { query: q, result: findRoutes(ctx.network(q.scenario), toRouteQuery(q, ctx.dataset)) };
      } catch (e) {
        if (isCorridorError(e)) return { query: q, error: { code: e.code, message: e.message } };
        throw e;
      }
    });
    ctx.progress(n, n, 'done');
    return { results };
  },
});
