/**
 * Sweeps: a Monte Carlo sensitivity split into many small `sweep-draw` jobs any worker can run
 * (in this process, in `corridor worker` processes on other hosts), aggregated when read. The
 * header and every run are written in one transaction, so an accepted sweep has all its runs; a
 * run's job id derives from the sweep id and its index, so reading needs no list of ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isCorridorError } from '../../model/errors.js';
import { PRIORITY, type QueueJob } from '../../queue/queue.js';
import { CorridorService } from '../../service/service.js';
import { aggregateSweep, checkSweep, type DrawOutcome, type SweepRequest, sweepRuns } from '../../service/sweep.js';
import { ownerToken, type StoredSweep } from '../../store/store.js';
import type { ServiceContext } from '../context.js';
import { problemFromCorridorError } from '../corridor-errors.js';
import type { RouteTable } from '../define-route.js';
import { mayChange, readerOf } from '../guards/ownership.js';
import type { JobData } from '../jobs/jobs.js';
import { SweepRequestSchema } from '../jobs/kinds/sweep-draw.js';
import type { Principal } from '../keys.js';
import { type FieldError, HttpProblem, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';

/** `<createdAt>|<id>` of a sweeps cursor; a forged one without the bar reads as a time only. */
const splitKey = (key: string): [string, string | undefined] => {
  const i = key.lastIndexOf('|');
  return i < 0 ? [key, undefined] : [key.slice(0, i), key.slice(i + 1)];
};

/** Runs per sweep: draws × levels + 2 per range; beyond this a sweep is a batch for `corridor sweep`. */
export const MAX_SWEEP_RUNS = 5000;
const QUEUE = 'sweep-draw';

