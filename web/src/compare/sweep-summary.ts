/** The "How sure?" sweep's summary read for people (pure: tested without a browser). */
import { usdShort } from '../format.ts';

export type Dist = { p10: number; p50: number; p90: number };
/** The part of `GET /api/v1/sweeps/{id}`'s summary the page reads. */
export interface SweepSummary {
  levels: {
    level: number;
    draws: number;
    objectiveUsd: Dist;
    unmetTeu: Dist;
    valueUsd?: Dist;
    binds: { id: string; probability: number }[];
  }[];
}

export interface SweepRow {
  id: string;
  name: string;
  probability: number;
}

/** The capacities that bind in any draw, most often first, named for people. */
export function bindingRows(summary: SweepSummary, name: (id: string) => string, max = 10): SweepRow[] {
  const level = summary.levels[0];
  if (!level) return [];
  return level.binds.slice(0, max).map((b) => ({ id: b.id, name: name(b.id), probability: b.probability }));
}

/** "USD 12.3 M … 15.0 M (P50 13.1 M)": a distribution in one phrase. */
export function spread(d: Dist): string {
  return `${usdShort(d.p10)} … ${usdShort(d.p90)} (P50 ${usdShort(d.p50)})`;
}
