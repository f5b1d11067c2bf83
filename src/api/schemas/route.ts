/** The route result, as `corridor route --json` prints it. */
import { z } from 'zod';
import { PlaceRefSchema } from './common.js';

const LegSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  fromName: z.string(),
  toName: z.string(),
  mode: z.enum(['rail', 'road', 'sea', 'ferry']),
  gaugeMm: z.number().optional(),
  linkId: z.string(),
  operator: z.string(),
  corridor: z.string(),
  distanceKm: z.number(),
  durationH: z.number(),
  costUsd: z.number(),
  co2eKg: z.number(),
  countries: z.array(z.string()),
  passages: z.array(z.string()),
});

const StopSchema = z.looseObject({
  at: z.string(),
  name: z.string(),
  afterLeg: z.number().int(),
  events: z.array(z.enum(['handling', 'gauge-change', 'border'])),
  change: z.string().optional(),
  durationH: z.number(),
  costUsd: z.number(),
});

export const TotalsSchema = z.looseObject({
  durationH: z.number(),
  durationDays: z.number(),
  costUsd: z.number(),
  co2eKg: z.number(),
  distanceKm: z.number(),
  countries: z.array(z.string()),
  passages: z.array(z.string()),
  passageCountries: z.array(z.string()),
  borderCrossings: z.number().int(),
  transshipments: z.number().int(),
  gaugeChanges: z.number().int(),
  riskScore: z.number(),
});

export const OptionSchema = z.looseObject({
  option: z.number().int(),
  labels: z.array(z.enum(['fastest', 'cheapest', 'greenest', 'balanced'])),
  corridors: z.array(z.string()),
  summary: z.string(),
  legs: z.array(LegSchema),
  stops: z.array(StopSchema),
  totals: TotalsSchema,
});

export const RouteResultSchema = z
  .looseObject({
    query: z.looseObject({
      from: z.string(),
      to: z.string(),
      avoidCountries: z.array(z.string()),
      modes: z.array(z.string()),
      scenario: z.string().nullable(),
      criteria: z.array(z.string()),
    }),
    origin: PlaceRefSchema,
    destination: PlaceRefSchema,
    cargo: z.looseObject({ description: z.string(), teu: z.number(), grossTonnes: z.number() }),
    regime: z.literal('nominal'),
    options: z.array(OptionSchema),
    recommended: z.looseObject({ preset: z.string(), option: z.number().int() }).nullable(),
    alternatives: z
      .array(
        z.looseObject({
          kind: z.enum(['excluded', 'dominated']),
          summary: z.string(),
          corridors: z.array(z.string()),
          path: z.array(z.string()),
          totals: TotalsSchema,
          reason: z.string(),
          dominatedBy: z.number().int().optional(),
        }),
      )
      .describe('Routes left out: excluded by a constraint or dominated by an option, with the reason'),
  })
  .describe('Pareto-optimal options with legs, stops and totals; the same JSON as `corridor route --json`');
