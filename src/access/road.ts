/**
 * Door-to-door legs: the truck legs that join a place off the network (a city of the gazetteer)
 * to its nearest suitable terminals, computed per query from the road model of road.yaml. No IO.
 *
 * A leg is measured along the straight line in samples of ~25 km: each sample lies in the country
 * the outlines say (the ends in their own, known countries) and takes that country's circuity,
 * speed and truck rate, so a leg from Warsaw to Brest is priced as Polish road up to the border
 * and Belarusian beyond. Elapsed time = driving time stretched by the hours-of-service rules
 * (breaks, daily rests) + the wait at each customs border (none inside a customs union).
 *
 * The legs are ordinary `Link`s (mode road, corridor `door-to-door`, one direction), so the
 * compiler, the search, `--avoid`, the quote and the footprint treat them like any other leg.
 */
import { greatCircleKm } from '../model/geo.js';
import type {
  Corridor,
  Dataset,
  Link,
  Location,
  LocationKind,
  RoadParameters,
  RoadRegion,
  Transfer,
} from '../model/types.js';
import type { CountryLocator } from '../gazetteer/borders.js';

export const DOOR_TO_DOOR_CORRIDOR: Corridor = {
  id: 'door-to-door',
  name: 'Door-to-door trucking',
  role: 'access',
  description: 'Computed truck legs between a place off the network and its nearest terminals (road.yaml).',
};

export const ROAD_OPERATOR = 'road haulier (door-to-door leg, computed)';

const SAMPLE_KM = 25;
/** Measured legs kept per road model (a few MB at most); cleared whole when full. */
const LEG_CACHE = 20_000;
/**
 * A straight line that runs longer than this over open water (outside every outline) is no road:
 * a truck would need a ferry, which the network's own ferry links model. Shorter gaps are rivers,
 * lakes and the outlines' coarseness at coasts.
 */
export const MAX_WATER_GAP_KM = 60;

/** One end of a road leg. */
export interface RoadEnd {
  id: string;
  name: string;
  country: string;
  lat: number;
  lon: number;
}

/** A place off the network, as the search sees it: a location of kind city with computed legs. */
export interface AccessPlace extends RoadEnd {
  population?: number;
}

export interface NearTerminal {
  id: string;
  name: string;
  country: string;
  /** Great-circle distance. */
  distanceKm: number;
}

