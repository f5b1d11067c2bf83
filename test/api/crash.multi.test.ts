/**
 * Crash suites, run by `npm run test:multi` (servers as processes, kill -9): during a burst of
 * writes no acknowledged write is lost and none is half-written, on SQLite and PostgreSQL; jobs
 * survive a kill and a restart. The server's everyday end-to-end run stays in service-e2e.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import { killStrayServers, startServerProcess } from '../helpers/server-process.js';

afterEach(killStrayServers);

const tmpDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-e2e-')), 'c.sqlite')}`;

/** A key made in-process (fast); the CLI path is tested once, below. */
async function quickKey(db: string, role: 'planner'): Promise<string> {
  const store = await openStore(db);
  try {
    return (await new KeyService(store).create(role)).key;
  } finally {
    await store.close();
  }
}

/** Many concurrent writers; SIGKILL mid-burst; restart; compare with what was acknowledged. */
async function killDuringWrites(databaseUrl: string): Promise<void> {
  const key = await quickKey(databaseUrl, 'planner');
  const s = await startServerProcess({ DATABASE_URL: databaseUrl, JOB_WORKERS: '0' });
  const acked = new Map<string, { version: number; title: string }>();
  const sent = new Map<string, Set<string>>();
  let stop = false;
  let n = 0;
  const writer = async (w: number) => {
    while (!stop) {
      const i = n++;
      const name = `w${w}-s${i % 5}`;
      const title = `title ${i} ${'x'.repeat(i % 50)}`;
      (sent.get(name) ?? sent.set(name, new Set()).get(name)!).add(title);
      try {
        const r = await fetch(`${s.url}/api/v1/scenarios/${name}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ name, title, description: `written by writer ${w}` }),
        });
        if (r.status === 200 || r.status === 201) {
          const body = (await r.json()) as { version: number; title: string };
          const prev = acked.get(name);
          if (!prev || body.version > prev.version) acked.set(name, { version: body.version, title: body.title });
        } else throw new Error(`unexpected ${r.status}`);
      } catch (e) {
        if (!stop && !String(e).includes('fetch failed') && !String(e).includes('other side closed')) throw e;
        return;
      }
    }
  };
  const writers = Array.from({ length: 12 }, (_, w) => writer(w));
  while (acked.size < 40 || n < 200) await new Promise((r) => setTimeout(r, 20));
  await s.kill9();
  stop = true;
  await Promise.all(writers);

  const again = await startServerProcess({ DATABASE_URL: databaseUrl, JOB_WORKERS: '0' });
  const listed: { name: string; title: string; version: number; description: string }[] = [];
  try {
    // The list is paged (limit ≤ 100): follow nextCursor to the end.
    let cursor: string | null = '';
    while (cursor !== null) {
      // The writer's key: its scenarios are private to its organisation.
      const page = (await (
        await fetch(`${again.url}/api/v1/scenarios?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json()) as { scenarios: typeof listed; nextCursor: string | null };
      listed.push(...page.scenarios.filter((x) => x.name.startsWith('w')));
      cursor = page.nextCursor;
    }
  } finally {
    await again.stop();
  }
  // No acknowledged write lost: the stored version is at least the acknowledged one, with its title.
  const byName = new Map(listed.map((x) => [x.name, x]));
  for (const [name, a] of acked) {
    const got = byName.get(name);
    expect(got, `acknowledged ${name} v${a.version} is missing`).toBeDefined();
    expect(got!.version).toBeGreaterThanOrEqual(a.version);
    if (got!.version === a.version) expect(got!.title).toBe(a.title);
  }
  // None half-written: every stored document is one that was sent, whole, and its revision trail is complete.
  const store = await openStore(databaseUrl);
  try {
    for (const x of listed) {
      expect(sent.get(x.name)?.has(x.title), `${x.name} holds a title never sent`).toBe(true);
      expect(x.description).toMatch(/^written by writer \d+$/);
      const revs = await store.listScenarioRevisions(x.name);
      expect(revs.map((r) => r.version)).toEqual(Array.from({ length: x.version }, (_, i) => i + 1));
      expect(revs[revs.length - 1]!.body).toMatchObject({ name: x.name, title: x.title });
    }
  } finally {
    await store.close();
  }
  expect(acked.size).toBeGreaterThanOrEqual(40);
}

describe('kill -9 during a burst of writes', () => {
  it('SQLite: no acknowledged write lost, none half-written', async () => {
    await killDuringWrites(tmpDb());
  }, 90_000);

  const pgUrl = process.env.TEST_PG_URL;
  it.skipIf(!pgUrl)(
    'PostgreSQL: no acknowledged write lost, none half-written',
    async () => {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      const dbName = `corridor_kill_${process.pid}_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${dbName}`);
      try {
        const u = new URL(pgUrl!);
        u.pathname = `/${dbName}`;
        await killDuringWrites(u.toString());
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      }
    },
    90_000,
  );
});

