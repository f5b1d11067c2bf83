/**
 * The corridor network as GeoJSON (RFC 7946) for maps: one Point per location (with its transfers:
 * dwell, cost, capacity), one Point per sea passage, one LineString per link (with mode, status,
 * capacity, duration and whether the scenario switches it on). Every figure carries its
 * provenance, and `sources` lists the sources cited, so a tooltip can name them.
 *
 * Geometry is schematic: a link runs straight from its origin through the coordinates of its sea
 * passages (in the order the data lists them, which is the from → to direction) to its
 * destination. The data has no alignments.
 * @see https://www.rfc-editor.org/rfc/rfc7946
 */
import { isLinkEnabled, linkDurationH } from '../network/links.js';
import type {
  Coordinates,
  Dataset,
  Distribution,
  Link,
  Location,
  Passage,
  Quantity,
  Source,
  Transfer,
} from '../model/types.js';
import { must } from '../model/invariant.js';

/** A figure with where it comes from: a source id (and ref) or a labelled assumption. */
export interface Cited {
  field: string;
  /** Absent for coordinates (the geometry holds them). */
  value?: number | { min: number; typical: number; max: number };
  unit: string;
  source?: string;
  ref?: string;
  assumption?: string;
  basis?: string[];
}

type Position = [number, number];

function cite(field: string, unit: string, q: Quantity | Distribution | Coordinates): Cited {
  const c: Cited = { field, unit };
  if ('value' in q) c.value = q.value;
  else if ('typical' in q) c.value = { min: q.min, typical: q.typical, max: q.max };
  if (q.source !== undefined) {
    c.source = q.source;
    if (q.ref !== undefined) c.ref = q.ref;
  } else {
    c.assumption = q.assumption;
    if (q.basis?.length) c.basis = [...q.basis];
  }
  return c;
}

function sourceIds(cited: readonly Cited[]): string[] {
  const ids = new Set<string>();
  for (const c of cited) {
    if (c.source) ids.add(c.source);
    for (const b of c.basis ?? []) ids.add(b);
  }
  return [...ids].sort();
}

const pos = (c: { lat: number; lon: number }): Position => [round(c.lon, 5), round(c.lat, 5)];
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function transferJson(t: Transfer) {
  const cited = [cite('durationH', 'h', t.durationH), cite('costUsdPerTeu', 'USD/TEU', t.costUsdPerTeu)];
  if (t.capacityPerDay) cited.push(cite('capacityPerDay', `${t.capacityPerDay.unit}/day`, t.capacityPerDay));
  return {
    kind: t.kind,
    durationH: { min: t.durationH.min, typical: t.durationH.typical, max: t.durationH.max },
    costUsdPerTeu: t.costUsdPerTeu.value,
    capacityPerDay: t.capacityPerDay ? { value: t.capacityPerDay.value, unit: t.capacityPerDay.unit } : null,
    ...(t.notes ? { notes: t.notes } : {}),
    cited,
  };
}

function locationFeature(l: Location, transfers: readonly Transfer[]) {
  const ts = transfers.filter((t) => t.location === l.id).map(transferJson);
  const cited = [cite('coordinates', '°', l.coordinates)];
  return {
    type: 'Feature' as const,
    id: `location:${l.id}`,
    geometry: { type: 'Point' as const, coordinates: pos(l.coordinates) },
    properties: {
      featureType: 'location' as const,
      id: l.id,
      name: l.name,
      country: l.country,
      kinds: [...l.kinds],
      aliases: [...l.aliases],
      ...(l.locode ? { locode: l.locode.code } : {}),
      transfers: ts,
      ...(l.notes ? { notes: l.notes } : {}),
      cited,
      sources: sourceIds([...cited, ...ts.flatMap((t) => t.cited)]),
    },
  };
}

