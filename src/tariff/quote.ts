/**
 * The itemised quote and the footprint of one option, built from its legs with the same Pricer
 * and Footprinter that priced the graph, so `quote.totalUsd` is what the search optimised. Every
 * item names the leg or node it belongs to, its amount in its own currency and in USD, and its
 * source or assumption; the items sum to the total.
 */
import { CorridorError } from '../model/errors.js';
import type { ChargeCategory, StopEvent } from '../model/pricing-types.js';
import type { Mode } from '../model/types.js';
import { classOfLink } from '../network/compile.js';
import type { Footprint, Footprinter, HubFootprint, LegFootprint } from '../emissions/footprint.js';
import { grossTonnes } from './cargo.js';
import { isRailClass } from './priced-network.js';
import { roundTo, sumUsd, type ItemCategory, type PricedItem, type Pricer } from './pricer.js';
import type { TariffChoice } from './tariff-set.js';
import { nth, must } from '../model/invariant.js';

export interface QuoteItem {
  description: string;
  chargeId: string;
  category: ItemCategory;
  /** The leg the item prices (0-based), or the first of several for a through-rate. */
  legIndex?: number;
  legIndices?: number[];
  /** The location of a stop item, with the event. */
  node?: string;
  event?: StopEvent;
  calculation: string;
  amount: number;
  currency: string;
  amountUsd: number;
  /** USD per unit of `currency` and the date of the FX snapshot (absent for USD). */
  fxUsdPerUnit?: number;
  fxDate?: string;
  source?: string;
  ref?: string;
  assumption?: string;
  basis?: string[];
  /** The amount was fitted to these observations (the assumption says what it is). */
  calibrated?: string[];
  note?: string;
  /** Priced by the generic rate or transfer cost because no tariff component applied. */
  fallback?: true;
  throughRate?: string;
}

export interface AppliedThroughRate {
  id: string;
  description: string;
  legIndices: number[];
  /** True when the option runs the whole chain. */
  full: boolean;
  /** Share of the chain's distance the option runs. */
  share: number;
  amountUsd: number;
  /** What the same legs cost by their segment charges, for comparison. */
  segmentsUsd: number;
}

export interface Quote {
  totalUsd: number;
  currency: 'USD';
  tariffSet: { id: string; title: string; validFrom: string; validTo: string | null };
  /** The date priced for (FX and tariffs); with `dated: false` the latest set's first day. */
  date: string;
  dated: boolean;
  /** Whether segment charges, a through-rate, or both priced the line haul. */
  basis: 'segments' | 'through-rate' | 'mixed';
  throughRates: AppliedThroughRate[];
  items: QuoteItem[];
  coverage: { items: number; fallbackItems: number; sourcedItems: number; assumptionItems: number };
}

export interface OptionEmissions extends Footprint {
  legs: LegFootprint[];
  hubs: HubFootprint[];
}

/**
 * What quoting needs of an option: its number and its link traversals in order (route options and plan itineraries
 * both provide it).
 */
export interface QuotablePath {
  option: number;
  legs: readonly { linkId: string; from: string; to: string }[];
}

interface Step {
  legIndex: number;
  linkId: string;
  fromId: string;
}

function stepsOf(option: QuotablePath, pricer: Pricer): { steps: Step[]; classes: number[]; modes: Mode[] } {
  const steps: Step[] = [];
  const classes: number[] = [];
  const modes: Mode[] = [];
  option.legs.forEach((leg, i) => {
    const link = pricer.linkById(leg.linkId);
    if (!link)
      throw new CorridorError(
        'invalid-argument',
        `option ${option.option} uses link ${leg.linkId}, which the dataset does not have`,
      );
    steps.push({ legIndex: i, linkId: link.id, fromId: leg.from });
    classes.push(classOfLink(link));
    modes.push(link.mode);
  });
  return { steps, classes, modes };
}

