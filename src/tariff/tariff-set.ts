/**
 * Which tariff set prices a quote: the one valid on the quote date; without a date, the most
 * recent set (latest validFrom), quoted as of its first day. A date no set covers is an error that
 * lists the periods the data has.
 */
import { CorridorError } from '../model/errors.js';
import type { TariffSet } from '../model/pricing-types.js';
import { nth } from '../model/invariant.js';

export interface TariffChoice {
  set: TariffSet;
  /** The date the quote is priced for (FX as of this date). */
  date: string;
  /** False when no date was asked for and the latest set was taken. */
  dated: boolean;
}

export function periodOf(s: TariffSet): string {
  return `${s.id} ${s.validFrom} to ${s.validTo ?? 'open end'}`;
}

export function chooseTariffSet(sets: readonly TariffSet[], date?: string): TariffChoice {
  if (sets.length === 0)
    throw new CorridorError('invalid-dataset', 'the dataset has no tariff sets (tariffs/<id>.yaml)');
  if (date === undefined) {
    const latest = nth(
      [...sets].sort((a, b) => b.validFrom.localeCompare(a.validFrom)),
      0,
    );
    return { set: latest, date: latest.validFrom, dated: false };
  }
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    !new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
  ) {
    throw new CorridorError('invalid-argument', `"${date}" is not a calendar date YYYY-MM-DD`, {}, 'date');
  }
  const set = sets.find((s) => s.validFrom <= date && (s.validTo === undefined || date <= s.validTo));
  if (!set) {
    throw new CorridorError(
      'invalid-argument',
      `no tariff set is valid on ${date}; the data has ${[...sets]
        .sort((a, b) => a.validFrom.localeCompare(b.validFrom))
        .map(periodOf)
        .join('; ')}`,
      {},
      'date',
    );
  }
  return { set, date, dated: true };
}
