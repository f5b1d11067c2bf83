/**
 * What a place a shipper types resolves to: a terminal of the network (by id, UN/LOCODE, name or
 * alias, exactly as before), else a populated place of the world gazetteer, which the service then
 * joins to the network by door-to-door truck legs (reach.ts). One rule for the CLI, the API and
 * the jobs, because they all parse through options.ts with this resolver.
 *
 * Only exact names resolve (after folding case, diacritics and scripts' alternate forms); among
 * places of one name the most populous wins and the others are named ("Alexandria, EG (5.3 M) —
 * also Alexandria, US (159 k)"). Anything else is an unknown place with suggestions ranked by
 * similarity and size, preferring places the network can reach.
 */
import { type AccessPlace, accessLegs, type NearTerminal, RoadModel } from '../access/road.js';
import { getOrCreate } from '../model/memo.js';
import type { CountryLocator } from '../gazetteer/borders.js';
import { formatPopulation, type Gazetteer, type GazetteerPlace, type MatchKind } from '../gazetteer/gazetteer.js';
import { CorridorError, isCorridorError } from '../model/errors.js';
import { resolvePlace, searchPlaces } from '../model/places.js';
import { normalizeName } from '../model/text.js';
import type { Dataset, Location, RoadParameters } from '../model/types.js';

/** The world gazetteer and country outlines, read once per process by the edge (src/data/gazetteer.ts). */
export interface PlaceCatalog {
  gazetteer: Gazetteer;
  borders: CountryLocator;
}

export interface OtherPlace {
  name: string;
  country: string;
  population: number;
}

/** A place off the network that a request starts or ends at. */
export interface CityPlace extends AccessPlace {
  population: number;
  /** What the user typed. */
  query: string;
  matched: MatchKind;
  /** Other places of the same name, most populous first (at most 3). */
  alsoNamed: OtherPlace[];
  /** Terminals the door-to-door legs may join, nearest first (great circle). */
  nearestTerminals: NearTerminal[];
  /** "Warsaw, PL (1.7 M): nearest terminals Małaszewicze 190 km, Łódź 120 km". */
  description: string;
}

export type Endpoint = { kind: 'terminal'; location: Location } | { kind: 'city'; place: CityPlace };

const label = (p: OtherPlace) => `${p.name}, ${p.country} (${formatPopulation(p.population)})`;

export function describeCity(p: Omit<CityPlace, 'description'>): string {
  const also = p.alsoNamed.length ? ` — also ${p.alsoNamed.map(label).join(', ')}` : '';
  const near = p.nearestTerminals
    .slice(0, 4)
    .map((t) => `${t.name} ${Math.round(t.distanceKm)} km`)
    .join(', ');
  return `${label(p)}${also}: nearest terminals ${near || '(none)'}`;
}

/** How far a door-to-door leg reaches (great circle); without road.yaml nothing is joined. */
const reachKm = (ds: Dataset) => ds.road?.maxAccessKm.value ?? 0;

const models = new WeakMap<RoadParameters, WeakMap<PlaceCatalog, RoadModel>>();

/** The road model of a dataset's road.yaml over the catalog's outlines, built once per pair. */
export function roadModel(road: RoadParameters, catalog: PlaceCatalog): RoadModel {
  const byCatalog = getOrCreate(models, road, () => new WeakMap<PlaceCatalog, RoadModel>());
  return getOrCreate(byCatalog, catalog, () => new RoadModel(road, catalog.borders));
}

/** Terminals a truck from `p` can reach (no open water on the way), nearest first. */
function reachable(ds: Dataset, catalog: PlaceCatalog, p: GazetteerPlace, n: number): NearTerminal[] {
  if (!ds.road) return [];
  return accessLegs(ds, roadModel(ds.road, catalog), p, 'origin', {}, n).terminals;
}

function cityOf(
  ds: Dataset,
  catalog: PlaceCatalog,
  query: string,
  hit: GazetteerPlace,
  kind: MatchKind,
  others: GazetteerPlace[],
): CityPlace {
  const base = {
    id: hit.id,
    name: hit.name,
    country: hit.country,
    lat: hit.lat,
    lon: hit.lon,
    population: hit.population,
    query,
    matched: kind,
    alsoNamed: others
      .filter((o) => o.id !== hit.id)
      .slice(0, 3)
      .map((o) => ({ name: o.name, country: o.country, population: o.population })),
    nearestTerminals: reachable(ds, catalog, hit, 6),
  };
  return { ...base, description: describeCity(base) };
}

export interface Suggestion {
  /** An id that resolves: a location id of the network or `geonames:<id>`. */
  id: string;
  label: string;
  inReach: boolean;
}

/** Suggestions for an unknown name: similar and large first, places in reach of the network before others. */
export function suggestions(ds: Dataset, catalog: PlaceCatalog | undefined, query: string, n = 5): Suggestion[] {
  const fuzzy = searchPlaces(ds.locations, query, n).filter((m) => m.rank >= 4);
  const fromNetwork = fuzzy.map((m) => ({
    id: m.location.id,
    label: `${m.location.name} (${m.location.id})`,
    inReach: true,
  }));
  if (!catalog) return fromNetwork;
  const hits = catalog.gazetteer
    .search(query, { limit: 30 })
    .filter((h) => h.kind !== 'name' && h.kind !== 'alternate');
  const world = hits.map((h) => {
    const inReach = reachable(ds, catalog, h.place, 1).length > 0;
    return { id: h.place.id, label: `${label(h.place)}${inReach ? '' : ' [out of reach]'}`, inReach };
  });
  const ranked = [...world.filter((w) => w.inReach), ...world.filter((w) => !w.inReach)];
  return [...fromNetwork.slice(0, 2), ...ranked].slice(0, n);
}

