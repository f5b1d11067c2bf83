/**
 * `calibrate`: every published observation through the same use cases a user calls — `plan` for
 * transit times, `quote` for prices, `assign` for volumes — plus the data's own dwell and
 * capacity figures, each scored by the error rule of src/calibrate. A case the engines cannot
 * answer (a place the network lacks, no option of the published route family) is a 100% miss
 * with its reason, never dropped.
 */
import { observationError, summariseAll, type ErrorSummary } from '../calibrate/error.js';
import { fitWithCrossValidation } from '../calibrate/fit.js';
import type { AssignmentResult } from '../flow/assign.js';
import { isCorridorError } from '../model/errors.js';
import type { Observation } from '../model/observations.js';
import { PlaceIndex } from '../model/places.js';
import type { LegCharge, PricedDataset, StopCharge, TariffSet } from '../model/pricing-types.js';
import type { RawOptions } from './fields.js';
import { CorridorService } from './service.js';
import { World } from './world.js';

export interface ComparedOption {
  option: number;
  summary: string;
  corridors: string[];
  /** The model's figure for this option, in the observation's unit. */
  value: number;
  /** Matches the observation's family and `via`. */
  matches: boolean;
  /** Places the option stops at with a dwell. */
  stops: string[];
  chosen: boolean;
}

export interface ObservationOutcome {
  id: string;
  kind: Observation['kind'];
  title: string;
  family: string | null;
  /** Prices: mode, what the figure includes and direction (e.g. `sea port-to-port eastbound`). */
  segment?: string;
  regime: Observation['regime'];
  direction: string | null;
  date: string;
  lane: string;
  published: Observation['published'];
  /** The model's figure in the published unit; null when unanswered. */
  model: number | null;
  error: number;
  signed: number;
  inside: boolean;
  answered: boolean;
  /** Why the model gave no figure, or how the figure was found. */
  note: string;
  compared: ComparedOption[];
  /** Places whose dwell the figure includes (the chosen option's stops, or the dwell's place). */
  nodes: string[];
  /** Prices: the compared figure as its parts, for the fit (free charges at their prior amounts). */
  price?: PriceParts;
  source: string;
}

/** A compared price split into what sourced figures fix and each free (assumed) charge at its prior amount. */
export interface PriceParts {
  fixedUsd: number;
  components: { param: string; usd: number }[];
}

export interface CalibrationReport {
  observations: number;
  results: ObservationOutcome[];
  overall: ErrorSummary;
  byKind: Record<string, ErrorSummary>;
  byFamily: Record<string, ErrorSummary>;
  bySegment: Record<string, ErrorSummary>;
  /**
   * The out-of-sample error. With no parameter fitted to the observations it is the in-sample
   * error itself; `calibrate --fit` replaces it with the k-fold figure.
   */
  crossValidated: { overall: ErrorSummary; byKind: Record<string, ErrorSummary>; method: string };
  method: string;
}

export interface CalibrateOptions {
  /** Monte Carlo samples per itinerary for transit times (default 200: the P50 settles well before). */
  samples?: number;
}

export const CALIBRATION_METHOD =
  'transit times: P50 arrival of `plan` from the observation date (08:00 local; a month is read as its 15th, ' +
  'a year as 1 July), fastest option of the published family; prices: `quote` on that date, cheapest option of ' +
  'the family; dwell: typical dwell of the stops at the place; volumes: `assign` of the year’s demand set; ' +
  'capacities: the data’s figure. Error 0 inside the published range, else distance to the nearest end ÷ midpoint; ' +
  'unanswered = 100%.';

/**
 * The date the model is asked for: the observation's own, or — when it falls outside the period
 * the data covers (services, tariff sets) — the same day of the year in the nearest covered year,
 * so an old figure is measured against the earliest world the model has (and says so).
 */
export function coveredDate(day: string, from: string | undefined, to: string | undefined): string {
  let d = day;
  if (from !== undefined && d < from) {
    d = `${from.slice(0, 4)}${d.slice(4)}`;
    if (d < from) d = `${String(Number(from.slice(0, 4)) + 1)}${day.slice(4)}`;
  }
  if (to !== undefined && d > to) {
    d = `${to.slice(0, 4)}${d.slice(4)}`;
    if (d > to) d = `${String(Number(to.slice(0, 4)) - 1)}${day.slice(4)}`;
  }
  return d;
}

