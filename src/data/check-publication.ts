/**
 * Cross-record checks of a publication: the same checks `corridor validate` runs on the files
 * (checks.ts, checks-services.ts, checks-pricing.ts), run on the effective dataset with the
 * publication applied, keeping only the errors that concern the published record. So a published
 * service is refused for exactly what would make it an error in services.yaml (unknown or
 * non-consecutive links, a class change, an empty calendar, an unknown source, …).
 */
import type { PricedDataset } from '../model/pricing-types.js';
import {
  applyPublications,
  currentRecord,
  ownershipProblem,
  splitTariffTarget,
  TARIFF_SECTIONS,
  type Publication,
  type PublicationKind,
  type TariffComponent,
} from '../scenario/publications.js';
import { checkDataset, type RecordOrigin } from './checks.js';
import { checkPricing } from './checks-pricing.js';
import { IssueReport, type DataIssue } from './issues.js';
import { nth, must } from '../model/invariant.js';

const PUBLISHED = 'publication';

/** The record of the effective dataset the publication put there, and the path prefix its issues carry. */
function locate(
  world: PricedDataset,
  kind: PublicationKind,
  target: string,
): { record: object; prefix: string } | undefined {
  if (kind === 'link-capacity') {
    const l = world.links.find((x) => x.id === target);
    return l && { record: l, prefix: '' };
  }
  if (kind === 'service') {
    const s = world.services?.find((x) => x.id === target);
    return s && { record: s, prefix: '' };
  }
  const { tariffSet, id } = splitTariffTarget(target);
  const set = world.pricing?.tariffSets.find((s) => s.id === tariffSet);
  if (!set) return undefined;
  for (const section of TARIFF_SECTIONS) {
    const i = (set[section] as TariffComponent[]).findIndex((c) => c.id === id);
    if (i >= 0) return { record: set, prefix: `${section}[${i}]` };
  }
  return undefined;
}

/**
 * Errors about each published record in `world` (the effective dataset with them applied), with
 * `path` relative to the record (`links[2]`, `amount.source`). Empty for a valid record, or when
 * the publication withdrew it. The file checks run once for all of them: they cover the whole
 * dataset, so running them per publication would repeat the same work for each.
 */
export function publicationErrorsOf(
  world: PricedDataset,
  items: readonly { kind: PublicationKind; target: string }[],
): DataIssue[][] {
  const hits = items.map((it) => locate(world, it.kind, it.target));
  // Tariff components of one set share the set as their record: one origin per record.
  const fileOf = new Map<object, string>();
  const origins = new Map<object, RecordOrigin>();
  for (const h of hits) {
    if (!h || fileOf.has(h.record)) continue;
    const file = `${PUBLISHED}:${fileOf.size}`;
    fileOf.set(h.record, file);
    origins.set(h.record, { file, path: [], lineOf: () => undefined });
  }
  if (origins.size === 0) return items.map(() => []);
  const report = new IssueReport();
  checkDataset(world, origins, report);
  checkPricing(world, origins, report);
  return hits.map((hit) => {
    if (!hit) return [];
    const file = fileOf.get(hit.record);
    return report.errors
      .filter(
        (i) =>
          i.file === file &&
          (hit.prefix === '' ||
            i.path === hit.prefix ||
            i.path?.startsWith(`${hit.prefix}.`) ||
            i.path?.startsWith(`${hit.prefix}[`)),
      )
      .map((i) => ({ ...i, path: hit.prefix && i.path ? i.path.slice(hit.prefix.length).replace(/^\./, '') : i.path }));
  });
}

/** publicationErrorsOf for one publication. */
export const publicationErrors = (world: PricedDataset, kind: PublicationKind, target: string): DataIssue[] =>
  nth(publicationErrorsOf(world, [{ kind, target }]), 0);

/** Why a stored publication is not applied to the files as they are now. */
export interface HeldBackPublication {
  kind: PublicationKind;
  target: string;
  operator: string;
  problems: string[];
}

/**
 * Splits stored publications into those that still apply to the dataset of the files and those
 * that no longer do. A publication was valid when it was made, but the files can change under it
 * (a link renamed or removed, an operator renamed, a tariff set dropped); applied blindly, such a
 * publication would be silently ignored by the engines or, worse, shadow a fixed file record. It
 * is held back instead, with the reasons, so the operator sees it (GET /api/v1/operators/{id})
 * and can withdraw or republish it; nothing stored is lost.
 */
export function screenPublications(
  base: PricedDataset,
  pubs: readonly Publication[],
): { applied: Publication[]; heldBack: HeldBackPublication[]; world: PricedDataset } {
  const problems = new Map<Publication, string[]>();
  const add = (p: Publication, why: string) => problems.set(p, [...(problems.get(p) ?? []), why]);
  for (const p of pubs) {
    const exists = currentRecord(base, p.kind, p.target) !== undefined;
    if (p.kind === 'link-capacity' && !exists) add(p, `link ${p.target} is no longer in the data files`);
    if (p.kind === 'tariff' && !base.pricing?.tariffSets.some((s) => s.id === splitTariffTarget(p.target).tariffSet))
      add(p, `tariff set ${splitTariffTarget(p.target).tariffSet} is no longer in the data files`);
    if ('withdrawn' in p.body && !exists) continue;
    const owner = ownershipProblem(base, p.operator, p.kind, p.target, p.body);
    if (owner) add(p, owner);
  }
  const owned = pubs.filter((p) => !problems.has(p));
  const world = applyPublications(base, owned);
  const toCheck = owned.filter((p) => !('withdrawn' in p.body));
  publicationErrorsOf(world, toCheck).forEach((errors, i) => {
    for (const e of errors) add(nth(toCheck, i), e.path ? `${e.path}: ${e.message}` : e.message);
  });
  const applied = pubs.filter((p) => !problems.has(p));
  return {
    applied,
    // The dataset built above, unless the record checks held back more.
    world: applied.length === owned.length ? world : applyPublications(base, applied),
    heldBack: pubs
      .filter((p) => problems.has(p))
      .map((p) => ({ kind: p.kind, target: p.target, operator: p.operator, problems: must(problems.get(p)) })),
  };
}
