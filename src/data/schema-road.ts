/** road.yaml: the road haulage model of door-to-door legs (src/model/types.ts `RoadParameters`). */
import { z } from 'zod';
import { CountrySchema, DistributionSchema, QuantitySchema, slug } from './schema.js';

const positive = QuantitySchema.refine((q) => q.value > 0, { message: 'value must be > 0', path: ['value'] });
const nonNegative = QuantitySchema.refine((q) => q.value >= 0, { message: 'value must be ≥ 0', path: ['value'] });
const circuity = QuantitySchema.refine((q) => q.value >= 1 && q.value <= 3, {
  message: 'a circuity factor is road ÷ great-circle distance, from 1 to 3',
  path: ['value'],
});

const factors = {
  circuity,
  costUsdPerTruckKm: positive,
  speedKmh: QuantitySchema.refine((q) => q.value >= 10 && q.value <= 120, {
    message: 'a truck speed from 10 to 120 km/h',
    path: ['value'],
  }),
};

export const RoadSchema = z
  .object({
    nearestTerminals: QuantitySchema.refine((q) => Number.isInteger(q.value) && q.value >= 1 && q.value <= 12, {
      message: 'a whole number of terminals from 1 to 12',
      path: ['value'],
    }).describe('K: terminals joined to each place'),
    maxAccessKm: positive,
    directMaxKm: nonNegative,
    hoursOfService: z
      .object({ dailyDrivingH: positive, breakAfterDrivingH: positive, breakH: nonNegative, dailyRestH: nonNegative })
      .strict(),
    teuPerTruck: positive,
    terminalHandling: z.object({ durationH: DistributionSchema, costUsdPerTeu: nonNegative }).strict(),
    borderCrossing: z.object({ durationH: nonNegative, costUsdPerTruck: nonNegative }).strict(),
    customsUnions: z.array(
      z
        .object({
          id: slug('a customs union id'),
          countries: z.array(CountrySchema).min(2),
          source: z.string().min(1),
          ref: z.string().optional(),
        })
        .strict(),
    ),
    defaults: z.object(factors).strict(),
    regions: z.array(
      z.object({ id: slug('a region id'), countries: z.array(CountrySchema).min(1), ...factors }).strict(),
    ),
  })
  .strict();
