/** Human-readable renderings for the terminal. */
import type { StatusInEffect } from '../model/types.js';
import type { DataIssue } from '../data/issues.js';
import { formatIssue } from '../data/issues.js';
import type { ProvenanceCounts } from '../data/provenance.js';
import type { RouteResult } from '../routing/route.js';
import type { RouteAnswer } from '../service/service.js';
import type { DoorToDoor } from '../service/reach.js';
import { nth } from '../model/invariant.js';

const usd = (x: number) => `USD ${Math.round(x).toLocaleString('en-US')}`;
const tonnes = (kg: number) => `${(kg / 1000).toFixed(1)} t`;

/** Columns padded to their widest cell (code points), right- or left-aligned. */
export function table(rows: string[][], align: readonly ('l' | 'r')[]): string {
  const widths = nth(rows, 0).map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => {
          const pad = ' '.repeat(nth(widths, c) - [...cell].length);
          return align[c] === 'r' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const BASIS: Record<string, string> = {
  'ready-date': 'the ready date',
  'quote-date': 'the quote date',
  today: 'today',
  'latest-tariff-set': 'no tariff set covers the date asked for: the latest set',
};

/** "priced for 2025-01-06 (the ready date) · tariff set tariffs-2025 (2025-03-01 to open end)". */
export function pricingLine(p: {
  date: string;
  basis: string;
  tariffSet: { id: string; validFrom: string; validTo: string | null };
}): string {
  const set = `tariff set ${p.tariffSet.id} (${p.tariffSet.validFrom} to ${p.tariffSet.validTo ?? 'open end'})`;
  return `priced for ${p.date} (${BASIS[p.basis] ?? p.basis}) · ${set}`;
}

/** "from Warsaw, PL (1.7 M): nearest terminals …" lines for ends off the network. */
export function doorToDoorLines(r: { doorToDoor?: DoorToDoor }): string {
  const d = r.doorToDoor;
  if (!d) return '';
  const line = (role: string, e: DoorToDoor['origin']) =>
    e ? `\n${role} ${e.description}; door-to-door by truck to ${e.legs.length} of them` : '';
  return line('from', d.origin) + line('to', d.destination);
}

/** The dated statuses the answer's network applied, one line each (none: nothing). */
export function inEffectLines(statuses: readonly StatusInEffect[]): string {
  return statuses
    .map((s) => `\nin effect: ${s.title} (${s.from} to ${s.to ?? 'further notice'}; status ${s.name})`)
    .join('');
}

export function formatRoutes(r: RouteResult | RouteAnswer): string {
  const head =
    `${r.origin.name} (${r.origin.id}, ${r.origin.country}) → ${r.destination.name} ` +
    `(${r.destination.id}, ${r.destination.country})\n` +
    `${r.cargo.description} · ${r.regime} times (running time + typical dwell)` +
    (r.query.scenario ? ` · scenario ${r.query.scenario}` : '') +
    (r.query.avoidCountries.length ? ` · avoiding ${r.query.avoidCountries.join(', ')}` : '') +
    (r.query.modes.length ? ` · modes ${r.query.modes.join(', ')}` : '') +
    (r.query.avoidPassages.length ? ` · avoiding passages ${r.query.avoidPassages.join(', ')}` : '') +
    (r.query.avoidOperators.length ? ` · avoiding operators ${r.query.avoidOperators.join(', ')}` : '') +
    (r.query.avoidLocations.length ? ` · avoiding ${r.query.avoidLocations.join(', ')}` : '') +
    (r.query.cargo.length ? ` · cargo ${r.query.cargo.join(', ')}` : '') +
    (r.query.maxTransshipments !== null ? ` · at most ${r.query.maxTransshipments} transshipments` : '') +
    ('pricing' in r && r.pricing ? `\n${pricingLine(r.pricing)}` : '') +
    inEffectLines(r.query.inEffect) +
    ('doorToDoor' in r ? doorToDoorLines(r) : '');
  if (r.options.length === 0) return `${head}\n\nNo route satisfies these constraints.`;
  const showRisk = r.query.criteria.includes('risk');
  const rows = [
    ['#', 'days', 'cost', 'CO2e', 'borders', 'transship', ...(showRisk ? ['risk'] : []), 'countries', 'option'],
  ];
  for (const o of r.options) {
    rows.push([
      String(o.option),
      o.totals.durationDays.toFixed(1),
      usd(o.totals.costUsd),
      tonnes(o.totals.co2eKg),
      String(o.totals.borderCrossings),
      String(o.totals.transshipments),
      ...(showRisk ? [o.totals.riskScore.toFixed(2)] : []),
      o.totals.countries.join(' '),
      `${o.labels.length ? `[${o.labels.join(', ')}] ` : ''}${o.summary}`,
    ]);
  }
  const body = table(rows, ['r', 'r', 'r', 'r', 'r', 'r', ...(showRisk ? (['r'] as const) : []), 'l', 'l']);
  const legs = r.options
    .map((o) => {
      const path = [o.legs[0]?.fromName, ...o.legs.map((l) => l.toName)].join(' → ');
      return `  ${o.option}. ${path}`;
    })
    .join('\n');
  const rec = r.recommended ? `\nRecommended (${r.recommended.preset}): option ${r.recommended.option}\n` : '';
  const alts = r.alternatives.length
    ? `\nLeft out:\n${r.alternatives
        .map(
          (a) =>
            `  - ${a.summary}: ${a.totals.durationDays.toFixed(1)} days, ${usd(a.totals.costUsd)}, ` +
            `${tonnes(a.totals.co2eKg)} CO2e — ${a.reason}`,
        )
        .join('\n')}\n`
    : '';
  return (
    `${head}\n\n${body}\n\nPaths:\n${legs}\n${rec}${alts}\n${r.options.length} Pareto-optimal option(s) ` +
    `over ${r.query.criteria.join(', ')}; use --json for legs, stops and per-leg figures.`
  );
}

export function formatValidation(dir: string, errors: DataIssue[], warnings: DataIssue[], p: ProvenanceCounts): string {
  const lines = [...errors, ...warnings].map(formatIssue);
  lines.push(
    '',
    `${dir}: ${errors.length} error(s), ${warnings.length} warning(s)`,
    `provenance: ${p.facts} figures, ${p.sourced} sourced, ${p.calibrated} calibrated, ` +
      `${p.assumptions} labelled assumptions, ${p.unsourced} unsourced`,
  );
  return lines.join('\n').trimStart();
}
