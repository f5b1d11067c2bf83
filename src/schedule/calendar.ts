/**
 * Service calendars: one bit per day of the validity period (bit d set = the service departs on
 * local day `firstDay + d`), plus the departure times of a service day. A three-year timetable is
 * 35 words, whatever its frequency, and finding the next departure skips empty words 32 days at a
 * time. Times are local at the service's first location; instants are hours since the epoch (UTC).
 */
import { localToUtcMinutes, utcOffsetMinutes, weekdayOfDay, MINUTES_PER_DAY } from '../model/timezones.js';
import { parseClock, parseDay } from '../model/iso-time.js';
import { WEEKDAYS, type Timetable } from '../model/types.js';

export interface ServiceCalendar {
  /** Local day number (days since 1970-01-01) of bit 0: the first day of validity. */
  readonly firstDay: number;
  /** Last day of validity (inclusive). */
  readonly lastDay: number;
  readonly bits: Uint32Array;
  /** Departure times of a service day, minutes after local midnight, ascending. */
  readonly timesMin: Int32Array;
  /** Country (and longitude, for the fallback) whose civil time the timetable is written in. */
  readonly country: string;
  readonly lon: number;
}

/** Sentinel for "no departure": the search treats the arc as unusable. */
export const NO_DEPARTURE = Number.POSITIVE_INFINITY;

/**
 * Calendars already built, by timetable: a priced plan compiles a timetable per request, and a
 * calendar is a loop over every day of validity. A calendar is never written after it is built.
 */
const built = new WeakMap<Timetable, ServiceCalendar>();

export function buildCalendar(
  t: Timetable,
  validFrom: string,
  validTo: string,
  country: string,
  lon: number,
): ServiceCalendar {
  const known = built.get(t);
  if (
    known &&
    known.country === country &&
    known.lon === lon &&
    known.firstDay === parseDay(validFrom) &&
    known.lastDay === parseDay(validTo)
  )
    return known;
  const cal = makeCalendar(t, validFrom, validTo, country, lon);
  built.set(t, cal);
  return cal;
}

function makeCalendar(t: Timetable, validFrom: string, validTo: string, country: string, lon: number): ServiceCalendar {
  const firstDay = parseDay(validFrom)!;
  const lastDay = parseDay(validTo)!;
  const n = lastDay - firstDay + 1;
  const bits = new Uint32Array(Math.ceil(n / 32));
  const set = (d: number, on: boolean) => {
    if (d < firstDay || d > lastDay) return;
    const k = d - firstDay;
    if (on) bits[k >>> 5]! |= 1 << (k & 31);
    else bits[k >>> 5]! &= ~(1 << (k & 31));
  };
  if (t.weekdays) {
    const days = new Set(t.weekdays.map((w) => WEEKDAYS.indexOf(w)));
    for (let d = firstDay; d <= lastDay; d++) if (days.has(weekdayOfDay(d))) set(d, true);
  } else if (t.everyDays) {
    const step = Math.max(1, Math.round(t.everyDays.value));
    const start = t.firstDate !== undefined ? parseDay(t.firstDate)! : firstDay;
    for (let d = start; d <= lastDay; d += step) set(d, true);
  }
  for (const d of t.except ?? []) set(parseDay(d)!, false);
  for (const d of t.extra ?? []) set(parseDay(d)!, true);
  const timesMin = Int32Array.from(t.departureTimes.map((s) => parseClock(s)!)).sort();
  return { firstDay, lastDay, bits, timesMin, country, lon };
}

/** Does the calendar depart on local day d? */
export function departsOn(cal: ServiceCalendar, d: number): boolean {
  if (d < cal.firstDay || d > cal.lastDay) return false;
  const k = d - cal.firstDay;
  return (cal.bits[k >>> 5]! & (1 << (k & 31))) !== 0;
}

/**
 * The first departure at or after `tH` (UTC hours since the epoch), or NO_DEPARTURE when the
 * calendar has none left. No search window: it scans to the end of validity.
 */
export function nextDepartureH(cal: ServiceCalendar, tH: number): number {
  const tMin = tH * 60;
  // Local day of t, less one day for the offset's safety margin.
  const localMin = tMin + utcOffsetMinutes(cal.country, tMin, cal.lon);
  let d = Math.max(cal.firstDay, Math.floor(localMin / MINUTES_PER_DAY) - 1);
  const bits = cal.bits;
  const times = cal.timesMin;
  while (d <= cal.lastDay) {
    const k = d - cal.firstDay;
    const word = bits[k >>> 5]! >>> (k & 31);
    if (word === 0) {
      d += 32 - (k & 31); // skip to the next word
      continue;
    }
    // Lowest set bit at or after k.
    d += 31 - Math.clz32(word & -word);
    if (d > cal.lastDay) break;
    for (let i = 0; i < times.length; i++) {
      const depMin = localToUtcMinutes(cal.country, d * MINUTES_PER_DAY + times[i]!, cal.lon);
      if (depMin >= tMin) return depMin / 60;
    }
    d++;
  }
  return NO_DEPARTURE;
}

/** UTC hours of local midnight starting `day` at the place. */
export function localDayStartH(day: number, country: string, lon: number): number {
  return localToUtcMinutes(country, day * MINUTES_PER_DAY, lon) / 60;
}
