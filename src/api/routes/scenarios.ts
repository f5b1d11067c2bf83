/**
 * Scenarios: the dataset's (read-only, from data/scenarios/) and custom ones stored in the database.
 * A custom scenario is validated like a scenario file: the same schema (overlay: `extends`,
 * link and transfer edits, `changes`, …) and the same cross-record checks (everything it names
 * must exist, `extends` must not loop). The store keeps
 * the whole document; routes and plans under it compile it exactly as a scenario file. Writes
 * need the planner role.
 */
import { z } from 'zod';
import { checkServices } from '../../data/checks-services.js';
import { formatPath, IssueReport } from '../../data/issues.js';
import { checkScenariosAndDemand } from '../../data/checks-scenarios.js';
import { ScenarioFileSchema as ScenarioSchema } from '../../data/schema-scenarios.js';
import { plausibleFigures } from '../../data/schema-publications.js';
import { ActorNames } from '../guards/actors.js';
import { isLinkEnabled } from '../../network/links.js';
import type { Dataset, Scenario } from '../../model/types.js';
import { ownerToken, SCENARIO_VISIBILITIES, type ScenarioWrite, type StoredScenario } from '../../store/store.js';
import type { Principal } from '../keys.js';
import { currentReader, mayChange, maySee, notYours, readerOf } from '../guards/ownership.js';
import { resolveScenario, type ResolvedScenario, type ServiceContext } from '../context.js';
import type { RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { nth } from '../../model/invariant.js';
import { checkStoredDocument, LIMITS } from '../guards/limits.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';

const NAME = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a scenario name: lower-case words joined by hyphens')
  .max(64, 'at most 64 characters');

const ScenarioOut = z.looseObject({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  source: z
    .enum(['dataset', 'custom'])
    .describe('dataset: data/scenarios/<name>.yaml (read-only); custom: stored via this API'),
  switchesOn: z.array(z.string()).describe('Ids of the non-operational links this scenario switches on'),
  inEffect: z
    .object({ from: z.string(), to: z.string().nullable() })
    .optional()
    .describe('Dataset statuses: the days (inclusive; `to` null: still in effect) routes, quotes and plans apply it'),
  version: z.number().int().optional().describe('Custom scenarios: increases with every write; the ETag'),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  createdBy: z
    .string()
    .nullable()
    .optional()
    .describe(
      'Who created it: the API key id for admins and its own organisation, else the organisation ' +
        '(docs/security.md "Who did it")',
    ),
  updatedBy: z.string().nullable().optional().describe('Who last wrote it, shown like `createdBy`'),
  visibility: z
    .enum(SCENARIO_VISIBILITIES)
    .optional()
    .describe("Custom scenarios: private (its owner's organisation and admins) or public (every reader)"),
});

export function switchedOn(dataset: Dataset, name: string): string[] {
  return dataset.links.filter((l) => l.status !== 'operational' && isLinkEnabled(l, name)).map((l) => l.id);
}

/** What a list shows of a stored scenario: everything but the overlay itself (GET …/{name} has it). */
function storedSummary(dataset: Dataset, s: StoredScenario) {
  return {
    name: s.name,
    title: String(s.body.title ?? ''),
    description: String(s.body.description ?? ''),
    source: 'custom' as const,
    switchesOn: switchedOn(dataset, s.name),
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    createdBy: s.createdBy,
    updatedBy: s.updatedBy,
    visibility: s.visibility,
  };
}

/**
 * The body's name follows the path's rule, so what is created can be read and deleted by URL.
 * `visibility` is kept beside the document, not in it.
 */
const BodySchema = ScenarioSchema.extend({
  name: NAME,
  visibility: z
    .enum(SCENARIO_VISIBILITIES)
    .optional()
    .describe('private (default on create: your organisation and admins only) or public (every reader)'),
  // A stored scenario applies only when named: one that applied itself by date would change every
  // caller's answers.
  inEffect: z
    .never({ message: 'dated statuses (`inEffect`) belong to the dataset files; a stored scenario applies when named' })
    .optional(),
}).superRefine(plausibleFigures);

/** The document to store (without `visibility`) and what the write records beside it. */
function writeOf(body: z.infer<typeof BodySchema>, principal: Principal | undefined, keep?: StoredScenario) {
  const { visibility, ...doc } = body;
  const write: ScenarioWrite = {
    by: principal?.keyId ?? null,
    owner: keep ? keep.owner : principal ? ownerToken(principal) : null,
    visibility: visibility ?? keep?.visibility ?? 'private',
  };
  return { doc: doc as unknown as Record<string, unknown>, write };
}

/** Refuses a write over a stored scenario the caller does not own (a private one of others looks taken). */
function checkOwner(existing: StoredScenario | undefined, principal: Principal | undefined): void {
  if (!existing) return;
  const reader = readerOf(principal);
  if (!maySee(reader, existing))
    throw new HttpProblem('conflict', `the name "${existing.name}" is taken; store yours under another name`);
  if (!mayChange(reader, existing)) throw notYours(`scenario "${existing.name}"`, existing);
}

/** Limits on what a write stores: document size, string lengths, and (on create) the per-key quota. */
async function checkWrite(ctx: ServiceContext, body: unknown, keyId: string | null, creating: boolean) {
  checkStoredDocument(body);
  if (creating && keyId && (await ctx.store.countScenariosCreatedBy(keyId)) >= LIMITS.scenariosPerKey)
    throw new HttpProblem(
      'conflict',
      `this API key has stored ${LIMITS.scenariosPerKey} scenarios, the most one key may keep; delete some first`,
    );
}

function datasetJson(dataset: Dataset, s: Scenario) {
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    source: 'dataset' as const,
    switchesOn: switchedOn(dataset, s.name),
    ...(s.inEffect ? { inEffect: { from: s.inEffect.from, to: s.inEffect.to ?? null } } : {}),
  };
}
function storedJson(dataset: Dataset, s: StoredScenario) {
  return {
    ...s.body,
    name: s.name,
    source: 'custom' as const,
    switchesOn: switchedOn(dataset, s.name),
    version: s.version,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    createdBy: s.createdBy,
    updatedBy: s.updatedBy,
    visibility: s.visibility,
  };
}
const resolvedJson = (ctx: ServiceContext, r: ResolvedScenario) =>
  r.stored ? storedJson(ctx.dataset, r.stored) : datasetJson(ctx.dataset, r.scenario);