/** The ready time an observation's date stands for. */
export function readyOf(date: string): string {
  if (/^\d{4}$/.test(date)) return `${date}-07-01T08:00`;
  if (/^\d{4}-\d{2}$/.test(date)) return `${date}-15T08:00`;
  return `${date}T08:00`;
}

export async function calibrate(
  service: CorridorService,
  observations: readonly Observation[],
  opts: CalibrateOptions = {},
): Promise<CalibrationReport> {
  const ctx = new Context(service, opts);
  const results: ObservationOutcome[] = [];
  for (const o of observations) results.push(await ctx.run(o));
  const sums = summariseAll(results);
  const fit = fitReport({ results } as CalibrationReport, observations, service.world.dataset);
  return {
    observations: results.length,
    results,
    ...sums,
    crossValidated: {
      overall: fit.crossValidated.overall,
      byKind: fit.crossValidated.byKind,
      method:
        'the fitted figures of the data (provenance `calibrated`) taken back to their priors and re-fitted by the ' +
        '`calibrate --fit` procedure on 4 of 5 folds of the observations, each fold predicted by the fit to the ' +
        'others (nested: the parameters are selected inside each fold too)',
    },
    method: CALIBRATION_METHOD,
  };
}

class Context {
  private readonly assignments = new Map<string, Promise<AssignmentResult | string>>();
  private readonly heldOutServices = new Map<string, CorridorService>();

  constructor(
    private readonly service: CorridorService,
    private readonly opts: CalibrateOptions,
  ) {}

  async run(o: Observation): Promise<ObservationOutcome> {
    let found: {
      value: number | null;
      note: string;
      compared: ComparedOption[];
      nodes?: string[];
      price?: PriceParts;
    };
    try {
      found = await this.figure(o);
    } catch (e) {
      if (!isCorridorError(e)) throw e;
      found = { value: null, note: e.message, compared: [] };
    }
    const score = observationError(found.value, o.published.min, o.published.max);
    return {
      id: o.id,
      kind: o.kind,
      title: o.title,
      family: o.family ?? null,
      ...(o.kind === 'price' ? { segment: priceSegmentOf(o) } : {}),
      regime: o.regime,
      direction: o.direction ?? null,
      date: o.date,
      lane: o.at ?? `${o.from ?? '?'} → ${o.to ?? '?'}`,
      published: o.published,
      model: found.value === null ? null : round(found.value, 2),
      ...score,
      error: round(score.error, 4),
      signed: round(score.signed, 4),
      answered: found.value !== null,
      note: found.note,
      compared: found.compared,
      nodes: found.nodes ?? found.compared.find((c) => c.chosen)?.stops ?? [],
      ...(found.price ? { price: found.price } : {}),
      source: o.source,
    };
  }

  private async figure(
    o: Observation,
  ): Promise<{ value: number | null; note: string; compared: ComparedOption[]; nodes?: string[]; price?: PriceParts }> {
    switch (o.kind) {
      case 'transit-time':
        return this.transitTime(o);
      case 'price':
        return this.price(o);
      case 'dwell':
        return this.dwell(o);
      case 'volume':
        return this.volume(o);
      case 'capacity':
        return this.capacity(o);
    }
  }

  private raw(o: Observation): RawOptions {
    const raw: RawOptions = { from: o.from, to: o.to };
    if (o.avoid?.length) raw.avoid = o.avoid.join(',');
    if (o.avoidPassages?.length) raw.avoidPassages = o.avoidPassages.join(',');
    if (o.modes?.length) raw.modes = o.modes.join(',');
    if (o.regime === 'congested') raw.scenario = 'congested';
    return raw;
  }

  private async transitTime(o: Observation) {
    const services = this.service.world.dataset.services ?? [];
    const from = minOf(services.map((x) => x.validFrom));
    const to = maxOf(services.map((x) => x.validTo));
    const ready = readyOf(o.date);
    const day = coveredDate(ready.slice(0, 10), from, to);
    const p = await this.service.preparePlan({
      ...this.raw(o),
      ready: `${day}${ready.slice(10)}`,
      samples: String(this.opts.samples ?? 200),
      seed: '1',
    });
    const r = this.service.plan(p);
    const via = viaIds(p.scenario.dataset, o.via);
    const perUnit = o.published.unit === 'd' ? 24 : 1;
    const options = r.itineraries.map((it) => ({
      option: it.option,
      summary: it.summary,
      corridors: it.corridors,
      value: (it.arrival.p50H ?? it.totals.durationH) / perUnit,
      matches: matches(o, it.corridors, placesOf(it.legs), via),
      stops: it.stops.filter((x) => x.durationH > 0).map((x) => x.at),
    }));
    return dated(choose(options, 'fastest', o, r.itineraries.length), ready.slice(0, 10), day, 'services');
  }

