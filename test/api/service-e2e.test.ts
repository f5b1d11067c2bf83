/**
 * The server as a process on the default dataset: `corridor keys create`, `corridor serve`,
 * kill -9 during a burst of writes (no acknowledged write lost, none half-written) on SQLite and
 * PostgreSQL, and jobs that survive a kill and restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import { corridorCli, killStrayServers, startServerProcess } from '../helpers/server-process.js';

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

function createKey(db: string, role: string): string {
  const r = corridorCli(['keys', 'create', '--role', role, '--label', 'e2e', '--database', db]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(new RegExp(`created ${role} key [a-z0-9]{12}; store it now`));
  return r.stdout.trim();
}

describe('corridor serve and keys', () => {
  it('creates the SQLite file, serves the API and refuses unauthenticated writes', async () => {
    const db = tmpDb();
    const key = createKey(db, 'planner');
    const s = await startServerProcess({ DATABASE_URL: db, LOG_LEVEL: 'info' });
    try {
      expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ status: 'ok' });
      const doc = { name: 'e2e', title: 'T', description: 'D' };
      const post = (k?: string) =>
        fetch(`${s.url}/api/v1/scenarios`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(k ? { authorization: `Bearer ${k}` } : {}) },
          body: JSON.stringify(doc),
        });
      expect((await post()).status).toBe(401);
      expect((await post(key)).status).toBe(201);
      const r = await fetch(`${s.url}/api/v1/routes?from=CNXIA&to=DEDUI`);
      expect(r.status).toBe(200);
      expect(((await r.json()) as { options: unknown[] }).options.length).toBeGreaterThan(0);
      // Structured JSON logs on stdout.
      expect(s.output()).toMatch(/"msg":"corridor service listening"/);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    const list = corridorCli(['keys', 'list', '--database', db]);
    expect(list.stdout).toMatch(/planner\s+active/);
    expect(list.stdout).not.toContain(key.split('_')[2]);
  });

  it('refuses bad configuration and bad key commands with a clear message', () => {
    const port = corridorCli(['serve'], { PORT: 'eighty' });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/PORT: .*got "eighty"/);
    const db = corridorCli(['serve'], { DATABASE_URL: 'mysql://u:secret@h/db' });
    expect(db.status).toBe(1);
    expect(db.stderr).toMatch(/must start with sqlite: or postgres:\/\//);
    expect(db.stderr).not.toContain('secret');
    const role = corridorCli(['keys', 'create', '--role', 'god', '--database', tmpDb()]);
    expect(role.status).toBe(2);
    expect(role.stderr).toMatch(/not a role; valid: viewer, planner, operator, admin/);
  });
});

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
      const page = (await (
        await fetch(`${again.url}/api/v1/scenarios?limit=100${cursor ? `&cursor=${cursor}` : ''}`)
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
  // Deterministic on any machine: the first instance runs no workers, so its jobs are certainly
  // queued when it is killed, and the "dead worker" holding the matrix job is simulated by
  // claiming it in the store under an owner that will never renew its lease. (Killing a real
  // worker mid-job races the job's own speed: on a fast machine it finishes first.)
  it('a running job is claimed again after its lease lapses, and queued work is not lost', async () => {
    const db = tmpDb();
    const key = await quickKey(db, 'planner');
    const leaseMs = 1500;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const submit = async (s2: { url: string }, body: unknown) =>
      (
        (await (
          await fetch(`${s2.url}/api/v1/assignments`, { method: 'POST', headers, body: JSON.stringify(body) })
        ).json()) as { id: string }
      ).id;
    const get = async (s2: { url: string }, id: string) =>
      (await (await fetch(`${s2.url}/api/v1/assignments/${id}`, { headers })).json()) as any;

    const first = await startServerProcess({ DATABASE_URL: db, JOB_WORKERS: '0' });
    const ids = (
      (await (await fetch(`${first.url}/api/v1/locations`)).json()) as { locations: { id: string }[] }
    ).locations
      .map((l) => l.id)
      .slice(0, 12);
    const matrix = await submit(first, { kind: 'route-matrix', params: { locations: ids } });
    const batch = await submit(first, { kind: 'route-batch', params: { queries: [{ from: 'CNXIA', to: 'DEDUI' }] } });
    expect((await get(first, batch)).status).toBe('queued');
    await first.kill9();

    // A worker of some other instance took the matrix job and died: its lease runs out in leaseMs.
    const store = await openStore(db);
    let leaseUntil: number;
    try {
      const claimed = await store.claimJob({
        owner: 'dead-instance',
        now: new Date().toISOString(),
        leaseUntil: new Date(Date.now() + leaseMs).toISOString(),
        maxAttempts: 3,
      });
      expect(claimed?.id).toBe(matrix);
      leaseUntil = Date.parse(claimed!.leaseUntil!);
    } finally {
      await store.close();
    }

    const again = await startServerProcess({ DATABASE_URL: db, JOB_LEASE_MS: String(leaseMs), JOB_POLL_MS: '100' });
    try {
      const done = async (id: string) => {
        for (let t = 0; ; t++) {
          const j = await get(again, id);
          if (j.status === 'succeeded' || j.status === 'failed') return j;
          // While the dead owner's lease holds, nobody else may take the job.
          if (id === matrix && Date.now() < leaseUntil - 200)
            expect(j.status === 'running' && j.attempts === 1).toBe(true);
          if (t > 1200) throw new Error(`job ${id} stuck: ${JSON.stringify(j).slice(0, 300)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const b = await done(batch);
      expect(b.status).toBe('succeeded');
      expect(b.attempts).toBe(1);
      expect(b.result.results[0].result.options.length).toBeGreaterThan(0);
      const m = await done(matrix);
      expect(m.status).toBe('succeeded');
      expect(m.attempts).toBe(2);
      expect(Date.parse(m.finishedAt)).toBeGreaterThanOrEqual(leaseUntil);
      expect(m.result.pairs).toBe(ids.length * (ids.length - 1));
    } finally {
      await again.stop();
    }
  }, 120_000);
});
