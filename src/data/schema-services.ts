/**
 * Schemas of services.yaml and of the scenario `changes` list (the edits a scenario makes to dwell,
 * running times and headways). Kept apart from schema.ts so the schedule issue extends the format
 * without touching the other records.
 */
import { z } from 'zod';
import { MODES, MONTHS, SERVICE_CAPACITY_UNITS, TRANSFER_KINDS, WEEKDAYS } from '../model/types.js';
import { parseClock, parseDay } from '../model/iso-time.js';
import {
  DistributionSchema,
  LocationIdSchema,
  QuantitySchema,
  ScenarioSchema,
  exactlyOneProvenance,
  provenanceFields,
  slug,
} from './schema.js';

const positive = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const nonNegative = QuantitySchema.refine((q) => q.value >= 0, { message: 'value must be ≥ 0', path: ['value'] });
const probability = QuantitySchema.refine((q) => q.value >= 0 && q.value <= 1, {
  message: 'a probability is between 0 and 1',
  path: ['value'],
});

const DateSchema = z
  .string({ error: 'a date is a string YYYY-MM-DD' })
  .refine((s) => parseDay(s) !== undefined, { message: 'not a real date YYYY-MM-DD (e.g. 2025-01-06)' });
const ClockSchema = z.string().refine((s) => parseClock(s) !== undefined, {
  message: 'a departure time is HH:MM, 00:00–23:59 (local time at the first location)',
});

export const TimetableSchema = z
  .object({
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).optional().describe('Weekly pattern: departure days'),
    everyDays: positive.optional().describe('Or: one departure every N days from `firstDate`'),
    firstDate: DateSchema.optional().describe('First departure of an every-N-days service (default validFrom)'),
    departureTimes: z.array(ClockSchema).min(1).describe('HH:MM, local time at the first location'),
    except: z.array(DateSchema).default([]).describe('Dates without a departure'),
    extra: z.array(DateSchema).default([]).describe('Extra departure dates'),
    ...provenanceFields,
  })
  .strict()
  .superRefine(exactlyOneProvenance)
  .superRefine((t, ctx) => {
    if ((t.weekdays === undefined) === (t.everyDays === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of `weekdays` (a weekly pattern) and `everyDays` (a departure every N days)',
      });
    if (t.everyDays !== undefined && !Number.isInteger(t.everyDays.value))
      ctx.addIssue({ code: 'custom', path: ['everyDays', 'value'], message: 'everyDays is a whole number of days' });
    if (t.firstDate !== undefined && t.everyDays === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['firstDate'],
        message: '`firstDate` anchors an every-N-days service; a weekly pattern has none',
      });
  })
  .describe('When a scheduled service departs, with the provenance of the timetable');

const DelayRiskSchema = z
  .object({
    probability: probability.describe('Chance per departure of being held (0–1)'),
    durationH: DistributionSchema.describe('How long a held departure waits'),
    season: slug('a season id')
      .optional()
      .describe('A sea area of seasons/*.yaml: each month its own chance (storm days ÷ days in the month)'),
  })
  .strict();

