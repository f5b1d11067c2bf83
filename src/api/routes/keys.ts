/** Admin: API keys. The key itself is in the 201 response only; afterwards just its id. */
import { z } from 'zod';
import { operatorDirectory, operatorIdsOf } from '../../model/operators.js';
import { ORGANISATION_PATTERN, ROLES } from '../../store/store.js';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { nth } from '../../model/invariant.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';

const KeyOut = z.looseObject({
  id: z.string(),
  role: z.enum(ROLES),
  operator: z.string().nullable(),
  label: z.string().nullable(),
  organisation: z.string().nullable().optional().describe('What the key creates belongs to this organisation'),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const adminErrors = {
  401: { description: 'No or invalid API key', schema: ProblemSchema },
  403: { description: 'Role below admin', schema: ProblemSchema },
};

export function registerKeys(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/keys',
    operationId: 'listKeys',
    summary: 'List API keys (without secrets)',
    tags: ['keys'],
    access: 'admin',
    query: z.object(pageQuery).strict(),
    responses: {
      200: { description: 'Keys by id', schema: z.object({ keys: z.array(KeyOut), ...pageOut }) },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
      ...adminErrors,
    },
    handler: async ({ ctx, query, reply }) => {
      const req = pageRequest(query);
      const rows = await ctx.store.listKeyPage(req.after, req.limit + 1);
      const { page, nextCursor } = pageOf(rows, req, (k) => k.id, reply);
      return { keys: page.map(({ hash: _h, salt: _s, ...k }) => k), nextCursor };
    },
  });

  t.add({
    method: 'POST',
    url: '/api/v1/keys',
    operationId: 'createKey',
    summary: 'Create an API key; the response is the only time the key is shown',
    tags: ['keys'],
    access: 'admin',
    body: z
      .object({
        role: z.enum(ROLES),
        operator: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe(
            'Required for the operator role: the operator id (GET /api/v1/operators), or a name of the data that ' +
              'names one operator',
          ),
        label: z.string().max(200).optional().describe('Who or what the key is for'),
        organisation: z
          .string()
          .max(64)
          .regex(ORGANISATION_PATTERN, 'lower-case words joined by hyphens (acme-freight)')
          .optional()
          .describe(
            'The organisation the key belongs to: its keys share the scenarios, jobs and bookings they create. ' +
              'Without it the key is an organisation of its own',
          ),
      })
      .strict(),
    responses: {
      201: {
        description: 'The new key',
        schema: KeyOut.extend({ key: z.string().describe('Send as `Authorization: Bearer <key>`') }),
      },
      400: { description: 'Invalid body', schema: ProblemSchema },
      ...adminErrors,
    },
    handler: async ({ body, ctx, reply }) => {
      let operator: string | null = null;
      if (body.role === 'operator') {
        const known = operatorDirectory(ctx.dataset).map((o) => o.id);
        if (!body.operator)
          throw invalid('body', [
            { field: 'body.operator', message: `an operator key needs its operator id; one of ${known.join(', ')}` },
          ]);
        const ids = operatorIdsOf(body.operator);
        if (ids.length !== 1 || !known.includes(nth(ids, 0))) {
          throw invalid('body', [
            {
              field: 'body.operator',
              message:
                ids.length > 1
                  ? `names several operators (${ids.join(', ')}); give one id`
                  : `unknown operator; valid: ${known.join(', ')}`,
              value: body.operator,
            },
          ]);
        }
        operator = nth(ids, 0);
      } else if (body.operator !== undefined) {
        throw invalid('body', [
          { field: 'body.operator', message: 'only keys with role operator belong to an operator' },
        ]);
      }
      const created = await ctx.keys.create(body.role, {
        operator,
        label: body.label ?? null,
        organisation: body.organisation ?? null,
      });
      reply.code(201).header('cache-control', 'no-store');
      return { ...created.record, key: created.key };
    },
  });

  t.add({
    method: 'DELETE',
    url: '/api/v1/keys/:id',
    operationId: 'revokeKey',
    summary: 'Revoke an API key',
    tags: ['keys'],
    access: 'admin',
    params: z.object({ id: z.string().regex(/^[a-z0-9]{12}$/, 'a key id (12 lower-case letters and digits)') }),
    responses: {
      204: { description: 'Revoked' },
      404: { description: 'No active key with that id', schema: ProblemSchema },
      ...adminErrors,
    },
    handler: async ({ params, ctx, reply }) => {
      if (!(await ctx.keys.revoke(params.id)))
        throw new HttpProblem('not-found', `no active key with id "${params.id}"`);
      reply.code(204).send();
      return undefined;
    },
  });
}
