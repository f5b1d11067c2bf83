/** Response schemas shared by several endpoints (documentation and response tests). */
import { z } from 'zod';

export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('`/problems/<code>`; GET it for a description'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().describe('The request path'),
    errors: z
      .array(z.looseObject({ field: z.string(), message: z.string(), value: z.string().optional() }))
      .optional()
      .describe('One entry per bad field: where, what is wrong, the value received'),
    candidates: z
      .array(z.string())
      .optional()
      .describe('Closest matches (unknown or ambiguous place, unknown scenario)'),
    requestId: z.string().optional(),
  })
  .describe('RFC 9457 problem details');

export const PlaceRefSchema = z.looseObject({ id: z.string(), name: z.string(), country: z.string() });
