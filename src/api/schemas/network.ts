/** The network layer (GET /api/v1/network): GeoJSON of locations, passages and links. */
import { z } from 'zod';
import { LINK_STATUSES, LOCATION_KINDS, MODES, TRANSFER_KINDS } from '../../model/types.js';

const Position = z.tuple([z.number().describe('longitude'), z.number().describe('latitude')]);

const CitedSchema = z
  .looseObject({
    field: z.string().describe('The property the figure belongs to, e.g. `distanceKm`, `capacityPerYear`, `durationH`'),
    value: z.union([z.number(), z.looseObject({ min: z.number(), typical: z.number(), max: z.number() })]).optional(),
    unit: z.string(),
    source: z.string().optional().describe('Id in `sources`'),
    ref: z.string().optional().describe('Where in the source'),
    assumption: z.string().optional().describe('The reasoning, when no source states the figure'),
    basis: z.array(z.string()).optional().describe('Sources the assumption rests on'),
  })
  .describe('A figure with its provenance: a source or a labelled assumption');

const TransferSchema = z.looseObject({
  kind: z.enum(TRANSFER_KINDS),
  durationH: z
    .looseObject({ min: z.number(), typical: z.number(), max: z.number() })
    .describe('Dwell, hours; routes use `typical`'),
  costUsdPerTeu: z.number(),
  capacityPerDay: z.looseObject({ value: z.number(), unit: z.string() }).nullable(),
  notes: z.string().optional(),
  cited: z.array(CitedSchema),
});

const LocationFeature = z.looseObject({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.looseObject({ type: z.literal('Point'), coordinates: Position }),
  properties: z.looseObject({
    featureType: z.literal('location'),
    id: z.string(),
    name: z.string(),
    country: z.string(),
    kinds: z.array(z.enum(LOCATION_KINDS)),
    aliases: z.array(z.string()),
    locode: z.string().optional(),
    transfers: z
      .array(TransferSchema)
      .describe('Border, gauge-change and handling at this place, with dwell and capacity'),
    notes: z.string().optional(),
    cited: z.array(CitedSchema),
    sources: z.array(z.string()),
  }),
});

const PassageFeature = z.looseObject({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.looseObject({ type: z.literal('Point'), coordinates: Position }),
  properties: z.looseObject({
    featureType: z.literal('passage'),
    id: z.string(),
    name: z.string(),
    countries: z.array(z.string()),
    riskScore: z.number().nullable(),
    cited: z.array(CitedSchema),
    sources: z.array(z.string()),
  }),
});

const LinkFeature = z.looseObject({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.looseObject({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) }),
  properties: z.looseObject({
    featureType: z.literal('link'),
    id: z.string(),
    from: z.string(),
    to: z.string(),
    fromName: z.string(),
    toName: z.string(),
    mode: z.enum(MODES),
    gaugeMm: z.number().optional(),
    traction: z.string().optional(),
    status: z.enum(LINK_STATUSES),
    enabled: z.boolean().describe('Usable in the requested scenario (operational, or switched on by it)'),
    scenarios: z.array(z.string()).describe('Scenarios that switch this link on'),
    corridor: z.string(),
    operator: z.string(),
    distanceKm: z.number(),
    durationH: z.number().describe('Running time, hours (given, or distance ÷ speed)'),
    capacityPerYear: z
      .looseObject({ value: z.number(), unit: z.string() })
      .nullable()
      .describe('Per direction; null where the data gives none'),
    countries: z.array(z.string()),
    passages: z.array(z.string()),
    bidirectional: z.boolean(),
    cargoRestrictions: z.array(z.string()),
    notes: z.string().optional(),
    cited: z.array(CitedSchema),
    sources: z.array(z.string()),
  }),
});

export const NetworkSchema = z
  .looseObject({
    type: z.literal('FeatureCollection'),
    scenario: z.string().nullable(),
    bbox: z.array(z.number()).describe('[west, south, east, north] of the locations'),
    features: z.array(z.union([LinkFeature, PassageFeature, LocationFeature])),
    sources: z
      .record(
        z.string(),
        z.looseObject({
          title: z.string(),
          publisher: z.string(),
          url: z.string().optional(),
          date: z.string(),
          grade: z.enum(['P', 'S', 'C', 'A']),
        }),
      )
      .describe('Every source the features cite, by id'),
  })
  .describe(
    'GeoJSON FeatureCollection (RFC 7946): links (LineString, schematic: straight through their sea ' +
      'passages), sea passages and locations (Point)',
  );
