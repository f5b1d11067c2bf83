/**
 * Operators and their publications. `GET /api/v1/operators` lists the operator ids derived from
 * the data (src/model/operators.ts) with the links, services and tariff components each one owns;
 * an operator key (or an admin) publishes services, tariff components and link capacities of its
 * operator under `/api/v1/operators/{operator}/…`. A publication is validated with the schema and
 * the cross-record checks of the data files, stored as a revision, and takes effect for every
 * request served afterwards (src/api/publications.ts). Decision: docs/decisions/0014.
 */
import { z } from 'zod';
import { publicationErrors } from '../../data/check-publication.js';
import {
  CapacityPublicationSchema,
  ServicePublicationSchema,
  TariffPublicationSchema,
} from '../../data/schema-publications.js';
import { operatorDirectory, operatorIdsOf, type OperatorEntry } from '../../model/operators.js';
import { editDistance } from '../../model/text.js';
import {
  applyPublications,
  currentRecord,
  ownershipProblem,
  splitTariffTarget,
  type Publication,
  type PublicationKind,
  type PublishedCapacity,
  type PublishedService,
  type PublishedTariff,
} from '../../scenario/publications.js';
import type { PublicationRevision, StoredPublication } from '../../store/store.js';
import type { ServiceContext } from '../context.js';
import type { Principal } from '../keys.js';
import type { Parsed, RouteTable } from '../define-route.js';
import { HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { must } from '../../model/invariant.js';
import { ActorNames } from '../guards/actors.js';
import { LIMITS } from '../guards/limits.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugParam = (what: string) => z.string().max(100).regex(SLUG, `${what}: lower-case words joined by hyphens`);
const OperatorParam = z.object({ operator: slugParam('an operator id (GET /api/v1/operators lists them)') });

const TariffComponentRefOut = z.object({ tariffSet: z.string(), section: z.string(), id: z.string() });
const OperatorOut = z.object({
  id: z.string().describe('Stable id derived from the operator names of the data'),
  names: z.array(z.string()).describe('The operator texts of the data this id appears in'),
  links: z.array(z.string()),
  services: z.array(z.string()),
  tariffComponents: z.array(TariffComponentRefOut),
  publications: z.number().int().describe('Current publications of this operator'),
});
const OperatorSummaryOut = z.object({
  id: z.string().describe('Stable id derived from the operator names of the data'),
  names: z.array(z.string()).describe('The operator texts of the data this id appears in'),
  linkCount: z.number().int(),
  serviceCount: z.number().int(),
  tariffComponentCount: z.number().int(),
  publications: z.number().int().describe('Current publications of this operator'),
});
const PublicationOut = z.looseObject({
  kind: z.enum(['service', 'tariff', 'link-capacity']),
  target: z.string().describe('Service id, `<tariff set>/<component id>` or link id'),
  operator: z.string(),
  body: z.record(z.string(), z.unknown()).describe('What was published, with its provenance'),
  revision: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z
    .string()
    .nullable()
    .describe(
      'Who published: the API key id for admins and its own organisation; for other readers its organisation ' +
        'or operator id (docs/security.md "Who did it")',
    ),
  applied: z
    .boolean()
    .optional()
    .describe(
      'false: held back, because the data files changed since it was published and it no longer fits them ' +
        '(see `problems`); withdraw or republish it',
    ),
  problems: z.array(z.string()).optional().describe('Why a held-back publication is not applied'),
});
const RevisionOut = z.looseObject({
  revision: z.number().int(),
  kind: z.string(),
  target: z.string(),
  operator: z.string(),
  action: z
    .enum(['publish', 'delete'])
    .describe('delete: the publication was withdrawn and the files’ value applies again'),
  body: z.record(z.string(), z.unknown()).nullable(),
  previous: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The publication this one replaced; null: the files’ value'),
  at: z.string(),
  by: z.string().nullable().describe('Who: shown like `publishedBy`'),
});

const writeErrors = {
  400: { description: 'Invalid body: `errors` names each field and what is valid', schema: ProblemSchema },
  401: { description: 'No or invalid API key', schema: ProblemSchema },
  403: {
    description: 'Role below operator, a key bound to another operator, or a record of another operator',
    schema: ProblemSchema,
  },
  404: {
    description: 'Unknown operator, link, service, tariff set or publication, with the closest matches',
    schema: ProblemSchema,
  },
};

const publishErrors = {
  ...writeErrors,
  409: {
    description: 'A new record beyond the publications one operator may keep (500): replace or withdraw one',
    schema: ProblemSchema,
  },
};

function closest(value: string, candidates: Iterable<string>, n = 3): string[] {
  return [...candidates]
    .map((c) => ({ c, d: editDistance(value.toLowerCase(), c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, n)
    .map((x) => x.c);
}

function notFound(what: string, value: string, candidates: Iterable<string>): HttpProblem {
  const close = closest(value, candidates);
  return new HttpProblem(
    'not-found',
    `unknown ${what} "${value}"${close.length ? `; closest: ${close.join(', ')}` : ''}`,
    { candidates: close },
  );
}

function findOperator(ctx: ServiceContext, id: string): OperatorEntry {
  const dir = operatorDirectory(ctx.dataset);
  const e = dir.find((o) => o.id === id);
  if (!e)
    throw notFound(
      'operator',
      id,
      dir.map((o) => o.id),
    );
  return e;
}

/** Admin writes for any operator; an operator key only for the operator it is bound to. */
function authorizeOperator(principal: Principal | undefined, operator: string): void {
  if (!principal || principal.role === 'admin') return;
  const bound = operatorIdsOf(principal.operator ?? '');
  if (!bound.includes(operator)) {
    throw new HttpProblem(
      'forbidden',
      `this key is bound to operator ${bound.join(', ') || '(none)'}; it may publish only under ` +
        `/api/v1/operators/${bound[0] ?? '…'}/, not for ${operator}`,
      {
        requiredRole: 'admin',
        role: principal.role,
        operator: bound[0] ?? null,
      },
    );
  }
}

const publicationJson = (p: StoredPublication) => ({
  kind: p.kind,
  target: p.target,
  operator: p.operator,
  body: p.body,
  revision: p.revision,
  publishedAt: p.publishedAt,
  publishedBy: p.publishedBy,
});
const revisionJson = (r: PublicationRevision) => r;

/** Field of the request body a cross-check error points at. */
function bodyField(root: string, path: string | undefined): string {
  if (!root) return path ? `body.${path}` : 'body';
  if (!path) return `body.${root}`;
  return `body.${root}${path.startsWith('[') ? '' : '.'}${path}`;
}

/**
 * The shared write path: authorize, check ownership, run the data checks on the world with the
 * publication applied, store it, and bring this instance's world up to date.
 */
async function publish(
  p: Parsed<unknown, { operator: string }, unknown>,
  kind: PublicationKind,
  target: string,
  body: PublishedService | PublishedTariff | PublishedCapacity,
  root: string,
): Promise<{ publication: ReturnType<typeof publicationJson> }> {
  const { ctx, principal, params } = p;
  const operator = params.operator;
  const world = ctx.published;
  await world.refresh();
  const owner = ownershipProblem(ctx.dataset, operator, kind, target, body);
  if (owner) throw new HttpProblem('forbidden', owner, { operator, ...(principal ? { role: principal.role } : {}) });
  const current = (await ctx.store.listPublications()).filter((x) => x.operator === operator);
  const replaces = current.some((x) => x.kind === kind && x.target === target);
  if (!replaces && current.length >= LIMITS.publicationsPerOperator)
    throw new HttpProblem(
      'conflict',
      `operator ${operator} has ${current.length} current publications, the most one operator may keep ` +
        `(${LIMITS.publicationsPerOperator}); replace or withdraw one first`,
      { operator, limit: LIMITS.publicationsPerOperator },
    );
  const candidate = {
    kind,
    target,
    operator,
    body,
    revision: world.revision + 1,
    publishedAt: new Date().toISOString(),
    publishedBy: principal?.keyId ?? null,
  } as Publication;
  const next = applyPublications(world.base, [
    ...world.applied.filter((x) => !(x.kind === kind && x.target === target && x.operator === operator)),
    candidate,
  ]);
  const errors = publicationErrors(next, kind, target);
  if (errors.length)
    throw invalid(
      'body',
      errors.map((e) => ({ field: bodyField(root, e.path), message: e.message })),
    );
  const stored = await ctx.store.putPublication(
    { kind, target, operator, body: body as unknown as Record<string, unknown> },
    principal?.keyId ?? null,
    candidate.publishedAt,
  );
  await world.refresh();
  return { publication: publicationJson(stored) };
}

async function withdrawPublication(
  p: Parsed<unknown, { operator: string }, unknown>,
  kind: PublicationKind,
  target: string,
  what: string,
): Promise<undefined> {
  const { ctx, principal, params, reply } = p;
  const world = ctx.published;
  await world.refresh();
  const mine = world.publications.filter((x) => x.operator === params.operator);
  const pub = mine.find((x) => x.kind === kind && x.target === target);
  if (!pub) {
    throw notFound(
      `${what} publication of ${params.operator}`,
      target,
      mine.filter((x) => x.kind === kind).map((x) => x.target),
    );
  }
  await ctx.store.deletePublication(kind, target, principal?.keyId ?? null, new Date().toISOString(), params.operator);
  await world.refresh();
  reply.code(204).send();
  return undefined;
}

const PublicationResult = z.object({
  publication: PublicationOut,
  effective: z.unknown().describe('The record as routes, plans and quotes now see it (null: withdrawn)'),
});

export function registerOperators(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/operators',
    operationId: 'listOperators',
    summary: 'Operators named in the data, with the links, services and tariff components each owns',
    description:
      'Operator ids are derived from the free-text operator names of links.yaml, services.yaml and the ' +
      'tariff files (docs/api.md#operators). A joint record ("ADY / Georgian Railway") belongs to each ' +
      'operator it names.',
    tags: ['operators'],
    access: 'read',
    query: z.object(pageQuery).strict(),
    responses: {
      200: {
        description: 'Operators by id, as summaries (GET /api/v1/operators/{operator} lists the records)',
        schema: z.object({ revision: z.number().int(), operators: z.array(OperatorSummaryOut), ...pageOut }),
      },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
    },
    handler: async ({ ctx, query, reply }) => {
      const req = pageRequest(query);
      const world = ctx.published;
      await world.refresh();
      const count = new Map<string, number>();
      for (const p of world.publications) count.set(p.operator, (count.get(p.operator) ?? 0) + 1);
      const after = operatorDirectory(ctx.dataset)
        .filter((o) => req.after === undefined || o.id > req.after)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, req.limit + 1);
      const { page, nextCursor } = pageOf(after, req, (o) => o.id, reply);
      return {
        revision: world.revision,
        operators: page.map((o) => ({
          id: o.id,
          names: o.names,
          linkCount: o.links.length,
          serviceCount: o.services.length,
          tariffComponentCount: o.tariffComponents.length,
          publications: count.get(o.id) ?? 0,
        })),
        nextCursor,
      };
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/operators/:operator',
    operationId: 'getOperator',
    summary: "An operator's records, its current publications and their history",
    tags: ['operators'],
    access: 'read',
    description:
      '`history` is paged (`limit`, `cursor`, oldest first; `nextCursor` for the next page); `publications` are ' +
      'the current ones, one per record.',
    params: OperatorParam,
    query: z.object(pageQuery).strict(),
    responses: {
      200: {
        description: 'The operator',
        schema: OperatorOut.extend({
          publications: z.array(PublicationOut),
          history: z.array(RevisionOut),
          ...pageOut,
        }),
      },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
      404: { description: 'Unknown operator, with the closest ids', schema: ProblemSchema },
    },
    handler: async ({ ctx, params, principal, query, reply }) => {
      const req = pageRequest(query);
      const afterRevision = req.after === undefined ? undefined : Number(req.after);
      if (afterRevision !== undefined && !Number.isInteger(afterRevision))
        throw invalid('query', [{ field: 'query.cursor', message: 'not a cursor from a previous page' }]);
      await ctx.published.refresh();
      const o = findOperator(ctx, params.operator);
      const names = new ActorNames(ctx.store, principal);
      const held = new Map(
        ctx.published.heldBack.filter((h) => h.operator === o.id).map((h) => [`${h.kind}:${h.target}`, h.problems]),
      );
      const publications = await Promise.all(
        (await ctx.store.listPublications())
          .filter((p) => p.operator === o.id)
          .map(async (p) => {
            const problems = held.get(`${p.kind}:${p.target}`);
            const named = await names.named(publicationJson(p), ['publishedBy']);
            return { ...named, applied: !problems, ...(problems ? { problems } : {}) };
          }),
      );
      const rows = await ctx.store.listPublicationRevisions({
        operator: o.id,
        limit: req.limit + 1,
        ...(afterRevision !== undefined ? { afterRevision } : {}),
      });
      const { page, nextCursor } = pageOf(rows, req, (r) => String(r.revision), reply);
      const history = await Promise.all(page.map((r) => names.named(revisionJson(r), ['by'])));
      return { ...o, publications, history, nextCursor };
    },
  });

  // --- services
  t.add({
    method: 'PUT',
    url: '/api/v1/operators/:operator/services/:service',
    operationId: 'publishService',
    summary: 'Add, replace or withdraw one of your services',
    description:
      'Body `{service: <as in services.yaml>, source | assumption}` adds or replaces the service; ' +
      '`{withdrawn: true, source | assumption}` takes it out of service. The service must name you as ' +
      'operator and run only over links you operate; it is checked like services.yaml (links exist and ' +
      'follow on, one transport class, calendar, sources). Numbers inside may cite ' +
      '`published-by-<operator>` (this publication) or a source of sources.yaml.',
    tags: ['operators'],
    access: 'operator',
    params: OperatorParam.extend({ service: slugParam('a service id') }),
    body: ServicePublicationSchema,
    responses: { 200: { description: 'Published; effective at once', schema: PublicationResult }, ...publishErrors },
    handler: async (p) => {
      const { params, body, ctx, principal } = p;
      findOperator(ctx, params.operator);
      authorizeOperator(principal, params.operator);
      if (body.service && body.service.id !== params.service)
        throw invalid('body', [
          {
            field: 'body.service.id',
            message: `must equal the service id in the path ("${params.service}")`,
            value: body.service.id,
          },
        ]);
      if (body.withdrawn && !currentRecord(ctx.dataset, 'service', params.service)) {
        throw notFound(
          'service (nothing to withdraw)',
          params.service,
          (ctx.dataset.services ?? []).map((s) => s.id),
        );
      }
      const out = await publish(
        p as Parsed<unknown, { operator: string }, unknown>,
        'service',
        params.service,
        body as PublishedService,
        'service',
      );
      return { ...out, effective: ctx.dataset.services?.find((s) => s.id === params.service) ?? null };
    },
  });
  t.add({
    method: 'DELETE',
    url: '/api/v1/operators/:operator/services/:service',
    operationId: 'unpublishService',
    summary: 'Withdraw your publication of a service (the files’ version applies again)',
    tags: ['operators'],
    access: 'operator',
    params: OperatorParam.extend({ service: slugParam('a service id') }),
    responses: { 204: { description: 'Withdrawn' }, ...writeErrors },
    handler: async (p) => {
      findOperator(p.ctx, p.params.operator);
      authorizeOperator(p.principal, p.params.operator);
      return withdrawPublication(
        p as Parsed<unknown, { operator: string }, unknown>,
        'service',
        p.params.service,
        'service',
      );
    },
  });

  // --- tariffs
  const tariffParams = OperatorParam.extend({
    tariffSet: slugParam('a tariff set id'),
    component: slugParam('a tariff component id'),
  });
  t.add({
    method: 'PUT',
    url: '/api/v1/operators/:operator/tariffs/:tariffSet/:component',
    operationId: 'publishTariffComponent',
    summary: 'Add, replace or withdraw one of your tariff components in a tariff set',
    description:
      'Body: exactly one of `legCharge`, `stopCharge`, `throughRate` (as in the tariff files; its `id` is ' +
      'the one in the path and its `operator` names you) or `withdrawn: true`, with `source` or ' +
      '`assumption`. Checked like a tariff file (links and locations exist, FX covers the currency, ' +
      'through-rate chains connect).',
    tags: ['operators'],
    access: 'operator',
    params: tariffParams,
    body: TariffPublicationSchema,
    responses: { 200: { description: 'Published; effective at once', schema: PublicationResult }, ...publishErrors },
    handler: async (p) => {
      const { params, body, ctx, principal } = p;
      findOperator(ctx, params.operator);
      authorizeOperator(principal, params.operator);
      const sets = ctx.dataset.pricing?.tariffSets ?? [];
      if (!sets.some((s) => s.id === params.tariffSet))
        throw notFound(
          'tariff set',
          params.tariffSet,
          sets.map((s) => s.id),
        );
      const target = `${params.tariffSet}/${params.component}`;
      const { legCharge, stopCharge, throughRate, withdrawn, ...provenance } = body;
      const [section, component, root] = legCharge
        ? (['legCharges', legCharge, 'legCharge'] as const)
        : stopCharge
          ? (['stopCharges', stopCharge, 'stopCharge'] as const)
          : throughRate
            ? (['throughRates', throughRate, 'throughRate'] as const)
            : ([undefined, undefined, 'withdrawn'] as const);
      if (component && component.id !== params.component)
        throw invalid('body', [
          {
            field: `body.${root}.id`,
            message: `must equal the component id in the path ("${params.component}")`,
            value: component.id,
          },
        ]);
      if (withdrawn && !currentRecord(ctx.dataset, 'tariff', target)) {
        const set = must(sets.find((s) => s.id === params.tariffSet));
        throw notFound(
          `component of tariff set ${params.tariffSet} (nothing to withdraw)`,
          params.component,
          [...set.legCharges, ...set.stopCharges, ...set.throughRates].map((c) => c.id),
        );
      }
      const pub = (
        section ? { ...provenance, section, component } : { ...provenance, withdrawn: true }
      ) as PublishedTariff;
      const out = await publish(p as Parsed<unknown, { operator: string }, unknown>, 'tariff', target, pub, root);
      const { tariffSet, id } = splitTariffTarget(target);
      const set = ctx.dataset.pricing?.tariffSets.find((s) => s.id === tariffSet);
      return {
        ...out,
        effective: set
          ? ([...set.legCharges, ...set.stopCharges, ...set.throughRates].find((c) => c.id === id) ?? null)
          : null,
      };
    },
  });
  t.add({
    method: 'DELETE',
    url: '/api/v1/operators/:operator/tariffs/:tariffSet/:component',
    operationId: 'unpublishTariffComponent',
    summary: 'Withdraw your publication of a tariff component (the file’s version applies again)',
    tags: ['operators'],
    access: 'operator',
    params: tariffParams,
    responses: { 204: { description: 'Withdrawn' }, ...writeErrors },
    handler: async (p) => {
      findOperator(p.ctx, p.params.operator);
      authorizeOperator(p.principal, p.params.operator);
      return withdrawPublication(
        p as Parsed<unknown, { operator: string }, unknown>,
        'tariff',
        `${p.params.tariffSet}/${p.params.component}`,
        'tariff',
      );
    },
  });

  // --- capacities
  const capacityParams = OperatorParam.extend({ link: slugParam('a link id') });
  t.add({
    method: 'PUT',
    url: '/api/v1/operators/:operator/capacities/:link',
    operationId: 'publishLinkCapacity',
    summary: 'Publish the yearly capacity of a link you operate',
    description:
      'Body `{capacityPerYear: {value, unit}, source | assumption}`: per direction, as links.yaml. ' +
      'Transfers (border crossings, terminals) say in the data who runs them nowhere, so their capacities ' +
      'are not published here.',
    tags: ['operators'],
    access: 'operator',
    params: capacityParams,
    body: CapacityPublicationSchema,
    responses: { 200: { description: 'Published; effective at once', schema: PublicationResult }, ...publishErrors },
    handler: async (p) => {
      const { params, body, ctx, principal } = p;
      findOperator(ctx, params.operator);
      authorizeOperator(principal, params.operator);
      if (!ctx.dataset.links.some((l) => l.id === params.link))
        throw notFound(
          'link',
          params.link,
          ctx.dataset.links.map((l) => l.id),
        );
      // The lowest of the operators' figures applies (bindingCapacity): only figures in one unit compare.
      const other = ctx.published.applied.find(
        (x) =>
          x.kind === 'link-capacity' &&
          x.target === params.link &&
          x.operator !== params.operator &&
          x.body.capacityPerYear.unit !== body.capacityPerYear.unit,
      ) as (Publication & { kind: 'link-capacity' }) | undefined;
      if (other)
        throw invalid('body', [
          {
            field: 'body.capacityPerYear.unit',
            message:
              `${other.operator} publishes this shared link's capacity in ${other.body.capacityPerYear.unit}; ` +
              'publish yours in the same unit so the two compare',
            value: body.capacityPerYear.unit,
          },
        ]);
      const out = await publish(
        p as Parsed<unknown, { operator: string }, unknown>,
        'link-capacity',
        params.link,
        body as PublishedCapacity,
        '',
      );
      return { ...out, effective: ctx.dataset.links.find((l) => l.id === params.link)?.capacityPerYear ?? null };
    },
  });
  t.add({
    method: 'DELETE',
    url: '/api/v1/operators/:operator/capacities/:link',
    operationId: 'unpublishLinkCapacity',
    summary: 'Withdraw your published capacity of a link (the file’s value applies again)',
    tags: ['operators'],
    access: 'operator',
    params: capacityParams,
    responses: { 204: { description: 'Withdrawn' }, ...writeErrors },
    handler: async (p) => {
      findOperator(p.ctx, p.params.operator);
      authorizeOperator(p.principal, p.params.operator);
      return withdrawPublication(
        p as Parsed<unknown, { operator: string }, unknown>,
        'link-capacity',
        p.params.link,
        'capacity',
      );
    },
  });
}
