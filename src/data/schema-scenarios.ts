/**
 * The scenario file format (scenarios/<name>.yaml): name, title and description, plus the overlay
 * edits ("project cards") of src/model/types.ts `ScenarioOverlay`. A file with only the first three
 * keys is a plain switch for the links that list it, as before; every edit is optional.
 */
import { z } from 'zod';
import { CAPACITY_UNITS, LINK_STATUSES, MODES, TRANSFER_KINDS } from '../model/types.js';
import {
  CountrySchema,
  DistributionSchema,
  LinkSchema,
  LocationIdSchema,
  QuantitySchema,
  TransferSchema,
} from './schema.js';
import { ScenarioChangeSchema } from './schema-services.js';
import { parseDay } from '../model/iso-time.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A calendar date that exists (2025-02-30 does not). */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD, e.g. 2025-09-12')
  // Only well-formed strings are checked here: the format error above already names the others.
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || parseDay(d) !== undefined, { message: 'not a calendar date' });
const slug = (what: string) =>
  z.string().regex(SLUG, `${what} is lower-case words joined by hyphens, e.g. zangezur-open`);

/** A multiplier: a positive factor with its provenance. */
const Multiplier = QuantitySchema.refine((q) => q.value > 0, {
  message: 'a multiplier must be > 0',
  path: ['value'],
}).describe('A factor > 0 with provenance, e.g. {value: 0.85, source: …} for −15 %');
const PositiveQuantity = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const NonNegativeQuantity = QuantitySchema.refine((q) => q.value >= 0, {
  message: 'value must be ≥ 0',
  path: ['value'],
});

const provenanced = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({
      ...shape,
      source: z.string().min(1).optional(),
      ref: z.string().optional(),
      assumption: z.string().min(20, 'an assumption must give its reasoning (at least 20 characters)').optional(),
      basis: z.array(z.string()).optional(),
      note: z.string().optional(),
    })
    .strict()
    .superRefine((raw, ctx) => {
      const v = raw as { source?: string; assumption?: string };
      if ((v.source === undefined) === (v.assumption === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message: 'give exactly one of `source: <id from sources.yaml>` and `assumption: <reasoning>`',
        });
      }
    });

const LINK_SELECTORS = ['id', 'ids', 'corridor', 'mode', 'operator', 'location', 'country', 'status'] as const;

