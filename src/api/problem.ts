/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every 4xx names the field and
 * what would be valid; a 5xx says only that something went wrong and gives the request id to
 * quote — never a stack trace or an internal message.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import type { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface FieldError {
  /** Where the bad value is: `query.avoid`, `body.title`, `path.name`, `header.If-Match`. */
  field: string;
  message: string;
  /** The value received, shortened. */
  value?: string;
}

/** Problem types; `type` is `/problems/<code>`, documented at that URL. */
export const PROBLEM_TYPES = {
  'invalid-parameter': {
    status: 400,
    title: 'Invalid parameter',
    doc: 'A query, path or header parameter is missing or not valid. `errors` names each one and what would be valid.',
  },
  'invalid-body': {
    status: 400,
    title: 'Invalid request body',
    doc: 'The JSON body does not match the schema. `errors` lists each field with what would be valid.',
  },
  'malformed-json': { status: 400, title: 'Malformed JSON', doc: 'The request body is not valid JSON.' },
  'ambiguous-place': {
    status: 400,
    title: 'Ambiguous place',
    doc: 'A place name matches several locations equally well; `candidates` lists their codes.',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    doc:
      'This request needs an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`), or the key ' +
      'given is not valid or revoked.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    doc: "The API key's role may not do this; `requiredRole` names the least role that may.",
  },
  'not-found': { status: 404, title: 'Not found', doc: 'No resource at this URL.' },
  'unknown-place': {
    status: 404,
    title: 'Unknown place',
    doc: 'No location matches the name or code; `candidates` lists the closest ones.',
  },
  'unknown-scenario': {
    status: 404,
    title: 'Unknown scenario',
    doc: 'No scenario of that name exists, in the dataset or stored.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    doc: 'The URL exists but not with this method; the `Allow` header lists the methods it takes.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    doc: 'The request conflicts with the current state (name taken, dataset scenario, job already finished).',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    doc: 'If-Match names a version that is no longer current; re-read and retry.',
  },
  'payload-too-large': { status: 413, title: 'Payload too large', doc: 'The request body exceeds the limit.' },
  'headers-too-large': {
    status: 431,
    title: 'Request header fields too large',
    doc: 'The request line and headers exceed the server limit (a very long query string?); send less.',
  },
  'request-timeout': {
    status: 408,
    title: 'Request timeout',
    doc: 'The request line, headers or body did not arrive in time (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS).',
  },
  'bad-request': {
    status: 400,
    title: 'Bad request',
    doc: 'The request is not valid HTTP (raw non-ASCII bytes in the URL or a header, a broken request line).',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    doc: 'Send the body as `application/json`.',
  },
  'rate-limited': { status: 429, title: 'Too many requests', doc: 'Slow down; `Retry-After` says when to try again.' },
  'no-route': { status: 422, title: 'No route', doc: 'The query is valid but no route satisfies it.' },
  unprocessable: {
    status: 422,
    title: 'Unprocessable',
    doc: 'The request is well-formed but refers to something that does not exist (e.g. an unknown booking).',
  },
  'no-capacity': {
    status: 409,
    title: 'No capacity',
    doc:
      'A departure of the booking has fewer slots left than the booking needs; `departure`, `remainingTeu` and ' +
      '`requestedTeu` say which and how many. Nothing was held.',
  },
  'invalid-transition': {
    status: 409,
    title: 'Invalid state transition',
    doc: 'The booking is in a status that does not allow this change; `status` names it.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    doc: 'This Idempotency-Key was used before with a different request (method, path or body).',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    doc: 'Something went wrong on our side. Quote `requestId` when reporting it.',
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    doc:
      'The service cannot answer now (database unreachable, shutting down, or more computations waiting than ' +
      'it queues); `Retry-After` says when to try again.',
  },
} as const;
export type ProblemCode = keyof typeof PROBLEM_TYPES;

export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[code].status;
  }
}

export function problemBody(
  code: ProblemCode,
  detail: string,
  instance: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const t = PROBLEM_TYPES[code];
  return {
    type: `/problems/${code}`,
    title: t.title,
    status: t.status,
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...extra,
  };
}

export function shorten(v: unknown, max = 80): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** zod issues → field errors, with the messages a person can act on. */
/** `where` + a zod path as the data files write it: `body.changes[0].transfers`. */
function fieldOf(where: string, path: readonly PropertyKey[]): string {
  let out = where;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

export function fieldErrors(where: 'query' | 'body' | 'path' | 'header', error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      return {
        field: fieldOf(where, path),
        message:
          `unknown ${where === 'query' ? 'parameter' : 'field'}` +
          `(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')}`,
      };
    }
    if (issue.code === 'invalid_value' && 'values' in issue)
      message = `expected one of ${issue.values.map(String).join(', ')}`;
    if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) message = 'is required';
    const input = (issue as { input?: unknown }).input;
    return {
      field: fieldOf(where, path),
      message,
      ...(input !== undefined && typeof input !== 'object' ? { value: shorten(input) } : {}),
    };
  });
}

export function invalid(where: 'query' | 'body' | 'path' | 'header', errors: FieldError[]): HttpProblem {
  const detail = errors
    .map((e) => `${e.field}: ${e.message}${e.value !== undefined ? ` (got ${JSON.stringify(e.value)})` : ''}`)
    .join('; ');
  return new HttpProblem(where === 'body' ? 'invalid-body' : 'invalid-parameter', detail, { errors });
}

/** What Node's HTTP parser (and its timers) report, as a problem type and what to do about it. */
function parserProblem(parserCode: string | undefined): { code: ProblemCode; detail: string } {
  switch (parserCode) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        code: 'headers-too-large',
        detail: 'the request line and headers exceed the server limit; shorten the query string or the headers',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return { code: 'request-timeout', detail: 'the request was not sent completely in time' };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return { code: 'bad-request', detail: 'the Content-Length header is not valid (one decimal length)' };
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_INVALID_CHUNK_SIZE':
      return { code: 'bad-request', detail: 'the chunked body or its Transfer-Encoding header is not valid' };
    default:
      return {
        code: 'bad-request',
        detail: 'the request is not valid HTTP (raw non-ASCII bytes in the URL or a header?); percent-encode them',
      };
  }
}

/**
 * A complete HTTP/1.1 response for an error Node's HTTP parser raises before any request exists
 * (fastify's `clientErrorHandler`): an oversized header block (431), a request not sent in time
 * (408) or bytes that are not HTTP (400). Written to the raw socket, so it is built by hand, in
 * problem+json like every other error, always with `Connection: close` (the server closes the
 * socket: the parser cannot tell where a next request would start). `head`: the request was a
 * HEAD, which gets the headers only.
 */
export function rawClientErrorResponse(
  parserCode: string | undefined,
  opts: { head?: boolean; extraHeaders?: Record<string, string> } = {},
): string {
  const { code, detail } = parserProblem(parserCode);
  const body = JSON.stringify(problemBody(code, detail, undefined));
  const status = PROBLEM_TYPES[code].status;
  const extra = Object.entries(opts.extraHeaders ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${status} ${PROBLEM_TYPES[code].title}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Content-Type-Options: nosniff\r\n${extra}Connection: close\r\n\r\n${opts.head ? '' : body}`
  );
}