export interface RoadLegBreakdown {
  greatCircleKm: number;
  roadKm: number;
  /** Longest stretch of the straight line outside every country outline (open water). */
  maxAtSeaKm: number;
  drivingH: number;
  restH: number;
  borderH: number;
  borderCrossings: number;
  costUsdPerTruck: number;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export class RoadModel {
  private readonly regionOf = new Map<string, RoadRegion>();
  private readonly unionOf = new Map<string, string[]>();
  /** Legs already measured (sampling the outlines is the costly part), by ends and id. */
  private readonly legs = new Map<string, { link: Link; breakdown: RoadLegBreakdown }>();

  constructor(
    readonly params: RoadParameters,
    readonly borders: CountryLocator,
  ) {
    for (const r of params.regions) for (const c of r.countries) if (!this.regionOf.has(c)) this.regionOf.set(c, r);
    for (const u of params.customsUnions)
      for (const c of u.countries) this.unionOf.set(c, [...(this.unionOf.get(c) ?? []), u.id]);
  }

  factors(country: string): { circuity: number; costUsdPerTruckKm: number; speedKmh: number } {
    const r = this.regionOf.get(country) ?? this.params.defaults;
    return { circuity: r.circuity.value, costUsdPerTruckKm: r.costUsdPerTruckKm.value, speedKmh: r.speedKmh.value };
  }

  /** True when a truck from a to b clears customs (the two share no customs union). */
  isCustomsBorder(a: string, b: string): boolean {
    if (a === b) return false;
    const ua = this.unionOf.get(a) ?? [];
    return !(this.unionOf.get(b) ?? []).some((u) => ua.includes(u));
  }

  /** Elapsed hours for `drivingH` of driving by one driver under the hours-of-service rules. */
  restHours(drivingH: number): number {
    const h = this.params.hoursOfService;
    const days = Math.max(1, Math.ceil(drivingH / h.dailyDrivingH.value - 1e-9));
    const rests = days - 1;
    const breaks = Math.max(0, Math.ceil(drivingH / h.breakAfterDrivingH.value - 1e-9) - 1 - rests);
    return rests * h.dailyRestH.value + breaks * h.breakH.value;
  }

  /** The truck leg from a to b: distance, time, price and countries in travel order. */
  leg(a: RoadEnd, b: RoadEnd, id: string): { link: Link; breakdown: RoadLegBreakdown } {
    const key = `${id}|${a.lat},${a.lon}|${b.lat},${b.lon}`;
    const hit = this.legs.get(key);
    if (hit) return hit;
    const out = this.measure(a, b, id);
    if (this.legs.size >= LEG_CACHE) this.legs.clear();
    this.legs.set(key, out);
    return out;
  }

  private measure(a: RoadEnd, b: RoadEnd, id: string): { link: Link; breakdown: RoadLegBreakdown } {
    const gc = greatCircleKm(a.lat, a.lon, b.lat, b.lon);
    const n = Math.max(1, Math.ceil(gc / SAMPLE_KM));
    const seg = gc / n;
    const countries = [a.country];
    let roadKm = 0;
    let drivingH = 0;
    let truckUsd = 0;
    let here = a.country;
    let atSeaKm = 0;
    let maxAtSeaKm = 0;
    for (let s = 0; s < n; s++) {
      const t = (s + 0.5) / n;
      // The ends are known exactly; the outlines decide only in between.
      const inside =
        s === 0
          ? a.country
          : s === n - 1
            ? b.country
            : this.borders.countryAt(a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t);
      atSeaKm = inside === undefined ? atSeaKm + seg : 0;
      maxAtSeaKm = Math.max(maxAtSeaKm, atSeaKm);
      const c = inside ?? here;
      if (c !== here) {
        countries.push(c);
        here = c;
      }
      const f = this.factors(c);
      const km = seg * f.circuity;
      roadKm += km;
      drivingH += km / f.speedKmh;
      truckUsd += km * f.costUsdPerTruckKm;
    }
    if (here !== b.country) countries.push(b.country);
    let crossings = 0;
    for (let i = 1; i < countries.length; i++)
      if (this.isCustomsBorder(countries[i - 1] as string, countries[i] as string)) crossings++;
    const bc = this.params.borderCrossing;
    const restH = this.restHours(drivingH);
    const borderH = crossings * bc.durationH.value;
    truckUsd += crossings * bc.costUsdPerTruck.value;
    const durationH = drivingH + restH + borderH;
    const teuPerTruck = this.params.teuPerTruck.value;
    const breakdown: RoadLegBreakdown = {
      greatCircleKm: round(gc),
      roadKm: round(roadKm),
      maxAtSeaKm: round(maxAtSeaKm),
      drivingH: round(drivingH, 2),
      restH: round(restH, 2),
      borderH: round(borderH, 2),
      borderCrossings: crossings,
      costUsdPerTruck: round(truckUsd, 2),
    };
    const how = 'computed by the road model of road.yaml (src/access/road.ts)';
    const link: Link = {
      id,
      from: a.id,
      to: b.id,
      mode: 'road',
      distanceKm: {
        value: round(roadKm),
        assumption: `great-circle ${round(gc)} km × the circuity by country; ${how}`,
      },
      durationH: {
        value: round(durationH, 2),
        assumption:
          `${round(drivingH, 1)} h driving + ${round(restH, 1)} h breaks and rests` +
          `${crossings ? ` + ${round(borderH, 1)} h at ${crossings} customs border(s)` : ''}; ${how}`,
      },
      operator: ROAD_OPERATOR,
      countries,
      passages: [],
      status: 'operational',
      scenarios: [],
      corridor: DOOR_TO_DOOR_CORRIDOR.id,
      costUsdPerTeu: {
        value: round(truckUsd / teuPerTruck, 2),
        assumption: `USD ${round(truckUsd)} per truck ÷ ${teuPerTruck} TEU per truck; ${how}`,
      },
      cargoRestrictions: [],
      bidirectional: false,
      notes: `door-to-door truck leg ${a.name} → ${b.name}`,
    };
    return { link, breakdown };
  }
}

export interface AccessOptions {
  /** Terminals in these countries are not joined, and no leg crosses them. */
  avoidCountries?: readonly string[];
  avoidLocations?: readonly string[];
}

/** Kinds of location where a truck can hand over a box (with road.yaml's terminal handling if the data has none). */
export const TERMINAL_KINDS: readonly LocationKind[] = ['rail-terminal', 'seaport', 'dry-port'];

/**
 * The nearest suitable terminals of a place, nearest first, within `maxAccessKm`: locations with
 * a handling transfer (road ↔ rail or sea), on a road link of the network, or of a terminal kind.
 */
export function nearestTerminals(ds: Dataset, p: RoadEnd, maxKm: number, opts: AccessOptions = {}): NearTerminal[] {
  const handling = new Set(ds.transfers.filter((t) => t.kind === 'handling').map((t) => t.location));
  const road = new Set(ds.links.filter((l) => l.mode === 'road').flatMap((l) => [l.from, l.to]));
  const terminal = (l: Location) => l.kinds.some((k) => TERMINAL_KINDS.includes(k));
  const avoidC = new Set(opts.avoidCountries ?? []);
  const avoidL = new Set(opts.avoidLocations ?? []);
  const out: NearTerminal[] = [];
  for (const loc of ds.locations) {
    if (loc.id === p.id || avoidC.has(loc.country) || avoidL.has(loc.id)) continue;
    // Where a truck can hand the box to another mode, or keep driving on the network's roads.
    if (!handling.has(loc.id) && !road.has(loc.id) && !terminal(loc)) continue;
    const km = greatCircleKm(p.lat, p.lon, loc.coordinates.lat, loc.coordinates.lon);
    if (km <= maxKm) out.push({ id: loc.id, name: loc.name, country: loc.country, distanceKm: round(km, 0) });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm || a.id.localeCompare(b.id));
}

export interface AccessLegs {
  links: Link[];
  /** The terminals joined, nearest first. */
  terminals: NearTerminal[];
}

const endOf = (l: Location): RoadEnd => ({
  id: l.id,
  name: l.name,
  country: l.country,
  lat: l.coordinates.lat,
  lon: l.coordinates.lon,
});

/**
 * Truck legs from a place to its nearest suitable terminals (`role` origin) or from them to it
 * (destination), at most `limit` (default K of road.yaml). Terminals whose straight line runs
 * over open water, or whose leg would cross an avoided country, are skipped for the next nearest,
 * so an `--avoid` query still gets K choices where there are any.
 */
export function accessLegs(
  ds: Dataset,
  model: RoadModel,
  p: AccessPlace,
  role: 'origin' | 'destination',
  opts: AccessOptions = {},
  limit = model.params.nearestTerminals.value,
): AccessLegs {
  const avoid = new Set(opts.avoidCountries ?? []);
  const byId = new Map(ds.locations.map((l) => [l.id, l]));
  const links: Link[] = [];
  const terminals: NearTerminal[] = [];
  for (const t of nearestTerminals(ds, p, model.params.maxAccessKm.value, opts)) {
    if (links.length >= limit) break;
    const loc = byId.get(t.id);
    if (!loc) continue;
    const { link, breakdown } =
      role === 'origin'
        ? model.leg(p, endOf(loc), `road:${p.id}>${loc.id}`)
        : model.leg(endOf(loc), p, `road:${loc.id}>${p.id}`);
    if (breakdown.maxAtSeaKm > MAX_WATER_GAP_KM) continue;
    if (link.countries.some((c) => avoid.has(c))) continue;
    links.push(link);
    terminals.push(t);
  }
  return { links, terminals };
}

/**
 * The handling transfers of road.yaml at joined terminals that have none in the data, so a truck
 * arriving there can hand its box to the train or ship.
 */
export function terminalHandling(ds: Dataset, params: RoadParameters, terminalIds: Iterable<string>): Transfer[] {
  const has = new Set(ds.transfers.filter((t) => t.kind === 'handling').map((t) => t.location));
  const out: Transfer[] = [];
  for (const id of new Set(terminalIds)) {
    if (has.has(id)) continue;
    out.push({
      location: id,
      kind: 'handling',
      durationH: params.terminalHandling.durationH,
      costUsdPerTeu: params.terminalHandling.costUsdPerTeu,
      notes: 'truck ↔ train or ship at the end of a door-to-door leg (road.yaml terminalHandling)',
    });
  }
  return out;
}

/** The location a place off the network becomes for one query (kind city, coordinates computed). */
export function accessLocation(p: AccessPlace): Location {
  return {
    id: p.id,
    name: p.name,
    aliases: [],
    country: p.country,
    kinds: ['city'],
    coordinates: { lat: p.lat, lon: p.lon, source: 'geonames' },
    notes: 'a place off the network, joined by computed door-to-door truck legs',
  };
}
