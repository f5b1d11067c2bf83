/**
 * Prices one leg (a link traversed in one direction) or one stop (what happens at a location
 * between two legs, or at the ends of the trip) for a shipment under one tariff set. The same
 * functions price the arcs of the graph the Pareto search runs on (priced-network.ts) and the
 * itemised quote of each option (quote.ts), so the search optimises exactly what the quote shows.
 *
 * Leg: a through-rate covering the link (its distance share) replaces the link's charges of the
 * categories it lists; then, per charge category, the most specific matching leg charge; if no
 * freight charge (line haul, sea or ferry freight) applies, the generic rate of rates.yaml (or the
 * link's own costUsdPerTeu) per TEU.
 * Stop: per event (origin, destination, handling, gauge-change, border) the most specific
 * matching stop charge per category; a handling, gauge-change or border event with no charge
 * falls back to the transfer's costUsdPerTeu in transfers.yaml.
 */
import { CorridorError } from '../model/errors.js';
import {
  FREIGHT_CATEGORIES,
  type FreightIndex,
  type ChargeCategory,
  type LegCharge,
  type PricedDataset,
  type StopCharge,
  type StopEvent,
  type TariffSet,
  type ThroughRate,
} from '../model/pricing-types.js';
import {
  legSpecificity,
  matchesLeg,
  matchesStop,
  mostSpecificPer,
  stopSpecificity,
  type StopContext,
} from '../model/pricing-select.js';
import type { Link, Mode, Provenance, Transfer, TransferKind } from '../model/types.js';
import { cargoTeu, type Cargo } from './cargo.js';
import { chargeAmount, provenanceOf, throughRateAmount } from './charges.js';
import type { FxConverter, FxRate } from './fx.js';
import { describeReading, readIndex, readingProvenance } from './freight-index.js';
import { nth } from '../model/invariant.js';

export type ItemCategory = ChargeCategory | 'generic-rate';

/** One line of a price before rounding. */
export interface PricedItem {
  chargeId: string;
  description: string;
  category: ItemCategory;
  calculation: string;
  amount: number;
  currency: string;
  amountUsd: number;
  fx: FxRate;
  provenance: Provenance;
  /** True when no tariff component applied and the generic rate or transfer cost stood in. */
  fallback: boolean;
  event?: StopEvent;
  throughRate?: { id: string; description: string; shareKm: number; chainKm: number };
}

export interface PricerInput {
  dataset: PricedDataset;
  set: TariffSet;
  cargo: Cargo;
  fx: FxConverter;
  /** The pricing date (indexed charges read their series at it). */
  date: string;
}

interface ChainInfo {
  rate: ThroughRate;
  chainKm: number;
}

export class Pricer {
  readonly set: TariffSet;
  readonly cargo: Cargo;
  private readonly links: Map<string, Link>;
  private readonly transfers: Map<string, Partial<Record<TransferKind, Transfer>>>;
  private readonly countryOf: Map<string, string>;
  private readonly chains = new Map<string, ChainInfo>();
  private readonly rates: Map<Mode, PricerInput['dataset']['rates']['modes'][number]>;
  private readonly legCache = new Map<string, PricedItem[]>();
  private readonly stopCache = new Map<string, PricedItem[]>();
  private readonly indices: Map<string, FreightIndex>;

  constructor(private readonly input: PricerInput) {
    this.set = input.set;
    this.cargo = input.cargo;
    this.links = new Map(input.dataset.links.map((l) => [l.id, l]));
    this.transfers = new Map();
    for (const t of input.dataset.transfers) {
      const m = this.transfers.get(t.location) ?? {};
      m[t.kind] = t;
      this.transfers.set(t.location, m);
    }
    this.countryOf = new Map(input.dataset.locations.map((l) => [l.id, l.country]));
    this.rates = new Map(input.dataset.rates.modes.map((r) => [r.mode, r]));
    this.indices = new Map((input.dataset.pricing?.indices ?? []).map((i) => [i.id, i]));
    for (const rate of this.set.throughRates) {
      const chainLinks = rate.links.map((id) => this.links.get(id)).filter((l): l is Link => l !== undefined);
      if (chainLinks.length !== rate.links.length) continue;
      const info = { rate, chainKm: chainLinks.reduce((s, l) => s + l.distanceKm.value, 0) };
      let at = startOfChain(chainLinks);
      for (const l of chainLinks) {
        const next = l.from === at ? l.to : l.from;
        // Keyed by link and the location it is entered from: a one-way rate covers one direction.
        this.chains.set(`${l.id}|${at}`, info);
        if (rate.bidirectional) this.chains.set(`${l.id}|${next}`, info);
        at = next;
      }
    }
  }

