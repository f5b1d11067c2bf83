/**
 * Schemas of the pricing files: dated tariff sets (tariffs/<id>.yaml), the FX table (fx.yaml),
 * ISO 6346 container types (container-types.yaml) and ISO 14083 emission factors
 * (emission-factors.yaml). docs/formats/ is generated from these as well.
 */
import { z } from 'zod';
import { GAUGES, MODES, TRACTIONS } from '../model/types.js';
import {
  CHARGE_UNITS,
  CHARGE_CATEGORIES,
  CONTAINER_SIZES,
  ENERGY_CARRIERS,
  STOP_EVENTS,
} from '../model/pricing-types.js';
import { CountrySchema, LocationIdSchema, QuantitySchema } from './schema.js';

const positive = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const nonNegative = QuantitySchema.refine((q) => q.value >= 0, { message: 'value must be ≥ 0', path: ['value'] });
const percent = QuantitySchema.refine((q) => q.value >= 0 && q.value <= 100, {
  message: 'a percentage is between 0 and 100',
  path: ['value'],
});

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slug = (what: string) =>
  z.string().regex(SLUG, `${what} is lower-case words joined by hyphens, e.g. ktz-transit-2024`);
const isoDate = z
  .string({ error: 'a date is a quoted string YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );
/** ISO 4217 alphabetic code. */
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'a currency is an ISO 4217 code such as USD, EUR, CNY, KZT');
/** ISO 6346 size-type code: size (2) + type (2), e.g. 22G1, 42G1, 45G1, L5G1, 45R1. */
export const SIZE_TYPE_PATTERN = /^[1-9A-Z][0-9A-Z][A-Z][0-9]$/;

const bySize = z
  .object(
    Object.fromEntries(CONTAINER_SIZES.map((s) => [s, positive.optional()])) as Record<
      (typeof CONTAINER_SIZES)[number],
      z.ZodOptional<typeof positive>
    >,
  )
  .strict()
  .describe('Explicit amounts per container size, replacing the size factors');

const condition = z
  .object({
    dangerousGoods: z.boolean().optional(),
    reefer: z.boolean().optional(),
    highCube: z.boolean().optional(),
    sizes: z.array(z.enum(CONTAINER_SIZES)).min(1).optional(),
    minCargoTonnesPerContainer: positive
      .optional()
      .describe('Overweight conditions: cargo per container at or above this, with provenance'),
  })
  .strict()
  .describe('The charge applies to a container group only when every condition holds');

const legSelector = {
  links: z.array(slug('a link id')).min(1).optional().describe('Link ids from links.yaml'),
  modes: z.array(z.enum(MODES)).min(1).optional(),
  countries: z.array(CountrySchema).min(1).optional().describe('Every country the link touches must be listed'),
  corridors: z.array(slug('a corridor tag')).min(1).optional(),
  gauges: z
    .array(z.union([z.literal(GAUGES[0]), z.literal(GAUGES[1])]))
    .min(1)
    .optional(),
  tractions: z.array(z.enum(TRACTIONS)).min(1).optional(),
  from: z
    .array(LocationIdSchema)
    .min(1)
    .optional()
    .describe('Direction: the leg is entered from one of these locations (head-haul and backhaul priced apart)'),
};

const chargeFields = {
  id: slug('a charge id'),
  description: z.string().min(1).describe('What the line says on the quote'),
  category: z.enum(CHARGE_CATEGORIES),
  per: z
    .enum(CHARGE_UNITS)
    .describe('What the amount is per: container, container-km, teu, teu-km, tonne-km, wagon, wagon-km, shipment'),
  currency: CurrencySchema,
  amount: nonNegative.describe('Per container (-km): the amount for one 40-foot container'),
  bySize: bySize.optional(),
  teuPerWagon: positive.optional().describe('Per wagon (-km): the TEU one wagon carries'),
  discountPct: percent.optional().describe('A published discount, shown as its own line'),
  discountNote: z.string().optional(),
  when: condition.optional(),
  operator: z.string().optional(),
  notes: z.string().optional(),
};

function checkCharge(c: { per: string; teuPerWagon?: unknown; bySize?: unknown }, ctx: z.RefinementCtx) {
  if (c.per.startsWith('wagon') && c.teuPerWagon === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['teuPerWagon'],
      message: `per ${c.per} needs \`teuPerWagon\` (how many TEU one wagon carries)`,
    });
  }
  if (c.bySize !== undefined && !c.per.startsWith('container')) {
    ctx.addIssue({
      code: 'custom',
      path: ['bySize'],
      message: `\`bySize\` applies to per container (-km) charges only, not per ${c.per}`,
    });
  }
}

