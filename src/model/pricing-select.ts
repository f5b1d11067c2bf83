/**
 * Which tariff charges and emission factors apply where. A selector matches when every criterion
 * it gives matches; among several matches of one category the most specific wins (named links
 * beat corridors, corridors beat countries, countries beat modes), ties going to the one listed
 * first. One rule for tariffs, emission factors and the validator, so they cannot disagree.
 */
import type { LegSelector, StopEvent, StopSelector } from './pricing-types.js';
import type { Link, Mode } from './types.js';
import { must } from './invariant.js';

/**
 * `fromLocation`: where the leg is entered. A selector with `from` matches only legs entered there;
 * without a direction (validators asking whether anything could match) it matches either way.
 */
export function matchesLeg(
  s: LegSelector & { minDistanceKm?: number; maxDistanceKm?: number },
  link: Link,
  fromLocation?: string,
): boolean {
  if (s.links && !s.links.includes(link.id)) return false;
  if (s.from && fromLocation !== undefined && !s.from.includes(fromLocation)) return false;
  if (s.modes && !s.modes.includes(link.mode)) return false;
  if (s.corridors && !s.corridors.includes(link.corridor)) return false;
  if (s.countries && !link.countries.every((c) => must(s.countries).includes(c))) return false;
  if (s.gauges && (link.gaugeMm === undefined || !s.gauges.includes(link.gaugeMm))) return false;
  if (s.tractions && (link.traction === undefined || !s.tractions.includes(link.traction))) return false;
  if (s.minDistanceKm !== undefined && link.distanceKm.value < s.minDistanceKm) return false;
  if (s.maxDistanceKm !== undefined && link.distanceKm.value > s.maxDistanceKm) return false;
  return true;
}

/** Higher is more specific. */
export function legSpecificity(s: LegSelector & { minDistanceKm?: number; maxDistanceKm?: number }): number {
  // A directed selector beats the same selector without direction.
  const directed = s.from ? 1 : 0;
  if (s.links) return 1000 + directed;
  return (
    directed +
    (s.corridors ? 100 : 0) +
    (s.countries ? 10 : 0) +
    (s.modes ? 1 : 0) +
    (s.gauges ? 1 : 0) +
    (s.tractions ? 1 : 0) +
    (s.minDistanceKm !== undefined || s.maxDistanceKm !== undefined ? 1 : 0)
  );
}

export interface StopContext {
  event: StopEvent;
  location: string;
  country: string;
  /** Modes on either side of the stop (one for origin/destination). */
  modes: readonly Mode[];
}

export function matchesStop(s: StopSelector, c: StopContext): boolean {
  if (!s.events.includes(c.event)) return false;
  if (s.locations && !s.locations.includes(c.location)) return false;
  if (s.countries && !s.countries.includes(c.country)) return false;
  if (s.modes && !c.modes.some((m) => must(s.modes).includes(m))) return false;
  return true;
}

export function stopSpecificity(s: StopSelector): number {
  return (s.locations ? 100 : 0) + (s.countries ? 10 : 0) + (s.modes ? 1 : 0);
}

/** The most specific item per key (e.g. per charge category), in first-listed order on ties. */
export function mostSpecificPer<T>(items: readonly T[], keyOf: (t: T) => string, specificity: (t: T) => number): T[] {
  const best = new Map<string, { item: T; score: number }>();
  for (const item of items) {
    const k = keyOf(item);
    const score = specificity(item);
    const cur = best.get(k);
    if (!cur || score > cur.score) best.set(k, { item, score });
  }
  return items.filter((i) => best.get(keyOf(i))?.item === i);
}
