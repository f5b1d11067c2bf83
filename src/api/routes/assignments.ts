/**
 * Assignment jobs: POST returns a job id at once (202); a worker thread does the work; GET shows
 * status, progress and, once done, the result. Jobs live in the store, so they survive restarts.
 */
import { z } from 'zod';
import { JOB_STATUSES, ownerToken, type JobRecord } from '../../store/store.js';
import type { ServiceContext } from '../context.js';
import type { Principal } from '../keys.js';
import { mayChange, readerOf } from '../guards/ownership.js';
import { pageOf, pageOut, pageQuery, pageRequest } from '../guards/paging.js';
import type { RouteTable } from '../define-route.js';
import { type FieldError, HttpProblem, fieldErrors, invalid } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import type { JobsView as Jobs } from '../jobs/jobs-view.js';
import { JOB_KINDS, findJobKind } from '../jobs/registry.js';
import { isCorridorError } from '../../model/errors.js';
import { CorridorService } from '../../service/service.js';
import { problemFromCorridorError } from '../corridor-errors.js';

const JobOut = z.looseObject({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.looseObject({ fraction: z.number().describe('0 … 1'), message: z.string().nullable() }),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  params: z.unknown().optional(),
  error: z.string().nullable().optional(),
  result: z.unknown().optional().describe('Present once the job succeeded'),
});

function jobJson(j: JobRecord, withDetail: boolean) {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    progress: { fraction: j.progress, message: j.progressMessage },
    attempts: j.attempts,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    createdBy: j.createdBy,
    ...(j.error !== null ? { error: j.error } : {}),
    ...(withDetail ? { params: j.params } : {}),
    ...(withDetail && j.status === 'succeeded' ? { result: j.result } : {}),
  };
}

/** A job the caller's organisation owns (admins: any); others' jobs are absent (404), not forbidden. */
async function ownJob(ctx: ServiceContext, id: string, principal: Principal | undefined): Promise<JobRecord> {
  const job = await jobsOf(ctx).find(id);
  if (!job || !mayChange(readerOf(principal), { owner: job.owner ?? job.createdBy }))
    throw new HttpProblem('not-found', `no job with id ${id}`);
  return job;
}

const ID = z.object({ id: z.string().uuid('a job id (UUID)') });

function jobsOf(ctx: { jobs: Jobs | undefined }): Jobs {
  if (!ctx.jobs) throw new HttpProblem('unavailable', 'this instance has no job queue');
  return ctx.jobs;
}

