/** Terminal renderings of assignments, scenarios and scenario comparisons. */
import type { Scenario } from '../model/types.js';
import type { AppliedScenario } from '../scenario/apply.js';
import type { AssignAnswer, CompareAnswer } from '../service/service.js';
import { nth } from '../model/invariant.js';

export const int = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const signed = (x: number, f: (v: number) => string = int) => (x > 0 ? `+${f(x)}` : x < 0 ? `−${f(-x)}` : '0');

export function table(rows: string[][], align: ('l' | 'r')[]): string {
  const widths = nth(rows, 0).map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => {
          const pad = ' '.repeat(Math.max(0, nth(widths, c) - [...cell].length));
          return align[c] === 'r' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatAssignment(run: AssignAnswer): string {
  const r = run;
  const lines: string[] = [];
  lines.push(
    `Assignment of demand set ${run.demandSet}` +
      `${run.demandScale !== 1 ? ` × ${run.demandScale}` : ''}` +
      `${run.scenario ? ` in scenario ${run.scenario}` : ' on the base network'}`,
    `${r.algorithm}; ${r.iterations} ` +
      `${r.algorithm.startsWith('network') ? 'pivots' : 'rounds'}` +
      `${r.converged ? ', optimal' : ', NOT converged'}`,
    '',
    `demand ${int(r.totals.demand)} TEU/yr · served ${int(r.totals.served)} · unmet ` +
      `${int(r.totals.unmet)} · generalised cost USD ${int(r.objective)}/yr · ${int(r.totals.co2eTonnes)} ` +
      `t CO2e/yr`,
  );
  lines.push('', 'Bottlenecks (binding capacities, by shadow price = USD/yr saved per extra TEU/yr of capacity):');
  if (r.bottlenecks.length === 0) lines.push('  none: every capacity has room to spare');
  else {
    const rows = [['#', 'capacity', 'kind', 'flow TEU/yr', 'capacity', 'use', 'shadow price']];
    for (const [i, b] of r.bottlenecks.entries())
      rows.push([
        String(i + 1),
        b.name,
        b.kind,
        int(b.flow),
        int(b.capacity),
        pct(b.utilization),
        `USD ${b.shadowPrice.toFixed(2)}`,
      ]);
    lines.push(table(rows, ['r', 'l', 'l', 'r', 'r', 'r', 'r']).replace(/^/gm, '  '));
  }
  const busy = r.links
    .filter((l) => l.flow > 0)
    .sort((a, b) => (b.utilization ?? -1) - (a.utilization ?? -1) || b.flow - a.flow)
    .slice(0, 15);
  if (busy.length) {
    lines.push('', 'Busiest links (by utilisation, then flow):');
    const rows = [['link', 'direction', 'flow TEU/yr', 'capacity', 'use']];
    for (const l of busy)
      rows.push([
        l.id,
        `${l.fromName} → ${l.toName}`,
        int(l.flow),
        l.capacity === null ? '—' : `${int(l.capacity)}${nativeCapacity(l.capacityNative)}`,
        pct(l.utilization),
      ]);
    lines.push(table(rows, ['l', 'l', 'r', 'r', 'r']).replace(/^/gm, '  '));
  }
  const nodes = r.nodes
    .filter((n) => n.flow > 0 || n.capacity !== null)
    .sort((a, b) => (b.utilization ?? -1) - (a.utilization ?? -1) || b.flow - a.flow)
    .slice(0, 10);
  if (nodes.length) {
    lines.push('', 'Nodes (borders, gauge changes, port handling):');
    const rows = [['place', 'kind', 'flow TEU/yr', 'capacity', 'use']];
    for (const n of nodes)
      rows.push([
        `${n.name} (${n.id})`,
        n.kind,
        int(n.flow),
        n.capacity === null
          ? '—'
          : `${int(n.capacity)}${n.capacityNative ? ` (${n.capacityNative.value} ${n.capacityNative.unit})` : ''}`,
        pct(n.utilization),
      ]);
    lines.push(table(rows, ['l', 'l', 'r', 'r', 'r']).replace(/^/gm, '  '));
  }
  if (r.unmetDemand.length) {
    lines.push('', 'Unmet demand:');
    for (const u of r.unmetDemand)
      lines.push(`  ${u.from} → ${u.to} (${u.commodity}): ${int(u.unmet)} of ${int(u.demand)} TEU/yr`);
  }
  lines.push('', 'Routes per OD (share of its demand):');
  for (const od of r.ods) {
    lines.push(`  ${od.from} → ${od.to} (${od.commodity}, ${int(od.demand)} TEU/yr)`);
    for (const rt of od.routes.slice(0, 3))
      lines.push(
        `    ${(rt.share * 100).toFixed(0).padStart(3)} %  ${(rt.durationH / 24).toFixed(1)} d, USD ` +
          `${int(rt.costUsdPerTeu)}/TEU  ${rt.countries.join(' ')}  via ${rt.via.join(' ')}`,
      );
    if (od.unmet > 0) lines.push(`    ${((od.unmet / od.demand) * 100).toFixed(0).padStart(3)} %  unmet`);
  }
  lines.push('', 'Use --json for every link and node with flows, capacities, utilisation and shadow prices.');
  return lines.join('\n');
}

export function formatScenarioList(scenarios: readonly Scenario[], changes: Map<string, AppliedScenario>): string {
  const rows = [['name', 'title', 'what it does']];
  for (const s of [...scenarios].sort((a, b) => a.name.localeCompare(b.name))) {
    const a = changes.get(s.name);
    const dated = s.inEffect ? `in effect ${s.inEffect.from} to ${s.inEffect.to ?? 'further notice'}; ` : '';
    rows.push([s.name, s.title, `${dated}${a ? summarizeChanges(a) : ''}`]);
  }
  return (
    `${table(rows, ['l', 'l', 'l'])}\n\n${scenarios.length} scenario(s); corridor scenario show NAME for ` +
    `the details.`
  );
}

export function summarizeChanges(a: AppliedScenario): string {
  const count = (k: string) => a.changes.filter((c) => c.kind === k).length;
  const parts: string[] = [];
  if (a.chain.length > 1) parts.push(`extends ${a.chain.slice(0, -1).join(', ')}`);
  const on = count('enable-link') + count('add-link');
  if (on) parts.push(`opens ${on} link(s)`);
  if (count('disable-link')) parts.push(`closes ${count('disable-link')} link(s)`);
  const closed = a.changes.filter((c) => c.kind === 'avoid-country').map((c) => c.target);
  if (closed.length) parts.push(`closes ${closed.join(', ')}`);
  if (count('edit-link')) parts.push(`edits ${count('edit-link')} link(s)`);
  if (count('edit-transfer') + count('add-transfer'))
    parts.push(`edits ${count('edit-transfer') + count('add-transfer')} transfer(s)`);
  if (a.demandSet) parts.push(`demand ${a.demandSet}${a.demandScale !== 1 ? ` × ${a.demandScale}` : ''}`);
  else if (a.demandScale !== 1) parts.push(`demand × ${a.demandScale}`);
  return parts.join('; ') || 'no change';
}

export function formatScenarioShow(s: Scenario, a: AppliedScenario): string {
  const lines = [`${s.name}: ${s.title}`, '', s.description.trim(), ''];
  if (s.inEffect)
    lines.push(
      `Dated status: applied to routes, quotes and plans dated ${s.inEffect.from} to ` +
        `${s.inEffect.to ?? 'further notice'} without being asked.`,
      '',
    );
  if (a.chain.length > 1) lines.push(`Applies, in order: ${a.chain.join(' → ')}`, '');
  lines.push('Changes:');
  if (a.changes.length === 0) lines.push('  none');
  for (const c of a.changes) lines.push(`  [${c.scenario}] ${c.kind} ${c.target}: ${c.description}`);
  if (a.demandSet || a.demandScale !== 1)
    lines.push(
      '',
      `Demand: ${a.demandSet ?? '(the one given with --demand)'}${a.demandScale !== 1 ? ` × ${a.demandScale}` : ''}`,
    );
  return lines.join('\n');
}

export function formatDiff(d: CompareAnswer): string {
  const name = (x: string | null) => x ?? 'base';
  const lines = [`Scenario ${name(d.a.scenario)} (A) → ${name(d.b.scenario)} (B): ${d.demand.note}`, ''];
  const on = d.definitions.links;
  if (on.onlyB.length) lines.push(`B switches on ${on.onlyB.length} link(s) that A does not: ${on.onlyB.join(', ')}`);
  if (on.onlyA.length) lines.push(`A switches on ${on.onlyA.length} link(s) that B does not: ${on.onlyA.join(', ')}`);
  if (d.definitions.changes.length)
    lines.push(`B changes ${d.definitions.changes.length} thing(s) (corridor scenario show)`);
  if (lines.length > 2) lines.push('');
  lines.push('Lanes (least generalised-cost route on an uncongested network):');
  const rows = [['lane', 'A days', 'B days', 'Δ days', 'A USD/TEU', 'B USD/TEU', 'Δ USD', 'Δ kg CO2e/TEU', 'rerouted']];
  for (const l of d.lanes) {
    rows.push([
      `${l.from} → ${l.to}`,
      l.a ? (l.a.durationH / 24).toFixed(1) : '—',
      l.b ? (l.b.durationH / 24).toFixed(1) : '—',
      l.delta ? signed(l.delta.durationH / 24, (v) => v.toFixed(1)) : '—',
      l.a ? int(l.a.costUsdPerTeu) : '—',
      l.b ? int(l.b.costUsdPerTeu) : '—',
      l.delta ? signed(l.delta.costUsdPerTeu) : '—',
      l.delta ? signed(l.delta.co2eKgPerTeu) : '—',
      l.rerouted ? `yes: ${l.b?.via.join(' ') ?? 'no route'}` : '',
    ]);
  }
  lines.push(table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']).replace(/^/gm, '  '));
  const f = d.flows;
  if (!f) return lines.join('\n');
  lines.push(
    '',
    `Assignment: generalised cost USD ${int(f.objective.a)} → ${int(f.objective.b)}/yr ` +
      `(${signed(f.objective.delta)}); served ${int(f.served.a)} → ${int(f.served.b)} TEU/yr; unmet ` +
      `${int(f.unmet.a)} → ${int(f.unmet.b)}`,
  );
  if (f.linkShifts.length) {
    lines.push('', 'Largest flow shifts (TEU/yr):');
    const rows2 = [['link', 'direction', 'corridor', 'A', 'B', 'Δ', 'use A', 'use B']];
    for (const s of f.linkShifts.slice(0, 15))
      rows2.push([
        s.id,
        `${s.from} → ${s.to}`,
        s.corridor,
        int(s.a),
        int(s.b),
        signed(s.delta),
        pct(s.utilizationA),
        pct(s.utilizationB),
      ]);
    lines.push(table(rows2, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r']).replace(/^/gm, '  '));
  }
  lines.push('', 'Bottlenecks:');
  lines.push(`  A: ${f.bottlenecks.a.map((b) => `${b.name} (USD ${b.shadowPrice.toFixed(0)})`).join('; ') || 'none'}`);
  lines.push(`  B: ${f.bottlenecks.b.map((b) => `${b.name} (USD ${b.shadowPrice.toFixed(0)})`).join('; ') || 'none'}`);
  if (f.bottlenecks.appeared.length) lines.push(`  new in B: ${f.bottlenecks.appeared.join('; ')}`);
  if (f.bottlenecks.relieved.length) lines.push(`  relieved in B: ${f.bottlenecks.relieved.join('; ')}`);
  return lines.join('\n');
}

/** The capacity in the unit the data gives it, when that is not TEU (" (12 trains/day)"). */
function nativeCapacity(native: { value: number; unit: string } | null | undefined): string {
  return native && !native.unit.startsWith('TEU') ? ` (${int(native.value)} ${native.unit})` : '';
}
