/**
 * The error rule and its summaries. An observation's error is 0 when the model's figure lies
 * inside the published range, else the distance to the nearest end divided by the range's
 * midpoint; a case the model cannot answer counts as 1 (100%), never as skipped, so adding an
 * observation the model cannot reach makes the figures worse, as it should.
 */
import type { ObservationKind } from '../model/observations.js';

export interface ErrorOf {
  /** ≥ 0; 1 for an unanswered case. */
  error: number;
  /** Signed: > 0 the model is above the range (too slow, too dear), < 0 below, 0 inside or unanswered. */
  signed: number;
  inside: boolean;
}

/** The error of `value` against the published range [min, max]; `null` value = unanswered. */
export function observationError(value: number | null, min: number, max: number): ErrorOf {
  if (value === null || !Number.isFinite(value)) return { error: 1, signed: 0, inside: false };
  // A relative hair of tolerance: a fitted figure that lands on an end by arithmetic is inside.
  const eps = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
  if (value >= min - eps && value <= max + eps) return { error: 0, signed: 0, inside: true };
  const mid = (min + max) / 2;
  const d = value < min ? min - value : value - max;
  // A zero midpoint (a published 0) leaves only absolute distance: any miss is a full miss.
  const error = mid > 0 ? d / mid : 1;
  return { error, signed: value < min ? -error : error, inside: false };
}

/** Nearest-rank percentile of values (p in 0..1); 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** Median as the mean of the middle two for an even count (nearest-rank would jump). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export interface ErrorSummary {
  count: number;
  answered: number;
  medianError: number;
  p90Error: number;
  /** Share of observations inside their published range. */
  insideShare: number;
  /** How many land above / below their range, and the median signed error of the misses. */
  bias: { above: number; below: number; medianSignedMiss: number };
}

export interface Scored {
  kind: ObservationKind;
  family: string | null;
  /** Finer group of a price (mode, what it includes, direction), when the figure is a price. */
  segment?: string | undefined;
  answered: boolean;
  error: number;
  signed: number;
  inside: boolean;
}

export function summarise(items: readonly Scored[]): ErrorSummary {
  const errors = items.map((i) => i.error);
  const misses = items.filter((i) => i.answered && !i.inside).map((i) => i.signed);
  return {
    count: items.length,
    answered: items.filter((i) => i.answered).length,
    medianError: round4(median(errors)),
    p90Error: round4(percentile(errors, 0.9)),
    insideShare: items.length ? round4(items.filter((i) => i.inside).length / items.length) : 0,
    bias: {
      above: misses.filter((s) => s > 0).length,
      below: misses.filter((s) => s < 0).length,
      medianSignedMiss: round4(median(misses)),
    },
  };
}

/** Summaries overall, per kind, per route family (no family: `(none)`) and per price segment. */
export function summariseAll(items: readonly Scored[]): {
  overall: ErrorSummary;
  byKind: Record<string, ErrorSummary>;
  byFamily: Record<string, ErrorSummary>;
  bySegment: Record<string, ErrorSummary>;
} {
  const group = (key: (i: Scored) => string | undefined) => {
    const m = new Map<string, Scored[]>();
    for (const i of items) {
      const k = key(i);
      if (k === undefined) continue;
      const list = m.get(k);
      if (list) list.push(i);
      else m.set(k, [i]);
    }
    return Object.fromEntries(
      [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarise(v)]),
    );
  };
  return {
    overall: summarise(items),
    byKind: group((i) => i.kind),
    byFamily: group((i) => i.family ?? '(none)'),
    bySegment: group((i) => i.segment),
  };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
