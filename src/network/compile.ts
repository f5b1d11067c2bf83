/**
 * Compiles the editable model (+ an optional scenario) into an immutable, integer-indexed graph
 * for the hot loops. No IO.
 *
 * ## Vertices
 * Every location has one "platform" per transport class present there (rail 1435 mm, rail 1520 mm,
 * road, sea, ferry), and every platform has two vertices: an ARRIVAL vertex (cargo has come in on
 * that class) and a DEPARTURE vertex (cargo is ready to leave on that class). Splitting the two is
 * what lets node costs depend on how cargo passes through: a train that stays on its gauge pays
 * only the border dwell, a container that changes gauge or mode pays the transfer as well.
 *
 * ## Arcs (CSR: `arcStart[v] .. arcStart[v+1]` are the arcs leaving vertex v)
 * - ARC_LINK: departure(from, class) → arrival(to, class), one per direction of a link.
 * - ARC_PASS: arrival(loc, c) → departure(loc, c): staying on the same class; costs the border
 *   transfer of the location if it has one, else nothing.
 * - ARC_TRANSFER: arrival(loc, a) → departure(loc, b), a ≠ b: a gauge change (1435 ↔ 1520, only
 *   where a gauge-change transfer exists) or a change of mode (only where a handling transfer
 *   exists), plus the border transfer if any.
 * Every arc carries its nominal time, cost and CO2e for the reference cargo in per-arc columns.
 * A search starts at the origin's departure vertices and ends at the destination's arrival
 * vertices, so no transfer is charged at either end.
 */
import { isLinkEnabled, linkDurationH } from './links.js';
import type { Corridor, Dataset, Link, Location, Mode, Passage, Transfer, TransferKind } from '../model/types.js';
import { PlaceIndex } from '../model/places.js';
import { applyScenarioChanges } from '../scenario/changes.js';
import type { StatusInEffect } from '../model/types.js';

export const CLASS_RAIL_1435 = 0;
export const CLASS_RAIL_1520 = 1;
export const CLASS_ROAD = 2;
export const CLASS_SEA = 3;
export const CLASS_FERRY = 4;
export const NUM_CLASSES = 5;
export const CLASS_NAMES = ['rail-1435', 'rail-1520', 'road', 'sea', 'ferry'] as const;

export const ARC_LINK = 0;
export const ARC_PASS = 1;
export const ARC_TRANSFER = 2;

/** Sentinel in `vertexOf` for a platform that does not exist. */
export const NO_VERTEX = -1;
/** Sentinel in `arcLink` for arcs that are not link traversals. */
export const NO_LINK = -1;

export const MODE_CODES: Record<Mode, number> = { rail: 0, road: 1, sea: 2, ferry: 3 };
export const MODE_BY_CODE: readonly Mode[] = ['rail', 'road', 'sea', 'ferry'];

export function classOfLink(link: Link): number {
  switch (link.mode) {
    case 'rail':
      return link.gaugeMm === 1520 ? CLASS_RAIL_1520 : CLASS_RAIL_1435;
    case 'road':
      return CLASS_ROAD;
    case 'sea':
      return CLASS_SEA;
    case 'ferry':
      return CLASS_FERRY;
  }
}

export interface CompileOptions {
  /** Scenario name: switches on the non-operational links that list it. */
  scenario?: string;
  /** How answers name the scenario (default `scenario`): the caller's names, without dated statuses. */
  label?: string;
  /** The dated statuses applied to the dataset, as answers list them. */
  inEffect?: readonly StatusInEffect[];
}

export interface TransferCosts {
  durationH: number;
  costUsd: number;
}

export interface CompiledNetwork {
  readonly scenario: string | undefined;
  /** The scenario as answers name it (undefined: the base network, dated statuses aside). */
  readonly label: string | undefined;
  readonly inEffect: readonly StatusInEffect[];
  /** The reference cargo every arc is priced for. */
  readonly cargo: { teu: number; grossTonnes: number };

  // Locations (index = position in `locations`)
  readonly locations: readonly Location[];
  readonly locationIndex: ReadonlyMap<string, number>;
  /** Resolves what a user typed to a location (exact lookups, fuzzy fallback). */
  readonly places: PlaceIndex;
  /** Per location: index into `countries`. */
  readonly locationCountry: Uint16Array;
  readonly countries: readonly string[];
  readonly countryIndex: ReadonlyMap<string, number>;
  /** Per location and transfer kind, the typical cost (absent: undefined). */
  readonly transfers: ReadonlyArray<Partial<Record<TransferKind, Transfer>>>;

