/**
 * Operator publications through the API: the operator directory, publishing services, tariff
 * components and link capacities (validated like the data files), who may publish what, the
 * stored history, and the effect on routes, plans, quotes and a second instance.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { json, testApi, type TestApi } from '../helpers/api.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

let api: TestApi;
let admin = '';
let china = '';
let kmtf = '';
let viewer = '';
beforeAll(async () => {
  api = await testApi();
  admin = await api.key('admin');
  viewer = await api.key('viewer');
  china = (await api.ctx.keys.create('operator', { operator: 'china-railway' })).key;
  kmtf = (await api.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
});
afterAll(() => api.close());

const capacity = (value: number) => ({
  capacityPerYear: { value, unit: 'TEU' },
  source: 'https://example.org/kmtf/fleet-2026',
  ref: 'fleet table',
});
const linkCapacity = (id: string) => api.ctx.dataset.links.find((l) => l.id === id)!.capacityPerYear;
const service = (id: string) => JSON.parse(JSON.stringify(api.ctx.dataset.services!.find((s) => s.id === id)));

describe('operator directory', () => {
  it('derives operator ids from the names in the data and lists what each owns', async () => {
    const r = await api.get('/api/v1/operators?limit=100');
    expect(r.statusCode).toBe(200);
    // The list holds summaries (counts); GET /api/v1/operators/{operator} has the records.
    const ops = json(r).operators as { id: string; names: string[]; linkCount: number; serviceCount: number }[];
    const cr = json(await api.get('/api/v1/operators/china-railway'));
    expect(cr.links).toContain('xian-urumqi');
    expect(cr.services).toEqual(expect.arrayContaining(['xian-dostyk-block-train']));
    expect(cr.tariffComponents).toContainEqual({
      tariffSet: 'tariffs-2025',
      section: 'legCharges',
      id: 'cr-express-line-haul',
    });
    expect(ops.find((o) => o.id === 'china-railway')).toMatchObject({
      linkCount: cr.links.length,
      serviceCount: cr.services.length,
      tariffComponentCount: cr.tariffComponents.length,
    });
    // A joint record belongs to each operator it names; an aside in parentheses is not an operator.
    const ady = ops.find((o) => o.id === 'ady')!;
    expect(ady.names).toEqual(expect.arrayContaining(['ADY (Azerbaijan Railways)', 'ADY / Georgian Railway']));
    expect(json(await api.get('/api/v1/operators/georgian-railway')).links).toContain('beyuk-kesik-gardabani');
    expect(ops.map((o) => o.id)).not.toContain('others');
  });
  it('404 for an unknown operator, with the closest ids', async () => {
    const r = await api.get('/api/v1/operators/china-railways');
    expect(r.statusCode).toBe(404);
    expect(json(r).candidates).toContain('china-railway');
  });
  it('keys are bound to one operator id; a name naming several is refused', async () => {
    const ok = await api.send(
      'POST',
      '/api/v1/keys',
      { role: 'operator', operator: 'ADY (Azerbaijan Railways)' },
      admin,
    );
    expect(ok.statusCode).toBe(201);
    expect(json(ok).operator).toBe('ady');
    const joint = await api.send(
      'POST',
      '/api/v1/keys',
      { role: 'operator', operator: 'ADY / Georgian Railway' },
      admin,
    );
    expect(joint.statusCode).toBe(400);
    expect(json(joint).errors[0]).toMatchObject({
      field: 'body.operator',
      message: expect.stringContaining('several operators (ady, georgian-railway)'),
    });
  });
});

describe('link capacities', () => {
  it(
    'an operator publishes, replaces and withdraws the capacity of its link; history keeps who, when and ' +
      'the previous value',
    async () => {
      const file = linkCapacity('aktau-alat');
      expect(file?.value).toBe(89000);
      const a = await api.send(
        'PUT',
        '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
        capacity(120000),
        kmtf,
      );
      expect(a.statusCode).toBe(200);
      expect(json(a).effective).toEqual({
        value: 120000,
        unit: 'TEU',
        source: 'published-by-kazmortransflot',
        ref: 'https://example.org/kmtf/fleet-2026; fleet table',
      });
      expect(linkCapacity('aktau-alat')?.value).toBe(120000);
      expect(api.ctx.dataset.sources.find((s) => s.id === 'published-by-kazmortransflot')).toMatchObject({
        grade: 'P',
        publisher: 'kazmortransflot',
      });
      await api.send(
        'PUT',
        '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
        {
          capacityPerYear: { value: 100000, unit: 'TEU' },
          assumption: 'two feeders back from dry dock in spring; planning figure',
        },
        admin,
      );
      expect(linkCapacity('aktau-alat')).toMatchObject({
        value: 100000,
        assumption: expect.stringContaining('dry dock'),
      });
      const d = await api.send('DELETE', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', undefined, kmtf);
      expect(d.statusCode).toBe(204);
      expect(linkCapacity('aktau-alat')).toEqual(file);
      expect(
        (await api.send('DELETE', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', undefined, kmtf))
          .statusCode,
      ).toBe(404);
      const op = json(await api.get('/api/v1/operators/kazmortransflot', admin));
      const hist = op.history.filter((h: { target: string }) => h.target === 'aktau-alat');
      expect(hist.map((h: { action: string }) => h.action)).toEqual(['publish', 'publish', 'delete']);
      expect(hist[0]).toMatchObject({ previous: null, by: kmtf.split('_')[1] });
      expect(hist[1].previous).toEqual(capacity(120000));
      expect(hist[1].by).toBe(admin.split('_')[1]);
      // Anonymous readers see who by operator or organisation, never a key id.
      const anon = json(await api.get('/api/v1/operators/kazmortransflot'));
      const anonHist = anon.history.filter((h: { target: string }) => h.target === 'aktau-alat');
      expect(anonHist.map((h: { by: string }) => h.by)).toEqual(['kazmortransflot', 'test-org', 'kazmortransflot']);
      expect(hist[2]).toMatchObject({ body: null, previous: { capacityPerYear: { value: 100000 } } });
      expect(op.publications).toEqual([]);
    },
  );
  it(
    'a shared link keeps one publication per operator: the lowest applies, and each withdraws its own ' +
      '(issue #14: one operator overwrote the other’s, which then got 404 on withdrawal)',
    async () => {
      const asco = (await api.ctx.keys.create('operator', { operator: 'asco' })).key;
      const file = linkCapacity('aktau-alat');
      const url = (op: string) => `/api/v1/operators/${op}/capacities/aktau-alat`;
      expect((await api.send('PUT', url('kazmortransflot'), capacity(120000), kmtf)).statusCode).toBe(200);
      const a = await api.send('PUT', url('asco'), { ...capacity(70000), source: 'https://example.org/asco' }, asco);
      expect(a.statusCode).toBe(200);
      // Both are kept; the tighter figure binds and cites its publisher.
      expect(json(a).effective).toMatchObject({ value: 70000, source: 'published-by-asco' });
      const mine = (op: string) =>
        api
          .get(`/api/v1/operators/${op}`)
          .then((r) => json(r).publications.filter((p: { target: string }) => p.target === 'aktau-alat'));
      expect((await mine('kazmortransflot')).map((p: any) => p.body.capacityPerYear.value)).toEqual([120000]);
      expect((await mine('asco')).map((p: any) => p.body.capacityPerYear.value)).toEqual([70000]);
      // A figure in another unit cannot be compared: 400 naming the unit to use.
      const trains = await api.send(
        'PUT',
        url('kazmortransflot'),
        { capacityPerYear: { value: 2000, unit: 'trains' }, assumption: 'a planning figure in trains for this test' },
        kmtf,
      );
      expect(trains.statusCode).toBe(400);
      expect(json(trains).errors[0]).toMatchObject({ field: 'body.capacityPerYear.unit', value: 'trains' });
      // Each operator withdraws its own; the other's stays in effect.
      expect((await api.send('DELETE', url('asco'), undefined, asco)).statusCode).toBe(204);
      expect(linkCapacity('aktau-alat')?.value).toBe(120000);
      expect((await mine('kazmortransflot')).length).toBe(1);
      expect((await api.send('DELETE', url('asco'), undefined, asco)).statusCode).toBe(404);
      expect((await api.send('DELETE', url('kazmortransflot'), undefined, kmtf)).statusCode).toBe(204);
      expect(linkCapacity('aktau-alat')).toEqual(file);
    },
  );
  it(
    'refuses a link of another operator (403), another operator’s URL (403), roles below operator (403) ' +
      'and no key (401)',
    async () => {
      const other = await api.send(
        'PUT',
        '/api/v1/operators/kazmortransflot/capacities/xian-urumqi',
        capacity(1),
        kmtf,
      );
      expect(other.statusCode).toBe(403);
      expect(json(other).detail).toMatch(
        /link xian-urumqi is operated by "China Railway" \(china-railway\), not kazmortransflot/,
      );
      const foreign = await api.send(
        'PUT',
        '/api/v1/operators/china-railway/capacities/xian-urumqi',
        capacity(1),
        kmtf,
      );
      expect(foreign.statusCode).toBe(403);
      expect(json(foreign)).toMatchObject({
        operator: 'kazmortransflot',
        detail: expect.stringContaining('bound to operator kazmortransflot'),
      });
      expect(
        (await api.send('PUT', '/api/v1/operators/china-railway/capacities/xian-urumqi', capacity(1), viewer))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await api.send(
            'PUT',
            '/api/v1/operators/china-railway/capacities/xian-urumqi',
            capacity(1),
            await api.key('planner'),
          )
        ).statusCode,
      ).toBe(403);
      expect(
        (await api.send('PUT', '/api/v1/operators/china-railway/capacities/xian-urumqi', capacity(1))).statusCode,
      ).toBe(401);
      expect(linkCapacity('xian-urumqi')).toBeUndefined();
    },
  );
  it('400 names the field and what is valid; 404 names the closest links', async () => {
    const neg = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
      { capacityPerYear: { value: -5, unit: 'boxes' }, source: 'x.org' },
      kmtf,
    );
    expect(neg.statusCode).toBe(400);
    const fields = json(neg).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.capacityPerYear.value', 'body.capacityPerYear.unit']));
    const bare = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/capacities/aktau-alat',
      { capacityPerYear: { value: 5, unit: 'TEU' } },
      kmtf,
    );
    expect(json(bare).errors[0]).toMatchObject({
      field: 'body.source',
      message: expect.stringContaining('no provenance'),
    });
    const unknown = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/capacities/aktau-alatt',
      capacity(5),
      kmtf,
    );
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).candidates[0]).toBe('aktau-alat');
  });
});

describe('services', () => {
  it('a published timetable changes GET /api/v1/plans, and withdrawing the publication restores it', async () => {
    const url = '/api/v1/plans?from=CNXIA&to=DEDUI&ready=2026-03-02T08:00&samples=50';
    const legOf = (body: any) =>
      body.itineraries.flatMap((i: any) => i.legs).find((l: any) => l.service?.id === 'xian-dostyk-block-train');
    const before = legOf(json(await api.get(url)));
    expect(before.departure).toBe('2026-03-02T22:00:00+08:00');
    const s = service('xian-dostyk-block-train');
    s.timetable = {
      weekdays: ['wed'],
      departureTimes: ['06:30'],
      source: 'published-by-china-railway',
      ref: 'CR Express timetable 2026',
    };
    const r = await api.send(
      'PUT',
      '/api/v1/operators/china-railway/services/xian-dostyk-block-train',
      { service: s, source: 'https://example.org/cr-express/2026' },
      china,
    );
    expect(r.statusCode).toBe(200);
    expect(json(r).publication).toMatchObject({
      kind: 'service',
      target: 'xian-dostyk-block-train',
      operator: 'china-railway',
    });
    expect(legOf(json(await api.get(url))).departure).toBe('2026-03-04T06:30:00+08:00');
    expect(
      (await api.send('DELETE', '/api/v1/operators/china-railway/services/xian-dostyk-block-train', undefined, china))
        .statusCode,
    ).toBe(204);
    expect(legOf(json(await api.get(url))).departure).toBe(before.departure);
  });
  it('adds a new service and withdraws an existing one', async () => {
    const s = { ...service('xian-dostyk-block-train'), id: 'xian-dostyk-express-2', name: 'Second Xi’an block train' };
    expect(
      (
        await api.send(
          'PUT',
          '/api/v1/operators/china-railway/services/xian-dostyk-express-2',
          { service: s, assumption: 'a second daily train announced for the peak season' },
          china,
        )
      ).statusCode,
    ).toBe(200);
    expect(api.ctx.dataset.services!.map((x) => x.id)).toContain('xian-dostyk-express-2');
    const w = await api.send(
      'PUT',
      '/api/v1/operators/china-railway/services/xian-dostyk-block-train',
      { withdrawn: true, source: 'CR notice 2026-01' },
      china,
    );
    expect(w.statusCode).toBe(200);
    expect(json(w).effective).toBeNull();
    expect(api.ctx.dataset.services!.map((x) => x.id)).not.toContain('xian-dostyk-block-train');
    await api.send('DELETE', '/api/v1/operators/china-railway/services/xian-dostyk-block-train', undefined, china);
    await api.send('DELETE', '/api/v1/operators/china-railway/services/xian-dostyk-express-2', undefined, china);
    expect(api.ctx.dataset.services!.map((x) => x.id)).toContain('xian-dostyk-block-train');
    expect(api.ctx.dataset.services!.map((x) => x.id)).not.toContain('xian-dostyk-express-2');
  });
  it('runs the services.yaml checks: links must exist and follow on, sources must be known', async () => {
    const put = (s: unknown) =>
      api.send(
        'PUT',
        '/api/v1/operators/china-railway/services/xian-dostyk-block-train',
        { service: s, source: 'CR notice' },
        china,
      );
    const gap = service('xian-dostyk-block-train');
    gap.links = ['xian-urumqi', 'alashankou-dostyk'];
    const r1 = await put(gap);
    expect(r1.statusCode).toBe(400);
    expect(json(r1).errors[0]).toMatchObject({
      field: 'body.service.links[1]',
      message: expect.stringContaining('does not continue from CNURM'),
    });
    const typo = service('xian-dostyk-block-train');
    typo.links = ['xian-urumqi', 'urumqi-alashankouu'];
    expect(json(await put(typo)).errors[0]).toMatchObject({
      field: 'body.service.links[1]',
      message: expect.stringContaining('did you mean urumqi-alashankou'),
    });
    const src = service('xian-dostyk-block-train');
    src.cutoffH = { value: 6, source: 'cr-website' };
    expect(json(await put(src)).errors[0]).toMatchObject({
      field: 'body.service.cutoffH.source',
      message: expect.stringContaining('not a source of the dataset'),
    });
    const schema = await put({
      ...service('xian-dostyk-block-train'),
      headwayH: { min: 1, typical: 2, max: 3, assumption: 'both a timetable and a headway here' },
    });
    expect(schema.statusCode).toBe(400);
    expect(json(schema).errors[0].field).toBe('body.service');
    const idMismatch = await put({ ...service('xian-dostyk-block-train'), id: 'other-id' });
    expect(json(idMismatch).errors[0]).toMatchObject({ field: 'body.service.id' });
    expect(api.ctx.published.publications).toEqual([]);
  });
  it('a service must name the operator and run only over its links', async () => {
    const s = service('xian-dostyk-block-train');
    const asKmtf = await api.send(
      'PUT',
      '/api/v1/operators/kazmortransflot/services/xian-dostyk-block-train',
      { service: s, source: 'x.org' },
      kmtf,
    );
    expect(asKmtf.statusCode).toBe(403);
    expect(json(asKmtf).detail).toMatch(/service xian-dostyk-block-train is operated by "China Railway"/);
    const foreignLink = {
      ...s,
      id: 'cr-to-aktau',
      links: ['xian-urumqi', 'urumqi-alashankou', 'alashankou-dostyk', 'dostyk-aktau'],
    };
    const r = await api.send(
      'PUT',
      '/api/v1/operators/china-railway/services/cr-to-aktau',
      { service: foreignLink, source: 'x.org' },
      china,
    );
    expect(r.statusCode).toBe(403);
    expect(json(r).detail).toMatch(/link dostyk-aktau of the service is operated by "KTZ"/);
    expect(
      (
        await api.send(
          'PUT',
          '/api/v1/operators/china-railway/services/nothing-here',
          { withdrawn: true, source: 'x.org' },
          china,
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('tariffs', () => {
  it('a published rate changes GET /api/v1/quotes; withdrawing the publication restores the file rate', async () => {
    const url = '/api/v1/quotes?from=CNXIA&to=DEDUI&containers=1x40&date=2025-06-01&avoid=RU';
    const leg = (body: any) => body.options[0].legs.find((l: any) => l.linkId === 'xian-urumqi');
    const before = leg(json(await api.get(url))).costUsd;
    const set = api.ctx.dataset.pricing!.tariffSets.find((s) => s.id === 'tariffs-2025')!;
    const c = JSON.parse(JSON.stringify(set.legCharges.find((x) => x.id === 'cr-express-line-haul')));
    c.amount = { value: 1.37, source: 'published-by-china-railway', ref: 'CR Express rate notice 2025-05' };
    const r = await api.send(
      'PUT',
      '/api/v1/operators/china-railway/tariffs/tariffs-2025/cr-express-line-haul',
      { legCharge: c, source: 'https://example.org/cr/rates' },
      china,
    );
    expect(r.statusCode).toBe(200);
    expect(json(r).effective.amount.value).toBe(1.37);
    const after = leg(json(await api.get(url))).costUsd;
    expect(after).toBeGreaterThan(before * 1.8);
    expect(
      (
        await api.send(
          'DELETE',
          '/api/v1/operators/china-railway/tariffs/tariffs-2025/cr-express-line-haul',
          undefined,
          china,
        )
      ).statusCode,
    ).toBe(204);
    expect(leg(json(await api.get(url))).costUsd).toBe(before);
  });
  it('checks components like a tariff file and refuses other operators’ components', async () => {
    const put = (body: unknown, key = china, comp = 'cr-express-line-haul') =>
      api.send('PUT', `/api/v1/operators/china-railway/tariffs/tariffs-2025/${comp}`, body, key);
    const badLink = {
      id: 'cr-new',
      description: 'x',
      category: 'line-haul',
      per: 'container',
      currency: 'USD',
      amount: { value: 10, assumption: 'a flat charge for the test case here' },
      on: { links: ['xian-urumqix'] },
      operator: 'China Railway',
    };
    const r = await put({ legCharge: badLink, source: 'x.org' }, china, 'cr-new');
    expect(r.statusCode).toBe(400);
    expect(json(r).errors[0]).toMatchObject({
      field: expect.stringMatching(/^body\.legCharge\.on\.links/),
      message: expect.stringContaining('xian-urumqi'),
    });
    const notMine = await put(
      { legCharge: { ...badLink, on: { links: ['xian-urumqi'] }, operator: 'KTZ' }, source: 'x.org' },
      china,
      'cr-new',
    );
    expect(notMine.statusCode).toBe(403);
    const ktzComponent = await put({ withdrawn: true, source: 'x.org' }, china, 'ktz-transit-line-haul');
    expect(ktzComponent.statusCode).toBe(403);
    const noSet = await api.send(
      'PUT',
      '/api/v1/operators/china-railway/tariffs/tariffs-2026/cr-new',
      { legCharge: badLink, source: 'x.org' },
      china,
    );
    expect(noSet.statusCode).toBe(404);
    expect(json(noSet).candidates).toContain('tariffs-2025');
    const two = await put({ legCharge: badLink, withdrawn: true, source: 'x.org' }, china, 'cr-new');
    expect(json(two).errors[0].message).toMatch(/exactly one of `legCharge`, `stopCharge`, `throughRate`, `withdrawn`/);
  });
});

describe('several instances on one database', () => {
  it('another instance picks a publication up by polling the revision', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corridor-pub-')), 'shared.sqlite');
    const a = await testApi({ store: await openStore(`sqlite:${file}`) });
    const b = await testApi({ store: await openStore(`sqlite:${file}`), config: { publicationPollMs: 50 } });
    try {
      const key = (await a.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
      const routeCap = async (x: TestApi) =>
        x.ctx.dataset.links.find((l) => l.id === 'aktau-alat')!.capacityPerYear!.value;
      expect(await routeCap(b)).toBe(89000);
      expect(
        (await a.send('PUT', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', capacity(150000), key))
          .statusCode,
      ).toBe(200);
      const t0 = Date.now();
      while ((await routeCap(b)) !== 150000 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 25));
      expect(await routeCap(b)).toBe(150000);
      expect(json(await b.get('/api/v1/operators')).revision).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it(
    'a publication the changed data files no longer allow is held back with the reason, not applied and ' + 'not lost',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'corridor-pub-')), 'shared.sqlite');
      const a = await testApi({ store: await openStore(`sqlite:${file}`) });
      const kmtfKey = (await a.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
      const crKey = (await a.ctx.keys.create('operator', { operator: 'china-railway' })).key;
      try {
        expect(
          (await a.send('PUT', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', capacity(150000), kmtfKey))
            .statusCode,
        ).toBe(200);
        const s = {
          ...JSON.parse(JSON.stringify(a.ctx.dataset.services!.find((x) => x.id === 'xian-dostyk-block-train'))),
          id: 'xian-dostyk-express-2',
        };
        expect(
          (
            await a.send(
              'PUT',
              '/api/v1/operators/china-railway/services/xian-dostyk-express-2',
              { service: s, assumption: 'a second block train for the peak season' },
              crKey,
            )
          ).statusCode,
        ).toBe(200);
      } finally {
        await a.close();
      }
      // The files change: Kazmortransflot no longer operates the Aktau–Alat feeders.
      const data = mutatedCopy(DEFAULT_DATA, {
        'links/core.yaml': [
          ['operator: Kazmortransflot / ASCO (container feeders)', 'operator: ASCO (container feeders)'],
        ],
      });
      const b = await testApi({ data, store: await openStore(`sqlite:${file}`) });
      try {
        const link = b.ctx.dataset.links.find((l) => l.id === 'aktau-alat')!;
        expect(link.capacityPerYear!.value).toBe(89000);
        expect(b.ctx.dataset.services!.map((x) => x.id)).toContain('xian-dostyk-express-2');
        const pubs = json(await b.get('/api/v1/operators/kazmortransflot')).publications;
        expect(pubs).toHaveLength(1);
        expect(pubs[0]).toMatchObject({ kind: 'link-capacity', target: 'aktau-alat', applied: false });
        expect(pubs[0].problems.join(' ')).toMatch(
          /link aktau-alat is operated by "ASCO \(container feeders\)" \(asco\), not kazmortransflot/,
        );
        expect(json(await b.get('/api/v1/operators/china-railway')).publications[0]).toMatchObject({
          target: 'xian-dostyk-express-2',
          applied: true,
        });
        expect(b.ctx.published.snapshot().publications.map((p) => p.target)).toEqual(['xian-dostyk-express-2']);
        // Kazmortransflot can still withdraw what it published.
        const k = (await b.ctx.keys.create('operator', { operator: 'kazmortransflot' })).key;
        expect(
          (await b.send('DELETE', '/api/v1/operators/kazmortransflot/capacities/aktau-alat', undefined, k)).statusCode,
        ).toBe(204);
        expect(json(await b.get('/api/v1/operators/kazmortransflot')).publications).toHaveLength(0);
      } finally {
        await b.close();
      }
    },
  );
});
