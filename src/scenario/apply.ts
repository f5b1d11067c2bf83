/**
 * Applies a scenario overlay ("project card") to a dataset: Dataset + scenario → the Dataset of that
 * world, plus a list of what changed. Pure; no IO. The result compiles like any dataset, so routing,
 * assignment and reports need no scenario logic of their own.
 *
 * Order of application, for each scenario of the `extends` chain (parents first, then the scenario):
 *   1. links that list the scenario in `scenarios` are switched on (their status becomes operational);
 *   2. `addLinks` and `addTransfers` are added (a transfer replaces one of the same location and kind);
 *   3. `links` edits, in file order (selector, then enable/disable, capacity, time, cost);
 *   4. `transfers` edits, in file order;
 *   5. `changes` (dwell, service running times and headways; src/scenario/changes.ts);
 *   6. `avoidCountries` removes every link whose territory or sea passages touch the countries;
 *   7. `demand` sets the default demand set and multiplies the demand scale.
 * The scenarios of the returned dataset have their `changes` consumed (removed), so compiling it
 * with the scenario's name does not apply them a second time.
 * Later edits see the result of earlier ones, so a child scenario can override its parent.
 */
import { CorridorError } from '../model/errors.js';
import type { Dataset, Link, Quantity, Scenario, Transfer, TransferEdit, LinkEdit } from '../model/types.js';
import { applyScenarioChanges } from './changes.js';
import { describeLinkSelector, describeTransferSelector, matchesLink, matchesTransfer } from './select.js';
import { must } from '../model/invariant.js';

export interface ScenarioEffect {
  /** The scenario of the chain that made the change. */
  scenario: string;
  kind:
    | 'enable-link'
    | 'disable-link'
    | 'add-link'
    | 'edit-link'
    | 'add-transfer'
    | 'edit-transfer'
    | 'edit-service'
    | 'avoid-country'
    | 'demand';
  /** Link id, `location/kind` of a transfer, country code or demand set. */
  target: string;
  description: string;
}

export interface AppliedScenario {
  /** The scenario asked for (undefined: the base dataset). */
  name: string | undefined;
  /** Scenarios applied, parents first. */
  chain: string[];
  dataset: Dataset;
  /** Demand set named by the chain (the last one that names one). */
  demandSet: string | undefined;
  /** Product of the chain's demand scales (1 when none). */
  demandScale: number;
  changes: ScenarioEffect[];
}

/** The `extends` chain of a scenario, parents first and each scenario once. Throws on unknown names and cycles. */
export function scenarioChain(scenarios: readonly Scenario[], name: string): string[] {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  const out: string[] = [];
  const visiting: string[] = [];
  const visit = (n: string, from: string | undefined) => {
    const s = byName.get(n);
    if (!s) {
      throw new CorridorError(
        'unknown-scenario',
        from === undefined
          ? `unknown scenario "${n}"; valid: ${[...byName.keys()].sort().join(', ') || '(none)'}`
          : `scenario "${from}" extends unknown scenario "${n}"`,
        { scenario: n },
      );
    }
    if (visiting.includes(n))
      throw new CorridorError('invalid-dataset', `scenario cycle: ${[...visiting, n].join(' → ')}`, { scenario: n });
    if (out.includes(n)) return;
    visiting.push(n);
    for (const parent of s.extends ?? []) visit(parent, n);
    visiting.pop();
    out.push(n);
  };
  visit(name, undefined);
  return out;
}

