/**
 * The data-file schemas: the one place where the shape of the human-edited files is defined.
 * docs/formats/ is generated from these (npm run docs:formats); the loader validates with them.
 */
import { z } from 'zod';
import {
  CAPACITY_UNITS,
  CARGO_RESTRICTIONS,
  LINK_STATUSES,
  LOCATION_KINDS,
  MODES,
  TRACTIONS,
  TRANSFER_KINDS,
} from '../model/types.js';
import { isCountryCode } from '../model/countries.js';

const MIN_ASSUMPTION_CHARS = 20;

export const provenanceFields = {
  source: z.string().min(1).optional().describe('Id of a source in sources.yaml'),
  ref: z.string().optional().describe('Page, table, row or record within the source'),
  assumption: z
    .string()
    .min(MIN_ASSUMPTION_CHARS, `an assumption must give its reasoning (at least ${MIN_ASSUMPTION_CHARS} characters)`)
    .optional()
    .describe('Reasoning for a number no source states directly'),
  basis: z.array(z.string()).optional().describe('Source ids the assumption builds on'),
  calibrated: z
    .object({
      prior: z.number().refine(Number.isFinite, 'must be a finite number').describe('The value before the fit'),
      observations: z
        .array(z.string().min(1))
        .min(1, 'name the observations the value was fitted to')
        .describe('Ids of the observations (data/observations/) the value was fitted to'),
      method: z.string().optional().describe('How it was fitted'),
    })
    .strict()
    .optional()
    .describe('The value was fitted to observations (`corridor calibrate --fit --write`); only on an assumption'),
  note: z.string().optional(),
};

export function exactlyOneProvenance(
  v: { source?: string | undefined; assumption?: string | undefined; calibrated?: unknown },
  ctx: z.RefinementCtx,
) {
  if (v.source !== undefined && v.calibrated !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['calibrated'],
      message:
        'a sourced figure is not fitted: drop `calibrated`, or replace `source` by the assumption it was fitted on',
    });
  }
  if (v.source === undefined && v.assumption === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'no provenance: give `source: <id from sources.yaml>` or `assumption: <reasoning>`',
    });
  } else if (v.source !== undefined && v.assumption !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'give either `source` or `assumption`, not both (put the other in `note`)',
    });
  }
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const QuantitySchema = z
  .object({ value: finite, ...provenanceFields })
  .strict()
  .superRefine(exactlyOneProvenance)
  .describe('A number with its provenance: `{value, source, ref?}` or `{value, assumption}`');

const positiveQuantity = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const nonNegativeQuantity = QuantitySchema.refine((q) => q.value >= 0, {
  message: 'value must be ≥ 0',
  path: ['value'],
});

export const DistributionSchema = z
  .object({ min: finite, typical: finite, max: finite, ...provenanceFields })
  .strict()
  .superRefine(exactlyOneProvenance)
  .superRefine((d, ctx) => {
    if (d.min < 0) ctx.addIssue({ code: 'custom', path: ['min'], message: 'min must be ≥ 0' });
    if (!(d.min <= d.typical && d.typical <= d.max)) {
      ctx.addIssue({ code: 'custom', message: `need min ≤ typical ≤ max, got ${d.min} / ${d.typical} / ${d.max}` });
    }
  })
  .describe('A min / typical / max triple in hours, with one provenance');

export const CountrySchema = z
  .string()
  .refine(isCountryCode, { message: 'not an ISO 3166-1 alpha-2 code (e.g. KZ, AZ, GE, TR)' });

/** UN/LOCODE (country + 3 of A–Z, 2–9) or a project code CC-NAME. */
export const LOCATION_ID_PATTERN = /^(?:[A-Z]{2}[A-Z2-9]{3}|[A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)*)$/;
export const LocationIdSchema = z
  .string()
  .regex(LOCATION_ID_PATTERN, 'a location id is a UN/LOCODE such as DEDUI or a project code such as KZ-ALTYNKOL');

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slug = (what: string) =>
  z.string().regex(SLUG, `${what} is lower-case words joined by hyphens, e.g. xian-khorgos`);

const CoordinatesSchema = z
  .object({ lat: finite.min(-90).max(90), lon: finite.min(-180).max(180), ...provenanceFields })
  .strict()
  .superRefine(exactlyOneProvenance);

export const SourceSchema = z
  .object({
    id: slug('a source id'),
    title: z.string().min(1),
    publisher: z.string().min(1).describe('Outlet, and the original speaker where the outlet quotes one'),
    url: z.url().optional(),
    date: z
      .string({ error: 'date is a string YYYY, YYYY-MM or YYYY-MM-DD (quote a bare year: "2024")' })
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date is YYYY, YYYY-MM or YYYY-MM-DD'),
    grade: z
      .enum(['P', 'S', 'C', 'A'])
      .describe('P primary, S secondary quoting an official, C commercial, A anecdotal'),
    via: z
      .string()
      .optional()
      .describe('Where the figure is recorded in the shared fact sheets, e.g. corridor-facts §1.2'),
  })
  .strict();

export const LocationSchema = z
  .object({
    id: LocationIdSchema,
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]).describe('Other spellings and names that resolve to this place'),
    country: CountrySchema.describe('ISO 3166-1 alpha-2'),
    kinds: z.array(z.enum(LOCATION_KINDS)).min(1),
    coordinates: CoordinatesSchema.describe('WGS84 decimal degrees, with provenance'),
    locode: z
      .object({
        code: z.string().regex(/^[A-Z]{2}[A-Z2-9]{3}$/, 'a UN/LOCODE is 2 letters + 3 of A–Z/2–9'),
        approximate: z.boolean().optional(),
        status: z.string().optional(),
        version: z.string().optional(),
      })
      .strict()
      .optional()
      .describe('The UN/LOCODE entry, for project-coded places the nearest one with approximate: true'),
    notes: z.string().optional(),
  })
  .strict();