  private item(fields: Omit<PricedItem, 'amountUsd' | 'fx'>): PricedItem {
    const fx = this.input.fx(fields.currency);
    return { ...fields, amountUsd: fields.amount * fx.usdPerUnit, fx };
  }

  /** Line items for traversing `link` starting at `fromLocation`. */
  leg(link: Link, fromLocation: string, options: { ignoreThroughRates?: boolean } = {}): PricedItem[] {
    const key = `${link.id}|${fromLocation}|${options.ignoreThroughRates ? 1 : 0}`;
    const hit = this.legCache.get(key);
    if (hit) return hit;
    const items: PricedItem[] = [];
    const km = link.distanceKm.value;
    let replaced: readonly ChargeCategory[] = [];
    const chain = options.ignoreThroughRates ? undefined : this.chains.get(`${link.id}|${fromLocation}`);
    if (chain) {
      const whole = throughRateAmount(chain.rate, this.set, this.cargo);
      const share = km / chain.chainKm;
      items.push(
        this.item({
          chargeId: chain.rate.id,
          description: chain.rate.description,
          category: 'line-haul',
          calculation:
            `${roundTo(km, 1)} of ${roundTo(chain.chainKm, 1)} km of the through-rate ` + `(${whole.calculation})`,
          amount: whole.amount * share,
          currency: chain.rate.currency,
          provenance: whole.provenance,
          fallback: false,
          throughRate: { id: chain.rate.id, description: chain.rate.description, shareKm: km, chainKm: chain.chainKm },
        }),
      );
      replaced = chain.rate.replaces;
    }
    const matching = this.set.legCharges.filter(
      (c) => !replaced.includes(c.category) && matchesLeg(c.on, link, fromLocation),
    );
    for (const c of mostSpecificPer(matching, chargeKey, (x) => legSpecificity(x.on))) {
      items.push(...this.charge(c, km));
    }
    const hasFreight = items.some((i) => (FREIGHT_CATEGORIES as readonly string[]).includes(i.category));
    if (!hasFreight && !replaced.some((c) => FREIGHT_CATEGORIES.includes(c))) items.push(this.genericLeg(link));
    this.legCache.set(key, items);
    return items;
  }

  /** An indexed charge with the amount of its series at the pricing date, and what the quote line says. */
  private dated(c: LegCharge | StopCharge): { charge: LegCharge | StopCharge; note?: string } {
    const series = c.index ? this.indices.get(c.index.series) : undefined;
    if (!series) return { charge: c };
    const r = readIndex(series, this.input.date);
    return {
      charge: { ...c, amount: { value: r.value, ...readingProvenance(series, r) } },
      note: describeReading(series, r),
    };
  }

  private charge(original: LegCharge | StopCharge, km: number, event?: StopEvent): PricedItem[] {
    const { charge: c, note } = this.dated(original);
    const computed = chargeAmount(c, this.set, this.cargo, km);
    if (!computed) return [];
    const a = note ? { ...computed, calculation: `${computed.calculation} (${note})` } : computed;
    const out = [
      this.item({
        chargeId: c.id,
        description: c.description,
        category: c.category,
        calculation: a.calculation,
        amount: a.amount,
        currency: c.currency,
        provenance: a.provenance,
        fallback: false,
        ...(event ? { event } : {}),
      }),
    ];
    if (c.discountPct && c.discountPct.value > 0) {
      out.push(
        this.item({
          chargeId: `${c.id}-discount`,
          description: `${c.discountNote ?? 'discount'} (−${c.discountPct.value}% on ${c.description})`,
          category: c.category,
          calculation: `−${c.discountPct.value}% × ${c.currency} ${roundTo(a.amount, 2)}`,
          amount: (-a.amount * c.discountPct.value) / 100,
          currency: c.currency,
          provenance: provenanceOf(c.discountPct),
          fallback: false,
          ...(event ? { event } : {}),
        }),
      );
    }
    return out;
  }

