/**
 * Observations: published, dated figures the model's answers are measured against (transit
 * times, prices, dwell, volumes, capacities). They are not model inputs: `corridor calibrate`
 * runs each through the engines and reports the error.
 */

export const OBSERVATION_KINDS = ['transit-time', 'price', 'dwell', 'volume', 'capacity'] as const;
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** Units a published range is written in; times are compared in hours, prices in USD. */
export const OBSERVATION_UNITS = ['d', 'h', 'USD', 'TEU/yr', 't/yr'] as const;
export type ObservationUnit = (typeof OBSERVATION_UNITS)[number];

export const OBSERVATION_MODES = ['rail', 'sea', 'ferry', 'road', 'multimodal'] as const;
export const OBSERVATION_DIRECTIONS = ['westbound', 'eastbound', 'northbound', 'southbound'] as const;
export const OBSERVATION_REGIMES = ['nominal', 'congested'] as const;
export const PRICE_INCLUSIONS = [
  'port-to-port',
  'station-to-station',
  'terminal-to-terminal',
  'door-to-door',
  'all-in',
  'crossing-only',
] as const;

export interface Observation {
  id: string;
  kind: ObservationKind;
  /** What was published, in short. */
  title: string;
  /** Origin and destination (transit time, price; a link for volume and capacity): names, aliases or codes. */
  from?: string;
  to?: string;
  /** The place of a dwell, a port or border volume, or a node capacity. */
  at?: string;
  /** Route family (corridors.yaml id) the published figure describes. */
  family?: string;
  /** Places the published route passes (the model's option must pass them too). */
  via?: string[];
  /** Countries the published route crosses, in travel order (documentation; `avoid` constrains the query). */
  countries?: string[];
  /** Countries the query avoids to reproduce the published route (e.g. RU for the Middle Corridor). */
  avoid?: string[];
  /** Sea passages the query avoids to reproduce the published route (e.g. bab-el-mandeb for the Cape). */
  avoidPassages?: string[];
  /** Modes the query allows (e.g. sea for a port-to-port sea figure). */
  modes?: string[];
  mode: (typeof OBSERVATION_MODES)[number];
  direction?: (typeof OBSERVATION_DIRECTIONS)[number];
  regime: (typeof OBSERVATION_REGIMES)[number];
  /** When the figure was observed or valid: YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string;
  /** The published range; a single figure has min = max (or is read as its rounding interval). */
  published: { min: number; max: number; unit: ObservationUnit; text: string };
  /** Price: ISO 6346 code or shorthand of the container priced (default 40). */
  container?: string;
  /** Price: what the published figure includes. */
  includes?: (typeof PRICE_INCLUSIONS)[number];
  /** Dwell: which stops at `at` the figure covers (default all of them). */
  dwellKinds?: ('border' | 'gauge-change' | 'handling')[];
  source: string;
  ref?: string;
  note?: string;
}
