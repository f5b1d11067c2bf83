/**
 * pg-boss 10.4.2 on a real PostgreSQL passes the same JobQueue conformance suite. `.ci/run` starts
 * the server and sets TEST_PG_URL (and CORRIDOR_REQUIRE_PG=1: a missing server fails, not skips).
 */
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { PgBossQueue } from '../../src/queue/pgboss-queue.js';
import { queueConformance } from './conformance.js';

const url = process.env.TEST_PG_URL;
if (!url && process.env.CORRIDOR_REQUIRE_PG === '1') {
  describe('pg-boss queue', () => {
    it('needs TEST_PG_URL', () => {
      throw new Error('CORRIDOR_REQUIRE_PG=1 but TEST_PG_URL is not set');
    });
  });
}

let n = 0;
queueConformance(
  'pg-boss 10.4.2 (PostgreSQL)',
  async () => {
    const schema = `q_${process.pid}_${Date.now().toString(36)}_${n++}`;
    const open = async () => {
      const q = new PgBossQueue({ connectionString: url!, schema, pollMs: 100, maintenanceIntervalS: 1 });
      await q.start();
      return q;
    };
    const queue = await open();
    const others: PgBossQueue[] = [];
    const pool = new pg.Pool({ connectionString: url!, max: 2 });
    return {
      queue,
      async another() {
        const o = await open();
        others.push(o);
        return o;
      },
      async transaction(fn) {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const out = await fn({
            dialect: 'postgres',
            all: async () => {
              throw new Error('the pg-boss queue writes with raw statements');
            },
            raw: (sql, params) => c.query(sql, params as unknown[]),
          });
          await c.query('COMMIT');
          return out;
        } catch (e) {
          await c.query('ROLLBACK');
          throw e;
        } finally {
          c.release();
        }
      },
      async close() {
        await queue.stop({ graceful: false });
        for (const o of others) await o.stop({ graceful: false });
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
        await pool.end();
      },
    };
  },
  url !== undefined,
);

describe.runIf(url !== undefined)('pg-boss setup across instances', () => {
  it('six instances starting at once on a fresh schema all start and create their queues', async () => {
    // CI saw "deadlock detected" when three API instances started together on an empty database.
    const schema = `q_${process.pid}_${Date.now().toString(36)}_race`;
    const queues = ['route-batch', 'route-matrix', 'assignment', 'sweep-draw', 'hold-expiry'];
    const instances = Array.from(
      { length: 6 },
      () => new PgBossQueue({ connectionString: url!, schema, pollMs: 100, maintenanceIntervalS: 1 }),
    );
    const pool = new pg.Pool({ connectionString: url!, max: 1 });
    try {
      const outcomes = await Promise.allSettled(
        instances.map(async (q, i) => {
          await q.start();
          // Each instance declares the queues in its own order, as jobs and scheduler do.
          for (const name of i % 2 ? [...queues].reverse() : queues) await q.createQueue(name, { retryLimit: i });
        }),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      const { rows } = await pool.query(`SELECT name FROM ${schema}.queue WHERE name = ANY($1) ORDER BY name`, [
        queues,
      ]);
      expect(rows.map((r) => r.name)).toEqual([...queues].sort());
      const id = await instances[3]!.send('assignment', { n: 1 });
      expect((await instances[0]!.getJob('assignment', id!))?.state).toBe('queued');
    } finally {
      for (const q of instances) await q.stop({ graceful: false });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await pool.end();
    }
  }, 60_000);
});

describe.runIf(url !== undefined)('pg-boss heartbeat', () => {
  it('a job fetched while the heartbeat reads job states is not taken for cancelled', async () => {
    // The multi-process suite saw jobs "cancelled" by nobody, retried with no logged cause: the
    // heartbeat read the states of the jobs running when it began, then aborted every running job
    // that its answer did not list as active, including one fetched while the query ran.
    const schema = `q_${process.pid}_${Date.now().toString(36)}_beat`;
    const q = new PgBossQueue({ connectionString: url!, schema, pollMs: 50, maintenanceIntervalS: 1 });
    const admin = new pg.Pool({ connectionString: url!, max: 1 });
    const deferred = () => {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    };
    try {
      await q.start();
      await q.createQueue('beat');
      const started = new Map([0, 1].map((n) => [n, deferred()]));
      const finish = deferred();
      const signals = new Map<number, AbortSignal>();
      await q.work<{ n: number }>('beat', { concurrency: 2 }, async ({ data, signal }) => {
        signals.set(data.n, signal);
        started.get(data.n)?.resolve();
        await finish.promise;
        return data.n;
      });
      const pool = (q as unknown as { pool: pg.Pool }).pool;
      const query = pool.query.bind(pool) as (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
      const held = deferred();
      const gate = deferred();
      const answered = deferred();
      let armed = false;
      (pool as unknown as { query: typeof query }).query = async (sql, params) => {
        if (!armed || !sql.startsWith('SELECT id, state')) return query(sql, params);
        armed = false;
        held.resolve();
        await gate.promise;
        const r = await query(sql, params);
        setImmediate(() => answered.resolve());
        return r;
      };
      const first = await q.send('beat', { n: 0 });
      await started.get(0)!.promise;
      armed = true;
      await held.promise; // the heartbeat has listed job 0 alone and waits for its answer
      const second = await q.send('beat', { n: 1 });
      await started.get(1)!.promise;
      gate.resolve();
      await answered.promise;
      expect([signals.get(0)?.aborted, signals.get(1)?.aborted]).toEqual([false, false]);
      finish.resolve();
      await vi.waitFor(
        async () => {
          const states = await Promise.all([first, second].map(async (id) => (await q.getJob('beat', id!))?.state));
          expect(states).toEqual(['succeeded', 'succeeded']);
        },
        { timeout: 20_000 },
      );
    } finally {
      await q.stop({ graceful: false });
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await admin.end();
    }
  }, 60_000);
});