  // Links enabled in this compilation (index = position in `links`)
  readonly links: readonly Link[];
  readonly linkFrom: Uint32Array;
  readonly linkTo: Uint32Array;
  /** MODE_CODES value per link. */
  readonly linkMode: Uint8Array;
  readonly linkDistanceKm: Float64Array;
  readonly linkDurationH: Float64Array;
  readonly linkCostUsd: Float64Array;
  readonly linkCo2eKg: Float64Array;
  /**
   * Countries crossed by link l, in travel order from `from` to `to`: `linkCountries[linkCountryStart[l] ..
   * linkCountryStart[l+1]]`.
   */
  readonly linkCountryStart: Uint32Array;
  readonly linkCountries: Uint16Array;
  /** Passages used by link l, same layout, indices into `passages`. */
  readonly linkPassageStart: Uint32Array;
  readonly linkPassages: Uint16Array;
  readonly passages: readonly Passage[];
  /** Route families by id (links' `corridor`). */
  readonly corridors: ReadonlyMap<string, Corridor>;

  // Vertices
  readonly vertexCount: number;
  /** `vertexOf[(loc * NUM_CLASSES + class) * 2 + (0 arrival | 1 departure)]`, or NO_VERTEX. */
  readonly vertexOf: Int32Array;
  readonly vertexLocation: Uint32Array;
  readonly vertexClass: Uint8Array;
  /** 1 for departure vertices, 0 for arrival vertices. */
  readonly vertexIsDeparture: Uint8Array;

  // Arcs (CSR)
  readonly arcCount: number;
  readonly arcStart: Uint32Array;
  readonly arcTarget: Uint32Array;
  readonly arcKind: Uint8Array;
  /** Link index for ARC_LINK arcs, NO_LINK otherwise. */
  readonly arcLink: Int32Array;
  /** 1 when an ARC_LINK arc runs the link backwards (to → from). */
  readonly arcReverse: Uint8Array;
  readonly arcDurationH: Float64Array;
  readonly arcCostUsd: Float64Array;
  readonly arcCo2eKg: Float64Array;
  readonly arcDistanceKm: Float64Array;
  /** 1 on ARC_TRANSFER arcs (a change of mode or gauge). */
  readonly arcTransshipment: Uint8Array;
  /** Customs borders crossed by the arc (country changes along a land link; 0/1 for sea). */
  readonly arcBorderCrossings: Uint8Array;
  /** Disruption-risk score of the arc (link + its passages). */
  readonly arcRisk: Float64Array;
}

export { isLinkEnabled, linkDurationH };

