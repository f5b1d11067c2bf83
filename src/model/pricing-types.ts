/**
 * The pricing and footprint model: dated tariff sets with their components, the FX table, the
 * ISO 6346 container types and the ISO 14083 emission-factor table. Plain data, validated by
 * src/data/schema-tariffs.ts; the engines live in src/tariff and src/emissions.
 */
import type { Dataset, GaugeMm, Mode, Quantity, Traction } from './types.js';

/** Length class of a container, the dimension tariffs are published by. */
export const CONTAINER_SIZES = ['20', '40', '45'] as const;
export type ContainerSize = (typeof CONTAINER_SIZES)[number];

/** An ISO 6346 size-type code (e.g. 42G1, 45G1, L5G1, 22R1) with the figures pricing and footprints need. */
export interface ContainerType {
  /** ISO 6346 size-type code: length/height (2 characters) + type group/detail (2 characters). */
  code: string;
  description: string;
  size: ContainerSize;
  highCube: boolean;
  reefer: boolean;
  /** Common shorthands that resolve to this type ("40", "40HC", "20RF"). */
  aliases: string[];
  /** Twenty-foot equivalent units (ISO: 20' = 1, 40' = 2, 45' = 2.25). */
  teu: Quantity;
  /** Empty mass of the box, counted in the tonne-km of the footprint. */
  tareTonnes: Quantity;
  /** Maximum gross mass (box + cargo) the type is rated for. */
  maxGrossTonnes: Quantity;
  /** Cargo mass assumed per container when the user gives no weight. */
  defaultCargoTonnes: Quantity;
}

/** One dated snapshot of exchange rates: units of each currency per one unit of `base`. */
export interface FxSnapshot {
  /** YYYY-MM-DD: the rates apply from this date until a later snapshot gives the currency again. */
  date: string;
  base: string;
  rates: Record<string, Quantity>;
}

export const CHARGE_CATEGORIES = [
  'line-haul',
  'sea-freight',
  'ferry-freight',
  'platform',
  'terminal-handling',
  'port-dues',
  'gauge-change',
  'border',
  'customs',
  'surcharge',
  'other',
] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** Categories that price the movement itself: a leg with none of them falls back to the generic rate. */
export const FREIGHT_CATEGORIES: readonly ChargeCategory[] = ['line-haul', 'sea-freight', 'ferry-freight'];

/** What a charge's amount is per (`per: container-km` reads "amount per container-km"). */
export const CHARGE_UNITS = [
  'container',
  'container-km',
  'teu',
  'teu-km',
  'tonne-km',
  'wagon',
  'wagon-km',
  'shipment',
] as const;
export type ChargeUnit = (typeof CHARGE_UNITS)[number];

/** What happens at a stop (or at the ends of the trip) that a charge can attach to. */
export const STOP_EVENTS = ['origin', 'destination', 'handling', 'gauge-change', 'border'] as const;
export type StopEvent = (typeof STOP_EVENTS)[number];

/** A charge applies to a container group only when every given condition holds. */
export interface ChargeCondition {
  dangerousGoods?: boolean;
  reefer?: boolean;
  highCube?: boolean;
  sizes?: ContainerSize[];
  /** Cargo mass per container at or above this (overweight surcharges). */
  minCargoTonnesPerContainer?: Quantity;
}

/** Which legs a charge applies to: every given criterion must match. */
export interface LegSelector {
  links?: string[];
  modes?: Mode[];
  /** Every country the link touches must be in this list. */
  countries?: string[];
  corridors?: string[];
  gauges?: GaugeMm[];
  tractions?: Traction[];
  /** The leg is entered from one of these locations: the direction of travel (head-haul vs backhaul). */
  from?: string[];
}

export interface StopSelector {
  events: StopEvent[];
  locations?: string[];
  countries?: string[];
  /** For handling: either side's mode; for origin/destination: the first/last leg's mode. */
  modes?: Mode[];
}

interface ChargeFields {
  id: string;
  description: string;
  category: ChargeCategory;
  per: ChargeUnit;
  /** ISO 4217 code of `amount`. */
  currency: string;
  /** Per container (-km): the amount for a 40' container (other sizes via `bySize` or the set's size factors). */
  amount: Quantity;
  bySize?: Partial<Record<ContainerSize, Quantity>>;
  /** Per wagon (-km): the TEU one wagon carries. */
  teuPerWagon?: Quantity;
  /** A published discount on this charge, in percent; the quote shows it as its own line. */
  discountPct?: Quantity;
  discountNote?: string;
  when?: ChargeCondition;
  operator?: string;
  notes?: string;
  /**
   * The amount follows a dated freight-rate index (indices/<file>.yaml): the quote uses the point
   * of its date (see freight-index.ts for the rule). `amount` then holds the latest point.
   */
  index?: { series: string };
}

