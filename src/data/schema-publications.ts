/**
 * Schemas of operator publications (the bodies of the `/api/v1/operators/{operator}/…` writes):
 * a service or a tariff component in exactly the shape of services.yaml and tariffs/<set>.yaml
 * (the same zod schemas), or a link's yearly capacity; each with the publication's provenance.
 */
import { z } from 'zod';
import { CAPACITY_UNITS } from '../model/types.js';
import { ServiceSchema } from './schema-services.js';
import { LegChargeSchema, StopChargeSchema, ThroughRateSchema } from './schema-tariffs.js';
import { nth } from '../model/invariant.js';
import { checkBounds, violationMessage } from './bounds.js';

/** The data files' plausibility bounds (bounds.ts), on a publication body: the same figure, the same range. */
export function plausibleFigures(v: unknown, ctx: z.RefinementCtx) {
  for (const x of checkBounds(v)) ctx.addIssue({ code: 'custom', path: x.path, message: violationMessage(x) });
}

const MIN_ASSUMPTION_CHARS = 20;

/** The provenance of a publication: `source` is free text or a URL here, not a sources.yaml id. */
export const publicationProvenanceFields = {
  source: z
    .string()
    .trim()
    .min(3)
    .max(500)
    .optional()
    .describe('Where the operator states it: a URL, or a document and date (free text)'),
  ref: z.string().max(500).optional().describe('Page, section or notice number within the source'),
  assumption: z
    .string()
    .min(MIN_ASSUMPTION_CHARS, `an assumption must give its reasoning (at least ${MIN_ASSUMPTION_CHARS} characters)`)
    .max(2000)
    .optional()
    .describe('Reasoning, when the published figure is an estimate and not a stated fact'),
  note: z.string().max(2000).optional(),
};

function provenanceRule(v: { source?: string | undefined; assumption?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.source === undefined && v.assumption === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['source'],
      message:
        'no provenance: give `source` (a URL or the document that states it) or `assumption` (your ' +
        'reasoning, ≥ 20 characters)',
    });
  } else if (v.source !== undefined && v.assumption !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['assumption'],
      message: 'give either `source` or `assumption`, not both (put the other in `note`)',
    });
  }
}

function exactlyOne(keys: readonly string[]) {
  return (v: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const given = keys.filter((k) => v[k] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [given[1] ?? nth(keys, 0)],
        message:
          `give exactly one of ` +
          `${keys.map((k) => `\`${k}\``).join(', ')}${given.length ? ` (got ${given.join(', ')})` : ''}`,
      });
  };
}

export const ServicePublicationSchema = z
  .object({
    service: ServiceSchema.optional().describe('The service as in services.yaml; its `id` is the one in the URL'),
    withdrawn: z
      .literal(true)
      .optional()
      .describe('true: the service no longer runs (it leaves the effective dataset)'),
    ...publicationProvenanceFields,
  })
  .strict()
  .superRefine(exactlyOne(['service', 'withdrawn']))
  .superRefine(provenanceRule)
  .superRefine(plausibleFigures)
  .describe('Add, replace or withdraw one of your services');

export const TariffPublicationSchema = z
  .object({
    legCharge: LegChargeSchema.optional().describe('A leg charge as in a tariff file'),
    stopCharge: StopChargeSchema.optional().describe('A stop charge as in a tariff file'),
    throughRate: ThroughRateSchema.optional().describe('A through-rate as in a tariff file'),
    withdrawn: z.literal(true).optional().describe('true: the component no longer applies'),
    ...publicationProvenanceFields,
  })
  .strict()
  .superRefine(exactlyOne(['legCharge', 'stopCharge', 'throughRate', 'withdrawn']))
  .superRefine(provenanceRule)
  .superRefine(plausibleFigures)
  .describe('Add, replace or withdraw one of your tariff components in a tariff set');

export const CapacityPublicationSchema = z
  .object({
    capacityPerYear: z
      .object({
        value: z
          .number()
          .refine(Number.isFinite, 'must be a finite number')
          .refine((v) => v > 0, 'a capacity is > 0'),
        unit: z.enum(CAPACITY_UNITS),
      })
      .strict()
      .describe('Per direction, as in links.yaml'),
    ...publicationProvenanceFields,
  })
  .strict()
  .superRefine(provenanceRule)
  .superRefine(plausibleFigures)
  .describe('Publish the yearly capacity of a link you operate');

export type ServicePublicationBody = z.infer<typeof ServicePublicationSchema>;
export type TariffPublicationBody = z.infer<typeof TariffPublicationSchema>;
export type CapacityPublicationBody = z.infer<typeof CapacityPublicationSchema>;
