/**
 * Deterministic interleavings of two booking writes on PostgreSQL, through the store's real code.
 * For every pair of operations that touch the same departures (holds for the last slots, the
 * expiry sweeper, an operator's confirmation, a cancellation, multi-leg holds in opposite orders)
 * and every point inside the first one's transaction (before each statement, and before COMMIT),
 * the first is paused there, the second is run until it finishes or waits on a row lock
 * (pg_locks), then the first goes on. Each outcome must be one of the two serial outcomes (A then
 * B, or B then A: the writes serialise), and booked + held ≤ capacity must hold.
 *
 * The schedule is driven by the test, not by timing: a paused transaction waits on a promise, and
 * "B is blocked" is read from pg_locks. This is what PostgreSQL's isolationtester does for SQL
 * scripts; here it runs the store's own statements (src/store/booking-sql.ts) rather than a copy.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerLegs, cancelBooking, expireHolds } from '../../src/booking/decide.js';
import type { BookingChange, BookingState } from '../../src/booking/model.js';
import { openStore } from '../../src/store/open.js';
import { SqlBookings } from '../../src/store/booking-sql.js';
import { PostgresDriver } from '../../src/store/postgres.js';
import type { SqlDriver, SqlExecutor, SqlValue } from '../../src/store/sql.js';
import { booking, leg, T0 } from '../helpers/bookings.js';

const url = process.env.TEST_PG_URL;
const schema = `interleave_${process.pid}`;
const LATER = new Date(Date.parse(T0) + 31 * 60_000).toISOString();

/** A transaction that can be stopped before its k-th statement (k = statements: before COMMIT). */
class Gate {
  private pausedResolve: (() => void) | undefined;
  readonly paused: Promise<void>;
  private resumeResolve: (() => void) | undefined;
  private readonly resumed: Promise<void>;
  private used = false;
  count = 0;
  pid: number | undefined;

  constructor(readonly pauseAt: number | null) {
    this.paused = new Promise((r) => {
      this.pausedResolve = r;
    });
    this.resumed = new Promise((r) => {
      this.resumeResolve = r;
    });
  }
  async point(): Promise<void> {
    if (this.used || this.pauseAt === null || this.count !== this.pauseAt) {
      this.count++;
      return;
    }
    this.used = true;
    this.count++;
    this.pausedResolve?.();
    await this.resumed;
  }
  resume(): void {
    this.resumeResolve?.();
  }
}

/** The real PostgreSQL driver, with every statement of a transaction passing the gate first. */
function gated(db: PostgresDriver, gate: Gate): SqlDriver {
  const wrap = (tx: SqlExecutor): SqlExecutor => ({
    all: async (sql: string, params?: readonly SqlValue[]) => {
      await gate.point();
      return tx.all(sql, params);
    },
    run: async (sql: string, params?: readonly SqlValue[]) => {
      await gate.point();
      return tx.run(sql, params);
    },
  });
  return {
    dialect: db.dialect,
    description: db.description,
    lockRowsSuffix: db.lockRowsSuffix,
    all: (sql, params) => db.all(sql, params),
    run: (sql, params) => db.run(sql, params),
    runUnsynced: (sql, params) => db.runUnsynced(sql, params),
    close: async () => undefined,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        gate.pid = Number((await tx.all('SELECT pg_backend_pid() AS pid'))[0]?.pid);
        const out = await fn(wrap(tx));
        await gate.point(); // before COMMIT
        return out;
      }),
  };
}

type Op = (b: SqlBookings, p: string) => Promise<string>;

const outcome = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? (e instanceof Error ? e.constructor.name : 'error');
  }
};
const change = (b: SqlBookings, ref: string, decide: (s: BookingState) => BookingChange | null) =>
  outcome(() => b.update(ref, decide));

/** Departures of one case: d1 with 3 TEU, d2 with 2 TEU, each operated by its own operator. */
const d1 = (p: string) => leg(1, `${p}d1@1`, 3, 'op-1');
const d2 = (p: string, seq = 2) => leg(seq, `${p}d2@1`, 2, 'op-2');

const OPS: Record<string, Op> = {
  'hold 2 TEU on d1': (b, p) => outcome(() => b.create(booking(`${p}Z`, [d1(p)], 2))),
  'hold 1 TEU on d1': (b, p) => outcome(() => b.create(booking(`${p}Y`, [d1(p)], 1))),
  'hold d1 then d2': (b, p) => outcome(() => b.create(booking(`${p}M`, [d1(p), d2(p)], 1))),
  'hold d2 then d1': (b, p) =>
    outcome(() => b.create(booking(`${p}N`, [{ ...d2(p, 1) }, { ...leg(2, `${p}d1@1`, 3, 'op-1') }], 1))),
  'expiry sweep': async (b, p) => {
    // Every earlier case's holds are due as well: the limit is above all of them, the prefix picks this case's.
    const due = (await b.dueHolds(LATER, 100_000)).filter((r) => r.startsWith(p));
    const out: string[] = [];
    for (const r of due) out.push(await change(b, r, (s) => expireHolds(s, LATER)));
    return out.join(',') || 'none due';
  },
  'operators confirm X': async (b, p) => {
    const out: string[] = [];
    for (const op of ['op-1', 'op-2'])
      out.push(
        await change(b, `${p}X`, (s) =>
          answerLegs(s, { operators: [op], accept: true, reason: null, carrierReference: `C${p}X`, by: op, now: T0 }),
        ),
      );
    return out.join(',');
  },
  'shipper cancels X': (b, p) =>
    change(b, `${p}X`, (s) => cancelBooking(s, { kind: 'request', reason: null, by: 'shipper-1', now: T0 })),
};

