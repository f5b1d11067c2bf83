/**
 * Operator publications: what an operator has published through the API about its own records
 * (a service added, replaced or withdrawn; a tariff component; a link's yearly capacity), applied
 * as an overlay on the dataset of the files. Like a scenario, the overlay is pure (Dataset in,
 * Dataset out) and the result compiles like any dataset, so routes, plans, quotes and assignments
 * need no publication logic of their own. Unlike a scenario it is not optional: the server's
 * effective dataset is files + publications.
 *
 * Provenance: a publication carries `source` (free text or a URL: where the operator states the
 * figure) or `assumption`. In the effective dataset the operator appears as a source record
 * `published-by-<operator>` (grade P: the operator speaking about its own service), which
 * published numbers cite with the publication's text as `ref`; the numbers inside a published
 * service or tariff component cite it, or a source of sources.yaml, as the data files do.
 * Decision: docs/decisions/0014-operator-publications.md.
 */
import type { Dataset, Link, Service, Source, YearlyCapacity } from '../model/types.js';
import type { LegCharge, PricedDataset, StopCharge, TariffSet, ThroughRate } from '../model/pricing-types.js';
import { operatedBy, operatorIdsOf } from '../model/operators.js';
import { must } from '../model/invariant.js';

export const PUBLICATION_KINDS = ['service', 'tariff', 'link-capacity'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];
export const TARIFF_SECTIONS = ['legCharges', 'stopCharges', 'throughRates'] as const;
export type TariffSection = (typeof TARIFF_SECTIONS)[number];
export type TariffComponent = LegCharge | StopCharge | ThroughRate;

/** Where a published value comes from: exactly one of `source` (text or URL) and `assumption`. */
export interface PublicationProvenance {
  source?: string;
  ref?: string;
  assumption?: string;
  note?: string;
}

export type PublishedService = PublicationProvenance & ({ service: Service } | { withdrawn: true });
export type PublishedTariff = PublicationProvenance &
  ({ section: TariffSection; component: TariffComponent } | { withdrawn: true });
export type PublishedCapacity = PublicationProvenance & {
  capacityPerYear: { value: number; unit: YearlyCapacity['unit'] };
};

/** One current publication. `target`: a service id, `<tariff set>/<component id>`, or a link id. */
export type Publication = {
  operator: string;
  revision: number;
  publishedAt: string;
  publishedBy: string | null;
} & (
  | { kind: 'service'; target: string; body: PublishedService }
  | { kind: 'tariff'; target: string; body: PublishedTariff }
  | { kind: 'link-capacity'; target: string; body: PublishedCapacity }
);

/** What a job worker needs to see the server's world: the publications at a revision. */
export interface PublicationSnapshot {
  revision: number;
  publications: Publication[];
}

export const publishedSourceId = (operator: string) => `published-by-${operator}`;

/** The tariff set and component id of a tariff target `<set>/<id>`. */
export function splitTariffTarget(target: string): { tariffSet: string; id: string } {
  const i = target.indexOf('/');
  return { tariffSet: target.slice(0, i), id: target.slice(i + 1) };
}

/** The source record a publisher stands for in the effective dataset. */
function publisherSource(operator: string, pubs: readonly Publication[]): Source {
  const latest =
    pubs
      .map((p) => p.publishedAt)
      .sort()
      .at(-1) ?? ''; // ISO strings sort as dates
  return {
    id: publishedSourceId(operator),
    title: `Figures ${operator} published about its own services, tariffs and capacities through the Corridor API`,
    publisher: operator,
    date: latest.slice(0, 10),
    grade: 'P',
    via: 'operator publications (GET /api/v1/operators/{operator}/publications)',
  };
}

function capacityOf(p: Publication & { kind: 'link-capacity' }): YearlyCapacity {
  const { value, unit } = p.body.capacityPerYear;
  if (p.body.source !== undefined) {
    return {
      value,
      unit,
      source: publishedSourceId(p.operator),
      ref: p.body.ref ? `${p.body.source}; ${p.body.ref}` : p.body.source,
    };
  }
  return { value, unit, assumption: `${p.operator} (published): ${p.body.assumption ?? ''}` };
}

function withTariffs(sets: readonly TariffSet[], pubs: readonly (Publication & { kind: 'tariff' })[]): TariffSet[] {
  return sets.map((set) => {
    const mine = pubs.filter((p) => splitTariffTarget(p.target).tariffSet === set.id);
    if (mine.length === 0) return set;
    const next: TariffSet = {
      ...set,
      legCharges: [...set.legCharges],
      stopCharges: [...set.stopCharges],
      throughRates: [...set.throughRates],
    };
    for (const p of mine) {
      const { id } = splitTariffTarget(p.target);
      // A replacement keeps the component's place (charges apply in file order); a new one goes last.
      let placed = false;
      for (const section of TARIFF_SECTIONS) {
        const list = next[section] as TariffComponent[];
        const i = list.findIndex((c) => c.id === id);
        if (i < 0) continue;
        if ('withdrawn' in p.body) list.splice(i, 1);
        else if (p.body.section === section) {
          list[i] = p.body.component;
          placed = true;
        } else list.splice(i, 1);
      }
      if (!placed && !('withdrawn' in p.body)) (next[p.body.section] as TariffComponent[]).push(p.body.component);
    }
    return next;
  });
}

