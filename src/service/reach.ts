/**
 * Door to door: the world of one query whose origin or destination is a place off the network.
 * The scenario's dataset gains the place (a location of kind city) and its computed truck legs to
 * the K nearest suitable terminals (src/access/road.ts), plus a direct truck between two places
 * close enough; that small dataset is compiled into a network of its own.
 *
 * Compiling is linear in the network (no search, no parsing: typed arrays filled in two passes),
 * and the result is cached per scenario world and access key (place ids, avoided countries and
 * places), so a repeated query — the API's common case — compiles nothing. The scenario's own
 * world is never touched: other requests keep sharing its network and timetable.
 */
import {
  accessLegs,
  accessLocation,
  DOOR_TO_DOOR_CORRIDOR,
  MAX_WATER_GAP_KM,
  terminalHandling,
} from '../access/road.js';
import { CorridorError } from '../model/errors.js';
import { greatCircleKm } from '../model/geo.js';
import { getOrCreate } from '../model/memo.js';
import { resolvePlace } from '../model/places.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { Link } from '../model/types.js';
import { compileNetwork } from '../network/compile.js';
import { Lru } from './lru.js';
import { type CityPlace, type PlaceCatalog, roadModel } from './places.js';
import type { RouteRequest } from './requests.js';
import { ScenarioWorld } from './world.js';

export interface DoorToDoorEnd extends Omit<CityPlace, 'lat' | 'lon'> {
  coordinates: { lat: number; lon: number };
  /** The computed truck legs joining the place (ids `road:<from>><to>`). */
  legs: string[];
}

/** What an answer adds when an end is a place off the network. */
export interface DoorToDoor {
  origin?: DoorToDoorEnd;
  destination?: DoorToDoorEnd;
  note: string;
}

const worlds = new WeakMap<ScenarioWorld, Lru<string, { world: ScenarioWorld; doorToDoor: DoorToDoor }>>();

/** The request's world: the scenario's own when both ends are terminals, else one with the door-to-door legs. */
export function reachWorld(
  sw: ScenarioWorld,
  catalogOf: () => PlaceCatalog | undefined,
  req: RouteRequest,
): { world: ScenarioWorld; doorToDoor?: DoorToDoor } {
  const from = req.places?.from;
  const to = req.places?.to;
  if (!from && !to) return { world: sw };
  const catalog = catalogOf();
  const road = sw.dataset.road;
  if (!catalog || !road)
    throw new CorridorError(
      'invalid-dataset',
      'this dataset has no road.yaml: places off the network cannot be joined',
    );
  const modes = req.constraints.modes;
  if (modes && modes.length > 0 && !modes.includes('road'))
    throw new CorridorError(
      'invalid-argument',
      `${(from ?? to)?.name} is not a terminal of the network: door-to-door legs go by road, which the modes ` +
        `(${modes.join(', ')}) exclude`,
      {},
      'modes',
    );
  const c = req.constraints;
  const key = JSON.stringify([from?.id, to?.id, c.avoidCountries ?? [], c.avoidLocations ?? []]);
  const cache = getOrCreate(worlds, sw, () => new Lru<string, { world: ScenarioWorld; doorToDoor: DoorToDoor }>(64));
  const hit = cache.get(key);
  if (hit) return hit;

  const model = roadModel(road, catalog);
  const opts = {
    ...(c.avoidCountries ? { avoidCountries: c.avoidCountries } : {}),
    ...(c.avoidLocations ? { avoidLocations: c.avoidLocations } : {}),
  };
  const ds = sw.dataset;
  const links: Link[] = [];
  const ends: DoorToDoor = { note: '' };
  const join = (p: CityPlace, role: 'origin' | 'destination') => {
    const a = accessLegs(ds, model, p, role, opts);
    links.push(...a.links);
    const { lat, lon, ...rest } = p;
    ends[role] = { ...rest, coordinates: { lat, lon }, legs: a.links.map((l) => l.id) };
  };
  if (from) join(from, 'origin');
  if (to) join(to, 'destination');
  // A direct truck between the two ends when they are close (either may be a terminal).
  const a = from ?? endOf(ds, req.from);
  const b = to ?? endOf(ds, req.to);
  if (greatCircleKm(a.lat, a.lon, b.lat, b.lon) <= road.directMaxKm.value) {
    const id = `road:${a.id}>${b.id}`;
    if (!links.some((l) => l.id === id)) {
      const { link, breakdown } = model.leg(a, b, id);
      if (
        breakdown.maxAtSeaKm <= MAX_WATER_GAP_KM &&
        !link.countries.some((x) => (c.avoidCountries ?? []).includes(x))
      ) {
        links.push(link);
        (ends.origin ?? ends.destination)?.legs.push(id);
      }
    }
  }
  const added = [from, to].filter((p): p is CityPlace => p !== undefined).map(accessLocation);
  const dataset: PricedDataset = {
    ...ds,
    locations: [...ds.locations, ...added],
    links: [...ds.links, ...links],
    transfers: [
      ...ds.transfers,
      ...terminalHandling(
        ds,
        road,
        links.flatMap((l) => [l.from, l.to]).filter((id) => id !== from?.id && id !== to?.id),
      ),
    ],
    corridors: [...ds.corridors, DOOR_TO_DOOR_CORRIDOR],
  };
  const network = compileNetwork(dataset, sw.applied.name !== undefined ? { scenario: sw.applied.name } : {});
  ends.note =
    'door to door: truck legs computed by the road model (road.yaml) join ' +
    [ends.origin, ends.destination]
      .filter((e) => e !== undefined)
      .map((e) => `${e.name}, ${e.country} to ${e.nearestTerminals.length ? `${e.legs.length} terminal(s)` : 'none'}`)
      .join(' and ');
  const out = { world: new ScenarioWorld(sw.selection, sw.applied, dataset, network), doorToDoor: ends };
  cache.set(key, out);
  return out;
}

function endOf(ds: PricedDataset, text: string) {
  const l = resolvePlace(ds.locations, text);
  return { id: l.id, name: l.name, country: l.country, lat: l.coordinates.lat, lon: l.coordinates.lon };
}