export function compileNetwork(base: Dataset, options: CompileOptions = {}): CompiledNetwork {
  const scenario = options.scenario;
  // A scenario's changes (dwell multipliers, …) apply to every command that compiles with it.
  const ds = applyScenarioChanges(base, scenario);
  const teu = ds.rates.cargo.teu.value;
  const grossTonnes = ds.rates.cargo.grossTonnes.value;

  const locations = ds.locations;
  const locationIndex = new Map(locations.map((l, i) => [l.id, i]));
  const countries: string[] = [];
  const countryIndex = new Map<string, number>();
  const countryId = (c: string) => {
    let i = countryIndex.get(c);
    if (i === undefined) {
      i = countries.length;
      countries.push(c);
      countryIndex.set(c, i);
    }
    return i;
  };
  const locationCountry = Uint16Array.from(locations, (l) => countryId(l.country));

  const transfers: Partial<Record<TransferKind, Transfer>>[] = locations.map(() => ({}));
  for (const t of ds.transfers) {
    const i = locationIndex.get(t.location);
    if (i !== undefined) transfers[i]![t.kind] = t;
  }

  const passages = ds.passages;
  const passageIndex = new Map(passages.map((p, i) => [p.id, i]));
  const links = ds.links.filter(
    (l) => isLinkEnabled(l, scenario) && locationIndex.has(l.from) && locationIndex.has(l.to),
  );
  const L = links.length;
  const linkFrom = new Uint32Array(L);
  const linkTo = new Uint32Array(L);
  const linkMode = new Uint8Array(L);
  const linkDistanceKm = new Float64Array(L);
  const linkDurationHs = new Float64Array(L);
  const linkCostUsd = new Float64Array(L);
  const linkCo2eKg = new Float64Array(L);
  const linkCountryStart = new Uint32Array(L + 1);
  const linkPassageStart = new Uint32Array(L + 1);
  const countryList: number[] = [];
  const passageList: number[] = [];
  const rateByMode = new Map(ds.rates.modes.map((r) => [r.mode, r.costUsdPerTeuKm.value]));
  links.forEach((link, l) => {
    linkFrom[l] = locationIndex.get(link.from)!;
    linkTo[l] = locationIndex.get(link.to)!;
    linkMode[l] = MODE_CODES[link.mode];
    const km = link.distanceKm.value;
    linkDistanceKm[l] = km;
    linkDurationHs[l] = linkDurationH(link);
    linkCostUsd[l] = teu * (link.costUsdPerTeu?.value ?? (rateByMode.get(link.mode) ?? 0) * km);
    linkCo2eKg[l] = (km * grossTonnes * emissionFactor(ds, link)) / 1000;
    linkCountryStart[l] = countryList.length;
    for (const c of link.countries) countryList.push(countryId(c));
    linkPassageStart[l] = passageList.length;
    for (const p of link.passages) {
      const pi = passageIndex.get(p);
      if (pi !== undefined) passageList.push(pi);
    }
  });
  linkCountryStart[L] = countryList.length;
  linkPassageStart[L] = passageList.length;

  // Platforms present at each location.
  const present = new Uint8Array(locations.length * NUM_CLASSES);
  links.forEach((link, l) => {
    const c = classOfLink(link);
    present[linkFrom[l]! * NUM_CLASSES + c] = 1;
    present[linkTo[l]! * NUM_CLASSES + c] = 1;
  });
  const vertexOf = new Int32Array(locations.length * NUM_CLASSES * 2).fill(NO_VERTEX);
  const vLoc: number[] = [];
  const vClass: number[] = [];
  const vDep: number[] = [];
  for (let loc = 0; loc < locations.length; loc++) {
    for (let c = 0; c < NUM_CLASSES; c++) {
      if (!present[loc * NUM_CLASSES + c]) continue;
      for (let dep = 0; dep < 2; dep++) {
        vertexOf[(loc * NUM_CLASSES + c) * 2 + dep] = vLoc.length;
        vLoc.push(loc);
        vClass.push(c);
        vDep.push(dep);
      }
    }
  }
  const V = vLoc.length;
  const vertex = (loc: number, c: number, dep: 0 | 1) => vertexOf[(loc * NUM_CLASSES + c) * 2 + dep]!;

  /** Receives one arc; called twice over the same sequence (count, then fill), allocating nothing. */
  type Emit = (
    from: number,
    to: number,
    kind: number,
    link: number,
    reverse: number,
    durationH: number,
    costUsd: number,
    co2eKg: number,
    distanceKm: number,
    transship: number,
    borders: number,
    risk: number,
  ) => void;
  const passageRisk = passages.map((p) => p.riskScore?.value ?? 0);
  const linkRisk = Float64Array.from(links, (link) => {
    let risk = link.riskScore?.value ?? 0;
    for (const p of link.passages) risk += passageRisk[passageIndex.get(p) ?? -1] ?? 0;
    return risk;
  });
  const linkBorders = Uint8Array.from(links, (link, l) =>
    borderCrossingsOf(link, locations[linkFrom[l]!]!.country, locations[linkTo[l]!]!.country),
  );
  const transferSteps = locations.map((_, loc) => {
    const t = transfers[loc]!;
    return {
      border: typical(t.border, teu),
      gauge: typical(t['gauge-change'], teu),
      handling: typical(t.handling, teu),
    };
  });
  const emitAll = (emit: Emit) => {
    for (let l = 0; l < L; l++) {
      const c = classOfLink(links[l]!);
      const args = [
        linkDurationHs[l]!,
        linkCostUsd[l]!,
        linkCo2eKg[l]!,
        linkDistanceKm[l]!,
        0,
        linkBorders[l]!,
        linkRisk[l]!,
      ] as const;
      emit(vertex(linkFrom[l]!, c, 1), vertex(linkTo[l]!, c, 0), ARC_LINK, l, 0, ...args);
      if (links[l]!.bidirectional) emit(vertex(linkTo[l]!, c, 1), vertex(linkFrom[l]!, c, 0), ARC_LINK, l, 1, ...args);
    }
    for (let loc = 0; loc < locations.length; loc++) {
      const { border, gauge, handling } = transferSteps[loc]!;
      for (let a = 0; a < NUM_CLASSES; a++) {
        if (!present[loc * NUM_CLASSES + a]) continue;
        for (let b = 0; b < NUM_CLASSES; b++) {
          if (!present[loc * NUM_CLASSES + b]) continue;
          const step = a === b ? PASS_STEP : isRail(a) && isRail(b) ? gauge : handling;
          if (!step) continue;
          emit(
            vertex(loc, a, 0),
            vertex(loc, b, 1),
            a === b ? ARC_PASS : ARC_TRANSFER,
            NO_LINK,
            0,
            step.durationH + (border?.durationH ?? 0),
            step.costUsd + (border?.costUsd ?? 0),
            0,
            0,
            a === b ? 0 : 1,
            0,
            0,
          );
        }
      }
    }
  };

  // Pass 1 counts arcs per tail vertex; pass 2 writes each arc into its CSR slot.
  const arcStart = new Uint32Array(V + 1);
  emitAll((from) => {
    arcStart[from + 1]!++;
  });
  for (let v = 0; v < V; v++) arcStart[v + 1]! += arcStart[v]!;
  const E = arcStart[V]!;
  const fill = arcStart.slice(0, V);
  const arcTarget = new Uint32Array(E);
  const arcKind = new Uint8Array(E);
  const arcLink = new Int32Array(E);
  const arcReverse = new Uint8Array(E);
  const arcDurationH = new Float64Array(E);
  const arcCostUsd = new Float64Array(E);
  const arcCo2eKg = new Float64Array(E);
  const arcDistanceKm = new Float64Array(E);
  const arcTransshipment = new Uint8Array(E);
  const arcBorderCrossings = new Uint8Array(E);
  const arcRisk = new Float64Array(E);
  emitAll((from, to, kind, link, reverse, durationH, costUsd, co2eKg, distanceKm, transship, borders, risk) => {
    const e = fill[from]!++;
    arcTarget[e] = to;
    arcKind[e] = kind;
    arcLink[e] = link;
    arcReverse[e] = reverse;
    arcDurationH[e] = durationH;
    arcCostUsd[e] = costUsd;
    arcCo2eKg[e] = co2eKg;
    arcDistanceKm[e] = distanceKm;
    arcTransshipment[e] = transship;
    arcBorderCrossings[e] = borders;
    arcRisk[e] = risk;
  });

  return Object.freeze({
    scenario,
    label: options.label ?? (options.inEffect?.length ? undefined : scenario),
    inEffect: options.inEffect ?? [],
    cargo: { teu, grossTonnes },
    locations,
    locationIndex,
    places: new PlaceIndex(locations),
    locationCountry,
    countries,
    countryIndex,
    transfers,
    links,
    linkFrom,
    linkTo,
    linkMode,
    linkDistanceKm,
    linkDurationH: linkDurationHs,
    linkCostUsd,
    linkCo2eKg,
    linkCountryStart,
    linkCountries: Uint16Array.from(countryList),
    linkPassageStart,
    linkPassages: Uint16Array.from(passageList),
    passages,
    corridors: new Map(ds.corridors.map((c) => [c.id, c])),
    vertexCount: V,
    vertexOf,
    vertexLocation: Uint32Array.from(vLoc),
    vertexClass: Uint8Array.from(vClass),
    vertexIsDeparture: Uint8Array.from(vDep),
    arcCount: E,
    arcStart,
    arcTarget,
    arcKind,
    arcLink,
    arcReverse,
    arcDurationH,
    arcCostUsd,
    arcCo2eKg,
    arcDistanceKm,
    arcTransshipment,
    arcBorderCrossings,
    arcRisk,
  });
}

