/**
 * The seed bulletin's questions answered with numbers: every figure comes from a route search or an
 * assignment on the dataset and its scenario files, and carries the ids of the data behind it.
 *   1. Baku → Nakhchivan → Kars via Zangezur vs via Georgia; the Crossroads of Peace variant.
 *   2. Can the corridor carry 2,000 trains a year, and which link or node breaks first?
 *   3. What BTK at 5 Mt and Baku at 25 Mt change.
 *   4. What a Northern-route closure shifts onto the corridor.
 *   5. What low Caspian water costs.
 */
import type { AssignmentResult } from '../flow/assign.js';
import { buildCorridorGraph } from '../flow/corridor-graph.js';
import { corridorResources } from '../flow/capacity.js';
import { demandInTeu, type DemandOd } from '../flow/demand.js';
import { leastCostPaths } from '../flow/lanes.js';
import { CorridorError } from '../model/errors.js';
import type { Dataset, DemandSet } from '../model/types.js';
import type { CompiledNetwork } from '../network/compile.js';
import type { CorridorService } from '../service/service.js';
import { runSweepHere, type SweepRequest, type SweepSummary } from '../service/sweep.js';
import { calibrate, type CalibrationReport } from '../service/calibrate.js';
import type { Observation } from '../model/observations.js';
import { nth, must } from '../model/invariant.js';

export interface RouteFigure {
  scenario: string | null;
  from: string;
  to: string;
  found: boolean;
  distanceKm: number;
  durationH: number;
  costUsd: number;
  co2eKg: number;
  countries: string[];
  via: string[];
  linkIds: string[];
}

export interface AssignFigure {
  scenario: string | null;
  demandSet: string;
  demandScale: number;
  result: AssignmentResult;
}

export interface BreakPoint {
  id: string;
  name: string;
  capacityTeu: number;
  native: { value: number; unit: string };
  provenance: string;
  /** Flow at the demand as given (uncapacitated optimum). */
  flowTeu: number;
  /** The demand multiple at which this capacity fills. */
  saturatesAt: number;
}

export interface Bulletin {
  generatedFrom: { dataDir: string; sources: number; scenarios: string[]; demandSets: string[] };
  zangezur: { bakuKars: RouteFigure[]; bakuNakhchivan: RouteFigure[] };
  trains: {
    ladder: {
      set: string;
      trains: number;
      demandTeu: number;
      servedTeu: number;
      caspianTeu: number;
      unmetTeu: number;
      objective: number;
    }[];
    /** 2,000 trains on the Middle Corridor alone (Russia and Belarus avoided, as TITR trains do). */
    base2029: AssignFigure;
    /** The same demand when trains may divert via Russia. */
    open2029: AssignFigure;
    breakPoints: BreakPoint[];
    teuPerTrain: number;
    /** How sure: a seeded sweep of the 2,000-train case over the data's ranges (none with 0 draws). */
    uncertainty?: { request: SweepRequest; summary: SweepSummary };
  };
  /** 2,000 trains on the MC: BTK at 1 or 5 Mt/yr × Baku at today's or the phase-2 capacity. */
  expansions: {
    btk1: AssignFigure;
    btk5: AssignFigure;
    baku25: AssignFigure;
    baku25btk1: AssignFigure;
    baku25btk5: AssignFigure;
  };
  northern: {
    base: AssignFigure;
    closed: AssignFigure;
    corridorShare: { base: Record<string, number>; closed: Record<string, number> };
  };
  lowWater: { base: AssignFigure; low: AssignFigure };
  provenance: { id: string; what: string; source: string }[];
  /** How far to trust the figures: the model against the published record (absent without observations). */
  fidelity?: Pick<CalibrationReport, 'observations' | 'overall' | 'byKind' | 'crossValidated'>;
}

const need = (ds: Dataset, name: string): DemandSet => {
  const d = (ds.demand ?? []).find((x) => x.name === name);
  if (!d)
    throw new CorridorError('invalid-dataset', `the bulletin needs demand set ${name} (data/demand/${name}.yaml)`);
  return d;
};
const needScenario = (ds: Dataset, name: string) => {
  if (!ds.scenarios.some((s) => s.name === name))
    throw new CorridorError('invalid-dataset', `the bulletin needs scenario ${name} (data/scenarios/${name}.yaml)`);
};