export const LinkSchema = z
  .object({
    id: slug('a link id'),
    from: LocationIdSchema,
    to: LocationIdSchema,
    mode: z.enum(MODES),
    gaugeMm: z
      .union([z.literal(1435), z.literal(1520)])
      .optional()
      .describe('Rail only: track gauge in mm'),
    traction: z.enum(TRACTIONS).optional().describe('Rail only: energy carrier, selects the emission factor'),
    distanceKm: positiveQuantity.describe('Along the alignment or sailing route, not great-circle'),
    durationH: positiveQuantity.optional().describe('Nominal running or sailing time, stops en route included'),
    speedKmh: positiveQuantity.optional().describe('Average speed; duration = distance / speed'),
    capacityPerYear: z
      .object({ value: finite, unit: z.enum(CAPACITY_UNITS), ...provenanceFields })
      .strict()
      .superRefine(exactlyOneProvenance)
      .optional()
      .describe('Per direction, in TEU, tonnes or trains per year'),
    operator: z.string().min(1),
    countries: z.array(CountrySchema).min(1).describe('Every country touched, in travel order from `from` to `to`'),
    passages: z.array(slug('a passage id')).default([]).describe('Ids from passages.yaml'),
    status: z.enum(LINK_STATUSES),
    scenarios: z.array(slug('a scenario name')).default([]).describe('Scenarios that switch a non-operational link on'),
    corridor: slug('a corridor tag').describe('Route family used to name options: middle, northern, sea, …'),
    costUsdPerTeu: nonNegativeQuantity.optional().describe("Flat charge replacing the mode's per-km rate"),
    cargoRestrictions: z.array(z.enum(CARGO_RESTRICTIONS)).default([]),
    riskScore: nonNegativeQuantity
      .optional()
      .describe(
        'Additive disruption-risk score per traversal (0 none, 1 = one expected serious disruption); ' +
          'optional routing criterion',
      ),
    bidirectional: z.boolean().default(true).describe('Usable in both directions with the same figures'),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((l, ctx) => {
    if ((l.durationH === undefined) === (l.speedKmh === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of `durationH` and `speedKmh`' });
    }
    if (l.mode === 'rail' && l.gaugeMm === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['gaugeMm'],
        message: 'a rail link needs `gaugeMm: 1435` or `gaugeMm: 1520`',
      });
    }
    if (l.mode !== 'rail' && (l.gaugeMm !== undefined || l.traction !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `\`gaugeMm\` and \`traction\` apply to rail only, not ${l.mode}` });
    }
    if (l.mode === 'rail' && l.traction === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['traction'],
        message: 'a rail link needs `traction: electric` or `traction: diesel`',
      });
    }
    if (l.from === l.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a link cannot start and end at the same place' });
  });

export const TransferSchema = z
  .object({
    location: LocationIdSchema,
    kind: z.enum(TRANSFER_KINDS),
    durationH: DistributionSchema.describe('Dwell in hours; routes use `typical`'),
    costUsdPerTeu: nonNegativeQuantity,
    capacityPerDay: z
      .object({ value: finite, unit: z.enum(['trains', 'TEU', 'wagons']), ...provenanceFields })
      .strict()
      .superRefine(exactlyOneProvenance)
      .optional(),
    notes: z.string().optional(),
  })
  .strict();

export const PassageSchema = z
  .object({
    id: slug('a passage id'),
    name: z.string().min(1),
    countries: z.array(CountrySchema).min(1),
    coordinates: CoordinatesSchema,
    riskScore: nonNegativeQuantity.optional().describe('Added to the risk score of every link through the passage'),
  })
  .strict();

export const RatesSchema = z
  .object({
    cargo: z.object({ teu: positiveQuantity, grossTonnes: positiveQuantity }).strict(),
    modes: z.array(z.object({ mode: z.enum(MODES), costUsdPerTeuKm: nonNegativeQuantity }).strict()),
    emissionFactors: z.array(
      z
        .object({ mode: z.enum(MODES), traction: z.enum(TRACTIONS).optional(), wtwGCo2ePerTkm: nonNegativeQuantity })
        .strict(),
    ),
  })
  .strict();

export const CorridorSchema = z
  .object({
    id: slug('a corridor id'),
    name: z.string().min(1).describe('Display name, e.g. "Middle Corridor"'),
    role: z
      .enum(['route', 'access'])
      .describe('route: a through route a shipper chooses; access: a feeder or shared domestic section'),
    description: z.string().optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: slug('a scenario name'),
    title: z.string().min(1),
    description: z.string().min(1),
  })
  .strict();

/** One schema per data file; the key is the file name under the dataset directory. */
export const FILE_SCHEMAS = {
  'sources.yaml': z.object({ sources: z.array(SourceSchema) }).strict(),
  'locations.yaml': z.object({ locations: z.array(LocationSchema) }).strict(),
  'links.yaml': z.object({ links: z.array(LinkSchema) }).strict(),
  'transfers.yaml': z.object({ transfers: z.array(TransferSchema) }).strict(),
  'passages.yaml': z.object({ passages: z.array(PassageSchema) }).strict(),
  'corridors.yaml': z.object({ corridors: z.array(CorridorSchema) }).strict(),
  'rates.yaml': RatesSchema,
} as const;

export type DataFileName = keyof typeof FILE_SCHEMAS;