export const ServiceSchema = z
  .object({
    id: slug('a service id'),
    name: z.string().min(1),
    operator: z.string().min(1),
    from: LocationIdSchema.describe('Where the service starts; its links run from here, in order'),
    links: z.array(slug('a link id')).min(1).describe('Ids from links.yaml, consecutive, all of one transport class'),
    calls: z
      .array(LocationIdSchema)
      .min(2)
      .optional()
      .describe('Where cargo may board or alight (default: every location on the route)'),
    validFrom: DateSchema.describe('First day of operation'),
    validTo: DateSchema.describe('Last day of operation (inclusive)'),
    timetable: TimetableSchema.optional().describe('Scheduled services'),
    headwayH: DistributionSchema.optional().describe('Departs-when-full services: hours between departures'),
    durationH: DistributionSchema.optional().describe(
      'Running time first → last location (default: link times plus border dwell en route)',
    ),
    cutoffH: nonNegative.optional().describe('Cargo must be at the terminal this long before departure'),
    capacityPerDeparture: z
      .object({ value: z.number(), unit: z.enum(SERVICE_CAPACITY_UNITS), ...provenanceFields })
      .strict()
      .superRefine(exactlyOneProvenance)
      .optional(),
    weatherDelay: DelayRiskSchema.optional().describe('Chance per departure of a weather hold, and its length'),
    replacesDwellWait: z
      .boolean()
      .optional()
      .describe(
        'true when the typical handling / gauge-change dwell where this service boards already counts the ' +
          "wait for it: timed plans then use that dwell's min and take the wait from the timetable",
      ),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.timetable === undefined) === (s.headwayH === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'give exactly one of `timetable` (a scheduled service) and `headwayH` (departs when full)',
      });
    }
    const from = parseDay(s.validFrom);
    const to = parseDay(s.validTo);
    if (from !== undefined && to !== undefined && to < from)
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo ${s.validTo} is before validFrom ${s.validFrom}`,
      });
    if (s.headwayH && s.headwayH.min <= 0)
      ctx.addIssue({ code: 'custom', path: ['headwayH', 'min'], message: 'a headway is > 0 hours' });
  });

const TransferSelectorSchema = z
  .object({
    locations: z.array(LocationIdSchema).min(1).optional(),
    kinds: z.array(z.enum(TRANSFER_KINDS)).min(1).optional(),
  })
  .strict()
  .describe('Transfers to change (default: all)');
const ServiceSelectorSchema = z
  .object({ ids: z.array(slug('a service id')).min(1).optional(), modes: z.array(z.enum(MODES)).min(1).optional() })
  .strict()
  .describe('Services to change (default: all)');

export const ScenarioChangeSchema = z
  .object({
    transfers: TransferSelectorSchema.optional(),
    services: ServiceSelectorSchema.optional(),
    set: z
      .object({
        durationH: DistributionSchema.optional(),
        headwayH: DistributionSchema.optional(),
        weatherDelay: DelayRiskSchema.optional(),
      })
      .strict()
      .optional()
      .describe('Replace a distribution'),
    multiply: z
      .object({ durationH: positive.optional(), headwayH: positive.optional() })
      .strict()
      .optional()
      .describe('Multiply min, typical and max'),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.transfers === undefined) === (c.services === undefined))
      ctx.addIssue({ code: 'custom', message: 'a change selects exactly one of `transfers` and `services`' });
    const edits = [...Object.keys(c.set ?? {}), ...Object.keys(c.multiply ?? {})];
    if (edits.length === 0)
      ctx.addIssue({ code: 'custom', message: 'a change needs at least one edit under `set` or `multiply`' });
    if (c.transfers && edits.some((e) => e !== 'durationH'))
      ctx.addIssue({
        code: 'custom',
        message:
          `transfers have only \`durationH\`; ` +
          `${edits.filter((e) => e !== 'durationH').join(', ')} apply to services`,
      });
    for (const k of Object.keys(c.set ?? {}))
      if (k in (c.multiply ?? {}))
        ctx.addIssue({ code: 'custom', message: `\`${k}\` is both set and multiplied; keep one` });
  });

/** A scenario file: the base fields plus the optional list of changes. */
export const ScenarioWithChangesSchema = ScenarioSchema.extend({
  changes: z
    .array(ScenarioChangeSchema)
    .optional()
    .describe('Edits to transfer dwell, service running times, headways and weather holds'),
});

export const ServicesFileSchema = z.object({ services: z.array(ServiceSchema) }).strict();

const stormDays = QuantitySchema.refine((q) => q.value >= 0 && q.value <= 31, {
  message: 'storm days in a month are between 0 and 31',
  path: ['value'],
});

export const SeasonSchema = z
  .object({
    id: slug('a season id'),
    title: z.string().min(1),
    stormDays: z
      .object(
        Object.fromEntries(MONTHS.map((m) => [m, stormDays])) as Record<(typeof MONTHS)[number], typeof stormDays>,
      )
      .strict()
      .describe('Mean days per month on which storms stop departures, jan … dec, each with provenance'),
    notes: z.string().optional(),
  })
  .strict();

export const SeasonsFileSchema = z.object({ seasons: z.array(SeasonSchema) }).strict();
