/**
 * `corridor calibrate [--json] [--html FILE]`: the model's error against the published record
 * (data/observations/), per observation and per kind and route family.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorSummary } from '../calibrate/error.js';
import type { FitCase, FitReport } from '../calibrate/fit.js';
import type { LoadResult } from '../data/load.js';
import {
  type FittedCharge,
  type FittedDwell,
  writeFittedCharges,
  writeFittedDwell,
} from '../data/write-calibration.js';
import type { PricedDataset } from '../model/pricing-types.js';
import { type CalibrationReport, calibrate, chargeParam, fitCases, fitReport } from '../service/calibrate.js';
import type { RegisterCommand } from './context.js';

export const registerCalibrate: RegisterCommand = (program, cli) => {
  program
    .command('calibrate')
    .description("measure the model's error against the published observations in data/observations/")
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the report as a self-contained HTML page')
    .option('--fit', 'also fit dwell per place and rate levels per route family, with the 5-fold cross-validated error')
    .option('--write', 'with --fit: write the fitted values into the data files, with provenance `calibrated`')
    .option('--samples <n>', 'Monte Carlo samples per itinerary for transit times', '200')
    .action(async (opts: { json?: boolean; html?: string; samples: string; fit?: boolean; write?: boolean }) => {
      const loaded = cli.load();
      const samples = Number(opts.samples);
      const report = await calibrate(cli.service(), loaded.observations, {
        samples: Number.isInteger(samples) && samples > 0 ? samples : 200,
      });
      const fit = opts.fit ? fitReport(report, loaded.observations, cli.service().world.dataset) : undefined;
      if (opts.write && fit) {
        const written = writeFit(loaded.dir, cli.service().world.dataset, fit, fitCasesOf(report, loaded));
        cli.err(`${written.join('\n')}\n`);
      } else if (opts.write) cli.err('--write needs --fit\n');
      if (opts.html) writeFileSync(opts.html, calibrationHtml(report, cli.now()));
      if (opts.json) cli.out(`${JSON.stringify(fit ? { ...report, fit } : report, null, 2)}\n`);
      else cli.out(`${formatCalibration(report)}\n${fit ? `\n${formatFit(fit)}\n` : ''}`);
    });
};

const fitCasesOf = (report: CalibrationReport, loaded: LoadResult) =>
  fitCases(report, loaded.observations, loaded.dataset);

/**
 * Writes the fitted parameters into the files: a dwell shift spread over the assumed stops at the
 * place in proportion to their prior dwell, inside each stop's stated min and max, a charge level onto every
 * assumed charge of that parameter in every tariff set; each names the observations that informed it.
 */
