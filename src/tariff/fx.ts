/**
 * Currency conversion from the dated FX table: an amount converts at the latest snapshot on or
 * before the quote date that gives its currency (a EUR-based snapshot converts through its own
 * USD rate). A date before the first rate of a currency is an error, never a silent guess.
 */
import { CorridorError } from '../model/errors.js';
import type { FxSnapshot } from '../model/pricing-types.js';
import type { Provenance } from '../model/types.js';
import { must } from '../model/invariant.js';

export interface FxRate {
  /** US dollars per one unit of the currency. */
  usdPerUnit: number;
  /** Date of the snapshot used. */
  date: string;
  provenance: Provenance;
}

export type FxConverter = (currency: string) => FxRate;

export function fxConverter(snapshots: readonly FxSnapshot[], date: string): FxConverter {
  const sorted = [...snapshots].sort((a, b) => b.date.localeCompare(a.date));
  const cache = new Map<string, FxRate>();
  return (currency) => {
    if (currency === 'USD')
      return { usdPerUnit: 1, date, provenance: { assumption: 'amounts in US dollars need no conversion' } };
    const hit = cache.get(currency);
    if (hit) return hit;
    for (const s of sorted) {
      if (s.date > date) continue;
      const units = s.base === currency ? 1 : s.rates[currency]?.value;
      if (units === undefined) continue;
      // units of `currency` per base; USD per base from the same snapshot.
      const usdPerBase = s.base === 'USD' ? 1 : must(s.rates.USD).value;
      const q = must(s.base === currency ? s.rates.USD : s.rates[currency]);
      const { value: _v, ...provenance } = q;
      const rate = { usdPerUnit: usdPerBase / units, date: s.date, provenance: provenance as Provenance };
      cache.set(currency, rate);
      return rate;
    }
    const dates = snapshots
      .filter((s) => s.base === currency || currency in s.rates)
      .map((s) => s.date)
      .sort();
    throw new CorridorError(
      'invalid-argument',
      dates.length
        ? `no exchange rate for ${currency} on or before ${date}; fx.yaml has ${currency} from ${dates[0]}`
        : `no exchange rate for ${currency} in fx.yaml`,
    );
  };
}
