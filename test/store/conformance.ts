/**
 * The store conformance suite: every Store implementation runs these same cases
 * (store-sqlite.test.ts, store-postgres.test.ts).
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { ApiKeyRecord, Store } from '../../src/store/store.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { bookingConformance } from './booking-conformance.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  fresh(): Promise<Store>;
  /** A second store on the same database as the last fresh() one (another instance / connection). */
  sibling(): Promise<Store>;
  /** Re-opens the database of the last fresh() one (a restart). */
  reopen(): Promise<Store>;
}

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function key(id: string, role: ApiKeyRecord['role'] = 'planner'): ApiKeyRecord {
  return {
    id,
    hash: `h-${id}`,
    salt: `s-${id}`,
    role,
    operator: role === 'operator' ? 'ADY' : null,
    label: 'test',
    createdAt: T0,
    revokedAt: null,
  };
}

export function storeConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    const extra: Store[] = [];
    beforeEach(async () => {
      store = await factory.fresh();
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
    });
    const sibling = async () => {
      const s = await factory.sibling();
      extra.push(s);
      return s;
    };

    it('migrates to the latest schema and answers ping', async () => {
      await store.ping();
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    });

    it('re-opening an up-to-date database applies nothing and keeps the data', async () => {
      await store.insertKey(key('k1'));
      await store.close();
      store = await factory.reopen();
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect((await store.findKey('k1'))?.role).toBe('planner');
    });

    describe('API keys', () => {
      it('stores, finds, lists and revokes keys', async () => {
        await store.insertKey(key('k1'));
        await store.insertKey(key('k2', 'operator'));
        expect(await store.findKey('k1')).toEqual(key('k1'));
        expect((await store.findKey('k2'))?.operator).toBe('ADY');
        expect(await store.findKey('nope')).toBeUndefined();
        expect((await store.listKeys()).map((k) => k.id)).toEqual(['k1', 'k2']);
        expect(await store.revokeKey('k1', at(5))).toBe(true);
        expect(await store.revokeKey('k1', at(6))).toBe(false);
        expect((await store.findKey('k1'))?.revokedAt).toBe(at(5));
        expect(await store.revokeKey('nope', at(6))).toBe(false);
      });
      it('refuses a duplicate key id', async () => {
        await store.insertKey(key('k1'));
        await expect(store.insertKey(key('k1'))).rejects.toThrow();
      });
      it('treats values with quotes and SQL as plain data', async () => {
        const evil = { ...key("x'; DROP TABLE api_keys; --"), label: "Robert'); DROP TABLE scenarios;--" };
        await store.insertKey(evil);
        expect(await store.findKey(evil.id)).toEqual(evil);
        expect(await store.listScenarios()).toEqual([]);
      });
    });

    describe('scenarios', () => {
      const body = (n: string, title = 'T') => ({ name: n, title, description: 'D' });
      it('creates, reads, replaces and deletes with a revision per write', async () => {
        const c = await store.createScenario('a', body('a'), 'k1', at(1));
        expect(c).toMatchObject({ name: 'a', version: 1, body: body('a'), createdBy: 'k1', createdAt: at(1) });
        expect(await store.createScenario('a', body('a', 'again'), 'k1', at(2))).toBeUndefined();
        const p = await store.putScenario('a', body('a', 'T2'), 'k2', at(3));
        expect(p).toMatchObject({
          outcome: 'updated',
          scenario: { version: 2, createdBy: 'k1', updatedBy: 'k2', createdAt: at(1), updatedAt: at(3) },
        });
        expect((await store.findScenario('a'))?.body).toEqual(body('a', 'T2'));
        expect(await store.deleteScenario('a', 'k2', at(4))).toBe(true);
        expect(await store.deleteScenario('a', 'k2', at(5))).toBe(false);
        expect(await store.findScenario('a')).toBeUndefined();
        const revs = await store.listScenarioRevisions('a');
        expect(revs.map((r) => [r.version, r.deleted])).toEqual([
          [1, false],
          [2, false],
          [3, true],
        ]);
        // Re-created after a delete: the version keeps counting, so an old ETag never matches again.
        expect((await store.createScenario('a', body('a'), 'k1', at(6)))?.version).toBe(4);
      });
      it('put with ifVersion is a compare-and-set', async () => {
        expect(await store.putScenario('b', body('b'), null, at(1), 1)).toMatchObject({
          outcome: 'version-mismatch',
          current: undefined,
        });
        expect(await store.putScenario('b', body('b'), null, at(1), 0)).toMatchObject({
          outcome: 'created',
          scenario: { version: 1 },
        });
        expect(await store.putScenario('b', body('b', 'x'), null, at(2), 0)).toMatchObject({
          outcome: 'version-mismatch',
          current: { version: 1 },
        });
        expect(await store.putScenario('b', body('b', 'x'), null, at(2), 1)).toMatchObject({
          outcome: 'updated',
          scenario: { version: 2 },
        });
      });
      it('lists by name and keeps unicode intact', async () => {
        await store.createScenario('z', body('z', 'Zəngəzur — Nakhchivan'), null, at(1));
        await store.createScenario('m', body('m'), null, at(1));
        const list = await store.listScenarios();
        expect(list.map((s) => s.name)).toEqual(['m', 'z']);
        expect(list[1]!.body.title).toBe('Zəngəzur — Nakhchivan');
      });
      it('concurrent creates of one name: exactly one wins', async () => {
        const other = await sibling();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? other : store).createScenario('race', body('race', `t${i}`), `k${i}`, at(i)),
          ),
        );
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        expect((await store.listScenarioRevisions('race')).length).toBe(1);
      });
      it('concurrent replaces each get their own version', async () => {
        const other = await sibling();
        await store.createScenario('v', body('v'), null, at(0));
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? other : store).putScenario('v', body('v', `t${i}`), null, at(i + 1)),
          ),
        );
        const revs = await store.listScenarioRevisions('v');
        expect(revs.map((r) => r.version)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
        expect((await store.findScenario('v'))?.version).toBe(11);
      });
    });

    describe('operator publications', () => {
      const cap = (v: number) => ({
        capacityPerYear: { value: v, unit: 'TEU' },
        source: 'https://example.org/notice-1',
      });
      it('publishes, replaces and deletes, with one numbered revision per change and the previous value', async () => {
        expect(await store.publicationRevision()).toBe(0);
        expect(await store.listPublications()).toEqual([]);
        const a = await store.putPublication(
          { kind: 'link-capacity', target: 'aktau-alat', operator: 'asco', body: cap(100) },
          'k1',
          at(1),
        );
        expect(a).toEqual({
          kind: 'link-capacity',
          target: 'aktau-alat',
          operator: 'asco',
          body: cap(100),
          revision: 1,
          publishedAt: at(1),
          publishedBy: 'k1',
        });
        await store.putPublication(
          {
            kind: 'service',
            target: 'baku-feeder',
            operator: 'asco',
            body: { withdrawn: true, assumption: 'withdrawn for the winter season' },
          },
          null,
          at(2),
        );
        const b = await store.putPublication(
          { kind: 'link-capacity', target: 'aktau-alat', operator: 'asco', body: cap(200) },
          'k2',
          at(3),
        );
        expect(b.revision).toBe(3);
        expect(await store.publicationRevision()).toBe(3);
        expect((await store.listPublications()).map((p) => [p.kind, p.target, p.revision])).toEqual([
          ['service', 'baku-feeder', 2],
          ['link-capacity', 'aktau-alat', 3],
        ]);
        expect(await store.deletePublication('link-capacity', 'aktau-alat', 'k3', at(4))).toBe(true);
        expect(await store.deletePublication('link-capacity', 'aktau-alat', 'k3', at(5))).toBe(false);
        expect(await store.publicationRevision()).toBe(4);
        const hist = await store.listPublicationRevisions({ kind: 'link-capacity', target: 'aktau-alat' });
        expect(hist.map((h) => [h.revision, h.action, h.by])).toEqual([
          [1, 'publish', 'k1'],
          [3, 'publish', 'k2'],
          [4, 'delete', 'k3'],
        ]);
        expect(hist[0]!.previous).toBeNull();
        expect(hist[1]!.previous).toEqual(cap(100));
        expect(hist[2]).toMatchObject({ body: null, previous: cap(200), at: at(4) });
        expect((await store.listPublicationRevisions({ operator: 'asco' })).length).toBe(4);
        expect(await store.listPublicationRevisions({ operator: 'ady' })).toEqual([]);
        expect((await store.listPublications()).map((p) => p.target)).toEqual(['baku-feeder']);
      });
      it('keeps publications across a restart and shows them to another instance', async () => {
        await store.putPublication(
          {
            kind: 'tariff',
            target: 'tariffs-2025/ady-transit-line-haul',
            operator: 'ady',
            body: { note: 'ünïcode \' " ; DROP TABLE x', source: 'ADY notice' },
          },
          null,
          at(1),
        );
        const other = await sibling();
        expect(await other.publicationRevision()).toBe(1);
        expect((await other.listPublications())[0]!.body).toEqual({
          note: 'ünïcode \' " ; DROP TABLE x',
          source: 'ADY notice',
        });
        await store.close();
        store = await factory.reopen();
        expect((await store.listPublications()).map((p) => p.target)).toEqual(['tariffs-2025/ady-transit-line-haul']);
      });
      it('concurrent publications from two instances get distinct revisions, none lost', async () => {
        const other = await sibling();
        const writes = Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? other : store).putPublication(
            { kind: 'link-capacity', target: `link-${i % 3}`, operator: 'ktz', body: cap(i + 1) },
            null,
            at(i),
          ),
        );
        const revs = (await Promise.all(writes)).map((p) => p.revision).sort((a, b) => a - b);
        expect(revs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await store.publicationRevision()).toBe(8);
        expect((await store.listPublications()).length).toBe(3);
        expect((await store.listPublicationRevisions()).length).toBe(8);
      });
    });

    describe('jobs of the lease queue (history; open ones carried over to the job engine)', () => {
      const legacy = async (s: Store, id: string, status: string, t: number) =>
        s.driver.run(
          `INSERT INTO jobs (id, kind, params, status, progress, progress_message, result, error, attempts, ` +
            `created_at, updated_at, started_at, finished_at, lease_owner, lease_until, created_by) ` +
            `VALUES (?, 'route-batch', ?, ?, 0, NULL, ?, NULL, ?, ?, ?, NULL, NULL, ?, NULL, 'k1')`,
          [
            id,
            JSON.stringify({ queries: [{ from: 'A', to: 'B' }] }),
            status,
            status === 'succeeded' ? JSON.stringify({ rows: [1] }) : null,
            status === 'queued' ? 0 : 1,
            at(t),
            at(t),
            status === 'running' ? 'dead-runner' : null,
          ],
        );

      it('lists the open ones oldest first, deletes only open ones, keeps the finished as history', async () => {
        await legacy(store, 'j1', 'running', 2);
        await legacy(store, 'j0', 'queued', 1);
        await legacy(store, 'j2', 'succeeded', 3);
        const open = await store.openLegacyJobs();
        expect(open.map((j) => [j.id, j.status, j.createdBy])).toEqual([
          ['j0', 'queued', 'k1'],
          ['j1', 'running', 'k1'],
        ]);
        expect(open[0]!.params).toEqual({ queries: [{ from: 'A', to: 'B' }] });
        await store.deleteLegacyJobs(['j0', 'j1', 'j2']);
        expect(await store.openLegacyJobs()).toEqual([]);
        expect(await store.findJob('j2')).toMatchObject({ status: 'succeeded', result: { rows: [1] } });
        expect((await store.listJobs({ limit: 10 })).map((j) => [j.id, j.result])).toEqual([['j2', null]]);
      });

      it('a store transaction is all or nothing', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.run(
              `INSERT INTO scenarios (name, body, version, created_at, updated_at, created_by, updated_by) ` +
                `VALUES ('tx', '{}', 1, ?, ?, NULL, NULL)`,
              [at(1), at(1)],
            );
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await store.findScenario('tx')).toBeUndefined();
      });
    });

    describe('sweeps', () => {
      const sweep = (id: string, by: string | null, at: string) => ({
        id,
        request: { draws: 3, seed: 7, scenario: 'demand-2029', note: 'it\'s "quoted" ✓' },
        runs: 3,
        createdAt: at,
        createdBy: by,
      });
      it('stores a header and finds it back unchanged', async () => {
        await store.createSweep(sweep('s1', 'k1', '2026-12-07T10:00:00.000Z'));
        expect(await store.findSweep('s1')).toEqual(sweep('s1', 'k1', '2026-12-07T10:00:00.000Z'));
        expect(await store.findSweep('nope')).toBeUndefined();
        await expect(store.createSweep(sweep('s1', 'k2', '2026-12-07T11:00:00.000Z'))).rejects.toThrow();
      });
      it("lists a key's sweeps newest first, pages with before, and all of them for null", async () => {
        await store.createSweep(sweep('a', 'k1', '2026-12-07T10:00:00.000Z'));
        await store.createSweep(sweep('b', 'k2', '2026-12-07T10:01:00.000Z'));
        await store.createSweep(sweep('c', 'k1', '2026-12-07T10:02:00.000Z'));
        expect((await store.listSweeps({ createdBy: 'k1', limit: 10 })).map((x) => x.id)).toEqual(['c', 'a']);
        expect((await store.listSweeps({ createdBy: null, limit: 2 })).map((x) => x.id)).toEqual(['c', 'b']);
        const next = await store.listSweeps({ createdBy: null, limit: 2, before: '2026-12-07T10:01:00.000Z' });
        expect(next.map((x) => x.id)).toEqual(['a']);
      });
    });

    bookingConformance(() => store, sibling);
  });
}
