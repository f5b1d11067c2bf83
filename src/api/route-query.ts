/**
 * The query parameters of GET /api/v1/routes (and of route jobs): the same options as
 * `corridor route`, checked against the dataset so every bad value gets a 400 naming the
 * parameter and the valid values.
 */
import { z } from 'zod';
import { isCountryCode } from '../model/countries.js';
import { isCorridorError } from '../model/errors.js';
import { resolvePlace } from '../model/places.js';
import { MODES, type Dataset, type Mode } from '../model/types.js';
import { EQUAL_WEIGHTS, PRESETS } from '../routing/presets.js';
import type { RouteQuery } from '../routing/route.js';
import { invalid, type FieldError } from './problem.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const text = (max: number) => z.string().max(max, `at most ${max} characters`);

/** Route options without from/to: shared by the routes endpoint and the route job kinds. */
export const ROUTE_OPTION_FIELDS = {
  avoid: text(300)
    .optional()
    .describe('Comma-separated ISO 3166-1 alpha-2 codes no leg, node or sea passage may touch, e.g. `RU,IR`'),
  modes: text(100)
    .optional()
    .describe(`Comma-separated allowed modes: ${MODES.join(', ')}`),
  avoidPassages: text(300)
    .optional()
    .describe('Comma-separated sea passages to avoid (ids from passages.yaml, e.g. `suez,bab-el-mandeb`)'),
  avoidOperators: text(500).optional().describe('Comma-separated operators to avoid, as named in the data'),
  avoidPlaces: text(500).optional().describe('Comma-separated places (names or codes) to avoid'),
  maxTransshipments: z
    .string()
    .regex(/^\d{1,3}$/, 'an integer ≥ 0')
    .optional()
    .describe('At most this many changes of mode or gauge'),
  cargo: text(100).optional().describe('Cargo properties links may refuse: `dangerous-goods`, `reefer`, `oversize`'),
  criteria: text(100)
    .optional()
    .describe('Extra Pareto criteria besides time, cost and CO2e: `transshipments`, `borders`, `risk`'),
  preset: z.enum(PRESETS).optional().describe('Recommend one option'),
  weights: text(100).optional().describe('Weights for the balanced preset, e.g. `time=2,cost=1,co2=1`'),
  epsilon: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'a number ≥ 0')
    .optional()
    .describe('Relative ε-dominance (approximate, smaller set); default 0 = exact'),
  maxOptions: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'an integer from 1 to 9999')
    .optional()
    .describe('Stop after this many options (approximate); default: the full Pareto set'),
  scenario: z
    .string()
    .regex(SLUG, 'a scenario name: lower-case words joined by hyphens')
    .max(64)
    .optional()
    .describe('Scenario name (dataset or stored); switches on its planned links'),
};

export const RouteParamsSchema = z
  .object({
    from: text(100).min(1, 'is required').describe("Origin: name, alias or code (e.g. `Xi'an`, `CNXIA`)"),
    to: text(100).min(1, 'is required').describe('Destination: name, alias or code (e.g. `Duisburg`, `DEDUI`)'),
    ...ROUTE_OPTION_FIELDS,
  })
  .strict();
export type RouteParams = z.infer<typeof RouteParamsSchema>;

const CRITERIA = { transshipments: 'transshipments', borders: 'borderCrossings', risk: 'risk' } as const;
const CARGO = { 'dangerous-goods': 'dangerousGoods', reefer: 'reefer', oversize: 'oversize' } as const;
const WEIGHT_KEYS = { time: 'durationH', cost: 'costUsd', co2: 'co2eKg' } as const;

/**
 * The RouteQuery for validated parameters. Collects every problem (field, value, what is valid)
 * and throws one 400; places are resolved here too, so an unknown place fails with its
 * candidates before any search runs.
 */
