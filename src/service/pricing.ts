/**
 * Whether and how an answer is priced — decided here, once, for route, plan, quote, DCSA and jobs.
 *
 * The tariff date: the ready date, else the quote date, else today. A ready date or "today" that
 * no tariff set covers is priced with the latest set, and the answer says so; an explicit quote
 * date no set covers is the caller's mistake (an error naming `date`). Every priced answer states
 * the date, the tariff set and why that date was used (`pricing.basis`, `pricing.rule`).
 */
import { dayOf } from '../model/iso-time.js';
import { CorridorError } from '../model/errors.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { CargoRequest } from '../tariff/cargo.js';
import type { PricingRequest } from '../tariff/priced-routes.js';
import { periodOf } from '../tariff/tariff-set.js';
import type { RouteRequest } from './requests.js';

export const TARIFF_DATE_RULE = 'the tariff date is the ready date, else the quote date, else today';

/** Why the answer is priced for its date. */
export type PricingBasis = 'ready-date' | 'quote-date' | 'today' | 'latest-tariff-set';

export interface PricingDecision {
  /** What the tariff engine gets: the date (undefined: the latest set) and the shipment. */
  request: PricingRequest;
  basis: PricingBasis;
  /** A sentence for the answer's notes when the date asked for could not be priced. */
  note?: string;
}

const covers = (ds: PricedDataset, date: string) =>
  (ds.pricing?.tariffSets ?? []).some((s) => s.validFrom <= date && (s.validTo === undefined || date <= s.validTo));

/** The pricing of a request, or undefined when the dataset has no tariffs (answers carry nominal costs). */
export function decidePricing(ds: PricedDataset, req: RouteRequest, today: string): PricingDecision | undefined {
  if (!ds.pricing) return undefined;
  const cargo: CargoRequest = {
    ...(req.shipment.containers !== undefined ? { containers: req.shipment.containers } : {}),
    ...(req.shipment.weight !== undefined ? { weight: req.shipment.weight } : {}),
    dangerousGoods: req.shipment.dangerousGoods,
    reefer: req.shipment.reefer,
  };
  const readyDate = req.ready !== undefined ? dayOf(req.ready) : undefined;
  if (req.date !== undefined) {
    if (!covers(ds, req.date)) {
      const periods = [...ds.pricing.tariffSets].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      throw new CorridorError(
        'invalid-argument',
        `no tariff set is valid on ${req.date}; the data has ${periods.map(periodOf).join('; ')}`,
        {},
        'date',
      );
    }
    return { request: { cargo, date: req.date }, basis: 'quote-date' };
  }
  const [date, basis] = readyDate !== undefined ? [readyDate, 'ready-date' as const] : [today, 'today' as const];
  if (covers(ds, date)) return { request: { cargo, date }, basis };
  return {
    request: { cargo },
    basis: 'latest-tariff-set',
    note:
      `no tariff set is valid on ${basis === 'ready-date' ? 'the ready date' : 'today'} ${date}; quotes ` +
      `use the latest set`,
  };
}

/** The fields every priced answer carries in `pricing`. */
export function pricingStatement(d: PricingDecision): { basis: PricingBasis; rule: string } {
  return { basis: d.basis, rule: TARIFF_DATE_RULE };
}