function passageFeature(p: Passage) {
  const cited = [
    cite('coordinates', '°', p.coordinates),
    ...(p.riskScore ? [cite('riskScore', 'score', p.riskScore)] : []),
  ];
  return {
    type: 'Feature' as const,
    id: `passage:${p.id}`,
    geometry: { type: 'Point' as const, coordinates: pos(p.coordinates) },
    properties: {
      featureType: 'passage' as const,
      id: p.id,
      name: p.name,
      countries: [...p.countries],
      riskScore: p.riskScore?.value ?? null,
      cited,
      sources: sourceIds(cited),
    },
  };
}

function linkFeature(
  l: Link,
  byId: Map<string, Location>,
  passages: Map<string, Passage>,
  scenario: string | undefined,
) {
  const from = must(byId.get(l.from));
  const to = must(byId.get(l.to));
  const via = l.passages.map((id) => passages.get(id)).filter((p): p is Passage => p !== undefined);
  const cited: Cited[] = [cite('distanceKm', 'km', l.distanceKm)];
  if (l.durationH) cited.push(cite('durationH', 'h', l.durationH));
  if (l.speedKmh) cited.push(cite('speedKmh', 'km/h', l.speedKmh));
  if (l.capacityPerYear) cited.push(cite('capacityPerYear', `${l.capacityPerYear.unit}/yr`, l.capacityPerYear));
  if (l.costUsdPerTeu) cited.push(cite('costUsdPerTeu', 'USD/TEU', l.costUsdPerTeu));
  if (l.riskScore) cited.push(cite('riskScore', 'score', l.riskScore));
  return {
    type: 'Feature' as const,
    id: `link:${l.id}`,
    geometry: {
      type: 'LineString' as const,
      coordinates: [pos(from.coordinates), ...via.map((p) => pos(p.coordinates)), pos(to.coordinates)],
    },
    properties: {
      featureType: 'link' as const,
      id: l.id,
      from: l.from,
      to: l.to,
      fromName: from.name,
      toName: to.name,
      mode: l.mode,
      ...(l.gaugeMm !== undefined ? { gaugeMm: l.gaugeMm } : {}),
      ...(l.traction !== undefined ? { traction: l.traction } : {}),
      status: l.status,
      enabled: isLinkEnabled(l, scenario),
      scenarios: [...l.scenarios],
      corridor: l.corridor,
      operator: l.operator,
      distanceKm: l.distanceKm.value,
      durationH: round(linkDurationH(l), 2),
      capacityPerYear: l.capacityPerYear ? { value: l.capacityPerYear.value, unit: l.capacityPerYear.unit } : null,
      countries: [...l.countries],
      passages: [...l.passages],
      bidirectional: l.bidirectional,
      cargoRestrictions: [...l.cargoRestrictions],
      ...(l.notes ? { notes: l.notes } : {}),
      cited,
      sources: sourceIds(cited),
    },
  };
}

function sourceJson(s: Source) {
  return { title: s.title, publisher: s.publisher, ...(s.url ? { url: s.url } : {}), date: s.date, grade: s.grade };
}

/** The whole network; `scenario` decides which non-operational links are `enabled`. */
export function networkGeoJson(ds: Dataset, scenario: string | undefined) {
  const byId = new Map(ds.locations.map((l) => [l.id, l]));
  const passages = new Map(ds.passages.map((p) => [p.id, p]));
  const features = [
    ...ds.links.filter((l) => byId.has(l.from) && byId.has(l.to)).map((l) => linkFeature(l, byId, passages, scenario)),
    ...ds.passages.map(passageFeature),
    ...ds.locations.map((l) => locationFeature(l, ds.transfers)),
  ];
  const cited = new Set(features.flatMap((f) => f.properties.sources));
  const sources = Object.fromEntries(ds.sources.filter((s) => cited.has(s.id)).map((s) => [s.id, sourceJson(s)]));
  const lons = ds.locations.map((l) => l.coordinates.lon);
  const lats = ds.locations.map((l) => l.coordinates.lat);
  return {
    type: 'FeatureCollection' as const,
    scenario: scenario ?? null,
    bbox: lons.length
      ? [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)].map((x) => round(x, 3))
      : [],
    features,
    sources,
  };
}
