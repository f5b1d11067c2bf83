/**
 * Plausibility bounds of every figure in the data files and in operator publications (issue #14:
 * a link capacity of −89,000 t/yr passed validation and made every assignment infeasible; 1e-300
 * and 1e308 passed too). The schemas check shape and sign; these bounds check that a figure is a
 * physically or commercially possible one, so a typo or a unit slip is refused where it is made,
 * naming the file, record, field, value and the valid range — not found later as a solver failure.
 *
 * Each bound is deliberately wide (a real figure anywhere in world freight fits inside it) and
 * gives its reason. A figure in a data file that falls outside is an error of `corridor validate`;
 * in a publication or a stored scenario it is a 400.
 */

export interface Bound {
  /** The field family, e.g. `distance`; stable for tests and tools. */
  family: string;
  /** What the figure is, in words. */
  what: string;
  min: number;
  max: number;
  unit: string;
  /** Why the range is plausible. */
  reason: string;
}

const b = (family: string, what: string, min: number, max: number, unit: string, reason: string): Bound => ({
  family,
  what,
  min,
  max,
  unit,
  reason,
});

/** The bounds, by field family. One place: docs/security.md lists them from here. */
export const BOUNDS = {
  capacityT: b(
    'capacity',
    'a yearly capacity in tonnes',
    1,
    2e9,
    't/yr',
    'the busiest freight artery on earth, the Suez Canal, carries ≈1.5 Gt a year; ' +
      'the heaviest rail line (Daqin) ≈0.45 Gt',
  ),
  capacityTeu: b(
    'capacity',
    'a yearly capacity in TEU',
    1,
    6e7,
    'TEU/yr',
    'the largest container port (Shanghai) handles ≈49 M TEU a year; no single link carries more',
  ),
  capacityTrains: b(
    'capacity',
    'a yearly capacity in trains',
    1,
    2.2e5,
    'trains/yr',
    'a double-track line at 600 trains a day in each direction is past any freight line in service',
  ),
  capacityPerDayTrains: b('capacity', 'a daily capacity in trains', 0.1, 600, 'trains/day', 'as the yearly bound'),
  capacityPerDayTeu: b(
    'capacity',
    'a daily capacity in TEU',
    0.1,
    1.6e5,
    'TEU/day',
    'Shanghai, the largest port, averages ≈135,000 TEU a day',
  ),
  capacityPerDayWagons: b(
    'capacity',
    'a daily capacity in wagons',
    0.1,
    3e4,
    'wagons/day',
    'the largest marshalling yards sort ≈10,000 wagons a day',
  ),
  departureTeu: b(
    'capacity',
    'a capacity per departure in TEU',
    1,
    3e4,
    'TEU',
    'the largest container ships carry ≈24,300 TEU',
  ),
  departureWagons: b(
    'capacity',
    'a capacity per departure in wagons',
    1,
    400,
    'wagons',
    'the longest regular freight trains run ≈300 wagons; a ferry carries fewer',
  ),
  departureTrucks: b(
    'capacity',
    'a capacity per departure in trucks',
    1,
    1000,
    'trucks',
    'the largest ro-ro ferries carry ≈500 trucks',
  ),
  distance: b(
    'distance',
    'a distance',
    0.1,
    40_000,
    'km',
    'no link goes further than once round the Earth (40,075 km); ' +
      'the longest shipped link, Shanghai–Rotterdam via the Cape, is 25,558 km',
  ),
  distanceLimit: b(
    'distance',
    'a distance threshold',
    0,
    40_000,
    'km',
    'a threshold past once round the Earth selects nothing more than 40,000 km does',
  ),
  duration: b(
    'duration',
    'a running time, dwell, hold or headway',
    0,
    8760,
    'h',
    'the longest leg (Shanghai–Rotterdam via the Cape) is ≈1,116 h and a service running once a year ' +
      'has an 8,760 h headway; more is a unit slip',
  ),
  dailyHours: b('duration', 'hours in a working day', 0, 24, 'h', 'a day has 24 hours'),
  speed: b(
    'speed',
    'an average speed',
    1,
    200,
    'km/h',
    'the fastest freight trains run 160 km/h, container ships ≈45 km/h, trucks ≤ 120 km/h',
  ),
  priceUsdPerTeu: b(
    'price',
    'a charge in USD per TEU or container',
    0,
    100_000,
    'USD',
    'spot rates Shanghai–Rotterdam peaked at ≈USD 15,000 per FEU (2021); 100,000 leaves room for any surcharge',
  ),
  priceUsdPerKm: b(
    'price',
    'a rate in USD per TEU-km or truck-km',
    0,
    100,
    'USD/km',
    'road haulage, the dearest mode, costs ≈USD 1–3 per truck-km',
  ),
  valueOfTime: b(
    'price',
    'a value of time in USD per TEU-hour',
    0,
    10_000,
    'USD/TEU·h',
    'a TEU of electronics worth USD 2 M loses ≈USD 25 an hour at 10 %/yr; 10,000 covers any cargo',
  ),
  unservedCost: b(
    'price',
    'a cost of an unserved TEU',
    1,
    10_000_000,
    'USD/TEU',
    'caps shadow prices; above the value of the most valuable cargo in a container it means nothing',
  ),
  tariffAmount: b(
    'price',
    'a tariff amount in its own currency',
    0,
    1e8,
    'currency units',
    'USD 100,000 in the weakest quoted currencies (≈1,000 per USD); tonne-km rates are fractions of this',
  ),
  indexPoint: b(
    'price',
    'a freight-index point in its currency per container',
    1,
    1e6,
    'currency units per container',
    'the Drewry WCI peaked at ≈USD 14,000 per FEU (2021)',
  ),
  fxRate: b(
    'price',
    'an exchange rate',
    1e-4,
    1e6,
    'units per base unit',
    'from the strongest currency (KWD ≈ 0.3 per USD) to the weakest in use (≈100,000 per USD)',
  ),
  emissionsPerTkm: b(
    'emissions',
    'an emission factor in g CO2e per tonne-km',
    0,
    3000,
    'g CO2e/t·km',
    'air freight, the most intensive mode, is ≈1,000–1,500 g CO2e per tonne-km (GLEC)',
  ),
  emissionsPerTeuKm: b(
    'emissions',
    'an emission factor in g CO2e per TEU-km',
    0,
    50_000,
    'g CO2e/TEU·km',
    'a tonne-km bound times a TEU of ≈15 t',
  ),
  gridFactor: b(
    'emissions',
    'a grid factor in g CO2e per kWh',
    1,
    2000,
    'g CO2e/kWh',
    'the most coal-heavy grids are ≈1,000 g CO2e per kWh well-to-wheel',
  ),
  energyPerTkm: b(
    'emissions',
    'an energy use in kWh per tonne-km',
    0.001,
    5,
    'kWh/t·km',
    'electric rail freight uses ≈0.02–0.05 kWh per tonne-km',
  ),
  hubEmissions: b(
    'emissions',
    'a hub factor in kg CO2e per tonne handled',
    0,
    100,
    'kg CO2e/t',
    'GLEC hub factors are ≈0.3–10 kg CO2e per tonne',
  ),
  probability: b('probability', 'a probability', 0, 1, '', 'a chance is between 0 and 1'),
  percent: b('probability', 'a percentage', 0, 100, '%', 'a share is between 0 and 100 %'),
  stormDays: b('probability', 'storm days in a month', 0, 31, 'days', 'a month has at most 31 days'),
  risk: b(
    'probability',
    'a risk score',
    0,
    100,
    '',
    '1 is one expected serious disruption per traversal; 100 expected disruptions is no route',
  ),
  latitude: b('coordinates', 'a latitude', -90, 90, '°', 'WGS84 latitudes run from −90 to 90'),
  longitude: b('coordinates', 'a longitude', -180, 180, '°', 'WGS84 longitudes run from −180 to 180'),
  year: b(
    'date',
    'a year',
    1900,
    2100,
    '',
    'freight records and plans of this model lie between 1900 and 2100; ' +
      'a typo such as 2205 or 1025 would drop a service out of every calendar',
  ),
  demandTeu: b(
    'demand',
    'a yearly demand in TEU',
    0,
    6e7,
    'TEU/yr',
    'as a capacity: no origin–destination pair ships more than the largest port',
  ),
  demandT: b('demand', 'a yearly demand in tonnes', 0, 2e9, 't/yr', 'as a capacity in tonnes'),
  demandTrains: b('demand', 'a yearly demand in trains', 0, 2.2e5, 'trains/yr', 'as a capacity in trains'),
  teuPerTrain: b(
    'count',
    'TEU per train',
    1,
    800,
    'TEU',
    'double-stack trains of 3.5 km carry ≈700 TEU; Middle Corridor block trains 80–110',
  ),
  teuPerWagon: b('count', 'TEU per wagon', 0.5, 10, 'TEU', 'a double-stack articulated wagon carries ≈8 TEU'),
  teuPerTruck: b('count', 'TEU per truck', 0.5, 4, 'TEU', 'a truck or road train carries at most 2–3 TEU'),
  teuPerContainer: b('count', 'TEU per container', 0.5, 3, 'TEU', 'the longest box, 53 ft, is 2.65 TEU'),
  containerTonnes: b(
    'count',
    'a container or cargo mass',
    0.1,
    50,
    't',
    'ISO 668 caps a container at 36 t gross; 50 leaves room for heavy-tested boxes',
  ),
  daysPerYear: b('count', 'operating days per year', 1, 366, 'days', 'a year has at most 366 days'),
  terminals: b('count', 'a number of terminals', 1, 12, '', 'as the schema: a few nearest terminals'),
  everyDays: b('count', 'days between departures', 1, 366, 'days', 'a service running once a year'),
  multiplier: b(
    'multiplier',
    'a multiplier',
    0.001,
    1000,
    '×',
    'a scenario that scales a figure a thousand-fold either way is a typo, not a project',
  ),
  circuity: b('multiplier', 'a circuity factor', 1, 3, '×', 'road ÷ great-circle distance, as the schema'),
  sizeFactor: b(
    'multiplier',
    'a container size factor',
    0.1,
    5,
    '×',
    'a 20- or 45-foot charge is a fraction to a little over a 40-foot one',
  ),
  observedDays: b('duration', 'a published number of days', 0, 365, 'd', 'a year; no transit or dwell takes longer'),
  observedHours: b('duration', 'a published number of hours', 0, 8760, 'h', 'as the duration bound'),
  observedUsd: b('price', 'a published price', 0, 1e6, 'USD', 'as the freight-index bound'),
} as const satisfies Record<string, Bound>;