/** The creator and last writer as the reader may see them (key ids only to admins and the owner). */
type Written = { createdBy: string | null; updatedBy: string | null };
const withActors = <T extends object>(names: ActorNames, o: T): Promise<T> =>
  'createdBy' in o ? (names.named(o as T & Written, ['createdBy', 'updatedBy']) as Promise<T>) : Promise.resolve(o);

function refuseDatasetScenario(ctx: ServiceContext, name: string): void {
  if (ctx.dataset.scenarios.some((s) => s.name === name)) {
    throw new HttpProblem(
      'conflict',
      `"${name}" is a dataset scenario (data/scenarios/${name}.yaml); it is read-only here — store yours ` +
        `under another name`,
    );
  }
}

/** `If-Match: "3"` (or `3`) → 3; absent → undefined. */
function ifMatchVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const v = Array.isArray(header) ? nth(header, 0) : header;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(v);
  if (!m)
    throw invalid('header', [
      { field: 'header.If-Match', message: 'an ETag from a GET of this scenario, e.g. "3"', value: v.slice(0, 40) },
    ]);
  return Number(m[1]);
}

const etag = (version: number) => `"${version}"`;

/** The cross-record checks a scenario file gets from the loader, on a stored scenario's body. */
function checkAgainstDataset(dataset: Dataset, body: Scenario): void {
  const report = new IssueReport();
  const ds = { ...dataset, scenarios: [...dataset.scenarios, body] };
  checkServices(ds, (_record, sub = []) => ({ file: 'body', path: formatPath(sub) }), report);
  checkScenariosAndDemand(ds, new Map([[body, { file: 'body', path: [], lineOf: () => undefined }]]), report);
  const errors = report.errors.filter((e) => e.id === body.name);
  if (errors.length)
    throw invalid(
      'body',
      errors.map((e) => ({ field: `body.${e.path ?? ''}`.replace(/\.$/, ''), message: e.message })),
    );
}

