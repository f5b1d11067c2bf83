/**
 * Cross-record checks of the pricing files: references to links and locations, duplicate ids,
 * overlapping tariff periods, through-rate chains, FX coverage of every currency a tariff set
 * uses, container shorthands, and an emission factor for every link.
 */
import type { PricedDataset, TariffSet } from '../model/pricing-types.js';
import { editDistance } from '../model/text.js';
import { matchesLeg } from '../model/pricing-select.js';
import { formatPath, type IssueReport } from './issues.js';
import { nth } from '../model/invariant.js';

/** Same shape as checks.ts' RecordOrigin (not imported, to keep the two files free of a cycle). */
interface Origin {
  file: string;
  path: PropertyKey[];
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** The pricing records whose provenance references checks.ts walks. */
export function pricingRecords(ds: PricedDataset): object[] {
  const p = ds.pricing;
  if (!p) return [];
  return [...p.fx, ...p.containerTypes, p.emissions, ...p.tariffSets, ...p.indices];
}

function suggest(value: string, candidates: Iterable<string>): string {
  const close = [...candidates]
    .map((c) => ({ c, d: editDistance(value.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(value.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  return close.length ? ` (did you mean ${close.map((x) => x.c).join(', ')}?)` : '';
}

/**
 * `rawIds`: ids present in links.yaml / locations.yaml even where the record failed its schema,
 * so a broken link is reported once (by the schema) and not again by every tariff naming it.
 */
export function checkPricing(
  ds: PricedDataset,
  origins: Map<object, Origin>,
  report: IssueReport,
  rawIds: { links: Set<string>; locations: Set<string> } = { links: new Set(), locations: new Set() },
): void {
  const p = ds.pricing;
  if (!p) return;
  const at = (record: object, sub: PropertyKey[] = []) => {
    const o = origins.get(record);
    if (!o) return { file: '?', path: formatPath(sub) };
    const path = [...o.path, ...sub];
    return { file: o.file, line: o.lineOf(path), path: formatPath(path) };
  };
  const linkIds = new Map(ds.links.map((l) => [l.id, l]));
  const locationIds = new Set([...ds.locations.map((l) => l.id), ...rawIds.locations]);
  const knownLink = (id: string) => linkIds.has(id) || rawIds.links.has(id);

  // --- container types: unique codes and shorthands
  const names = new Map<string, string>();
  for (const c of p.containerTypes) {
    for (const [i, name] of [c.code, ...c.aliases].entries()) {
      const key = name.toUpperCase();
      const owner = names.get(key);
      if (owner !== undefined) {
        report.error({
          ...at(c, i === 0 ? ['code'] : ['aliases', i - 1]),
          id: c.code,
          code: 'duplicate-id',
          message: `container code or shorthand "${name}" is already used by ${owner}`,
        });
      } else names.set(key, c.code);
    }
    if (c.size === '20' && c.code[0] !== '2')
      report.warning({
        ...at(c, ['size']),
        id: c.code,
        code: 'size-mismatch',
        message: `ISO 6346 code ${c.code} does not start with 2 (20 ft), but size is 20`,
      });
    if (c.size === '40' && c.code[0] !== '4')
      report.warning({
        ...at(c, ['size']),
        id: c.code,
        code: 'size-mismatch',
        message: `ISO 6346 code ${c.code} does not start with 4 (40 ft), but size is 40`,
      });
    if (c.size === '45' && c.code[0] !== 'L')
      report.warning({
        ...at(c, ['size']),
        id: c.code,
        code: 'size-mismatch',
        message: `ISO 6346 code ${c.code} does not start with L (45 ft), but size is 45`,
      });
  }

  // --- FX: one snapshot per date and base
  const seenFx = new Set<string>();
  for (const s of p.fx) {
    const key = `${s.date}/${s.base}`;
    if (seenFx.has(key))
      report.error({
        ...at(s, ['date']),
        id: key,
        code: 'duplicate-id',
        message: `two FX snapshots for ${s.date} with base ${s.base}; merge them`,
      });
    seenFx.add(key);
  }
  const earliestFx = new Map<string, string>();
  for (const s of p.fx) {
    for (const cur of [s.base, ...Object.keys(s.rates)]) {
      const d = earliestFx.get(cur);
      if (d === undefined || s.date < d) earliestFx.set(cur, s.date);
    }
  }

  // --- tariff sets
  const setIds = new Set<string>();
  const sets = [...p.tariffSets].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  sets.forEach((set, i) => {
    if (setIds.has(set.id))
      report.error({
        ...at(set, ['id']),
        id: set.id,
        code: 'duplicate-id',
        message: `duplicate tariff set id \`${set.id}\``,
      });
    setIds.add(set.id);
    const next = sets[i + 1];
    if (next && (set.validTo === undefined || set.validTo >= next.validFrom)) {
      report.error({
        ...at(set, ['validTo']),
        id: set.id,
        code: 'overlapping-tariffs',
        message:
          `tariff set ${set.id} (${set.validFrom}–${set.validTo ?? 'open'}) overlaps ${next.id} from ` +
          `${next.validFrom}; a date must select one set`,
      });
    }
    checkSet(set);
  });

  function checkSet(set: TariffSet): void {
    // Charges inherited through `extends` are the parent's own objects: their references are checked
    // (and reported, at the parent's file and line) once, with the parent. Their currencies are still
    // checked here, against this set's first day.
    const parent = set.extends === undefined ? undefined : sets.find((s) => s.id === set.extends);
    const inherited = new Set<object>(
      parent ? [...parent.legCharges, ...parent.stopCharges, ...parent.throughRates] : [],
    );
    const chargeIds = new Set<string>();
    const currencies = new Map<string, PropertyKey[]>();
    const linkRefs = (list: string[] | undefined, sub: PropertyKey[]) =>
      (list ?? []).forEach((id, i) => {
        if (!knownLink(id))
          report.error({
            ...at(set, [...sub, i]),
            id: set.id,
            code: 'unknown-link',
            message: `link \`${id}\` is not a link of the dataset${suggest(id, linkIds.keys())}`,
          });
      });
    const locRefs = (list: string[] | undefined, sub: PropertyKey[]) =>
      (list ?? []).forEach((id, i) => {
        if (!locationIds.has(id))
          report.error({
            ...at(set, [...sub, i]),
            id: set.id,
            code: 'unknown-location',
            message: `location \`${id}\` is not a location of the dataset${suggest(id, locationIds)}`,
          });
      });
    const charge = (c: { id: string; currency: string }, sub: PropertyKey[]) => {
      if (chargeIds.has(c.id))
        report.error({
          ...at(set, [...sub, 'id']),
          id: c.id,
          code: 'duplicate-id',
          message: `duplicate charge id \`${c.id}\` in tariff set ${set.id}`,
        });
      chargeIds.add(c.id);
      if (!currencies.has(c.currency)) currencies.set(c.currency, [...sub, 'currency']);
    };
    set.legCharges.forEach((c, i) => {
      charge(c, ['legCharges', i]);
      if (!inherited.has(c)) linkRefs(c.on.links, ['legCharges', i, 'on', 'links']);
    });
    set.stopCharges.forEach((c, i) => {
      charge(c, ['stopCharges', i]);
      if (!inherited.has(c)) locRefs(c.at.locations, ['stopCharges', i, 'at', 'locations']);
    });
    // Direction of travel over each link of each chain: a link may be in one through-rate per direction.
    const inThroughRate = new Map<string, string>();
    set.throughRates.forEach((t, i) => {
      charge(t, ['throughRates', i]);
      const own = !inherited.has(t);
      if (own) linkRefs(t.links, ['throughRates', i, 'links']);
      const found = t.links.map((id) => linkIds.get(id));
      const chain = found.filter((l) => l !== undefined);
      if (chain.length !== found.length) return;
      const first = nth(chain, 0);
      const second = chain[1];
      let here =
        second && (second.from === first.to || second.to === first.to) ? first.from : second ? first.to : first.from;
      for (const [k, l] of chain.entries()) {
        const next = l.from === here ? l.to : l.from;
        for (const dir of t.bidirectional ? [`${here}>${next}`, `${next}>${here}`] : [`${here}>${next}`]) {
          const key = `${l.id}|${dir}`;
          const other = inThroughRate.get(key);
          if (other)
            report.error({
              ...at(set, ['throughRates', i, 'links', k]),
              id: t.id,
              code: 'overlapping-through-rates',
              message:
                `link ${l.id} (${dir}) is already covered by through-rate ${other}; a link has at most one ` +
                `through-rate per direction`,
            });
          inThroughRate.set(key, t.id);
        }
        here = next;
      }
      for (let k = 1; k < t.links.length; k++) {
        const a = linkIds.get(nth(t.links, k - 1));
        const b = linkIds.get(nth(t.links, k));
        if (own && a && b && ![a.from, a.to].some((x) => x === b.from || x === b.to)) {
          report.error({
            ...at(set, ['throughRates', i, 'links', k]),
            id: t.id,
            code: 'broken-chain',
            message:
              `through-rate ${t.id}: link ${b.id} does not touch the previous link ${a.id}; list the chain in ` +
              `travel order`,
          });
        }
      }
    });
    for (const [cur, sub] of currencies) {
      const first = earliestFx.get(cur);
      if (cur === 'USD') continue;
      if (first === undefined)
        report.error({
          ...at(set, sub),
          id: set.id,
          code: 'missing-fx',
          message: `currency ${cur} has no rate in fx.yaml`,
        });
      else if (first > set.validFrom)
        report.error({
          ...at(set, sub),
          id: set.id,
          code: 'missing-fx',
          message: `tariff set ${set.id} is valid from ${set.validFrom} but fx.yaml has ${cur} only from ${first}`,
        });
    }
  }

  // --- emission factors cover every link; hub locations exist
  for (const f of p.emissions.factors) {
    (f.on.links ?? []).forEach((id, i) => {
      if (!knownLink(id))
        report.error({
          ...at(p.emissions, ['factors', p.emissions.factors.indexOf(f), 'on', 'links', i]),
          id: f.id,
          code: 'unknown-link',
          message: `link \`${id}\` is not a link of the dataset${suggest(id, linkIds.keys())}`,
        });
    });
  }
  if (p.emissions.factors.length > 0) {
    for (const link of ds.links) {
      const ok = p.emissions.factors.some((f) => matchesLeg(f.on, link));
      if (!ok)
        report.error({
          ...at(p.emissions, ['factors']),
          id: link.id,
          code: 'missing-emission-factor',
          message:
            `no factor in emission-factors.yaml applies to ` +
            `link ${link.id} (${link.mode}` +
            `${link.traction ? `/${link.traction}` : ''})`,
        });
    }
  }
}