export const LinkEditSchema = z
  .object({
    id: slug('a link id').optional().describe('Selects one link by id'),
    ids: z.array(slug('a link id')).min(1).optional().describe('Selects any of these link ids'),
    corridor: slug('a corridor tag').optional().describe('Selects the links of a route family'),
    mode: z.enum(MODES).optional(),
    operator: z.string().min(1).optional(),
    location: LocationIdSchema.optional().describe('Selects links starting or ending here'),
    country: CountrySchema.optional().describe('Selects links whose `countries` include this code'),
    status: z.enum(LINK_STATUSES).optional(),
    enabled: z.boolean().optional().describe('true switches the selected links on, false removes them'),
    capacityPerYear: provenanced({ value: z.number().positive(), unit: z.enum(CAPACITY_UNITS) })
      .optional()
      .describe('Replaces the yearly capacity per direction'),
    capacityMultiplier: Multiplier.optional(),
    durationH: PositiveQuantity.optional().describe('Replaces the running time'),
    durationMultiplier: Multiplier.optional(),
    costUsdPerTeu: NonNegativeQuantity.optional().describe('Replaces the flat charge per TEU'),
    costMultiplier: Multiplier.optional().describe('Multiplies the line-haul charge'),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!LINK_SELECTORS.some((k) => e[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `a link edit needs a selector: one of ${LINK_SELECTORS.map((k) => `\`${k}\``).join(', ')}`,
      });
    }
    const changes = [
      'enabled',
      'capacityPerYear',
      'capacityMultiplier',
      'durationH',
      'durationMultiplier',
      'costUsdPerTeu',
      'costMultiplier',
    ] as const;
    if (!changes.some((k) => e[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `a link edit changes nothing: give one of ${changes.map((k) => `\`${k}\``).join(', ')}`,
      });
    }
    if (e.capacityPerYear && e.capacityMultiplier)
      ctx.addIssue({ code: 'custom', message: 'give `capacityPerYear` or `capacityMultiplier`, not both' });
    if (e.durationH && e.durationMultiplier)
      ctx.addIssue({ code: 'custom', message: 'give `durationH` or `durationMultiplier`, not both' });
    if (e.costUsdPerTeu && e.costMultiplier)
      ctx.addIssue({ code: 'custom', message: 'give `costUsdPerTeu` or `costMultiplier`, not both' });
  });

export const TransferEditSchema = z
  .object({
    location: LocationIdSchema.optional().describe('Selects the transfers at this location'),
    kind: z.enum(TRANSFER_KINDS).optional().describe('Selects the transfers of this kind'),
    durationH: DistributionSchema.optional().describe('Replaces the dwell'),
    durationMultiplier: Multiplier.optional().describe('Multiplies min, typical and max dwell'),
    costUsdPerTeu: NonNegativeQuantity.optional(),
    costMultiplier: Multiplier.optional(),
    capacityPerDay: provenanced({ value: z.number().positive(), unit: z.enum(['trains', 'TEU', 'wagons']) }).optional(),
    capacityMultiplier: Multiplier.optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.location === undefined && e.kind === undefined)
      ctx.addIssue({ code: 'custom', message: 'a transfer edit needs `location`, `kind` or both' });
    const changes = [
      'durationH',
      'durationMultiplier',
      'costUsdPerTeu',
      'costMultiplier',
      'capacityPerDay',
      'capacityMultiplier',
    ] as const;
    if (!changes.some((k) => e[k] !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `a transfer edit changes nothing: give one of ${changes.map((k) => `\`${k}\``).join(', ')}`,
      });
    }
  });

export const ScenarioFileSchema = z
  .object({
    name: slug('a scenario name'),
    title: z.string().min(1),
    description: z.string().min(1),
    extends: z.array(slug('a scenario name')).optional().describe('Scenarios applied first, in order; later edits win'),
    links: z.array(LinkEditSchema).optional().describe('Edits to existing links: a selector plus changes'),
    addLinks: z
      .array(LinkSchema)
      .optional()
      .describe('New links, in the links.yaml format (on in this scenario whatever their status)'),
    transfers: z
      .array(TransferEditSchema)
      .optional()
      .describe('Edits to transfers (dwell, cost, capacity) selected by location and/or kind'),
    addTransfers: z.array(TransferSchema).optional().describe('New transfers, in the transfers.yaml format'),
    avoidCountries: z
      .array(CountrySchema)
      .optional()
      .describe('Closes every link and sea passage touching these countries'),
    demand: z
      .object({
        set: slug('a demand set name')
          .optional()
          .describe('Demand set `corridor assign` uses by default in this scenario'),
        scale: Multiplier.optional().describe('Multiplies every OD quantity'),
      })
      .strict()
      .optional(),
    inEffect: provenanced({
      from: IsoDate.describe('First day the status holds (YYYY-MM-DD)'),
      to: IsoDate.optional().describe('Last day it holds; absent: still in effect'),
    })
      .refine((w) => w.to === undefined || w.to >= w.from, { message: '`to` is before `from`', path: ['to'] })
      .optional()
      .describe(
        'A dated status of the network (a closure, a diversion): plans, quotes and routes for a date in this ' +
          'window apply the scenario without being asked (dataset files only)',
      ),
    changes: z
      .array(ScenarioChangeSchema)
      .optional()
      .describe(
        'Edits to transfer dwell, service running times, headways and weather holds (`transfers` or ' +
          '`services` selector with `set` / `multiply`)',
      ),
  })
  .strict();
