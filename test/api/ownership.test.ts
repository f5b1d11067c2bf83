/**
 * Object ownership (issue #14, API1 and API5): scenarios and jobs belong to the organisation of the
 * key that created them. Each case is a reproduction from the probe: planner B overwrote and
 * deleted planner A's scenario and cancelled A's jobs; any viewer read every job's params.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
/** Organisation A: a planner and a viewer; organisation B: a planner and a viewer; an admin. */
let plannerA = '';
let viewerA = '';
let plannerB = '';
let viewerB = '';
let admin = '';
beforeAll(async () => {
  api = await testApi();
  plannerA = await api.keyIn('planner', 'org-a');
  viewerA = await api.keyIn('viewer', 'org-a');
  plannerB = await api.keyIn('planner', 'org-b');
  viewerB = await api.keyIn('viewer', 'org-b');
  admin = await api.keyIn('admin', null);
});
afterAll(() => api.close());

const doc = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  title: 'Slow Caspian',
  description: 'Alat handling ten times slower',
  changes: [
    {
      transfers: { locations: ['AZALA'], kinds: ['handling'] },
      multiply: { durationH: { value: 10, assumption: 'a test stress factor for the Alat berth queue' } },
    },
  ],
  ...extra,
});
const names = (r: { body: string }) => json(r).scenarios.map((s: { name: string }) => s.name) as string[];

describe('scenario ownership', () => {
  it("another organisation's planner may neither replace nor delete a public scenario (403)", async () => {
    const c = await api.send('POST', '/api/v1/scenarios', doc('shared-a', { visibility: 'public' }), plannerA);
    expect(c.statusCode).toBe(201);
    expect(json(c).visibility).toBe('public');
    const put = await api.send('PUT', '/api/v1/scenarios/shared-a', doc('shared-a', { title: 'B was here' }), plannerB);
    expect(put.statusCode).toBe(403);
    expect(json(put).detail).toContain('organisation org-a');
    expect((await api.send('DELETE', '/api/v1/scenarios/shared-a', undefined, plannerB)).statusCode).toBe(403);
    const after = json(await api.get('/api/v1/scenarios/shared-a', viewerB));
    expect(after).toMatchObject({ title: 'Slow Caspian', version: 1 });
    // Readable by everyone, anonymous readers too, because the owner made it public.
    expect((await api.get('/api/v1/scenarios/shared-a')).statusCode).toBe(200);
    expect(names(await api.get('/api/v1/scenarios?limit=100'))).toContain('shared-a');
    // The owner's organisation may change it; a replacement keeps owner and visibility.
    const own = await api.send('PUT', '/api/v1/scenarios/shared-a', doc('shared-a', { title: 'v2' }), plannerA);
    expect(own.statusCode).toBe(200);
    expect(json(own)).toMatchObject({ title: 'v2', visibility: 'public', version: 2 });
  });

  it('a private scenario (the default) is absent for other organisations and anonymous readers', async () => {
    const c = await api.send('POST', '/api/v1/scenarios', doc('secret-a'), plannerA);
    expect(json(c).visibility).toBe('private');
    expect((await api.get('/api/v1/scenarios/secret-a', viewerA)).statusCode).toBe(200);
    for (const key of [undefined, viewerB, plannerB]) {
      expect((await api.get('/api/v1/scenarios/secret-a', key)).statusCode).toBe(404);
      expect(names(await api.get('/api/v1/scenarios?limit=100', key))).not.toContain('secret-a');
      // Nor can it be routed under, and error messages do not list it.
      const r = await api.get('/api/v1/routes?from=KZAAU&to=AZBAK&scenario=secret-a', key);
      expect(r.statusCode).toBe(404);
      // The answer echoes the name asked for, but no list of known names contains it.
      const problem = json(r);
      const lists = [problem.candidates, ...(problem.errors ?? []).map((e: { candidates?: string[] }) => e.candidates)];
      expect(lists.flat().filter(Boolean).length).toBeGreaterThan(0);
      expect(lists.flat()).not.toContain('secret-a');
    }
    expect(names(await api.get('/api/v1/scenarios?limit=100', viewerA))).toContain('secret-a');
    expect((await api.get('/api/v1/routes?from=KZAAU&to=AZBAK&scenario=secret-a', viewerA)).statusCode).toBe(200);
    // B cannot delete it (it looks absent) nor take its name over (taken).
    expect((await api.send('DELETE', '/api/v1/scenarios/secret-a', undefined, plannerB)).statusCode).toBe(404);
    expect((await api.send('PUT', '/api/v1/scenarios/secret-a', doc('secret-a'), plannerB)).statusCode).toBe(409);
    expect(json(await api.get('/api/v1/scenarios/secret-a', plannerA)).version).toBe(1);
  });

  it('an admin reads and deletes any organisation’s scenario', async () => {
    await api.send('POST', '/api/v1/scenarios', doc('admin-target'), plannerA);
    expect((await api.get('/api/v1/scenarios/admin-target', admin)).statusCode).toBe(200);
    expect((await api.send('DELETE', '/api/v1/scenarios/admin-target', undefined, admin)).statusCode).toBe(204);
  });

  it('a key without an organisation is its own: another such key cannot touch its scenarios', async () => {
    const solo1 = await api.keyIn('planner', null);
    const solo2 = await api.keyIn('planner', null);
    await api.send('POST', '/api/v1/scenarios', doc('solo-one', { visibility: 'public' }), solo1);
    expect((await api.send('DELETE', '/api/v1/scenarios/solo-one', undefined, solo2)).statusCode).toBe(403);
    expect((await api.send('DELETE', '/api/v1/scenarios/solo-one', undefined, solo1)).statusCode).toBe(204);
  });
});

