/**
 * Names for the response types of the endpoints the page uses, taken from the types generated from
 * the server's OpenAPI document (openapi.d.ts). Fields the server may add later (quotes,
 * emissions, departures, flows) are not in these types: the page feature-detects them (extras.ts).
 */
import type { paths } from './openapi';

type Ok<P extends keyof paths, M extends 'get' | 'post', C extends string = 'application/json'> = paths[P][M] extends {
  responses: { 200: { content: Record<C, infer T> } };
}
  ? T
  : paths[P][M] extends { responses: { 202: { content: Record<C, infer T> } } }
    ? T
    : never;

export type RouteResult = Ok<'/api/v1/routes', 'get'>;
export type RouteOption = RouteResult['options'][number];
export type Leg = RouteOption['legs'][number];
export type Stop = RouteOption['stops'][number];
export type Totals = RouteOption['totals'];
export type Alternative = RouteResult['alternatives'][number];
export type RouteQueryParams = NonNullable<paths['/api/v1/routes']['get']['parameters']['query']>;

export type Network = Ok<'/api/v1/network', 'get', 'application/geo+json'>;
export type NetworkFeature = Network['features'][number];
export type LinkFeature = Extract<NetworkFeature, { geometry: { type: 'LineString' } }>;
export type LocationFeature = Extract<NetworkFeature, { properties: { featureType: 'location' } }>;
export type PassageFeature = Extract<NetworkFeature, { properties: { featureType: 'passage' } }>;
export type Cited = LinkFeature['properties']['cited'][number];
export type SourceInfo = Network['sources'][string];

export type Place = Ok<'/api/v1/locations', 'get'>['locations'][number];
export type Scenario = Ok<'/api/v1/scenarios', 'get'>['scenarios'][number];
export type ScenarioDiff = Ok<'/api/v1/scenarios/diff', 'get'>;
export type JobKind = Ok<'/api/v1/assignments/kinds', 'get'>['kinds'][number];
export type Job = Ok<'/api/v1/assignments/{id}', 'get'>;
export type Sweep = Ok<'/api/v1/sweeps/{id}', 'get'>;

/** RFC 9457 problem details, as every error of the API is. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { field: string; message: string; value?: string }[];
  candidates?: string[];
  requestId?: string;
}