export function applyScenario(base: Dataset, name: string | undefined): AppliedScenario {
  if (name === undefined) return { name, chain: [], dataset: base, demandSet: undefined, demandScale: 1, changes: [] };
  const chain = scenarioChain(base.scenarios, name);
  const byName = new Map(base.scenarios.map((s) => [s.name, s]));
  let links: Link[] = base.links.slice();
  let transfers: Transfer[] = base.transfers.slice();
  let services = base.services;
  const changes: ScenarioEffect[] = [];
  let demandSet: string | undefined;
  let demandScale = 1;
  const passageCountries = new Map(base.passages.map((p) => [p.id, p.countries]));

  for (const sn of chain) {
    const s = must(byName.get(sn));
    const note = (kind: ScenarioEffect['kind'], target: string, description: string) =>
      changes.push({ scenario: sn, kind, target, description });

    links = links.map((l) => {
      if (l.status === 'operational' || !l.scenarios.includes(sn)) return l;
      note('enable-link', l.id, `switched on (${l.status}, lists scenario ${sn})`);
      return { ...l, status: 'operational' };
    });
    for (const l of s.addLinks ?? []) {
      links = links.filter((x) => x.id !== l.id);
      links.push({ ...l, status: 'operational' });
      note('add-link', l.id, `added: ${l.from} → ${l.to} by ${l.mode}, ${l.distanceKm.value} km`);
    }
    for (const t of s.addTransfers ?? []) {
      const replaced = transfers.some((x) => x.location === t.location && x.kind === t.kind);
      transfers = transfers.filter((x) => !(x.location === t.location && x.kind === t.kind));
      transfers.push(t);
      note(
        'add-transfer',
        `${t.location}/${t.kind}`,
        `${replaced ? 'replaced' : 'added'}: ${t.kind} at ${t.location}, typical ${t.durationH.typical} h`,
      );
    }
    for (const e of s.links ?? []) {
      const next: Link[] = [];
      for (const l of links) {
        if (!matchesLink(l, e)) {
          next.push(l);
          continue;
        }
        if (e.enabled === false) {
          note('disable-link', l.id, `closed (${describeLinkSelector(e)})`);
          continue;
        }
        const { link, what } = editLink(l, e, sn, base);
        if (what.length)
          note(e.enabled === true && l.status !== 'operational' ? 'enable-link' : 'edit-link', l.id, what.join('; '));
        next.push(link);
      }
      links = next;
    }
    for (const e of s.transfers ?? []) {
      transfers = transfers.map((t) => {
        if (!matchesTransfer(t, e)) return t;
        const { transfer, what } = editTransfer(t, e, sn);
        if (what.length)
          note('edit-transfer', `${t.location}/${t.kind}`, `${what.join('; ')} (${describeTransferSelector(e)})`);
        return transfer;
      });
    }
    if (s.changes?.length) {
      const changed = applyScenarioChanges({ ...base, links, transfers, ...(services ? { services } : {}) }, sn);
      transfers = changed.transfers;
      services = changed.services;
      for (const c of s.changes) {
        const edit = [
          ...Object.entries(c.set ?? {}).map(([k]) => `${k} replaced`),
          ...Object.entries(c.multiply ?? {}).map(([k, q]) => `${k} × ${(q as Quantity).value}`),
        ].join(', ');
        if (c.transfers)
          note(
            'edit-transfer',
            [...(c.transfers.locations ?? ['*'])].join(','),
            `${edit} (${(c.transfers.kinds ?? ['all']).join('/')} transfers)`,
          );
        if (c.services) note('edit-service', [...(c.services.ids ?? c.services.modes ?? ['*'])].join(','), edit);
      }
    }
    for (const c of s.avoidCountries ?? []) {
      const before = links.length;
      links = links.filter(
        (l) => !l.countries.includes(c) && !l.passages.some((p) => (passageCountries.get(p) ?? []).includes(c)),
      );
      note('avoid-country', c, `closed ${before - links.length} link(s) touching ${c} (territory or sea passage)`);
    }
    if (s.demand?.set !== undefined) {
      demandSet = s.demand.set;
      note('demand', s.demand.set, `default demand set ${s.demand.set}`);
    }
    if (s.demand?.scale !== undefined) {
      demandScale *= s.demand.scale.value;
      note('demand', demandSet ?? '(any)', `demand × ${s.demand.scale.value}`);
    }
  }
  const consumed = base.scenarios.map((x) => (chain.includes(x.name) && x.changes ? { ...x, changes: [] } : x));
  return {
    name,
    chain,
    dataset: { ...base, links, transfers, ...(services ? { services } : {}), scenarios: consumed },
    demandSet,
    demandScale,
    changes,
  };
}

/** A value derived by a scenario: the assumption names the scenario and the factor's provenance. */
function derived(
  value: number,
  original: Quantity | undefined,
  factor: Quantity | undefined,
  scenario: string,
  what: string,
): Quantity {
  const from = original ? `${original.value}` : 'the default';
  const by = factor
    ? ` × ${factor.value} (${factor.source !== undefined ? `source ${factor.source}` : factor.assumption})`
    : '';
  const basisOf = (q: Quantity | undefined) => (q && q.assumption !== undefined ? (q.basis ?? []) : []);
  const basis = [original?.source, ...basisOf(original), factor?.source, ...basisOf(factor)].filter(
    (x): x is string => x !== undefined,
  );
  return {
    value,
    assumption: `scenario ${scenario}: ${what} ${from}${by}`,
    ...(basis.length ? { basis: [...new Set(basis)] } : {}),
  };
}