/** The job id of run `index` of sweep `sweepId`: a UUID (version 8, name-based) from both. */
export function sweepRunId(sweepId: string, index: number): string {
  const h = createHash('sha256').update(`${sweepId}:${index}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const Dist = z.object({ p10: z.number(), p50: z.number(), p90: z.number() });
const SweepOut = z.looseObject({
  id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  request: z.unknown(),
  runs: z.object({
    total: z.number().int(),
    queued: z.number().int(),
    running: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
  createdAt: z.string(),
  createdBy: z.string().nullable().describe('The owner: `org:<organisation>`, or the key id of a key without one'),
  errors: z.array(z.string()).optional().describe('The first failed runs’ errors'),
  summary: z
    .looseObject({
      levels: z.array(
        z.looseObject({
          level: z.number(),
          draws: z.number().int(),
          objectiveUsd: Dist,
          unmetTeu: Dist,
          binds: z.array(z.object({ id: z.string(), probability: z.number() })),
        }),
      ),
      tornado: z.array(z.looseObject({ label: z.string(), swingUsd: z.number() })),
    })
    .optional()
    .describe('Once every run has finished: the distributions over the runs that succeeded'),
});

const ID = z.object({ id: z.string().uuid('a sweep id (UUID)') });

function ownerCheck(s: StoredSweep | undefined, p: Principal | undefined, id: string): StoredSweep {
  // Another organisation's sweep is reported as absent: its existence is not the caller's business.
  if (!s || !mayChange(readerOf(p), { owner: s.createdBy }))
    throw new HttpProblem('not-found', `no sweep with id ${id}`);
  return s;
}

function queueOf(ctx: ServiceContext) {
  if (!ctx.jobs) throw new HttpProblem('unavailable', 'this instance has no job queue');
  return ctx.jobs.queue;
}

async function runsOf(ctx: ServiceContext, s: StoredSweep): Promise<(QueueJob | undefined)[]> {
  const queue = queueOf(ctx);
  const out: (QueueJob | undefined)[] = [];
  // Bounded parallelism: a pool of database connections, not one per run.
  for (let i = 0; i < s.runs; i += 32) {
    const ids = Array.from({ length: Math.min(32, s.runs - i) }, (_, k) => sweepRunId(s.id, i + k));
    out.push(...(await Promise.all(ids.map((id) => queue.getJob(QUEUE, id)))));
  }
  return out;
}

async function sweepJson(ctx: ServiceContext, s: StoredSweep, withSummary: boolean) {
  const runs = await runsOf(ctx, s);
  const count = { total: s.runs, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  const outcomes: DrawOutcome[] = [];
  const errors: string[] = [];
  for (const j of runs) {
    // A run missing from the engine was archived or removed by its retention: counted as failed.
    const state = j?.state ?? 'failed';
    count[state]++;
    if (j?.state === 'succeeded') outcomes.push(j.output as DrawOutcome);
    else if (state === 'failed' && errors.length < 5)
      errors.push((j?.output as { message?: string } | null)?.message ?? 'the run is no longer on the job engine');
  }
  const open = count.queued + count.running;
  const status =
    open > 0
      ? count.running + count.succeeded + count.failed > 0
        ? 'running'
        : 'queued'
      : count.cancelled > 0
        ? 'cancelled'
        : count.failed > 0
          ? 'failed'
          : 'succeeded';
  let summary: unknown;
  if (withSummary && open === 0 && outcomes.length > 0) {
    const ranges = await checkSweep(jobService(ctx), s.request as unknown as SweepRequest);
    summary = aggregateSweep(ranges, outcomes);
  }
  return {
    id: s.id,
    status,
    request: s.request,
    runs: count,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
    ...(errors.length ? { errors } : {}),
    ...(summary ? { summary } : {}),
  };
}

/** Jobs run with the dataset's scenarios only (a worker has no store): checked by a service without it. */
function jobService(ctx: ServiceContext): CorridorService {
  return new CorridorService({ world: ctx.service.world, today: ctx.service.today });
}

export function registerSweeps(t: RouteTable): void {
  t.add({
    method: 'POST',
    url: '/api/v1/sweeps',
    operationId: 'createSweep',
    summary: 'Start a Monte Carlo sweep: its runs are queued as jobs for any worker',
    description:
      'Capacities, dwell, demand and prices are drawn from their ranges in the data (seeded: the same ' +
      'request gives the same answer), each draw assigned by a `sweep-draw` job; GET the sweep for progress ' +
      'and, once every run has finished, the distributions: how likely each link or node binds at each demand ' +
      `level, the value of a compared scenario, and the tornado. At most ${MAX_SWEEP_RUNS} runs.`,
    tags: ['assignments'],
    access: 'planner',
    body: SweepRequestSchema,
    responses: {
      202: { description: 'Queued; `Location` points at the sweep', schema: SweepOut },
      400: { description: 'Invalid request (named in `errors`)', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner', schema: ProblemSchema },
    },
    handler: async ({ body, ctx, principal, reply }) => {
      const request = body as SweepRequest;
      let ranges: Awaited<ReturnType<typeof checkSweep>>;
      try {
        ranges = await checkSweep(jobService(ctx), request);
      } catch (e) {
        if (isCorridorError(e)) {
          const errors = problemFromCorridorError(e, 'body').extra.errors as FieldError[] | undefined;
          throw invalid('body', errors ?? [{ field: 'body', message: e.message }]);
        }
        throw e;
      }
      const runs = sweepRuns(request, ranges);
      if (runs.length > MAX_SWEEP_RUNS)
        throw invalid('body', [
          {
            field: 'body.draws',
            message:
              `${runs.length} runs (draws × levels${request.tornado ? ' + 2 per range' : ''}) is more than ` +
              `${MAX_SWEEP_RUNS}; ask for fewer draws or levels, or run \`corridor sweep\``,
            value: String(request.draws),
          },
        ]);
      const queue = queueOf(ctx);
      const sweep: StoredSweep = {
        id: randomUUID(),
        request: request as unknown as Record<string, unknown>,
        runs: runs.length,
        createdAt: new Date().toISOString(),
        createdBy: principal ? ownerToken(principal) : null,
      };
      await ctx.store.transaction(async (tx) => {
        await ctx.store.createSweep(sweep, tx);
        for (const [index, run] of runs.entries()) {
          const data: JobData = {
            params: { sweep: sweep.id, request, run },
            createdBy: sweep.createdBy,
            owner: principal ? ownerToken(principal) : null,
          };
          await queue.send(QUEUE, data, { id: sweepRunId(sweep.id, index), priority: PRIORITY.batch, tx });
        }
      });
      reply.code(202).header('location', `/api/v1/sweeps/${sweep.id}`);
      return sweepJson(ctx, sweep, false);
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/sweeps',
    operationId: 'listSweeps',
    summary: "Your organisation's sweeps, newest first (an admin sees everyone's); without summaries",
    tags: ['assignments'],
    access: 'viewer',
    query: z
      .object({
        ...pageQuery,
        before: z.iso
          .datetime({ message: 'an ISO 8601 UTC time (a `createdAt` of the previous page)' })
          .optional()
          .describe('Deprecated (sweeps made in the same millisecond are skipped): use `cursor`'),
      })
      .strict(),
    responses: {
      200: { description: 'Sweeps, newest first', schema: z.object({ sweeps: z.array(SweepOut), ...pageOut }) },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, principal, reply }) => {
      const req = pageRequest(query);
      // The cursor is the last sweep's creation time and id: unique, so no sweep is skipped or repeated.
      const [at, id] = req.after !== undefined ? splitKey(req.after) : [query.before, undefined];
      const list = await ctx.store.listSweeps({
        createdBy: !principal || principal.role === 'admin' ? null : ownerToken(principal),
        limit: req.limit + 1,
        ...(at !== undefined ? { before: at } : {}),
        ...(id !== undefined ? { beforeId: id } : {}),
      });
      const { page, nextCursor } = pageOf(list, req, (s) => `${s.createdAt}|${s.id}`, reply);
      const sweeps = [];
      for (const s of page) sweeps.push(await sweepJson(ctx, s, false));
      return { sweeps, nextCursor };
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/sweeps/:id',
    operationId: 'getSweep',
    summary: 'Progress of a sweep and, once every run has finished, its distributions',
    tags: ['assignments'],
    access: 'viewer',
    params: ID,
    responses: {
      200: { description: 'The sweep', schema: SweepOut },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      404: { description: 'No such sweep (or not the caller’s)', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, principal }) =>
      sweepJson(ctx, ownerCheck(await ctx.store.findSweep(params.id), principal, params.id), true),
  });

  t.add({
    method: 'DELETE',
    url: '/api/v1/sweeps/:id',
    operationId: 'cancelSweep',
    summary: "Cancel a sweep's runs that have not finished",
    tags: ['assignments'],
    access: 'planner',
    params: ID,
    responses: {
      200: { description: 'Cancelled (finished runs keep their results)', schema: SweepOut },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner', schema: ProblemSchema },
      404: { description: 'No such sweep (or not the caller’s)', schema: ProblemSchema },
      409: { description: 'Every run has already finished', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, principal }) => {
      const s = ownerCheck(await ctx.store.findSweep(params.id), principal, params.id);
      const queue = queueOf(ctx);
      let cancelled = 0;
      for (let i = 0; i < s.runs; i++) if (await queue.cancel(QUEUE, sweepRunId(s.id, i))) cancelled++;
      if (cancelled === 0) throw new HttpProblem('conflict', `every run of sweep ${s.id} has already finished`);
      return sweepJson(ctx, s, false);
    },
  });
}