/** The pairs that race, on top of setUp's bookings. */
const PAIRS: [string, string][] = [
  ['hold 2 TEU on d1', 'expiry sweep'],
  ['hold 2 TEU on d1', 'shipper cancels X'],
  ['hold 1 TEU on d1', 'hold 2 TEU on d1'],
  ['operators confirm X', 'expiry sweep'],
  ['operators confirm X', 'shipper cancels X'],
  ['expiry sweep', 'expiry sweep'],
  ['hold d1 then d2', 'hold d2 then d1'],
];

let driver: PostgresDriver;
let plain: SqlBookings;
let locks: pg.Pool;
let n = 0;

/** What a case leaves, without its prefix: departure usage and each booking's status and legs. */
async function state(p: string): Promise<string> {
  const deps = (await plain.departures({})).filter((d) => d.id.startsWith(p));
  for (const d of deps) expect(d.heldTeu + d.bookedTeu, `${d.id} over capacity`).toBeLessThanOrEqual(d.capacityTeu);
  const refs = ['X', 'W', 'Y', 'Z', 'M', 'N'];
  const books: string[] = [];
  for (const r of refs) {
    const b = await plain.find(`${p}${r}`);
    if (b)
      books.push(
        `${r}:${b.status}:${b.legs
          .filter((l) => l.generation === b.generation)
          .map((l) => l.status)
          .join('/')}`,
      );
  }
  return JSON.stringify({
    departures: deps.map((d) => `${d.id.slice(p.length)} held ${d.heldTeu} booked ${d.bookedTeu}`).sort(),
    bookings: books,
  });
}

/** X holds 1 TEU on d1 and on d2, W 1 TEU on d1: d1 has 1 TEU left, d2 1 TEU; both holds lapse at T0 + 30 min. */
async function setUp(p: string): Promise<void> {
  await plain.create(booking(`${p}X`, [d1(p), d2(p)], 1));
  await plain.create(booking(`${p}W`, [d1(p)], 1));
}

async function serial(a: string, b: string): Promise<string> {
  const p = `s${n++}-`;
  await setUp(p);
  await OPS[a]!(plain, p);
  await OPS[b]!(plain, p);
  return state(p);
}

/** Runs A paused before its k-th statement and B against it; null when A has fewer statements than k. */
async function interleaved(a: string, b: string, k: number): Promise<string | null> {
  const p = `i${n++}-`;
  await setUp(p);
  const gate = new Gate(k);
  const runA = OPS[a]!(new SqlBookings(gated(driver, gate)), p);
  const reached = await Promise.race([gate.paused.then(() => true), runA.then(() => false)]);
  if (!reached) return null;
  const bGate = new Gate(null);
  let bDone = false;
  const runB = OPS[b]!(new SqlBookings(gated(driver, bGate)), p).finally(() => {
    bDone = true;
  });
  // B runs until it finishes or waits for a lock A holds; nothing here depends on how long either takes.
  for (;;) {
    if (bDone) break;
    const pid = bGate.pid;
    if (pid !== undefined) {
      const { rows } = await locks.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [pid]);
      if (rows.length > 0) break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  gate.resume();
  await Promise.all([runA, runB]);
  return state(p);
}

describe.runIf(url !== undefined)('booking writes interleaved at every statement (PostgreSQL)', () => {
  beforeAll(async () => {
    const store = await openStore(url!, { schema });
    await store.close();
    driver = new PostgresDriver(url!, { schema, maxConnections: 6 });
    plain = new SqlBookings(driver);
    locks = new pg.Pool({ connectionString: url!, max: 1 });
  });
  afterAll(async () => {
    await driver?.close();
    await locks?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await locks?.end();
  });

  for (const [a, b] of PAIRS)
    for (const [first, second] of a === b
      ? [[a, b]]
      : [
          [a, b],
          [b, a],
        ])
      it(`${first} paused at each statement, ${second} racing it: a serial outcome`, async () => {
        const serialOutcomes = new Set([await serial(first!, second!), await serial(second!, first!)]);
        let points = 0;
        for (let k = 0; ; k++) {
          const got = await interleaved(first!, second!, k);
          if (got === null) break;
          expect(serialOutcomes, `paused before statement ${k}`).toContain(got);
          points++;
        }
        expect(points).toBeGreaterThan(3);
      }, 120_000);
});

if (!url && process.env.CORRIDOR_REQUIRE_PG === '1')
  describe('booking interleavings', () => {
    it('needs TEST_PG_URL', () => {
      throw new Error('CORRIDOR_REQUIRE_PG=1 but TEST_PG_URL is not set');
    });
  });