function writeFit(dir: string, ds: PricedDataset, fit: FitReport, cases: readonly FitCase[]): string[] {
  const informed = (test: (c: FitCase) => boolean) => cases.filter((c) => c.model !== null && test(c)).map((c) => c.id);
  const dwell: FittedDwell[] = [];
  const node = (n: string) => fit.parameters.dwellShiftH[n] !== undefined;
  for (const [node, shift] of Object.entries(fit.parameters.dwellShiftH)) {
    const stops = ds.transfers.filter((t) => t.location === node && t.durationH.assumption !== undefined);
    const prior = stops.reduce((s, t) => s + (t.durationH.calibrated?.prior ?? t.durationH.typical), 0);
    if (prior <= 0) continue;
    const k = (prior + shift) / prior;
    const observations = informed((c) => c.nodes.includes(node));
    for (const t of stops) {
      const p = t.durationH.calibrated?.prior ?? t.durationH.typical;
      const { min, max } = t.durationH;
      dwell.push({
        location: node,
        kind: t.kind,
        min,
        typical: Math.min(max, Math.max(min, round1(p * k))),
        max,
        prior: p,
        observations,
      });
    }
  }
  // A figure fitted before whose parameter the fit no longer selects goes back to its prior.
  for (const t of ds.transfers) {
    const prior = t.durationH.calibrated?.prior;
    if (prior === undefined || node(t.location)) continue;
    const { min, max } = t.durationH;
    dwell.push({ location: t.location, kind: t.kind, min, typical: prior, max, prior, observations: [] });
  }
  const charges: FittedCharge[] = [];
  const byParam = new Map<string, string[]>();
  for (const set of ds.pricing?.tariffSets ?? [])
    for (const c of [...set.legCharges, ...set.stopCharges]) {
      const list = byParam.get(chargeParam(c)) ?? [];
      if (!list.includes(c.id)) list.push(c.id);
      byParam.set(chargeParam(c), list);
    }
  for (const [param, factor] of Object.entries(fit.parameters.priceFactor)) {
    const observations = informed((c) => c.price?.components.some((x) => x.param === param) ?? false);
    for (const chargeId of byParam.get(param) ?? []) charges.push({ chargeId, factor, observations });
  }
  for (const set of ds.pricing?.tariffSets ?? [])
    for (const c of [...set.legCharges, ...set.stopCharges])
      if (c.amount.calibrated && fit.parameters.priceFactor[chargeParam(c)] === undefined)
        charges.push({ chargeId: c.id, factor: 1, observations: [] });
  const list = (sub: string) => {
    try {
      return readdirSync(join(dir, sub))
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => `${sub}/${f}`);
    } catch {
      return [];
    }
  };
  const d = writeFittedDwell(dir, list('transfers'), dwell);
  const c = writeFittedCharges(dir, list('tariffs'), charges);
  return [
    ...d.map(
      (x) =>
        `wrote ${x.location} ${x.kind} dwell ${x.prior} → ${x.typical} h ` +
        (x.observations.length ? `(${x.observations.length} obs.)` : '(reset to its prior: no longer selected)'),
    ),
    ...c.map((x) => `wrote ${x.file} ${x.chargeId} ${x.prior} → ${x.value}`),
    `${d.length + c.length} value(s) written`,
  ];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function biasText(s: ErrorSummary): string {
  const sign = s.bias.medianSignedMiss >= 0 ? '+' : '';
  return `${s.bias.above} above / ${s.bias.below} below (median miss ${sign}${pct(s.bias.medianSignedMiss)})`;
}

function summaryRow(name: string, s: ErrorSummary): string {
  return [
    name.padEnd(16),
    String(s.count).padStart(4),
    String(s.answered).padStart(5),
    pct(s.medianError).padStart(7),
    pct(s.p90Error).padStart(7),
    pct(s.insideShare).padStart(7),
    biasText(s),
  ].join('  ');
}

function segmentRow(name: string, s: ErrorSummary): string {
  return `${name.padEnd(44)}${summaryRow('', s).slice(16)}`;
}

function fmt(v: number, unit: string): string {
  if (unit === 'USD') return `USD ${Math.round(v).toLocaleString('en-US')}`;
  if (unit === 'TEU/yr' || unit === 't/yr') return `${Math.round(v).toLocaleString('en-US')} ${unit}`;
  return `${v.toFixed(1)} ${unit}`;
}

export function formatCalibration(r: CalibrationReport): string {
  const lines: string[] = [
    `${r.observations} observations (data/observations/) · error 0 inside the range, else distance ÷ ` +
      'midpoint; unanswered = 100%',
    '',
  ];
  lines.push(`${'id'.padEnd(46)}  ${'published'.padEnd(24)}  ${'model'.padEnd(16)}  error`);
  for (const o of r.results) {
    const pub =
      o.published.min === o.published.max
        ? fmt(o.published.min, o.published.unit)
        : `${fmt(o.published.min, o.published.unit)}–${o.published.max}`;
    const model = o.model === null ? 'unanswered' : fmt(o.model, o.published.unit);
    const err = o.inside ? 'inside' : pct(o.error);
    lines.push(
      `${o.id.padEnd(46)}  ${pub.padEnd(24)}  ${model.padEnd(16)}  ${err}${o.answered ? '' : `  (${o.note})`}`,
    );
  }
  const head = `${'group'.padEnd(16)}     n  answ.   median    P90  inside  bias`;
  lines.push('', head, summaryRow('all', r.overall));
  for (const [k, s] of Object.entries(r.byKind)) lines.push(summaryRow(k, s));
  lines.push('', head);
  for (const [k, s] of Object.entries(r.byFamily)) lines.push(summaryRow(k, s));
  lines.push('', `${'price segment'.padEnd(44)}${head.slice(16)}`);
  for (const [k, s] of Object.entries(r.bySegment)) lines.push(segmentRow(k, s));
  lines.push('', `Method: ${r.method}`, 'Use --json for the options compared per observation.');
  return lines.join('\n');
}

