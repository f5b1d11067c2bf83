/**
 * Compiles the services of a dataset onto a CompiledNetwork: the time-dependent layer the planner
 * searches. No IO.
 *
 * ## Services and their stops
 * Service s has stops `stopStart[s] .. stopStart[s+1]` (CSR): location, and the nominal offsets
 * from the run's departure at its first stop: `stopArrOffsetH` (arrival) and `stopDepOffsetH`
 * (departure, after the border dwell at an intermediate stop). With a `durationH` distribution in
 * the data, the offsets are scaled so the run takes its typical value.
 *
 * ## Ride arcs (CSR by tail vertex: `rideStart[v] .. rideStart[v+1]`)
 * One ride arc per service and pair of calls (board at stop i, alight at stop j > i), from the
 * departure vertex of stop i to the arrival vertex of stop j on the service's transport class. It
 * carries the cost, CO2e, distance, borders and risk of the base arcs it replaces, listed in
 * `rideArcs[rideArcStart[r] .. rideArcStart[r+1]]` (link arcs and the pass arcs between them).
 *
 * ## Scheduled-only links
 * `arcScheduled[e] = 1` for a link arc that some service runs over in that direction: the planner
 * may only use it inside a ride. Other link arcs (trucking, rail without a published service) are
 * continuously available at their nominal running time.
 */
import { MONTHS, type Dataset, type Service } from '../model/types.js';

const MEAN_MONTH_DAYS = [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
import {
  ARC_LINK,
  ARC_PASS,
  ARC_TRANSFER,
  NUM_CLASSES,
  classOfLink,
  type CompiledNetwork,
} from '../network/compile.js';
import { applyScenarioChanges } from '../scenario/changes.js';
import { buildCalendar, localDayStartH, type ServiceCalendar } from './calendar.js';
import {
  lengthBiasedTable,
  meanResidualWait,
  tableMean,
  threePointTable,
  type QuantileTable,
} from './distributions.js';
import { parseDay } from '../model/iso-time.js';

export const SERVICE_SCHEDULED = 0;
export const SERVICE_WHEN_FULL = 1;

export interface CompiledTimetable {
  readonly net: CompiledNetwork;
  /** Services as the scenario sees them (index = service number). Only services whose links are all enabled. */
  readonly services: readonly Service[];
  readonly serviceIndex: ReadonlyMap<string, number>;
  /** SERVICE_SCHEDULED or SERVICE_WHEN_FULL. */
  readonly serviceKind: Uint8Array;
  readonly serviceClass: Uint8Array;
  readonly serviceCutoffH: Float64Array;
  /** Scheduled services: the calendar; undefined for when-full services. */
  readonly calendars: readonly (ServiceCalendar | undefined)[];
  /** Validity as UTC hours: [validFromH, validToH). */
  readonly serviceValidFromH: Float64Array;
  readonly serviceValidToH: Float64Array;
  /** When-full services: the planner's wait, E[H²]/(2E[H]) of the headway (0 for scheduled services). */
  readonly serviceMeanWaitH: Float64Array;
  /** When-full services: quantile table of the length-biased headway, for sampling waits. */
  readonly headwayLengthBiased: readonly (QuantileTable | undefined)[];
  /** Services with a running-time distribution: its quantile table divided by its typical value. */
  readonly runFactor: readonly (QuantileTable | undefined)[];
  /** Weather holds: probability per departure and the hold's quantile table. */
  readonly weatherProbability: Float64Array;
  readonly weatherDelay: readonly (QuantileTable | undefined)[];
  /**
   * Weather holds by month: `weatherMonthly[s * 12 + m]` is the chance that a departure of service s
   * in month m (0 = January, UTC) is held — storm days ÷ days in the month where the service names
   * a season, the flat `probability` otherwise. `weatherMeanH[s]`: the mean length of a hold.
   */
  readonly weatherMonthly: Float64Array;
  readonly weatherMeanH: Float64Array;

  readonly stopStart: Uint32Array;
  readonly stopLocation: Uint32Array;
  readonly stopArrOffsetH: Float64Array;
  readonly stopDepOffsetH: Float64Array;
  /** 1 where cargo may board or alight. */
  readonly stopCalls: Uint8Array;

  readonly rideCount: number;
  readonly rideStart: Uint32Array;
  readonly rideTarget: Uint32Array;
  readonly rideService: Uint32Array;
  /** Absolute stop indices (into the stop arrays) of boarding and alighting. */
  readonly rideBoard: Uint32Array;
  readonly rideAlight: Uint32Array;
  readonly rideDurationH: Float64Array;
  readonly rideCostUsd: Float64Array;
  readonly rideCo2eKg: Float64Array;
  readonly rideArcStart: Uint32Array;
  readonly rideArcs: Uint32Array;

  readonly arcScheduled: Uint8Array;
  /**
   * Timed duration of each base arc: the network's, except transfer arcs into the boarding platform
   * of a `replacesDwellWait` service, which take the step's `min` (plus the typical border dwell).
   */
  readonly arcDurationH: Float64Array;
  /** 1 on those transfer arcs: the Monte Carlo draws only the border part there. */
  readonly arcProcessingOnly: Uint8Array;
}

/** The link arc leaving vertex `v` over link `l`, or -1. */
function linkArcFrom(net: CompiledNetwork, v: number, l: number): number {
  for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++)
    if (net.arcKind[e] === ARC_LINK && net.arcLink[e] === l) return e;
  return -1;
}

