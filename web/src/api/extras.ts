/**
 * Fields that engines landing after the routing core add to responses: an itemised quote and
 * ISO 14083 emissions per option (tariffs), timed itineraries with departures and P10/P50/P90
 * arrivals (schedules), and assignment results with flows, utilisation and shadow prices (flows).
 * The generated API types do not know them yet, so each is checked with a zod schema where it is
 * read: present and well-formed → shown; absent → the panel says the engine is not served.
 */
import { z } from 'zod';

const num = z.number();
const str = z.string();

export const QuoteSchema = z.looseObject({
  totalUsd: num,
  tariffSet: z.looseObject({ id: str.optional(), title: str }).optional(),
  date: str.optional(),
  basis: str.optional(),
  items: z.array(
    z.looseObject({
      description: str,
      category: str,
      legIndex: num.optional(),
      node: str.optional(),
      event: str.optional(),
      calculation: str.optional(),
      amount: num.optional(),
      currency: str.optional(),
      amountUsd: num,
      source: str.optional(),
      ref: str.optional(),
      assumption: str.optional(),
      fallback: z.boolean().optional(),
    }),
  ),
});
export type Quote = z.infer<typeof QuoteSchema>;

export const EmissionsSchema = z.looseObject({
  method: str.optional(),
  wtwKgCo2e: num,
  ttwKgCo2e: num,
  tonnes: num.optional(),
  legs: z.array(
    z.looseObject({
      legIndex: num,
      mode: str.optional(),
      vehicle: str.optional(),
      energyCarrier: str.optional(),
      factorId: str.optional(),
      tonneKm: num.optional(),
      wtwGCo2ePerTkm: num.optional(),
      ttwKgCo2e: num,
      wtwKgCo2e: num,
    }),
  ),
  hubs: z.array(z.looseObject({ node: str, event: str, ttwKgCo2e: num, wtwKgCo2e: num })).optional(),
});
export type Emissions = z.infer<typeof EmissionsSchema>;

const PlanLegSchema = z.looseObject({
  from: str,
  to: str,
  fromName: str,
  toName: str,
  mode: str,
  linkIds: z.array(str),
  service: z
    .looseObject({ id: str.optional(), name: str, operator: str.optional(), cutoff: str.nullable().optional() })
    .nullable(),
  waitH: num,
  departure: str,
  arrival: str,
  durationH: num.optional(),
});

export const ItinerarySchema = z.looseObject({
  option: num,
  /** What `POST /v2/bookings` books: exactly this itinerary's departures. */
  routingReference: str.optional(),
  labels: z.array(str),
  summary: str.optional(),
  corridors: z.array(str).optional(),
  departure: str,
  plannedArrival: str,
  arrival: z.looseObject({
    p10: str.nullable(),
    p50: str.nullable(),
    p90: str.nullable(),
    p10H: num.nullable().optional(),
    p50H: num.nullable().optional(),
    p90H: num.nullable().optional(),
    samples: num.optional(),
    halfWidthH: num.nullable().optional(),
    unservedShare: num.optional(),
  }),
  legs: z.array(PlanLegSchema),
  totals: z.looseObject({ durationH: num, costUsd: num, co2eKg: num, waitingH: num.optional() }),
});
export type Itinerary = z.infer<typeof ItinerarySchema>;

export const PlanResultSchema = z.looseObject({
  query: z.looseObject({ ready: str.optional() }).optional(),
  itineraries: z.array(ItinerarySchema),
  notes: z.array(str).optional(),
});
export type PlanResult = z.infer<typeof PlanResultSchema>;

const LinkFlowSchema = z.looseObject({
  id: str,
  from: str,
  to: str,
  fromName: str.optional(),
  toName: str.optional(),
  mode: str.optional(),
  corridor: str.optional(),
  flow: num,
  capacity: num.nullable(),
  utilization: num.nullable(),
  shadowPrice: num,
});

export const AssignmentResultSchema = z.looseObject({
  algorithm: str.optional(),
  objective: num,
  totals: z.looseObject({ demand: num, served: num, unmet: num }),
  links: z.array(LinkFlowSchema),
  bottlenecks: z.array(
    z.looseObject({
      id: str,
      kind: str.optional(),
      name: str,
      shadowPrice: num,
      utilization: num,
      flow: num.optional(),
      capacity: num.optional(),
    }),
  ),
  ods: z.array(
    z.looseObject({
      from: str,
      to: str,
      commodity: str.optional(),
      demand: num,
      served: num,
      unmet: num,
      routes: z.array(z.looseObject({ teu: num, via: z.array(str), corridors: z.array(str) })),
    }),
  ),
});
export type AssignmentResult = z.infer<typeof AssignmentResultSchema>;

/** The value if it matches the schema, else null. */
export function parsed<T>(schema: z.ZodType<T>, value: unknown): T | null {
  if (value === undefined || value === null) return null;
  const r = schema.safeParse(value);
  return r.success ? r.data : null;
}

/** One key per path, to match an itinerary or a priced option to a route option. */
export function pathKey(linkIds: readonly string[]): string {
  return linkIds.join('>');
}
