/**
 * The one option parser: raw strings (CLI flags, HTTP query parameters, job parameters) to a typed
 * request, checked against the dataset of the request's scenario. It never stops at the first
 * problem: every field at fault is reported, by its logical name (fields.ts), with the value and
 * what would be valid, in one InvalidRequestError.
 */
import { isCountryCode } from '../model/countries.js';
import { CorridorError, type FieldProblem, InvalidRequestError, isCorridorError } from '../model/errors.js';
import { parseDateTime } from '../model/iso-time.js';
import { resolvePlace } from '../model/places.js';
import type { PricedDataset } from '../model/pricing-types.js';
import { MODES, type Mode } from '../model/types.js';
import { EQUAL_WEIGHTS, PRESETS, type Preset } from '../routing/presets.js';
import type { RouteQuery } from '../routing/route.js';
import { MAX_SAMPLES } from '../schedule/plan.js';
import { buildCargo } from '../tariff/cargo.js';
import type { FieldName, RawOptions } from './fields.js';
import type { PlanRequest, QuoteRequest, RouteRequest, ShipmentRequest } from './requests.js';
import type { CityPlace, Endpoint } from './places.js';
import type { ScenarioSelection } from './world.js';

/** Samples per itinerary a request may ask for: bounds the CPU one request can take. */
export const MAX_REQUEST_SAMPLES = Math.min(100_000, MAX_SAMPLES);

const CRITERIA = { transshipments: 'transshipments', borders: 'borderCrossings', risk: 'risk' } as const;
const CARGO = { 'dangerous-goods': 'dangerousGoods', reefer: 'reefer', oversize: 'oversize' } as const;
const WEIGHT_KEYS = { time: 'durationH', cost: 'costUsd', co2: 'co2eKg' } as const;

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const quoted = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');

export interface ParseContext {
  /** The dataset of the request's scenario (places, passages and operators are checked against it). */
  dataset: PricedDataset;
  scenario: ScenarioSelection;
  /** Problems found before parsing (unknown scenarios), reported with the parser's own. */
  problems?: FieldProblem[];
  /** Prefix of every field name, for requests inside a batch (`queries[3].`). */
  prefix?: string;
  /** Resolves an origin or destination to a terminal or a place off the network (service/places.ts). */
  endpoint?: (text: string, role: 'origin' | 'destination') => Endpoint;
}

/** Collects problems while reading one request. */
class Reader {
  readonly problems: FieldProblem[];
  /** Ends that resolved to places off the network. */
  readonly places: { from?: CityPlace; to?: CityPlace } = {};
  constructor(
    readonly raw: RawOptions,
    readonly ctx: ParseContext,
  ) {
    this.problems = [...(ctx.problems ?? [])];
  }

  bad(field: FieldName, message: string, value?: string, extra: Partial<FieldProblem> = {}): void {
    this.problems.push({
      field: `${this.ctx.prefix ?? ''}${field}`,
      message,
      code: 'invalid-argument',
      ...(value !== undefined ? { value } : {}),
      ...extra,
    });
  }

  /** A string field; a switch given where a value is needed is a problem. */
  text(field: FieldName): string | undefined {
    const v = this.raw[field];
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') {
      this.bad(field, 'needs a value');
      return undefined;
    }
    return v;
  }

  /** A whole number in [min, max]. */
  int(field: FieldName, min: number, max: number): number | undefined {
    const v = this.text(field);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      this.bad(field, `"${v}" is not a whole number from ${min} to ${max}`, v);
      return undefined;
    }
    return n;
  }

  /** A number in [min, max]. */
  num(field: FieldName, min: number, max: number): number | undefined {
    const v = this.text(field);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      this.bad(field, `"${v}" is not a number from ${min} to ${max}`, v);
      return undefined;
    }
    return n;
  }

  /** `true`/`false`, or a CLI switch. */
  flag(field: FieldName): boolean {
    const v = this.raw[field];
    if (v === undefined || v === false) return false;
    if (v === true || v === 'true') return true;
    if (v === 'false') return false;
    this.bad(field, `"${v}" is not true or false`, v);
    return false;
  }

  /** A required place that must resolve to a location of the dataset. */
  place(field: 'from' | 'to'): string {
    const v = this.text(field);
    const role = field === 'from' ? 'origin' : 'destination';
    if (v === undefined || v.trim() === '') {
      this.bad(field, `the ${role} is required`);
      return '';
    }
    try {
      if (!this.ctx.endpoint) resolvePlace(this.ctx.dataset.locations, v, role);
      else {
        const end = this.ctx.endpoint(v, role);
        if (end.kind === 'city') {
          this.places[field] = end.place;
          return end.place.id;
        }
      }
    } catch (e) {
      if (!isCorridorError(e)) throw e;
      const candidates = e.details.candidates as string[] | undefined;
      this.problems.push({
        field: `${this.ctx.prefix ?? ''}${field}`,
        message: e.message,
        value: v,
        code: e.code,
        ...(candidates ? { candidates } : {}),
      });
    }
    return v;
  }

  finish<T extends { places?: RouteRequest['places'] }>(value: T): T {
    if (this.problems.length > 0) throw new InvalidRequestError(this.problems);
    if (this.places.from || this.places.to) value.places = this.places;
    return value;
  }
}

