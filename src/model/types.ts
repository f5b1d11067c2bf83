/**
 * The editable corridor model: what the data files describe, after validation.
 * Plain data, no behaviour; the compiled graph (src/network) is built from it.
 */
import type { CountryCode, LocationId } from './units.js';

/** Where a number comes from: a source in the registry, or an assumption with its reasoning. */
/**
 * A figure fitted to observations (`corridor calibrate --fit --write`): the value before the fit
 * and the observations it was fitted to. It sits on an assumption (which says what the figure is
 * and where its prior came from); a sourced figure is never fitted.
 */
export interface Calibration {
  prior: number;
  observations: string[];
  method?: string;
}

export type Provenance =
  | { source: string; ref?: string; note?: string; assumption?: undefined; calibrated?: undefined }
  | { assumption: string; basis?: string[]; note?: string; source?: undefined; calibrated?: Calibration };

/** A number with its provenance. */
export type Quantity = Provenance & { value: number };

/** A min / typical / max triple (hours) with one provenance. */
export type Distribution = Provenance & { min: number; typical: number; max: number };

export type SourceGrade = 'P' | 'S' | 'C' | 'A';

export interface Source {
  id: string;
  title: string;
  publisher: string;
  url?: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string;
  grade: SourceGrade;
  /** Where in ../shared/corridor-facts.md or corridor-places.md the figure is recorded. */
  via?: string;
}

export const LOCATION_KINDS = [
  'city',
  'rail-terminal',
  'seaport',
  'dry-port',
  'border-crossing',
  'gauge-change',
  'junction',
] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export type Coordinates = Provenance & {
  lat: number;
  lon: number;
};

export interface Locode {
  code: string;
  /** True when the code names a nearby place rather than this exact site (e.g. KZHOR for Altynkol). */
  approximate?: boolean;
  status?: string;
  version?: string;
}

export interface Location {
  id: LocationId;
  name: string;
  aliases: string[];
  country: CountryCode;
  kinds: LocationKind[];
  coordinates: Coordinates;
  locode?: Locode;
  notes?: string;
}

export const MODES = ['rail', 'road', 'sea', 'ferry'] as const;
export type Mode = (typeof MODES)[number];

export const GAUGES = [1435, 1520] as const;
export type GaugeMm = (typeof GAUGES)[number];

