/** Custom scenarios: validated like scenario files, stored with versions, diffed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let planner = '';
beforeAll(async () => {
  api = await testApi();
  planner = await api.key('planner');
});
afterAll(() => api.close());

const doc = (name: string, title = 'Blocked Bosporus') => ({
  name,
  title,
  description: 'What if the strait closes for a month',
  // Read anonymously below; a new scenario is private to its organisation by default.
  visibility: 'public',
});

describe('scenarios', () => {
  it('lists the dataset scenarios with the links each switches on', async () => {
    const list = json(await api.get('/api/v1/scenarios')).scenarios;
    const ds = api.ctx.dataset.scenarios;
    expect(
      list
        .filter((s: { source: string }) => s.source === 'dataset')
        .map((s: { name: string }) => s.name)
        .sort(),
    ).toEqual(ds.map((s) => s.name).sort());
    const withLinks = list.find((s: { switchesOn: string[] }) => s.switchesOn.length > 0);
    expect(withLinks).toBeDefined();
    for (const id of withLinks.switchesOn) {
      const link = api.ctx.dataset.links.find((l) => l.id === id)!;
      expect(link.status).not.toBe('operational');
      expect(link.scenarios).toContain(withLinks.name);
    }
  });

  it('creates, reads (with ETag), replaces with If-Match, and deletes a custom scenario', async () => {
    const c = await api.send('POST', '/api/v1/scenarios', doc('bosporus-closed'), planner);
    expect(c.statusCode).toBe(201);
    expect(c.headers.location).toBe('/api/v1/scenarios/bosporus-closed');
    expect(c.headers.etag).toBe('"1"');
    expect(json(c)).toMatchObject({ ...doc('bosporus-closed'), source: 'custom', version: 1, switchesOn: [] });

    const g = await api.get('/api/v1/scenarios/bosporus-closed');
    expect(g.headers.etag).toBe('"1"');
    // The key id only to its own organisation (and admins); an anonymous reader sees the organisation.
    expect(json(g).createdBy).toBe('test-org');
    expect(json(await api.get('/api/v1/scenarios/bosporus-closed', planner)).createdBy).toBe(planner.split('_')[1]);

    expect((await api.send('POST', '/api/v1/scenarios', doc('bosporus-closed'), planner)).statusCode).toBe(409);
    const stale = await api.send('PUT', '/api/v1/scenarios/bosporus-closed', doc('bosporus-closed', 'v2'), planner, {
      'if-match': '"7"',
    });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).currentVersion).toBe(1);
    const put = await api.send('PUT', '/api/v1/scenarios/bosporus-closed', doc('bosporus-closed', 'v2'), planner, {
      'if-match': '"1"',
    });
    expect(put.statusCode).toBe(200);
    expect(put.headers.etag).toBe('"2"');
    expect(json(await api.get('/api/v1/scenarios/bosporus-closed')).title).toBe('v2');

    expect((await api.send('DELETE', '/api/v1/scenarios/bosporus-closed', undefined, planner)).statusCode).toBe(204);
    expect((await api.get('/api/v1/scenarios/bosporus-closed')).statusCode).toBe(404);
    expect((await api.send('DELETE', '/api/v1/scenarios/bosporus-closed', undefined, planner)).statusCode).toBe(404);
    expect((await api.store.listScenarioRevisions('bosporus-closed')).map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it('PUT creates when absent (201), If-Match "0" means create-only', async () => {
    const r = await api.send('PUT', '/api/v1/scenarios/new-one', doc('new-one'), planner, { 'if-match': '"0"' });
    expect(r.statusCode).toBe(201);
    expect(
      (await api.send('PUT', '/api/v1/scenarios/new-one', doc('new-one'), planner, { 'if-match': '"0"' })).statusCode,
    ).toBe(412);
  });

  it('validates the body like a scenario file, naming each field', async () => {
    const r = await api.send('POST', '/api/v1/scenarios', { name: 'Bad Name', title: '', extra: 1 }, planner);
    expect(r.statusCode).toBe(400);
    const fields = json(r)
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['body', 'body.description', 'body.name', 'body.title']);
    expect(json(r).errors.find((e: { field: string }) => e.field === 'body.name').message).toMatch(
      /lower-case words joined by hyphens/,
    );
    const mismatch = await api.send('PUT', '/api/v1/scenarios/a-b', doc('c-d'), planner);
    expect(json(mismatch).errors[0]).toMatchObject({
      field: 'body.name',
      message: expect.stringMatching(/must equal the name in the path/),
    });
    const badEtag = await api.send('PUT', '/api/v1/scenarios/a-b', doc('a-b'), planner, { 'if-match': 'yesterday' });
    expect(json(badEtag).errors[0].field).toBe('header.If-Match');
  });

  it('refuses to overwrite or delete a dataset scenario (409)', async () => {
    const name = api.ctx.dataset.scenarios[0]!.name;
    expect((await api.send('POST', '/api/v1/scenarios', doc(name), planner)).statusCode).toBe(409);
    expect((await api.send('PUT', `/api/v1/scenarios/${name}`, doc(name), planner)).statusCode).toBe(409);
    expect((await api.send('DELETE', `/api/v1/scenarios/${name}`, undefined, planner)).statusCode).toBe(409);
  });

  it('diffs two scenarios: differing fields, the links only one switches on, lanes, and which demand', async () => {
    const [a, b] = api.ctx.dataset.scenarios;
    const d = json(await api.get(`/api/v1/scenarios/diff?a=${a!.name}&b=${b!.name}`));
    expect(d.a).toEqual({ scenario: a!.name, source: 'dataset' });
    expect(d.definitions.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['name', 'title']),
    );
    const onA = json(await api.get(`/api/v1/scenarios/${a!.name}`)).switchesOn;
    expect([...d.definitions.links.onlyA, ...d.definitions.links.both].sort()).toEqual([...onA].sort());
    // Without a demand set the lanes still come back, and the answer says there are no flows.
    const base = json(await api.get(`/api/v1/scenarios/diff?a=base&b=${a!.name}`));
    expect(base.definitions.links.onlyB.sort()).toEqual([...onA].sort());
    expect(base.demand.chosen).toBe('none');
    expect(base.flows).toBeNull();
    expect(base.lanes.length).toBeGreaterThan(0);
    expect((await api.get('/api/v1/scenarios/diff?a=base&b=missing')).statusCode).toBe(404);
    expect((await api.get('/api/v1/scenarios/diff?a=base')).statusCode).toBe(400);
  });

  it('a custom scenario can be routed under; it switches on only links that list it', async () => {
    await api.send('POST', '/api/v1/scenarios', doc('route-under-me'), planner);
    const r = json(await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&scenario=route-under-me'));
    const base = json(await api.get('/api/v1/routes?from=CNXIA&to=DEDUI'));
    expect(r.query.scenario).toBe('route-under-me');
    expect(r.options.map((o: { summary: string }) => o.summary)).toEqual(
      base.options.map((o: { summary: string }) => o.summary),
    );
    // Never answered from a cache once the scenario is gone.
    await api.send('DELETE', '/api/v1/scenarios/route-under-me', undefined, planner);
    expect((await api.get('/api/v1/routes?from=CNXIA&to=DEDUI&scenario=route-under-me')).statusCode).toBe(404);
  });
});

describe('custom scenarios with changes', () => {
  const slowBaku = {
    name: 'slow-caspian',
    title: 'Slow Caspian ports',
    description: 'Handling at Alat ten times the nominal dwell',
    changes: [
      {
        transfers: { locations: ['AZALA'], kinds: ['handling'] },
        multiply: { durationH: { value: 10, assumption: 'a test stress factor for the Alat berth queue' } },
      },
    ],
  };
  it('are validated like scenario files, cross-record checks included', async () => {
    const bad = {
      ...slowBaku,
      name: 'bad-changes',
      changes: [
        {
          transfers: { locations: ['AZNOP'] },
          multiply: { durationH: { value: 2, assumption: 'a test stress factor for nothing at all' } },
        },
      ],
    };
    const r = await api.send('POST', '/api/v1/scenarios', bad, planner);
    expect(r.statusCode).toBe(400);
    expect(json(r).errors[0]).toMatchObject({
      field: 'body.changes[0].transfers.locations[0]',
      message: expect.stringMatching(/AZNOP.*not a location of the dataset/),
    });
    const bare = await api.send(
      'POST',
      '/api/v1/scenarios',
      {
        ...slowBaku,
        name: 'bare-number',
        changes: [{ transfers: { locations: ['AZALA'] }, multiply: { durationH: 10 } }],
      },
      planner,
    );
    expect(bare.statusCode).toBe(400);
    expect(json(bare).errors[0].field).toMatch(/^body\.changes\[0\]\.multiply\.durationH/);
  });
  it('take effect in routes under them, and a new version recompiles', async () => {
    expect((await api.send('POST', '/api/v1/scenarios', slowBaku, planner)).statusCode).toBe(201);
    const url = (s?: string) => `/api/v1/routes?from=KZAAU&to=AZBAK&modes=ferry,rail${s ? `&scenario=${s}` : ''}`;
    const base = json(await api.get(url()));
    // Private to the planner's organisation: read with its key.
    const slow = json(await api.get(url('slow-caspian'), planner));
    // The Alat handling dwell, wherever an option stops there.
    const dwell = (r: any) =>
      Math.max(
        ...r.options.flatMap((o: any) => o.stops.filter((s: any) => s.at === 'AZALA').map((s: any) => s.durationH)),
      );
    expect(dwell(base)).toBeGreaterThan(0);
    expect(dwell(slow)).toBeCloseTo(dwell(base) * 10, 0);
    await api.send('PUT', '/api/v1/scenarios/slow-caspian', { ...slowBaku, changes: [] }, planner);
    expect(dwell(json(await api.get(url('slow-caspian'), planner)))).toBeCloseTo(dwell(base), 5);
  });
});
