/**
 * The typed API client (openapi-fetch over the generated `paths`), same origin only. An API key,
 * when the user gives one, is kept for the browser session (sessionStorage, never in the URL) and
 * sent as a Bearer token. Every failure becomes an ApiError whose message says what went wrong:
 * the problem's detail from the server, or that the server cannot be reached.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';
import type { Problem } from './types';

const KEY_STORAGE = 'corridor.apiKey';

export function apiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}
export function setApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage disabled: the key lasts until reload */
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const key = apiKey();
    if (key) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

export const client = createClient<paths>({ baseUrl: window.location.origin });
client.use(auth);

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(message);
  }
}

function isProblem(x: unknown): x is Problem {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Problem).detail === 'string' &&
    typeof (x as Problem).status === 'number'
  );
}

/** Awaits an openapi-fetch call; returns the data or throws an ApiError that names `what` failed. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  what: string,
): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(
      `${what}: the Corridor server cannot be reached (${e instanceof Error ? e.message : String(e)}). Is it running?`,
      0,
      null,
    );
  }
  if (r.response.ok && r.data !== undefined) return r.data;
  const p = isProblem(r.error) ? r.error : null;
  const detail = p ? p.detail : `HTTP ${r.response.status} ${r.response.statusText}`.trim();
  throw new ApiError(`${what}: ${detail}`, r.response.status, p);
}

/** A same-origin JSON request outside the typed paths (the OpenAPI document, feature-detected endpoints). */
export async function requestJson<T>(method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<T> {
  return (await request<T>(method, path, body, what)).data;
}

/**
 * A same-origin JSON request with its response headers (paging cursors, Location): any method,
 * extra request headers (Idempotency-Key), a body-less answer (202 without content) as null.
 */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body: unknown,
  what: string,
  extra: Record<string, string> = {},
): Promise<{ data: T; headers: Headers; status: number }> {
  const key = apiKey();
  const headers: Record<string, string> = { ...extra, ...(key ? { authorization: `Bearer ${key}` } : {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    throw new ApiError(
      `${what}: the Corridor server cannot be reached (${e instanceof Error ? e.message : String(e)}). Is it running?`,
      0,
      null,
    );
  }
  const text = await res.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok)
    throw new ApiError(
      `${what}: ${isProblem(json) ? json.detail : `HTTP ${res.status} ${res.statusText}`.trim()}`,
      res.status,
      isProblem(json) ? json : null,
    );
  return { data: json as T, headers: res.headers, status: res.status };
}

export const getJson = <T>(path: string, what: string): Promise<T> => requestJson<T>('GET', path, undefined, what);