function passArcAt(net: CompiledNetwork, arrival: number, departure: number): number {
  for (let e = net.arcStart[arrival]!; e < net.arcStart[arrival + 1]!; e++)
    if (net.arcKind[e] === ARC_PASS && net.arcTarget[e] === departure) return e;
  return -1;
}

export function compileTimetable(net: CompiledNetwork, base: Dataset): CompiledTimetable {
  const ds = applyScenarioChanges(base, net.scenario);
  const linkIndex = new Map(net.links.map((l, i) => [l.id, i]));
  const vertex = (loc: number, c: number, dep: 0 | 1) => net.vertexOf[(loc * NUM_CLASSES + c) * 2 + dep]!;

  const services: Service[] = [];
  const routes: { stops: number[]; arcs: number[][]; passes: number[]; cls: number }[] = [];
  for (const s of ds.services ?? []) {
    // Walk the route over the compiled arcs; skip services whose links are off in this scenario.
    let here = net.locationIndex.get(s.from);
    if (here === undefined) continue;
    const first = net.links[linkIndex.get(s.links[0] ?? '') ?? -1];
    if (!first) continue;
    const cls = classOfLink(first);
    const stops = [here];
    const arcs: number[][] = [];
    const passes: number[] = [];
    let ok = true;
    for (const id of s.links) {
      const l = linkIndex.get(id);
      const dep = vertex(here, cls, 1);
      const e = l === undefined || dep < 0 ? -1 : linkArcFrom(net, dep, l);
      if (e < 0) {
        ok = false;
        break;
      }
      here = net.vertexLocation[net.arcTarget[e]!]!;
      stops.push(here);
      arcs.push([e]);
    }
    if (!ok) continue;
    for (let i = 1; i < stops.length - 1; i++)
      passes.push(passArcAt(net, vertex(stops[i]!, cls, 0), vertex(stops[i]!, cls, 1)));
    services.push(s);
    routes.push({ stops, arcs, passes, cls });
  }

  const S = services.length;
  const serviceKind = new Uint8Array(S);
  const serviceClass = new Uint8Array(S);
  const serviceCutoffH = new Float64Array(S);
  const serviceValidFromH = new Float64Array(S);
  const serviceValidToH = new Float64Array(S);
  const serviceMeanWaitH = new Float64Array(S);
  const weatherProbability = new Float64Array(S);
  const weatherMonthly = new Float64Array(S * 12);
  const weatherMeanH = new Float64Array(S);
  const seasons = new Map((ds.seasons ?? []).map((x) => [x.id, x]));
  const calendars: (ServiceCalendar | undefined)[] = [];
  const headwayLengthBiased: (QuantileTable | undefined)[] = [];
  const runFactor: (QuantileTable | undefined)[] = [];
  const weatherDelay: (QuantileTable | undefined)[] = [];
  const stopStart = new Uint32Array(S + 1);
  const stopLocation: number[] = [];
  const stopArr: number[] = [];
  const stopDep: number[] = [];
  const stopCalls: number[] = [];

  services.forEach((s, k) => {
    const r = routes[k]!;
    const origin = net.locations[r.stops[0]!]!;
    serviceClass[k] = r.cls;
    serviceCutoffH[k] = s.cutoffH?.value ?? 0;
    serviceValidFromH[k] = localDayStartH(parseDay(s.validFrom)!, origin.country, origin.coordinates.lon);
    serviceValidToH[k] = localDayStartH(parseDay(s.validTo)! + 1, origin.country, origin.coordinates.lon);
    if (s.timetable) {
      serviceKind[k] = SERVICE_SCHEDULED;
      calendars.push(buildCalendar(s.timetable, s.validFrom, s.validTo, origin.country, origin.coordinates.lon));
      headwayLengthBiased.push(undefined);
    } else {
      serviceKind[k] = SERVICE_WHEN_FULL;
      const h = s.headwayH!;
      const table = threePointTable(h);
      calendars.push(undefined);
      headwayLengthBiased.push(lengthBiasedTable(table));
      serviceMeanWaitH[k] = meanResidualWait(table);
    }
    if (s.weatherDelay) {
      weatherProbability[k] = s.weatherDelay.probability.value;
      const table = threePointTable(s.weatherDelay.durationH);
      weatherDelay.push(table);
      weatherMeanH[k] = tableMean(table);
      const season = s.weatherDelay.season !== undefined ? seasons.get(s.weatherDelay.season) : undefined;
      MONTHS.forEach((m, i) => {
        // Mean month lengths (February 28.25 days): the statistics are long-run means, not one year's.
        weatherMonthly[k * 12 + i] = season
          ? Math.min(1, season.stormDays[m].value / MEAN_MONTH_DAYS[i]!)
          : s.weatherDelay!.probability.value;
      });
    } else weatherDelay.push(undefined);

    // Nominal offsets: link times, plus the (border) dwell of the pass arcs at intermediate stops.
    const arr = [0];
    const dep = [0];
    r.arcs.forEach((a, i) => {
      arr.push(dep[i]! + net.arcDurationH[a[0]!]!);
      const pass = i < r.passes.length ? r.passes[i]! : -1;
      dep.push(arr[i + 1]! + (pass >= 0 ? net.arcDurationH[pass]! : 0));
    });
    dep[dep.length - 1] = arr[arr.length - 1]!;
    const total = arr[arr.length - 1]!;
    if (s.durationH && total > 0) {
      const f = s.durationH.typical / total;
      for (let i = 0; i < arr.length; i++) {
        arr[i] = arr[i]! * f;
        dep[i] = dep[i]! * f;
      }
      const t = threePointTable(s.durationH);
      runFactor.push(t.map((x) => x / s.durationH!.typical));
    } else runFactor.push(undefined);
    stopStart[k] = stopLocation.length;
    const calls = s.calls ? new Set(s.calls) : undefined;
    r.stops.forEach((loc, i) => {
      stopLocation.push(loc);
      stopArr.push(arr[i]!);
      stopDep.push(dep[i]!);
      stopCalls.push(!calls || calls.has(net.locations[loc]!.id) ? 1 : 0);
    });
  });
  stopStart[S] = stopLocation.length;

  // Ride arcs for every pair of calls.
  interface RideSpec {
    from: number;
    to: number;
    service: number;
    board: number;
    alight: number;
    arcs: number[];
  }
  const rides: RideSpec[] = [];
  const arcScheduled = new Uint8Array(net.arcCount);
  services.forEach((_, k) => {
    const r = routes[k]!;
    for (const a of r.arcs) arcScheduled[a[0]!] = 1;
    const base = stopStart[k]!;
    for (let i = 0; i < r.stops.length; i++) {
      if (!stopCalls[base + i]) continue;
      for (let j = i + 1; j < r.stops.length; j++) {
        if (!stopCalls[base + j]) continue;
        const arcs: number[] = [];
        for (let m = i; m < j; m++) {
          if (m > i) arcs.push(r.passes[m - 1]!);
          arcs.push(r.arcs[m]![0]!);
        }
        rides.push({
          from: vertex(r.stops[i]!, r.cls, 1),
          to: vertex(r.stops[j]!, r.cls, 0),
          service: k,
          board: base + i,
          alight: base + j,
          arcs,
        });
      }
    }
  });

  const V = net.vertexCount;
  const R = rides.length;
  const rideStart = new Uint32Array(V + 1);
  for (const r of rides) rideStart[r.from + 1]!++;
  for (let v = 0; v < V; v++) rideStart[v + 1]! += rideStart[v]!;
  const fill = rideStart.slice(0, V);
  const rideTarget = new Uint32Array(R);
  const rideService = new Uint32Array(R);
  const rideBoard = new Uint32Array(R);
  const rideAlight = new Uint32Array(R);
  const rideDurationH = new Float64Array(R);
  const rideCostUsd = new Float64Array(R);
  const rideCo2eKg = new Float64Array(R);
  const order = new Uint32Array(R);
  rides.forEach((r, i) => {
    const slot = fill[r.from]!++;
    order[slot] = i;
  });
  const rideArcStart = new Uint32Array(R + 1);
  const rideArcList: number[] = [];
  for (let slot = 0; slot < R; slot++) {
    const r = rides[order[slot]!]!;
    rideTarget[slot] = r.to;
    rideService[slot] = r.service;
    rideBoard[slot] = r.board;
    rideAlight[slot] = r.alight;
    rideDurationH[slot] = stopArr[r.alight]! - stopDep[r.board]!;
    let cost = 0;
    let co2 = 0;
    for (const e of r.arcs) {
      cost += net.arcCostUsd[e]!;
      co2 += net.arcCo2eKg[e]!;
    }
    rideCostUsd[slot] = cost;
    rideCo2eKg[slot] = co2;
    rideArcStart[slot] = rideArcList.length;
    rideArcList.push(...r.arcs);
  }
  rideArcStart[R] = rideArcList.length;

  // Boarding platforms of services whose wait the data's dwell already counts.
  const arcDurationH = net.arcDurationH.slice();
  const arcProcessingOnly = new Uint8Array(net.arcCount);
  services.forEach((s, k) => {
    if (!s.replacesDwellWait) return;
    const r = routes[k]!;
    const base = stopStart[k]!;
    for (let i = 0; i < r.stops.length - 1; i++) {
      if (!stopCalls[base + i]) continue;
      const loc = r.stops[i]!;
      const dep = vertex(loc, r.cls, 1);
      const t = net.transfers[loc]!;
      for (let c = 0; c < NUM_CLASSES; c++) {
        const arr = vertex(loc, c, 0);
        if (arr < 0 || c === r.cls) continue;
        for (let e = net.arcStart[arr]!; e < net.arcStart[arr + 1]!; e++) {
          if (net.arcKind[e] !== ARC_TRANSFER || net.arcTarget[e] !== dep) continue;
          const step = c <= 1 && r.cls <= 1 ? t['gauge-change'] : t.handling;
          if (!step) continue;
          arcProcessingOnly[e] = 1;
          arcDurationH[e] = step.durationH.min + (t.border?.durationH.typical ?? 0);
        }
      }
    }
  });

  return Object.freeze({
    net,
    services,
    serviceIndex: new Map(services.map((s, i) => [s.id, i])),
    serviceKind,
    serviceClass,
    serviceCutoffH,
    calendars,
    serviceValidFromH,
    serviceValidToH,
    serviceMeanWaitH,
    headwayLengthBiased,
    runFactor,
    weatherProbability,
    weatherDelay,
    weatherMonthly,
    weatherMeanH,
    stopStart,
    stopLocation: Uint32Array.from(stopLocation),
    stopArrOffsetH: Float64Array.from(stopArr),
    stopDepOffsetH: Float64Array.from(stopDep),
    stopCalls: Uint8Array.from(stopCalls),
    rideCount: R,
    rideStart,
    rideTarget,
    rideService,
    rideBoard,
    rideAlight,
    rideDurationH,
    rideCostUsd,
    rideCo2eKg,
    rideArcStart,
    rideArcs: Uint32Array.from(rideArcList),
    arcScheduled,
    arcDurationH,
    arcProcessingOnly,
  });
}
