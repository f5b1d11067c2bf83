/**
 * Routes with an itemised quote and an ISO 14083 footprint on every option: builds the shipment,
 * picks the tariff set for the date, prices the graph for that shipment and date (so the Pareto
 * set is over the real quote), runs the route search, then attaches `quote` and `emissions` to
 * each option. `route` uses it with the reference cargo; `quote` with the user's cargo and date;
 * `plan` uses priced-plan.ts (same pricing, on its timetable).
 */
import { CorridorError } from '../model/errors.js';
import { getOrCreate } from '../model/memo.js';
import type { PricedDataset } from '../model/pricing-types.js';
import { resolvePlace } from '../model/places.js';
import type { CompiledNetwork } from '../network/compile.js';
import { findRoutes, type RouteQuery, type RouteResult } from '../routing/route.js';
import type { RouteOption } from '../routing/itinerary.js';
import { Footprinter } from '../emissions/footprint.js';
import {
  buildCargo,
  cargoContainers,
  cargoTeu,
  cargoTonnes,
  describeCargo,
  grossTonnes,
  type Cargo,
  type CargoRequest,
} from './cargo.js';
import { fxConverter } from './fx.js';
import { priceNetwork } from './priced-network.js';
import { Pricer } from './pricer.js';
import { footprintOption, quoteOption, roundFootprint, type OptionEmissions, type Quote } from './quote.js';
import { chooseTariffSet, type TariffChoice } from './tariff-set.js';
import { must } from '../model/invariant.js';

export interface PricingRequest {
  cargo?: CargoRequest;
  /** YYYY-MM-DD; default: the latest tariff set. */
  date?: string;
}

export interface PricedOption extends RouteOption {
  quote: Quote;
  emissions: OptionEmissions;
}

export interface ShipmentSummary {
  description: string;
  containers: { code: string; size: string; count: number; cargoTonnesPerContainer: number; tareTonnes: number }[];
  containerCount: number;
  teu: number;
  cargoTonnes: number;
  grossTonnes: number;
  dangerousGoods: boolean;
  reefer: boolean;
  defaultWeight: boolean;
}

export interface PricedRouteResult extends Omit<RouteResult, 'options'> {
  options: PricedOption[];
  pricing: {
    tariffSet: Quote['tariffSet'];
    date: string;
    dated: boolean;
    method: string;
    gwp: 'AR4' | 'AR5' | 'AR6';
    shipment: ShipmentSummary;
  };
}

export interface PricingContext {
  cargo: Cargo;
  choice: TariffChoice;
  pricer: Pricer;
  footprinter: Footprinter;
}

/**
 * Contexts per dataset and request: a pricer caches every leg and stop it has priced, so a repeated query (an API
 * serving many quotes for the same shipment and date) reprices nothing.
 */
const CONTEXTS = new WeakMap<PricedDataset, Map<string, PricingContext>>();
const MAX_CONTEXTS_PER_DATASET = 32;

export function pricingContext(ds: PricedDataset, req: PricingRequest = {}): PricingContext {
  const key = JSON.stringify([
    req.cargo?.containers ?? null,
    req.cargo?.weight ?? null,
    req.cargo?.dangerousGoods === true,
    req.cargo?.reefer === true,
    req.date ?? null,
  ]);
  const byKey = getOrCreate(CONTEXTS, ds, () => new Map<string, PricingContext>());
  const hit = byKey.get(key);
  if (hit) return hit;
  const ctx = createPricingContext(ds, req);
  const oldest = byKey.keys().next();
  if (byKey.size >= MAX_CONTEXTS_PER_DATASET && !oldest.done) byKey.delete(oldest.value);
  byKey.set(key, ctx);
  return ctx;
}

/** A fresh context (no shared caches). */
export function createPricingContext(ds: PricedDataset, req: PricingRequest = {}): PricingContext {
  const p = ds.pricing;
  if (!p)
    throw new CorridorError(
      'invalid-dataset',
      'this dataset has no pricing files (tariffs/, fx.yaml, container-types.yaml, emission-factors.yaml)',
    );
  const cargo = buildCargo(p.containerTypes, req.cargo);
  const choice = chooseTariffSet(p.tariffSets, req.date);
  const fx = fxConverter(p.fx, choice.date);
  const pricer = new Pricer({ dataset: ds, set: choice.set, cargo, fx, date: choice.date });
  return { cargo, choice, pricer, footprinter: new Footprinter(p.emissions) };
}

export function shipmentSummary(c: Cargo): ShipmentSummary {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    description: describeCargo(c),
    containers: c.groups.map((g) => ({
      code: g.type.code,
      size: g.type.size,
      count: g.count,
      cargoTonnesPerContainer: r(g.cargoTonnesPerContainer),
      tareTonnes: g.type.tareTonnes.value,
    })),
    containerCount: cargoContainers(c),
    teu: cargoTeu(c),
    cargoTonnes: r(cargoTonnes(c)),
    grossTonnes: r(grossTonnes(c)),
    dangerousGoods: c.dangerousGoods,
    reefer: c.reefer,
    defaultWeight: c.defaultWeight,
  };
}

/** Attaches quote and emissions to options found on a network priced with the same context. */
export function priceOptions(options: readonly RouteOption[], ctx: PricingContext): PricedOption[] {
  return options.map((o) => ({
    ...o,
    quote: quoteOption(o, ctx.pricer, ctx.choice),
    emissions: roundFootprint(footprintOption(o, ctx.pricer, ctx.footprinter)),
  }));
}

export function findPricedRoutes(
  ds: PricedDataset,
  net: CompiledNetwork,
  query: RouteQuery,
  req: PricingRequest = {},
): PricedRouteResult {
  const ctx = pricingContext(ds, req);
  const from = resolvePlace(net.locations, query.from, 'origin');
  const to = resolvePlace(net.locations, query.to, 'destination');
  const priced = priceNetwork(net, ctx.pricer, ctx.footprinter, {
    origin: must(net.locationIndex.get(from.id)),
    destination: must(net.locationIndex.get(to.id)),
  });
  const cargoFlags = { ...(query.cargo ?? {}) };
  if (ctx.cargo.dangerousGoods) cargoFlags.dangerousGoods = true;
  if (ctx.cargo.reefer) cargoFlags.reefer = true;
  const result = findRoutes(priced, { ...query, cargo: cargoFlags });
  const shipment = shipmentSummary(ctx.cargo);
  return {
    ...result,
    cargo: { description: shipment.description, teu: shipment.teu, grossTonnes: shipment.grossTonnes },
    options: priceOptions(result.options, ctx),
    pricing: {
      tariffSet: {
        id: ctx.choice.set.id,
        title: ctx.choice.set.title,
        validFrom: ctx.choice.set.validFrom,
        validTo: ctx.choice.set.validTo ?? null,
      },
      date: ctx.choice.date,
      dated: ctx.choice.dated,
      method: ctx.footprinter.table.method,
      gwp: ctx.footprinter.table.gwp,
      shipment,
    },
  };
}
