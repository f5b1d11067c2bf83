/** GET /api/v1/locations?q= — search by name, alias or code, best match first. */
import { z } from 'zod';
import { closestPlaces, searchPlaces } from '../../model/places.js';
import { LOCATION_KINDS, type Location } from '../../model/types.js';
import type { PlaceSearchHit } from '../../service/places.js';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { LIMITS } from '../guards/limits.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';
import { ProblemSchema } from '../schemas/common.js';
import { nth } from '../../model/invariant.js';

export const LocationSchema = z.looseObject({
  id: z.string().describe('UN/LOCODE, or a project code CC-NAME where the place has none'),
  name: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
  kind: z.enum(LOCATION_KINDS).describe('The first (main) kind'),
  kinds: z.array(z.enum(LOCATION_KINDS)),
  aliases: z.array(z.string()),
  coordinates: z.looseObject({ lat: z.number(), lon: z.number() }),
  locode: z
    .looseObject({ code: z.string(), approximate: z.boolean() })
    .optional()
    .describe('UN/LOCODE; approximate = the nearest coded place'),
  match: z
    .looseObject({ rank: z.number(), matched: z.string() })
    .optional()
    .describe(
      'How the query matched. Network: 0 id, 1 LOCODE, 2 name, 3 alias, 4 prefix, ≥5 fuzzy; gazetteer: a score ' +
        '(higher is better) and `kind` name, alternate, prefix or similar',
    ),
  source: z
    .enum(['network', 'gazetteer'])
    .optional()
    .describe('network: a terminal of the dataset; gazetteer: a world place (GeoNames), joined door to door by truck'),
  population: z.number().optional().describe('Gazetteer places: inhabitants (GeoNames)'),
  label: z.string().optional().describe('Gazetteer places: "Paris, FR (2.1 M)"'),
});

export function gazetteerJson(hit: Extract<PlaceSearchHit, { source: 'gazetteer' }>) {
  const p = hit.place;
  return {
    id: p.id,
    name: p.name,
    country: p.country,
    kind: 'city' as const,
    kinds: ['city' as const],
    aliases: [],
    coordinates: { lat: p.lat, lon: p.lon },
    match: hit.match,
    source: 'gazetteer' as const,
    population: p.population,
    label: hit.label,
  };
}

export function locationJson(l: Location, match?: { rank: number; matched: string }) {
  return {
    id: l.id,
    name: l.name,
    country: l.country,
    kind: nth(l.kinds, 0),
    kinds: l.kinds,
    aliases: l.aliases,
    coordinates: { lat: l.coordinates.lat, lon: l.coordinates.lon },
    ...(l.locode ? { locode: { code: l.locode.code, approximate: l.locode.approximate === true } } : {}),
    ...(match ? { match: { rank: Math.round(match.rank * 100) / 100, matched: match.matched } } : {}),
  };
}

export function registerLocations(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/locations',
    operationId: 'searchLocations',
    summary: 'Search terminals and world places by name, alias or code',
    description:
      "With `q`: the network's terminals that match, then places of the world gazetteer (GeoNames; cities of " +
      '1,000+ inhabitants) by similarity and size — any of them can be an origin or destination, joined door to ' +
      'door by truck. Without `q`, lists every location of the network (filtered by `country` and `kind`) by name.',
    tags: ['locations'],
    access: 'read',
    query: z
      .object({
        q: z
          .string()
          .max(100, 'at most 100 characters')
          .optional()
          .describe("Name, alias or code, e.g. `xian`, `Aqtau`, `DEDUI`; accents and case don't matter"),
        country: z
          .string()
          .regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 code')
          .optional()
          .describe('Only locations in this country'),
        kind: z.enum(LOCATION_KINDS).optional().describe('Only locations of this kind'),
        ...pageQuery,
        limit: pageQuery.limit.describe(
          `At most this many, 1–${LIMITS.pageMax} (default 20 with q, ${LIMITS.pageDefault} a page without)`,
        ),
        cursor: pageQuery.cursor.describe('Without q: `nextCursor` of the previous page'),
      })
      .strict(),
    responses: {
      200: {
        description: 'Matches, best first; without q, a page of the network by name',
        schema: z.object({ locations: z.array(LocationSchema), ...pageOut }),
      },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
    },
    handler: ({ query, ctx, reply }) => {
      const req = pageRequest({ ...query, limit: query.limit ?? (query.q?.trim() ? '20' : undefined) });
      const country = query.country?.toUpperCase();
      const keep = (l: Location) =>
        (country === undefined || l.country === country) && (query.kind === undefined || l.kinds.includes(query.kind));
      const locations = ctx.dataset.locations.filter(keep);
      if (query.q !== undefined && query.q.trim() !== '') {
        // A search is ranked, not a list: the best `limit` matches, no further pages.
        if (req.after !== undefined)
          throw invalid('query', [{ field: 'query.cursor', message: 'pages the listing without q, not a search' }]);
        const limit = req.limit;
        if (query.kind !== undefined && query.kind !== 'city')
          return {
            locations: searchPlaces(locations, query.q, limit).map((m) => locationJson(m.location, m)),
            nextCursor: null,
          };
        const hits = ctx.service.searchPlaces(query.q, { limit, ...(country ? { country } : {}) });
        return {
          locations: hits
            .filter((h) => h.source === 'gazetteer' || keep(h.location))
            .map((h) =>
              h.source === 'network' ? { ...locationJson(h.location, h.match), source: 'network' } : gazetteerJson(h),
            ),
          nextCursor: null,
        };
      }
      const all = [...locations].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
      // The cursor is the id of the last location served; the dataset is in memory, so its position is found.
      const start = req.after === undefined ? 0 : all.findIndex((l) => l.id === req.after) + 1;
      if (start === 0 && req.after !== undefined)
        throw invalid('query', [{ field: 'query.cursor', message: 'not a cursor from a previous page' }]);
      const { page, nextCursor } = pageOf(all.slice(start, start + req.limit + 1), req, (l) => l.id, reply);
      return { locations: page.map((l) => locationJson(l)), nextCursor };
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/locations/:id',
    operationId: 'getLocation',
    summary: 'One location by id',
    tags: ['locations'],
    access: 'read',
    params: z.object({ id: z.string().min(1).max(40) }),
    responses: {
      200: { description: 'The location', schema: LocationSchema },
      404: { description: 'Unknown id, with the closest matches', schema: ProblemSchema },
    },
    handler: ({ params, ctx }) => {
      const l = ctx.dataset.locations.find((x) => x.id === params.id);
      if (!l) {
        const close = closestPlaces(ctx.dataset.locations, params.id);
        throw new HttpProblem(
          'not-found',
          `no location has id "${params.id}"; closest: ${close.map((c) => `${c.name} (${c.id})`).join(', ')}`,
          {
            candidates: close.map((c) => c.id),
          },
        );
      }
      return locationJson(l);
    },
  });
}
