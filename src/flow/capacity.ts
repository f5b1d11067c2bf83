/**
 * Capacities of the corridor as flow resources, in TEU per year: one per direction of every link
 * with `capacityPerYear`, one per transfer with `capacityPerDay`. Unit conversions come from
 * commodities.yaml (tonnes per TEU, TEU per train and per wagon, operating days per year).
 *
 * Which arcs a transfer capacity covers:
 * - border: every arc from an arrival to a departure platform at the location (all through traffic);
 * - gauge-change: the transfer arcs between the two rail gauges there;
 * - handling: the transfer arcs that change mode there.
 * Cargo that starts or ends at the location itself does not pass these arcs and is not counted
 * (the flow model routes through-traffic; see docs/flows.md).
 */
import type { Conversions, Link, Transfer, TransferKind } from '../model/types.js';
import { ARC_LINK, ARC_PASS, ARC_TRANSFER, CLASS_RAIL_1435, CLASS_RAIL_1520 } from '../network/compile.js';
import type { CorridorFlowGraph } from './corridor-graph.js';

export interface Resource {
  kind: 'link' | 'transfer';
  /** Link id, or location id for a transfer. */
  id: string;
  /** Link: "from → to" in the direction of this resource; transfer: "<kind> at <location name>". */
  name: string;
  /** Link resources: the travel direction's endpoints; transfer resources: the location twice. */
  from: string;
  to: string;
  transferKind?: TransferKind;
  capacityTeuPerYear: number;
  /** The figure in the data, before conversion. */
  native: { value: number; unit: string };
  /** Flow-graph arcs sharing the capacity. */
  arcs: number[];
}

const isRail = (c: number) => c === CLASS_RAIL_1435 || c === CLASS_RAIL_1520;

export function linkCapacityTeu(link: Link, conv: Conversions): number | undefined {
  const c = link.capacityPerYear;
  if (!c) return undefined;
  switch (c.unit) {
    case 'TEU':
      return c.value;
    case 't':
      return c.value / conv.tonnesPerTeu.value;
    case 'trains':
      return c.value * conv.teuPerTrain.value;
  }
}

export function transferCapacityTeu(t: Transfer, conv: Conversions): number | undefined {
  const c = t.capacityPerDay;
  if (!c) return undefined;
  const perDay =
    c.unit === 'TEU'
      ? c.value
      : c.unit === 'trains'
        ? c.value * conv.teuPerTrain.value
        : c.value * conv.teuPerWagon.value;
  return perDay * conv.daysPerYear.value;
}

/** Every arc that passes a transfer of `kind` at `loc`, whether or not the transfer has a capacity. */
export function transferArcs(g: CorridorFlowGraph, loc: number, kind: TransferKind): number[] {
  const net = g.net;
  const out: number[] = [];
  for (let e = 0; e < g.arcCount; e++) {
    const o = g.compiledArc[e]!;
    if (o < 0) continue;
    const k = net.arcKind[o]!;
    if (k !== ARC_PASS && k !== ARC_TRANSFER) continue;
    const head = net.arcTarget[o]!;
    if (net.vertexLocation[head] !== loc) continue;
    if (kind === 'border') out.push(e);
    else if (k === ARC_TRANSFER) {
      const rail = isRail(net.vertexClass[g.tail[e]!]!) && isRail(net.vertexClass[head]!);
      if ((kind === 'gauge-change') === rail) out.push(e);
    }
  }
  return out;
}

export function corridorResources(g: CorridorFlowGraph, conv: Conversions): Resource[] {
  const net = g.net;
  const out: Resource[] = [];
  // Link directions: arcs grouped by (link, reverse).
  const byLinkDir = new Map<number, number[]>();
  for (let e = 0; e < g.arcCount; e++) {
    const o = g.compiledArc[e]!;
    if (o < 0 || net.arcKind[o] !== ARC_LINK) continue;
    const key = net.arcLink[o]! * 2 + net.arcReverse[o]!;
    const list = byLinkDir.get(key);
    if (list) list.push(e);
    else byLinkDir.set(key, [e]);
  }
  for (const [key, arcs] of [...byLinkDir.entries()].sort((a, b) => a[0] - b[0])) {
    const l = key >> 1;
    const reverse = key & 1;
    const link = net.links[l]!;
    const cap = linkCapacityTeu(link, conv);
    if (cap === undefined) continue;
    const a = net.locations[reverse ? net.linkTo[l]! : net.linkFrom[l]!]!;
    const b = net.locations[reverse ? net.linkFrom[l]! : net.linkTo[l]!]!;
    out.push({
      kind: 'link',
      id: link.id,
      name: `${a.name} → ${b.name}`,
      from: a.id,
      to: b.id,
      capacityTeuPerYear: cap,
      native: { value: link.capacityPerYear!.value, unit: `${link.capacityPerYear!.unit}/yr` },
      arcs,
    });
  }
  net.transfers.forEach((byKind, loc) => {
    for (const kind of ['border', 'gauge-change', 'handling'] as const) {
      const t = byKind[kind];
      if (!t) continue;
      const cap = transferCapacityTeu(t, conv);
      if (cap === undefined) continue;
      const arcs = transferArcs(g, loc, kind);
      if (arcs.length === 0) continue;
      const place = net.locations[loc]!;
      out.push({
        kind: 'transfer',
        id: place.id,
        name: `${kind} at ${place.name}`,
        from: place.id,
        to: place.id,
        transferKind: kind,
        capacityTeuPerYear: cap,
        native: { value: t.capacityPerDay!.value, unit: `${t.capacityPerDay!.unit}/day` },
        arcs,
      });
    }
  });
  return out;
}