/**
 * Customs borders crossed along a link: the country changes of its travel-order list for land
 * links; a sea leg clears customs only at its ends (canal states are transited, not entered).
 */
export function borderCrossingsOf(link: Link, fromCountry: string, toCountry: string): number {
  if (link.mode === 'sea') return fromCountry === toCountry ? 0 : 1;
  let n = 0;
  for (let i = 1; i < link.countries.length; i++) if (link.countries[i] !== link.countries[i - 1]) n++;
  return n;
}

/** Staying on the same platform costs nothing beyond the border dwell. */
const PASS_STEP: TransferCosts = { durationH: 0, costUsd: 0 };

function isRail(c: number): boolean {
  return c === CLASS_RAIL_1435 || c === CLASS_RAIL_1520;
}

function typical(t: Transfer | undefined, teu: number): TransferCosts | undefined {
  return t ? { durationH: t.durationH.typical, costUsd: teu * t.costUsdPerTeu.value } : undefined;
}

function emissionFactor(ds: Dataset, link: Link): number {
  const f =
    ds.rates.emissionFactors.find((e) => e.mode === link.mode && e.traction === link.traction) ??
    ds.rates.emissionFactors.find((e) => e.mode === link.mode && e.traction === undefined);
  return f?.wtwGCo2ePerTkm.value ?? 0;
}

/** The tail vertex of arc e: CSR stores heads only, so binary-search the row that owns e. */
export function arcTail(net: CompiledNetwork, e: number): number {
  let lo = 0;
  let hi = net.vertexCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (net.arcStart[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
