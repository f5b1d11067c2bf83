/**
 * route-matrix: the best time, cost and CO2e between every ordered pair of a set of locations
 * (default: all), each the minimum over that pair's Pareto set — the input of flow and
 * accessibility studies.
 */
import { z } from 'zod';
import { isCorridorError } from '../../../model/errors.js';
import { resolvePlace } from '../../../model/places.js';
import { findRoutes, type RouteOption } from '../../../routing/route.js';
import { ROUTE_OPTION_FIELDS, toRouteQuery } from '../../route-query.js';
import { invalid, type FieldError } from '../../problem.js';
import { defineJobKind } from '../kind.js';

const { preset: _p, weights: _w, maxOptions: _m, ...OPTIONS } = ROUTE_OPTION_FIELDS;

export const routeMatrix = defineJobKind({
  name: 'route-matrix',
  title: 'All-pairs route matrix',
  description:
    'For every ordered pair of `locations` (default: every location), the fastest duration, lowest cost and lowest CO2e among its Pareto-optimal options, under the same constraints as GET /api/v1/routes.',
  params: z
    .object({
      locations: z
        .array(z.string().min(1).max(100))
        .min(2, 'at least two locations')
        .max(400, 'at most 400 locations')
        .optional(),
      ...OPTIONS,
    })
    .strict(),
  check(params, dataset) {
    const errors: FieldError[] = [];
    (params.locations ?? []).forEach((p, i) => {
      try {
        resolvePlace(dataset.locations, p);
      } catch (e) {
        if (!isCorridorError(e)) throw e;
        errors.push({ field: `body.params.locations[${i}]`, message: e.message, value: p });
      }
    });
    if (params.scenario !== undefined && !dataset.scenarios.some((s) => s.name === params.scenario)) {
      errors.push({
        field: 'body.params.scenario',
        message: `unknown dataset scenario; valid: ${dataset.scenarios.map((s) => s.name).join(', ') || '(none)'}`,
        value: params.scenario,
      });
    }
    try {
      const first = dataset.locations[0]?.id ?? 'X';
      toRouteQuery({ ...params, from: first, to: first }, dataset, 'body', 'params.');
    } catch (e) {
      const fe = (e as { extra?: { errors?: FieldError[] } }).extra?.errors;
      if (!fe) throw e;
      errors.push(...fe);
    }
    if (errors.length) throw invalid('body', errors);
  },
  run(params, ctx) {
    const ids = params.locations
      ? [...new Set(params.locations.map((p) => resolvePlace(ctx.dataset.locations, p).id))]
      : ctx.dataset.locations.map((l) => l.id);
    const net = ctx.network(params.scenario);
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
        let options: RouteOption[];
        try {
          options = findRoutes(net, { ...toRouteQuery({ ...params, from, to }, ctx.dataset), explain: false }).options;
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
