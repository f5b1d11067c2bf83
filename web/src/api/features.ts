/**
 * What this server offers, read from its OpenAPI document and job kinds at start: the page shows
 * timed itineraries, quotes and flow assignments only when the server serves them, and sends each
 * endpoint only the parameters it documents.
 */
import { client, getJson, requestJson, unwrap } from './client';
import type { JobKind } from './types';

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
interface OpenApiDoc {
  info?: { version?: string };
  paths?: Record<string, Partial<Record<'get' | 'post', OpenApiOperation>>>;
}

/** A documented endpoint and the fields it takes (query parameters for GET, body properties for POST). */
export interface Endpoint {
  path: string;
  method: 'get' | 'post';
  fields: Set<string>;
}

export interface Features {
  version: string;
  paths: Set<string>;
  /** Timed itineraries: departures, P10/P50/P90 arrival (schedules engine). */
  plans: Endpoint | null;
  /** Itemised quotes and emissions for a shipment (tariffs engine). */
  quotes: Endpoint | null;
  /** Job kinds this server runs; null when the listing needs a key the page does not have. */
  jobKinds: JobKind[] | null;
  /** A flow-assignment job kind (flows engine), if served. */
  assignKind: JobKind | null;
}

function endpoint(doc: OpenApiDoc, path: string): Endpoint | null {
  const item = doc.paths?.[path];
  if (!item) return null;
  if (item.get)
    return {
      path,
      method: 'get',
      fields: new Set((item.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
    };
  if (item.post)
    return {
      path,
      method: 'post',
      fields: new Set(Object.keys(item.post.requestBody?.content?.['application/json']?.schema?.properties ?? {})),
    };
  return null;
}

export async function detectFeatures(): Promise<Features> {
  const doc = await getJson<OpenApiDoc>('/openapi.json', 'Reading the API description');
  let jobKinds: JobKind[] | null = null;
  try {
    jobKinds = (await unwrap(client.GET('/api/v1/assignments/kinds'), 'Listing job kinds')).kinds;
  } catch {
    jobKinds = null;
  }
  return {
    version: doc.info?.version ?? '?',
    paths: new Set(Object.keys(doc.paths ?? {})),
    plans: endpoint(doc, '/api/v1/plans'),
    quotes: endpoint(doc, '/api/v1/quotes'),
    jobKinds,
    assignKind: jobKinds?.find((k) => /assign|flow/i.test(k.name) && !/^route-/.test(k.name)) ?? null,
  };
}

/**
 * Calls a documented endpoint with the values it takes; returns its JSON and the names of the
 * values it does not take (so the page can say they were not used).
 */
export async function callEndpoint(
  ep: Endpoint,
  values: Record<string, string | number | undefined>,
  what: string,
): Promise<{ data: unknown; unused: string[] }> {
  const sent: Record<string, string | number> = {};
  const unused: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') continue;
    if (ep.fields.has(k)) sent[k] = v;
    else unused.push(k);
  }
  if (ep.method === 'get') {
    const qs = new URLSearchParams(Object.entries(sent).map(([k, v]) => [k, String(v)]));
    return { data: await requestJson('GET', `${ep.path}?${qs}`, undefined, what), unused };
  }
  return { data: await requestJson('POST', ep.path, sent, what), unused };
}
