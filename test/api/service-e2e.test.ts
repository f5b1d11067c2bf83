/**
 * The server as a process on the default dataset: `corridor keys create`, `corridor serve`. Its
 * crash suites (kill -9 during writes and jobs) are in crash.multi.test.ts (`npm run test:multi`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import { corridorCli, killStrayServers, startServerProcess } from '../helpers/server-process.js';

afterEach(killStrayServers);

const tmpDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-e2e-')), 'c.sqlite')}`;

/** A key made in-process (fast); the CLI path is tested once, below. */
async function _quickKey(db: string, role: 'planner'): Promise<string> {
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
    expect(list.stdout).not.toContain(key.slice('cor_'.length + 13) /* the secret: it may contain '_' */);
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
