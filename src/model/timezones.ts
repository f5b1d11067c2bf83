/**
 * Civil time: UTC offsets per country, for printing departures and arrivals in local time and
 * for reading timetables written in local time. Countries with one zone only; where a country
 * spans several (Russia) the zone of its corridor terminals is used (Moscow time). Offsets as in
 * the IANA tz database (2025 release): Kazakhstan is on UTC+5 everywhere since 1 March 2024,
 * Iran has kept standard time since 2022, Türkiye since 2016. EU countries follow the EU rule
 * (summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC).
 * A country missing from the table falls back to its longitude (15° per hour), rounded.
 */
import { HOURS_PER_DAY } from './units.js';

type Rule = { offsetMin: number; euDst?: boolean };

const TABLE: Record<string, Rule> = {};
const put = (codes: string, rule: Rule) => {
  for (const c of codes.split(' ')) TABLE[c] = rule;
};
put('PT GB IE', { offsetMin: 0, euDst: true });
put('AT BE CH CZ DE DK ES FR HR HU IT LU NL NO PL SE SI SK RS BA ME MK AL', { offsetMin: 60, euDst: true });
put('BG RO GR FI EE LV LT CY UA MD', { offsetMin: 120, euDst: true });
put('EG ZA', { offsetMin: 120 });
put('TR BY RU SA DJ YE IQ', { offsetMin: 180 });
put('IR', { offsetMin: 210 });
put('AZ AM GE AE OM', { offsetMin: 240 });
put('AF', { offsetMin: 270 });
put('KZ UZ TM TJ PK', { offsetMin: 300 });
put('IN LK', { offsetMin: 330 });
put('KG', { offsetMin: 360 });
put('CN SG MY HK MN', { offsetMin: 480 });

export const MINUTES_PER_DAY = HOURS_PER_DAY * 60;

/** Days since 1970-01-01 of a civil date. @see H. Hinnant, "chrono-compatible low-level date algorithms". */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (inverse of daysFromCivil). */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d };
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function lastSunday(y: number, m: number, daysInMonth: number): number {
  const last = daysFromCivil(y, m, daysInMonth);
  return last - ((weekdayOfDay(last) + 1) % 7);
}

/** True when the EU summer-time rule is in force at this UTC instant (minutes since the epoch). */
function euSummerTime(utcMin: number): boolean {
  const { y } = civilFromDays(Math.floor(utcMin / MINUTES_PER_DAY));
  const start = lastSunday(y, 3, 31) * MINUTES_PER_DAY + 60;
  const end = lastSunday(y, 10, 31) * MINUTES_PER_DAY + 60;
  return utcMin >= start && utcMin < end;
}

/** Has the country a rule in the table (rather than the longitude fallback)? */
export function hasTimeZoneRule(country: string): boolean {
  return country in TABLE;
}

/** UTC offset in minutes of the country's civil time at a UTC instant (minutes since the epoch). */
export function utcOffsetMinutes(country: string, utcMin: number, lonFallback = 0): number {
  const rule = TABLE[country];
  if (!rule) return Math.round(lonFallback / 15) * 60;
  return rule.offsetMin + (rule.euDst && euSummerTime(utcMin) ? 60 : 0);
}

/**
 * UTC minutes of a local wall-clock time (minutes since the epoch as if local were UTC). Around a
 * summer-time change the offset of the local instant is used; a skipped hour maps forward.
 */
export function localToUtcMinutes(country: string, localMin: number, lonFallback = 0): number {
  const guess = localMin - utcOffsetMinutes(country, localMin, lonFallback);
  return localMin - utcOffsetMinutes(country, guess, lonFallback);
}
