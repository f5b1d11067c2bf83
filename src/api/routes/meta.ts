/** /openapi.json, /problems/{code} (what each problem type means). /docs is the Swagger UI (app.ts). */
import { z } from 'zod';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, PROBLEM_TYPES, type ProblemCode } from '../problem.js';

export function registerMeta(t: RouteTable, openApi: () => Record<string, unknown>): void {
  t.add({
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openApi',
    summary: 'This OpenAPI 3.1 document',
    tags: ['operations'],
    access: 'public',
    responses: { 200: { description: 'OpenAPI document' } },
    handler: () => openApi(),
  });
  t.add({
    method: 'GET',
    url: '/problems/:code',
    operationId: 'problemType',
    summary: 'What a problem type means',
    tags: ['operations'],
    access: 'public',
    params: z.object({ code: z.string().max(40) }),
    responses: {
      200: {
        description: 'The problem type',
        schema: z.object({ type: z.string(), title: z.string(), status: z.number(), description: z.string() }),
      },
    },
    handler: ({ params }) => {
      const p = PROBLEM_TYPES[params.code as ProblemCode] as (typeof PROBLEM_TYPES)[ProblemCode] | undefined;
      if (!p || !Object.hasOwn(PROBLEM_TYPES, params.code))
        throw new HttpProblem(
          'not-found',
          `no problem type "${params.code}"; known: ${Object.keys(PROBLEM_TYPES).join(', ')}`,
        );
      return { type: `/problems/${params.code}`, title: p.title, status: p.status, description: p.doc };
    },
  });
}
