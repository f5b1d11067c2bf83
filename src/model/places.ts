/**
 * Resolves what a user typed ("Xi'an", "xian", "CNXIA", "Constanța", "Aqtau") to a location.
 */
import { CorridorError } from './errors.js';
import { editDistance, normalizeName } from './text.js';
import type { Location } from './types.js';
import { nth } from './invariant.js';
import { getOrCreate } from './memo.js';

export interface PlaceMatch {
  location: Location;
  /** 0 exact id, 1 LOCODE, 2 name, 3 alias, 4 prefix of a name or alias, 5 fuzzy. */
  rank: number;
  /** The name or code that matched. */
  matched: string;
}

function keysOf(loc: Location): { key: string; rank: number; text: string }[] {
  const keys = [{ key: loc.id.toUpperCase(), rank: 0, text: loc.id }];
  if (loc.locode && !loc.locode.approximate) keys.push({ key: loc.locode.code, rank: 1, text: loc.locode.code });
  keys.push({ key: normalizeName(loc.name), rank: 2, text: loc.name });
  for (const a of loc.aliases) keys.push({ key: normalizeName(a), rank: 3, text: a });
  return keys;
}

/**
 * Every location matching `query`, best first: exact id, LOCODE, name, alias, then prefix and
 * fuzzy matches (edit distance ≤ 2, or ≤ a quarter of the length).
 */
export function searchPlaces(locations: readonly Location[], query: string, limit = 10): PlaceMatch[] {
  const q = query.trim();
  const upper = q.toUpperCase();
  const norm = normalizeName(q);
  const out: PlaceMatch[] = [];
  for (const loc of locations) {
    let best: PlaceMatch | undefined;
    const consider = (rank: number, matched: string) => {
      if (!best || rank < best.rank) best = { location: loc, rank, matched };
    };
    for (const k of keysOf(loc)) {
      if (k.rank <= 1 ? k.key === upper : k.key === norm) consider(k.rank, k.text);
      else if (norm.length >= 3 && k.rank >= 2 && k.key.startsWith(norm)) consider(4, k.text);
      else if (norm.length >= 3 && k.rank >= 2) {
        const d = editDistance(norm, k.key);
        if (d <= Math.max(2, Math.floor(norm.length / 4))) consider(5 + d / 100, k.text);
      }
    }
    if (best) out.push(best);
  }
  out.sort((a, b) => a.rank - b.rank || a.location.name.localeCompare(b.location.name));
  return out.slice(0, limit);
}

/** Closest names for a "did you mean" list, even when nothing matches well. */
export function closestPlaces(locations: readonly Location[], query: string, n = 3): Location[] {
  const norm = normalizeName(query);
  return locations
    .map((loc) => ({
      loc,
      d: Math.min(
        ...[loc.name, ...loc.aliases].map((s) => editDistance(norm, normalizeName(s))),
        editDistance(query.toUpperCase(), loc.id),
      ),
    }))
    .sort((a, b) => a.d - b.d || a.loc.name.localeCompare(b.loc.name))
    .slice(0, n)
    .map((x) => x.loc);
}

/**
 * Exact-match index over ids, LOCODEs, names and aliases, built once per location list so that
 * resolving a code or an exact name is a map lookup; fuzzy matching runs only on a miss.
 */
export class PlaceIndex {
  private readonly exact = new Map<string, { rank: number; locations: Location[] }>();

  constructor(readonly locations: readonly Location[]) {
    for (const loc of locations) {
      for (const k of keysOf(loc)) {
        const key = k.rank <= 1 ? `#${k.key}` : k.key;
        const entry = this.exact.get(key);
        if (!entry || k.rank < entry.rank) this.exact.set(key, { rank: k.rank, locations: [loc] });
        else if (k.rank === entry.rank && !entry.locations.includes(loc)) entry.locations.push(loc);
      }
    }
  }

  resolve(query: string, role = 'place'): Location {
    const byCode = this.exact.get(`#${query.trim().toUpperCase()}`);
    if (byCode && byCode.locations.length === 1) return nth(byCode.locations, 0);
    const byName = this.exact.get(normalizeName(query));
    if (byName && byName.locations.length === 1 && !byCode) return nth(byName.locations, 0);
    return resolveBySearch(this.locations, query, role);
  }
}

/** One index per location list: a plan resolves two places per request, over the same list. */
const indexes = new WeakMap<readonly Location[], PlaceIndex>();

/**
 * The one location `query` names. Throws a NotFoundError (with the closest names) when nothing
 * matches exactly, and an AmbiguousPlaceError when several equally good matches exist. Codes and
 * exact names are a lookup in the list's index; only the rest is searched.
 */
export function resolvePlace(locations: readonly Location[], query: string, role = 'place'): Location {
  return getOrCreate(indexes, locations, () => new PlaceIndex(locations)).resolve(query, role);
}

/** resolvePlace by a scan of every name: what the index falls back to when no key matches exactly. */
function resolveBySearch(locations: readonly Location[], query: string, role = 'place'): Location {
  const matches = searchPlaces(locations, query);
  const exact = matches.filter((m) => m.rank <= 3);
  const bestRank = exact[0]?.rank;
  const top = exact.filter((m) => m.rank === bestRank);
  if (top.length === 1) return nth(top, 0).location;
  if (top.length > 1) {
    throw new CorridorError(
      'ambiguous-place',
      `${role} "${query}" is ambiguous: ` +
        `${top.map((m) => `${m.location.name} (${m.location.id}, ${m.location.country})`).join(' or ')}; use ` +
        `the code`,
      { candidates: top.map((m) => m.location.id) },
    );
  }
  const close = matches.length > 0 ? matches.slice(0, 3).map((m) => m.location) : closestPlaces(locations, query);
  throw new CorridorError(
    'unknown-place',
    `unknown ${role} "${query}"; closest matches: ${close.map((l) => `${l.name} (${l.id})`).join(', ')}`,
    { candidates: close.map((l) => l.id) },
  );
}
