/**
 * The one error type the domain throws for problems a user can fix. Edges map `code` to an
 * exit status (CLI) or an HTTP status (API); the message names the input and what would be valid.
 */
export type ErrorCode =
  | 'unknown-place'
  | 'ambiguous-place'
  | 'invalid-argument'
  | 'unknown-scenario'
  | 'no-route'
  | 'invalid-dataset';

/** One problem with one input field, by its logical name (`avoidPlaces`, `ready`, `queries[3].from`). */
export interface FieldProblem {
  field: string;
  message: string;
  value?: string;
  /** What kind of problem (an unknown place is not the same answer as a malformed number). */
  code: ErrorCode;
  /** Close matches, for unknown places and scenarios. */
  candidates?: string[];
}

export class CorridorError extends Error {
  override readonly name = 'CorridorError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    /**
     * The logical input field at fault (`containers`, `ready`, `from`), never a CLI flag or an
     * HTTP parameter: each edge renders it in its own words (`--avoid-places`, `query.avoidPlaces`).
     */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Several field problems of one request, reported together (the edges list every one). */
export class InvalidRequestError extends CorridorError {
  constructor(readonly problems: readonly FieldProblem[]) {
    const first = problems[0];
    super(
      problems.some((p) => p.code === 'invalid-argument') ? 'invalid-argument' : (first?.code ?? 'invalid-argument'),
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      first?.candidates ? { candidates: first.candidates } : {},
      first?.field,
    );
  }
}

export function isCorridorError(e: unknown): e is CorridorError {
  return e instanceof CorridorError;
}
