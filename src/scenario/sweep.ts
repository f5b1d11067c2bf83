/**
 * Monte Carlo sensitivity of an assignment ("what binds at 2,000 trains a year?"): the uncertain
 * inputs as ranges, seeded draws of them turned into scenario overlays, and the aggregation of the
 * draws' outcomes into distributions — the probability that each link or node binds at each demand
 * level, the distribution of the generalised cost and of a compared scenario's value, and a tornado
 * of one-at-a-time swings. Pure: no IO, no engines; the application layer runs the assignments.
 *
 * Ranges come from the data where it has them (the min/typical/max dwell of every transfer) and are
 * otherwise labelled assumptions (capacities, demand and prices are single figures in the data).
 */
import type { Dataset, LinkEdit, Mode, Quantity, Scenario, TransferEdit } from '../model/types.js';

export type RangeKind = 'capacity' | 'dwell' | 'demand' | 'price';

/** One uncertain input: a multiplier on its base figure, triangular over [low, mode, high]. */
export interface SweepRange {
  id: string;
  kind: RangeKind;
  label: string;
  low: number;
  mode: number;
  high: number;
  /** `data`: the dataset's own three-point figures; `assumption`: stated here, see `note`. */
  basis: 'data' | 'assumption';
  note: string;
  /** What it multiplies. */
  target: { modes?: Mode[]; location?: string; kind?: string };
}

/** Multiplier ranges where the data has single figures: labelled assumptions, reasoning in the note. */
export const ASSUMED_RANGES = {
  capacity: {
    low: 0.8,
    high: 1.1,
    note:
      'assumption: stated yearly capacities are design or announced figures; realised throughput is taken ' +
      'as 80–110 % of them (weather, rolling stock, berth windows), most likely as stated',
  },
  demand: {
    low: 0.8,
    high: 1.2,
    note: 'assumption: ±20 % around the demand set (targets and forecasts, not observations)',
  },
  price: {
    low: 0.85,
    high: 1.15,
    note: 'assumption: ±15 % on line-haul charges (tariff revisions and FX within a year)',
  },
} as const;

const CAPACITY_MODES: readonly Mode[][] = [['ferry'], ['rail'], ['sea'], ['road']];

/** The ranges of a dataset: dwell per transfer location from the data, the rest assumed, by mode. */
export function sweepRanges(ds: Dataset): SweepRange[] {
  const out: SweepRange[] = [];
  const modes = new Set(ds.links.map((l) => l.mode));
  for (const m of CAPACITY_MODES) {
    if (!m.some((x) => modes.has(x))) continue;
    if (!ds.links.some((l) => m.includes(l.mode) && l.capacityPerYear)) continue;
    out.push({
      id: `capacity:${m.join('+')}`,
      kind: 'capacity',
      label: `${m.join('/')} link capacity`,
      low: ASSUMED_RANGES.capacity.low,
      mode: 1,
      high: ASSUMED_RANGES.capacity.high,
      basis: 'assumption',
      note: ASSUMED_RANGES.capacity.note,
      target: { modes: m },
    });
  }
  const seen = new Set<string>();
  for (const t of ds.transfers) {
    const d = t.durationH;
    if (!(d.typical > 0) || d.max <= d.min) continue;
    const id = `dwell:${t.location}:${t.kind}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      kind: 'dwell',
      label: `${t.kind} dwell at ${t.location}`,
      low: d.min / d.typical,
      mode: 1,
      high: d.max / d.typical,
      basis: 'data',
      note: `the transfer's min/typical/max dwell: ${d.min}/${d.typical}/${d.max} h`,
      target: { location: t.location, kind: t.kind },
    });
  }
  out.push({
    id: 'demand',
    kind: 'demand',
    label: 'demand',
    low: ASSUMED_RANGES.demand.low,
    mode: 1,
    high: ASSUMED_RANGES.demand.high,
    basis: 'assumption',
    note: ASSUMED_RANGES.demand.note,
    target: {},
  });
  for (const m of [...modes].sort())
    out.push({
      id: `price:${m}`,
      kind: 'price',
      label: `${m} line-haul price`,
      low: ASSUMED_RANGES.price.low,
      mode: 1,
      high: ASSUMED_RANGES.price.high,
      basis: 'assumption',
      note: ASSUMED_RANGES.price.note,
      target: { modes: [m] },
    });
  return out;
}

