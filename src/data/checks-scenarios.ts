/**
 * Cross-record checks of scenario overlays, demand sets and commodities: every name, id and
 * location they mention must exist, `extends` must not loop, and every edit must select something.
 */
import type { Dataset } from '../model/types.js';
import { isCorridorError } from '../model/errors.js';
import { editDistance } from '../model/text.js';
import { applyScenario, scenarioChain } from '../scenario/apply.js';
import { describeLinkSelector, describeTransferSelector, matchesLink, matchesTransfer } from '../scenario/select.js';
import { formatPath, type IssueReport } from './issues.js';
import type { RecordOrigin } from './checks.js';

export function checkScenariosAndDemand(ds: Dataset, origins: Map<object, RecordOrigin>, report: IssueReport): void {
  const at = (record: object, sub: PropertyKey[] = []) => {
    const o = origins.get(record);
    if (!o) return { file: '?', path: formatPath(sub) };
    const path = [...o.path, ...sub];
    return { file: o.file, line: o.lineOf(path), path: formatPath(path) };
  };
  const locations = new Set(ds.locations.map((l) => l.id));
  const scenarioNames = new Set(ds.scenarios.map((s) => s.name));
  const demandNames = new Set((ds.demand ?? []).map((d) => d.name));
  const linkIds = new Set(ds.links.map((l) => l.id));

  for (const s of ds.scenarios) {
    const err = (sub: PropertyKey[], code: string, message: string) =>
      report.error({ ...at(s, sub), id: s.name, code, message });
    const warn = (sub: PropertyKey[], code: string, message: string) =>
      report.warning({ ...at(s, sub), id: s.name, code, message });
    (s.extends ?? []).forEach((p, i) => {
      if (!scenarioNames.has(p))
        err(
          ['extends', i],
          'unknown-scenario',
          `extends \`${p}\`, which has no file scenarios/${p}.yaml${suggest(p, scenarioNames)}`,
        );
    });
    // Links the scenario may see: the base links plus those added by it or its parents.
    let chain: string[] = [s.name];
    try {
      chain = scenarioChain(ds.scenarios, s.name);
    } catch (e) {
      if (isCorridorError(e) && e.message.startsWith('scenario cycle')) err(['extends'], 'scenario-cycle', e.message);
      continue;
    }
    const byName = new Map(ds.scenarios.map((x) => [x.name, x]));
    const visibleLinks = [...ds.links, ...chain.flatMap((n) => byName.get(n)?.addLinks ?? [])];
    const visibleTransfers = [...ds.transfers, ...chain.flatMap((n) => byName.get(n)?.addTransfers ?? [])];
    (s.links ?? []).forEach((e, i) => {
      for (const id of [...(e.id !== undefined ? [e.id] : []), ...(e.ids ?? [])]) {
        if (!visibleLinks.some((l) => l.id === id))
          err(
            ['links', i, e.id !== undefined ? 'id' : 'ids'],
            'unknown-link',
            `link \`${id}\` is not a link of the dataset nor added by this scenario${suggest(id, linkIds)}`,
          );
      }
      if (e.location !== undefined && !locations.has(e.location))
        err(
          ['links', i, 'location'],
          'unknown-location',
          `location \`${e.location}\` is not a location of the dataset${suggest(e.location, locations)}`,
        );
      if (!visibleLinks.some((l) => matchesLink(l, e)))
        warn(
          ['links', i],
          'selects-nothing',
          `${describeLinkSelector(e)}: no link matches, so this edit changes nothing`,
        );
    });
    (s.transfers ?? []).forEach((e, i) => {
      if (e.location !== undefined && !locations.has(e.location))
        err(
          ['transfers', i, 'location'],
          'unknown-location',
          `location \`${e.location}\` is not a location of the dataset${suggest(e.location, locations)}`,
        );
      else if (!visibleTransfers.some((t) => matchesTransfer(t, e)))
        warn(
          ['transfers', i],
          'selects-nothing',
          `${describeTransferSelector(e)}: no transfer matches, so this edit changes nothing`,
        );
    });
    (s.addLinks ?? []).forEach((l, i) => {
      if (linkIds.has(l.id))
        warn(
          ['addLinks', i, 'id'],
          'replaces-link',
          `adds link \`${l.id}\`, which replaces the dataset link of that id`,
        );
      for (const key of ['from', 'to'] as const) {
        if (!locations.has(l[key]))
          err(
            ['addLinks', i, key],
            'unknown-location',
            `${key} \`${l[key]}\` is not a location of the dataset${suggest(l[key], locations)}`,
          );
      }
    });
    (s.addTransfers ?? []).forEach((t, i) => {
      if (!locations.has(t.location))
        err(
          ['addTransfers', i, 'location'],
          'unknown-location',
          `location \`${t.location}\` is not a location of the dataset${suggest(t.location, locations)}`,
        );
    });
    if (s.demand?.set !== undefined && !demandNames.has(s.demand.set)) {
      err(
        ['demand', 'set'],
        'unknown-demand',
        `demand set \`${s.demand.set}\` has no file demand/${s.demand.set}.yaml${suggest(s.demand.set, demandNames)}`,
      );
    }
    try {
      applyScenario(ds, s.name);
    } catch (e) {
      err([], 'scenario-apply', `cannot apply: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const commodityIds = new Set((ds.commodities?.commodities ?? []).map((c) => c.id));
  for (const d of ds.demand ?? []) {
    d.flows.forEach((f, i) => {
      for (const key of ['from', 'to'] as const) {
        if (!locations.has(f[key]))
          report.error({
            ...at(d, ['flows', i, key]),
            id: d.name,
            code: 'unknown-location',
            message: `${key} \`${f[key]}\` is not a location of the dataset${suggest(f[key], locations)}`,
          });
      }
      if (!ds.commodities) {
        report.error({
          ...at(d, ['flows', i, 'commodity']),
          id: d.name,
          code: 'no-commodities',
          message: 'demand needs commodities.yaml (commodities and unit conversions) in the dataset directory',
        });
      } else if (!commodityIds.has(f.commodity)) {
        report.error({
          ...at(d, ['flows', i, 'commodity']),
          id: d.name,
          code: 'unknown-commodity',
          message: `commodity \`${f.commodity}\` is not in commodities.yaml${suggest(f.commodity, commodityIds)}`,
        });
      }
    });
  }
  const seen = new Set<string>();
  (ds.commodities?.commodities ?? []).forEach((c) => {
    if (seen.has(c.id))
      report.error({ ...at(c, ['id']), id: c.id, code: 'duplicate-id', message: `duplicate commodity id \`${c.id}\`` });
    seen.add(c.id);
  });
}

function suggest(value: string, candidates: Iterable<string>): string {
  const scored = [...candidates]
    .map((c) => ({ c, d: editDistance(value.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(value.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  return scored.length ? ` (did you mean ${scored.map((x) => x.c).join(', ')}?)` : '';
}
