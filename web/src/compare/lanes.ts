/**
 * Per-lane comparison of two scenarios: for each origin–destination lane, the fastest and the
 * cheapest option in A and in B, and how B differs. Pure (tested in node).
 */

/** The parts of a route result this comparison reads. */
export interface LaneRoutes {
  options: readonly {
    option: number;
    summary: string;
    corridors: readonly string[];
    legs: readonly { linkId: string; from: string; to: string; mode: string }[];
    totals: { durationH: number; costUsd: number; co2eKg: number };
  }[];
}

export type LaneOption = LaneRoutes['options'][number];

export interface LaneSide {
  fastest: LaneOption | null;
  cheapest: LaneOption | null;
  options: number;
}

export interface LaneComparison {
  a: LaneSide;
  b: LaneSide;
  /** B − A of the fastest options; null when either side has no route. */
  delta: { durationH: number; costUsd: number; co2eKg: number } | null;
  /** B − A of the cheapest options' cost. */
  cheapestDeltaUsd: number | null;
  /** B's fastest route uses other links than A's. */
  rerouted: boolean;
  /** 'new' = only B has a route, 'lost' = only A has one. */
  reach: 'both' | 'new' | 'lost' | 'none';
}

function side(r: LaneRoutes | null): LaneSide {
  const opts = r?.options ?? [];
  let fastest: LaneOption | null = null;
  let cheapest: LaneOption | null = null;
  for (const o of opts) {
    if (
      !fastest ||
      o.totals.durationH < fastest.totals.durationH ||
      (o.totals.durationH === fastest.totals.durationH && o.totals.costUsd < fastest.totals.costUsd)
    )
      fastest = o;
    if (
      !cheapest ||
      o.totals.costUsd < cheapest.totals.costUsd ||
      (o.totals.costUsd === cheapest.totals.costUsd && o.totals.durationH < cheapest.totals.durationH)
    )
      cheapest = o;
  }
  return { fastest, cheapest, options: opts.length };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export function compareLane(a: LaneRoutes | null, b: LaneRoutes | null): LaneComparison {
  const sa = side(a);
  const sb = side(b);
  const fa = sa.fastest;
  const fb = sb.fastest;
  const key = (o: LaneOption | null) => (o ? o.legs.map((l) => l.linkId).join('>') : '');
  return {
    a: sa,
    b: sb,
    delta:
      fa && fb
        ? {
            durationH: r1(fb.totals.durationH - fa.totals.durationH),
            costUsd: r1(fb.totals.costUsd - fa.totals.costUsd),
            co2eKg: r1(fb.totals.co2eKg - fa.totals.co2eKg),
          }
        : null,
    cheapestDeltaUsd: sa.cheapest && sb.cheapest ? r1(sb.cheapest.totals.costUsd - sa.cheapest.totals.costUsd) : null,
    rerouted: fa !== null && fb !== null && key(fa) !== key(fb),
    reach: fa && fb ? 'both' : fb ? 'new' : fa ? 'lost' : 'none',
  };
}

/**
 * Route-matrix job results (min duration, cost, CO2e per ordered pair) for A and B → the pairs
 * whose fastest duration changes most, largest change first.
 */
export interface MatrixCell {
  from: string;
  to: string;
  minDurationH: number | null;
  minCostUsd: number | null;
  minCo2eKg: number | null;
}

export interface MatrixChange {
  from: string;
  to: string;
  aDurationH: number | null;
  bDurationH: number | null;
  deltaH: number | null;
  deltaUsd: number | null;
}

/** Cells absent from a side are pairs with no route there. */
export function matrixChanges(a: readonly MatrixCell[], b: readonly MatrixCell[], limit = 15): MatrixChange[] {
  const ka = new Map(a.map((c) => [`${c.from}>${c.to}`, c]));
  const kb = new Map(b.map((c) => [`${c.from}>${c.to}`, c]));
  const out: MatrixChange[] = [];
  for (const k of new Set([...ka.keys(), ...kb.keys()])) {
    const ca = ka.get(k);
    const cb = kb.get(k);
    const ad = ca?.minDurationH ?? null;
    const bd = cb?.minDurationH ?? null;
    const au = ca?.minCostUsd ?? null;
    const bu = cb?.minCostUsd ?? null;
    if (ad === bd && au === bu) continue;
    const [from, to] = k.split('>') as [string, string];
    out.push({
      from,
      to,
      aDurationH: ad,
      bDurationH: bd,
      deltaH: ad !== null && bd !== null ? r1(bd - ad) : null,
      deltaUsd: au !== null && bu !== null ? r1(bu - au) : null,
    });
  }
  // Newly connected or disconnected pairs first, then by the size of the change in duration.
  const weight = (c: MatrixChange) => (c.deltaH === null ? Infinity : Math.abs(c.deltaH));
  return out
    .sort((x, y) => weight(y) - weight(x) || `${x.from}>${x.to}`.localeCompare(`${y.from}>${y.to}`))
    .slice(0, limit);
}
