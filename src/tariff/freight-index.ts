/**
 * Reading a dated freight-rate index for a quote date. The rule: a published assessment holds
 * until the next one, so a date between two points takes the earlier (the latest point on or
 * before it) — no interpolation, which would invent rates nobody quoted. Beyond the last point
 * the last one is held; before the first, the first is used. Both are said in the quote line so
 * a stale or early reading is never silent.
 */
import type { FreightIndex, IndexPoint } from '../model/pricing-types.js';
import type { Provenance } from '../model/types.js';
import { nth } from '../model/invariant.js';

export const INDEX_RULE =
  'the latest index point on or before the date; beyond the last point it is held, before the first the first is used';

export type IndexReading = {
  point: IndexPoint;
  /** Where the date falls: on/after a point inside the series, after the last, or before the first. */
  position: 'within' | 'after-last' | 'before-first';
};

export function readIndex(series: FreightIndex, date: string): IndexReading {
  const pts = series.points;
  const first = nth(pts, 0);
  if (date < first.date) return { point: first, position: 'before-first' };
  // Binary search for the last point with point.date <= date.
  let lo = 0;
  let hi = pts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nth(pts, mid).date <= date) lo = mid;
    else hi = mid - 1;
  }
  return { point: nth(pts, lo), position: lo === pts.length - 1 && nth(pts, lo).date < date ? 'after-last' : 'within' };
}

export function describeReading(series: FreightIndex, r: IndexReading): string {
  const at = `${series.title}, point of ${r.point.date}`;
  if (r.position === 'after-last') return `${at} (the last published point, held)`;
  if (r.position === 'before-first') return `${at} (the first published point; the date precedes the series)`;
  return at;
}

export function readingProvenance(series: FreightIndex, r: IndexReading): Provenance {
  return {
    source: r.point.source,
    ref: r.point.ref ?? `${series.title} ${r.point.date}: ${series.currency} ${r.point.value} per 40'`,
  };
}