export type BoundKey = keyof typeof BOUNDS;

/** The key of the record a figure belongs to, and the keys of the objects above the figure. */
interface Where {
  /** The field the figure is: the nearest key that is not `value`/`min`/`typical`/`max`/`prior`/`calibrated`. */
  field: string;
  /** The key above `field` (the list or object holding the record), or ''. */
  parent: string;
  /** The object directly holding the number (e.g. `{value, unit, source}`). */
  holder: Record<string, unknown>;
}

const WRAPPERS = new Set(['value', 'min', 'typical', 'max', 'prior', 'calibrated']);
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);

const byUnit = (unit: unknown, table: Record<string, BoundKey>): BoundKey | undefined =>
  typeof unit === 'string' ? table[unit] : undefined;

/** The bound of a numeric figure, or undefined when the field is not a figure (e.g. `gaugeMm`, an enum). */
function numericBound({ field, parent, holder }: Where): BoundKey | undefined {
  switch (field) {
    case 'capacityPerYear':
      return byUnit(holder.unit, { t: 'capacityT', TEU: 'capacityTeu', trains: 'capacityTrains' });
    case 'capacityPerDay':
      return byUnit(holder.unit, {
        trains: 'capacityPerDayTrains',
        TEU: 'capacityPerDayTeu',
        wagons: 'capacityPerDayWagons',
      });
    case 'capacityPerDeparture':
      return byUnit(holder.unit, { TEU: 'departureTeu', wagons: 'departureWagons', trucks: 'departureTrucks' });
    case 'perYear':
      return byUnit(holder.unit, { TEU: 'demandTeu', t: 'demandT', trains: 'demandTrains' });
    case 'published':
      return byUnit(holder.unit, {
        d: 'observedDays',
        h: 'observedHours',
        USD: 'observedUsd',
        'TEU/yr': 'capacityTeu',
        't/yr': 'capacityT',
      });
    case 'distanceKm':
    case 'maxAccessKm':
      return 'distance';
    case 'directMaxKm':
    case 'minDistanceKm':
    case 'maxDistanceKm':
      return 'distanceLimit';
    case 'durationH':
    case 'headwayH':
      return parent === 'multiply' ? 'multiplier' : 'duration';
    case 'cutoffH':
    case 'breakH':
      return 'duration';
    case 'dailyDrivingH':
    case 'breakAfterDrivingH':
    case 'dailyRestH':
      return 'dailyHours';
    case 'speedKmh':
      return 'speed';
    case 'costUsdPerTeu':
    case 'costUsdPerTruck':
      return 'priceUsdPerTeu';
    case 'costUsdPerTeuKm':
    case 'costUsdPerTruckKm':
      return 'priceUsdPerKm';
    case 'valueOfTimeUsdPerTeuHour':
      return 'valueOfTime';
    case 'unservedCostUsdPerTeu':
      return 'unservedCost';
    case 'amount':
      return 'tariffAmount';
    case 'discountPct':
      return 'percent';
    case 'ttwGCo2ePerTkm':
    case 'wtwGCo2ePerTkm':
      return 'emissionsPerTkm';
    case 'ttwGCo2ePerTeuKm':
    case 'wtwGCo2ePerTeuKm':
      return 'emissionsPerTeuKm';
    case 'wtwGCo2ePerKwh':
    case 'defaultGrid':
      return 'gridFactor';
    case 'kwhPerTkm':
      return 'energyPerTkm';
    case 'wtwKgCo2ePerTonne':
    case 'ttwKgCo2ePerTonne':
      return 'hubEmissions';
    case 'probability':
      return 'probability';
    case 'riskScore':
      return 'risk';
    case 'lat':
      return 'latitude';
    case 'lon':
      return 'longitude';
    case 'teuPerTrain':
      return 'teuPerTrain';
    case 'teuPerWagon':
      return 'teuPerWagon';
    case 'teuPerTruck':
      return 'teuPerTruck';
    case 'teu':
      return 'teuPerContainer';
    case 'grossTonnes':
    case 'tareTonnes':
    case 'maxGrossTonnes':
    case 'defaultCargoTonnes':
    case 'minCargoTonnesPerContainer':
    case 'tonnesPerTeu':
      return 'containerTonnes';
    case 'daysPerYear':
      return 'daysPerYear';
    case 'nearestTerminals':
      return 'terminals';
    case 'everyDays':
      return 'everyDays';
    case 'capacityMultiplier':
    case 'costMultiplier':
    case 'durationMultiplier':
    case 'scale':
      return 'multiplier';
    case 'circuity':
      return 'circuity';
    case 'points':
      return 'indexPoint';
    case 'gaugeMm':
    case 'gauges':
      return undefined; // an enumeration (1435 or 1520), checked by the schema
    default:
      break;
  }
  if (parent === 'stormDays' && MONTHS.has(field)) return 'stormDays';
  if (parent === 'sizeFactors') return 'sizeFactor';
  if (parent === 'bySize') return 'tariffAmount';
  if (parent === 'rates' && /^[A-Z]{3}$/.test(field)) return 'fxRate';
  return undefined;
}

