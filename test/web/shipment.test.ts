/** The shipment page's logic: the event-stream parser, timeline, last known position, alerts, ETA chart. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingLeg } from '../../web/src/booking/model.js';
import {
  alertsOf,
  type EtaRevision,
  etaChart,
  eventText,
  itineraryLinks,
  lastKnownPosition,
  orderedEvents,
  SseParser,
  type TntEvent,
  timeline,
} from '../../web/src/booking/tracking.js';

const places = ['CNXIA', 'KZDOS', 'KZAAU', 'AZALA', 'AZBAK'];
const legs: BookingLeg[] = [0, 1, 2, 3].map((i) => ({
  seq: i + 1,
  operators: ['op'],
  service: i === 2 ? 'aktau-alat-feeder' : null,
  departure: null,
  onRequest: true,
  from: places[i]!,
  to: places[i + 1]!,
  departureTime: `2026-12-${String(8 + 3 * i).padStart(2, '0')}T12:00:00Z`,
  arrivalTime: `2026-12-${String(10 + 3 * i).padStart(2, '0')}T12:00:00Z`,
  teu: 2,
  status: 'confirmed',
  note: null,
}));

let n = 0;
const ev = (code: string, at: string, time: string, classifier = 'ACT'): TntEvent => ({
  eventID: `e${++n}`,
  eventType: ['ARRI', 'DEPA'].includes(code) ? 'TRANSPORT' : 'EQUIPMENT',
  eventClassifierCode: classifier,
  eventDateTime: time,
  ...(['ARRI', 'DEPA'].includes(code) ? { transportEventTypeCode: code } : { equipmentEventTypeCode: code }),
  transportCall: { UNLocationCode: at },
});

describe('event-stream parser', () => {
  const stream =
    ': keep-alive\n\nid: 1\nevent: tnt\ndata: {"a":1}\n\nevent: eta\r\ndata: line1\r\ndata:line2\r\n\r\n' +
    'data: no event name\n\n';
  const expected = [
    { event: 'tnt', data: '{"a":1}', id: '1' },
    { event: 'eta', data: 'line1\nline2', id: '1' },
    { event: 'message', data: 'no event name', id: '1' },
  ];
  it('reads events, comments, multi-line data, CRLF and the last id', () => {
    const p = new SseParser();
    expect(p.push(stream)).toEqual(expected);
    expect(p.lastEventId).toBe('1');
  });
  it('gives the same messages however the bytes are cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const p = new SseParser();
        const got = at.slice(1).flatMap((end, i) => p.push(stream.slice(at[i], end)));
        expect(got).toEqual(expected);
      }),
    );
  });
});

describe('timeline and position', () => {
  const events = [
    ev('DEPA', 'CNXIA', '2026-12-08T13:30:00Z'),
    ev('ARRI', 'KZDOS', '2026-12-10T20:00:00+05:00', 'EST'),
    ev('LOAD', 'CNXIA', '2026-12-08T11:00:00Z'),
  ];
  it('sets each leg’s planned departure and arrival against the estimate and the actual', () => {
    const rows = timeline(legs, events);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ leg: 1, milestone: 'departure', actual: '2026-12-08T13:30:00Z', deltaH: 1.5 });
    expect(rows[1]).toMatchObject({ leg: 1, milestone: 'arrival', actual: null, deltaH: 3 });
    expect(rows[1]!.estimated).toBe('2026-12-10T20:00:00+05:00');
    expect(rows[2]).toMatchObject({ leg: 2, place: 'KZDOS', actual: null, estimated: null, deltaH: null });
  });
  it('puts the container at the actual milestone furthest along, estimates aside', () => {
    expect(lastKnownPosition(legs, [])).toBeNull();
    const p = lastKnownPosition(legs, events);
    expect(p).toMatchObject({ at: 'CNXIA', leg: 1, phase: 'DEPA', inTransit: true });
    expect(p!.text).toBe('departed CNXIA on leg 1 (CNXIA → KZDOS)');
    // A late-reported earlier milestone does not move it back.
    const later = [ev('ARRI', 'KZAAU', '2026-12-13T12:00:00Z'), ev('DEPA', 'KZDOS', '2026-12-11T12:00:00Z')];
    expect(lastKnownPosition(legs, [...events, ...later])).toMatchObject({ at: 'KZAAU', leg: 2, inTransit: false });
  });
  it('orders events by when they happened, once each', () => {
    const e = events[0]!;
    expect(orderedEvents([...events, e]).map((x) => x.eventID)).toEqual(
      [events[2], events[0], events[1]].map((x) => x!.eventID),
    );
    expect(eventText(e)).toBe('actual DEPA (departed) at CNXIA');
  });
});

describe('ETA chart and alerts', () => {
  const rev = (revision: number, asOf: string, p10: string, p50: string, p90: string | null): EtaRevision => ({
    revision,
    asOf,
    p10,
    p50,
    p90,
    alerts: revision === 2 ? [{ kind: 'eta-later', message: 'P90 arrival moved 60.5 h later' }] : [],
  });
  const revisions = [
    rev(1, '2026-12-08T13:30:00Z', '2026-12-19T03:00:00Z', '2026-12-19T20:00:00Z', '2026-12-20T17:00:00Z'),
    rev(2, '2026-12-11T09:00:00Z', '2026-12-21T03:00:00Z', '2026-12-21T20:00:00Z', '2026-12-22T17:00:00Z'),
    rev(3, '2026-12-12T09:00:00Z', '2026-12-21T03:00:00Z', '2026-12-21T20:00:00Z', null),
  ];
  it('draws the P10–P90 band over time with P50 inside, revisions without P90 left out', () => {
    const c = etaChart(revisions);
    expect(c.points.map((p) => p.revision)).toEqual([1, 2]);
    expect(c.points[0]!.x).toBeLessThan(c.points[1]!.x);
    // Later arrival is higher up (smaller y).
    expect(c.points[1]!.y).toBeLessThan(c.points[0]!.y);
    for (const p of c.points) {
      expect(p.x).toBeGreaterThanOrEqual(c.plot.left);
      expect(p.x).toBeLessThanOrEqual(c.plot.right);
      expect(p.y).toBeGreaterThanOrEqual(c.plot.top);
      expect(p.y).toBeLessThanOrEqual(c.plot.bottom);
    }
    expect(c.band).toMatch(/^M.* Z$/);
    expect(c.xTicks.length).toBeGreaterThan(1);
    expect(c.yTicks.every((t) => /^\d+ [A-Z][a-z]{2}( \d\d:\d\d)?$/.test(t.label))).toBe(true);
  });
  it('draws one revision as a short band, and nothing without one', () => {
    const one = etaChart(revisions.slice(0, 1));
    expect(one.p50.split('L')).toHaveLength(2);
    // Room around it: the band neither fills the plot nor touches its sides.
    const ys = [...one.band.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[2]));
    expect(Math.min(...ys)).toBeGreaterThan(one.plot.top);
    expect(Math.max(...ys)).toBeLessThan(one.plot.bottom);
    expect(one.points[0]!.x).toBeGreaterThan(one.plot.left);
    expect(one.points[0]!.x).toBeLessThan(one.plot.right);
    expect(etaChart([]).band).toBe('');
  });
  it('lists alerts newest first with their revision', () => {
    expect(alertsOf(revisions)).toEqual([
      { revision: 2, kind: 'eta-later', message: 'P90 arrival moved 60.5 h later' },
    ]);
  });
});

describe('itinerary on the map', () => {
  it('orients each link from where the container comes, leg after leg', () => {
    const links = new Map([
      ['xian-urumqi', { from: 'CNXIA', to: 'CNURM', mode: 'rail' }],
      ['urumqi-dostyk', { from: 'KZDOS', to: 'CNURM', mode: 'rail' }],
      ['dostyk-aktau', { from: 'KZDOS', to: 'KZAAU', mode: 'rail' }],
    ]);
    const two = [
      { ...legs[0]!, linkIds: ['xian-urumqi', 'urumqi-dostyk'] },
      { ...legs[1]!, linkIds: ['dostyk-aktau', 'unknown'] },
    ];
    const drawn = itineraryLinks(two, links);
    expect(drawn.map((d) => `${d.from}>${d.to}`)).toEqual(['CNXIA>CNURM', 'CNURM>KZDOS', 'KZDOS>KZAAU']);
    // Consecutive: each link starts where the previous ended.
    for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.from).toBe(drawn[i - 1]!.to);
  });
});