export const LegChargeSchema = z
  .object({
    ...chargeFields,
    amount: nonNegative
      .optional()
      .describe('Per container (-km): the amount for one 40-foot container; omit with `index`'),
    index: z
      .object({ series: slug('an index series id').describe('An id from indices/*.yaml') })
      .strict()
      .optional()
      .describe('The amount follows a dated freight-rate index: the point of the quote date (step rule)'),
    on: z
      .object(legSelector)
      .strict()
      .describe('Which legs: every given criterion must match; an empty selector matches every leg'),
  })
  .strict()
  .superRefine(checkCharge)
  .superRefine((c, ctx) => {
    if ((c.amount === undefined) === (c.index === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'a leg charge gives either `amount` or `index` (a dated freight-rate series), exactly one',
      });
    }
  });

const indexPoint = z
  .object({
    date: isoDate,
    value: z.number().positive(),
    source: slug('a source id').describe('The publication of this point (sources/*.yaml)'),
    ref: z.string().optional(),
  })
  .strict();

export const FreightIndexSchema = z
  .object({
    id: slug('an index series id'),
    title: z.string().min(1),
    publisher: z.string().min(1),
    currency: CurrencySchema,
    per: z.literal('container').describe('Each point is the rate for one 40-foot container'),
    points: z.array(indexPoint).min(1),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.points.forEach((p, i) => {
      const prev = s.points[i - 1];
      if (prev && prev.date >= p.date)
        ctx.addIssue({
          code: 'custom',
          path: ['points', i, 'date'],
          message: `points are in date order, one per date: ${p.date} follows ${prev.date}`,
        });
    });
  })
  .describe('A published, dated freight-rate series for one lane and direction (indices/<file>.yaml)');

export const StopChargeSchema = z
  .object({
    ...chargeFields,
    at: z
      .object({
        events: z
          .array(z.enum(STOP_EVENTS))
          .min(1)
          .describe('origin, destination, handling (change of mode), gauge-change, border'),
        locations: z.array(LocationIdSchema).min(1).optional(),
        countries: z.array(CountrySchema).min(1).optional(),
        modes: z
          .array(z.enum(MODES))
          .min(1)
          .optional()
          .describe('handling: either side; origin/destination: the first/last leg'),
      })
      .strict(),
  })
  .strict()
  .superRefine(checkCharge);

export const ThroughRateSchema = z
  .object({
    id: slug('a through-rate id'),
    description: z.string().min(1),
    operator: z.string().optional(),
    links: z.array(slug('a link id')).min(1).describe('The chain in travel order; consecutive links share a location'),
    bidirectional: z.boolean().default(true),
    per: z.enum(['container', 'teu']),
    currency: CurrencySchema,
    amount: positive.describe('For the whole chain; a path using part of it pays the distance share'),
    bySize: bySize.optional(),
    replaces: z
      .array(z.enum(CHARGE_CATEGORIES))
      .default([
        'line-haul',
        'sea-freight',
        'ferry-freight',
        'platform',
        'port-dues',
        'gauge-change',
        'border',
        'customs',
        'terminal-handling',
        'other',
      ])
      .describe('Leg-charge categories it replaces on its links'),
    notes: z.string().optional(),
  })
  .strict();

