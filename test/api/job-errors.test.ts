/**
 * A failed job's error (GET /api/v1/assignments/{id}, a sweep's errors) says what the client can
 * act on, never the internals of the solver, the pool or the queue: those go to the log. The pool
 * is a stand-in that fails the way the real one can.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { workJobs } from '../../src/api/jobs/jobs.js';
import { JobFailed, type WorkerPool } from '../../src/api/jobs/pool.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

const SOLVER_TEXT = 'master LP not solved: HiGHS model status infeasible';
const STACK = `Error: ${SOLVER_TEXT}\n    at solveColumnGeneration (/srv/corridor/dist/flow/column-generation.js:97)`;

let api: TestApi;
let nextFailure: () => Error;
const logged: string[] = [];

beforeAll(async () => {
  api = await testApi();
  const queue = api.ctx.jobs?.queue;
  if (!queue) throw new Error('the test API has a job queue');
  // No retries, so a failure is final at once.
  await queue.createQueue('route-batch', { retryLimit: 0 });
  const pool = {
    size: 1,
    run: async () => {
      throw nextFailure();
    },
    cancel: () => undefined,
  } as unknown as WorkerPool;
  // What reaches the log: each entry's message and, for errors, their message and stack.
  const record = (o: unknown, m?: string) => {
    const err = (o as { err?: unknown }).err;
    logged.push(`${m ?? ''} ${JSON.stringify(o)} ${err instanceof Error ? `${err.message} ${err.stack}` : ''}`);
  };
  await workJobs(queue, pool, { queues: ['route-batch'], log: { info: () => undefined, warn: record, error: record } });
});
afterAll(async () => {
  await api.close();
});

async function failedJob(failure: () => Error): Promise<{ error: string; status: string }> {
  nextFailure = failure;
  const key = await api.key('planner');
  const sent = await api.send(
    'POST',
    '/api/v1/assignments',
    { kind: 'route-batch', params: { queries: [{ from: 'Aktau', to: 'Baku' }] } },
    key,
  );
  expect(sent.statusCode).toBe(202);
  const id = json(sent).id as string;
  return vi.waitFor(
    async () => {
      const j = json(await api.get(`/api/v1/assignments/${id}`, key));
      if (j.status !== 'failed') throw new Error(`still ${j.status}`);
      return j;
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('job errors', () => {
  it('an unexpected error (with a solver message and a stack) shows neither; the log has it', async () => {
    logged.length = 0;
    const j = await failedJob(() => Object.assign(new Error(SOLVER_TEXT), { stack: STACK }));
    expect(j.error).toBe('internal error in job kind route-batch');
    expect(j.error).not.toMatch(/HiGHS|LP|column-generation|\bat\b/);
    expect(logged.join('\n')).toMatch(/HiGHS model status infeasible/);
  });

  it("an internal error of the job's thread stays internal", async () => {
    const j = await failedJob(() => new JobFailed('internal error in job kind route-batch', false, SOLVER_TEXT));
    expect(j.error).not.toMatch(/HiGHS/);
  });

  it("the client's own mistake is still told", async () => {
    const j = await failedJob(() => new JobFailed('queries[0].from: unknown origin "Atlantis"', true));
    expect(j.error).toMatch(/unknown origin "Atlantis"/);
  });
});
