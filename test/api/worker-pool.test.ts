/**
 * The thread pool under the job runner and the request pool, on the stub worker (it loads no
 * dataset): cancelling a running job terminates its thread, and work sent after the cancel runs on
 * the replacement, never on the thread being terminated.
 */
import { describe, expect, it } from 'vitest';
import { JobCancelled, WorkerPool } from '../../src/api/jobs/pool.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const STUB = new URL('../fixtures/request-workers/stub-worker.mjs', import.meta.url).pathname;
const run = (pool: WorkerPool, id: string, from: string) =>
  pool.run(id, 'route', { raw: { from } }, () => undefined) as Promise<{ from: string; threadId: number }>;

describe('WorkerPool', () => {
  it('a job sent right after a cancel runs on a fresh thread, not on the one being terminated', async () => {
    const pool = new WorkerPool(1, DEFAULT_DATA, STUB, { hang: ['CNXIA'] });
    try {
      const before = await run(pool, 'warm', 'KZAAU');
      const stuck = run(pool, 'stuck', 'CNXIA');
      expect(pool.busy).toBe(1);
      pool.cancel('stuck');
      await expect(stuck).rejects.toBeInstanceOf(JobCancelled);
      const after = await run(pool, 'next', 'AZBAK');
      expect(after.from).toBe('AZBAK');
      expect(after.threadId).not.toBe(before.threadId);
      expect({ size: pool.size, busy: pool.busy, idle: pool.idle }).toEqual({ size: 1, busy: 0, idle: 1 });
    } finally {
      await pool.close();
    }
  });

  it('a job waiting for the thread starts on the replacement once the running one is cancelled', async () => {
    const pool = new WorkerPool(1, DEFAULT_DATA, STUB, { hang: ['CNXIA'] });
    try {
      const stuck = run(pool, 'stuck', 'CNXIA');
      const waiting = run(pool, 'waiting', 'AZBAK');
      expect(pool.queued).toBe(1);
      pool.cancel('stuck');
      await expect(stuck).rejects.toBeInstanceOf(JobCancelled);
      expect((await waiting).from).toBe('AZBAK');
      expect(pool.queued).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
