/**
 * Footprint export: the options of a priced answer as PACT ProductFootprints with the iLEAP
 * ShipmentFootprint extension (the ListFootprints response shape `{data: [ProductFootprint, …]}`).
 */
import { toPactProductFootprint } from '../emissions/pact.js';
import { CorridorError } from '../model/errors.js';
import type { RouteAnswer } from './service.js';

export function pactExport(r: RouteAnswer, only: number | undefined, company: string, now: Date) {
  if (!r.pricing)
    throw new CorridorError('invalid-dataset', 'a footprint export needs a dataset with emission factors and tariffs');
  const pricing = r.pricing;
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const options = only === undefined ? r.options : r.options.filter((o) => o.option === only);
  const countryOf = new Map<string, string>();
  for (const o of r.options)
    for (const l of o.legs) {
      countryOf.set(l.from, l.countries[0] ?? '');
      countryOf.set(l.to, l.countries[l.countries.length - 1] ?? '');
    }
  return {
    data: options.map((o) =>
      toPactProductFootprint({
        shipmentId: `${r.origin.id}-${r.destination.id}-${pricing.date}-option-${o.option}`,
        footprint: o.emissions,
        legs: o.legs.map((l) => ({
          linkId: l.linkId,
          from: l.from,
          to: l.to,
          fromName: l.fromName,
          toName: l.toName,
          fromCountry: countryOf.get(l.from) ?? '',
          toCountry: countryOf.get(l.to) ?? '',
        })),
        containerCount: pricing.shipment.containerCount,
        created,
        date: pricing.date,
        companyName: company,
        description: `${pricing.shipment.description}, ${r.origin.name} → ${r.destination.name}: ${o.summary}`,
        gwp: pricing.gwp,
      }),
    ),
  };
}
