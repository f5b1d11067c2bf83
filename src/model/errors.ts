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

export class CorridorError extends Error {
  override readonly name = 'CorridorError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isCorridorError(e: unknown): e is CorridorError {
  return e instanceof CorridorError;
}
