/** Terminal rendering of `corridor plan`. */
import type { PlanResult } from '../schedule/plan.js';
import type { PlanAnswer } from '../service/service.js';
import { doorToDoorLines, inEffectLines, pricingLine } from './format.js';

const usd = (x: number) => `USD ${Math.round(x).toLocaleString('en-US')}`;
const days = (h: number | null) => (h === null ? '—' : (h / 24).toFixed(1));
/** "2025-01-08T10:00:00+08:00" → "2025-01-08 10:00". */
const short = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
/** The UTC offset of an RFC 3339 local time ("+08:00"). */
const offset = (iso: string) => iso.slice(19);

/**
 * A leg's local departure and arrival. Where the leg changes time zone both carry their offsets:
 * "10:13 → 09:55" Brest → Małaszewicze would otherwise read as arriving before departing.
 */
function legTimes(departure: string, arrival: string): string {
  if (offset(departure) === offset(arrival)) return `${short(departure)} → ${short(arrival)}`;
  return `${short(departure)} ${offset(departure)} → ${short(arrival)} ${offset(arrival)}`;
}

/** "10,000 samples", or the adaptive default's rule. */
function samplingText(q: PlanResult['query']): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const p = q.precision;
  if (!p) return `${n(q.samples)} samples`;
  return (
    `${n(p.stages[0] ?? q.samples)}–${n(q.samples)} samples (until P10/P50/P90 are within ±${p.minHalfWidthH} h ` +
    `or ±${p.relativeHalfWidth * 100}%, 95%)`
  );
}

export function formatPlan(r: PlanResult | PlanAnswer): string {
  const head =
    `${r.origin.name} (${r.origin.id}) → ${r.destination.name} (${r.destination.id}) · ready ` +
    `${short(r.query.ready)} local (${r.query.ready.slice(19)})\n` +
    (`${r.cargo.description} · regime ${r.regime} · Monte Carlo ` + `${samplingText(r.query)}, seed ${r.query.seed}`) +
    (r.query.avoidCountries.length ? ` · avoiding ${r.query.avoidCountries.join(', ')}` : '') +
    ('pricing' in r && r.pricing ? `\n${pricingLine(r.pricing)}` : '') +
    inEffectLines(r.query.inEffect) +
    ('doorToDoor' in r ? doorToDoorLines(r) : '');
  const notes = r.notes.length ? `\n\nNotes:\n${r.notes.map((n) => `  - ${n}`).join('\n')}` : '';
  if (r.itineraries.length === 0) return `${head}\n\nNo itinerary.${notes}`;
  const blocks = r.itineraries.map((it) => {
    const title = `${it.option}. ${it.labels.length ? `[${it.labels.join(', ')}] ` : ''}${it.summary}`;
    const line =
      `   planned arrival ${short(it.plannedArrival)} (${days(it.totals.durationH * 1)} d, waiting ` +
      `${days(it.totals.waitingH)} d) · ` +
      (`P10/P50/P90 ${days(it.arrival.p10H)} / ${days(it.arrival.p50H)} / ${days(it.arrival.p90H)} d · ` +
        `${usd(it.totals.costUsd)} · ${(it.totals.co2eKg / 1000).toFixed(1)} t CO2e`);
    const legs = it.legs.map((l) => {
      const svc = l.service
        ? `${l.service.name}${l.service.kind === 'when-full' ? ' (departs when full)' : ''}`
        : 'no published service (continuous)';
      const wait = l.waitH > 0 ? ` after ${l.waitH.toFixed(1)} h wait` : '';
      return `     ${legTimes(l.departure, l.arrival)}  ${l.fromName} → ${l.toName} by ${l.mode}${wait} · ${svc}`;
    });
    return [title, line, ...legs].join('\n');
  });
  return (
    `${head}\n\n${blocks.join('\n\n')}${notes}\n\nTimes are local at each place (with the UTC offset where a leg ` +
    'changes zone). Use --json for stops, calls and cut-offs, or --dcsa for DCSA point-to-point routings.'
  );
}
