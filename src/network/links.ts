/** Small facts about one link that the compiler, the map and the API share. */
import type { Link } from '../model/types.js';

/** On in the base network, or switched on by the scenario it lists. */
export function isLinkEnabled(link: Link, scenario: string | undefined): boolean {
  return link.status === 'operational' || (scenario !== undefined && link.scenarios.includes(scenario));
}

/** Running time: the stated duration, else distance over speed (the schema requires exactly one). */
export function linkDurationH(link: Link): number {
  if (link.durationH) return link.durationH.value;
  return link.distanceKm.value / (link.speedKmh?.value ?? Number.NaN);
}
