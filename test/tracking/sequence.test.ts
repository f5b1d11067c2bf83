import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DcsaEvent } from '../../src/tracking/events.js';
import { bookingReferences } from '../../src/tracking/events.js';
import { impossibility, type Placement, placeEvent, type TrackedLeg } from '../../src/tracking/sequence.js';

const LEGS: TrackedLeg[] = [
  { from: 'CNXIA', to: 'KZDOS', operator: 'china-railway', service: 'xian-dostyk' },
  { from: 'KZDOS', to: 'KZAAU', operator: 'ktz', service: null },
  { from: 'KZAAU', to: 'AZALA', operator: 'kazmortransflot', service: 'aktau-alat' },
];

function event(code: string, at: string, when: string, extra: Partial<DcsaEvent> = {}): DcsaEvent {
  const transport = code === 'ARRI' || code === 'DEPA';
  return {
    eventID: `${code}-${at}-${when}`,
    eventCreatedDateTime: when,
    eventType: transport ? 'TRANSPORT' : 'EQUIPMENT',
    eventClassifierCode: 'ACT',
    eventDateTime: when,
    ...(transport
      ? { transportEventTypeCode: code as 'ARRI' }
      : { equipmentEventTypeCode: code as 'LOAD', emptyIndicatorCode: 'LADEN' }),
    transportCall: { transportCallID: 'tc', modeOfTransport: 'RAIL', UNLocationCode: at },
    ...extra,
  };
}

describe('placing events on the itinerary', () => {
  it('departure-side events belong to the leg leaving the place, arrival-side ones to the leg reaching it', () => {
    expect(placeEvent(LEGS, event('DEPA', 'KZDOS', '2026-12-01T00:00:00Z'))).toMatchObject({ leg: 1, phase: 'DEPA' });
    expect(placeEvent(LEGS, event('ARRI', 'KZDOS', '2026-12-01T00:00:00Z'))).toMatchObject({ leg: 0, phase: 'ARRI' });
    expect(placeEvent(LEGS, event('DISC', 'AZALA', '2026-12-01T00:00:00Z'))).toMatchObject({ leg: 2, rank: 24 });
    // Not on the itinerary, or not a milestone.
    expect(placeEvent(LEGS, event('DEPA', 'GEPTI', '2026-12-01T00:00:00Z'))).toBeNull();
    expect(placeEvent(LEGS, event('INSP', 'KZDOS', '2026-12-01T00:00:00Z'))).toBeNull();
  });

  it('a gauge change (DISC then LOAD at the break-of-gauge station) is a consistent pair of milestones', () => {
    const disc = placeEvent(LEGS, event('DISC', 'KZDOS', '2026-12-01T10:00:00Z'))!;
    const load = placeEvent(LEGS, event('LOAD', 'KZDOS', '2026-12-01T14:00:00Z'))!;
    expect(disc.rank).toBeLessThan(load.rank);
    expect(impossibility([disc], load, LEGS)).toBeNull();
  });

  it('reads bookings from BKG document references', () => {
    const e = event('DEPA', 'KZDOS', '2026-12-01T00:00:00Z', {
      documentReferences: [
        { documentReferenceType: 'BKG', documentReferenceValue: 'B1' },
        { documentReferenceType: 'TRD', documentReferenceValue: 'T1' },
        { documentReferenceType: 'BKG', documentReferenceValue: 'B2' },
      ],
    });
    expect(bookingReferences(e)).toEqual(['B1', 'B2']);
  });
});

describe('impossible sequences', () => {
  const p = (code: string, at: string, when: string) => placeEvent(LEGS, event(code, at, when))!;
  it('a departure before the loading and an arrival before the departure are impossible', () => {
    const load = p('LOAD', 'KZAAU', '2026-12-05T10:00:00Z');
    expect(impossibility([load], p('DEPA', 'KZAAU', '2026-12-05T08:00:00Z'), LEGS)).toMatch(
      /departure at KZAAU .* is before the loading at KZAAU/,
    );
    const depa = p('DEPA', 'KZAAU', '2026-12-05T12:00:00Z');
    expect(impossibility([depa], p('ARRI', 'AZALA', '2026-12-05T11:00:00Z'), LEGS)).toMatch(/arrival at AZALA/);
    expect(impossibility([depa], p('ARRI', 'AZALA', '2026-12-06T11:00:00Z'), LEGS)).toBeNull();
    // A later leg's departure before an earlier leg's arrival.
    expect(
      impossibility([p('ARRI', 'KZDOS', '2026-12-03T00:00:00Z')], p('DEPA', 'CNXIA', '2026-12-04T00:00:00Z'), LEGS),
    ).not.toBeNull();
  });

  it('events consistent with one true timeline are never flagged, in whatever order they arrive', () => {
    const codes = ['GTIN', 'LOAD', 'DEPA', 'ARRI', 'DISC'];
    const timeline: Placement[] = [];
    let t = Date.parse('2026-12-01T00:00:00Z');
    LEGS.forEach((l, i) => {
      for (const c of codes) {
        t += 3_600_000;
        const at = ['GTIN', 'LOAD', 'DEPA'].includes(c) ? l.from : l.to;
        timeline.push(placeEvent(LEGS, event(c, at, new Date(t).toISOString()))!);
      }
      expect(timeline[timeline.length - 1]!.leg).toBe(i);
    });
    fc.assert(
      fc.property(fc.shuffledSubarray(timeline, { minLength: timeline.length }), (order) => {
        const accepted: Placement[] = [];
        for (const x of order) {
          expect(impossibility(accepted, x, LEGS)).toBeNull();
          accepted.push(x);
        }
      }),
    );
  });
});