/**
 * The dataset with the publications applied. A capacity of a link that is no longer in the files
 * is skipped; the API validates every publication against the files when it is made.
 */
export function applyPublications<D extends Dataset & Pick<PricedDataset, 'pricing'>>(
  base: D,
  pubs: readonly Publication[],
): D {
  if (pubs.length === 0) return base;
  const capacities = new Map<string, YearlyCapacity>();
  const services = new Map<string, Publication & { kind: 'service' }>();
  const tariffs: (Publication & { kind: 'tariff' })[] = [];
  for (const p of pubs) {
    if (p.kind === 'link-capacity') capacities.set(p.target, capacityOf(p));
    else if (p.kind === 'service') services.set(p.target, p);
    else tariffs.push(p);
  }
  const links: Link[] = capacities.size
    ? base.links.map((l) => (capacities.has(l.id) ? { ...l, capacityPerYear: must(capacities.get(l.id)) } : l))
    : base.links;
  let outServices: Service[] | undefined = base.services;
  if (services.size) {
    const seen = new Set<string>();
    outServices = [];
    for (const s of base.services ?? []) {
      const p = services.get(s.id);
      seen.add(s.id);
      if (!p) outServices.push(s);
      else if ('service' in p.body) outServices.push(p.body.service);
    }
    for (const [id, p] of services) if (!seen.has(id) && 'service' in p.body) outServices.push(p.body.service);
  }
  const operators = [...new Set(pubs.map((p) => p.operator))].sort();
  const sources = [
    ...base.sources.filter((s) => !operators.some((o) => s.id === publishedSourceId(o))),
    ...operators.map((o) =>
      publisherSource(
        o,
        pubs.filter((p) => p.operator === o),
      ),
    ),
  ];
  const pricing =
    base.pricing && tariffs.length
      ? { ...base.pricing, tariffSets: withTariffs(base.pricing.tariffSets, tariffs) }
      : base.pricing;
  return {
    ...base,
    sources,
    links,
    ...(outServices ? { services: outServices } : {}),
    ...(pricing ? { pricing } : {}),
  };
}

/** A record the publication would touch, as the dataset has it now (undefined: it would be new). */
export function currentRecord(
  world: PricedDataset,
  kind: PublicationKind,
  target: string,
): { operator?: string | undefined } | undefined {
  if (kind === 'link-capacity') return world.links.find((l) => l.id === target);
  if (kind === 'service') return world.services?.find((s) => s.id === target);
  const { tariffSet, id } = splitTariffTarget(target);
  const set = world.pricing?.tariffSets.find((s) => s.id === tariffSet);
  if (!set) return undefined;
  for (const section of TARIFF_SECTIONS) {
    const c = (set[section] as TariffComponent[]).find((x) => x.id === id);
    if (c) return c;
  }
  return undefined;
}

const named = (text: string | undefined) =>
  `"${text ?? '(no operator)'}" (${operatorIdsOf(text).join(', ') || 'no operator id'})`;

/**
 * Why `operator` may not publish this, or undefined when it may: the record it replaces must be
 * its own, what it publishes must name it as operator, and a service may run only over links it
 * operates. `world` is the effective dataset before the publication.
 */
export function ownershipProblem(
  world: PricedDataset,
  operator: string,
  kind: PublicationKind,
  target: string,
  body: PublishedService | PublishedTariff | PublishedCapacity,
): string | undefined {
  const existing = currentRecord(world, kind, target);
  const what =
    kind === 'link-capacity'
      ? `link ${target}`
      : kind === 'service'
        ? `service ${target}`
        : `tariff component ${target}`;
  if (existing && !operatedBy(existing.operator, operator))
    return `${what} is operated by ${named(existing.operator)}, not ${operator}`;
  if (kind === 'service' && 'service' in body) {
    const s = (body as { service: Service }).service;
    if (!operatedBy(s.operator, operator))
      return `the service's operator ${named(s.operator)} does not name ${operator}`;
    const links = new Map(world.links.map((l) => [l.id, l]));
    for (const id of s.links) {
      const l = links.get(id);
      if (l && !operatedBy(l.operator, operator))
        return (
          `link ${id} of the service is operated by ${named(l.operator)}, not ${operator}; a service may run ` +
          `only over links its operator operates`
        );
    }
  }
  if (kind === 'tariff' && 'component' in body) {
    const c = (body as { component: TariffComponent }).component;
    if (!operatedBy(c.operator, operator))
      return `the component's operator ${named(c.operator)} does not name ${operator}`;
  }
  return undefined;
}
