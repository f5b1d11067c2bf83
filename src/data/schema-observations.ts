/**
 * The schema of `observations/*.yaml`: published, dated figures the model is measured against.
 * Each record carries its own source; the figures are the publication's, not the model's.
 */
import { z } from 'zod';
import {
  OBSERVATION_DIRECTIONS,
  OBSERVATION_KINDS,
  OBSERVATION_MODES,
  OBSERVATION_REGIMES,
  OBSERVATION_UNITS,
  PRICE_INCLUSIONS,
} from '../model/observations.js';
import { TRANSFER_KINDS } from '../model/types.js';
import { CountrySchema } from './schema.js';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const place = z.string().min(1).max(100);

const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export const PublishedSchema = z
  .object({
    min: finite.optional().describe('Lower end of the published range'),
    max: finite.optional().describe('Upper end of the published range'),
    value: finite.optional().describe('A single published figure (same as min = max)'),
    unit: z.enum(OBSERVATION_UNITS).describe('d (days), h (hours), USD, TEU/yr, t/yr'),
    text: z.string().min(1).describe('The figure as published, verbatim or nearly ("11 days", "$2,500–3,250")'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const hasRange = p.min !== undefined || p.max !== undefined;
    if (p.value !== undefined && hasRange)
      ctx.addIssue({ code: 'custom', message: 'give either `value` or `min` and `max`, not both' });
    else if (p.value === undefined && (p.min === undefined || p.max === undefined))
      ctx.addIssue({ code: 'custom', message: 'give `value`, or both `min` and `max`' });
    else if (p.min !== undefined && p.max !== undefined && p.min > p.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: `min ${p.min} is above max ${p.max}` });
    const lo = p.value ?? p.min ?? 0;
    if (lo < 0)
      ctx.addIssue({ code: 'custom', path: [p.value !== undefined ? 'value' : 'min'], message: 'must be ≥ 0' });
  })
  .transform((p) => ({
    min: p.value ?? (p.min as number),
    max: p.value ?? (p.max as number),
    unit: p.unit,
    text: p.text,
  }))
  .describe('The published figure or range');

export const ObservationSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by hyphens')
      .describe('Unique id, e.g. `time-xian-baku-2024-01`'),
    kind: z.enum(OBSERVATION_KINDS).describe('What was observed'),
    title: z.string().min(1).describe('What was published, in short'),
    from: place.optional().describe('Origin (transit time, price) or one end of a link (volume, capacity)'),
    to: place.optional().describe('Destination, or the other end of a link'),
    at: place.optional().describe('The place of a dwell, a port or border volume, or a node capacity'),
    family: z.string().min(1).optional().describe('Route family (id in corridors.yaml) the figure describes'),
    via: z.array(place).optional().describe("Places the published route passes; the model's option must pass them"),
    countries: z.array(CountrySchema).optional().describe('Countries the published route crosses, in travel order'),
    avoid: z.array(CountrySchema).optional().describe('Countries the query avoids to reproduce the published route'),
    avoidPassages: z
      .array(z.string().min(1))
      .optional()
      .describe('Sea passages (passages.yaml ids) the query avoids to reproduce the published route, e.g. the Cape'),
    modes: z
      .array(z.enum(['rail', 'road', 'sea', 'ferry']))
      .optional()
      .describe('Modes the query allows (e.g. `[sea]` for a port-to-port sea figure)'),
    mode: z.enum(OBSERVATION_MODES).describe('Main mode of the published figure'),
    direction: z.enum(OBSERVATION_DIRECTIONS).optional().describe('Direction of travel'),
    regime: z.enum(OBSERVATION_REGIMES).describe('`congested` runs the query under the `congested` scenario'),
    date: z
      .string()
      .regex(DATE, 'YYYY, YYYY-MM or YYYY-MM-DD')
      .describe('When the figure was observed or valid (a month is read as its 15th, a year as 1 July)'),
    published: PublishedSchema,
    container: z.string().min(1).optional().describe('Price: container priced, e.g. `40`, `20`, `42G1` (default 40)'),
    includes: z.enum(PRICE_INCLUSIONS).optional().describe('Price: what the published figure covers'),
    dwellKinds: z
      .array(z.enum(TRANSFER_KINDS))
      .optional()
      .describe('Dwell: the stops at `at` the figure covers (default all)'),
    source: z.string().min(1).describe('Id of a source in sources.yaml'),
    ref: z.string().optional().describe('Where in the source: page, quote, table'),
    note: z.string().optional().describe('How the figure was read, caveats'),
  })
  .strict()
  .superRefine((o, ctx) => {
    const need = (field: 'from' | 'to' | 'at', why: string) => {
      if (o[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `\`${field}\` is required ${why}` });
    };
    if (o.kind === 'transit-time' || o.kind === 'price') {
      need('from', `for a ${o.kind}`);
      need('to', `for a ${o.kind}`);
    }
    if (o.kind === 'dwell') need('at', 'for a dwell');
    if (
      (o.kind === 'volume' || o.kind === 'capacity') &&
      o.at === undefined &&
      (o.from === undefined || o.to === undefined)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['at'],
        message: `a ${o.kind} needs \`at\` (a node) or \`from\` and \`to\` (a link)`,
      });
    const units: Record<string, readonly string[]> = {
      'transit-time': ['d', 'h'],
      dwell: ['d', 'h'],
      price: ['USD'],
      volume: ['TEU/yr', 't/yr'],
      capacity: ['TEU/yr', 't/yr'],
    };
    const ok = units[o.kind] ?? [];
    if (!ok.includes(o.published.unit))
      ctx.addIssue({
        code: 'custom',
        path: ['published', 'unit'],
        message: `"${o.published.unit}" is not a unit for a ${o.kind}; valid: ${ok.join(', ')}`,
      });
  })
  .describe('One published observation');

export const ObservationsFileSchema = z
  .object({ observations: z.array(ObservationSchema) })
  .strict()
  .describe('observations/<topic>.yaml');
