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

    describe('jobs', () => {
      const job = (id: string, s = 0) => ({
        id,
        kind: 'route-batch',
        params: { queries: [{ from: 'A', to: 'B' }] },
        createdBy: 'k1',
        now: at(s),
      });
      const claim = (s: Store, owner: string, t: number, leaseS = 30, maxAttempts = 3) =>
        s.claimJob({ owner, now: at(t), leaseUntil: at(t + leaseS), maxAttempts });

      it('enqueues and claims in creation order, one runner per job', async () => {
        const j = await store.enqueueJob(job('j1', 1));
        expect(j).toMatchObject({
          id: 'j1',
          status: 'queued',
          progress: 0,
          attempts: 0,
          params: { queries: [{ from: 'A', to: 'B' }] },
          result: null,
        });
        await store.enqueueJob(job('j2', 2));
        const c1 = await claim(store, 'r1', 3);
        expect(c1).toMatchObject({ id: 'j1', status: 'running', leaseOwner: 'r1', attempts: 1, startedAt: at(3) });
        expect((await claim(store, 'r2', 3))?.id).toBe('j2');
        expect(await claim(store, 'r3', 3)).toBeUndefined();
      });

      it('records progress only from the owner and finishes once', async () => {
        await store.enqueueJob(job('j1'));
        await claim(store, 'r1', 1);
        expect(await store.heartbeatJob('j1', 'r2', at(40), 0.5, 'half', at(2))).toBe(false);
        expect(await store.heartbeatJob('j1', 'r1', at(40), 0.5, 'half', at(2))).toBe(true);
        expect(await store.findJob('j1')).toMatchObject({ progress: 0.5, progressMessage: 'half', leaseUntil: at(40) });
        expect(await store.finishJob('j1', 'r1', { status: 'succeeded', result: { rows: [1, 2, 3] } }, at(3))).toBe(
          true,
        );
        expect(await store.finishJob('j1', 'r1', { status: 'failed', error: 'late' }, at(4))).toBe(false);
        expect(await store.findJob('j1')).toMatchObject({
          status: 'succeeded',
          result: { rows: [1, 2, 3] },
          progress: 1,
          finishedAt: at(3),
          leaseOwner: null,
        });
        expect(await store.heartbeatJob('j1', 'r1', at(50), 0.9, null, at(5))).toBe(false);
      });

      it('reclaims a running job whose lease expired (its runner died), and gives up after maxAttempts', async () => {
        await store.enqueueJob(job('j1'));
        await claim(store, 'dead-1', 0, 10);
        expect(await claim(store, 'r2', 5, 10)).toBeUndefined();
        expect(await claim(store, 'dead-2', 11, 10)).toMatchObject({
          id: 'j1',
          attempts: 2,
          leaseOwner: 'dead-2',
          startedAt: at(0),
        });
        expect(await claim(store, 'dead-3', 22, 10)).toMatchObject({ attempts: 3 });
        expect(await claim(store, 'r4', 33, 10)).toBeUndefined();
        expect(await store.findJob('j1')).toMatchObject({
          status: 'failed',
          error: expect.stringMatching(/gave up after 3 attempt/),
        });
        expect(await store.finishJob('j1', 'dead-3', { status: 'succeeded', result: 1 }, at(34))).toBe(false);
      });

      it('release gives a job back to the queue without counting an attempt', async () => {
        await store.enqueueJob(job('j1'));
        await claim(store, 'r1', 0);
        expect(await store.releaseJob('j1', 'r1', at(1))).toBe(true);
        expect(await store.findJob('j1')).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null });
        expect(await claim(store, 'r2', 2)).toMatchObject({ attempts: 1 });
      });

      it('cancels queued and running jobs; a cancelled job is never claimed and its runner loses it', async () => {
        await store.enqueueJob(job('j1', 0));
        await store.enqueueJob(job('j2', 1));
        await claim(store, 'r1', 2);
        expect(await store.cancelJob('j1', at(3))).toBe(true);
        expect(await store.cancelJob('j2', at(3))).toBe(true);
        expect(await store.cancelJob('j2', at(4))).toBe(false);
        expect(await store.heartbeatJob('j1', 'r1', at(40), 0.1, null, at(5))).toBe(false);
        expect(await claim(store, 'r2', 100)).toBeUndefined();
        expect((await store.findJob('j2'))?.status).toBe('cancelled');
      });

      it('lists newest first without results, filtered by status', async () => {
        for (let i = 0; i < 5; i++) await store.enqueueJob(job(`j${i}`, i));
        await claim(store, 'r', 10);
        await store.finishJob('j0', 'r', { status: 'succeeded', result: { big: 'x'.repeat(1000) } }, at(11));
        const all = await store.listJobs({ limit: 3 });
        expect(all.map((j) => j.id)).toEqual(['j4', 'j3', 'j2']);
        const done = await store.listJobs({ limit: 10, status: 'succeeded' });
        expect(done.map((j) => [j.id, j.result])).toEqual([['j0', null]]);
      });

      it('two instances claiming at once never take the same job', async () => {
        const other = await sibling();
        for (let i = 0; i < 20; i++) await store.enqueueJob(job(`j${String(i).padStart(2, '0')}`, i));
        const claims = await Promise.all(
          Array.from({ length: 24 }, (_, i) => claim(i % 2 ? other : store, `r${i}`, 100)),
        );
        const ids = claims.filter((c) => c !== undefined).map((c) => c!.id);
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
      });

      it('keeps queued jobs across a restart', async () => {
        await store.enqueueJob(job('j1'));
        await store.close();
        store = await factory.reopen();
        expect((await claim(store, 'r', 1))?.id).toBe('j1');
      });
    });

    bookingConformance(() => store, sibling);
  });
}
