/**
 * `calibrate`: every published observation through the same use cases a user calls — `plan` for
 * transit times, `quote` for prices, `assign` for volumes — plus the data's own dwell and
 * capacity figures, each scored by the error rule of src/calibrate. A case the engines cannot
 * answer (a place the network lacks, no option of the published route family) is a 100% miss
 * with its reason, never dropped.
 */
import { observationError, summariseAll, type ErrorSummary } from '../calibrate/error.js';
import type { AssignmentResult } from '../flow/assign.js';
import { isCorridorError } from '../model/errors.js';
import type { Observation } from '../model/observations.js';
import { PlaceIndex } from '../model/places.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { RawOptions } from './fields.js';
import type { CorridorService } from './service.js';

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
  source: string;
}

export interface CalibrationReport {
  observations: number;
  results: ObservationOutcome[];
  overall: ErrorSummary;
  byKind: Record<string, ErrorSummary>;
  byFamily: Record<string, ErrorSummary>;
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
  return {
    observations: results.length,
    results,
    ...sums,
    crossValidated: {
      overall: sums.overall,
      byKind: sums.byKind,
      method: 'no figure of the dataset is fitted to these observations: the out-of-sample error is the in-sample one',
    },
    method: CALIBRATION_METHOD,
  };
}

class Context {
  private readonly assignments = new Map<string, Promise<AssignmentResult | string>>();

  constructor(
    private readonly service: CorridorService,
    private readonly opts: CalibrateOptions,
  ) {}

  async run(o: Observation): Promise<ObservationOutcome> {
    let found: { value: number | null; note: string; compared: ComparedOption[]; nodes?: string[] };
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
      source: o.source,
    };
  }

  private async figure(
    o: Observation,
  ): Promise<{ value: number | null; note: string; compared: ComparedOption[]; nodes?: string[] }> {
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
    const p = await this.service.prepareQuote({
      ...this.raw(o),
      date,
      containers: `1x${o.container ?? '40'}`,
    });
    const r = this.service.quote(p);
    const via = viaIds(p.scenario.dataset, o.via);
    const options = r.options.map((opt) => ({
      option: opt.option,
      summary: opt.summary,
      corridors: opt.corridors,
      value: opt.quote.totalUsd,
      matches: matches(o, opt.corridors, placesOf(opt.legs), via),
      stops: opt.stops.filter((x) => x.durationH > 0).map((x) => x.at),
    }));
    return dated(choose(options, 'cheapest', o, r.options.length), want, date, 'tariff sets');
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

const minOf = (xs: readonly string[]): string | undefined => [...xs].sort()[0];
const maxOf = (xs: readonly string[]): string | undefined => [...xs].sort().at(-1);

function dated<T extends { note: string }>(r: T, want: string, used: string, what: string): T {
  if (want === used) return r;
  return { ...r, note: `${r.note}; dated ${want}, before or after the data's ${what}: asked for ${used}` };
}

/** The rate-level group of a price: its route family (or `sea` for a sea-only query) and direction. */
export function priceGroupOf(o: Pick<ObservationOutcome, 'family' | 'direction'> & { modes?: string[] }): string {
  const family = o.family ?? (o.modes?.length === 1 && o.modes[0] === 'sea' ? 'sea' : 'other');
  return `${family}/${o.direction ?? 'any'}`;
}

/** The observations as fit cases: times and dwell move with node dwell, prices with their group's level. */
export function fitCases(
  report: CalibrationReport,
  observations: readonly Observation[],
): import('../calibrate/fit.js').FitCase[] {
  const byId = new Map(observations.map((o) => [o.id, o]));
  return report.results.map((r) => {
    const o = byId.get(r.id);
    const timed = r.kind === 'transit-time' || r.kind === 'dwell';
    return {
      id: r.id,
      kind: r.kind,
      family: r.family,
      min: r.published.min,
      max: r.published.max,
      model: r.model,
      hoursPerUnit: r.published.unit === 'd' ? 24 : 1,
      nodes: timed ? r.nodes : [],
      ...(r.kind === 'price' ? { priceGroup: priceGroupOf({ ...r, ...(o?.modes ? { modes: o.modes } : {}) }) } : {}),
    };
  });
}

/** Typical dwell per place (all its stops), the floor of a fitted shift. */
export function baseDwellH(ds: PricedDataset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ds.transfers) out[t.location] = (out[t.location] ?? 0) + t.durationH.typical;
  return out;
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
