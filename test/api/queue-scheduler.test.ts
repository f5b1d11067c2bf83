/**
 * The bookings' deferred work on the job engine: a hold's expiry runs at its time (not before),
 * once per key, and survives the instance that scheduled it; the sweep is one cron schedule.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronEvery, QueueScheduler } from '../../src/api/jobs/queue-scheduler.js';
import { LocalQueue } from '../../src/queue/local-queue.js';
import { SqliteDriver } from '../../src/store/sqlite.js';
import { until } from '../queue/conformance.js';

async function open(file: string) {
  const db = new SqliteDriver(file);
  const queue = new LocalQueue(db, { pollMs: 50 });
  await queue.start();
  return { db, queue };
}

describe('QueueScheduler', () => {
  it('runs a delayed job at its time, once per key, and on another instance if the first is gone', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corridor-sched-')), 'q.sqlite');
    const first = await open(file);
    const a = new QueueScheduler(first.queue);
    const seenA: unknown[] = [];
    a.handle('booking.expire-holds', async (p) => {
      seenA.push(p);
    });
    const runAt = new Date(Date.now() + 1500).toISOString();
    await a.schedule('booking.expire-holds', runAt, { reference: 'B1' }, 'B1:1');
    await a.schedule('booking.expire-holds', runAt, { reference: 'B1' }, 'B1:1');
    // The instance that scheduled it goes away before the time; another one runs it.
    await first.queue.stop({ graceful: false });
    await first.db.close();
    const second = await open(file);
    const b = new QueueScheduler(second.queue);
    const seenB: { reference: string; at: number }[] = [];
    b.handle('booking.expire-holds', async (p) => {
      seenB.push({ reference: String(p.reference), at: Date.now() });
    });
    await until('the expiry on the second instance', async () => seenB.length === 1, 10_000);
    expect(seenA).toEqual([]);
    expect(seenB[0]?.reference).toBe('B1');
    expect(seenB[0]?.at).toBeGreaterThanOrEqual(Date.parse(runAt) - 1000);
    // The duplicate under the same key was never queued.
    await new Promise((r) => setTimeout(r, 500));
    expect(seenB).toHaveLength(1);
    b.every('booking.sweep-holds', 60_000);
    await b.stop();
    expect(await second.queue.schedules()).toEqual([{ queue: 'booking.sweep-holds', cron: '* * * * *' }]);
    await second.queue.stop({ graceful: false });
    await second.db.close();
  });

  it('turns a period into a cron expression of minute resolution', () => {
    expect(cronEvery(1000)).toBe('* * * * *');
    expect(cronEvery(60_000)).toBe('* * * * *');
    expect(cronEvery(5 * 60_000)).toBe('*/5 * * * *');
    expect(cronEvery(2 * 3_600_000)).toBe('0 */2 * * *');
    expect(cronEvery(48 * 3_600_000)).toBe('0 0 * * *');
  });
});