export const TariffSetSchema = z
  .object({
    id: slug('a tariff set id'),
    title: z.string().min(1),
    validFrom: isoDate,
    validTo: isoDate.optional(),
    description: z.string().optional(),
    extends: slug('a tariff set id')
      .optional()
      .describe(
        'An earlier set this one builds on: its charges, through-rates and size factors apply unless this ' +
          'set lists one of the same id (which replaces it) or names it in `removes`',
      ),
    removes: z.array(slug('a charge id')).min(1).optional().describe('Ids of inherited charges that no longer apply'),
    sizeFactors: z
      .object({ '20': positive, '45': positive })
      .strict()
      .optional()
      .describe('Multipliers on the 40-foot amount of per-container charges that have no `bySize` (inherited)'),
    legCharges: z.array(LegChargeSchema).default([]),
    stopCharges: z.array(StopChargeSchema).default([]),
    throughRates: z.array(ThroughRateSchema).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.sizeFactors === undefined && s.extends === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['sizeFactors'],
        message: 'a tariff set gives `sizeFactors` unless it `extends` a set that does',
      });
    if (s.removes !== undefined && s.extends === undefined)
      ctx.addIssue({ code: 'custom', path: ['removes'], message: '`removes` needs `extends` (nothing is inherited)' });
    if (s.validTo !== undefined && s.validTo < s.validFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo ${s.validTo} is before validFrom ${s.validFrom}`,
      });
  });

export const FxSnapshotSchema = z
  .object({
    date: isoDate,
    base: CurrencySchema,
    rates: z.record(CurrencySchema, positive).describe('Units of each currency per one unit of `base`'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.base !== 'USD' && !('USD' in s.rates)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rates'],
        message: `a snapshot with base ${s.base} must also give USD, so its rates convert to dollars`,
      });
    }
  });

export const ContainerTypeSchema = z
  .object({
    code: z
      .string()
      .regex(SIZE_TYPE_PATTERN, 'an ISO 6346 size-type code is 4 characters, e.g. 22G1, 42G1, 45G1, L5G1'),
    description: z.string().min(1),
    size: z.enum(CONTAINER_SIZES),
    highCube: z.boolean().default(false),
    reefer: z.boolean().default(false),
    aliases: z.array(z.string().min(1)).default([]).describe('Shorthands users type: 40, 40HC, 20RF'),
    teu: positive,
    tareTonnes: positive,
    maxGrossTonnes: positive,
    defaultCargoTonnes: positive.describe('Cargo per container when the user gives no --weight'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.tareTonnes.value + c.defaultCargoTonnes.value > c.maxGrossTonnes.value) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultCargoTonnes'],
        message:
          `tare + default cargo (${c.tareTonnes.value + c.defaultCargoTonnes.value} t) exceeds the max gross ` +
          `${c.maxGrossTonnes.value} t`,
      });
    }
  });

export const EmissionFactorSchema = z
  .object({
    id: slug('a factor id'),
    description: z.string().min(1),
    vehicle: z.string().min(1),
    energyCarrier: z.enum(ENERGY_CARRIERS),
    on: z
      .object({
        ...legSelector,
        minDistanceKm: z.number().nonnegative().optional(),
        maxDistanceKm: z.number().positive().optional(),
      })
      .strict()
      .describe('Which legs the factor applies to; the most specific match wins'),
    ttwGCo2ePerTkm: nonNegative.optional(),
    wtwGCo2ePerTkm: positive.optional(),
    ttwGCo2ePerTeuKm: nonNegative.optional(),
    wtwGCo2ePerTeuKm: positive.optional(),
    tonnesPerTeu: positive.optional().describe('Gross tonnes per TEU used to turn a TEU-km factor into a tonne-km one'),
    kwhPerTkm: positive.optional().describe('Electric traction: energy per tonne-km, times the grid factor'),
  })
  .strict()
  .superRefine((f, ctx) => {
    const tkm = f.ttwGCo2ePerTkm !== undefined || f.wtwGCo2ePerTkm !== undefined;
    const teu = f.ttwGCo2ePerTeuKm !== undefined || f.wtwGCo2ePerTeuKm !== undefined || f.tonnesPerTeu !== undefined;
    const kwh = f.kwhPerTkm !== undefined;
    if ([tkm, teu, kwh].filter(Boolean).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one shape: ttw/wtwGCo2ePerTkm, or ttw/wtwGCo2ePerTeuKm with tonnesPerTeu, or kwhPerTkm',
      });
      return;
    }
    if (tkm && (f.ttwGCo2ePerTkm === undefined || f.wtwGCo2ePerTkm === undefined))
      ctx.addIssue({ code: 'custom', message: 'a tonne-km factor needs both ttwGCo2ePerTkm and wtwGCo2ePerTkm' });
    if (teu && (f.ttwGCo2ePerTeuKm === undefined || f.wtwGCo2ePerTeuKm === undefined || f.tonnesPerTeu === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a TEU-km factor needs ttwGCo2ePerTeuKm, wtwGCo2ePerTeuKm and tonnesPerTeu',
      });
    const ttw = f.ttwGCo2ePerTkm ?? f.ttwGCo2ePerTeuKm;
    const wtw = f.wtwGCo2ePerTkm ?? f.wtwGCo2ePerTeuKm;
    if (ttw && wtw && ttw.value > wtw.value)
      ctx.addIssue({
        code: 'custom',
        message: `TTW ${ttw.value} exceeds WTW ${wtw.value}: well-to-wheel includes tank-to-wheel`,
      });
    if (kwh && f.energyCarrier !== 'electric')
      ctx.addIssue({ code: 'custom', path: ['energyCarrier'], message: 'kwhPerTkm needs energyCarrier: electric' });
  });

export const HubFactorSchema = z
  .object({
    id: slug('a hub factor id'),
    description: z.string().min(1),
    events: z.array(z.enum(['handling', 'gauge-change'])).min(1),
    locations: z.array(LocationIdSchema).min(1).optional(),
    wtwKgCo2ePerTonne: nonNegative,
    ttwKgCo2ePerTonne: nonNegative,
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.ttwKgCo2ePerTonne.value > h.wtwKgCo2ePerTonne.value)
      ctx.addIssue({ code: 'custom', message: 'TTW exceeds WTW: well-to-wheel includes tank-to-wheel' });
  });

export const EmissionTableSchema = z
  .object({
    method: z.string().min(1),
    gwp: z.enum(['AR4', 'AR5', 'AR6']).describe('IPCC report of the GWP100 values behind the factors'),
    factors: z.array(EmissionFactorSchema),
    grid: z.array(z.object({ country: CountrySchema, wtwGCo2ePerKwh: positive }).strict()),
    defaultGrid: positive.describe('Grid factor for a country missing from `grid`'),
    hubs: z.array(HubFactorSchema).default([]),
  })
  .strict();

/** The pricing files, keyed like FILE_SCHEMAS (tariffs/<id>.yaml holds one tariff set). */
export const PRICING_FILE_SCHEMAS = {
  'fx.yaml': z.object({ fx: z.array(FxSnapshotSchema) }).strict(),
  'container-types.yaml': z.object({ containerTypes: z.array(ContainerTypeSchema) }).strict(),
  'emission-factors.yaml': EmissionTableSchema,
  'tariffs/<id>.yaml': TariffSetSchema,
  'indices/<file>.yaml': z.object({ indices: z.array(FreightIndexSchema) }).strict(),
} as const;

export const PRICING_FILE_INTRO: Record<keyof typeof PRICING_FILE_SCHEMAS, string> = {
  'fx.yaml':
    'Dated exchange-rate snapshots. A quote converts each amount at the latest snapshot on or before its ' +
    'date that gives the currency; a snapshot with a base other than USD must give USD too.',
  'container-types.yaml':
    'ISO 6346 size-type codes (22G1, 42G1, 45G1, L5G1, 22R1…) with the shorthands users type (`40HC`), ' +
    'TEU, tare, maximum gross mass and the default cargo mass.',
  'emission-factors.yaml':
    'ISO 14083 / GLEC emission intensities: line-haul factors by mode, vehicle and energy carrier ' +
    '(tonne-km, TEU-km with a mass conversion, or kWh per tonne-km times the grid factor of the ' +
    'countries crossed), grid factors by country, and hub factors per tonne handled.',
  'tariffs/<id>.yaml':
    'One dated tariff set per file. Leg charges (`on`: links, modes, countries, corridors…) and stop ' +
    'charges (`at`: origin, destination, handling, gauge-change, border) in their own currency, per ' +
    'container, TEU, tonne-km, wagon or shipment; within one category and condition the most specific ' +
    'matching charge applies. Through-rates price a chain of links as a whole and replace the ' +
    'segments\u2019 charges. Legs without a freight charge fall back to rates.yaml, stops without a ' +
    'charge to transfers.yaml. A leg charge may follow a dated index (`index: {series}`) instead of an ' +
    '`amount`, and `on.from` prices each direction apart (head-haul, backhaul).',
  'indices/<file>.yaml':
    'Optional. Published, dated freight-rate series per lane and direction (e.g. Drewry WCI Shanghai → ' +
    'Rotterdam), each point with its source. An indexed charge takes the point of the quote date, or ' +
    'the straight line between the points either side of it; beyond the last point it is held, before ' +
    'the first the first is used (the quote line says which).',
};