export const LINK_STATUSES = ['operational', 'under-construction', 'planned', 'proposed'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export const CAPACITY_UNITS = ['TEU', 't', 'trains'] as const;
export type CapacityUnit = (typeof CAPACITY_UNITS)[number];

export const TRACTIONS = ['electric', 'diesel'] as const;
export type Traction = (typeof TRACTIONS)[number];

export const CARGO_RESTRICTIONS = ['no-dangerous-goods', 'no-reefer', 'no-oversize'] as const;
export type CargoRestriction = (typeof CARGO_RESTRICTIONS)[number];

export type YearlyCapacity = Quantity & { unit: CapacityUnit };

export interface Link {
  id: string;
  from: LocationId;
  to: LocationId;
  mode: Mode;
  /** Rail only. */
  gaugeMm?: GaugeMm;
  /** Rail only: the energy carrier, used for the emission factor. */
  traction?: Traction;
  distanceKm: Quantity;
  /** Exactly one of durationH and speedKmh is given; the other is derived. */
  durationH?: Quantity;
  speedKmh?: Quantity;
  /** Per direction. */
  capacityPerYear?: YearlyCapacity;
  operator: string;
  /** Every country whose territory the link touches, endpoints included. */
  countries: CountryCode[];
  /** Sea passages (straits, canals) the link uses: ids from passages.yaml. */
  passages: string[];
  status: LinkStatus;
  /** Scenario names that switch a non-operational link on. */
  scenarios: string[];
  /** Route family, used to name options ("middle", "northern", "sea-suez", …). */
  corridor: string;
  /** Overrides the mode's default rate for this link (first approximation, per TEU). */
  costUsdPerTeu?: Quantity;
  cargoRestrictions: CargoRestriction[];
  /** Additive disruption-risk score for one traversal (0 = none); an optional routing criterion. */
  riskScore?: Quantity;
  /** Default true: the link can be used in both directions with the same attributes. */
  bidirectional: boolean;
  notes?: string;
}

export const TRANSFER_KINDS = ['handling', 'gauge-change', 'border'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export interface Transfer {
  location: LocationId;
  kind: TransferKind;
  durationH: Distribution;
  costUsdPerTeu: Quantity;
  capacityPerDay?: Quantity & { unit: 'trains' | 'TEU' | 'wagons' };
  notes?: string;
}

export interface Passage {
  id: string;
  name: string;
  /** Coastal or canal states: a route through the passage counts as transiting them. */
  countries: CountryCode[];
  coordinates: Coordinates;
  /** Additive disruption-risk score added to every link through the passage. */
  riskScore?: Quantity;
}

export interface ModeRate {
  mode: Mode;
  /** First-approximation freight rate per TEU-km for the line haul. */
  costUsdPerTeuKm: Quantity;
}

export interface EmissionFactor {
  mode: Mode;
  traction?: Traction;
  /** Well-to-wheel grams of CO2e per tonne-km. */
  wtwGCo2ePerTkm: Quantity;
}

export interface CargoAssumption {
  /** The reference unit the route command prices: one 40-foot container. */
  teu: Quantity;
  grossTonnes: Quantity;
}

export interface Rates {
  cargo: CargoAssumption;
  modes: ModeRate[];
  emissionFactors: EmissionFactor[];
}

/** A route family: links carry its id in `corridor`; options are named after their route families. */
export interface Corridor {
  id: string;
  name: string;
  /** `route`: a through route a shipper chooses (Middle Corridor, Northern route, sea via Suez…);
   *  `access`: a feeder or domestic section shared by several routes (China trunk lines…). */
  role: 'route' | 'access';
  description?: string;
}

// ---- Scenario overlays ("project cards") ----
/**
 * Small, composable edits to a dataset that describe one what-if (a new link opens, a port expands,
 * a country is closed, demand grows). A scenario file holds `name`, `title`, `description` and any
 * of these edits; src/scenario/apply.ts turns a dataset and a scenario into the dataset of that world.
 */
/** Which links an edit applies to: every given selector must match (at least one is required). */
export interface LinkMatch {
  /** One link id. */
  id?: string;
  /** Any of these link ids. */
  ids?: string[];
  corridor?: string;
  mode?: Mode;
  operator?: string;
  /** Links starting or ending at this location id. */
  location?: string;
  /** Links whose `countries` include this ISO code. */
  country?: string;
  status?: LinkStatus;
}

export interface LinkEdit extends LinkMatch {
  /** true switches the links on (whatever their status), false removes them. */
  enabled?: boolean;
  /** Replaces the yearly capacity (per direction). */
  capacityPerYear?: YearlyCapacity;
  /** Multiplies the yearly capacity. */
  capacityMultiplier?: Quantity;
  /** Replaces the running time (hours). */
  durationH?: Quantity;
  /** Multiplies the running time. */
  durationMultiplier?: Quantity;
  /** Replaces the flat charge per TEU. */
  costUsdPerTeu?: Quantity;
  /** Multiplies the line-haul charge (flat or per-km). */
  costMultiplier?: Quantity;
  note?: string;
}

/** Which transfers an edit applies to: `location`, `kind` or both. */
export interface TransferMatch {
  location?: string;
  kind?: TransferKind;
}

export interface TransferEdit extends TransferMatch {
  /** Replaces the dwell distribution (hours). */
  durationH?: Distribution;
  /** Multiplies min, typical and max dwell. */
  durationMultiplier?: Quantity;
  costUsdPerTeu?: Quantity;
  costMultiplier?: Quantity;
  capacityPerDay?: NonNullable<Transfer['capacityPerDay']>;
  capacityMultiplier?: Quantity;
  note?: string;
}

export interface DemandEdit {
  /** Name of the demand set (data/demand/<set>.yaml) that `assign` uses by default in this scenario. */
  set?: string;
  /** Multiplies every OD quantity of the demand set. */
  scale?: Quantity;
}

export interface ScenarioOverlay {
  /** Scenarios applied first, in order (their edits compose; later edits win). */
  extends?: string[];
  links?: LinkEdit[];
  addLinks?: Link[];
  transfers?: TransferEdit[];
  addTransfers?: Transfer[];
  /** Closes every link, transfer and sea passage touching these countries (ISO alpha-2). */
  avoidCountries?: string[];
  demand?: DemandEdit;
}

// ---- Demand ----
/**
 * Freight demand: origin–destination matrices per commodity and year, and the unit conversions that
 * turn trains, tonnes and wagons into TEU. src/flow turns them into a flow problem.
 */
export const DEMAND_UNITS = ['TEU', 't', 'trains'] as const;
export type DemandUnit = (typeof DEMAND_UNITS)[number];

export type YearlyDemand = Quantity & { unit: DemandUnit };

export interface OdDemand {
  from: LocationId;
  to: LocationId;
  /** Commodity id from commodities.yaml. */
  commodity: string;
  /** Per year, in TEU, tonnes or trains. */
  perYear: YearlyDemand;
  note?: string;
}

export interface DemandSet {
  name: string;
  title: string;
  description: string;
  /** Year the matrix describes (observed or target), e.g. "2029". */
  year?: string;
  flows: OdDemand[];
}

export interface Commodity {
  id: string;
  title: string;
  /** What one TEU-hour in transit costs the cargo owner (inventory, obsolescence). */
  valueOfTimeUsdPerTeuHour: Quantity;
  /** Generalised cost of a TEU the network cannot carry (caps the shadow prices). */
  unservedCostUsdPerTeu: Quantity;
}

export interface Conversions {
  /** Containers per train, in TEU. */
  teuPerTrain: Quantity;
  /** Containers per rail wagon, in TEU (for `capacityPerDay` in wagons). */
  teuPerWagon: Quantity;
  /** Gross tonnes per loaded TEU (for capacities and demand in tonnes). */
  tonnesPerTeu: Quantity;
  /** Operating days per year for `capacityPerDay`. */
  daysPerYear: Quantity;
}

export interface CommodityCatalog {
  conversions: Conversions;
  commodities: Commodity[];
}

/** A scenario: a name, and the overlay edits (ScenarioOverlay above) that make its world. */
/** When a dated status holds (inclusive days, UTC dates), with the provenance of its dates. */
export interface InEffect {
  from: string;
  /** Absent: still in effect. */
  to?: string;
  source?: string;
  ref?: string;
  assumption?: string;
  basis?: string[];
  note?: string;
}

/** A dated status as answers list it (the network of the request's date applied it unasked). */
export interface StatusInEffect {
  name: string;
  title: string;
  from: string;
  /** null: still in effect. */
  to: string | null;
}

export interface Scenario extends ScenarioOverlay {
  name: string;
  title: string;
  description: string;
  /**
   * A dated status (a closure, a diversion): routes, quotes and plans for a date inside the window
   * apply it without being asked. Only dataset files carry one.
   */
  inEffect?: InEffect;
  /** Edits to dwell, running times and headways (see ScenarioChange). */
  changes?: ScenarioChange[];
}

export interface Dataset {
  sources: Source[];
  locations: Location[];
  links: Link[];
  transfers: Transfer[];
  passages: Passage[];
  corridors: Corridor[];
  rates: Rates;
  scenarios: Scenario[];
  /** Departures over the links (services.yaml); none means every link is continuously available. */
  services?: Service[];
  /** Demand sets from demand/*.yaml (absent in datasets without demand). */
  demand?: DemandSet[];
  /** Commodities and unit conversions from commodities.yaml (absent without one). */
  commodities?: CommodityCatalog;
  /** Storm-day statistics by sea area and month (seasons/*.yaml); services' weather holds name one. */
  seasons?: Season[];
  /** The road model of door-to-door legs (road.yaml; absent: places off the network are not joined). */
  road?: RoadParameters;
}

/**
 * Services: the departures that run over the links. A service runs over one or more consecutive
 * links of one transport class, starting at `from`. It is either *scheduled* (a timetable: weekly
 * pattern or every N days, with departure times at its first location) or *departs when full*
 * (a headway distribution, like the Caspian ferries). Plain data; src/schedule compiles it.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const SERVICE_CAPACITY_UNITS = ['TEU', 'wagons', 'trucks'] as const;
export type ServiceCapacityUnit = (typeof SERVICE_CAPACITY_UNITS)[number];

/**
 * When a scheduled service departs from its first location. Exactly one of `weekdays` and
 * `everyDays`. Dates are YYYY-MM-DD and times HH:MM, local time at the first location.
 */
export type Timetable = Provenance & {
  weekdays?: Weekday[];
  everyDays?: Quantity;
  /** The first departure day of an every-N-days service (default: `validFrom`). */
  firstDate?: string;
  departureTimes: string[];
  /** Dates without a departure (holidays, maintenance windows). */
  except?: string[];
  /** Extra departure dates. */
  extra?: string[];
};

/** A chance per departure of being held in port (weather), and for how long. */
export interface DelayRisk {
  /** Per departure; with `season`, the yearly mean (the season gives each month its own chance). */
  probability: Quantity;
  durationH: Distribution;
  /** A sea area of seasons/*.yaml: the chance of a hold in a month is its storm days ÷ the month's days. */
  season?: string;
}

export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
export type Month = (typeof MONTHS)[number];

/** Storm-day statistics of a sea area, month by month (seasons/*.yaml). */
export interface Season {
  id: string;
  title: string;
  /** Mean days per month on which storms stop departures. */
  stormDays: Record<Month, Quantity>;
  notes?: string;
}

export interface Service {
  id: string;
  name: string;
  operator: string;
  /** Where the service starts; its links run from here, in order. */
  from: LocationId;
  /** Link ids, consecutive, all of one transport class. */
  links: string[];
  /** Locations where cargo may board or alight (default: every location on the route). */
  calls?: LocationId[];
  /** First and last day of operation (YYYY-MM-DD, inclusive, local time at `from`). */
  validFrom: string;
  validTo: string;
  /** Scheduled services: the timetable. */
  timetable?: Timetable;
  /** Departs-when-full services: hours between departures. */
  headwayH?: Distribution;
  /** Running time from the first to the last location (default: the links' times plus border dwell en route). */
  durationH?: Distribution;
  /** Cargo must be at the terminal this long before departure. */
  cutoffH?: Quantity;
  capacityPerDeparture?: Quantity & { unit: ServiceCapacityUnit };
  weatherDelay?: DelayRisk;
  /**
   * The data's typical handling or gauge-change dwell where this service boards already counts the
   * wait for its departure; timed plans then use the dwell's `min` (processing only) there and take
   * the wait from the timetable, so it is not counted twice.
   */
  replacesDwellWait?: boolean;
  notes?: string;
}

export type ServiceKind = 'scheduled' | 'when-full';

export function serviceKind(s: Service): ServiceKind {
  return s.timetable ? 'scheduled' : 'when-full';
}

/**
 * What a scenario may change besides switching links on: a list of edits, each selecting
 * transfers or services and setting or multiplying one of their figures. A small subset of the
 * "project card" idea (a selector plus property edits), so later overlays can grow from it.
 */

export interface TransferSelector {
  /** Locations (default: all). */
  locations?: LocationId[];
  /** Transfer kinds (default: all). */
  kinds?: TransferKind[];
}

export interface ServiceSelector {
  /** Service ids (default: all). */
  ids?: string[];
  /** Modes of the services' links (default: all). */
  modes?: Mode[];
}

/** Exactly one of `transfers` and `services`; at least one edit. */
export interface ScenarioChange {
  transfers?: TransferSelector;
  services?: ServiceSelector;
  /** Replace a distribution: `durationH` (transfer dwell or service running time) or `headwayH`. */
  set?: { durationH?: Distribution; headwayH?: Distribution; weatherDelay?: DelayRisk };
  /** Multiply min, typical and max (or everyDays for every-N-days services' headway). */
  multiply?: { durationH?: Quantity; headwayH?: Quantity };
  note?: string;
}

/**
 * The road haulage model of door-to-door legs (road.yaml): how a truck leg between a place and a
 * terminal is measured, timed and priced. Plain data; src/access builds the legs.
 */
export interface RoadRegion {
  id: string;
  countries: CountryCode[];
  /** Road distance ÷ great-circle distance. */
  circuity: Quantity;
  /** Line-haul price of one truck (one 40' or two 20' boxes) per km. */
  costUsdPerTruckKm: Quantity;
  /** Average running speed on the road, between stops. */
  speedKmh: Quantity;
}

export interface CustomsUnion {
  id: string;
  /** Members: trucks between them pass no customs border. */
  countries: CountryCode[];
  source: string;
  ref?: string;
}

export interface RoadParameters {
  /** K: door-to-door legs join a place to its K nearest suitable terminals. */
  nearestTerminals: Quantity;
  /** Terminals farther than this (great circle) are not joined. */
  maxAccessKm: Quantity;
  /** A direct truck between two places is an option up to this great-circle distance. */
  directMaxKm: Quantity;
  /** Driving-time rules of one driver (breaks and daily rest stretch a long leg's elapsed time). */
  hoursOfService: {
    dailyDrivingH: Quantity;
    breakAfterDrivingH: Quantity;
    breakH: Quantity;
    dailyRestH: Quantity;
  };
  /** TEU a truck carries (one 40' box): the per-TEU price is the truck price divided by it. */
  teuPerTruck: Quantity;
  /**
   * Truck ↔ train or ship at a terminal the data gives no handling transfer (a rail terminal, a
   * port or a dry port): applied only where a door-to-door leg ends.
   */
  terminalHandling: { durationH: Distribution; costUsdPerTeu: Quantity };
  /** Crossing a customs border on the road: the wait and the fees of one truck. */
  borderCrossing: { durationH: Quantity; costUsdPerTruck: Quantity };
  customsUnions: CustomsUnion[];
  /** Factors where no region lists the country. */
  defaults: Omit<RoadRegion, 'id' | 'countries'>;
  regions: RoadRegion[];
}