export function formatFit(f: FitReport): string {
  const lines = ['Fit: dwell per place (hours added to its prior typical dwell) and charge levels (× prior amount)'];
  if (Object.keys(f.parameters.dwellShiftH).length + Object.keys(f.parameters.priceFactor).length === 0)
    lines.push('  (no parameter lowers the cross-validated error)');
  for (const [n, d] of Object.entries(f.parameters.dwellShiftH))
    lines.push(`  dwell ${n.padEnd(16)} ${d >= 0 ? '+' : ''}${d.toFixed(1)} h`);
  for (const [g, k] of Object.entries(f.parameters.priceFactor))
    lines.push(`  rate  ${g.padEnd(24)} × ${k.toFixed(3)}`);
  const head = `${'group'.padEnd(16)}     n  answ.   median    P90  inside  bias`;
  lines.push('', `In sample (fitted on all observations):`, head, summaryRow('all', f.inSample.overall));
  for (const [k, s] of Object.entries(f.inSample.byKind)) lines.push(summaryRow(k, s));
  lines.push(
    '',
    `Cross-validated (${f.crossValidated.folds}-fold, each observation predicted by the fit to the others):`,
    head,
  );
  lines.push(summaryRow('all', f.crossValidated.overall));
  for (const [k, s] of Object.entries(f.crossValidated.byKind)) lines.push(summaryRow(k, s));
  lines.push('', `${'price segment (CV)'.padEnd(44)}${head.slice(16)}`);
  for (const [k, s] of Object.entries(f.crossValidated.bySegment)) lines.push(segmentRow(k, s));
  lines.push(
    '',
    'Parameters enter by forward selection on the cross-validated error; the CV figures are nested (selected and',
    'fitted inside each fold). `--fit --write` writes the parameters into the data files (provenance `calibrated`).',
  );
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function calibrationHtml(r: CalibrationReport, now: Date): string {
  const rows = r.results
    .map(
      (o) =>
        `<tr class="${o.inside ? 'in' : o.answered ? 'miss' : 'none'}"><td>${esc(o.id)}</td><td>${esc(o.kind)}</td>` +
        `<td>${esc(o.family ?? '')}</td><td>${esc(o.lane)}</td><td>${esc(o.date)}</td>` +
        `<td>${esc(o.published.text)}</td>` +
        `<td>${o.model === null ? 'unanswered' : esc(fmt(o.model, o.published.unit))}</td>` +
        `<td>${o.inside ? 'inside' : pct(o.error)}</td>` +
        `<td>${esc(o.note)}</td></tr>`,
    )
    .join('\n');
  const sums = (title: string, m: Record<string, ErrorSummary>) =>
    `<h2>${esc(title)}</h2><table><tr><th>group</th><th>n</th><th>answered</th><th>median</th><th>P90</th>` +
    '<th>inside</th>' +
    `<th>above / below</th></tr>${Object.entries(m)
      .map(
        ([k, s]) =>
          `<tr><td>${esc(k)}</td><td>${s.count}</td><td>${s.answered}</td><td>${pct(s.medianError)}</td>` +
          `<td>${pct(s.p90Error)}</td>` +
          `<td>${pct(s.insideShare)}</td><td>${s.bias.above} / ${s.bias.below}</td></tr>`,
      )
      .join('')}</table>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corridor calibration</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 6px}
tr.in td{background:#e8f5e9}tr.none td{background:#fdecea}</style></head><body>
<h1>Corridor calibration</h1>
<p>${r.observations} observations, generated ${esc(now.toISOString().slice(0, 10))}. ${esc(r.method)}</p>
${sums('Overall and by kind', { all: r.overall, ...r.byKind })}${sums('By route family', r.byFamily)}
<h2>Observations</h2><table><tr><th>id</th><th>kind</th><th>family</th><th>lane</th><th>date</th>
<th>published</th><th>model</th><th>error</th><th>how</th></tr>
${rows}</table></body></html>
`;
}