export function registerAssignments(t: RouteTable): void {
  t.add({
    method: 'GET',
    url: '/api/v1/assignments/kinds',
    operationId: 'listJobKinds',
    summary: 'The job kinds this server runs, with the JSON Schema of their params',
    tags: ['assignments'],
    access: 'read',
    responses: {
      200: {
        description: 'Kinds',
        schema: z.object({
          kinds: z.array(
            z.looseObject({ name: z.string(), title: z.string(), description: z.string(), params: z.unknown() }),
          ),
        }),
      },
    },
    handler: () => ({
      kinds: JOB_KINDS.map((k) => ({
        name: k.name,
        title: k.title,
        description: k.description,
        params: z.toJSONSchema(k.params, { unrepresentable: 'any' }),
      })),
    }),
  });

  t.add({
    method: 'POST',
    url: '/api/v1/assignments',
    operationId: 'createAssignment',
    summary: 'Queue a job; returns its id at once',
    description:
      'The body names the kind and its params (see GET /api/v1/assignments/kinds). The params are checked ' +
      'before the job is queued.',
    tags: ['assignments'],
    access: 'planner',
    body: z
      .object({
        kind: z
          .string()
          .min(1)
          .max(64)
          .describe(`One of: ${JOB_KINDS.map((k) => k.name).join(', ')}`),
        params: z.unknown().describe("The kind's parameters"),
      })
      .strict(),
    responses: {
      202: { description: 'Queued; `Location` points at the job', schema: JobOut },
      400: { description: 'Unknown kind or invalid params (named in `errors`)', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner', schema: ProblemSchema },
    },
    handler: async ({ body, ctx, principal, reply }) => {
      const kind = findJobKind(body.kind);
      if (!kind)
        throw invalid('body', [
          {
            field: 'body.kind',
            message: `unknown job kind; valid: ${JOB_KINDS.map((k) => k.name).join(', ')}`,
            value: body.kind,
          },
        ]);
      const parsed = kind.params.safeParse(body.params ?? {}, { reportInput: true });
      if (!parsed.success) {
        throw invalid(
          'body',
          fieldErrors('body', parsed.error).map((e) => ({ ...e, field: e.field.replace(/^body/, 'body.params') })),
        );
      }
      // Jobs run with the dataset's scenarios only (a worker has no store): checked by a service without it.
      const jobsView = new CorridorService({ world: ctx.service.world, today: ctx.service.today });
      try {
        await kind.check(parsed.data, jobsView);
      } catch (e) {
        // A job's parameters are its body: every problem, an unknown place or scenario too, is a 400.
        if (isCorridorError(e)) {
          const errors = problemFromCorridorError(e, 'body.params').extra.errors as FieldError[] | undefined;
          throw invalid('body', errors ?? [{ field: 'body.params', message: e.message }]);
        }
        throw e;
      }
      const job = await jobsOf(ctx).submit(
        kind.name,
        parsed.data,
        principal?.keyId ?? null,
        undefined,
        principal ? ownerToken(principal) : null,
      );
      reply.code(202).header('location', `/api/v1/assignments/${job.id}`);
      return jobJson(job, true);
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/assignments',
    operationId: 'listAssignments',
    summary: "Your organisation's jobs, newest first (summaries without params or results; paged)",
    description: 'Admins see every job. Paged: `limit` ≤ 100, `cursor` from `nextCursor`.',
    tags: ['assignments'],
    access: 'viewer',
    query: z.object({ status: z.enum(JOB_STATUSES).optional(), ...pageQuery }).strict(),
    responses: {
      200: { description: 'Jobs', schema: z.object({ assignments: z.array(JobOut), ...pageOut }) },
      400: { description: 'Invalid limit or cursor', schema: ProblemSchema },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
    },
    handler: async ({ query, ctx, principal, reply }) => {
      const req = pageRequest(query);
      const reader = readerOf(principal);
      const jobs = await jobsOf(ctx).list({
        limit: req.limit + 1,
        ...(query.status ? { status: query.status } : {}),
        ...(reader.all ? {} : { owner: reader.owner ?? '' }),
        ...(req.after !== undefined ? { before: req.after } : {}),
      });
      const { page, nextCursor } = pageOf(jobs, req, (j) => `${j.createdAt}|${j.id}`, reply);
      return { assignments: page.map((j) => jobJson(j, false)), nextCursor };
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/assignments/:id',
    operationId: 'getAssignment',
    summary: 'Status, progress and (once done) the result of a job',
    tags: ['assignments'],
    access: 'viewer',
    params: ID,
    responses: {
      200: { description: 'The job', schema: JobOut },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      404: { description: 'No such job', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, principal }) => jobJson(await ownJob(ctx, params.id, principal), true),
  });

  t.add({
    method: 'DELETE',
    url: '/api/v1/assignments/:id',
    operationId: 'cancelAssignment',
    summary: 'Cancel a queued or running job',
    tags: ['assignments'],
    access: 'planner',
    params: ID,
    responses: {
      200: { description: 'Cancelled', schema: JobOut },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
      403: { description: 'Role below planner', schema: ProblemSchema },
      404: { description: "No such job (or another organisation's)", schema: ProblemSchema },
      409: { description: 'Already finished', schema: ProblemSchema },
    },
    handler: async ({ params, ctx, principal }) => {
      const jobs = jobsOf(ctx);
      const job = await ownJob(ctx, params.id, principal);
      if (!(await jobs.cancel(params.id))) {
        throw new HttpProblem(
          'conflict',
          `job ${params.id} already ${job.status === 'running' || job.status === 'queued' ? 'finished' : job.status}`,
        );
      }
      // The worker running it (in this process or any other) sees the cancellation within a second.
      const after = await jobs.find(params.id);
      if (!after) throw new HttpProblem('not-found', `no job with id ${params.id}`);
      return jobJson(after, false);
    },
  });
}
