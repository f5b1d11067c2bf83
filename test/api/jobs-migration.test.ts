/**
 * Upgrading from the lease queue (decision 0009): jobs queued or running in the old `jobs` table
 * are carried over to the job engine under their ids and run there; finished ones stay readable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carryOverLegacyJobs, Jobs, openJobQueue, workJobs } from '../../src/api/jobs/jobs.js';
import { WorkerPool } from '../../src/api/jobs/pool.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { until } from '../queue/conformance.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const ids = {
  queued: '11111111-1111-4111-8111-111111111111',
  running: '22222222-2222-4222-8222-222222222222',
  done: '33333333-3333-4333-8333-333333333333',
};

async function legacyJob(store: Store, id: string, status: string, params: unknown, result: unknown = null) {
  const now = '2026-12-06T10:00:00.000Z';
  await store.driver.run(
    `INSERT INTO jobs (id, kind, params, status, progress, progress_message, result, error, attempts, created_at, ` +
      `updated_at, started_at, finished_at, lease_owner, lease_until, created_by) ` +
      `VALUES (?, 'route-batch', ?, ?, 0, NULL, ?, NULL, ?, ?, ?, NULL, NULL, ?, ?, 'k-old')`,
    [
      id,
      JSON.stringify(params),
      status,
      result === null ? null : JSON.stringify(result),
      status === 'queued' ? 0 : 1,
      now,
      now,
      status === 'running' ? 'runner-of-the-old-version' : null,
      status === 'running' ? now : null,
    ],
  );
}

describe('carrying the lease queue over to the job engine', () => {
  it('runs the queued and running jobs of the old table under their ids; finished ones stay as history', async () => {
    const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-migrate-')), 'c.sqlite')}`;
    const store = await openStore(db);
    const q = { queries: [{ from: 'CNXIA', to: 'AZBAK' }] };
    await legacyJob(store, ids.queued, 'queued', q);
    await legacyJob(store, ids.running, 'running', { queries: [{ from: 'KZAAU', to: 'GETBS' }] });
    await legacyJob(store, ids.done, 'succeeded', q, { results: [] });
    const queue = await openJobQueue(store, { databaseUrl: db, pollMs: 100 });
    const pool = new WorkerPool(1, DEFAULT_DATA);
    try {
      const jobs = new Jobs(queue, store);
      // Carried over: in the engine, queued, with who asked; gone from the old table.
      expect(await jobs.find(ids.queued)).toMatchObject({ status: 'queued', kind: 'route-batch', createdBy: 'k-old' });
      expect(await jobs.find(ids.running)).toMatchObject({
        status: 'queued',
        params: { queries: [{ from: 'KZAAU' }] },
      });
      expect(await store.openLegacyJobs()).toEqual([]);
      // Carrying over again (a restart after a crash mid-way) changes nothing.
      expect(await carryOverLegacyJobs(store, queue)).toBe(0);
      expect(await jobs.find(ids.done)).toMatchObject({ status: 'succeeded', result: { results: [] } });
      await workJobs(queue, pool, { log: console });
      for (const id of [ids.queued, ids.running]) {
        const j = await until(
          `job ${id}`,
          async () => {
            const x = await jobs.find(id);
            return x?.status === 'succeeded' ? x : undefined;
          },
          60_000,
        );
        expect(
          (j.result as { results: { result: { options: unknown[] } }[] }).results[0]!.result.options.length,
        ).toBeGreaterThan(0);
      }
      const listed = await jobs.list({ limit: 10 });
      expect(listed.map((j) => j.id).sort()).toEqual([ids.queued, ids.running, ids.done].sort());
    } finally {
      await queue.stop({ graceful: false });
      await pool.close();
      await store.close();
    }
  }, 90_000);
});
