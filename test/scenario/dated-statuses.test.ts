/**
 * Dated statuses (issue #12 §3, "passages and routes by date"): a scenario file with an `inEffect`
 * window applies, unasked, to the routes, quotes and plans dated inside it, and the answer says so.
 * The default dataset's Poland–Belarus closure of 12–24 September 2025 is the case.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import type { Scenario } from '../../src/model/types.js';
import { networkDate, statusesOn } from '../../src/scenario/dated.js';
import { CorridorService } from '../../src/service/service.js';
import { World } from '../../src/service/world.js';
import { loadOnce } from '../helpers/api.js';
import { DEFAULT_DATA, MINI, mutatedCopy } from '../helpers/tmp-dataset.js';

const dataset = loadOnce(DEFAULT_DATA).dataset;
const service = (today = '2026-12-08') => new CorridorService({ world: new World(dataset), today: () => today });
const CLOSED = 'pl-by-border-closed-2025-09';
const status = (name: string, from: string, to?: string): Scenario => ({
  name,
  title: name,
  description: 'a test status',
  inEffect: { from, ...(to ? { to } : {}), assumption: 'a window for the test of the rule' },
});

describe('dated statuses: the rule', () => {
  const all = [
    status('b', '2025-01-10', '2025-01-20'),
    status('a', '2025-01-15'),
    { ...status('plain', 'x'), inEffect: undefined },
  ];
  it('holds on the first and last day of its window, oldest first; open-ended ones hold from their start', () => {
    expect(statusesOn(all, '2025-01-09').map((s) => s.name)).toEqual([]);
    expect(statusesOn(all, '2025-01-10').map((s) => s.name)).toEqual(['b']);
    expect(statusesOn(all, '2025-01-15').map((s) => s.name)).toEqual(['b', 'a']);
    expect(statusesOn(all, '2025-01-20').map((s) => s.name)).toEqual(['b', 'a']);
    expect(statusesOn(all, '2025-01-21').map((s) => s.name)).toEqual(['a']);
    expect(statusesOn(all, '2031-01-01').map((s) => s.name)).toEqual(['a']);
  });
  it("dates a request by its ready day (the origin's local date), else the quote date, else today", () => {
    expect(networkDate({ ready: '2025-09-15T23:30+08:00', date: '2025-10-01' }, '2026-12-08')).toBe('2025-09-15');
    expect(networkDate({ date: '2025-10-01' }, '2026-12-08')).toBe('2025-10-01');
    expect(networkDate({}, '2026-12-08')).toBe('2026-12-08');
  });
});

describe('dated statuses in answers (default dataset)', () => {
  const usesBrest = (legs: { linkIds?: string[]; linkId?: string }[]) =>
    legs.some((l) => (l.linkIds ?? [l.linkId]).includes('brest-malaszewicze'));

  it('a plan inside the window has no itinerary over the closed crossing and names the status', async () => {
    const s = service();
    const q = { from: 'CNXIA', to: 'DEDUI', ready: '2025-09-15T08:00', samples: '200' };
    const inside = s.plan(await s.preparePlan(q));
    expect(inside.query.inEffect).toEqual([
      { name: CLOSED, title: 'Poland–Belarus border closed (September 2025)', from: '2025-09-12', to: '2025-09-24' },
    ]);
    expect(inside.query.scenario).toBeNull();
    expect(inside.regime).toBe('nominal');
    expect(inside.itineraries.length).toBeGreaterThan(0);
    expect(inside.itineraries.filter((it) => usesBrest(it.legs))).toEqual([]);
    // The day after the window, the Northern route through Brest is back.
    const after = s.plan(await s.preparePlan({ ...q, ready: '2025-09-25T08:00' }));
    expect(after.query.inEffect).toEqual([]);
    expect(after.itineraries.some((it) => usesBrest(it.legs))).toBe(true);
  });

  it('a quote is dated by its quote date, a route by today', async () => {
    const s = service('2025-09-20');
    const quote = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', date: '2025-09-13' }));
    expect(quote.query.inEffect.map((x) => x.name)).toEqual([CLOSED]);
    expect(quote.options.filter((o) => usesBrest(o.legs))).toEqual([]);
    const later = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', date: '2025-10-13' }));
    expect(later.query.inEffect).toEqual([]);
    expect(later.options.some((o) => usesBrest(o.legs))).toBe(true);
    const today = s.route(await s.prepareRoute({ from: 'CNXIA', to: 'DEDUI' }));
    expect(today.query.inEffect.map((x) => x.name)).toEqual([CLOSED]);
    const now = service('2026-12-08');
    expect(now.route(await now.prepareRoute({ from: 'CNXIA', to: 'DEDUI' })).query.inEffect).toEqual([]);
  });

  it('named by the caller it applies on any date, as a scenario of the answer', async () => {
    const s = service();
    const a = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', date: '2026-03-02', scenario: CLOSED }));
    expect(a.query.scenario).toBe(CLOSED);
    expect(a.query.inEffect).toEqual([]);
    expect(a.options.filter((o) => usesBrest(o.legs))).toEqual([]);
    // Inside its window and named too: applied once, as the caller's scenario.
    const b = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', date: '2025-09-15', scenario: CLOSED }));
    expect([b.query.scenario, b.query.inEffect]).toEqual([CLOSED, []]);
  });

  it("composes under the caller's scenario: congested on a closed day is both", async () => {
    const s = service();
    const p = await s.preparePlan({ from: 'CNXIA', to: 'DEDUI', ready: '2025-09-15T08:00', scenario: 'congested' });
    expect(p.scenario.selection.refs.map((r) => [r.name, r.dated === true])).toEqual([
      [CLOSED, true],
      ['congested', false],
    ]);
    const plan = s.plan(p);
    expect([plan.query.scenario, plan.regime, plan.query.inEffect.map((x) => x.name)]).toEqual([
      'congested',
      'congested',
      [CLOSED],
    ]);
    expect(plan.itineraries.filter((it) => usesBrest(it.legs))).toEqual([]);
  });
});

describe('dated statuses in the data files', () => {
  const withWindow = (window: string) =>
    loadDataset(
      mutatedCopy(MINI, {
        'scenarios/none.yaml': [
          [
            'description: A scenario that switches nothing on, for tests.',
            `description: A status for tests.\n${window}`,
          ],
        ],
      }),
    );

  it('loads a window with its provenance', () => {
    const r = withWindow('inEffect: {from: "2025-09-12", to: "2025-09-24", assumption: "fixture: a two-week closure"}');
    expect(r.errors).toEqual([]);
    expect(r.dataset.scenarios[0]?.inEffect).toMatchObject({ from: '2025-09-12', to: '2025-09-24' });
  });

  it.each([
    ['{from: "2025-09-24", to: "2025-09-12", assumption: "fixture: a window backwards"}', 'inEffect.to', /before/],
    ['{from: "2025-02-30", assumption: "fixture: a day that does not exist"}', 'inEffect.from', /calendar date/],
    ['{from: "12.09.2025", assumption: "fixture: a date in another format"}', 'inEffect.from', /YYYY-MM-DD/],
    ['{from: "2025-09-12"}', 'inEffect', /exactly one of `source/],
  ])('names the file, the field and the rule for inEffect: %s', (window, path, message) => {
    const r = withWindow(`inEffect: ${window}`);
    expect(r.errors).toEqual([expect.objectContaining({ file: 'scenarios/none.yaml', code: 'schema', path })]);
    expect(r.errors[0]?.message).toMatch(message);
  });
});
