/**
 * Puts the tariff model and the footprint on the compiled graph: a copy of the network whose
 * arc costs are the quote's line items for this shipment, tariff set and date, and whose arc CO2e
 * is the ISO 14083 well-to-wheel footprint. The topology and times are shared, not copied.
 *
 * Link arcs carry the leg's charges (plus the origin's or destination's terminal charges when the
 * arc leaves the origin or enters the destination); pass and transfer arcs carry the stop's
 * charges and hub emissions. Because the quote of an option is built from the very same leg and
 * stop prices, the sum of an option's arc costs equals its quote and the Pareto search runs over
 * the real quote. Through-rates are charged by distance share on each of their links, which keeps
 * costs additive along the path (see docs/decisions/0012-tariff-arc-costs.md).
 */
import type { Mode } from '../model/types.js';
import {
  ARC_LINK,
  CLASS_RAIL_1435,
  CLASS_RAIL_1520,
  CLASS_ROAD,
  CLASS_SEA,
  type CompiledNetwork,
} from '../network/compile.js';
import type { Footprinter } from '../emissions/footprint.js';
import { cargoTeu, grossTonnes } from './cargo.js';
import { sumUsd, type Pricer } from './pricer.js';

export interface Endpoints {
  /** Location indices of the query's origin and destination (their terminal charges). */
  origin?: number;
  destination?: number;
}

export function modeOfClass(c: number): Mode {
  if (c === CLASS_RAIL_1435 || c === CLASS_RAIL_1520) return 'rail';
  if (c === CLASS_ROAD) return 'road';
  if (c === CLASS_SEA) return 'sea';
  return 'ferry';
}

export const isRailClass = (c: number) => c === CLASS_RAIL_1435 || c === CLASS_RAIL_1520;

export function priceNetwork(
  net: CompiledNetwork,
  pricer: Pricer,
  footprinter: Footprinter,
  ends: Endpoints = {},
): CompiledNetwork {
  const tonnes = grossTonnes(pricer.cargo);
  const arcCostUsd = new Float64Array(net.arcCount);
  const arcCo2eKg = new Float64Array(net.arcCount);
  const linkCostUsd = new Float64Array(net.links.length);
  const linkCo2eKg = new Float64Array(net.links.length);
  net.links.forEach((link, l) => {
    linkCostUsd[l] = sumUsd(pricer.leg(link, link.from));
    linkCo2eKg[l] = footprinter.leg(link, tonnes, 0).wtwKgCo2e;
  });
  for (let v = 0; v < net.vertexCount; v++) {
    const locV = net.vertexLocation[v]!;
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      const w = net.arcTarget[e]!;
      const locW = net.vertexLocation[w]!;
      if (net.arcKind[e] === ARC_LINK) {
        const l = net.arcLink[e]!;
        const link = net.links[l]!;
        const fromId = net.locations[locV]!.id;
        let cost = sumUsd(pricer.leg(link, fromId));
        if (locV === ends.origin) cost += sumUsd(pricer.stop(fromId, ['origin'], [link.mode]));
        if (locW === ends.destination)
          cost += sumUsd(pricer.stop(net.locations[locW]!.id, ['destination'], [link.mode]));
        arcCostUsd[e] = cost;
        arcCo2eKg[e] = linkCo2eKg[l]!;
        continue;
      }
      const a = net.vertexClass[v]!;
      const b = net.vertexClass[w]!;
      const id = net.locations[locV]!.id;
      const events = pricer.stopEvents(id, isRailClass(a), isRailClass(b), a === b);
      const modes = a === b ? [modeOfClass(a)] : [modeOfClass(a), modeOfClass(b)];
      arcCostUsd[e] = sumUsd(pricer.stop(id, events, modes));
      if (a !== b)
        arcCo2eKg[e] =
          footprinter.hub(id, isRailClass(a) && isRailClass(b) ? 'gauge-change' : 'handling', tonnes, 0)?.wtwKgCo2e ??
          0;
    }
  }
  return Object.freeze({
    ...net,
    cargo: { teu: cargoTeu(pricer.cargo), grossTonnes: tonnes },
    arcCostUsd,
    arcCo2eKg,
    linkCostUsd,
    linkCo2eKg,
  });
}