/** splitmix32: small, fast and the same on every platform; one stream per (seed, draw). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

/** Inverse CDF of the triangular distribution over [a, c, b]. */
export function triangular(u: number, a: number, c: number, b: number): number {
  if (b <= a) return c;
  const f = (c - a) / (b - a);
  return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/** The factors of draw `index` of a sweep: a pure function of (seed, index), so any worker reproduces it. */
export function drawFactors(ranges: readonly SweepRange[], seed: number, index: number): number[] {
  const next = rng((Math.imul(seed >>> 0, 0x27d4eb2d) ^ Math.imul(index + 1, 0x165667b1)) >>> 0);
  return ranges.map((r) => triangular(next(), r.low, r.mode, r.high));
}

/** One range at its low or high end, every other at its mode (the tornado's runs). */
export function oneAtATime(ranges: readonly SweepRange[], i: number, end: 'low' | 'high'): number[] {
  return ranges.map((r, j) => (j === i ? r[end] : r.mode));
}

const q = (value: number, why: string): Quantity => ({ value, assumption: why });

/**
 * The scenario overlay of one draw: the base selection (`extends`), capacities and prices scaled
 * by mode, dwell scaled per transfer, demand scaled by the draw's factor times the demand level.
 */
export function drawScenario(
  name: string,
  ranges: readonly SweepRange[],
  factors: readonly number[],
  opts: { extends?: readonly string[]; demandSet?: string; demandLevel?: number },
): Scenario {
  const links: LinkEdit[] = [];
  const transfers: TransferEdit[] = [];
  let demand = opts.demandLevel ?? 1;
  ranges.forEach((r, i) => {
    const f = factors[i] ?? r.mode;
    const why = `sweep draw: ${r.label} ×${f.toFixed(4)} (${r.note})`;
    if (r.kind === 'capacity')
      for (const mode of r.target.modes ?? []) links.push({ mode, capacityMultiplier: q(f, why) });
    else if (r.kind === 'price')
      for (const mode of r.target.modes ?? []) links.push({ mode, costMultiplier: q(f, why) });
    else if (r.kind === 'dwell')
      transfers.push({
        ...(r.target.location ? { location: r.target.location } : {}),
        ...(r.target.kind ? { kind: r.target.kind as TransferEdit['kind'] & string } : {}),
        durationMultiplier: q(f, why),
      } as TransferEdit);
    else if (r.kind === 'demand') demand *= f;
  });
  return {
    name,
    title: `Sweep draw ${name}`,
    description: 'A Monte Carlo draw of capacities, dwell, demand and prices (generated, not stored).',
    ...(opts.extends?.length ? { extends: [...opts.extends] } : {}),
    links,
    transfers,
    demand: {
      ...(opts.demandSet !== undefined ? { set: opts.demandSet } : {}),
      scale: q(demand, `sweep draw: demand level ×${opts.demandLevel ?? 1} and demand factor`),
    },
  };
}

/** What one draw's assignment comes to (the job's result). */
export interface DrawOutcome {
  index: number;
  /** `draw` (random) or a tornado run `low`/`high` of range `range`. */
  run: 'draw' | 'low' | 'high';
  range?: number;
  level: number;
  objective: number;
  unmetTeu: number;
  /** Links and nodes at capacity (positive shadow price). */
  binding: string[];
  /** With a compared scenario: its objective under the same draw (common random numbers). */
  compareObjective?: number;
}

export interface Quantiles {
  n: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

export function quantiles(values: readonly number[]): Quantiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    if (v.length === 0) return Number.NaN;
    const x = p * (v.length - 1);
    const lo = Math.floor(x);
    const hi = Math.ceil(x);
    return (v[lo] ?? 0) + ((v[hi] ?? 0) - (v[lo] ?? 0)) * (x - lo);
  };
  return {
    n: v.length,
    mean: v.reduce((s, x) => s + x, 0) / (v.length || 1),
    p10: at(0.1),
    p50: at(0.5),
    p90: at(0.9),
    min: v[0] ?? Number.NaN,
    max: v[v.length - 1] ?? Number.NaN,
  };
}

export interface SweepSummary {
  levels: {
    level: number;
    draws: number;
    objectiveUsd: Quantiles;
    unmetTeu: Quantiles;
    /** Probability (share of draws) that each link or node binds, most likely first. */
    binds: { id: string; probability: number }[];
    /** Objective of the base minus the compared scenario's, per draw (positive: the scenario saves). */
    valueUsd?: Quantiles;
  }[];
  /** One-at-a-time swings of the objective, largest first. */
  tornado: { range: string; label: string; basis: string; lowUsd: number; highUsd: number; swingUsd: number }[];
}

/** Distributions from the draws; duplicates of a draw (at-least-once delivery) count once. */
export function aggregateSweep(ranges: readonly SweepRange[], outcomes: readonly DrawOutcome[]): SweepSummary {
  const unique = new Map<string, DrawOutcome>();
  for (const o of outcomes) unique.set(`${o.run}:${o.range ?? ''}:${o.level}:${o.index}`, o);
  const all = [...unique.values()];
  const levels = [...new Set(all.filter((o) => o.run === 'draw').map((o) => o.level))].sort((a, b) => a - b);
  const summary: SweepSummary = {
    levels: levels.map((level) => {
      const ds = all.filter((o) => o.run === 'draw' && o.level === level).sort((a, b) => a.index - b.index);
      const counts = new Map<string, number>();
      for (const d of ds) for (const b of new Set(d.binding)) counts.set(b, (counts.get(b) ?? 0) + 1);
      const binds = [...counts]
        .map(([id, n]) => ({ id, probability: n / ds.length }))
        .sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
      const compared = ds.filter((d) => d.compareObjective !== undefined);
      return {
        level,
        draws: ds.length,
        objectiveUsd: quantiles(ds.map((d) => d.objective)),
        unmetTeu: quantiles(ds.map((d) => d.unmetTeu)),
        binds,
        ...(compared.length
          ? { valueUsd: quantiles(compared.map((d) => d.objective - (d.compareObjective ?? 0))) }
          : {}),
      };
    }),
    tornado: [],
  };
  ranges.forEach((r, i) => {
    const lo = all.find((o) => o.run === 'low' && o.range === i);
    const hi = all.find((o) => o.run === 'high' && o.range === i);
    if (!lo || !hi) return;
    summary.tornado.push({
      range: r.id,
      label: r.label,
      basis: r.basis,
      lowUsd: lo.objective,
      highUsd: hi.objective,
      swingUsd: Math.abs(hi.objective - lo.objective),
    });
  });
  summary.tornado.sort((a, b) => b.swingUsd - a.swingUsd || a.range.localeCompare(b.range));
  return summary;
}