const DATE_FIELDS = new Set(['date', 'validFrom', 'validTo', 'firstDate', 'except', 'extra', 'year']);

/** A figure outside its bound. */
export interface BoundViolation {
  /** Path of the figure from the root given to `checkBounds`. */
  path: (string | number)[];
  /** Id of the nearest record holding it (id, code, name, or location + kind), when there is one. */
  id?: string;
  /** The field, e.g. `capacityPerYear.value`. */
  field: string;
  value: number | string;
  bound: Bound;
}

const fmt = (n: number) =>
  Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-3 && n !== 0)
    ? n.toLocaleString('en-US', { maximumSignificantDigits: 6 })
    : String(n);

/** "0 < value ≤ 2,000,000,000 t/yr" */
export function describeRange(bd: Bound): string {
  const unit = bd.unit ? ` ${bd.unit}` : '';
  return `${fmt(bd.min)} ≤ value ≤ ${fmt(bd.max)}${unit}`;
}

export function violationMessage(v: BoundViolation): string {
  const shown = typeof v.value === 'number' ? fmt(v.value) : JSON.stringify(v.value);
  return (
    `${v.field} ${shown} is not a plausible ${v.bound.what.replace(/^an? /, '')}: valid is ` +
    `${describeRange(v.bound)} (${v.bound.reason})`
  );
}

