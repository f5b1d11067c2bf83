/**
 * Demand files (demand/<name>.yaml: OD matrices per commodity and year) and commodities.yaml (the
 * commodities' value of time and the unit conversions between trains, tonnes, wagons and TEU).
 */
import { z } from 'zod';
import { DEMAND_UNITS } from '../model/types.js';
import { LocationIdSchema, QuantitySchema } from './schema.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slug = (what: string) =>
  z.string().regex(SLUG, `${what} is lower-case words joined by hyphens, e.g. trains-2029`);
const Positive = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const NonNegative = QuantitySchema.refine((q) => q.value >= 0, { message: 'value must be ≥ 0', path: ['value'] });

export const OdDemandSchema = z
  .object({
    from: LocationIdSchema,
    to: LocationIdSchema,
    commodity: slug('a commodity id').describe('Id from commodities.yaml'),
    perYear: z
      .object({
        value: z
          .number()
          .refine(Number.isFinite, 'must be a finite number')
          .refine((v) => v >= 0, 'must be ≥ 0'),
        unit: z.enum(DEMAND_UNITS),
        source: z.string().min(1).optional(),
        ref: z.string().optional(),
        assumption: z.string().min(20, 'an assumption must give its reasoning (at least 20 characters)').optional(),
        basis: z.array(z.string()).optional(),
        note: z.string().optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.source === undefined) === (v.assumption === undefined)) {
          ctx.addIssue({
            code: 'custom',
            message: 'give exactly one of `source: <id from sources.yaml>` and `assumption: <reasoning>`',
          });
        }
      })
      .describe('Yearly quantity in TEU, t or trains (converted with commodities.yaml)'),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.from === f.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'origin and destination are the same place' });
  });

export const DemandSetSchema = z
  .object({
    name: slug('a demand set name'),
    title: z.string().min(1),
    description: z.string().min(1),
    year: z
      .string({ error: 'year is a quoted string, e.g. "2029" (a label, not a figure)' })
      .regex(/^(19|20|21)\d{2}$/, 'year is four digits, e.g. "2029"')
      .optional()
      .describe('Year the matrix describes, quoted (a label, not a figure)'),
    flows: z.array(OdDemandSchema).min(1),
  })
  .strict();

export const CommoditySchema = z
  .object({
    id: slug('a commodity id'),
    title: z.string().min(1),
    valueOfTimeUsdPerTeuHour: NonNegative.describe('Cost to the cargo owner of one TEU-hour in transit'),
    unservedCostUsdPerTeu: Positive.describe('Generalised cost of a TEU the network cannot carry; caps shadow prices'),
  })
  .strict();

export const CommoditiesFileSchema = z
  .object({
    conversions: z
      .object({
        teuPerTrain: Positive.describe('TEU per container train'),
        teuPerWagon: Positive.describe('TEU per rail wagon'),
        tonnesPerTeu: Positive.describe('Gross tonnes per loaded TEU'),
        daysPerYear: Positive.describe('Operating days per year for capacities per day'),
      })
      .strict(),
    commodities: z.array(CommoditySchema).min(1),
  })
  .strict();