function toQuoteItem(p: PricedItem, where: Pick<QuoteItem, 'legIndex' | 'node' | 'event'>): QuoteItem {
  const q: QuoteItem = {
    description: p.description,
    chargeId: p.chargeId,
    category: p.category,
    ...where,
    calculation: p.calculation,
    amount: roundTo(p.amount, 2),
    currency: p.currency,
    amountUsd: roundTo(p.amountUsd, 2),
  };
  if (p.currency !== 'USD') {
    q.fxUsdPerUnit = Number(p.fx.usdPerUnit.toPrecision(6));
    q.fxDate = p.fx.date;
  }
  const pr = p.provenance;
  if (pr.source !== undefined) {
    q.source = pr.source;
    if (pr.ref !== undefined) q.ref = pr.ref;
  } else {
    q.assumption = pr.assumption;
    if (pr.basis !== undefined) q.basis = pr.basis;
    if (pr.calibrated !== undefined) q.calibrated = pr.calibrated.observations;
  }
  if (pr.note !== undefined) q.note = pr.note;
  if (p.fallback) q.fallback = true;
  if (p.throughRate) q.throughRate = p.throughRate.id;
  return q;
}

export function quoteOption(option: QuotablePath, pricer: Pricer, choice: TariffChoice): Quote {
  const { steps, classes, modes } = stepsOf(option, pricer);
  const items: QuoteItem[] = [];
  const through = new Map<string, AppliedThroughRate>();
  const last = steps.length - 1;
  steps.forEach((s, i) => {
    const link = must(pricer.linkById(s.linkId));
    if (i === 0)
      for (const p of pricer.stop(s.fromId, ['origin'], [nth(modes, 0)]))
        items.push(toQuoteItem(p, { node: s.fromId, event: 'origin' }));
    for (const p of pricer.leg(link, s.fromId)) {
      const prev = items[items.length - 1];
      if (p.throughRate) {
        const applied = through.get(p.throughRate.id) ?? {
          id: p.throughRate.id,
          description: p.throughRate.description,
          legIndices: [],
          full: false,
          share: 0,
          amountUsd: 0,
          segmentsUsd: 0,
        };
        applied.legIndices.push(i);
        applied.share += p.throughRate.shareKm / p.throughRate.chainKm;
        applied.amountUsd += p.amountUsd;
        applied.segmentsUsd += sumUsd(pricer.leg(link, s.fromId, { ignoreThroughRates: true }));
        through.set(p.throughRate.id, applied);
        // Consecutive legs of one through-rate become one line.
        if (
          prev?.throughRate === p.throughRate.id &&
          prev.legIndices &&
          prev.legIndices[prev.legIndices.length - 1] === i - 1
        ) {
          prev.legIndices.push(i);
          prev.amount = roundTo(prev.amount + p.amount, 2);
          prev.amountUsd = roundTo(prev.amountUsd + p.amountUsd, 2);
          prev.calculation = `${roundTo(applied.share * 100, 1)}% of the chain by distance`;
          continue;
        }
        items.push({ ...toQuoteItem(p, { legIndex: i }), legIndices: [i] });
        continue;
      }
      items.push(toQuoteItem(p, { legIndex: i }));
    }
    if (i < last) {
      const at = nth(option.legs, i).to;
      const a = nth(classes, i);
      const b = nth(classes, i + 1);
      const events = pricer.stopEvents(at, isRailClass(a), isRailClass(b), a === b);
      const stopModes = a === b ? [nth(modes, i)] : [nth(modes, i), nth(modes, i + 1)];
      for (const p of pricer.stop(at, events, stopModes))
        items.push(toQuoteItem(p, { node: at, ...(p.event ? { event: p.event } : {}) }));
    } else {
      const at = nth(option.legs, i).to;
      for (const p of pricer.stop(at, ['destination'], [nth(modes, i)]))
        items.push(toQuoteItem(p, { node: at, event: 'destination' }));
    }
  });
  const throughRates = [...through.values()].map((t) => ({
    ...t,
    full: t.share > 0.999,
    share: roundTo(t.share, 4),
    amountUsd: roundTo(t.amountUsd, 2),
    segmentsUsd: roundTo(t.segmentsUsd, 2),
  }));
  const freightLegs = new Set(
    items
      .filter((x) => x.legIndex !== undefined && isFreight(x.category))
      .flatMap((x) => x.legIndices ?? [must(x.legIndex)]),
  );
  const throughLegs = new Set(throughRates.flatMap((t) => t.legIndices));
  const basis =
    throughLegs.size === 0 ? 'segments' : [...freightLegs].every((l) => throughLegs.has(l)) ? 'through-rate' : 'mixed';
  const set = choice.set;
  return {
    totalUsd: roundTo(
      items.reduce((s, x) => s + x.amountUsd, 0),
      2,
    ),
    currency: 'USD',
    tariffSet: { id: set.id, title: set.title, validFrom: set.validFrom, validTo: set.validTo ?? null },
    date: choice.date,
    dated: choice.dated,
    basis,
    throughRates,
    items,
    coverage: {
      items: items.length,
      fallbackItems: items.filter((x) => x.fallback).length,
      sourcedItems: items.filter((x) => x.source !== undefined).length,
      assumptionItems: items.filter((x) => x.assumption !== undefined).length,
    },
  };
}