  private async price(o: Observation) {
    const sets = this.service.world.dataset.pricing?.tariffSets ?? [];
    const want = readyOf(o.date).slice(0, 10);
    const open = sets.some((t) => t.validTo === undefined);
    const date = coveredDate(
      want,
      minOf(sets.map((t) => t.validFrom)),
      open ? undefined : maxOf(sets.map((t) => t.validTo ?? '')),
    );
    const { service, heldOut } = this.withoutOwnIndexPoints(o);
    const p = await service.prepareQuote({
      ...this.raw(o),
      date,
      containers: `1x${o.container ?? '40'}`,
    });
    const r = service.quote(p);
    const via = viaIds(p.scenario.dataset, o.via);
    const options = r.options.map((opt) => ({
      option: opt.option,
      summary: opt.summary,
      corridors: opt.corridors,
      value: comparableUsd(opt.quote.items, opt.quote.totalUsd, o.includes),
      matches: matches(o, opt.corridors, placesOf(opt.legs), via),
      stops: opt.stops.filter((x) => x.durationH > 0).map((x) => x.at),
    }));
    const found = dated(choose(options, 'cheapest', o, r.options.length), want, date, 'tariff sets');
    const notes = [found.note, inclusionNote(o.includes)];
    if (heldOut.length > 0) notes.push(`index point(s) ${heldOut.join(', ')} held out (the same publication)`);
    const chosen = r.options.find((x) => x.option === found.compared.find((c) => c.chosen)?.option);
    const set = chosen
      ? (p.scenario.dataset.pricing?.tariffSets ?? []).find((t) => t.id === chosen.quote.tariffSet.id)
      : undefined;
    return {
      ...found,
      note: notes.filter(Boolean).join('; '),
      ...(chosen && set ? { price: priceParts(chosen.quote.items, set, o.includes) } : {}),
    };
  }

  /**
   * A published price that is also a point of a freight-rate index the tariffs read (the same
   * Drewry release cited twice) would be measured against itself: the quote is asked with those
   * points removed, so the index is tested on the dates between its points, out of sample.
   */
  private withoutOwnIndexPoints(o: Observation): { service: CorridorService; heldOut: string[] } {
    const ds = this.service.world.dataset;
    const indices = ds.pricing?.indices ?? [];
    const period = o.date;
    const heldOut: string[] = [];
    const kept = indices.map((series) => {
      const points = series.points.filter((pt) => {
        const same =
          pt.date.startsWith(period) &&
          pt.value >= o.published.min - 0.5 &&
          pt.value <= o.published.max + 0.5 &&
          o.published.unit === 'USD';
        if (same) heldOut.push(`${series.id}@${pt.date}`);
        return !same;
      });
      return points.length === series.points.length || points.length === 0 ? series : { ...series, points };
    });
    if (heldOut.length === 0 || !ds.pricing) return { service: this.service, heldOut };
    const key = heldOut.join(',');
    let service = this.heldOutServices.get(key);
    if (!service) {
      const world = new World({ ...ds, pricing: { ...ds.pricing, indices: kept } });
      service = new CorridorService({ world, today: this.service.today });
      this.heldOutServices.set(key, service);
    }
    return { service, heldOut };
  }

  private async dataset(o: Observation): Promise<PricedDataset> {
    if (o.regime === 'congested') return (await this.service.scenarioWorld(['congested'])).dataset;
    return this.service.world.dataset;
  }

