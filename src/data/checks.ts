/**
 * Cross-record checks: references, units and plausibility, gauge and mode consistency,
 * connectivity and provenance references. Each finding names the file, line and id.
 */
import type { Dataset, Link, Location, Mode, Quantity } from '../model/types.js';
import { greatCircleKm } from '../model/geo.js';
import { editDistance, normalizeName } from '../model/text.js';
import { formatPath, type IssueReport } from './issues.js';
import { checkServices } from './checks-services.js';
import { pricingRecords } from './checks-pricing.js';
import { must } from '../model/invariant.js';

export interface RecordOrigin {
  file: string;
  path: PropertyKey[];
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Average speed bounds (km/h) for a link, stops included; outside them a figure is probably wrong. */
export const SPEED_BOUNDS_KMH: Record<Mode, { min: number; max: number }> = {
  rail: { min: 5, max: 120 },
  road: { min: 10, max: 90 },
  sea: { min: 10, max: 50 },
  ferry: { min: 5, max: 45 },
};

/** A surface route shorter than this share of the great-circle distance is impossible. */
const MIN_GC_RATIO = 0.95;
/** Longer than this multiple of the great-circle distance is suspicious on land. */
const MAX_LAND_GC_RATIO = 3;
const MAX_SEA_GC_RATIO = 4;

export function checkDataset(
  ds: Dataset,
  origins: Map<object, RecordOrigin>,
  report: IssueReport,
  raw: { linkIdsInFile?: ReadonlySet<string> } = {},
): void {
  const at = (record: object, sub: PropertyKey[] = []) => {
    const o = origins.get(record);
    if (!o) return { file: '?', path: formatPath(sub) };
    const path = [...o.path, ...sub];
    return { file: o.file, line: o.lineOf(path), path: formatPath(path) };
  };

  // --- unique ids
  const uniq = <T extends object>(items: T[], idOf: (t: T) => string, what: string, sub: string) => {
    const seen = new Map<string, T>();
    for (const item of items) {
      const id = idOf(item);
      const first = seen.get(id);
      if (first) {
        const f = at(first);
        report.error({
          ...at(item, [sub]),
          id,
          code: 'duplicate-id',
          message: `duplicate ${what} id \`${id}\` (first defined at ${f.file}:${f.line ?? '?'})`,
        });
      } else seen.set(id, item);
    }
    return seen;
  };
  const sources = uniq(ds.sources, (s) => s.id, 'source', 'id');
  const locations = uniq(ds.locations, (l) => l.id, 'location', 'id');
  uniq(ds.links, (l) => l.id, 'link', 'id');
  const passages = uniq(ds.passages, (p) => p.id, 'passage', 'id');
  const scenarios = uniq(ds.scenarios, (s) => s.name, 'scenario', 'name');
  const corridors = uniq(ds.corridors, (c) => c.id, 'corridor', 'id');
  const usedCorridors = new Set<string>();
  const usedSources = new Set<string>();

  // --- provenance references (every object with a `source` or `basis` anywhere in a record)
  const checkRefs = (record: object) => {
    const walk = (node: unknown, sub: PropertyKey[]) => {
      if (Array.isArray(node)) for (const [i, v] of node.entries()) walk(v, [...sub, i]);
      else if (node !== null && typeof node === 'object') {
        const q = node as Partial<Quantity> & { basis?: string[] };
        if (typeof q.source === 'string') {
          usedSources.add(q.source);
          if (!sources.has(q.source)) {
            report.error({
              ...at(record, [...sub, 'source']),
              id: idOf(record),
              code: 'unknown-source',
              message: `source \`${q.source}\` is not a source of the dataset${suggest(q.source, sources.keys())}`,
            });
          }
        }
        for (const [i, b] of (q.basis ?? []).entries()) {
          usedSources.add(b);
          if (!sources.has(b))
            report.error({
              ...at(record, [...sub, 'basis', i]),
              id: idOf(record),
              code: 'unknown-source',
              message: `basis source \`${b}\` is not a source of the dataset${suggest(b, sources.keys())}`,
            });
        }
        for (const [k, v] of Object.entries(node)) if (k !== 'basis') walk(v, [...sub, k]);
      }
    };
    walk(record, []);
  };
  for (const r of [
    ...ds.locations,
    ...ds.links,
    ...ds.transfers,
    ...ds.passages,
    ...(ds.services ?? []),
    ...(ds.seasons ?? []),
    ...ds.scenarios,
    ...(ds.demand ?? []),
  ])
    checkRefs(r);
  checkRefs(ds.rates);
  for (const r of pricingRecords(ds)) checkRefs(r);
  if (ds.commodities) checkRefs(ds.commodities);
  if (ds.road) checkRefs(ds.road);

  // --- locations
  const aliasOwner = new Map<string, Location>();
  for (const loc of ds.locations) {
    if (loc.id.slice(0, 2) !== loc.country) {
      report.error({
        ...at(loc, ['country']),
        id: loc.id,
        code: 'country-mismatch',
        message:
          `id ${loc.id} starts with ${loc.id.slice(0, 2)} but country is ${loc.country}; a UN/LOCODE or ` +
          `project code starts with the location's ISO country`,
      });
    }
    if (loc.locode && loc.locode.code.slice(0, 2) !== loc.country) {
      report.warning({
        ...at(loc, ['locode', 'code']),
        id: loc.id,
        code: 'locode-country',
        message: `locode ${loc.locode.code} is not in ${loc.country}`,
      });
    }
    for (const name of new Set([loc.name, ...loc.aliases].map(normalizeName))) {
      const other = aliasOwner.get(name);
      if (other && other.id !== loc.id && other.country === loc.country) {
        report.warning({
          ...at(loc, ['aliases']),
          id: loc.id,
          code: 'ambiguous-name',
          message:
            `name or alias "${name}" also names ${other.id} in the same country; ` +
            `lookups by this name will be ambiguous`,
        });
      } else aliasOwner.set(name, loc);
    }
  }

  // --- links
  const linksAt = new Map<string, Link[]>();
  for (const link of ds.links) {
    const from = locations.get(link.from);
    const to = locations.get(link.to);
    for (const [end, loc, key] of [
      [link.from, from, 'from'],
      [link.to, to, 'to'],
    ] as const) {
      if (!loc)
        report.error({
          ...at(link, [key]),
          id: link.id,
          code: 'unknown-location',
          message: `${key} \`${end}\` is not a location of the dataset${suggest(end, locations.keys())}`,
        });
      else {
        const list = linksAt.get(loc.id) ?? [];
        list.push(link);
        linksAt.set(loc.id, list);
        if (!link.countries.includes(loc.country)) {
          report.error({
            ...at(link, ['countries']),
            id: link.id,
            code: 'countries-incomplete',
            message:
              `countries [${link.countries.join(', ')}] must include ` +
              `${loc.country}, the country of ${key} ${loc.id}`,
          });
        }
      }
    }
    link.passages.forEach((p, i) => {
      if (!passages.has(p))
        report.error({
          ...at(link, ['passages', i]),
          id: link.id,
          code: 'unknown-passage',
          message: `passage \`${p}\` is not in passages.yaml${suggest(p, passages.keys())}`,
        });
    });
    usedCorridors.add(link.corridor);
    if (!corridors.has(link.corridor)) {
      report.error({
        ...at(link, ['corridor']),
        id: link.id,
        code: 'unknown-corridor',
        message: `corridor \`${link.corridor}\` is not in corridors.yaml${suggest(link.corridor, corridors.keys())}`,
      });
    }
    link.scenarios.forEach((s, i) => {
      if (!scenarios.has(s))
        report.error({
          ...at(link, ['scenarios', i]),
          id: link.id,
          code: 'unknown-scenario',
          message: `scenario \`${s}\` has no file scenarios/${s}.yaml${suggest(s, scenarios.keys())}`,
        });
    });
    if (link.status !== 'operational' && link.scenarios.length === 0) {
      report.warning({
        ...at(link, ['status']),
        id: link.id,
        code: 'never-enabled',
        message: `status ${link.status} and no \`scenarios\`: no scenario can switch this link on`,
      });
    }
    if (link.status === 'operational' && link.scenarios.length > 0) {
      report.warning({
        ...at(link, ['scenarios']),
        id: link.id,
        code: 'scenario-without-effect',
        message: 'an operational link is always on; `scenarios` has no effect',
      });
    }
    const distanceKm = link.distanceKm.value;
    const durationH = link.durationH?.value ?? distanceKm / (link.speedKmh?.value ?? NaN);
    const speed = distanceKm / durationH;
    const b = SPEED_BOUNDS_KMH[link.mode];
    if (Number.isFinite(speed) && (speed < b.min || speed > b.max)) {
      report.error({
        ...at(link, [link.durationH ? 'durationH' : 'speedKmh', 'value']),
        id: link.id,
        code: 'implausible-speed',
        message:
          `average ${link.mode} speed ${speed.toFixed(1)} km/h (${distanceKm} km in ${durationH.toFixed(1)} h) ` +
          `is outside ${b.min}–${b.max} km/h`,
      });
    }
    if (from && to) {
      const gc = greatCircleKm(from.coordinates.lat, from.coordinates.lon, to.coordinates.lat, to.coordinates.lon);
      if (distanceKm < gc * MIN_GC_RATIO) {
        report.error({
          ...at(link, ['distanceKm', 'value']),
          id: link.id,
          code: 'shorter-than-great-circle',
          message:
            `${distanceKm} km is shorter than the great-circle distance ${gc.toFixed(0)} km between ${from.id} ` +
            `and ${to.id}; check the distance or the coordinates`,
        });
      }
      const maxRatio = link.mode === 'sea' ? MAX_SEA_GC_RATIO : MAX_LAND_GC_RATIO;
      if (gc > 20 && distanceKm > gc * maxRatio) {
        report.warning({
          ...at(link, ['distanceKm', 'value']),
          id: link.id,
          code: 'long-detour',
          message: `${distanceKm} km is over ${maxRatio}× the great-circle distance ${gc.toFixed(0)} km`,
        });
      }
    }
  }

  // --- rates cover every mode and traction in use
  const modesUsed = new Set(ds.links.map((l) => l.mode));
  for (const mode of modesUsed) {
    if (!ds.rates.modes.some((r) => r.mode === mode))
      report.error({
        ...at(ds.rates, ['modes']),
        code: 'missing-rate',
        message: `no cost rate for mode ${mode} (add {mode: ${mode}, costUsdPerTeuKm: …})`,
      });
  }
  for (const link of ds.links) {
    const ok = ds.rates.emissionFactors.some(
      (f) => f.mode === link.mode && (f.traction === undefined || f.traction === link.traction),
    );
    if (!ok)
      report.error({
        ...at(link, ['mode']),
        id: link.id,
        code: 'missing-emission-factor',
        message: `no emission factor for ${link.mode}${link.traction ? `/${link.traction}` : ''} in rates.yaml`,
      });
  }

  // --- transfers
  const transferKey = new Set<string>();
  for (const t of ds.transfers) {
    const loc = locations.get(t.location);
    if (!loc) {
      report.error({
        ...at(t, ['location']),
        id: t.location,
        code: 'unknown-location',
        message: `location \`${t.location}\` is not a location of the dataset${suggest(t.location, locations.keys())}`,
      });
      continue;
    }
    const key = `${t.location}/${t.kind}`;
    if (transferKey.has(key))
      report.error({
        ...at(t, ['kind']),
        id: t.location,
        code: 'duplicate-transfer',
        message: `a second ${t.kind} transfer at ${t.location}; merge them into one`,
      });
    transferKey.add(key);
    const here = linksAt.get(t.location) ?? [];
    if (t.kind === 'gauge-change') {
      if (!loc.kinds.includes('gauge-change'))
        report.warning({
          ...at(t, ['kind']),
          id: t.location,
          code: 'kind-mismatch',
          message: `gauge-change transfer at ${t.location}, whose kinds [${loc.kinds.join(', ')}] lack gauge-change`,
        });
      const gauges = new Set(here.filter((l) => l.mode === 'rail').map((l) => l.gaugeMm));
      if (gauges.size < 2)
        report.warning({
          ...at(t, ['kind']),
          id: t.location,
          code: 'useless-gauge-change',
          message:
            `gauge-change transfer at ${t.location}, but its rail links are all ` +
            `${[...gauges].join('/') || 'absent'} mm`,
        });
    }
    if (t.kind === 'border' && !loc.kinds.includes('border-crossing')) {
      report.warning({
        ...at(t, ['kind']),
        id: t.location,
        code: 'kind-mismatch',
        message: `border transfer at ${t.location}, whose kinds [${loc.kinds.join(', ')}] lack border-crossing`,
      });
    }
    if (t.kind === 'handling' && new Set(here.map((l) => l.mode)).size < 2) {
      report.warning({
        ...at(t, ['kind']),
        id: t.location,
        code: 'useless-handling',
        message:
          `handling transfer at ${t.location}, but only ` +
          `${[...new Set(here.map((l) => l.mode))].join('/') || 'no'} links meet there`,
      });
    }
  }
  for (const loc of ds.locations) {
    const here = linksAt.get(loc.id) ?? [];
    const gauges = new Set(here.filter((l) => l.mode === 'rail').map((l) => l.gaugeMm));
    if (gauges.size > 1 && !transferKey.has(`${loc.id}/gauge-change`)) {
      report.warning({
        ...at(loc, ['id']),
        id: loc.id,
        code: 'gauge-break',
        message:
          `1435 mm and 1520 mm rail links meet at ${loc.id} but it has no gauge-change transfer, so trains ` +
          `cannot pass`,
      });
    }
    if (new Set(here.map((l) => l.mode)).size > 1 && !transferKey.has(`${loc.id}/handling`)) {
      report.warning({
        ...at(loc, ['id']),
        id: loc.id,
        code: 'no-handling',
        message:
          `${[...new Set(here.map((l) => l.mode))].join(' and ')} links meet at ${loc.id} but it has no ` +
          `handling transfer, so cargo cannot change mode there`,
      });
    }
    if (here.length === 0)
      report.warning({ ...at(loc, ['id']), id: loc.id, code: 'isolated', message: `no link touches ${loc.id}` });
  }

  // --- connectivity of the base (operational) network
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = must(parent.get(r));
    parent.set(x, r);
    return r;
  };
  for (const loc of ds.locations) parent.set(loc.id, loc.id);
  for (const l of ds.links) {
    if (l.status === 'operational' && parent.has(l.from) && parent.has(l.to)) parent.set(find(l.from), find(l.to));
  }
  const sizes = new Map<string, number>();
  for (const loc of ds.locations) sizes.set(find(loc.id), (sizes.get(find(loc.id)) ?? 0) + 1);
  const main = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  for (const loc of ds.locations) {
    if (main !== undefined && find(loc.id) !== main && (linksAt.get(loc.id)?.length ?? 0) > 0) {
      const viaScenario = (linksAt.get(loc.id) ?? []).some((l) => l.status !== 'operational');
      if (!viaScenario)
        report.warning({
          ...at(loc, ['id']),
          id: loc.id,
          code: 'disconnected',
          message: `${loc.id} is not connected to the main network by operational links`,
        });
    }
  }

  for (const c of ds.corridors) {
    if (!usedCorridors.has(c.id))
      report.warning({
        ...at(c, ['id']),
        id: c.id,
        code: 'unused-corridor',
        message: `corridor \`${c.id}\` is used by no link`,
      });
  }
  checkServices(ds, at, report, raw.linkIdsInFile);

  // --- sources that nothing cites
  for (const s of ds.sources) {
    if (!usedSources.has(s.id))
      report.warning({
        ...at(s, ['id']),
        id: s.id,
        code: 'unused-source',
        message: `source \`${s.id}\` is cited by no figure`,
      });
  }
}

function idOf(record: object): string | undefined {
  const r = record as { id?: unknown; location?: unknown; name?: unknown };
  if (typeof r.id === 'string') return r.id;
  if (typeof r.name === 'string') return r.name;
  if (typeof r.location === 'string') return r.location;
  return undefined;
}

function suggest(value: string, candidates: Iterable<string>): string {
  const scored = [...candidates]
    .map((c) => ({ c, d: editDistance(value.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(value.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  return scored.length ? ` (did you mean ${scored.map((x) => x.c).join(', ')}?)` : '';
}