const within = (x: number, bd: Bound) => Number.isFinite(x) && x >= bd.min && x <= bd.max;

function recordId(o: Record<string, unknown>): string | undefined {
  for (const k of ['id', 'code', 'name'] as const) if (typeof o[k] === 'string') return o[k] as string;
  if (typeof o.location === 'string' && typeof o.kind === 'string') return `${o.location} ${o.kind}`;
  if (typeof o.from === 'string' && typeof o.to === 'string' && typeof o.commodity === 'string')
    return `${o.from}→${o.to} ${o.commodity}`;
  return undefined;
}

/**
 * Every figure under `data` (a parsed data file, a publication body, a scenario document) that is
 * outside its bound. Numbers without a bound (enumerations such as `gaugeMm`) and numbers a schema
 * will refuse anyway (a bare number with no provenance) are left to the schema.
 */
export function checkBounds(data: unknown, base: (string | number)[] = []): BoundViolation[] {
  const out: BoundViolation[] = [];
  const walk = (v: unknown, path: (string | number)[], ids: (string | undefined)[]) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, [...path, i], ids);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const here = [...ids, recordId(o)];
    for (const [k, x] of Object.entries(o)) {
      const p = [...path, k];
      if (typeof x === 'number') {
        const where = locate(p, o);
        const key = where && numericBound(where);
        if (key && !within(x, BOUNDS[key])) out.push(violation(p, here, x, BOUNDS[key]));
      } else if (Array.isArray(x) && x.every((e) => typeof e === 'number') && x.length > 0) {
        const where = locate([...p, 0], o);
        const key = where && numericBound(where);
        if (key)
          for (const [i, e] of x.entries())
            if (!within(e as number, BOUNDS[key])) out.push(violation([...p, i], here, e as number, BOUNDS[key]));
      } else if (DATE_FIELDS.has(k) && (typeof x === 'string' || Array.isArray(x))) {
        const dates: [(string | number)[], unknown][] =
          typeof x === 'string' ? [[p, x]] : x.map((d, i): [(string | number)[], unknown] => [[...p, i], d]);
        for (const [dp, d] of dates) {
          const year = typeof d === 'string' ? /^(\d{4})(?:-|$)/.exec(d)?.[1] : undefined;
          if (year !== undefined && !within(Number(year), BOUNDS.year))
            out.push(violation(dp, here, d as string, BOUNDS.year));
        }
      } else walk(x, p, here);
    }
  };
  const violation = (
    p: (string | number)[],
    ids: (string | undefined)[],
    value: number | string,
    bound: Bound,
  ): BoundViolation => {
    const id = [...ids].reverse().find((i) => i !== undefined);
    const field = fieldName(p);
    return { path: [...base, ...p], ...(id !== undefined ? { id } : {}), field, value, bound };
  };
  walk(data, [], []);
  return out;
}

