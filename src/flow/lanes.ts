/**
 * Lane view of a network: for each OD, the route of least generalised cost when capacity is not
 * binding (what a shipper with that commodity's value of time would pick on an empty corridor).
 * Used by `scenario diff` (per-lane changes in time, cost and CO2e) and by the bulletin's
 * break-point analysis (the uncapacitated optimum puts every OD on this route).
 */
import type { CommodityCatalog } from '../model/types.js';
import { DijkstraWorkspace, UNREACHED } from '../routing/dijkstra.js';
import { describePath, type OdRoute } from './assign.js';
import type { CorridorFlowGraph } from './corridor-graph.js';
import type { DemandOd } from './demand.js';

export interface LaneRoute extends Omit<OdRoute, 'teu' | 'share'> {
  generalisedCostUsdPerTeu: number;
}

/** Least generalised-cost path (flow-graph arcs) and its cost per OD; null where unreachable. */
export function leastCostPaths(
  g: CorridorFlowGraph,
  ods: readonly DemandOd[],
  catalog: CommodityCatalog,
  co2PriceUsdPerTonne = 0,
): ({ arcs: Uint32Array; costUsdPerTeu: number } | null)[] {
  const ws = new DijkstraWorkspace(g.nodeCount);
  const csr = { vertexCount: g.nodeCount, start: g.start, target: g.target };
  const weights = new Map<string, Float64Array>();
  let lastKey = '';
  return ods.map((od) => {
    let w = weights.get(od.commodity);
    if (!w) {
      const vot = catalog.commodities.find((c) => c.id === od.commodity)?.valueOfTimeUsdPerTeuHour.value ?? 0;
      w = Float64Array.from(
        g.costUsdPerTeu,
        (usd, e) => usd + vot * g.durationH[e]! + (co2PriceUsdPerTonne * g.co2eKgPerTeu[e]!) / 1000,
      );
      weights.set(od.commodity, w);
    }
    const a = g.net.locationIndex.get(od.from);
    const b = g.net.locationIndex.get(od.to);
    if (a === undefined || b === undefined) return null;
    const key = `${a}|${od.commodity}`;
    if (key !== lastKey) {
      ws.run(csr, w, g.sourceOf(a));
      lastKey = key;
    }
    const sink = g.sinkOf(b);
    if (ws.dist[sink] === UNREACHED) return null;
    const arcs: number[] = [];
    for (let v = sink; v !== g.sourceOf(a); ) {
      const e = ws.predArc[v]!;
      arcs.push(e);
      v = g.tail[e]!;
    }
    arcs.reverse();
    return { arcs: Uint32Array.from(arcs), costUsdPerTeu: ws.dist[sink]! };
  });
}

export function laneRoutes(
  g: CorridorFlowGraph,
  ods: readonly DemandOd[],
  catalog: CommodityCatalog,
  co2PriceUsdPerTonne = 0,
): (LaneRoute | null)[] {
  return leastCostPaths(g, ods, catalog, co2PriceUsdPerTonne).map((p) =>
    p ? { ...describePath(g, p.arcs), generalisedCostUsdPerTeu: Math.round(p.costUsdPerTeu * 100) / 100 } : null,
  );
}