async function fastest(
  service: CorridorService,
  scenario: string | undefined,
  from: string,
  to: string,
): Promise<RouteFigure> {
  const p = await service.prepareRoute({ from, to, ...(scenario !== undefined ? { scenario } : {}) });
  const r = service.route(p, { explain: false });
  const o = r.options.find((x) => x.labels.includes('fastest'));
  if (!o)
    return {
      scenario: scenario ?? null,
      from,
      to,
      found: false,
      distanceKm: 0,
      durationH: 0,
      costUsd: 0,
      co2eKg: 0,
      countries: [],
      via: [],
      linkIds: [],
    };
  return {
    scenario: scenario ?? null,
    from: r.origin.name,
    to: r.destination.name,
    found: true,
    distanceKm: o.totals.distanceKm,
    durationH: o.totals.durationH,
    costUsd: o.totals.costUsd,
    co2eKg: o.totals.co2eKg,
    countries: o.totals.countries,
    via: [nth(o.legs, 0).fromName, ...o.legs.map((l) => l.toName)],
    linkIds: o.legs.map((l) => l.linkId),
  };
}

async function assignIn(service: CorridorService, scenario: string | undefined, set: string): Promise<AssignFigure> {
  const p = await service.prepareAssign({ demand: set, ...(scenario !== undefined ? { scenario } : {}) });
  const { scenario: label, demandSet, demandScale, ...result } = await service.assign(p);
  return { scenario: label, demandSet, demandScale, result };
}

/**
 * Which capacity fills first as demand grows: with capacities slack, the optimal flow is every OD
 * on its least-cost route and scales linearly with demand, so resource r fills at the multiple
 * cap_r / flow_r; the smallest multiple breaks first (exact up to ties between equal-cost routes).
 */
export function breakPoints(net: CompiledNetwork, ds: Dataset, ods: readonly DemandOd[]): BreakPoint[] {
  const g = buildCorridorGraph(net);
  const paths = leastCostPaths(g, ods, must(ds.commodities));
  const resources = corridorResources(g, must(ds.commodities).conversions);
  const flow = new Float64Array(resources.length);
  const arcRes = new Map<number, number[]>();
  for (const [i, r] of resources.entries()) for (const e of r.arcs) arcRes.set(e, [...(arcRes.get(e) ?? []), i]);
  ods.forEach((od, i) => {
    const path = paths[i];
    if (!path) return;
    for (const e of path.arcs) for (const r of arcRes.get(e) ?? []) flow[r] = nth(flow, r) + od.teuPerYear;
  });
  const out: BreakPoint[] = [];
  resources.forEach((r, i) => {
    if (nth(flow, i) <= 0) return;
    out.push({
      id: r.id,
      name: r.kind === 'link' ? `${r.id} (${r.name})` : r.name,
      capacityTeu: r.capacityTeuPerYear,
      native: r.native,
      provenance: provenanceOf(ds, r.kind === 'link' ? r.id : `${r.id}/${r.transferKind}`),
      flowTeu: nth(flow, i),
      saturatesAt: r.capacityTeuPerYear / nth(flow, i),
    });
  });
  return out.sort((a, b) => a.saturatesAt - b.saturatesAt);
}

/** TEU/yr crossing the Caspian: sea and ferry links between Kazakhstan or Turkmenistan and Azerbaijan. */
export function caspianTeu(a: AssignmentResult, ds: Dataset): number {
  let s = 0;
  for (const l of a.links) {
    if (l.mode !== 'sea' && l.mode !== 'ferry') continue;
    const c = ds.links.find((x) => x.id === l.id)?.countries ?? [];
    if (c.includes('AZ') && (c.includes('KZ') || c.includes('TM'))) s += l.flow;
  }
  return s;
}

/** "source X (ref)" or "assumption: …" for a link's or transfer's capacity. */
export function provenanceOf(ds: Dataset, key: string): string {
  const [loc, kind] = key.split('/');
  const q =
    kind !== undefined
      ? ds.transfers.find((t) => t.location === loc && t.kind === kind)?.capacityPerDay
      : ds.links.find((l) => l.id === key)?.capacityPerYear;
  if (!q) return 'no capacity in the data';
  return q.source !== undefined ? `source ${q.source}${q.ref ? ` (${q.ref})` : ''}` : `assumption: ${q.assumption}`;
}

/** Share of an OD set's served TEU whose routes use each corridor tag. */
function corridorShares(a: AssignmentResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const od of a.ods) for (const r of od.routes) for (const c of r.corridors) out[c] = (out[c] ?? 0) + r.teu;
  out.unmet = a.totals.unmet;
  return out;
}

