/**
 * Operator ids. The data names operators in free text ("ADY / Georgian Railway", "UTLC ERA (KTZ,
 * RZD, BCh)", "Rail Cargo Group, DB Cargo, PKP Cargo and others"), so an operator key and the API
 * need a stable id derived from that text:
 *   1. parenthesised asides are dropped ("ADY (Azerbaijan Railways)" → "ADY");
 *   2. the text is split into operators at "/", ",", " and " and ", operated by";
 *   3. each part is slugged (diacritics folded, lower case, words joined by "-");
 *   4. parts that name no one ("others", "various", "not announced", …) are dropped.
 * A record names every operator of its text: a joint link "ADY / Georgian Railway" belongs to
 * both `ady` and `georgian-railway`. Slugging an id again gives the same id.
 * Decision: docs/decisions/0014-operator-publications.md.
 */
import type { PricedDataset } from './pricing-types.js';
import { getOrCreate } from './memo.js';
import { must } from './invariant.js';

/** Parts that are placeholders, not operators. */
const NOT_AN_OPERATOR = new Set([
  'others',
  'other',
  'various',
  'not-announced',
  'private-operators',
  'terminal-operators',
  'other-terminals',
  'unknown',
]);

export function operatorSlug(part: string): string {
  return part
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ə/g, 'e')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Ids by operator text: every plan names the operators of its legs (their routings), and the data
 * has a few hundred texts, so each is split and slugged once. Bounded, as published texts are new.
 */
const idsByText = new Map<string, readonly string[]>();
const IDS_BY_TEXT_MAX = 4096;

/** The operator ids a free-text operator field names (empty for placeholders and empty text). */
export function operatorIdsOf(text: string | undefined): string[] {
  if (!text) return [];
  let ids = idsByText.get(text);
  if (!ids) {
    if (idsByText.size >= IDS_BY_TEXT_MAX) idsByText.clear();
    ids = parseOperatorIds(text);
    idsByText.set(text, ids);
  }
  return [...ids];
}

function parseOperatorIds(text: string): string[] {
  let t = text;
  // Nested parentheses are not used in the data; drop innermost groups until none is left.
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/\([^()]*\)/g, ' ');
  }
  const ids = t
    .split(/\s*\/\s*|\s*,\s*|\s+and\s+/i)
    .map((p) => operatorSlug(p.replace(/^\s*operated by\s+/i, '')))
    .filter((id) => id !== '' && !NOT_AN_OPERATOR.has(id));
  return [...new Set(ids)];
}

/** Whether a record whose operator field is `text` belongs to `operatorId`. */
export const operatedBy = (text: string | undefined, operatorId: string): boolean =>
  operatorIdsOf(text).includes(operatorId);

export interface TariffComponentRef {
  tariffSet: string;
  section: 'legCharges' | 'stopCharges' | 'throughRates';
  id: string;
}

export interface OperatorEntry {
  id: string;
  /** The operator texts of the data this id appears in. */
  names: string[];
  links: string[];
  services: string[];
  tariffComponents: TariffComponentRef[];
}

/** Every operator the dataset names, with the records each one (co-)owns, sorted by id. */
export function operatorDirectory(ds: PricedDataset): OperatorEntry[] {
  const byId = new Map<
    string,
    { names: Set<string>; links: string[]; services: string[]; tariffComponents: TariffComponentRef[] }
  >();
  const entry = (id: string, name: string) => {
    const e = getOrCreate(byId, id, () => ({
      names: new Set<string>(),
      links: [],
      services: [],
      tariffComponents: [],
    }));
    e.names.add(name);
    return e;
  };
  for (const l of ds.links) for (const id of operatorIdsOf(l.operator)) entry(id, l.operator).links.push(l.id);
  for (const s of ds.services ?? [])
    for (const id of operatorIdsOf(s.operator)) entry(id, s.operator).services.push(s.id);
  for (const set of ds.pricing?.tariffSets ?? []) {
    for (const section of ['legCharges', 'stopCharges', 'throughRates'] as const) {
      for (const c of set[section]) {
        for (const id of operatorIdsOf(c.operator))
          entry(id, must(c.operator)).tariffComponents.push({ tariffSet: set.id, section, id: c.id });
      }
    }
  }
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, e]) => ({
      id,
      names: [...e.names].sort(),
      links: e.links,
      services: e.services,
      tariffComponents: e.tariffComponents,
    }));
}