  private async dwell(o: Observation) {
    const ds = await this.dataset(o);
    const loc = new PlaceIndex(ds.locations).resolve(o.at ?? '');
    const stops = ds.transfers.filter(
      (t) => t.location === loc.id && (o.dwellKinds === undefined || o.dwellKinds.includes(t.kind)),
    );
    if (stops.length === 0)
      return {
        value: null,
        note: `the model has no ${o.dwellKinds?.join('/') ?? ''} stop at ${loc.name}`,
        compared: [],
      };
    const h = stops.reduce((s, t) => s + t.durationH.typical, 0);
    const value = o.published.unit === 'd' ? h / 24 : h;
    return {
      value,
      nodes: [loc.id],
      note: `typical ${stops.map((t) => `${t.kind} ${t.durationH.typical} h`).join(' + ')}`,
      compared: [],
    };
  }

  private async capacity(o: Observation) {
    const ds = await this.dataset(o);
    const places = new PlaceIndex(ds.locations);
    const want = o.published.unit === 'TEU/yr' ? 'TEU' : 't';
    if (o.at !== undefined) {
      const loc = places.resolve(o.at);
      const withCap = ds.transfers.filter((t) => t.location === loc.id && t.capacityPerDay);
      const teu = withCap.find((t) => t.capacityPerDay?.unit === 'TEU');
      if (want === 'TEU' && teu?.capacityPerDay)
        return {
          value: teu.capacityPerDay.value * 365,
          note: `${teu.kind} capacity ${teu.capacityPerDay.value} TEU/day × 365`,
          compared: [],
        };
      return {
        value: null,
        note: `the model gives ${loc.name} no capacity in ${want} (${withCap.length} stop(s) with other units)`,
        compared: [],
      };
    }
    const a = places.resolve(o.from ?? '').id;
    const b = places.resolve(o.to ?? '').id;
    const link = ds.links.find((l) => (l.from === a && l.to === b) || (l.from === b && l.to === a));
    if (!link) return { value: null, note: `the model has no link between ${a} and ${b}`, compared: [] };
    const cap = link.capacityPerYear;
    if (!cap) return { value: null, note: `link ${link.id} has no capacity in the data`, compared: [] };
    if (cap.unit !== want)
      return { value: null, note: `link ${link.id}'s capacity is in ${cap.unit}, not ${want}`, compared: [] };
    return { value: cap.value, note: `link ${link.id} capacityPerYear`, compared: [] };
  }

  private async volume(o: Observation) {
    const year = o.date.slice(0, 4);
    const ds = this.service.world.dataset;
    const set = ds.demand?.find((d) => d.name === `observed-${year}`) ?? ds.demand?.find((d) => d.year === year);
    if (!set) return { value: null, note: `no demand set for ${year}`, compared: [] };
    if (o.published.unit !== 'TEU/yr') return { value: null, note: 'volumes are assigned in TEU only', compared: [] };
    const got = await this.assignment(set.name);
    if (typeof got === 'string') return { value: null, note: got, compared: [] };
    const places = new PlaceIndex(ds.locations);
    if (o.at !== undefined) {
      const id = places.resolve(o.at).id;
      const nodes = got.nodes.filter((n) => n.id === id && n.kind === 'handling');
      const flow = nodes.reduce((s, n) => s + n.flow, 0);
      return { value: flow, note: `assigned ${set.name}: handling flow at ${id}`, compared: [] };
    }
    const a = places.resolve(o.from ?? '').id;
    const b = places.resolve(o.to ?? '').id;
    const links = got.links.filter(
      (l) => (l.from === a && l.to === b) || (o.direction === undefined && l.from === b && l.to === a),
    );
    const flow = links.reduce((s, l) => s + l.flow, 0);
    return {
      value: flow,
      note: `assigned ${set.name}: flow ${a} → ${b}${o.direction ? '' : ' and back'}`,
      compared: [],
    };
  }

  private assignment(set: string): Promise<AssignmentResult | string> {
    let p = this.assignments.get(set);
    if (!p) {
      p = (async () => {
        try {
          return await this.service.assign(await this.service.prepareAssign({ demand: set }));
        } catch (e) {
          if (isCorridorError(e)) return e.message;
          throw e;
        }
      })();
      this.assignments.set(set, p);
    }
    return p;
  }
}

/**
 * The part of a quote a published price covers. Port-to-port sea rates (the WCI) and
 * station-to-station rail rates exclude the terminal handling and other charges at the two ends,
 * which the quote adds as origin/destination items; a crossing-only ferry fare likewise. Through
 * (terminal-to-terminal, all-in, door-to-door) figures are compared with the whole quote.
 */
