/** GET /api/v1/network — the map layer: locations, passages and links as GeoJSON, with provenance. */
import { z } from 'zod';
import type { Dataset } from '../../model/types.js';
import { resolveScenario } from '../context.js';
import type { RouteTable } from '../define-route.js';
import { networkGeoJson } from '../network-geojson.js';
import { ProblemSchema } from '../schemas/common.js';
import { NetworkSchema } from '../schemas/network.js';
import { getOrCreate } from '../../model/memo.js';

/** Serialized answers per dataset and scenario (the dataset is immutable while the server runs). */
const cache = new WeakMap<Dataset, Map<string, string>>();

export function registerNetwork(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/network',
    operationId: 'getNetwork',
    summary: 'The corridor network as GeoJSON, for maps',
    description:
      'Locations (with their border, gauge-change and handling transfers: dwell, cost, capacity), sea ' +
      'passages and links (mode, gauge, status, capacity, running time) ' +
      ('with the provenance of every figure and the sources cited. With `scenario`, `enabled` says which ' +
        'planned links that scenario switches on. ') +
      'Link geometry is schematic: straight from origin through its sea passages to destination.',
    tags: ['network'],
    access: 'read',
    query: z
      .object({
        scenario: z
          .string()
          .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a scenario name: lower-case words joined by hyphens')
          .max(64)
          .optional()
          .describe('Scenario name (dataset or stored); default: the base network'),
      })
      .strict(),
    responses: {
      200: { description: 'GeoJSON FeatureCollection', schema: NetworkSchema, contentType: 'application/geo+json' },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
      404: { description: 'Unknown scenario', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, reply }) => {
      const scenario = query.scenario !== undefined ? await resolveScenario(ctx, query.scenario) : undefined;
      const perDataset = getOrCreate(cache, ctx.dataset, () => new Map());
      const key = scenario ? `${scenario.name}@${scenario.version}` : '';
      let json = perDataset.get(key);
      if (json === undefined) {
        json = JSON.stringify(networkGeoJson(ctx.dataset, scenario?.name));
        if (perDataset.size > 64) perDataset.clear();
        perDataset.set(key, json);
      }
      reply.type('application/geo+json; charset=utf-8').send(json);
      return undefined;
    },
  });
}