/**
 * Resolves what the user typed to a terminal or a place. Throws `unknown-place` (with
 * suggestions) for a name neither has, or a place the network cannot reach by road.
 */
export function resolveEndpoint(
  ds: Dataset,
  catalogOf: () => PlaceCatalog | undefined,
  text: string,
  role: string,
): Endpoint {
  let networkError: CorridorError | undefined;
  try {
    return { kind: 'terminal', location: resolvePlace(ds.locations, text, role) };
  } catch (e) {
    if (!isCorridorError(e) || e.code !== 'unknown-place') throw e;
    networkError = e;
  }
  // The gazetteer is read only now: a query of terminals alone never loads it.
  const catalog = catalogOf();
  if (!catalog) throw networkError;
  const g = catalog.gazetteer;
  const { name, country, qualifier } = g.split(text);
  if (qualifier !== undefined && country === '??')
    throw new CorridorError(
      'unknown-place',
      `${role} "${text}": "${qualifier}" is not a country (give an ISO code like FR or a name like France)`,
      {},
    );
  // A terminal named with its country ("Batumi, GE", "Poti, Georgia").
  if (country !== undefined) {
    const folded = normalizeName(name);
    const terminal = ds.locations.find(
      (l) => l.country === country && [l.name, ...l.aliases].some((a) => normalizeName(a) === folded),
    );
    if (terminal) return { kind: 'terminal', location: terminal };
  }
  const byId = /^geonames:\d+$/.test(text.trim()) ? g.byId(text) : undefined;
  const hits = byId ? [{ place: byId, kind: 'name' as const, matched: text, score: 0 }] : g.exact(name, country);
  const best = hits[0];
  if (!best) {
    const s = suggestions(ds, catalog, text);
    throw new CorridorError(
      'unknown-place',
      `unknown ${role} "${text}"; closest matches: ${s.map((x) => x.label).join(', ') || '(none)'} ` +
        '(no terminal of the network and no place of the world gazetteer has that name)',
      { candidates: s.map((x) => x.id) },
    );
  }
  // Without a country, others of the same name are listed; with one, they are not ambiguous.
  const others = country === undefined ? hits.slice(1).map((h) => h.place) : [];
  const city = cityOf(ds, catalog, text, best.place, best.kind, others);
  if (city.nearestTerminals.length === 0) {
    const s = suggestions(ds, catalog, name).filter((x) => x.inReach);
    throw new CorridorError(
      'unknown-place',
      `${role} "${text}" is ${label(best.place)}, which no terminal of the network reaches: none is within ` +
        `${reachKm(ds).toLocaleString('en-US')} km by road without crossing open water` +
        `${s.length ? `; places of similar names in reach: ${s.map((x) => x.label).join(', ')}` : ''}`,
      { candidates: s.map((x) => x.id) },
    );
  }
  return { kind: 'city', place: city };
}

/** One answer of the place search: a terminal of the network or a place of the gazetteer. */
export type PlaceSearchHit =
  | { source: 'network'; location: Location; match: { rank: number; matched: string } }
  | {
      source: 'gazetteer';
      place: GazetteerPlace;
      match: { rank: number; matched: string; kind: MatchKind };
      /** "Paris, FR (2.1 M)". */
      label: string;
    };

/**
 * The search behind autocomplete and `GET /api/v1/locations?q=`: the network's exact and close
 * matches first (they are what routes start from), then gazetteer places by similarity and size.
 */
export function searchAllPlaces(
  ds: Dataset,
  catalog: PlaceCatalog | undefined,
  query: string,
  opts: { limit: number; country?: string; withGazetteer: boolean },
): PlaceSearchHit[] {
  const keep = (l: Location) => opts.country === undefined || l.country === opts.country;
  const network: PlaceSearchHit[] = searchPlaces(ds.locations.filter(keep), query, opts.limit)
    // Fuzzy network matches are spelling neighbours ("Paris" → Kars): listed only without a gazetteer.
    .filter((m) => m.rank < 5 || !catalog || !opts.withGazetteer)
    .map((m) => ({ source: 'network', location: m.location, match: { rank: m.rank, matched: m.matched } }));
  if (!catalog || !opts.withGazetteer) return network.slice(0, opts.limit);
  const names = new Set(network.map((h) => (h.source === 'network' ? normalizeName(h.location.name) : '')));
  const world: PlaceSearchHit[] = catalog.gazetteer
    .search(query, { limit: opts.limit, ...(opts.country ? { country: opts.country } : {}) })
    // A network terminal of the same name already stands for the place.
    .filter((h) => !names.has(normalizeName(h.place.name)) || h.place.population > 100_000)
    .map((h) => ({
      source: 'gazetteer',
      place: h.place,
      match: { rank: Math.round(h.score * 100) / 100, matched: h.matched, kind: h.kind },
      label: label(h.place),
    }));
  return [...network, ...world].slice(0, opts.limit);
}
