/**
 * `plan` with quotes: the timed itineraries of src/schedule, searched on the priced network (so
 * their cost criterion is the quote) and each given the same `quote` and `emissions` as a route
 * option, priced for the date the caller chose (none: the latest tariff set).
 */
import type { PricedDataset } from '../model/pricing-types.js';
import { resolvePlace } from '../model/places.js';
import type { CompiledNetwork } from '../network/compile.js';
import type { PlanItinerary } from '../schedule/itinerary.js';
import { planItineraries, type PlanQuery, type PlanResult } from '../schedule/plan.js';
import { compileTimetable } from '../schedule/timetable.js';
import { priceNetwork } from './priced-network.js';
import {
  pricingContext,
  shipmentSummary,
  type PricedRouteResult,
  type PricingContext,
  type PricingRequest,
} from './priced-routes.js';
import {
  footprintOption,
  quoteOption,
  roundFootprint,
  type OptionEmissions,
  type QuotablePath,
  type Quote,
} from './quote.js';
import { must } from '../model/invariant.js';

export interface PricedItinerary extends PlanItinerary {
  /** Items' `legIndex` counts link traversals in order: plan legs list theirs in `linkIds`. */
  quote: Quote;
  emissions: OptionEmissions;
}

export interface PricedPlanResult extends Omit<PlanResult, 'itineraries'> {
  itineraries: PricedItinerary[];
  pricing: PricedRouteResult['pricing'];
}

/** The link traversals of an itinerary, walking each plan leg's links from its start. */
export function itineraryPath(
  it: PlanItinerary,
  linkEnds: ReadonlyMap<string, { from: string; to: string }>,
): QuotablePath {
  const legs: { linkId: string; from: string; to: string }[] = [];
  for (const leg of it.legs) {
    let at = leg.from;
    for (const id of leg.linkIds) {
      const ends = must(linkEnds.get(id));
      const to = ends.from === at ? ends.to : ends.from;
      legs.push({ linkId: id, from: at, to });
      at = to;
    }
  }
  return { option: it.option, legs };
}

export function pricedPlan(
  ds: PricedDataset,
  net: CompiledNetwork,
  q: PlanQuery,
  req: PricingRequest = {},
): PricedPlanResult {
  // The tariff date is the caller's decision (src/service/pricing.ts has the one rule); none: the latest set.
  const ctx: PricingContext = pricingContext(ds, req);
  const from = resolvePlace(net.locations, q.from, 'origin');
  const to = resolvePlace(net.locations, q.to, 'destination');
  const priced = priceNetwork(net, ctx.pricer, ctx.footprinter, {
    origin: must(net.locationIndex.get(from.id)),
    destination: must(net.locationIndex.get(to.id)),
  });
  const result = planItineraries(compileTimetable(priced, ds), q);
  const ends = new Map(ds.links.map((l) => [l.id, { from: l.from, to: l.to }]));
  const shipment = shipmentSummary(ctx.cargo);
  return {
    ...result,
    cargo: { description: shipment.description, teu: shipment.teu, grossTonnes: shipment.grossTonnes },
    itineraries: result.itineraries.map((it) => {
      const path = itineraryPath(it, ends);
      return {
        ...it,
        quote: quoteOption(path, ctx.pricer, ctx.choice),
        emissions: roundFootprint(footprintOption(path, ctx.pricer, ctx.footprinter)),
      };
    }),
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
