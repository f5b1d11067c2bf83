/**
 * A world gazetteer in memory: every populated place of the GeoNames extract the data edge reads
 * (src/data/gazetteer.ts), indexed once for exact, prefix and similar-name search. No IO.
 *
 * ## Index
 * - **Names**: every place's name, ASCII name and (for larger places) its alternate names —
 *   transliterations and other languages' forms (Варшава, 北京, Tiflis) — folded by
 *   `normalizeName` (case, diacritics, punctuation). One sorted array of keys with the place of
 *   each: an exact lookup or a prefix is a binary search plus a scan of the equal run.
 * - **Trigrams** of the primary and ASCII names only (alternates would triple the index for little
 *   gain in suggestions): CSR postings per trigram, for "did you mean" by Dice similarity.
 *
 * Resolution never returns a place of another name: only an exact key (after folding) resolves;
 * prefixes and similar names are suggestions. Ties between places of one name go to population
 * ("Alexandria" is Alexandria, EG; the others are listed as alternatives).
 */
import { normalizeName } from '../model/text.js';

/** Columnar input, one entry per place; the loader fills it. */
export interface GazetteerColumns {
  geonameId: Uint32Array;
  name: readonly string[];
  /** The ASCII form of the name ('' when it equals the name). */
  asciiName: readonly string[];
  /** Per place: index into `countries` (ISO 3166-1 alpha-2). */
  country: Uint16Array;
  countries: readonly string[];
  lat: Float32Array;
  lon: Float32Array;
  population: Uint32Array;
  /** Alternate names of place i: `altNames[altStart[i] .. altStart[i+1]]`. */
  altStart: Uint32Array;
  altNames: readonly string[];
  /** 2 national capital, 1 first-order administrative seat, 0 other. */
  seat: Uint8Array;
}

export interface GazetteerPlace {
  /** `geonames:<id>`: cite as https://www.geonames.org/<id>. */
  id: string;
  geonameId: number;
  name: string;
  country: string;
  lat: number;
  lon: number;
  population: number;
}

export type MatchKind = 'name' | 'alternate' | 'prefix' | 'similar';

export interface GazetteerHit {
  place: GazetteerPlace;
  /** The form of the name that matched. */
  matched: string;
  kind: MatchKind;
  /** Higher is better: similarity weighted by size. */
  score: number;
}

const KIND_NAME = 0;
const KIND_ASCII = 1;
const KIND_ALT = 2;

/** Places whose every key is scanned at most this far for one prefix (a one-letter prefix matches thousands). */
const PREFIX_SCAN = 4000;

export class Gazetteer {
  readonly size: number;
  private readonly keys: string[];
  private readonly keyPlace: Int32Array;
  private readonly keyKind: Uint8Array;
  /** Trigram postings: trigram id → key ids of the primary/ASCII names (`trigramKeys` below). */
  private readonly trigramId = new Map<string, number>();
  private readonly postStart: Uint32Array;
  private readonly postings: Int32Array;
  private readonly nameKeyPlace: Int32Array;
  private readonly nameKeyTrigrams: Uint8Array;
  private readonly nameKeyText: string[];
  /** Reused per query: shared-trigram counts per name key, and the keys touched. */
  private readonly counts: Uint16Array;
  private readonly countryByName = new Map<string, string>();

  /** The columns without the alternate names: they live on only as index keys. */
  private readonly c: Omit<GazetteerColumns, 'altStart' | 'altNames'>;