function isFreight(c: ItemCategory): boolean {
  return c === 'line-haul' || c === 'sea-freight' || c === 'ferry-freight' || c === 'generic-rate';
}

export function footprintOption(option: QuotablePath, pricer: Pricer, footprinter: Footprinter): OptionEmissions {
  const { classes } = stepsOf(option, pricer);
  const tonnes = grossTonnes(pricer.cargo);
  const legs: LegFootprint[] = [];
  const hubs: HubFootprint[] = [];
  option.legs.forEach((leg, i) => {
    legs.push(footprinter.leg(must(pricer.linkById(leg.linkId)), tonnes, i));
    if (i < option.legs.length - 1 && classes[i] !== classes[i + 1]) {
      const event = isRailClass(nth(classes, i)) && isRailClass(nth(classes, i + 1)) ? 'gauge-change' : 'handling';
      const h = footprinter.hub(leg.to, event, tonnes, i);
      if (h) hubs.push(h);
    }
  });
  const all = [...legs, ...hubs];
  return {
    method: footprinter.table.method,
    wtwKgCo2e: all.reduce((s, x) => s + x.wtwKgCo2e, 0),
    ttwKgCo2e: all.reduce((s, x) => s + x.ttwKgCo2e, 0),
    tonnes,
    legs,
    hubs,
  };
}

/** Rounded copy for output (kg to 0.1, intensities to 0.01 g). */
export function roundFootprint(f: OptionEmissions): OptionEmissions {
  const r1 = (x: number) => roundTo(x, 1);
  return {
    ...f,
    wtwKgCo2e: r1(f.wtwKgCo2e),
    ttwKgCo2e: r1(f.ttwKgCo2e),
    tonnes: roundTo(f.tonnes, 3),
    legs: f.legs.map((l) => ({
      ...l,
      tonnes: roundTo(l.tonnes, 3),
      tonneKm: r1(l.tonneKm),
      ttwGCo2ePerTkm: roundTo(l.ttwGCo2ePerTkm, 2),
      wtwGCo2ePerTkm: roundTo(l.wtwGCo2ePerTkm, 2),
      ttwKgCo2e: r1(l.ttwKgCo2e),
      wtwKgCo2e: r1(l.wtwKgCo2e),
    })),
    hubs: f.hubs.map((h) => ({
      ...h,
      tonnes: roundTo(h.tonnes, 3),
      ttwKgCo2e: r1(h.ttwKgCo2e),
      wtwKgCo2e: r1(h.wtwKgCo2e),
    })),
  };
}

export type { ChargeCategory };