export function toRouteQuery(
  p: Omit<RouteParams, 'from' | 'to'> & { from: string; to: string },
  dataset: Dataset,
  where: 'query' | 'body' = 'query',
  prefix = '',
): RouteQuery {
  const errors: FieldError[] = [];
  const field = (name: string) => `${where}.${prefix}${name}`;
  const bad = (name: string, message: string, value?: string) =>
    errors.push({ field: field(name), message, ...(value !== undefined ? { value } : {}) });
  const q: RouteQuery = { from: p.from, to: p.to };
  if (p.avoid !== undefined) {
    const codes = list(p.avoid).map((c) => c.toUpperCase());
    const wrong = codes.filter((c) => !isCountryCode(c));
    if (wrong.length)
      bad(
        'avoid',
        `${wrong.map((c) => `"${c}"`).join(', ')} is not an ISO 3166-1 alpha-2 country code (e.g. RU, IR, AM)`,
        p.avoid,
      );
    q.avoidCountries = codes;
  }
  if (p.modes !== undefined) {
    const modes = list(p.modes).map((m) => m.toLowerCase());
    const wrong = modes.filter((m) => !(MODES as readonly string[]).includes(m));
    if (wrong.length)
      bad('modes', `${wrong.map((m) => `"${m}"`).join(', ')} is not a mode; valid: ${MODES.join(', ')}`, p.modes);
    q.modes = modes as Mode[];
  }
  if (p.avoidPassages !== undefined) {
    const ids = list(p.avoidPassages);
    const wrong = ids.filter((id) => !dataset.passages.some((x) => x.id === id));
    if (wrong.length)
      bad(
        'avoidPassages',
        `unknown passage ${wrong.map((w) => `"${w}"`).join(', ')}; valid: ${dataset.passages.map((x) => x.id).join(', ')}`,
        p.avoidPassages,
      );
    q.avoidPassages = ids;
  }
  if (p.avoidOperators !== undefined) {
    const names = list(p.avoidOperators);
    const known = [...new Set(dataset.links.map((l) => l.operator))].sort();
    const wrong = names.filter((n) => !known.some((k) => k.toLowerCase() === n.toLowerCase()));
    if (wrong.length)
      bad(
        'avoidOperators',
        `unknown operator ${wrong.map((w) => `"${w}"`).join(', ')}; valid: ${known.join(', ')}`,
        p.avoidOperators,
      );
    q.avoidOperators = names;
  }
  if (p.avoidPlaces !== undefined) {
    const ids: string[] = [];
    q.avoidLocations = ids;
    for (const place of list(p.avoidPlaces)) {
      try {
        ids.push(resolvePlace(dataset.locations, place, 'place').id);
      } catch (e) {
        if (!isCorridorError(e)) throw e;
        bad('avoidPlaces', e.message, place);
      }
    }
  }
  if (p.maxTransshipments !== undefined) q.maxTransshipments = Number(p.maxTransshipments);
  if (p.cargo !== undefined) {
    q.cargo = {};
    for (const f of list(p.cargo)) {
      const key = CARGO[f as keyof typeof CARGO];
      if (!key) bad('cargo', `"${f}" is not a cargo flag; valid: ${Object.keys(CARGO).join(', ')}`, f);
      else q.cargo[key] = true;
    }
  }
  if (p.criteria !== undefined) {
    const extra: (typeof CRITERIA)[keyof typeof CRITERIA][] = [];
    for (const c of list(p.criteria)) {
      const k = CRITERIA[c as keyof typeof CRITERIA];
      if (!k) bad('criteria', `"${c}" is not a criterion; valid: ${Object.keys(CRITERIA).join(', ')}`, c);
      else if (!extra.includes(k)) extra.push(k);
    }
    q.extraCriteria = extra;
  }
  if (p.preset !== undefined) q.preset = p.preset;
  if (p.weights !== undefined) {
    const w = { ...EQUAL_WEIGHTS };
    for (const part of list(p.weights)) {
      const [k, v] = part.split('=');
      const key = WEIGHT_KEYS[(k ?? '').trim() as keyof typeof WEIGHT_KEYS];
      const n = Number(v);
      if (!key || v === undefined || v.trim() === '' || !Number.isFinite(n) || n < 0) {
        bad('weights', `"${part}" is not name=value with name time, cost or co2 and a value ≥ 0`, part);
      } else w[key] = n;
    }
    q.weights = w;
  }
  if (p.epsilon !== undefined) {
    const e = Number(p.epsilon);
    if (!(e <= 10)) bad('epsilon', 'must be a number from 0 to 10', p.epsilon);
    q.epsilon = e;
  }
  if (p.maxOptions !== undefined) q.maxOptions = Number(p.maxOptions);
  if (errors.length) throw invalid(where, errors);
  return q;
}
