/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (JSON Schema 2020-12 is
 * OpenAPI 3.1's schema dialect, so zod's output goes in unchanged).
 */
import { z } from 'zod';
import type { AnyRouteSpec } from './define-route.js';
import { PROBLEM_TYPES } from './problem.js';

function jsonSchema(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const SECURITY_NOTE =
  'Keys: `Authorization: Bearer <key>` (or `X-API-Key`). Roles, each including the ones before: ' +
  'viewer, planner (scenarios, jobs), operator, admin (keys).';

export function openApiDocument(specs: readonly AnyRouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const s of specs) {
    if (s.hidden) continue;
    const path = s.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [];
    const addObject = (schema: z.ZodType | undefined, where: 'query' | 'path') => {
      if (!schema) return;
      const js = jsonSchema(schema, 'input') as {
        properties?: Record<string, Record<string, unknown>>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        const { description, ...rest } = prop;
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (js.required ?? []).includes(name),
          ...(description ? { description } : {}),
          schema: rest,
        });
      }
    };
    addObject(s.query, 'query');
    addObject(s.params, 'path');
    for (const h of s.headerParams ?? [])
      parameters.push({
        name: h.name,
        in: 'header',
        required: h.required ?? false,
        description: h.description,
        schema: h.schema,
      });
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(s.responses)) {
      const ct =
        r.contentType ?? (Number(status) >= 400 && !s.onInvalid ? 'application/problem+json' : 'application/json');
      responses[status] = {
        description: r.description,
        ...(r.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(r.headers).map(([k, v]) => [k, { description: v.description, schema: v.schema }]),
              ),
            }
          : {}),
        ...(r.schema
          ? { content: { [ct]: { schema: jsonSchema(r.schema, 'output') } } }
          : r.contentType
            ? { content: { [ct]: { schema: { type: 'string' } } } }
            : {}),
      };
    }
    if (s.access !== 'public') {
      responses['429'] ??= {
        description: 'Rate limited',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    const op: Record<string, unknown> = {
      operationId: s.operationId,
      summary: s.summary,
      ...(s.description ? { description: s.description } : {}),
      tags: s.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(s.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body, 'input') } } } }
        : {}),
      responses,
      security:
        s.access === 'public' || s.access === 'read'
          ? [{}, { bearer: [] }, { apiKey: [] }]
          : [{ bearer: [] }, { apiKey: [] }],
      ...(s.access !== 'public' && s.access !== 'read' ? { 'x-required-role': s.access } : {}),
    };
    paths[path] ??= {};
    paths[path][s.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Corridor API',
      version,
      description:
        'Routes, scenarios and jobs on the Middle Corridor and its alternatives, and DCSA Commercial Schedules ' +
        `point-to-point routings.\n\n${SECURITY_NOTE}\n\nErrors are RFC 9457 problem details: ${Object.keys(
          PROBLEM_TYPES,
        )
          .map((c) => `\`/problems/${c}\``)
          .join(', ')}.`,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `corridor keys create`' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
          },
          required: ['type', 'title', 'status', 'detail'],
        },
      },
    },
  };
}