/** The field and its parent for the number at `path`, held by `holder`. */
function locate(path: readonly (string | number)[], holder: Record<string, unknown>): Where | undefined {
  const keys = path.filter((p): p is string => typeof p === 'string');
  let i = keys.length - 1;
  while (i >= 0 && WRAPPERS.has(keys[i] as string)) i--;
  // `points[].value` of a freight index: the wrapper is the figure itself.
  if (i < 0) return undefined;
  const field = keys[i] as string;
  return { field, parent: keys[i - 1] ?? '', holder };
}

const PREFIXED = new Set(['rates', 'stormDays', 'bySize', 'sizeFactors', 'coordinates']);

/** `capacityPerYear.value`, `durationH.typical`, `rates.KZT.value`: from the field to the number. */
function fieldName(path: readonly (string | number)[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  let i = keys.length - 1;
  while (i > 0 && WRAPPERS.has(keys[i] as string)) i--;
  const start = PREFIXED.has(keys[i - 1] ?? '') ? i - 1 : i;
  return keys.slice(Math.max(0, start)).join('.');
}

/** The bound a number at `path` (held by the object `holder`) is checked against, if any. */
export function boundKeyOf(path: readonly (string | number)[], holder: Record<string, unknown>): BoundKey | undefined {
  const where = locate(path, holder);
  return where && numericBound(where);
}
