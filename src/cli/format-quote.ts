/** Terminal rendering of `corridor quote`: per option, the itemised quote and the footprint. */
import type { PricedRouteAnswer } from '../service/service.js';
import type { PricedOption } from '../tariff/priced-routes.js';
import type { QuoteItem } from '../tariff/quote.js';
import { doorToDoorLines, pricingLine, table } from './format.js';
import type { DoorToDoor } from '../service/reach.js';
import { nth } from '../model/invariant.js';

const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const tonnes = (kg: number) => `${(kg / 1000).toFixed(2)} t`;

function where(o: PricedOption, i: QuoteItem): string {
  if (i.legIndices && i.legIndices.length > 1) {
    const a = nth(o.legs, nth(i.legIndices, 0));
    const b = nth(o.legs, nth(i.legIndices, i.legIndices.length - 1));
    return (
      `legs ${nth(i.legIndices, 0) + 1}–${nth(i.legIndices, i.legIndices.length - 1) + 1} ` +
      `${a.fromName} → ${b.toName}`
    );
  }
  if (i.legIndex !== undefined) {
    const l = nth(o.legs, i.legIndex);
    return `leg ${i.legIndex + 1} ${l.fromName} → ${l.toName}`;
  }
  const name =
    o.legs.find((l) => l.from === i.node)?.fromName ?? o.legs.find((l) => l.to === i.node)?.toName ?? i.node ?? '';
  return `${name} (${i.event ?? 'stop'})`;
}

function provenance(i: QuoteItem): string {
  const tag =
    i.source !== undefined
      ? `source ${i.source}`
      : i.calibrated
        ? `calibrated (${i.calibrated.length} obs.)`
        : 'assumption';
  return i.fallback ? `${tag}, generic fallback` : tag;
}

export function formatOptionQuote(o: PricedOption): string {
  const q = o.quote;
  const e = o.emissions;
  const throughRates = q.throughRates.map((t) => `${t.id}${t.full ? '' : ` ${Math.round(t.share * 100)}%`}`).join(', ');
  const head =
    `Option ${o.option}${o.labels.length ? ` [${o.labels.join(', ')}]` : ''}: ${o.summary}\n ` +
    ` ${o.totals.durationDays.toFixed(1)} days · USD ${money(q.totalUsd)} ` +
    `(${q.basis}${throughRates.length ? `: ${throughRates}` : ''}) ` +
    `· ${tonnes(e.wtwKgCo2e)} CO2e WTW, ${tonnes(e.ttwKgCo2e)} TTW`;
  const rows = [['where', 'item', 'amount', 'USD', 'provenance']];
  for (const i of q.items)
    rows.push([where(o, i), i.description, `${i.currency} ${money(i.amount)}`, money(i.amountUsd), provenance(i)]);
  rows.push([
    '',
    'total',
    '',
    money(q.totalUsd),
    `${q.coverage.items} items: ${q.coverage.sourcedItems} sourced, ${q.coverage.assumptionItems} ` +
      `assumptions, ${q.coverage.fallbackItems} fallbacks`,
  ]);
  const items = table(rows, ['l', 'l', 'r', 'r', 'l']).replace(/^/gm, '  ');
  const erows = [['leg', 'mode', 'factor', 'km', 't-km', 'g/t-km WTW', 'kg WTW', 'kg TTW']];
  for (const l of e.legs) {
    const leg = nth(o.legs, l.legIndex);
    erows.push([
      `${l.legIndex + 1} ${leg.fromName} → ${leg.toName}`,
      l.mode,
      l.factorId,
      String(Math.round(l.distanceKm)),
      String(Math.round(l.tonneKm)),
      l.wtwGCo2ePerTkm.toFixed(1),
      l.wtwKgCo2e.toFixed(1),
      l.ttwKgCo2e.toFixed(1),
    ]);
  }
  for (const h of e.hubs)
    erows.push([`hub ${h.node}`, h.event, h.factorId, '', '', '', h.wtwKgCo2e.toFixed(1), h.ttwKgCo2e.toFixed(1)]);
  const em = table(erows, ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r']).replace(/^/gm, '  ');
  return `${head}\n\n${items}\n\n  Footprint (${e.method}), ${e.tonnes} t moved:\n${em}`;
}

/** One screen first — an option per line with its total — then each option's items and footprint. */
export function formatQuote(r: PricedRouteAnswer, only?: number): string {
  const p = r.pricing;
  const head =
    `${r.origin.name} (${r.origin.id}, ${r.origin.country}) → ` +
    `${r.destination.name} (${r.destination.id}, ${r.destination.country})\n` +
    `${p.shipment.description} · ${r.regime} times${r.query.scenario ? ` · scenario ${r.query.scenario}` : ''}\n` +
    pricingLine(p) +
    doorToDoorLines(r as { doorToDoor?: DoorToDoor });
  const options = only === undefined ? r.options : r.options.filter((o) => o.option === only);
  if (r.options.length === 0) return `${head}\n\nNo route satisfies these constraints.`;
  const rows = [['#', 'days', 'USD', 'CO2e WTW', 'items', 'option']];
  for (const o of options)
    rows.push([
      String(o.option),
      o.totals.durationDays.toFixed(1),
      money(o.quote.totalUsd),
      tonnes(o.emissions.wtwKgCo2e),
      String(o.quote.items.length),
      `${o.labels.length ? `[${o.labels.join(', ')}] ` : ''}${o.summary}`,
    ]);
  const summary = table(rows, ['r', 'r', 'r', 'r', 'r', 'l']);
  return (
    `${head}\n\n${summary}\n\n${options.map(formatOptionQuote).join('\n\n')}\n\n` +
    `${r.options.length} Pareto-optimal option(s) over time, quoted cost and WTW CO2e; amounts per the tariff ` +
    "set's components (docs/tariffs.md), --json for every field, --format pact for a PACT/iLEAP footprint."
  );
}
