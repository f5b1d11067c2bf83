/**
 * Assignment jobs: POST returns a job id at once (202); a worker thread does the work; GET shows
 * status, progress and, once done, the result. Jobs live in the store, so they survive restarts.
 */
import { z } from 'zod';
import { JOB_STATUSES, type JobRecord } from '../../store/store.js';
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
      const job = await jobsOf(ctx).submit(kind.name, parsed.data, principal?.keyId ?? null);
      reply.code(202).header('location', `/api/v1/assignments/${job.id}`);
      return jobJson(job, true);
    },
  });

  t.add({
    method: 'GET',
    url: '/api/v1/assignments',
    operationId: 'listAssignments',
    summary: 'Recent jobs, newest first (without results)',
    tags: ['assignments'],
    access: 'viewer',
    query: z
      .object({
        status: z.enum(JOB_STATUSES).optional(),
        limit: z
          .string()
          .regex(/^([1-9]\d{0,2}|1000)$/, 'an integer from 1 to 1000')
          .optional()
          .describe('Default 50'),
      })
      .strict(),
    responses: {
      200: { description: 'Jobs', schema: z.object({ assignments: z.array(JobOut) }) },
      401: { description: 'No or invalid API key', schema: ProblemSchema },
    },
    handler: async ({ query, ctx }) => ({
      assignments: (
        await jobsOf(ctx).list({
          limit: Number(query.limit ?? 50),
          ...(query.status ? { status: query.status } : {}),
        })
      ).map((j) => jobJson(j, false)),
    }),
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
    handler: async ({ params, ctx }) => {
      const job = await jobsOf(ctx).find(params.id);
      if (!job) throw new HttpProblem('not-found', `no job with id ${params.id}`);
      return jobJson(job, true);
    },
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
      404: { description: 'No such job', schema: ProblemSchema },
      409: { description: 'Already finished', schema: ProblemSchema },
    },
    handler: async ({ params, ctx }) => {
      const jobs = jobsOf(ctx);
      const job = await jobs.find(params.id);
      if (!job) throw new HttpProblem('not-found', `no job with id ${params.id}`);
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