export async function buildBulletin(
  service: CorridorService,
  dataDir: string,
  progress: (s: string) => void = () => undefined,
  opts: { sweepDraws?: number; observations?: readonly Observation[] } = {},
): Promise<Bulletin> {
  const ds = service.world.dataset;
  if (!ds.commodities) throw new CorridorError('invalid-dataset', 'the bulletin needs commodities.yaml');
  for (const s of [
    'zangezur-open',
    'crossroads-for-peace',
    'northern-closed',
    'btk-1mt',
    'btk-5mt',
    'baku-25mt',
    'caspian-low-water',
  ])
    needScenario(ds, s);
  progress('routes Baku → Kars and Baku → Nakhchivan');
  const variants = [undefined, 'zangezur-open', 'crossroads-for-peace'] as const;
  const bakuKars: RouteFigure[] = [];
  const bakuNakhchivan: RouteFigure[] = [];
  for (const s of variants) {
    bakuKars.push(await fastest(service, s, 'AZBAK', 'TRKSY'));
    bakuNakhchivan.push(await fastest(service, s, 'AZBAK', 'AZNAJ'));
  }

  // TITR trains run through Kazakhstan, the Caspian, Azerbaijan and Georgia by definition, so the
  // train targets are assigned with the Northern route closed (MC = "northern-closed").
  const MC = 'northern-closed';
  progress('assignments of 600, 1,000 and 2,000 trains a year');
  const perTrain = ds.commodities.conversions.teuPerTrain;
  const teuPerTrain = perTrain.value;
  const ladder: Bulletin['trains']['ladder'] = [];
  let base2029: AssignFigure | undefined;
  for (const [set, trains] of [
    ['trains-600', 600],
    ['trains-1000', 1000],
    ['trains-2029', 2000],
  ] as const) {
    const a = await assignIn(service, MC, set);
    if (set === 'trains-2029') base2029 = a;
    ladder.push({
      set,
      trains,
      demandTeu: a.result.totals.demand,
      servedTeu: a.result.totals.served,
      caspianTeu: caspianTeu(a.result, ds),
      unmetTeu: a.result.totals.unmet,
      objective: a.result.objective,
    });
  }
  const open2029 = await assignIn(service, undefined, 'trains-2029');
  const odsTrains = demandInTeu(need(ds, 'trains-2029'), ds.commodities.conversions);
  const mc = await service.scenarioWorld([MC]);

  const draws = opts.sweepDraws ?? 40;
  let uncertainty: Bulletin['trains']['uncertainty'];
  if (draws > 0) {
    progress(`${draws} draws of capacities, dwell, demand and prices at 2,000 trains a year`);
    const request: SweepRequest = { scenario: MC, demand: 'trains-2029', draws, seed: 1 };
    uncertainty = { request, summary: (await runSweepHere(service, request, 'bulletin')).summary };
  }

  progress('BTK and Baku expansions');
  const btk1 = await assignIn(service, `${MC},btk-1mt`, 'trains-2029');
  const btk5 = await assignIn(service, `${MC},btk-5mt`, 'trains-2029');
  const baku25 = await assignIn(service, `${MC},baku-25mt`, 'trains-2029');
  const baku25btk1 = await assignIn(service, `${MC},baku-25mt,btk-1mt`, 'trains-2029');
  const baku25btk5 = await assignIn(service, `${MC},baku-25mt,btk-5mt`, 'trains-2029');

  progress('Northern-route closure');
  const nBase = await assignIn(service, undefined, 'northern-transit-2020');
  const nClosed = await assignIn(service, 'northern-closed', 'northern-transit-2020');

  progress('low Caspian water');
  const low = await assignIn(service, `${MC},caspian-low-water`, 'trains-2029');

  let fidelity: Bulletin['fidelity'];
  if (opts.observations?.length) {
    progress(`the model against ${opts.observations.length} published observations`);
    const r = await calibrate(service, opts.observations, { samples: 100 });
    fidelity = { observations: r.observations, overall: r.overall, byKind: r.byKind, crossValidated: r.crossValidated };
  }

  const provenance: Bulletin['provenance'] = [
    { id: 'trains-2029', what: '2,000 trains/yr in 2029', source: 'interfax-2024-09-kz-cn-trains' },
    {
      id: 'teuPerTrain',
      what: `${teuPerTrain} TEU per train`,
      source:
        perTrain.source ??
        `assumption (basis ${(perTrain.assumption !== undefined ? (perTrain.basis ?? []) : []).join(', ')})`,
    },
  ];
  return {
    generatedFrom: {
      dataDir,
      sources: ds.sources.length,
      scenarios: ds.scenarios.map((s) => s.name),
      demandSets: (ds.demand ?? []).map((d) => d.name),
    },
    zangezur: { bakuKars, bakuNakhchivan },
    trains: {
      ladder,
      base2029: must(base2029),
      open2029,
      breakPoints: breakPoints(mc.network, mc.dataset, odsTrains),
      ...(uncertainty ? { uncertainty } : {}),
      teuPerTrain,
    },
    expansions: { btk1, btk5, baku25, baku25btk1, baku25btk5 },
    northern: {
      base: nBase,
      closed: nClosed,
      corridorShare: { base: corridorShares(nBase.result), closed: corridorShares(nClosed.result) },
    },
    lowWater: { base: must(base2029), low },
    provenance,
    ...(fidelity ? { fidelity } : {}),
  };
}