  constructor(
    columns: GazetteerColumns,
    /** English country names by ISO code (qualifiers like "Batumi, Georgia"). */
    countryNames: ReadonlyMap<string, string> = new Map(),
  ) {
    const { altStart, altNames, ...kept } = columns;
    const c = columns;
    this.c = kept;
    const n = c.name.length;
    this.size = n;
    for (const [code, name] of countryNames) this.countryByName.set(normalizeName(name), code);

    // ---- name keys (exact and prefix)
    const keyList: string[] = [];
    const placeList: number[] = [];
    const kindList: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      seen.clear();
      const add = (text: string, kind: number) => {
        const k = normalizeName(text);
        if (k === '' || seen.has(k)) return;
        seen.add(k);
        keyList.push(k);
        placeList.push(i);
        kindList.push(kind);
      };
      add(c.name[i] as string, KIND_NAME);
      if (c.asciiName[i]) add(c.asciiName[i] as string, KIND_ASCII);
      for (let a = altStart[i] as number; a < (altStart[i + 1] as number); a++) add(altNames[a] as string, KIND_ALT);
    }
    const order = Int32Array.from(keyList, (_, i) => i).sort((a, b) => {
      const x = keyList[a] as string;
      const y = keyList[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    this.keys = Array.from(order, (o) => keyList[o] as string);
    this.keyPlace = Int32Array.from(order, (o) => placeList[o] as number);
    this.keyKind = Uint8Array.from(order, (o) => kindList[o] as number);

    // ---- trigram index over primary and ASCII names
    const nkPlace: number[] = [];
    const nkText: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = normalizeName(c.name[i] as string);
      nkPlace.push(i);
      nkText.push(a);
      const b = c.asciiName[i] ? normalizeName(c.asciiName[i] as string) : a;
      if (b !== a) {
        nkPlace.push(i);
        nkText.push(b);
      }
    }
    const K = nkText.length;
    this.nameKeyPlace = Int32Array.from(nkPlace);
    this.nameKeyText = nkText;
    this.nameKeyTrigrams = new Uint8Array(K);
    const perKey: number[][] = [];
    const countPer: number[] = [];
    for (let k = 0; k < K; k++) {
      const ids: number[] = [];
      for (const t of trigrams(nkText[k] as string)) {
        let id = this.trigramId.get(t);
        if (id === undefined) {
          id = countPer.length;
          this.trigramId.set(t, id);
          countPer.push(0);
        }
        if (!ids.includes(id)) {
          ids.push(id);
          countPer[id] = (countPer[id] as number) + 1;
        }
      }
      this.nameKeyTrigrams[k] = Math.min(255, ids.length);
      perKey.push(ids);
    }
    const T = countPer.length;
    this.postStart = new Uint32Array(T + 1);
    for (let t = 0; t < T; t++) this.postStart[t + 1] = (this.postStart[t] as number) + (countPer[t] as number);
    this.postings = new Int32Array(this.postStart[T] as number);
    const fill = this.postStart.slice(0, T);
    perKey.forEach((ids, k) => {
      for (const id of ids) this.postings[(fill[id] as number)++] = k;
    });
    this.counts = new Uint16Array(K);
  }

  place(i: number): GazetteerPlace {
    const c = this.c;
    return {
      id: `geonames:${c.geonameId[i]}`,
      geonameId: c.geonameId[i] as number,
      name: c.name[i] as string,
      country: c.countries[c.country[i] as number] as string,
      lat: Math.round((c.lat[i] as number) * 1e5) / 1e5,
      lon: Math.round((c.lon[i] as number) * 1e5) / 1e5,
      population: c.population[i] as number,
    };
  }

  /** The place with this GeoNames id (`geonames:123` or `123`), if the gazetteer has it. */
  byId(id: string): GazetteerPlace | undefined {
    const m = /^(?:geonames:)?(\d+)$/.exec(id.trim());
    if (!m) return undefined;
    const want = Number(m[1]);
    const ids = this.c.geonameId;
    for (let i = 0; i < ids.length; i++) if (ids[i] === want) return this.place(i);
    return undefined;
  }

  /** ISO code of a country qualifier: `FR`, `fr`, `France`, `Georgia`; undefined if none. */
  countryOf(qualifier: string): string | undefined {
    const q = qualifier.trim();
    if (/^[A-Za-z]{2}$/.test(q) && this.c.countries.includes(q.toUpperCase())) return q.toUpperCase();
    return this.countryByName.get(normalizeName(q));
  }

  /** Country names the qualifier parser knows, by code. */
  countryName(code: string): string | undefined {
    for (const [name, c] of this.countryByName) if (c === code) return name;
    return undefined;
  }

  private rank(i: number, kind: number): number {
    // Size decides between places of one name; a place's own name outweighs another's alternate
    // form by a factor of ten in population ("Milan" is Milano; "Paris" is not Paris, Texas).
    return (
      Math.log10((this.c.population[i] as number) + 10) + (kind === KIND_ALT ? 0 : 1) + (this.c.seat[i] as number) * 0.3
    );
  }

  /** Places whose folded name, ASCII name or alternate name equals the query's, best first. */
  exact(name: string, country?: string): GazetteerHit[] {
    const k = normalizeName(name);
    if (k === '') return [];
    const best = new Map<number, GazetteerHit>();
    for (let j = lowerBound(this.keys, k); j < this.keys.length && this.keys[j] === k; j++) {
      const i = this.keyPlace[j] as number;
      if (country !== undefined && this.c.countries[this.c.country[i] as number] !== country) continue;
      const kind = this.keyKind[j] as number;
      const score = this.rank(i, kind);
      const prev = best.get(i);
      if (!prev || prev.score < score)
        best.set(i, {
          place: this.place(i),
          matched: name.trim(),
          kind: kind === KIND_ALT ? 'alternate' : 'name',
          score,
        });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /**
   * Search for autocomplete and suggestions: exact names first, then names starting with the
   * query, then similar names (trigram Dice ≥ 0.35), each ranked by similarity and size.
   */
  search(query: string, opts: { limit?: number; country?: string } = {}): GazetteerHit[] {
    const limit = opts.limit ?? 10;
    const { name, country } = this.split(query, opts.country);
    const k = normalizeName(name);
    if (k === '') return [];
    const out = new Map<number, GazetteerHit>();
    const push = (h: GazetteerHit) => {
      const i = this.indexOf(h.place);
      const prev = out.get(i);
      if (!prev || prev.score < h.score) out.set(i, h);
    };
    for (const h of this.exact(name, country)) push({ ...h, score: h.score + 10 });
    // Prefix: the equal run is included; a longer name ranks below an exact one by the +10 above.
    let scanned = 0;
    for (let j = lowerBound(this.keys, k); j < this.keys.length && scanned < PREFIX_SCAN; j++, scanned++) {
      const key = this.keys[j] as string;
      if (!key.startsWith(k)) break;
      if (key === k) continue;
      const i = this.keyPlace[j] as number;
      if (country !== undefined && this.c.countries[this.c.country[i] as number] !== country) continue;
      const kind = this.keyKind[j] as number;
      push({ place: this.place(i), matched: this.formOf(i, key), kind: 'prefix', score: 5 + this.rank(i, kind) });
    }
    if (out.size < limit) for (const h of this.similar(k, limit * 3, country)) push(h);
    return [...out.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Similar names by trigram Dice coefficient, weighted by size; never exact or prefix matches' ranks. */
  similar(folded: string, limit: number, country?: string): GazetteerHit[] {
    const qt = [...new Set(trigrams(folded))];
    const touched: number[] = [];
    for (const t of qt) {
      const id = this.trigramId.get(t);
      if (id === undefined) continue;
      for (let p = this.postStart[id] as number; p < (this.postStart[id + 1] as number); p++) {
        const key = this.postings[p] as number;
        if (this.counts[key] === 0) touched.push(key);
        this.counts[key] = (this.counts[key] as number) + 1;
      }
    }
    const scored: { key: number; score: number; dice: number }[] = [];
    for (const key of touched) {
      const shared = this.counts[key] as number;
      this.counts[key] = 0;
      const dice = (2 * shared) / (qt.length + (this.nameKeyTrigrams[key] as number));
      if (dice < 0.35) continue;
      const i = this.nameKeyPlace[key] as number;
      if (country !== undefined && this.c.countries[this.c.country[i] as number] !== country) continue;
      scored.push({ key, dice, score: dice * 4 + 0.5 * Math.log10((this.c.population[i] as number) + 10) });
    }
    scored.sort((a, b) => b.score - a.score);
    const out: GazetteerHit[] = [];
    const used = new Set<number>();
    for (const s of scored) {
      const i = this.nameKeyPlace[s.key] as number;
      if (used.has(i)) continue;
      used.add(i);
      out.push({ place: this.place(i), matched: this.nameKeyText[s.key] as string, kind: 'similar', score: s.score });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** "Paris, FR" → name Paris, country FR; a qualifier that names no country stays part of the name. */
  split(query: string, country?: string): { name: string; country: string | undefined; qualifier?: string } {
    const comma = query.lastIndexOf(',');
    if (comma > 0) {
      const qualifier = query.slice(comma + 1).trim();
      const code = this.countryOf(qualifier);
      if (code !== undefined) return { name: query.slice(0, comma).trim(), country: code, qualifier };
      return { name: query.slice(0, comma).trim(), country: country ?? '??', qualifier };
    }
    return { name: query.trim(), country };
  }

  private formOf(i: number, key: string): string {
    const c = this.c;
    if (normalizeName(c.name[i] as string) === key) return c.name[i] as string;
    if (c.asciiName[i] && normalizeName(c.asciiName[i] as string) === key) return c.asciiName[i] as string;
    // An alternate form: the index keeps only its folded key, so show the place's own name.
    return c.name[i] as string;
  }

  private indexOf(p: GazetteerPlace): number {
    // Hits carry the place by value; the key of the map is the id, so the index is its lookup.
    return p.geonameId;
  }
}

/** Trigrams of a folded name with start and end marks ("^pa", "par", …, "is$"). */
export function trigrams(folded: string): string[] {
  const s = `^${folded}$`;
  const chars = [...s];
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push(chars.slice(i, i + 3).join(''));
  return out;
}

function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as string) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** "5.2 M", "498 k", "1,200": a population as a person reads it. */
export function formatPopulation(p: number): string {
  if (p >= 1e6) return `${(p / 1e6).toFixed(p >= 1e7 ? 0 : 1)} M`;
  if (p >= 1e4) return `${Math.round(p / 1e3)} k`;
  return p.toLocaleString('en-US');
}