export interface LegCharge extends ChargeFields {
  on: LegSelector;
}

export interface StopCharge extends ChargeFields {
  at: StopSelector;
}

/** An operator's published price for a chain of links, replacing the segments' own charges. */
export interface ThroughRate {
  id: string;
  description: string;
  operator?: string;
  /** The chain, in travel order; consecutive links share a location. */
  links: string[];
  /** Default true: the rate applies in both directions. */
  bidirectional: boolean;
  per: 'container' | 'teu';
  currency: string;
  amount: Quantity;
  bySize?: Partial<Record<ContainerSize, Quantity>>;
  /** Leg-charge categories the through-rate replaces on its links (default: all but surcharges). */
  replaces: ChargeCategory[];
  notes?: string;
}

export interface TariffSet {
  id: string;
  title: string;
  /** YYYY-MM-DD, inclusive. */
  validFrom: string;
  /** YYYY-MM-DD, inclusive; open-ended when absent. */
  validTo?: string;
  description?: string;
  /** The set this one was built on (`extends:`); the loader has already merged its charges in. */
  extends?: string;
  /** Inherited charge ids dropped by this set (informational once merged). */
  removes?: string[];
  /** Multipliers on 40' amounts of per-container charges without `bySize`. */
  sizeFactors: Record<'20' | '45', Quantity>;
  legCharges: LegCharge[];
  stopCharges: StopCharge[];
  throughRates: ThroughRate[];
}

export const ENERGY_CARRIERS = ['diesel', 'electric', 'mdo', 'hfo', 'vlsfo'] as const;
export type EnergyCarrier = (typeof ENERGY_CARRIERS)[number];

/**
 * An emission-intensity factor for line haul, in one of three shapes:
 * - per tonne-km: `ttwGCo2ePerTkm` and `wtwGCo2ePerTkm`;
 * - per TEU-km (container ships): `ttwGCo2ePerTeuKm`, `wtwGCo2ePerTeuKm` and `tonnesPerTeu` to
 *   allocate by mass as ISO 14083 requires;
 * - electric traction: `kwhPerTkm`, times the grid factor of the countries crossed (TTW = 0).
 */
export interface IntensityFactor {
  id: string;
  description: string;
  vehicle: string;
  energyCarrier: EnergyCarrier;
  on: LegSelector & { minDistanceKm?: number; maxDistanceKm?: number };
  ttwGCo2ePerTkm?: Quantity;
  wtwGCo2ePerTkm?: Quantity;
  ttwGCo2ePerTeuKm?: Quantity;
  wtwGCo2ePerTeuKm?: Quantity;
  tonnesPerTeu?: Quantity;
  kwhPerTkm?: Quantity;
}

/** Well-to-wheel emissions of grid electricity in a country (generation, losses, upstream). */
export interface GridFactor {
  country: string;
  wtwGCo2ePerKwh: Quantity;
}

/** Emissions of handling containers at a hub, per tonne handled (ISO 14083 hub operation category). */
export interface HubFactor {
  id: string;
  description: string;
  events: ('handling' | 'gauge-change')[];
  locations?: string[];
  wtwKgCo2ePerTonne: Quantity;
  ttwKgCo2ePerTonne: Quantity;
}

export interface EmissionFactorTable {
  /** The methodology the table follows, quoted in every footprint (e.g. "ISO 14083:2023 / GLEC Framework v3"). */
  method: string;
  /** IPCC assessment report whose GWP100 values the factors use (reported in PACT exports). */
  gwp: 'AR4' | 'AR5' | 'AR6';
  factors: IntensityFactor[];
  grid: GridFactor[];
  /** Grid factor for a country missing from `grid`. */
  defaultGrid: Quantity;
  hubs: HubFactor[];
}

/** Everything the quote and the footprint need beyond the network. */
/** One published assessment of a freight-rate index. */
export interface IndexPoint {
  /** YYYY-MM-DD, the assessment date. */
  date: string;
  value: number;
  source: string;
  ref?: string;
}

/** A published, dated freight-rate series for one lane and direction (e.g. Drewry WCI Shanghai → Rotterdam). */
export interface FreightIndex {
  id: string;
  title: string;
  publisher: string;
  currency: string;
  /** What one point prices: one 40-foot container. */
  per: 'container';
  /** Sorted by date, ascending. */
  points: IndexPoint[];
  notes?: string;
}

export interface PricingData {
  /** Freight-rate index series, by id (indices/*.yaml; may be empty). */
  indices: FreightIndex[];
  tariffSets: TariffSet[];
  fx: FxSnapshot[];
  containerTypes: ContainerType[];
  emissions: EmissionFactorTable;
}

/** A dataset together with its pricing files (kept apart from `Dataset` so the base model stays independent). */
export interface PricedDataset extends Dataset {
  /** Absent when the dataset directory has none of the pricing files. */
  pricing?: PricingData;
}