describe('job ownership', () => {
  const batch = { kind: 'route-batch', params: { queries: [{ from: 'KZAAU', to: 'AZBAK' }] } };

  it("another organisation can neither read, list nor cancel a job; the owner's viewer reads it", async () => {
    const r = await api.send('POST', '/api/v1/assignments', batch, plannerA);
    expect(r.statusCode).toBe(202);
    const id = json(r).id as string;
    for (const key of [viewerB, plannerB]) {
      expect((await api.get(`/api/v1/assignments/${id}`, key)).statusCode).toBe(404);
      const list = json(await api.get('/api/v1/assignments', key)).assignments;
      expect(list.map((j: { id: string }) => j.id)).not.toContain(id);
    }
    expect((await api.send('DELETE', `/api/v1/assignments/${id}`, undefined, plannerB)).statusCode).toBe(404);
    expect((await api.ctx.jobs?.find(id))?.status).toBe('queued');

    const mine = json(await api.get(`/api/v1/assignments/${id}`, viewerA));
    expect(mine.params).toEqual(batch.params);
    expect(json(await api.get('/api/v1/assignments', viewerA)).assignments.map((j: { id: string }) => j.id)).toContain(
      id,
    );
    expect(json(await api.get('/api/v1/assignments', admin)).assignments.map((j: { id: string }) => j.id)).toContain(
      id,
    );
    const cancelled = await api.send('DELETE', `/api/v1/assignments/${id}`, undefined, plannerA);
    expect(cancelled.statusCode).toBe(200);
    expect(json(cancelled).status).toBe('cancelled');
  });

  it('pages the job list newest first with a cursor, each job once; limit above 100 is a 400', async () => {
    const org = await api.keyIn('planner', 'org-pages');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(json(await api.send('POST', '/api/v1/assignments', batch, org)).id);
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const r = await api.get(`/api/v1/assignments?limit=2${cursor ? `&cursor=${cursor}` : ''}`, org);
      expect(r.statusCode).toBe(200);
      const body = json(r);
      expect(body.assignments.length).toBeLessThanOrEqual(2);
      for (const j of body.assignments) expect(j.params).toBeUndefined();
      seen.push(...body.assignments.map((j: { id: string }) => j.id));
      cursor = body.nextCursor;
    }
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await api.get('/api/v1/assignments?limit=101', org)).statusCode).toBe(400);
    expect((await api.get('/api/v1/assignments?cursor=not-ours', org)).statusCode).toBe(400);
  });
});
