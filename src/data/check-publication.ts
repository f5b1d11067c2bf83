/**
 * Cross-record checks of a publication: the same checks `corridor validate` runs on the files
 * (checks.ts, checks-services.ts, checks-pricing.ts), run on the effective dataset with the
 * publication applied, keeping only the errors that concern the published record. So a published
 * service is refused for exactly what would make it an error in services.yaml (unknown or
 * non-consecutive links, a class change, an empty calendar, an unknown source, …).
 */
import type { PricedDataset } from '../model/pricing-types.js';
import { splitTariffTarget, TARIFF_SECTIONS, type PublicationKind, type TariffComponent } from '../scenario/publications.js';
import { checkDataset, type RecordOrigin } from './checks.js';
import { checkPricing } from './checks-pricing.js';
import { IssueReport, type DataIssue } from './issues.js';

const PUBLISHED = 'publication';

/** The record of the effective dataset the publication put there, and the path prefix its issues carry. */
function locate(world: PricedDataset, kind: PublicationKind, target: string): { record: object; prefix: string } | undefined {
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
 * Errors about the published record in `world` (the effective dataset with it applied), with
 * `path` relative to the record (`links[2]`, `amount.source`). Empty when it is valid, or when
 * the publication withdrew the record.
 */
export function publicationErrors(world: PricedDataset, kind: PublicationKind, target: string): DataIssue[] {
  const hit = locate(world, kind, target);
  if (!hit) return [];
  const origins = new Map<object, RecordOrigin>([[hit.record, { file: PUBLISHED, path: [], lineOf: () => undefined }]]);
  const report = new IssueReport();
  checkDataset(world, origins, report);
  checkPricing(world, origins, report);
  return report.errors
    .filter((i) => i.file === PUBLISHED && (hit.prefix === '' || i.path === hit.prefix || i.path?.startsWith(`${hit.prefix}.`) || i.path?.startsWith(`${hit.prefix}[`)))
    .map((i) => ({ ...i, path: hit.prefix && i.path ? i.path.slice(hit.prefix.length).replace(/^\./, '') : i.path }));
}