function editLink(l: Link, e: LinkEdit, scenario: string, base: Dataset): { link: Link; what: string[] } {
  const link: Link = { ...l };
  const what: string[] = [];
  if (e.enabled === true && l.status !== 'operational') {
    link.status = 'operational';
    what.push(`switched on (was ${l.status})`);
  }
  if (e.capacityPerYear) {
    link.capacityPerYear = e.capacityPerYear;
    what.push(`capacity ${fmtCap(l.capacityPerYear)} → ${fmtCap(e.capacityPerYear)}`);
  } else if (e.capacityMultiplier) {
    if (l.capacityPerYear) {
      const q = derived(
        l.capacityPerYear.value * e.capacityMultiplier.value,
        l.capacityPerYear,
        e.capacityMultiplier,
        scenario,
        'capacity',
      );
      link.capacityPerYear = { ...q, unit: l.capacityPerYear.unit };
      what.push(`capacity ${fmtCap(l.capacityPerYear)} → ${fmtCap(link.capacityPerYear)}`);
    } else what.push('no capacity to scale (unlimited)');
  }
  const h0 = l.durationH?.value ?? l.distanceKm.value / must(l.speedKmh).value;
  if (e.durationH) {
    link.durationH = e.durationH;
    delete link.speedKmh;
    what.push(`time ${round1(h0)} h → ${round1(e.durationH.value)} h`);
  } else if (e.durationMultiplier) {
    link.durationH = derived(
      h0 * e.durationMultiplier.value,
      l.durationH,
      e.durationMultiplier,
      scenario,
      'running time',
    );
    delete link.speedKmh;
    what.push(`time ${round1(h0)} h → ${round1(link.durationH.value)} h`);
  }
  if (e.costUsdPerTeu) {
    link.costUsdPerTeu = e.costUsdPerTeu;
    what.push(`charge → USD ${e.costUsdPerTeu.value}/TEU`);
  } else if (e.costMultiplier) {
    const rate = base.rates.modes.find((r) => r.mode === l.mode)?.costUsdPerTeuKm;
    const usd0 = l.costUsdPerTeu?.value ?? (rate?.value ?? 0) * l.distanceKm.value;
    link.costUsdPerTeu = derived(
      usd0 * e.costMultiplier.value,
      l.costUsdPerTeu ?? rate,
      e.costMultiplier,
      scenario,
      'line-haul charge per TEU',
    );
    what.push(`charge USD ${Math.round(usd0)} → ${Math.round(link.costUsdPerTeu.value)}/TEU`);
  }
  return { link, what };
}

function editTransfer(t: Transfer, e: TransferEdit, scenario: string): { transfer: Transfer; what: string[] } {
  const transfer: Transfer = { ...t };
  const what: string[] = [];
  if (e.durationH) {
    transfer.durationH = e.durationH;
    what.push(`dwell ${t.durationH.typical} h → ${e.durationH.typical} h`);
  } else if (e.durationMultiplier) {
    const m = e.durationMultiplier.value;
    const q = derived(
      0,
      undefined,
      e.durationMultiplier,
      scenario,
      `dwell ${t.durationH.min}/${t.durationH.typical}/${t.durationH.max} h`,
    );
    transfer.durationH = {
      min: t.durationH.min * m,
      typical: t.durationH.typical * m,
      max: t.durationH.max * m,
      assumption: must(q.assumption),
      ...(q.assumption !== undefined && q.basis ? { basis: q.basis } : {}),
    };
    what.push(`dwell ${round1(t.durationH.typical)} h → ${round1(transfer.durationH.typical)} h`);
  }
  if (e.costUsdPerTeu) {
    transfer.costUsdPerTeu = e.costUsdPerTeu;
    what.push(`charge USD ${t.costUsdPerTeu.value} → ${e.costUsdPerTeu.value}/TEU`);
  } else if (e.costMultiplier) {
    transfer.costUsdPerTeu = derived(
      t.costUsdPerTeu.value * e.costMultiplier.value,
      t.costUsdPerTeu,
      e.costMultiplier,
      scenario,
      'charge per TEU',
    );
    what.push(`charge USD ${t.costUsdPerTeu.value} → ${round1(transfer.costUsdPerTeu.value)}/TEU`);
  }
  if (e.capacityPerDay) {
    transfer.capacityPerDay = e.capacityPerDay;
    what.push(`capacity ${fmtDay(t.capacityPerDay)} → ${fmtDay(e.capacityPerDay)}`);
  } else if (e.capacityMultiplier) {
    if (t.capacityPerDay) {
      const q = derived(
        t.capacityPerDay.value * e.capacityMultiplier.value,
        t.capacityPerDay,
        e.capacityMultiplier,
        scenario,
        'capacity per day',
      );
      transfer.capacityPerDay = { ...q, unit: t.capacityPerDay.unit };
      what.push(`capacity ${fmtDay(t.capacityPerDay)} → ${fmtDay(transfer.capacityPerDay)}`);
    } else what.push('no capacity to scale (unlimited)');
  }
  return { transfer, what };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const fmtCap = (c: Link['capacityPerYear']) =>
  c ? `${Math.round(c.value).toLocaleString('en-US')} ${c.unit}/yr` : 'unlimited';
const fmtDay = (c: Transfer['capacityPerDay']) => (c ? `${round1(c.value)} ${c.unit}/day` : 'unlimited');

/**
 * Applies several scenarios left to right, as one scenario `A+B` whose `extends` lists them (so a
 * later scenario's edits win). One name is the same as `applyScenario`.
 */
export function applyScenarios(base: Dataset, names: readonly string[]): AppliedScenario {
  if (names.length <= 1) return applyScenario(base, names[0]);
  const name = names.join('+');
  const ds: Dataset = {
    ...base,
    scenarios: [
      ...base.scenarios,
      { name, title: names.join(' + '), description: `composition of ${names.join(', ')}`, extends: [...names] },
    ],
  };
  const applied = applyScenario(ds, name);
  return { ...applied, dataset: { ...applied.dataset, scenarios: base.scenarios } };
}
