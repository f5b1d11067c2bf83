/** GET /api/v1/demand — the demand sets an assignment job can take (data/demand/*.yaml). */
import { z } from 'zod';
import type { RouteTable } from '../define-route.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';
import { ProblemSchema } from '../schemas/common.js';

export function registerDemand(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/demand',
    operationId: 'listDemandSets',
    summary: 'Demand sets (origin–destination matrices) for assignment jobs',
    description:
      'Name, title, description and year of each demand set in the dataset, with its number of ' +
      'origin–destination flows; the `demand` parameter of the `assignment` job kind takes the name.',
    tags: ['assignments'],
    access: 'read',
    query: z.object(pageQuery).strict(),
    responses: {
      200: {
        description: 'Demand sets, by name',
        schema: z.object({
          demand: z.array(
            z.looseObject({
              name: z.string(),
              title: z.string(),
              description: z.string(),
              year: z.string().nullable(),
              flows: z.number().int().describe('Origin–destination flows in the set'),
            }),
          ),
          ...pageOut,
        }),
      },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
    },
    handler: ({ ctx, query, reply }) => {
      const req = pageRequest(query);
      const sets = [...(ctx.dataset.demand ?? [])]
        .filter((d) => req.after === undefined || d.name > req.after)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, req.limit + 1);
      const { page, nextCursor } = pageOf(sets, req, (d) => d.name, reply);
      return {
        demand: page.map((d) => ({
          name: d.name,
          title: d.title,
          description: d.description,
          year: d.year ?? null,
          flows: d.flows.length,
        })),
        nextCursor,
      };
    },
  });
}
