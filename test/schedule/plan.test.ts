/**
 * Time-dependent planning on tiny networks: services found however far away, cut-offs, Pareto
 * trade-offs between waiting and paying, continuous links, calls, the dwell a service's wait
 * replaces, and a brute-force oracle for the label-setting search on random networks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorridorError } from '../../src/model/errors.js';
import type { Dataset, Link, Service } from '../../src/model/types.js';
import { ARC_LINK, compileNetwork } from '../../src/network/compile.js';
import { bannedArcs } from '../../src/routing/constraints.js';
import { NO_DEPARTURE } from '../../src/schedule/calendar.js';
import { departureH } from '../../src/schedule/departures.js';
import { planItineraries, readyTimeH } from '../../src/schedule/plan.js';
import { EQUAL_TOLERANCE, timedParetoSearch } from '../../src/schedule/search.js';
import { compileTimetable, type CompiledTimetable } from '../../src/schedule/timetable.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';
import { dist, everyDays, weekly, whenFull } from '../helpers/services.js';

const READY = '2025-01-06T08:00'; // a Monday

function plan(ds: Dataset, from: string, to: string, extra: object = {}, scenario?: string) {
  const net = compileNetwork(ds, scenario ? { scenario } : {});
  return planItineraries(compileTimetable(net, ds), { from, to, ready: READY, samples: 200, ...extra });
}
/** One canonical line per itinerary: "A =svc=> B ~rail~ C | arrive 2025-… | USD 300". */
function lines(ds: Dataset, from: string, to: string, extra: object = {}, scenario?: string): string[] {
  return plan(ds, from, to, extra, scenario).itineraries.map(
    (it) =>
      `${[it.legs[0]!.from, ...it.legs.map((l) => `${l.service ? `=${l.service.id}=>` : `~${l.mode}~`} ${l.to}`)].join(
        ' ',
      )} ` + `| arrive ${it.plannedArrival} | USD ${it.totals.costUsd}`,
  );
}