export function comparableUsd(
  items: readonly { event?: string; amountUsd: number }[],
  totalUsd: number,
  includes: Observation['includes'],
): number {
  if (!excludesEnds(includes)) return totalUsd;
  const ends = items.filter((i) => i.event === 'origin' || i.event === 'destination');
  return totalUsd - ends.reduce((s, i) => s + i.amountUsd, 0);
}

const excludesEnds = (includes: Observation['includes']) =>
  includes === 'port-to-port' || includes === 'station-to-station' || includes === 'crossing-only';

/**
 * The compared price as its parts. A charge is free (a fit may move it) when its amount is an
 * assumption — possibly fitted before — and not read from an index; its part is its amount at the
 * prior value (the value before any fit was written back), so a re-fit and its cross-validation
 * start from the same place whatever the data holds now. Everything else is fixed.
 */
export function priceParts(
  items: readonly { chargeId: string; event?: string; amountUsd: number; fallback?: true }[],
  set: TariffSet,
  includes: Observation['includes'],
): PriceParts {
  const charges = new Map<string, LegCharge | StopCharge>();
  for (const c of [...set.legCharges, ...set.stopCharges]) charges.set(c.id, c);
  const byParam = new Map<string, number>();
  let fixedUsd = 0;
  for (const i of items) {
    if (excludesEnds(includes) && (i.event === 'origin' || i.event === 'destination')) continue;
    const id = i.chargeId.replace(/-discount$/, '');
    const c = i.fallback ? undefined : charges.get(id);
    const a = c?.amount;
    if (!c || !a || c.index || a.assumption === undefined || a.value === 0) {
      fixedUsd += i.amountUsd;
      continue;
    }
    const prior = a.calibrated?.prior ?? a.value;
    const param = chargeParam(c);
    byParam.set(param, (byParam.get(param) ?? 0) + (i.amountUsd * prior) / a.value);
  }
  return {
    fixedUsd: round(fixedUsd, 2),
    components: [...byParam]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([param, usd]) => ({ param, usd: round(usd, 2) })),
  };
}

/**
 * The fitted parameter a free charge belongs to: the price level of one country's assumed charges
 * (its railway's line haul, platform, terminal and border charges move together), so a handful of
 * published prices inform a few levels instead of dozens of charges; a charge of several
 * countries (a through haul, a crossing) is a parameter of its own.
 */
export function chargeParam(c: LegCharge | StopCharge): string {
  const countries = new Set<string>();
  if ('on' in c) {
    for (const x of c.on.countries ?? []) countries.add(x);
    for (const x of c.on.from ?? []) countries.add(x.slice(0, 2));
  } else {
    for (const x of c.at.countries ?? []) countries.add(x);
    for (const x of c.at.locations ?? []) countries.add(x.slice(0, 2));
  }
  return countries.size === 1 ? `${[...countries][0]} assumed charges` : c.id;
}

function inclusionNote(includes: Observation['includes']): string {
  if (excludesEnds(includes)) return `${includes}: the quote's origin and destination charges excluded`;
  return '';
}

const minOf = (xs: readonly string[]): string | undefined => [...xs].sort()[0];
const maxOf = (xs: readonly string[]): string | undefined => [...xs].sort().at(-1);

function dated<T extends { note: string }>(r: T, want: string, used: string, what: string): T {
  if (want === used) return r;
  return { ...r, note: `${r.note}; dated ${want}, before or after the data's ${what}: asked for ${used}` };
}

/** The price segment an observation is summarised in: mode, what it includes, direction. */
export function priceSegmentOf(o: Pick<Observation, 'mode' | 'includes' | 'direction'>): string {
  return [o.mode, o.includes ?? 'all-in', o.direction ?? 'any'].join(' ');
}

/** The rate-level group of a price: its route family (or `sea` for a sea-only query) and direction. */
export function priceGroupOf(o: Pick<ObservationOutcome, 'family' | 'direction'> & { modes?: string[] }): string {
  const family = o.family ?? (o.modes?.length === 1 && o.modes[0] === 'sea' ? 'sea' : 'other');
  return `${family}/${o.direction ?? 'any'}`;
}

/**
 * The observations as fit cases: times and dwell move with node dwell, prices with their charges'
 * levels. Both are taken back to the data's prior values (before any fit was written back), so a
 * re-fit and its cross-validation start from the same place whatever the files hold now.
 */