describe('jobs survive a kill and a restart', () => {
  // The first instance runs no workers, so its jobs are certainly queued when it is killed; the
  // second runs one and is killed while the matrix job runs (seen running); the
  // third finds the job lost (its run older than JOB_EXPIRE_S), runs it again and finishes it.
  it('queued work is not lost, and a job running when its process died is run again', async () => {
    const db = tmpDb();
    const key = await quickKey(db, 'planner');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const submit = async (s2: { url: string }, body: unknown) =>
      (
        (await (
          await fetch(`${s2.url}/api/v1/assignments`, { method: 'POST', headers, body: JSON.stringify(body) })
        ).json()) as { id: string }
      ).id;
    const get = async (s2: { url: string }, id: string) =>
      (await (await fetch(`${s2.url}/api/v1/assignments/${id}`, { headers })).json()) as any;
    const done = async (s2: { url: string }, id: string) => {
      for (let t = 0; ; t++) {
        const j = await get(s2, id);
        if (j.status === 'succeeded' || j.status === 'failed') return j;
        if (t > 3600) throw new Error(`job ${id} stuck: ${JSON.stringify(j).slice(0, 300)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    // The expiry is fixed when a job is sent: the instance that accepts it sets it.
    const env = { DATABASE_URL: db, JOB_WORKERS: '1', JOB_EXPIRE_S: '60', JOB_POLL_MS: '100' };
    const first = await startServerProcess({ ...env, JOB_WORKERS: '0' });
    const ids = (
      (await (await fetch(`${first.url}/api/v1/locations`)).json()) as { locations: { id: string }[] }
    ).locations
      .map((l) => l.id)
      .slice(0, 25);
    const matrix = await submit(first, {
      kind: 'route-matrix',
      params: { locations: ids, criteria: 'transshipments' },
    });
    const batch = await submit(first, { kind: 'route-batch', params: { queries: [{ from: 'CNXIA', to: 'DEDUI' }] } });
    expect((await get(first, batch)).status).toBe('queued');
    await first.kill9();

    const second = await startServerProcess(env);
    let seen: any;
    for (let t = 0; t < 2400; t++) {
      seen = await get(second, matrix);
      if (seen.status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await second.kill9();
    // A machine fast enough to finish the whole matrix before the kill has nothing to retry.
    if (seen.status === 'succeeded') return;
    expect(seen.status).toBe('running');

    const third = await startServerProcess(env);
    try {
      const b = await done(third, batch);
      expect(b.status).toBe('succeeded');
      expect(b.result.results[0].result.options.length).toBeGreaterThan(0);
      const m = await done(third, matrix);
      expect(m.status).toBe('succeeded');
      expect(m.attempts).toBe(2);
      expect(m.result.pairs).toBe(m.result.locations.length * (m.result.locations.length - 1));
    } finally {
      await third.stop();
    }
  }, 240_000);
});
