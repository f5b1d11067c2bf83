/**
 * route-matrix: the best time, cost and CO2e between every ordered pair of a set of locations
 * (default: all), each the minimum over that pair's Pareto set (priced as GET /api/v1/routes
 * prices) — the input of flow and accessibility studies.
 */
import { z } from 'zod';
import { InvalidRequestError, isCorridorError } from '../../../model/errors.js';
import { resolvePlace } from '../../../model/places.js';
import { ROUTE_FIELDS } from '../../../service/fields.js';
import { queryFields } from '../../query-fields.js';
import { defineJobKind } from '../kind.js';

const OPTION_FIELDS = ROUTE_FIELDS.filter(
  (f) => f !== 'from' && f !== 'to' && f !== 'preset' && f !== 'weights' && f !== 'maxOptions',
);
type Params = { locations?: string[] } & Partial<Record<(typeof OPTION_FIELDS)[number], string>>;

const first = (p: Params, service: { world: { dataset: { locations: readonly { id: string }[] } } }) => {
  const ids = p.locations ?? service.world.dataset.locations.map((l) => l.id);
  return { from: ids[0] ?? '', to: ids[1] ?? ids[0] ?? '' };
};

export const routeMatrix = defineJobKind({
  name: 'route-matrix',
  title: 'All-pairs route matrix',
  description:
    'For every ordered pair of `locations` (default: every location), the fastest duration, lowest cost and ' +
    'lowest CO2e among its Pareto-optimal options, under the same constraints and prices as GET /api/v1/routes.',
  params: z
    .object({
      locations: z
        .array(z.string().min(1).max(100))
        .min(2, 'at least two locations')
        .max(400, 'at most 400 locations')
        .optional(),
      ...queryFields(OPTION_FIELDS),
    })
    .strict() as z.ZodType<Params>,
  async check(params, service) {
    const { locations, ...opts } = params;
    const problems = [];
    for (const [i, p] of (locations ?? []).entries()) {
      try {
        resolvePlace(service.world.dataset.locations, p);
      } catch (e) {
        if (!isCorridorError(e)) throw e;
        problems.push({ field: `locations[${i}]`, message: e.message, value: p, code: e.code });
      }
    }
    if (problems.length) throw new InvalidRequestError(problems);
    // The options, checked once on the first pair: they are the same for every pair.
    await service.prepareRoute({ ...opts, ...first(params, service) });
  },
  async run(params, ctx) {
    const { locations, ...opts } = params;
    const ds = ctx.service.world.dataset;
    const ids = locations
      ? [...new Set(locations.map((p) => resolvePlace(ds.locations, p).id))]
      : ds.locations.map((l) => l.id);
    const total = ids.length * (ids.length - 1);
    const cells: {
      from: string;
      to: string;
      options: number;
      minDurationH: number;
      minCostUsd: number;
      minCo2eKg: number;
    }[] = [];
    let done = 0;
    let unreachable = 0;
    for (const from of ids) {
      for (const to of ids) {
        if (from === to) continue;
        ctx.progress(done++, total, `${from} → ${to}`);
        let options: { totals: { durationH: number; costUsd: number; co2eKg: number } }[];
        try {
          options = ctx.service.route(await ctx.service.prepareRoute({ ...opts, from, to }), {
            explain: false,
          }).options;
        } catch (e) {
          // An origin or destination inside an avoided country has no route under these constraints.
          if (isCorridorError(e) && e.code === 'invalid-argument') options = [];
          else throw e;
        }
        if (options.length === 0) {
          unreachable++;
          continue;
        }
        cells.push({
          from,
          to,
          options: options.length,
          minDurationH: Math.min(...options.map((o) => o.totals.durationH)),
          minCostUsd: Math.min(...options.map((o) => o.totals.costUsd)),
          minCo2eKg: Math.min(...options.map((o) => o.totals.co2eKg)),
        });
      }
    }
    ctx.progress(total, total, 'done');
    return { locations: ids, pairs: total, reachable: cells.length, unreachable, cells };
  },
});
