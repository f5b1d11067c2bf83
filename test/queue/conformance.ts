/**
 * The JobQueue conformance suite: every engine (in-process on SQLite, pg-boss on PostgreSQL) must
 * pass it unchanged. Waits poll for a state, never sleep for a fixed time; the only time bounds
 * asserted are lower bounds the engine promises (a retry delay, a delayed start).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type JobHandle,
  type JobQueue,
  PermanentJobError,
  PRIORITY,
  type QueueTransaction,
} from '../../src/queue/queue.js';

export interface QueueFixture {
  queue: JobQueue;
  /** Another instance on the same database (another process, as far as the engine can tell). */
  another(): Promise<JobQueue>;
  /** Runs fn in a transaction of the store's database; throws fn's error after rolling back. */
  transaction<T>(fn: (tx: QueueTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function queueConformance(name: string, make: () => Promise<QueueFixture>, enabled = true): void {
  describe.skipIf(!enabled)(`JobQueue conformance: ${name}`, () => {
    let f: QueueFixture;
    let q: JobQueue;
    const extra: JobQueue[] = [];
    beforeEach(async () => {
      f = await make();
      q = f.queue;
    });
    afterEach(async () => {
      for (const x of extra.splice(0)) await x.stop({ graceful: false });
      await f.close();
    });
    const finished = (queue: string, id: string, jq: JobQueue = q) =>
      until(`job ${id} to finish`, async () => {
        const j = await jq.getJob(queue, id);
        return j && j.state !== 'queued' && j.state !== 'running' ? j : undefined;
      });

    it('delivers a job to a worker, and keeps its result', async () => {
      await q.createQueue('echo');
      const id = await q.send('echo', { n: 21 });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const queued = await q.getJob('echo', id!);
      expect(queued).toMatchObject({ state: 'queued', attempts: 0, data: { n: 21 } });
      await q.work<{ n: number }>('echo', {}, async (job) => ({ doubled: job.data.n * 2, attempt: job.attempt }));
      const done = await finished('echo', id!);
      expect(done).toMatchObject({ state: 'succeeded', attempts: 1, output: { doubled: 42, attempt: 1 } });
      expect(done.finishedAt).not.toBeNull();
      expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
      const listed = await q.listJobs('echo', { state: 'succeeded' });
      expect(listed.map((j) => j.id)).toEqual([id]);
      expect(listed[0]!.output).toBeNull();
      expect(await q.getJob('echo', '00000000-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('takes interactive work before batch work, then oldest first', async () => {
      await q.createQueue('mixed');
      const order: string[] = [];
      for (let i = 0; i < 3; i++) await q.send('mixed', { tag: `batch-${i}` }, { priority: PRIORITY.batch });
      await q.send('mixed', { tag: 'interactive' }, { priority: PRIORITY.interactive });
      await q.work<{ tag: string }>('mixed', { concurrency: 1 }, async (job) => {
        order.push(job.data.tag);
      });
      await until('all four to run', async () => order.length === 4);
      expect(order).toEqual(['interactive', 'batch-0', 'batch-1', 'batch-2']);
    });

    it('retries a failing job after its delay, and the retry succeeds', async () => {
      await q.createQueue('flaky', { retryLimit: 2, retryDelayS: 1 });
      const starts: number[] = [];
      const id = await q.send('flaky', {});
      await q.work('flaky', {}, async (job) => {
        starts.push(Date.now());
        if (job.attempt < 3) throw new Error(`attempt ${job.attempt} failed`);
        return 'third time';
      });
      const done = await finished('flaky', id!);
      expect(done).toMatchObject({ state: 'succeeded', attempts: 3, output: 'third time' });
      // The delay is a lower bound (the engine may take longer, never less).
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(900);
    });

    it('fails for good after the retries, with the error, and copies the job to its dead-letter queue', async () => {
      await q.createQueue('dead');
      await q.createQueue('doomed', { retryLimit: 1, deadLetter: 'dead' });
      const id = await q.send('doomed', { payload: 7 });
      let runs = 0;
      await q.work('doomed', {}, async () => {
        runs++;
        throw new Error('always broken');
      });
      const done = await finished('doomed', id!);
      expect(done).toMatchObject({ state: 'failed', attempts: 2, output: { message: 'always broken' } });
      expect(runs).toBe(2);
      const dead = await until('a dead letter', async () => (await q.listJobs('dead'))[0]);
      expect(dead.data).toEqual({ payload: 7 });
    });

    it('a permanent error fails the job at once, without retries', async () => {
      await q.createQueue('strict', { retryLimit: 3 });
      const id = await q.send('strict', {});
      await q.work('strict', {}, async () => {
        throw new PermanentJobError('bad params: no such place');
      });
      const done = await finished('strict', id!);
      expect(done).toMatchObject({ state: 'failed', attempts: 1, output: { message: 'bad params: no such place' } });
    });

    it('a singleton key admits one open job at a time', async () => {
      await q.createQueue('hold-expiry');
      const a = await q.send('hold-expiry', { hold: 'h1' }, { singletonKey: 'h1' });
      expect(a).not.toBeNull();
      expect(await q.send('hold-expiry', { hold: 'h1' }, { singletonKey: 'h1' })).toBeNull();
      const other = await q.send('hold-expiry', { hold: 'h2' }, { singletonKey: 'h2' });
      expect(other).not.toBeNull();
      await q.work('hold-expiry', {}, async () => 'expired');
      await finished('hold-expiry', a!);
      // Once that job is done, the key is free again.
      expect(await q.send('hold-expiry', { hold: 'h1' }, { singletonKey: 'h1' })).not.toBeNull();
    });

    it('a delayed job does not start before its time', async () => {
      await q.createQueue('later');
      const sent = Date.now();
      const id = await q.send('later', {}, { startAfterS: 2 });
      let startedAt = 0;
      await q.work('later', {}, async () => {
        startedAt = Date.now();
      });
      await finished('later', id!);
      expect(startedAt - sent).toBeGreaterThanOrEqual(1900);
    });

    it('cancels a queued job (never run) and a running one (its handler is told)', async () => {
      await q.createQueue('cancel');
      const running = await q.send('cancel', { hang: true }, { priority: 1 });
      const queued = await q.send('cancel', { hang: false });
      let aborted = false;
      const ran: boolean[] = [];
      await q.work<{ hang: boolean }>('cancel', { concurrency: 1 }, async (job: JobHandle<{ hang: boolean }>) => {
        ran.push(job.data.hang);
        await new Promise<void>((resolve) => {
          if (job.signal.aborted) resolve();
          job.signal.addEventListener('abort', () => resolve());
        });
        aborted = job.signal.aborted;
      });
      await until('the first job to run', async () => (await q.getJob('cancel', running!))?.state === 'running');
      expect(await q.cancel('cancel', queued!)).toBe(true);
      expect(await q.cancel('cancel', running!)).toBe(true);
      await until('the handler to see it', async () => aborted);
      expect(await q.cancel('cancel', running!)).toBe(false);
      expect((await q.getJob('cancel', running!))?.state).toBe('cancelled');
      expect((await q.getJob('cancel', queued!))?.state).toBe('cancelled');
      expect(ran).toEqual([true]);
    });

    it('shows the progress of a running job', async () => {
      await q.createQueue('slow');
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const id = await q.send('slow', {});
      await q.work('slow', {}, async (job) => {
        job.progress(0.5, 'half way');
        await gate;
        return 'done';
      });
      const seen = await until('progress', async () => {
        const j = await q.getJob('slow', id!);
        return j?.progress.fraction === 0.5 ? j : undefined;
      });
      expect(seen).toMatchObject({ state: 'running', progress: { fraction: 0.5, message: 'half way' } });
      release();
      expect(await finished('slow', id!)).toMatchObject({ state: 'succeeded', progress: { fraction: 1 } });
    });

    it('at least once: a job whose worker stops answering is expired and delivered again', async () => {
      await q.createQueue('lost', { expireInS: 1, retryLimit: 2 });
      const id = await q.send('lost', { key: 'k' });
      const attempts: number[] = [];
      // The first delivery never returns (a worker that hung or died); the engine gives the job to the next.
      await q.work('lost', { concurrency: 2 }, async (job) => {
        attempts.push(job.attempt);
        if (job.attempt === 1) await new Promise(() => undefined);
        return { key: 'k' };
      });
      const done = await finished('lost', id!);
      expect(done).toMatchObject({ state: 'succeeded', output: { key: 'k' } });
      expect(attempts.slice(0, 2)).toEqual([1, 2]);
    }, 60_000);

    it('two instances on one database never run the same job at once, and all jobs run', async () => {
      await q.createQueue('shared');
      const other = await f.another();
      extra.push(other);
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await q.send('shared', { i }))!);
      const seen: string[] = [];
      const handler = async (job: JobHandle) => {
        seen.push(job.id);
        await new Promise((r) => setTimeout(r, 10));
      };
      await q.work('shared', { concurrency: 2 }, handler);
      await other.work('shared', { concurrency: 2 }, handler);
      await until('all twenty', async () => (await q.listJobs('shared', { state: 'succeeded' })).length === 20);
      expect(new Set(seen)).toEqual(ids);
      expect(seen.length).toBe(20);
    });

    it('enqueues inside the causing transaction: rolled back, there is no job', async () => {
      await q.createQueue('tx');
      let inside: string | null = null;
      await expect(
        f.transaction(async (tx) => {
          inside = await q.send('tx', { a: 1 }, { tx });
          throw new Error('the causing write failed');
        }),
      ).rejects.toThrow('the causing write failed');
      expect(inside).not.toBeNull();
      expect(await q.getJob('tx', inside!)).toBeUndefined();
      const kept = await f.transaction((tx) => q.send('tx', { a: 2 }, { tx }));
      expect((await q.getJob('tx', kept!))?.data).toEqual({ a: 2 });
    });

    it('keeps cron schedules, one per queue, and removes them', async () => {
      await q.createQueue('sweep-webhooks');
      await q.createQueue('expire-holds');
      await q.schedule('expire-holds', '* * * * *', { why: 'hold expiry' });
      await q.schedule('sweep-webhooks', '*/5 * * * *');
      await q.schedule('sweep-webhooks', '*/10 * * * *');
      expect(await q.schedules()).toEqual([
        { queue: 'expire-holds', cron: '* * * * *' },
        { queue: 'sweep-webhooks', cron: '*/10 * * * *' },
      ]);
      await q.unschedule('sweep-webhooks');
      expect((await q.schedules()).map((s) => s.queue)).toEqual(['expire-holds']);
    });

    it('graceful stop lets a running job finish; a forced stop hands it back for another worker', async () => {
      await q.createQueue('shutdown');
      const a = await q.send('shutdown', { n: 1 });
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const w = await f.another();
      await w.work('shutdown', {}, async () => {
        await gate;
        return 'finished';
      });
      await until('it to run', async () => (await q.getJob('shutdown', a!))?.state === 'running');
      const stopping = w.stop({ graceful: true, timeoutMs: 30_000 });
      release();
      await stopping;
      expect(await q.getJob('shutdown', a!)).toMatchObject({ state: 'succeeded', output: 'finished' });

      const b = await q.send('shutdown', { n: 2 });
      const w2 = await f.another();
      await w2.work('shutdown', {}, (job) => new Promise((r) => job.signal.addEventListener('abort', () => r('cut'))));
      await until('it to run', async () => (await q.getJob('shutdown', b!))?.state === 'running');
      await w2.stop({ graceful: false });
      expect((await q.getJob('shutdown', b!))?.state).toBe('queued');
      await q.work('shutdown', {}, async (job) => `again, attempt ${job.attempt}`);
      expect(await finished('shutdown', b!)).toMatchObject({ state: 'succeeded', output: 'again, attempt 1' });
    });
  });
}
