/** route-batch: many route queries in one job (the same options and answers as GET /api/v1/routes). */
import { z } from 'zod';
import { type FieldProblem, InvalidRequestError, isCorridorError } from '../../../model/errors.js';
import { RouteParamsSchema } from '../../routes/routes.js';
import { defineJobKind } from '../kind.js';

export const routeBatch = defineJobKind({
  name: 'route-batch',
  title: 'Batch of route queries',
  description:
    'Runs up to 1000 route queries (each with the parameters of GET /api/v1/routes, as strings) and returns every ' +
    'result in order, each the JSON GET /api/v1/routes gives.',
  params: z
    .object({
      queries: z.array(RouteParamsSchema).min(1, 'at least one query').max(1000, 'at most 1000 queries'),
    })
    .strict(),
  async check(params, service) {
    const problems: FieldProblem[] = [];
    for (const [i, q] of params.queries.entries()) {
      try {
        await service.prepareRoute(q, `queries[${i}].`);
      } catch (e) {
        if (!(e instanceof InvalidRequestError)) throw e;
        problems.push(...e.problems);
      }
    }
    if (problems.length) throw new InvalidRequestError(problems);
  },
  async run(params, ctx) {
    const n = params.queries.length;
    const results = [];
    for (const [i, q] of params.queries.entries()) {
      ctx.progress(i, n, `query ${i + 1} of ${n}`);
      try {
        results.push({ query: q, result: ctx.service.route(await ctx.service.prepareRoute(q)) });
      } catch (e) {
        if (!isCorridorError(e)) throw e;
        results.push({ query: q, error: { code: e.code, message: e.message } });
      }
    }
    ctx.progress(n, n, 'done');
    return { results };
  },
});