describe('P01 a fortnightly service is found however far away', () => {
  const ds = dataset(
    [loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')],
    [link('KZAAU', 'AZALA', 'ferry', { h: 24, usdPerTeu: 300, id: 'ferry' })],
  );
  it('waits 13 days for the next sailing, with no search window', () => {
    ds.services = [everyDays('KZAAU', ['ferry'], 14, '2025-01-05', '10:00')];
    const it1 = plan(ds, 'KZAAU', 'AZALA').itineraries[0]!;
    expect(it1.legs[0]!.departure).toBe('2025-01-19T10:00:00+05:00');
    expect(it1.legs[0]!.waitH).toBe(13 * 24 + 2);
    expect(it1.plannedArrival).toBe('2025-01-20T09:00:00+04:00');
  });
  it('makes the link unusable without its service', () => {
    ds.services = [
      everyDays('KZAAU', ['ferry'], 14, '2025-01-05', '10:00', { validTo: '2025-01-10', validFrom: '2024-01-01' }),
      weekly('AZALA', ['ferry'], ['mon'], '10:00', { id: 'back' }),
    ];
    const r = plan(ds, 'KZAAU', 'AZALA');
    expect(r.itineraries).toEqual([]);
    expect(r.notes.join(' ')).toMatch(
      /service ferry-svc has no departure after the ready time \(valid 2024-01-01 … 2025-01-10\)/,
    );
  });
});

describe('P02 cut-off', () => {
  const ds = dataset([loc('CNXIA', 'CN'), loc('KZDOS', 'KZ')], [link('CNXIA', 'KZDOS', 'rail', { h: 60, id: 'xd' })]);
  it('boards when the cargo is in before the cut-off and waits a week when it is not', () => {
    ds.services = [weekly('CNXIA', ['xd'], ['mon'], '20:00', { cutoffH: 12 })];
    expect(plan(ds, 'CNXIA', 'KZDOS').itineraries[0]!.legs[0]!.departure).toBe('2025-01-06T20:00:00+08:00');
    expect(plan(ds, 'CNXIA', 'KZDOS', { ready: '2025-01-06T08:01' }).itineraries[0]!.legs[0]!.departure).toBe(
      '2025-01-13T20:00:00+08:00',
    );
    expect(plan(ds, 'CNXIA', 'KZDOS').itineraries[0]!.legs[0]!.service!.cutoff).toBe('2025-01-06T08:00:00+08:00');
  });
  it('reads a ready time with an offset as that instant', () => {
    expect(plan(ds, 'CNXIA', 'KZDOS', { ready: '2025-01-06T00:00Z' }).query.ready).toBe('2025-01-06T08:00:00+08:00');
  });
});

describe('P03 Pareto over arrival and cost', () => {
  const ds = dataset(
    [loc('CNXIA', 'CN'), loc('KZDOS', 'KZ'), loc('DEDUI', 'DE')],
    [
      link('CNXIA', 'DEDUI', 'rail', { h: 300, usdPerTeu: 3000, km: 300, id: 'express' }),
      link('CNXIA', 'KZDOS', 'rail', { h: 100, usdPerTeu: 500, id: 'slow1' }),
      link('KZDOS', 'DEDUI', 'rail', { h: 400, usdPerTeu: 500, id: 'slow2' }),
    ],
  );
  ds.services = [weekly('CNXIA', ['express'], ['fri'])];
  it('keeps the weekly express and the slow cheap continuous route', () => {
    expect(lines(ds, 'CNXIA', 'DEDUI')).toEqual([
      'CNXIA =express-svc=> DEDUI | arrive 2025-01-22T13:00:00+01:00 | USD 3000',
      'CNXIA ~rail~ KZDOS ~rail~ DEDUI | arrive 2025-01-26T21:00:00+01:00 | USD 1000',
    ]);
  });
  it('drops the express when the wait makes it later than the cheap route', () => {
    ds.services = [weekly('CNXIA', ['express'], ['fri'], '08:00', { except: ['2025-01-10'] })];
    expect(lines(ds, 'CNXIA', 'DEDUI')).toEqual([
      'CNXIA ~rail~ KZDOS ~rail~ DEDUI | arrive 2025-01-26T21:00:00+01:00 | USD 1000',
    ]);
  });
});

describe('P04 services over several links', () => {
  const locs = [loc('CNXIA', 'CN'), loc('CNURM', 'CN'), loc('KZDOS', 'KZ')];
  const links = [
    link('CNXIA', 'CNURM', 'rail', { h: 40, id: 'xu', oneWay: true }),
    link('CNURM', 'KZDOS', 'rail', { h: 10, id: 'ud', oneWay: true }),
  ];
  it('rides through intermediate calls with their times and the border dwell en route', () => {
    const ds = dataset(locs, links, [transfer('CNURM', 'border', 5)]);
    ds.services = [weekly('CNXIA', ['xu', 'ud'], ['tue'])];
    const leg = plan(ds, 'CNXIA', 'KZDOS').itineraries[0]!.legs[0]!;
    expect(leg.calls).toEqual([
      { at: 'CNURM', name: 'CNURM', arrival: '2025-01-09T00:00:00+08:00', departure: '2025-01-09T05:00:00+08:00' },
    ]);
    expect(leg.durationH).toBe(55);
    expect(leg.linkIds).toEqual(['xu', 'ud']);
  });
  it('boards only at calls', () => {
    const ds = dataset(locs, links);
    ds.services = [weekly('CNXIA', ['xu', 'ud'], ['tue'], '08:00', { calls: ['CNXIA', 'KZDOS'] })];
    expect(plan(ds, 'CNURM', 'KZDOS').itineraries).toEqual([]);
    expect(plan(ds, 'CNXIA', 'KZDOS').itineraries).toHaveLength(1);
  });
});

describe('P05 a service whose wait the dwell already counts', () => {
  const ds = dataset(
    [loc('KZ-ALTYNKOL', 'KZ'), loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')],
    [
      link('KZ-ALTYNKOL', 'KZAAU', 'rail', { h: 100, gauge: 1520, id: 'ra' }),
      link('KZAAU', 'AZALA', 'sea', { h: 26, id: 'feeder' }),
    ],
    [{ ...transfer('KZAAU', 'handling'), durationH: dist(12, 40, 60) }],
  );
  it('takes the handling minimum before boarding and the wait from the headway', () => {
    ds.services = [whenFull('KZAAU', ['feeder'], dist(48), { replacesDwellWait: true })];
    const it1 = plan(ds, 'KZ-ALTYNKOL', 'AZALA').itineraries[0]!;
    expect(it1.stops[0]!.durationH).toBe(12);
    expect(it1.legs[1]!.waitH).toBe(24);
    ds.services = [whenFull('KZAAU', ['feeder'], dist(48))];
    const it2 = plan(ds, 'KZ-ALTYNKOL', 'AZALA').itineraries[0]!;
    expect(it2.stops[0]!.durationH).toBe(40);
    expect(it2.totals.durationH - it1.totals.durationH).toBe(28);
  });
});

describe('P06 bad input', () => {
  const ds = dataset([loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')], [link('KZAAU', 'AZALA', 'ferry', { id: 'ferry' })]);
  ds.services = [weekly('KZAAU', ['ferry'], ['mon'], '08:00', { validFrom: '2025-01-01', validTo: '2025-12-31' })];
  it('refuses a ready time outside every service validity', () => {
    expect(() => plan(ds, 'KZAAU', 'AZALA', { ready: '2030-01-01T00:00' })).toThrow(CorridorError);
    expect(() => plan(ds, 'KZAAU', 'AZALA', { ready: '2030-01-01T00:00' })).toThrow(
      /outside the validity of every service in the data \(2025-01-01 … 2025-12-31\)/,
    );
    expect(() => plan(ds, 'KZAAU', 'AZALA', { ready: '2024-12-31T23:00' })).toThrow(/outside the validity/);
  });
  it('refuses impossible dates and bad sample counts', () => {
    expect(() => plan(ds, 'KZAAU', 'AZALA', { ready: '2025-02-29T08:00' })).toThrow(/February 2025 has 28 days/);
    expect(() => plan(ds, 'KZAAU', 'AZALA', { samples: 0 })).toThrow(/samples must be a whole number/);
  });
});

describe('P07 scenario changes', () => {
  it('multiplies a when-full headway and a dwell', () => {
    const ds = dataset(
      [loc('KZ-ALTYNKOL', 'KZ'), loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')],
      [
        link('KZ-ALTYNKOL', 'KZAAU', 'rail', { h: 100, gauge: 1520, id: 'ra' }),
        link('KZAAU', 'AZALA', 'sea', { h: 26, id: 'feeder' }),
      ],
      [transfer('KZAAU', 'handling', 10)],
    );
    ds.services = [whenFull('KZAAU', ['feeder'], dist(48), { id: 'f' })];
    ds.scenarios.push({
      name: 'slow',
      title: 'Slow',
      description: 'test',
      changes: [
        {
          services: { ids: ['f'] },
          multiply: { headwayH: { value: 3, assumption: 'test fixture value, not a real figure' } },
        },
        {
          transfers: { kinds: ['handling'] },
          multiply: { durationH: { value: 2, assumption: 'test fixture value, not a real figure' } },
        },
      ],
    });
    const base = plan(ds, 'KZ-ALTYNKOL', 'AZALA').itineraries[0]!;
    const slow = plan(ds, 'KZ-ALTYNKOL', 'AZALA', {}, 'slow').itineraries[0]!;
    expect(slow.legs[1]!.waitH).toBe(72);
    expect(slow.stops[0]!.durationH).toBe(20);
    expect(slow.totals.durationH - base.totals.durationH).toBe(48 + 10);
    expect(ds.services[0]!.headwayH!.typical).toBe(48); // the overlay does not touch the data
  });
});

// ---------------------------------------------------------------------------------------------
// Oracle: enumerate every simple path over base arcs and rides, timing each with the same
// departure rule, and keep the non-dominated (arrival, cost, CO2e) vectors.

function oracle(
  tt: CompiledTimetable,
  origin: number,
  destination: number,
  readyH: number,
  banned: Uint8Array,
): string[] {
  const net = tt.net;
  const found: number[][] = [];
  const onPath = new Uint8Array(net.vertexCount);
  const walk = (v: number, t: number, cost: number, co2: number) => {
    if (net.vertexLocation[v] === destination) {
      if (!net.vertexIsDeparture[v]) found.push([t, cost, co2]);
      return;
    }
    onPath[v] = 1;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      const w = net.arcTarget[e]!;
      if (banned[e] || tt.arcScheduled[e] || onPath[w]) continue;
      walk(w, t + tt.arcDurationH[e]!, cost + net.arcCostUsd[e]!, co2 + net.arcCo2eKg[e]!);
    }
    for (let r = tt.rideStart[v]!; r < tt.rideStart[v + 1]!; r++) {
      const w = tt.rideTarget[r]!;
      if (onPath[w]) continue;
      const dep = departureH(tt, tt.rideService[r]!, tt.rideBoard[r]!, t);
      if (dep === NO_DEPARTURE) continue;
      walk(w, dep + tt.rideDurationH[r]!, cost + tt.rideCostUsd[r]!, co2 + tt.rideCo2eKg[r]!);
    }
    onPath[v] = 0;
  };
  for (let c = 0; c < 5; c++) {
    const v = net.vertexOf[(origin * 5 + c) * 2 + 1]!;
    if (v >= 0) walk(v, readyH, 0, 0);
  }
  const le = (x: number, y: number) => x <= y + EQUAL_TOLERANCE * Math.abs(y);
  const dom = (a: number[], b: number[]) =>
    a[0]! <= b[0]! && le(a[1]!, b[1]!) && le(a[2]!, b[2]!) && (a[0]! < b[0]! || !le(b[1]!, a[1]!) || !le(b[2]!, a[2]!));
  const keep = found.filter((p) => !found.some((q) => q !== p && dom(q, p)));
  return [...new Set(keep.map((p) => p.map((x) => x.toFixed(4)).join('|')))].sort();
}

const IDS = ['CNAAA', 'KZBBB', 'AZCCC', 'GEDDD', 'TREEE'];
const arbNetwork = fc
  .record({
    links: fc.uniqueArray(
      fc.record({
        a: fc.nat(4),
        b: fc.nat(4),
        mode: fc.constantFrom('rail', 'sea', 'road' as const),
        h: fc.integer({ min: 1, max: 120 }),
        usd: fc.integer({ min: 0, max: 900 }),
        km: fc.integer({ min: 10, max: 3000 }),
      }),
      { minLength: 2, maxLength: 8, selector: (l) => `${Math.min(l.a, l.b)}-${Math.max(l.a, l.b)}-${l.mode}` },
    ),
    services: fc.array(
      fc.record({
        link: fc.nat(7),
        reverse: fc.boolean(),
        second: fc.boolean(),
        kind: fc.constantFrom('weekly', 'every', 'full'),
        days: fc.uniqueArray(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' as const), {
          minLength: 1,
          maxLength: 3,
        }),
        hour: fc.integer({ min: 0, max: 23 }),
        every: fc.integer({ min: 1, max: 20 }),
        headway: fc.integer({ min: 6, max: 200 }),
        cutoff: fc.integer({ min: 0, max: 48 }),
      }),
      { maxLength: 5 },
    ),
    handling: fc.integer({ min: 0, max: 30 }),
    readyOffsetH: fc.integer({ min: 0, max: 400 }),
  })
  .filter((n) => n.links.every((l) => l.a !== l.b));

function buildRandom(
  n: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof arbNetwork.generate>['value'],
): Dataset {
  const links: Link[] = n.links.map((l, i) =>
    link(IDS[l.a]!, IDS[l.b]!, l.mode, { h: l.h, usdPerTeu: l.usd, km: l.km, id: `l${i}` }),
  );
  const ds = dataset(
    IDS.map((id) => loc(id)),
    links,
    IDS.map((id) => transfer(id, 'handling', n.handling, 10)),
  );
  const services: Service[] = [];
  n.services.forEach((s, i) => {
    const l = links[s.link % links.length]!;
    const from = s.reverse ? l.to : l.from;
    const end = s.reverse ? l.from : l.to;
    const ids = [l.id];
    const next = s.second
      ? links.find(
          (m) =>
            m !== l &&
            m.mode === l.mode &&
            (m.from === end || m.to === end) &&
            (m.from === end ? m.to : m.from) !== from,
        )
      : undefined;
    if (next) ids.push(next.id);
    const o = { id: `s${i}`, cutoffH: s.cutoff };
    const time = `${String(s.hour).padStart(2, '0')}:00`;
    if (s.kind === 'weekly') services.push(weekly(from, ids, s.days, time, o));
    else if (s.kind === 'every') services.push(everyDays(from, ids, s.every, '2025-01-01', time, o));
    else services.push(whenFull(from, ids, dist(s.headway), o));
  });
  ds.services = services;
  return ds;
}

describe('P08 the label-setting search agrees with the brute-force oracle (property)', () => {
  it('on random networks with weekly, every-N-days and when-full services', () => {
    let withRides = 0;
    fc.assert(
      fc.property(arbNetwork, fc.nat(4), fc.nat(4), (n, o, d) => {
        fc.pre(o !== d);
        const ds = buildRandom(n);
        const net = compileNetwork(ds);
        const tt = compileTimetable(net, ds);
        const origin = net.locationIndex.get(IDS[o]!)!;
        const destination = net.locationIndex.get(IDS[d]!)!;
        const readyH = readyTimeH('2025-01-06T00:00Z', ds.locations[0]!) + n.readyOffsetH;
        const banned = bannedArcs(net, {});
        const paths = timedParetoSearch({ tt, origin, destination, readyH, banned });
        if (paths.some((p) => p.steps.some((st) => st.edge < 0))) withRides++;
        const got = paths.map((p) => [p.arrivalH, p.costUsd, p.co2eKg].map((x) => x.toFixed(4)).join('|')).sort();
        expect(got).toEqual(oracle(tt, origin, destination, readyH, banned));
      }),
      { numRuns: 200, seed: 20250106 },
    );
    // The property is not vacuous: many of the random cases take a service.
    expect(withRides).toBeGreaterThan(20);
  });

  it('never arrives earlier for a later ready time (FIFO, property)', () => {
    fc.assert(
      fc.property(arbNetwork, fc.integer({ min: 1, max: 300 }), (n, later) => {
        const ds = buildRandom(n);
        const tt = compileTimetable(compileNetwork(ds), ds);
        const net = tt.net;
        const t0 = readyTimeH('2025-01-06T00:00Z', ds.locations[0]!) + n.readyOffsetH;
        const fastest = (t: number) =>
          Math.min(
            ...timedParetoSearch({
              tt,
              origin: 0,
              destination: 1,
              readyH: t,
              banned: new Uint8Array(net.arcCount),
            }).map((p) => p.arrivalH),
          );
        expect(fastest(t0 + later)).toBeGreaterThanOrEqual(fastest(t0));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('uses every link arc either continuously or inside a ride, never both', () => {
    const n = fc.sample(arbNetwork, { numRuns: 30, seed: 3 });
    for (const x of n) {
      const ds = buildRandom(x);
      const tt = compileTimetable(compileNetwork(ds), ds);
      for (let r = 0; r < tt.rideCount; r++) {
        for (let k = tt.rideArcStart[r]!; k < tt.rideArcStart[r + 1]!; k++) {
          const e = tt.rideArcs[k]!;
          if (tt.net.arcKind[e] === ARC_LINK) expect(tt.arcScheduled[e]).toBe(1);
        }
      }
    }
  });
});