export function registerScenarios(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/scenarios',
    operationId: 'listScenarios',
    summary: 'Dataset and custom scenarios (paged summaries)',
    description:
      'Summaries (name, title, description, version, who and when): the overlay itself only from ' +
      '`GET /api/v1/scenarios/{name}`. Paged: `limit` ≤ 100, `cursor` from `nextCursor`.',
    tags: ['scenarios'],
    access: 'read',
    query: z.object(pageQuery).strict(),
    responses: {
      200: {
        description: 'Dataset scenarios first, then custom ones, by name',
        schema: z.object({ scenarios: z.array(ScenarioOut), ...pageOut }),
      },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, reply, principal }) => {
      const req = pageRequest(query);
      // One ordering over both sources: dataset scenarios (key "d:<name>") before custom ones ("c:…").
      const after = req.after ?? '';
      const inDataset = after === '' || after.startsWith('d:');
      const datasetPart = inDataset
        ? [...ctx.dataset.scenarios]
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
            .filter((s) => after === '' || s.name > after.slice(2))
            .slice(0, req.limit + 1)
            .map((s) => ({ key: `d:${s.name}`, json: datasetJson(ctx.dataset, s) }))
        : [];
      const room = req.limit + 1 - datasetPart.length;
      const storedAfter = after.startsWith('c:') ? after.slice(2) : undefined;
      const stored = room > 0 ? await ctx.store.listScenarioPage(storedAfter, room, currentReader()) : [];
      const items = [
        ...datasetPart,
        ...stored.map((s) => ({ key: `c:${s.name}`, json: storedSummary(ctx.dataset, s) })),
      ];
      const { page, nextCursor } = pageOf(items, req, (i) => i.key, reply);
      const names = new ActorNames(ctx.store, principal);
      return { scenarios: await Promise.all(page.map((i) => withActors(names, i.json))), nextCursor };
    },
  });

  t.add({
    method: 'POST',
    url: '/api/v1/scenarios',
    operationId: 'createScenario',
    summary: 'Store a custom scenario',
    description:
      'The body is a scenario document, validated like data/scenarios/*.yaml (schema and cross-record ' +
      'checks of its `changes`). 409 when the name is taken.',
    tags: ['scenarios'],
    access: 'planner',
    body: BodySchema,
    responses: {
      201: { description: 'Created; `Location` and `ETag` headers', schema: ScenarioOut },
      400: { description: 'Invalid body (fields named in `errors`)', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner', schema: ProblemSchema },
      409: { description: 'Name taken', schema: ProblemSchema },
    },
    handler: async ({ body, ctx, principal, reply }) => {
      refuseDatasetScenario(ctx, body.name);
      await checkWrite(ctx, body, principal?.keyId ?? null, true);
      checkAgainstDataset(ctx.dataset, body as Scenario);
      const { doc, write } = writeOf(body, principal);
      const s = await ctx.store.createScenario(body.name, doc, write, new Date().toISOString());
      if (!s)
        throw new HttpProblem(
          'conflict',
          `a custom scenario named "${body.name}" exists; PUT /api/v1/scenarios/${body.name} replaces it`,
        );
      reply.code(201).header('location', `/api/v1/scenarios/${s.name}`).header('etag', etag(s.version));
      return storedJson(ctx.dataset, s);
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/scenarios/diff',
    operationId: 'diffScenarios',
    summary: 'What changes between two scenarios',
    description:
      'The same answer as `corridor scenario diff A B --json`: what the definitions differ in and the links each ' +
      'switches on; the best route of every lane in both; and, when `demand` names a demand set or one of the ' +
      'scenarios names one, the assignment in both (flow shifts, utilisation, bottlenecks). `demand.chosen` says ' +
      'which. `base` names the network without any scenario; several scenarios joined by commas compose.',
    tags: ['scenarios'],
    access: 'read',
    query: z
      .object({
        a: z.string().min(1).max(300).describe('A scenario name, `base`, or several joined by commas'),
        b: z.string().min(1).max(300).describe('A scenario name, `base`, or several joined by commas'),
        demand: z.string().min(1).max(100).optional().describe("Demand set to assign in both (default: B's, else A's)"),
        co2Price: z.string().max(20).optional().describe('CO2 price in USD per tonne CO2e (default 0)'),
      })
      .strict(),
    responses: {
      200: {
        description: 'The differences',
        schema: z.looseObject({
          a: z.looseObject({ scenario: z.string().nullable(), source: z.string() }),
          b: z.looseObject({ scenario: z.string().nullable(), source: z.string() }),
          definitions: z.looseObject({
            fields: z.array(z.looseObject({ field: z.string(), a: z.unknown(), b: z.unknown() })),
            links: z.looseObject({
              onlyA: z.array(z.string()),
              onlyB: z.array(z.string()),
              both: z.array(z.string()),
            }),
            changes: z.array(z.looseObject({ scenario: z.string(), kind: z.string(), target: z.string() })),
          }),
          demand: z.looseObject({ set: z.string().nullable(), chosen: z.string(), note: z.string() }),
          lanes: z.array(z.looseObject({ from: z.string(), to: z.string() })),
          flows: z.unknown().describe('The assignment comparison, or null without a demand set'),
        }),
      },
      400: { description: 'Invalid parameter', schema: ProblemSchema },
      404: { description: 'Unknown scenario', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, req, reply }) => {
      const p = await ctx.service.prepareCompare(query);
      const key = `${ctx.service.today()}|${p.key}`;
      const hit = ctx.routeCache.get(key);
      if (hit) return reply.type('application/json; charset=utf-8').send(hit);
      const body = Buffer.from(JSON.stringify(await ctx.service.compare(p)));
      ctx.routeCache.set(key, body);
      void req;
      return reply.type('application/json; charset=utf-8').send(body);
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/scenarios/:name',
    operationId: 'getScenario',
    summary: 'One scenario',
    tags: ['scenarios'],
    access: 'read',
    params: z.object({ name: NAME }),
    responses: {
      200: { description: 'The scenario; custom ones carry an `ETag`', schema: ScenarioOut },
      404: { description: 'Unknown scenario', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, reply, principal }) => {
      const r = await resolveScenario(ctx, params.name, 'path.name');
      if (r.stored) reply.header('etag', etag(r.stored.version));
      return withActors(new ActorNames(ctx.store, principal), resolvedJson(ctx, r));
    },
  });

  t.add({
    method: 'PUT',
    url: '/api/v1/scenarios/:name',
    operationId: 'putScenario',
    summary: 'Create or replace a custom scenario',
    description:
      'With `If-Match: "<version>"` the write happens only if that version is current (412 otherwise); ' +
      '`If-Match: "0"` means create only.',
    tags: ['scenarios'],
    access: 'planner',
    params: z.object({ name: NAME }),
    body: BodySchema,
    headerParams: [
      { name: 'If-Match', description: 'ETag of the version this write replaces', schema: { type: 'string' } },
    ],
    responses: {
      200: { description: 'Replaced', schema: ScenarioOut },
      201: { description: 'Created', schema: ScenarioOut },
      400: { description: 'Invalid body, or body name ≠ path name', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner, or the scenario is not yours', schema: ProblemSchema },
      409: { description: 'A dataset scenario, or a name taken by another organisation', schema: ProblemSchema },
      412: { description: 'If-Match does not name the current version', schema: ProblemSchema },
    },
    handler: async ({ params, body, ctx, principal, req, reply }) => {
      if (body.name !== params.name)
        throw invalid('body', [
          { field: 'body.name', message: `must equal the name in the path ("${params.name}")`, value: body.name },
        ]);
      refuseDatasetScenario(ctx, params.name);
      const existing = await ctx.store.findScenario(params.name);
      checkOwner(existing, principal);
      await checkWrite(ctx, body, principal?.keyId ?? null, existing === undefined);
      checkAgainstDataset(ctx.dataset, body as Scenario);
      const ifVersion = ifMatchVersion(req.headers['if-match']);
      const { doc, write } = writeOf(body, principal, existing);
      const r = await ctx.store.putScenario(params.name, doc, write, new Date().toISOString(), ifVersion);
      if (r.outcome === 'version-mismatch') {
        throw new HttpProblem(
          'precondition-failed',
          `If-Match ${ifVersion} is not the current ` +
            `version (${r.current?.version ?? 'none: the scenario does not exist'})`,
          {
            currentVersion: r.current?.version ?? null,
          },
        );
      }
      reply.code(r.outcome === 'created' ? 201 : 200).header('etag', etag(r.scenario.version));
      if (r.outcome === 'created') reply.header('location', `/api/v1/scenarios/${params.name}`);
      return storedJson(ctx.dataset, r.scenario);
    },
  });

  t.add({
    method: 'DELETE',
    url: '/api/v1/scenarios/:name',
    operationId: 'deleteScenario',
    summary: 'Delete a custom scenario',
    tags: ['scenarios'],
    access: 'planner',
    params: z.object({ name: NAME }),
    responses: {
      204: { description: 'Deleted' },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner, or the scenario is not yours', schema: ProblemSchema },
      404: { description: 'No custom scenario of that name', schema: ProblemSchema },
      409: { description: 'A dataset scenario', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, principal, reply }) => {
      refuseDatasetScenario(ctx, params.name);
      const existing = await ctx.store.findScenario(params.name);
      const reader = readerOf(principal);
      if (existing && !maySee(reader, existing))
        throw new HttpProblem('unknown-scenario', `no custom scenario named "${params.name}"`);
      if (existing && !mayChange(reader, existing)) throw notYours(`scenario "${params.name}"`, existing);
      if (!(await ctx.store.deleteScenario(params.name, principal?.keyId ?? null, new Date().toISOString()))) {
        throw new HttpProblem('unknown-scenario', `no custom scenario named "${params.name}"`);
      }
      reply.code(204).send();
      return undefined;
    },
  });
}
