/** The in-process queue on SQLite passes the JobQueue conformance suite; cron fires on its clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '../../src/queue/local-queue.js';
import { SqliteDriver } from '../../src/store/sqlite.js';
import { queueConformance, until } from './conformance.js';

async function open(file: string, now?: () => number) {
  const db = new SqliteDriver(file);
  const queue = new LocalQueue(db, { pollMs: 100, ...(now ? { now } : {}) });
  await queue.start();
  return { db, queue };
}

queueConformance('in-process (SQLite)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'corridor-queue-')), 'q.sqlite');
  const main = await open(file);
  const others: Awaited<ReturnType<typeof open>>[] = [];
  return {
    queue: main.queue,
    async another() {
      const o = await open(file);
      others.push(o);
      return o.queue;
    },
    transaction: (fn) => main.db.transaction((tx) => fn({ dialect: 'sqlite', all: (sql, p) => tx.all(sql, p) })),
    async close() {
      await main.queue.stop({ graceful: false });
      for (const o of others) await o.db.close();
      await main.db.close();
    },
  };
});

describe('in-process queue: cron', () => {
  it('sends one job per cron slot that passed, however often maintenance runs', async () => {
    let now = Date.parse('2026-12-07T10:00:30Z');
    const file = join(mkdtempSync(join(tmpdir(), 'corridor-queue-')), 'q.sqlite');
    const { db, queue } = await open(file, () => now);
    try {
      await queue.createQueue('expire-holds');
      await queue.schedule('expire-holds', '*/5 * * * *', { why: 'hold expiry' });
      await queue.maintain();
      expect(await queue.listJobs('expire-holds')).toHaveLength(0);
      now = Date.parse('2026-12-07T10:05:01Z');
      await queue.maintain();
      await queue.maintain();
      expect(await queue.listJobs('expire-holds')).toHaveLength(1);
      now = Date.parse('2026-12-07T10:10:00Z');
      await queue.maintain();
      const jobs = await queue.listJobs('expire-holds');
      expect(jobs.map((j) => j.data)).toEqual([{ why: 'hold expiry' }, { why: 'hold expiry' }]);
      const ran: unknown[] = [];
      await queue.work('expire-holds', {}, async (j) => {
        ran.push(j.data);
      });
      await until('both to run', async () => ran.length === 2);
    } finally {
      await queue.stop();
      await db.close();
    }
  });
});
