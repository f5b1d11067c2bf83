/**
 * Reading a dated freight-rate index for a quote date. The rule: on a point's date the point; between
 * two points the straight line between them (the retrieved points are weeks to months apart, and the
 * line predicts the points in between better than holding the earlier one: decision 0024, measured by
 * `corridor calibrate` with each observed point held out); beyond the last point the last one is
 * held; before the first, the first is used. The quote line names the point(s) read, so an
 * interpolated, stale or early reading is never silent.
 */
import type { FreightIndex, IndexPoint } from '../model/pricing-types.js';
import type { Provenance } from '../model/types.js';
import { nth } from '../model/invariant.js';

export const INDEX_RULE =
  'on a point’s date that point; between two points linear in the date; beyond the last point it is held, ' +
  'before the first the first is used';

export type IndexReading = {
  /** The point on or before the date (the first point when the date precedes the series). */
  point: IndexPoint;
  /** The point after the date, when the value is interpolated between `point` and it. */
  next?: IndexPoint;
  /** The amount read at the date. */
  value: number;
  /** On a point, between two, after the last, or before the first. */
  position: 'within' | 'between' | 'after-last' | 'before-first';
};

const dayOf = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

export function readIndex(series: FreightIndex, date: string): IndexReading {
  const pts = series.points;
  const first = nth(pts, 0);
  if (date < first.date) return { point: first, value: first.value, position: 'before-first' };
  // Binary search for the last point with point.date <= date.
  let lo = 0;
  let hi = pts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nth(pts, mid).date <= date) lo = mid;
    else hi = mid - 1;
  }
  const point = nth(pts, lo);
  if (point.date === date) return { point, value: point.value, position: 'within' };
  if (lo === pts.length - 1) return { point, value: point.value, position: 'after-last' };
  const next = nth(pts, lo + 1);
  const t = (dayOf(date) - dayOf(point.date)) / (dayOf(next.date) - dayOf(point.date));
  const value = Math.round((point.value + t * (next.value - point.value)) * 100) / 100;
  return { point, next, value, position: 'between' };
}

export function describeReading(series: FreightIndex, r: IndexReading): string {
  if (r.position === 'between' && r.next)
    return (
      `${series.title}, between the points of ${r.point.date} (${r.point.value}) ` +
      `and ${r.next.date} (${r.next.value})`
    );
  const at = `${series.title}, point of ${r.point.date}`;
  if (r.position === 'after-last') return `${at} (the last published point, held)`;
  if (r.position === 'before-first') return `${at} (the first published point; the date precedes the series)`;
  return at;
}

export function readingProvenance(series: FreightIndex, r: IndexReading): Provenance {
  const ref = r.point.ref ?? `${series.title} ${r.point.date}: ${series.currency} ${r.point.value} per 40'`;
  if (r.position === 'between' && r.next)
    return {
      source: r.point.source,
      ref: `${ref}; interpolated to the point of ${r.next.date} (${r.next.value}, source ${r.next.source})`,
    };
  return { source: r.point.source, ref };
}