function constraints(r: Reader, withRouteOptions: boolean): Omit<RouteQuery, 'from' | 'to'> {
  const ds = r.ctx.dataset;
  const q: Omit<RouteQuery, 'from' | 'to'> = {};
  const avoid = r.text('avoid');
  if (avoid !== undefined) {
    const codes = list(avoid).map((c) => c.toUpperCase());
    const wrong = codes.filter((c) => !isCountryCode(c));
    if (wrong.length)
      r.bad('avoid', `${quoted(wrong)} is not an ISO 3166-1 alpha-2 country code (e.g. RU, IR, AM)`, avoid);
    q.avoidCountries = [...new Set(codes)];
  }
  const modes = r.text('modes');
  if (modes !== undefined) {
    const ms = list(modes).map((m) => m.toLowerCase());
    const wrong = ms.filter((m) => !(MODES as readonly string[]).includes(m));
    if (wrong.length) r.bad('modes', `${quoted(wrong)} is not a mode; valid: ${MODES.join(', ')}`, modes);
    q.modes = [...new Set(ms)] as Mode[];
  }
  const passages = r.text('avoidPassages');
  if (passages !== undefined) {
    const ids = list(passages);
    const wrong = ids.filter((id) => !ds.passages.some((x) => x.id === id));
    if (wrong.length)
      r.bad(
        'avoidPassages',
        `unknown passage ${quoted(wrong)}; valid: ${ds.passages.map((x) => x.id).join(', ')}`,
        passages,
      );
    q.avoidPassages = [...new Set(ids)];
  }
  const operators = r.text('avoidOperators');
  if (operators !== undefined) {
    const names = list(operators);
    const known = [...new Set(ds.links.map((l) => l.operator))].sort();
    const wrong = names.filter((n) => !known.some((k) => k.toLowerCase() === n.toLowerCase()));
    if (wrong.length)
      r.bad('avoidOperators', `unknown operator ${quoted(wrong)}; valid: ${known.join(', ')}`, operators);
    q.avoidOperators = names;
  }
  const places = r.text('avoidPlaces');
  if (places !== undefined) {
    const ids: string[] = [];
    for (const place of list(places)) {
      try {
        ids.push(resolvePlace(ds.locations, place, 'place').id);
      } catch (e) {
        if (!isCorridorError(e)) throw e;
        r.bad('avoidPlaces', e.message, place);
      }
    }
    q.avoidLocations = [...new Set(ids)];
  }
  const cargo = cargoFlags(r);
  if (cargo.dangerousGoods || cargo.reefer || cargo.oversize) q.cargo = cargo;
  if (!withRouteOptions) return q;
  const mt = r.int('maxTransshipments', 0, 999);
  if (mt !== undefined) q.maxTransshipments = mt;
  const criteria = r.text('criteria');
  if (criteria !== undefined) {
    const extra: (typeof CRITERIA)[keyof typeof CRITERIA][] = [];
    for (const c of list(criteria)) {
      const k = CRITERIA[c as keyof typeof CRITERIA];
      if (!k) r.bad('criteria', `"${c}" is not a criterion; valid: ${Object.keys(CRITERIA).join(', ')}`, c);
      else if (!extra.includes(k)) extra.push(k);
    }
    q.extraCriteria = extra;
  }
  const preset = r.text('preset');
  if (preset !== undefined) {
    if (!(PRESETS as readonly string[]).includes(preset))
      r.bad('preset', `"${preset}" is not a preset; valid: ${PRESETS.join(', ')}`, preset);
    else q.preset = preset as Preset;
  }
  const weights = r.text('weights');
  if (weights !== undefined) {
    const w = { ...EQUAL_WEIGHTS };
    for (const part of list(weights)) {
      const [k, v] = part.split('=');
      const key = WEIGHT_KEYS[(k ?? '').trim() as keyof typeof WEIGHT_KEYS];
      const n = Number(v);
      if (!key || v === undefined || v.trim() === '' || !Number.isFinite(n) || n < 0)
        r.bad('weights', `"${part}" is not name=value with name time, cost or co2 and a value ≥ 0`, part);
      else w[key] = n;
    }
    q.weights = w;
  }
  const epsilon = r.num('epsilon', 0, 10);
  if (epsilon !== undefined) q.epsilon = epsilon;
  const maxOptions = r.int('maxOptions', 1, 9999);
  if (maxOptions !== undefined) q.maxOptions = maxOptions;
  return q;
}

