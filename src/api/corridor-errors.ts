/** Domain errors (CorridorError) → HTTP problems. */
import type { CorridorError } from '../model/errors.js';
import { HttpProblem } from './problem.js';

/** Which request field a place role came from. */
const ROLE_FIELD: Record<string, string> = { origin: 'query.from', destination: 'query.to' };

export function problemFromCorridorError(e: CorridorError): HttpProblem {
  const candidates = (e.details.candidates as string[] | undefined) ?? [];
  const role = /^(?:unknown )?(origin|destination)\b/.exec(e.message)?.[1];
  // Engine messages name CLI flags (`--ready …`); the API parameter is the camel-cased flag.
  const flag = /^--([a-z][a-z-]*)/.exec(e.message)?.[1];
  const field = role
    ? ROLE_FIELD[role]
    : flag
      ? `query.${flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())}`
      : undefined;
  const errors = field ? [{ field, message: e.message }] : undefined;
  switch (e.code) {
    case 'unknown-place':
      return new HttpProblem('unknown-place', e.message, { candidates, ...(errors ? { errors } : {}) });
    case 'ambiguous-place':
      return new HttpProblem('ambiguous-place', e.message, { candidates, ...(errors ? { errors } : {}) });
    case 'unknown-scenario':
      return new HttpProblem('unknown-scenario', e.message);
    case 'no-route':
      return new HttpProblem('no-route', e.message);
    case 'invalid-argument':
      return new HttpProblem('invalid-parameter', e.message, {
        errors: [{ field: field ?? 'query', message: e.message }],
      });
    case 'invalid-dataset':
      return new HttpProblem('unavailable', 'the dataset is not valid');
  }
}