export function fitCases(
  report: CalibrationReport,
  observations: readonly Observation[],
  ds?: PricedDataset,
): import('../calibrate/fit.js').FitCase[] {
  const byId = new Map(observations.map((o) => [o.id, o]));
  const written = ds ? writtenDwellH(ds) : {};
  return report.results.map((r) => {
    const o = byId.get(r.id);
    const timed = r.kind === 'transit-time' || r.kind === 'dwell';
    const perUnit = r.published.unit === 'd' ? 24 : 1;
    const nodes = timed ? r.nodes : [];
    const shiftH = nodes.reduce((sum, n) => sum + (written[n] ?? 0), 0);
    return {
      id: r.id,
      kind: r.kind,
      family: r.family,
      segment: r.segment,
      min: r.published.min,
      max: r.published.max,
      model: r.model === null ? null : timed ? r.model - shiftH / perUnit : r.model,
      hoursPerUnit: perUnit,
      nodes,
      ...(r.kind === 'price'
        ? r.price
          ? { price: r.price }
          : { priceGroup: priceGroupOf({ ...r, ...(o?.modes ? { modes: o.modes } : {}) }) }
        : {}),
    };
  });
}

/** Typical dwell per place (all its stops) at the prior values: the floor of a fitted shift. */
export function baseDwellH(ds: PricedDataset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ds.transfers)
    out[t.location] = (out[t.location] ?? 0) + (t.durationH.calibrated?.prior ?? t.durationH.typical);
  return out;
}

/** The range each place's typical dwell may be fitted in: the sum of its stops' stated min and max. */
export function dwellRangeH(ds: PricedDataset): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const t of ds.transfers) {
    const r = out[t.location] ?? [0, 0];
    out[t.location] = [r[0] + t.durationH.min, r[1] + t.durationH.max];
  }
  return out;
}

/** Hours the written-back fit added to each place's typical dwell (current − prior). */
export function writtenDwellH(ds: PricedDataset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ds.transfers) {
    const prior = t.durationH.calibrated?.prior;
    if (prior !== undefined) out[t.location] = (out[t.location] ?? 0) + t.durationH.typical - prior;
  }
  return out;
}

/** The fit whose parameters `calibrate --fit --write` writes back: forward-selected, nested 5-fold CV. */
export function fitReport(report: CalibrationReport, observations: readonly Observation[], ds: PricedDataset) {
  return fitWithCrossValidation(
    fitCases(report, observations, ds),
    { baseDwellH: baseDwellH(ds), dwellRangeH: dwellRangeH(ds) },
    5,
    true,
  );
}

function viaIds(ds: PricedDataset, via: readonly string[] | undefined): string[] {
  if (!via?.length) return [];
  const places = new PlaceIndex(ds.locations);
  return via.map((v) => places.resolve(v).id);
}

function placesOf(legs: readonly { from: string; to: string }[]): Set<string> {
  const s = new Set<string>();
  for (const l of legs) {
    s.add(l.from);
    s.add(l.to);
  }
  return s;
}

function matches(o: Observation, corridors: readonly string[], places: Set<string>, via: readonly string[]): boolean {
  if (o.family !== undefined && !corridors.includes(o.family)) return false;
  return via.every((v) => places.has(v));
}

/** The matching option the figure describes: the fastest for a time, the cheapest for a price. */
function choose(
  options: Omit<ComparedOption, 'chosen'>[],
  rule: 'fastest' | 'cheapest',
  o: Observation,
  total: number,
): { value: number | null; note: string; compared: ComparedOption[] } {
  const candidates = options.filter((x) => x.matches);
  const best = candidates.reduce<(typeof candidates)[number] | undefined>(
    (b, x) => (b === undefined || x.value < b.value ? x : b),
    undefined,
  );
  const compared = options.map((x) => ({ ...x, value: round(x.value, 2), chosen: x === best }));
  if (!best) {
    const what = [o.family ? `family ${o.family}` : '', o.via?.length ? `via ${o.via.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    return {
      value: null,
      note: `no option ${what || ''} among the model's ${total} option(s)`.replace(/ {2}/g, ' '),
      compared,
    };
  }
  return { value: best.value, note: `${rule} matching option: #${best.option} ${best.summary}`, compared };
}

const round = (x: number, d: number) => {
  const f = 10 ** d;
  return Math.round(x * f) / f;
};
