/**
 * Every option a request can carry, declared once. The CLI builds its flags from this table
 * (`avoidPlaces` → `--avoid-places <places>`), the HTTP API its query schemas and OpenAPI
 * parameters (`avoidPlaces`), and the parser (options.ts) reads the raw strings of both. Error
 * messages name the logical field; each edge renders it in its own words (fieldLabel in the CLI,
 * `query.<name>` in HTTP).
 */
import { MODES } from '../model/types.js';
import { PRESETS } from '../routing/presets.js';

export interface FieldSpec {
  /** Logical name: the HTTP query parameter, and kebab-cased the CLI flag. */
  name: string;
  /** The CLI's value placeholder (`<countries>`); absent for a switch (`--reefer`). */
  arg?: string;
  description: string;
  /** Longest raw value accepted (bounds the work one request can ask for). */
  maxLength: number;
  /** Allowed values, when the field is one of a fixed set. */
  choices?: readonly string[];
  /** CLI default (shown in --help; the parser applies the same default when the field is absent). */
  cliDefault?: string;
  /** A positional argument on the command line (`corridor route <from> <to>`), not a flag. */
  positional?: boolean;
}

const f = (spec: FieldSpec): FieldSpec => spec;

export const FIELDS = {
  from: f({
    name: 'from',
    arg: '<from>',
    positional: true,
    maxLength: 100,
    description: "Origin: name, alias or code (e.g. `Xi'an`, `CNXIA`)",
  }),
  to: f({
    name: 'to',
    arg: '<to>',
    positional: true,
    maxLength: 100,
    description: 'Destination: name, alias or code (e.g. `Duisburg`, `DEDUI`)',
  }),
  avoid: f({
    name: 'avoid',
    arg: '<countries>',
    maxLength: 300,
    description: 'Comma-separated ISO 3166-1 alpha-2 codes no leg, node or sea passage may touch, e.g. `RU,IR`',
  }),
  modes: f({
    name: 'modes',
    arg: '<modes>',
    maxLength: 100,
    description: `Comma-separated allowed modes: ${MODES.join(', ')}`,
  }),
  avoidPassages: f({
    name: 'avoidPassages',
    arg: '<ids>',
    maxLength: 300,
    description: 'Comma-separated sea passages to avoid (ids of the passages, e.g. `suez,bab-el-mandeb`)',
  }),
  avoidOperators: f({
    name: 'avoidOperators',
    arg: '<names>',
    maxLength: 500,
    description: 'Comma-separated operators to avoid, as named in the data',
  }),
  avoidPlaces: f({
    name: 'avoidPlaces',
    arg: '<places>',
    maxLength: 500,
    description: 'Comma-separated places (names or codes) to avoid',
  }),
  maxTransshipments: f({
    name: 'maxTransshipments',
    arg: '<n>',
    maxLength: 3,
    description: 'At most this many changes of mode or gauge',
  }),
  cargo: f({
    name: 'cargo',
    arg: '<flags>',
    maxLength: 100,
    description:
      'Cargo properties: `dangerous-goods`, `reefer`, `oversize` (links that refuse them are avoided; ' +
      'dangerous goods and reefers are surcharged)',
  }),
  dangerousGoods: f({
    name: 'dangerousGoods',
    maxLength: 5,
    choices: ['true', 'false'],
    description: 'The cargo is dangerous goods (same as `cargo=dangerous-goods`)',
  }),
  reefer: f({
    name: 'reefer',
    maxLength: 5,
    choices: ['true', 'false'],
    description: 'The cargo needs a reefer container (same as `cargo=reefer`)',
  }),
  criteria: f({
    name: 'criteria',
    arg: '<extra>',
    maxLength: 100,
    description: 'Extra Pareto criteria besides time, cost and CO2e: `transshipments`, `borders`, `risk`',
  }),
  preset: f({ name: 'preset', arg: '<preset>', maxLength: 20, choices: PRESETS, description: 'Recommend one option' }),
  weights: f({
    name: 'weights',
    arg: '<w>',
    maxLength: 100,
    description: 'Weights for the balanced preset, e.g. `time=2,cost=1,co2=1`',
  }),
  epsilon: f({
    name: 'epsilon',
    arg: '<e>',
    maxLength: 20,
    description: 'Relative ε-dominance from 0 to 10 (approximate, smaller set); default 0 = exact',
  }),
  maxOptions: f({
    name: 'maxOptions',
    arg: '<n>',
    maxLength: 4,
    description: 'Stop after this many options (approximate); default: the full Pareto set',
  }),
  scenario: f({
    name: 'scenario',
    arg: '<names>',
    maxLength: 300,
    description:
      'A scenario (dataset or stored), or several joined by commas, composed left to right: ' +
      'its planned links, capacities, times and closures',
  }),
  containers: f({
    name: 'containers',
    arg: '<list>',
    maxLength: 200,
    description:
      'Containers as NxTYPE, comma-separated: ISO 6346 codes (22G1, 42G1, 45G1, L5G1, 22R1, 45R1) ' +
      'or shorthands (20, 40, 40HC, 45, 20RF, 40RF); default 1x40',
  }),
  weight: f({
    name: 'weight',
    arg: '<mass>',
    maxLength: 40,
    description: 'Cargo mass over all containers, without the boxes (e.g. `20t`, `18500kg`); default a typical load',
  }),
  ready: f({
    name: 'ready',
    arg: '<date-time>',
    maxLength: 40,
    description:
      'When the cargo is ready at the origin, ISO 8601: local time at the origin unless it carries an offset ' +
      '(e.g. 2025-01-06T08:00); prices for that date',
  }),
  date: f({
    name: 'date',
    arg: '<YYYY-MM-DD>',
    maxLength: 10,
    description: 'Quote date: price with the tariffs and exchange rates of this date when no ready date is given',
  }),
  samples: f({
    name: 'samples',
    arg: '<n>',
    maxLength: 7,
    description:
      'Monte Carlo samples per itinerary (default: 2,000 to 10,000, until P10/P50/P90 are within ±0.5 h or ±0.5%)',
  }),
  seed: f({
    name: 'seed',
    arg: '<n>',
    maxLength: 10,
    description: 'Monte Carlo seed; the same seed gives the same answer',
  }),
  horizonDays: f({
    name: 'horizonDays',
    arg: '<n>',
    maxLength: 4,
    description: 'Drop itineraries arriving more than this many days after the ready time',
  }),
  option: f({ name: 'option', arg: '<n>', maxLength: 4, description: 'Only this option' }),
  demand: f({
    name: 'demand',
    arg: '<set-or-file>',
    maxLength: 300,
    description: "Demand set name (data/demand/<name>.yaml); default: the scenario's",
  }),
  co2Price: f({
    name: 'co2Price',
    arg: '<usd>',
    maxLength: 20,
    description: 'CO2 price in USD per tonne CO2e added to the generalised cost (default 0)',
  }),
  algorithm: f({
    name: 'algorithm',
    arg: '<a>',
    maxLength: 20,
    choices: ['auto', 'column-generation', 'network-simplex'],
    cliDefault: 'auto',
    description: 'Assignment solver',
  }),
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** Raw input as both edges deliver it: strings (query parameters, CLI flag values) and switches. */
export type RawOptions = Partial<Record<FieldName, string | boolean | undefined>>;

/** The fields each use case reads. */
export const ROUTE_FIELDS = [
  'from',
  'to',
  'avoid',
  'modes',
  'avoidPassages',
  'avoidOperators',
  'avoidPlaces',
  'maxTransshipments',
  'cargo',
  'criteria',
  'preset',
  'weights',
  'epsilon',
  'maxOptions',
  'scenario',
  'containers',
  'weight',
  'dangerousGoods',
  'reefer',
  'ready',
  'date',
] as const satisfies readonly FieldName[];

export const QUOTE_FIELDS = [...ROUTE_FIELDS, 'option'] as const satisfies readonly FieldName[];

export const PLAN_FIELDS = [
  'from',
  'to',
  'ready',
  'avoid',
  'modes',
  'avoidPassages',
  'avoidOperators',
  'avoidPlaces',
  'cargo',
  'scenario',
  'containers',
  'weight',
  'dangerousGoods',
  'reefer',
  'samples',
  'seed',
  'horizonDays',
] as const satisfies readonly FieldName[];

export const ASSIGN_FIELDS = ['scenario', 'demand', 'co2Price', 'algorithm'] as const satisfies readonly FieldName[];

/** `avoidPlaces` → `avoid-places`. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