/** `cargo=dangerous-goods,reefer` and the switches `dangerousGoods`, `reefer` say the same thing. */
function cargoFlags(r: Reader): { dangerousGoods?: boolean; reefer?: boolean; oversize?: boolean } {
  const out: { dangerousGoods?: boolean; reefer?: boolean; oversize?: boolean } = {};
  const cargo = r.text('cargo');
  if (cargo !== undefined) {
    for (const c of list(cargo)) {
      const key = CARGO[c as keyof typeof CARGO];
      if (!key) r.bad('cargo', `"${c}" is not a cargo flag; valid: ${Object.keys(CARGO).join(', ')}`, c);
      else out[key] = true;
    }
  }
  if (r.flag('dangerousGoods')) out.dangerousGoods = true;
  if (r.flag('reefer')) out.reefer = true;
  return out;
}

function shipment(r: Reader, c: Omit<RouteQuery, 'from' | 'to'>): ShipmentRequest {
  const s: ShipmentRequest = { dangerousGoods: c.cargo?.dangerousGoods === true, reefer: c.cargo?.reefer === true };
  const containers = r.text('containers');
  const weight = r.text('weight');
  if (containers !== undefined) s.containers = containers;
  if (weight !== undefined) s.weight = weight;
  const types = r.ctx.dataset.pricing?.containerTypes;
  if (types && (containers !== undefined || weight !== undefined || s.reefer)) {
    try {
      buildCargo(types, s);
    } catch (e) {
      if (!(e instanceof CorridorError) || e.code !== 'invalid-argument') throw e;
      r.bad((e.field as FieldName | undefined) ?? 'containers', e.message, e.field === 'weight' ? weight : containers);
    }
  }
  return s;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = (s: string) =>
  CALENDAR_DATE.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The ready time (checked as an ISO date-time) and the quote date; the tariff date rule needs both. */
function dates(r: Reader, readyRequired: boolean): { ready?: string; date?: string } {
  const out: { ready?: string; date?: string } = {};
  const ready = r.text('ready');
  if (ready === undefined) {
    if (readyRequired)
      r.bad('ready', 'is required: when the cargo is ready, e.g. 2025-01-06T08:00 (local time at the origin)');
  } else {
    try {
      parseDateTime(ready, 'ready time', 'ready');
      out.ready = ready.trim();
    } catch (e) {
      if (!isCorridorError(e)) throw e;
      r.bad('ready', e.message, ready);
    }
  }
  const date = r.text('date');
  if (date !== undefined) {
    if (!isCalendarDate(date.trim())) r.bad('date', `"${date}" is not a calendar date YYYY-MM-DD`, date);
    else if (ready !== undefined)
      r.bad('date', 'give a ready time or a quote date, not both: with a ready time, its date prices the quote', date);
    else out.date = date.trim();
  }
  return out;
}

export function parseRouteRequest(raw: RawOptions, ctx: ParseContext): RouteRequest {
  const r = new Reader(raw, ctx);
  const from = r.place('from');
  const to = r.place('to');
  const c = constraints(r, true);
  const req: RouteRequest = {
    from,
    to,
    constraints: c,
    scenario: ctx.scenario,
    shipment: shipment(r, c),
    ...dates(r, false),
  };
  return r.finish(req);
}

export function parseQuoteRequest(raw: RawOptions, ctx: ParseContext): QuoteRequest {
  const r = new Reader(raw, ctx);
  const from = r.place('from');
  const to = r.place('to');
  const c = constraints(r, true);
  const req: QuoteRequest = {
    from,
    to,
    constraints: c,
    scenario: ctx.scenario,
    shipment: shipment(r, c),
    ...dates(r, false),
  };
  const option = r.int('option', 1, 9999);
  if (option !== undefined) req.option = option;
  return r.finish(req);
}

export function parsePlanRequest(raw: RawOptions, ctx: ParseContext): PlanRequest {
  const r = new Reader(raw, ctx);
  const from = r.place('from');
  const to = r.place('to');
  const c = constraints(r, false);
  const { ready } = dates(r, true);
  const req: PlanRequest = {
    from,
    to,
    constraints: c,
    scenario: ctx.scenario,
    shipment: shipment(r, c),
    ready: ready ?? '',
  };
  const samples = r.int('samples', 1, MAX_REQUEST_SAMPLES);
  if (samples !== undefined) req.samples = samples;
  const seed = r.int('seed', 0, 0xffffffff);
  if (seed !== undefined) req.seed = seed;
  const horizon = r.int('horizonDays', 1, 3660);
  if (horizon !== undefined) req.horizonDays = horizon;
  return r.finish(req);
}

/** The scenario names of a raw `scenario` value (comma-separated, composed left to right). */
export function scenarioNames(raw: RawOptions): string[] | undefined {
  const v = raw.scenario;
  if (v === undefined || typeof v === 'boolean') return undefined;
  return list(v);
}
