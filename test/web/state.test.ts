/** The URL carries the page state: round trips, and malformed URLs fall back to defaults. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyState, MAX_LANES, MODES, parseState, serializeState, type PageState } from '../../web/src/state.js';

const place = fc.oneof(
  fc.constantFrom("Xi'an", 'Duisburg', 'CNXIA', 'Beyuk-Kesik', 'Iğdır', 'Astara (AZ)', 'a&b=c?d#e'),
  fc
    .string({ minLength: 1, maxLength: 30 })
    .filter((s) => s.trim() === s && s.length > 0 && !s.includes('~') && !s.includes(',')),
);
const slug = fc.constantFrom('zangezur-open', 'aras-via-iran', 'crossroads-for-peace', 'x1');

const stateArb: fc.Arbitrary<PageState> = fc.record({
  view: fc.constantFrom('plan' as const, 'compare' as const, 'bookings' as const, 'booking' as const),
  plan: fc.record({
    from: fc.oneof(fc.constant(''), place),
    to: fc.oneof(fc.constant(''), place),
    avoid: fc.uniqueArray(fc.constantFrom('RU', 'IR', 'AM', 'BY', 'TR'), { maxLength: 4 }),
    modes: fc.uniqueArray(fc.constantFrom(...MODES), { maxLength: 3 }),
    ready: fc.oneof(
      fc.constant(''),
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    ),
    containers: fc.integer({ min: 1, max: 10_000 }),
    scenario: fc.oneof(fc.constant(''), slug),
  }),
  option: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 30 })),
  compare: fc
    .record({
      a: fc.oneof(fc.constant('base'), slug),
      b: fc.oneof(fc.constant(''), slug),
      lanes: fc.array(fc.record({ from: place, to: place }), { maxLength: MAX_LANES }),
      sel: fc.nat(25),
    })
    .map(({ sel, ...c }) => ({ ...c, selectedLane: c.lanes.length && sel < c.lanes.length ? sel : null })),
  booking: fc.constantFrom('BR0MXDF3XLK81E2B28E5805', 'BR1'),
  operator: fc.oneof(fc.constant(''), fc.constantFrom('china-railway', 'ady', 'kazmortransflot')),
});

describe('URL state', () => {
  it('survives a round trip through the query string', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const back = parseState(`?${serializeState(s)}`);
        expect(back.view).toBe(s.view);
        expect(back.plan).toEqual(s.plan);
        expect(back.option).toBe(s.option);
        expect(back.booking).toBe(s.booking);
        expect(back.operator).toBe(s.operator);
        if (s.view === 'compare' || s.compare.b || s.compare.lanes.length) expect(back.compare).toEqual(s.compare);
      }),
      { seed: 8, numRuns: 300 },
    );
  });

  it('keeps URLs short: the empty state is the empty query', () => {
    expect(serializeState(emptyState())).toBe('');
    expect(
      serializeState({ ...emptyState(), plan: { ...emptyState().plan, from: "Xi'an", to: 'Duisburg', avoid: ['RU'] } }),
    ).toBe('from=Xi%27an&to=Duisburg&avoid=RU');
  });

  it('never breaks on a malformed URL: bad values fall back to their defaults', () => {
    const s = parseState(
      '?view=nope&avoid=ru,XXX,1,ir&modes=rail,plane&ready=2025-13-45&containers=-3&scenario=Bad%20Name' +
        '&option=0&a=../x&lane=CNXIA&lane=~DEDUI&lane=CNXIA~DEDUI&lane_sel=7',
    );
    expect(s.view).toBe('plan');
    expect(s.plan.avoid).toEqual(['RU', 'IR']);
    expect(s.plan.modes).toEqual(['rail']);
    expect(s.plan.ready).toBe('');
    expect(s.plan.containers).toBe(1);
    expect(s.plan.scenario).toBe('');
    expect(s.option).toBeNull();
    expect(s.compare.a).toBe('base');
    expect(s.compare.lanes).toEqual([{ from: 'CNXIA', to: 'DEDUI' }]);
    expect(s.compare.selectedLane).toBeNull();
    // A booking page without a well-formed reference is the bookings list.
    expect(parseState('?view=booking&booking=../x&operator=Not%20An%20Id')).toMatchObject({
      view: 'bookings',
      booking: '',
      operator: '',
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (q) => {
        const p = parseState(q);
        expect(p.plan.containers).toBeGreaterThanOrEqual(1);
        expect(p.compare.lanes.length).toBeLessThanOrEqual(MAX_LANES);
      }),
      { seed: 9, numRuns: 500 },
    );
  });
});
