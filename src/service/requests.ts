/**
 * The typed requests of the use cases: what the one option parser (options.ts) produces from raw
 * strings, and what every edge hands to the service. Places have been checked to resolve, lists
 * are split and deduplicated, numbers are numbers.
 */
import type { DemandSet } from '../model/types.js';
import type { RouteQuery } from '../routing/route.js';
import type { CityPlace } from './places.js';
import type { ScenarioSelection } from './world.js';

/** What is shipped: containers and mass as the user wrote them (checked), and the cargo flags. */
export interface ShipmentRequest {
  containers?: string;
  weight?: string;
  dangerousGoods: boolean;
  reefer: boolean;
}

export type RouteConstraintsRequest = Omit<RouteQuery, 'from' | 'to'>;

export interface RouteRequest {
  from: string;
  to: string;
  constraints: RouteConstraintsRequest;
  scenario: ScenarioSelection;
  shipment: ShipmentRequest;
  /** The ready time as given (ISO 8601); its date is the tariff date. */
  ready?: string;
  /** The quote date (YYYY-MM-DD), the tariff date when no ready time is given. */
  date?: string;
  /** Ends that are places off the network (`from`/`to` then hold their ids `geonames:<id>`). */
  places?: { from?: CityPlace; to?: CityPlace };
}

export interface QuoteRequest extends RouteRequest {
  /** Only this option. */
  option?: number;
}

export interface PlanRequest extends RouteRequest {
  ready: string;
  samples?: number;
  seed?: number;
  horizonDays?: number;
}

export interface AssignRequest {
  scenario: ScenarioSelection;
  /** A demand set of the dataset by name, or one the edge read from a file; default: the scenario's. */
  demand?: string | DemandSet;
  co2PriceUsdPerTonne?: number;
  algorithm: 'auto' | 'column-generation' | 'network-simplex';
}

export interface CompareRequest {
  /** `null`: the base network. */
  a: ScenarioSelection;
  b: ScenarioSelection;
  /** As in AssignRequest; default: B's scenario demand, else A's; none: lanes only. */
  demand?: string | DemandSet;
  co2PriceUsdPerTonne?: number;
}
