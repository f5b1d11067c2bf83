/**
 * Renders the bulletin as one self-contained HTML page: inline CSS and SVG, no script, no network.
 * Every figure names the scenario file and demand set it comes from; capacities name their source.
 */
import type { AssignmentResult } from '../flow/assign.js';
import type { Dataset } from '../model/types.js';
import type { CalibrationReport } from '../service/calibrate.js';
import { caspianTeu, type AssignFigure, type Bulletin, type RouteFigure } from './bulletin.js';
import { barChart, esc, networkMap } from './svg.js';
import { nth, must } from '../model/invariant.js';

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const days = (h: number) => (h / 24).toFixed(1);
const usd = (x: number) => `USD ${int(x)}`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function scenarioLink(name: string | null): string {
  return name
    ? name
        .split(/[,+]/)
        .map((n) => `<code>scenarios/${esc(n)}.yaml</code>`)
        .join(' + ')
    : 'the base network';
}

function routeTable(rows: RouteFigure[]): string {
  const base = nth(rows, 0);
  const body = rows
    .map((r) => {
      if (!r.found) return `<tr><td>${scenarioLink(r.scenario)}</td><td colspan="6">no route</td></tr>`;
      const dKm =
        base.found && r !== base
          ? ` (${r.distanceKm - base.distanceKm >= 0 ? '+' : '−'}${int(Math.abs(r.distanceKm - base.distanceKm))})`
          : '';
      const dH =
        base.found && r !== base
          ? ` (${r.durationH - base.durationH >= 0 ? '+' : '−'}${days(Math.abs(r.durationH - base.durationH))})`
          : '';
      return (
        `<tr><td>${scenarioLink(r.scenario)}</td><td class="n">${int(r.distanceKm)}${dKm}</td><td ` +
        `class="n">${days(r.durationH)}${dH}</td><td class="n">${usd(r.costUsd)}</td><td ` +
        `class="n">${(r.co2eKg / 1000).toFixed(2)}</td><td>${esc(r.countries.join(' '))}</td><td ` +
        `class="via">${esc(r.via.join(' → '))}</td></tr>`
      );
    })
    .join('');
  return (
    `<table><thead><tr><th>network</th><th>km</th><th>days</th><th>cost per 40'</th><th>t ` +
    `CO2e</th><th>countries</th><th>fastest route</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

function bottleneckTable(a: AssignmentResult, ds: Dataset): string {
  if (a.bottlenecks.length === 0) return '<p>No capacity binds: every link and node has room to spare.</p>';
  const rows = a.bottlenecks
    .map((b) => {
      const link = ds.links.find((l) => l.id === b.id);
      const t = ds.transfers.find((x) => x.location === b.id && b.name.startsWith(x.kind));
      const q = link?.capacityPerYear ?? t?.capacityPerDay;
      const prov = q ? (q.source !== undefined ? `source <code>${esc(q.source)}</code>` : `assumption`) : '';
      return (
        `<tr><td>${esc(b.name)}</td><td class="n">${int(b.flow)}</td><td ` +
        `class="n">${int(b.capacity)}</td><td ` +
        `class="n">${pct(b.utilization)}</td><td class="n">${usd(b.shadowPrice)}</td><td>${prov}</td></tr>`
      );
    })
    .join('');
  return (
    `<table><thead><tr><th>binding capacity</th><th>flow TEU/yr</th><th>capacity ` +
    `TEU/yr</th><th>use</th><th>shadow price per TEU/yr</th><th>capacity from</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

/** What binds across a sweep's draws: the probability and the cost's spread. */
function uncertaintySection(u: NonNullable<Bulletin['trains']['uncertainty']>, ds: Dataset): string {
  const level = u.summary.levels[0];
  if (!level) return '';
  const place = (id: string) => ds.locations.find((l) => l.id === id)?.name ?? id;
  const name = (id: string) => {
    const link = ds.links.find((l) => l.id === id);
    return link ? `${place(link.from)} – ${place(link.to)}` : place(id);
  };
  const rows = level.binds
    .slice(0, 10)
    .map(
      (b) => `<tr><td>${esc(name(b.id))} <code>${esc(b.id)}</code></td><td class="n">${pct(b.probability)}</td></tr>`,
    )
    .join('');
  const m = (x: number) => `USD ${(x / 1e6).toFixed(1)} M`;
  return (
    `<h3>How sure: ${level.draws} draws of capacities, dwell, demand and prices</h3>` +
    `<p>Drawing every capacity, dwell time, the demand and the prices from their ranges in the data (seed ` +
    `${u.request.seed}), the generalised cost of carrying the 2,000 trains is ${m(level.objectiveUsd.p10)} … ` +
    `${m(level.objectiveUsd.p90)} a year (P10–P90, P50 ${m(level.objectiveUsd.p50)}), and unmet demand ` +
    `P90 ${int(level.unmetTeu.p90)} TEU/yr. How often each capacity binds:</p>` +
    (rows
      ? `<table><thead><tr><th>capacity</th><th>binds in</th></tr></thead><tbody>${rows}</tbody></table>`
      : '<p>No capacity binds in any draw.</p>') +
    `<p class="small">Command: <code>corridor sweep --scenario ${esc(u.request.scenario ?? '')} --demand ` +
    `${esc(u.request.demand ?? '')} --draws ${u.request.draws} --seed ${u.request.seed}</code>; the ranges and ` +
    `which of them are assumptions: <code>corridor sweep --ranges</code>.</p>`
  );
}

function assignLine(f: AssignFigure): string {
  const r = f.result;
  return (
    `${scenarioLink(f.scenario)}, demand <code>demand/${esc(f.demandSet)}.yaml</code>: ` +
    `${int(r.totals.demand)} TEU/yr asked, ${int(r.totals.served)} served, <b>${int(r.totals.unmet)} ` +
    `unmet</b>; generalised cost ${usd(r.objective)}/yr`
  );
}

function bySea(a: AssignmentResult): number {
  let s = 0;
  for (const od of a.ods) for (const r of od.routes) if (r.corridors.some((c) => c.startsWith('sea-'))) s += r.teu;
  return s;
}

function viaCountry(a: AssignmentResult, country: string): number {
  let s = 0;
  for (const od of a.ods)
    for (const r of od.routes) if (r.countries.includes(country) && !r.corridors.includes('northern')) s += r.teu;
  return s;
}

function corridorFlow(a: AssignmentResult, corridor: string): number {
  let s = 0;
  for (const od of a.ods) for (const r of od.routes) if (r.corridors.includes(corridor)) s += r.teu;
  return s;
}

function btkFlow(a: AssignmentResult): number {
  return a.links.filter((l) => l.id === 'akhalkalaki-kartsakhi').reduce((s, l) => s + l.flow, 0);
}

type ErrorSummary = CalibrationReport['overall'];

/** How far to trust the figures above: the model's error against the published record, per kind. */
function fidelitySection(f: NonNullable<Bulletin['fidelity']>): string {
  const kinds = Object.entries(f.byKind).sort((x, y) => y[1].count - x[1].count);
  const row = (label: string, e: ErrorSummary, cv: ErrorSummary | undefined) =>
    `<tr><td>${esc(label)}</td><td class="n">${e.count}</td><td class="n">${pct(e.medianError)}</td>` +
    `<td class="n">${pct(e.insideShare)}</td><td class="n">${cv ? pct(cv.medianError) : '—'}</td></tr>`;
  return (
    `<h2>How far to trust these numbers</h2>` +
    `<div class="answer">Against ${f.observations} published, dated observations (transit times, prices, dwell, ` +
    `volumes, capacities), the model's median error is <b>${pct(f.overall.medianError)}</b>, ` +
    `${pct(f.overall.insideShare)} of them inside their published range; cross-validated (out of sample) ` +
    `<b>${pct(f.crossValidated.overall.medianError)}</b>.</div>` +
    `<table><thead><tr><th>kind</th><th>observations</th><th>median error</th><th>inside the range</th>` +
    `<th>cross-validated median</th></tr></thead><tbody>` +
    row('all', f.overall, f.crossValidated.overall) +
    kinds.map(([k, e]) => row(k, e, f.crossValidated.byKind[k])).join('') +
    `</tbody></table><p class="small">Error: 0 inside the published range, else the distance to its nearest ` +
    `end ÷ its midpoint; a case the model cannot answer counts 100%. Command: <code>corridor calibrate</code> ` +
    `(docs/calibration.md).</p>`
  );
}

export function renderBulletin(b: Bulletin, ds: Dataset, generatedAt: string): string {
  const z = b.zangezur;
  // The bulletin asks three Baku → Kars questions, in this order (bulletin.ts).
  const kBase = must(z.bakuKars[0], 'the Baku → Kars route via Georgia');
  const kZan = must(z.bakuKars[1], 'the Baku → Kars route via Zangezur');
  const kCfp = must(z.bakuKars[2], 'the Baku → Kars route via Crossroads for Peace');
  const t = b.trains;
  const first = t.breakPoints[0];
  const base = t.base2029.result;
  const e = b.expansions;
  const n = b.northern;
  const lw = b.lowWater;
  const zText =
    kBase.found && kZan.found
      ? `Via Zangezur, the fastest Baku → Kars route is ` +
        `<b>${int(Math.abs(kBase.distanceKm - kZan.distanceKm))} km ` +
        `${kZan.distanceKm <= kBase.distanceKm ? 'shorter' : 'longer'}</b> and ` +
        `<b>${days(Math.abs(kBase.durationH - kZan.durationH))} days ` +
        `${kZan.durationH <= kBase.durationH ? 'faster' : 'slower'}</b> (${int(kZan.distanceKm)} km, ` +
        `${days(kZan.durationH)} days, ${usd(kZan.costUsd)} per 40') than via Georgia ` +
        `(${int(kBase.distanceKm)} km, ${days(kBase.durationH)} days, ${usd(kBase.costUsd)}).`
      : 'One of the two Baku → Kars routes was not found in this dataset.';
  const cfpText = kCfp.found
    ? `The Crossroads of Peace variant takes ${int(kCfp.distanceKm)} km and ${days(kCfp.durationH)} days ` +
      `through ${esc(kCfp.countries.join(', '))}.`
    : 'The Crossroads of Peace variant offers no Baku → Kars route in this dataset.';
  const ladderChart = barChart(
    t.ladder.map((l) => ({
      label: `${int(l.trains)} trains/yr (${l.set})`,
      segments: [
        { value: l.caspianTeu, colour: '#2e7d32', title: `across the Caspian ${int(l.caspianTeu)} TEU/yr` },
        {
          value: l.servedTeu - l.caspianTeu,
          colour: '#ef8f00',
          title: `diverted (sea via Suez or other) ${int(l.servedTeu - l.caspianTeu)} TEU/yr`,
        },
        { value: l.unmetTeu, colour: '#c62828', title: `unmet ${int(l.unmetTeu)} TEU/yr` },
      ],
    })),
    {
      unit: 'TEU/yr',
      title:
        'Demand of 600, 1,000 and 2,000 trains a year on the Middle Corridor: across the Caspian (green), ' +
        'diverted (orange), unmet (red)',
    },
  );
  const breakChart = barChart(
    t.breakPoints.slice(0, 8).map((p) => ({
      label: p.name.length > 34 ? `${p.name.slice(0, 33)}…` : p.name,
      segments: [
        {
          value: p.saturatesAt * 2000,
          colour: p === first ? '#c62828' : '#ef8f00',
          title: `${p.name}: full at ${int(p.saturatesAt * 2000)} trains/yr`,
        },
      ],
    })),
    { unit: 'trains/yr', title: 'Trains a year at which each capacity fills (2029 OD mix, uncongested routes)' },
  );
  const shiftRows = ['northern', 'middle', 'sea-suez', 'sea-cape']
    .map((c) => ({ c, a: corridorFlow(n.base.result, c), b: corridorFlow(n.closed.result, c) }))
    .filter((x) => x.a > 0 || x.b > 0);
  const shiftHead =
    '<tr><th>route family</th><th>TEU/yr, Northern open</th><th>TEU/yr, Northern closed</th><th>change</th></tr>';
  const shiftBody = shiftRows
    .map(
      (x) =>
        `<tr><td>${esc(x.c)}</td><td class="n">${int(x.a)}</td><td ` +
        `class="n">${int(x.b)}</td><td class="n">${x.b - x.a >= 0 ? '+' : '−'}${int(Math.abs(x.b - x.a))}</td></tr>`,
    )
    .join('');
  const unmetA = n.base.result.totals.unmet;
  const unmetB = n.closed.result.totals.unmet;
  const unmetRow =
    `<tr><td>unmet</td><td class="n">${int(unmetA)}</td><td class="n">${int(unmetB)}</td>` +
    `<td class="n">${int(unmetB - unmetA)}</td></tr>`;
  const shiftTable = `<table><thead>${shiftHead}</thead><tbody>${shiftBody}${unmetRow}</tbody></table>`;
  const lowCost = lw.low.result.objective - lw.base.result.objective;
  const cell = (a: AssignmentResult) => `${int(caspianTeu(a, ds))}; ${int(btkFlow(a))}; ${usd(a.objective)}`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Corridor bulletin: the Middle Corridor's questions,
answered with numbers</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2rem
auto;padding:0 1rem;color:#1d2329}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #dde3e8;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:13px}th,td{border-bottom:1px solid
#e3e8ec;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f1f4f7}td.n{text-align:right;white-space:nowrap}td.via{font-size:12px;color:#444}
.answer{background:#eef6ee;border-left:4px solid #2e7d32;padding:.6rem .9rem;margin:.8rem 0}
.small{font-size:12px;color:#555}
code{font-size:12px;background:#f1f4f7;padding:0 .2rem}
</style></head><body>
<h1>Corridor bulletin</h1>
<p class="small">Generated ${esc(generatedAt)} by <code>corridor report bulletin</code> from the dataset in
<code>${esc(b.generatedFrom.dataDir)}</code> (${b.generatedFrom.sources} sources, scenarios
${esc(b.generatedFrom.scenarios.join(', '))}). Routes are the fastest option of <code>corridor route</code>;
flows are exact minimum generalised-cost assignments (<code>corridor assign</code>), in TEU per year. Rerun
any figure with the command shown.</p>

<h2>1. Zangezur: Baku → Nakhchivan → Kars</h2>
<div class="answer">${zText} ${cfpText}</div>
${routeTable(z.bakuKars)}
<p>Baku → Nakhchivan:</p>
${routeTable(z.bakuNakhchivan)}
<p class="small">Commands: <code>corridor route Baku Kars</code>, <code>--scenario zangezur-open</code>,
<code>--scenario crossroads-for-peace</code>. The Armenian sections' times and charges are assumptions (their
operating plan is not published); see the scenario files.</p>

<h2>2. Can the corridor carry 2,000 trains a year?</h2>
<div class="answer">At 2,000 trains a year (${int(base.totals.demand)} TEU at ${t.teuPerTrain} TEU per train),
the Middle Corridor as it is today (Russia and Belarus avoided, as TITR trains do) carries
<b>${int(caspianTeu(base, ds))} TEU/yr across the Caspian
(${pct(caspianTeu(base, ds) / base.totals.demand)})</b>; ${int(bySea(base))} TEU/yr divert to the sea via Suez
and ${int(base.totals.unmet)} TEU/yr stay unmet. The corridor therefore takes about
<b>${int(caspianTeu(base, ds) / t.teuPerTrain)} trains a year</b> of the 2,000.
If trains could divert through Russia, ${int(t.open2029.result.totals.unmet)} TEU/yr would stay unmet and
${int(corridorFlow(t.open2029.result, 'northern') + viaCountry(t.open2029.result, 'RU'))} TEU/yr would leave
the corridor for Russian lines.
${
  first
    ? `The first capacity to fill is <b>${esc(first.name)}</b>: ${int(first.capacityTeu)} TEU/yr ` +
      `(${int(first.native.value)} ${esc(first.native.unit)}, ${esc(first.provenance)}), full at about ` +
      `<b>${int(first.saturatesAt * 2000)} trains a year</b>.`
    : 'No capacity in the data lies on the routes this demand takes.'
}</div>
${ladderChart}
${breakChart}
<h3>Binding capacities at 2,000 trains a year</h3>
${bottleneckTable(base, ds)}
${t.uncertainty ? uncertaintySection(t.uncertainty, ds) : ''}
<p class="small">Shadow price: the generalised cost (USD/yr) saved by one more TEU/yr of that capacity; a TEU
nobody can carry costs the unserved-demand penalty in <code>commodities.yaml</code>, so shadow prices are
capped by it. Command: <code>corridor assign --scenario northern-closed,demand-2029</code> (and without
<code>northern-closed</code> for the diversion case).</p>
<p class="small">Bars: green = TEU/yr across the Caspian, orange = diverted to other routes (the sea via
Suez), red = unmet.</p>
${networkMap(ds, base, {
  title: 'Flows at 2,000 trains a year, Russia and Belarus avoided',
  highlight: base.bottlenecks.map((x) => x.id),
})}
${networkMap(ds, base, {
  title: 'Caucasus and Caspian, same flows',
  highlight: base.bottlenecks.map((x) => x.id),
  bbox: { lonMin: 38, lonMax: 56, latMin: 37, latMax: 46 },
})}

<h2>3. What BTK at 5 Mt and Baku at 25 Mt change</h2>
<div class="answer">With 2,000 trains a year on the Middle Corridor: Baku's phase 2 (500,000 TEU/yr at Alat)
raises the Caspian crossing from ${int(caspianTeu(e.btk5.result, ds))} to
<b>${int(caspianTeu(e.baku25btk5.result, ds))} TEU/yr</b> and saves
${usd(e.btk5.result.objective - e.baku25btk5.result.objective)}/yr in generalised cost.
BTK at 5 Mt/yr instead of 1 Mt/yr changes ${int(Math.abs(e.btk5.result.objective - e.btk1.result.objective))}
USD/yr while Alat limits the flow, and
<b>${usd(e.baku25btk1.result.objective - e.baku25btk5.result.objective)}/yr</b> once Baku is expanded (BTK
carries ${int(btkFlow(e.baku25btk5.result))} TEU/yr at 5 Mt against ${int(btkFlow(e.baku25btk1.result))} at 1 Mt).</div>
<table><thead><tr><th>BTK  Baku (Alat)</th><th>150,000 TEU/yr (today)</th><th>500,000 TEU/yr (phase
2)</th></tr></thead><tbody>
<tr><td>1 Mt/yr</td><td>${cell(e.btk1.result)}</td><td>${cell(e.baku25btk1.result)}</td></tr>
<tr><td>5 Mt/yr</td><td>${cell(e.btk5.result)}</td><td>${cell(e.baku25btk5.result)}</td></tr></tbody></table>
<p class="small">Each cell: TEU/yr across the Caspian; TEU/yr on BTK (Kars-bound); generalised cost of the
2,000 trains, USD/yr.</p>
<ul><li>${assignLine(e.btk1)}</li><li>${assignLine(e.btk5)}</li>
<li>${assignLine(e.baku25btk1)}</li><li>${assignLine(e.baku25btk5)}</li></ul>
<h3>Binding capacities with Baku at phase 2</h3>
${bottleneckTable(e.baku25.result, ds)}
<p class="small">All with Russia and Belarus avoided. Commands: <code>corridor scenario diff
northern-closed,btk-1mt northern-closed,btk-5mt --demand trains-2029</code>; <code>corridor scenario diff
northern-closed northern-closed,baku-25mt --demand trains-2029</code>.</p>

<h2>4. What a Northern-route closure shifts onto the corridor</h2>
<div class="answer">Of the ${int(n.base.result.totals.demand)} TEU/yr of 2020 Northern-route transit (both
directions), closing the Northern route moves
<b>${int(corridorFlow(n.closed.result, 'middle') - corridorFlow(n.base.result, 'middle'))} TEU/yr onto the
Middle Corridor</b>; the rest goes by sea or stays unmet (${int(n.closed.result.totals.unmet)} TEU/yr).</div>
${shiftTable}
${bottleneckTable(n.closed.result, ds)}
<p class="small">${assignLine(n.base)}<br>${assignLine(n.closed)}<br>Command: <code>corridor scenario diff
base northern-closed --demand northern-transit-2020</code>.</p>

<h2>5. What low Caspian water costs</h2>
<div class="answer">At 2,000 trains a year, lighter Caspian loads cost <b>${usd(lowCost)} a year</b> in
generalised cost; the Caspian crossing carries ${int(caspianTeu(lw.low.result, ds))} instead of
${int(caspianTeu(lw.base.result, ds))} TEU/yr, and ${int(lw.low.result.totals.unmet)} TEU/yr stay unmet
(${int(lw.base.result.totals.unmet)} with today's water).</div>
<ul><li>${assignLine(lw.base)}</li><li>${assignLine(lw.low)}</li></ul>
<p class="small">With Russia and Belarus avoided. Command: <code>corridor scenario diff northern-closed
northern-closed,caspian-low-water --demand trains-2029</code>.</p>

${b.fidelity ? fidelitySection(b.fidelity) : ''}
<h2>Where the numbers come from</h2>
<ul>
<li>Scenario files: ${b.generatedFrom.scenarios.map((s) => `<code>scenarios/${esc(s)}.yaml</code>`).join(', ')}.</li>
<li>Demand sets: ${b.generatedFrom.demandSets.map((s) => `<code>demand/${esc(s)}.yaml</code>`).join(', ')};
conversions in <code>commodities.yaml</code> (${t.teuPerTrain} TEU per train).</li>
<li>Capacities: links' <code>capacityPerYear</code> and transfers' <code>capacityPerDay</code>, each with its
source or labelled assumption (shown next to every binding capacity above).</li>
<li>Sources registry: <code>sources.yaml</code>; run <code>corridor validate</code> for the provenance count.</li>
</ul>
</body></html>
`;
}