  private genericLeg(link: Link): PricedItem {
    const teu = cargoTeu(this.cargo);
    const km = link.distanceKm.value;
    if (link.costUsdPerTeu) {
      return this.item({
        chargeId: `generic-${link.id}`,
        description:
          `${link.mode} freight ${link.id} (flat rate of the link; ` + `no component in tariff set ${this.set.id})`,
        category: 'generic-rate',
        calculation: `${roundTo(teu, 2)} TEU @ USD ${link.costUsdPerTeu.value}/TEU`,
        amount: teu * link.costUsdPerTeu.value,
        currency: 'USD',
        provenance: provenanceOf(link.costUsdPerTeu),
        fallback: true,
      });
    }
    const rate = this.rates.get(link.mode);
    if (!rate)
      throw new CorridorError(
        'invalid-dataset',
        `no tariff component and no rates.yaml rate prices ${link.mode} link ${link.id}`,
      );
    return this.item({
      chargeId: `generic-${link.mode}`,
      description:
        `${link.mode} freight ${link.id} (generic ${link.mode} rate; ` + `no component in tariff set ${this.set.id})`,
      category: 'generic-rate',
      calculation: `${roundTo(km, 1)} km × ${roundTo(teu, 2)} TEU @ USD ${rate.costUsdPerTeuKm.value}/TEU-km`,
      amount: km * teu * rate.costUsdPerTeuKm.value,
      currency: 'USD',
      provenance: provenanceOf(rate.costUsdPerTeuKm),
      fallback: true,
    });
  }

  /** Line items for the events at a stop. `modes`: the modes on either side (one at the ends). */
  stop(location: string, events: readonly StopEvent[], modes: readonly Mode[]): PricedItem[] {
    const key = `${location}|${events.join(',')}|${modes.join(',')}`;
    const hit = this.stopCache.get(key);
    if (hit) return hit;
    const items: PricedItem[] = [];
    const country = this.countryOf.get(location) ?? '';
    for (const event of events) {
      const ctx: StopContext = { event, location, country, modes };
      const matching = this.set.stopCharges.filter((c) => matchesStop(c.at, ctx));
      const chosen = mostSpecificPer(matching, chargeKey, (x) => stopSpecificity(x.at));
      const eventItems = chosen.flatMap((c) => this.charge(c, 0, event));
      if (chosen.length === 0 && event !== 'origin' && event !== 'destination') {
        const t = this.transfers.get(location)?.[event];
        if (t) {
          const teu = cargoTeu(this.cargo);
          eventItems.push(
            this.item({
              chargeId: `transfer-${location}-${event}`,
              description:
                `${event} at ${location} (transfer cost in transfers.yaml; no ` +
                `component in tariff set ${this.set.id})`,
              category: event === 'border' ? 'border' : event === 'gauge-change' ? 'gauge-change' : 'terminal-handling',
              calculation: `${roundTo(teu, 2)} TEU @ USD ${t.costUsdPerTeu.value}/TEU`,
              amount: teu * t.costUsdPerTeu.value,
              currency: 'USD',
              provenance: provenanceOf(t.costUsdPerTeu),
              fallback: true,
              event,
            }),
          );
        }
      }
      items.push(...eventItems);
    }
    this.stopCache.set(key, items);
    return items;
  }

  /** Events at a stop between a leg of class `inClass` and one of `outClass` (names from compile.ts). */
  stopEvents(location: string, railIn: boolean, railOut: boolean, sameClass: boolean): StopEvent[] {
    const events: StopEvent[] = [];
    if (this.transfers.get(location)?.border) events.push('border');
    if (!sameClass) events.push(railIn && railOut ? 'gauge-change' : 'handling');
    return events;
  }

  linkById(id: string): Link | undefined {
    return this.links.get(id);
  }
}

/** Charges compete per category and condition: a conditional surcharge never displaces another. */
function chargeKey(c: LegCharge | StopCharge): string {
  return `${c.category}|${JSON.stringify(c.when ?? {})}`;
}

/** The end of the chain's first link that the second link does not touch. */
function startOfChain(links: Link[]): string {
  const first = nth(links, 0);
  const second = links[1];
  if (!second) return first.from;
  return second.from === first.to || second.to === first.to ? first.from : first.to;
}

export const roundTo = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const sumUsd = (items: readonly PricedItem[]): number => items.reduce((s, i) => s + i.amountUsd, 0);
