/**
 * Domain errors (CorridorError) → HTTP problems. Errors name logical fields (`avoidPlaces`); the API
 * names them where the client put them (`query.avoidPlaces`, `body.params.queries[2].from`).
 */
import { type CorridorError, InvalidRequestError } from '../model/errors.js';
import { type FieldError, HttpProblem, type ProblemCode } from './problem.js';

const PROBLEM_OF: Record<CorridorError['code'], ProblemCode> = {
  'unknown-place': 'unknown-place',
  'ambiguous-place': 'ambiguous-place',
  'unknown-scenario': 'unknown-scenario',
  'invalid-argument': 'invalid-parameter',
  'no-route': 'no-route',
  'invalid-dataset': 'unavailable',
};

/** `where`: the part of the request the fields are in, e.g. `query` or `body.params`. */
export function problemFromCorridorError(e: CorridorError, where = 'query'): HttpProblem {
  const at = (field: string) => `${where}.${field}`;
  const problems =
    e instanceof InvalidRequestError
      ? e.problems
      : e.field !== undefined
        ? [{ field: e.field, message: e.message, code: e.code }]
        : [];
  const errors: FieldError[] = problems.map((p) => ({
    field: at(p.field),
    message: p.message,
    ...(p.value !== undefined ? { value: p.value.slice(0, 200) } : {}),
  }));
  const detail = problems.length ? problems.map((p) => `${at(p.field)}: ${p.message}`).join('; ') : e.message;
  const code = PROBLEM_OF[e.code];
  if (code === 'unavailable') return new HttpProblem('unavailable', 'the dataset is not valid');
  const candidates = (e.details.candidates as string[] | undefined) ?? problems.find((p) => p.candidates)?.candidates;
  return new HttpProblem(code, detail, {
    ...(errors.length
      ? { errors }
      : code === 'invalid-parameter'
        ? { errors: [{ field: where, message: e.message }] }
        : {}),
    ...(candidates && (code === 'unknown-place' || code === 'ambiguous-place' || code === 'unknown-scenario')
      ? { candidates }
      : {}),
  });
}
