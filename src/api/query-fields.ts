/**
 * The query schema of an endpoint, from the service's field table: every field a string of bounded
 * length (the one parser in src/service/options.ts checks the values), so the OpenAPI document
 * names and describes the same parameters the CLI has as flags.
 */
import { z } from 'zod';
import { FIELDS, type FieldName } from '../service/fields.js';

export function queryFields<N extends FieldName>(names: readonly N[], required: readonly N[] = []) {
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) {
    const spec = FIELDS[name];
    const text = z.string().max(spec.maxLength, `at most ${spec.maxLength} characters`);
    const choices = 'choices' in spec && spec.choices ? ` (one of ${spec.choices.join(', ')})` : '';
    shape[name] = (
      ('positional' in spec && spec.positional) || required.includes(name)
        ? text.min(1, 'is required')
        : text.optional()
    ).describe(`${spec.description}${choices}`);
  }
  return shape as { [K in N]: z.ZodType<string | undefined> };
}
