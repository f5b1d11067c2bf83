/**
 * Calendars, civil time and date parsing: the pieces every timed answer rests on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime, parseDateTime, parseDay } from '../../src/model/iso-time.js';
import { civilFromDays, daysFromCivil, utcOffsetMinutes, weekdayOfDay } from '../../src/model/timezones.js';
import { buildCalendar, departsOn, nextDepartureH, NO_DEPARTURE } from '../../src/schedule/calendar.js';
import type { Timetable } from '../../src/model/types.js';

const A = 'test fixture value, not a real figure';
const utcH = (iso: string) => {
  const p = parseDateTime(iso);
  return (p.wallMin - (p.offsetMin ?? 0)) / 60;
};
const weekly = (weekdays: Timetable['weekdays'], times = ['08:00']): Timetable => ({
  weekdays,
  departureTimes: times,
  assumption: A,
});

describe('civil dates', () => {
  it('round-trips day numbers and knows the weekday', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (d) => {
        const { y, m, d: dd } = civilFromDays(d);
        expect(daysFromCivil(y, m, dd)).toBe(d);
      }),
    );
    expect(weekdayOfDay(parseDay('2025-01-06')!)).toBe(0); // a Monday
    expect(weekdayOfDay(parseDay('2024-02-29')!)).toBe(3); // a Thursday
  });

  it('rejects impossible dates and says why', () => {
    expect(() => parseDateTime('2025-02-30T08:00', '--ready')).toThrow(/February 2025 has 28 days/);
    expect(() => parseDateTime('2025-13-01', '--ready')).toThrow(/month 13 does not exist/);
    expect(() => parseDateTime('2025-01-06T24:30', '--ready')).toThrow(/not a time of day/);
    expect(() => parseDateTime('next monday', '--ready')).toThrow(/not an ISO 8601 date-time/);
    expect(parseDateTime('2024-02-29T08:00').offsetMin).toBeUndefined();
    expect(parseDateTime('2025-01-06T08:00+08:00').offsetMin).toBe(480);
    expect(parseDay('2023-02-29')).toBeUndefined();
  });

  it('follows EU summer time and keeps fixed offsets elsewhere', () => {
    expect(utcOffsetMinutes('DE', utcH('2025-01-15T12:00Z') * 60)).toBe(60);
    expect(utcOffsetMinutes('DE', utcH('2025-07-15T12:00Z') * 60)).toBe(120);
    expect(utcOffsetMinutes('DE', utcH('2025-03-30T00:59Z') * 60)).toBe(60);
    expect(utcOffsetMinutes('DE', utcH('2025-03-30T01:00Z') * 60)).toBe(120);
    expect(utcOffsetMinutes('RO', utcH('2025-10-26T00:59Z') * 60)).toBe(180);
    expect(utcOffsetMinutes('RO', utcH('2025-10-26T01:00Z') * 60)).toBe(120);
    expect(utcOffsetMinutes('KZ', 0)).toBe(300);
    expect(utcOffsetMinutes('CN', utcH('2025-07-01T00:00Z') * 60)).toBe(480);
    expect(formatDateTime(utcH('2025-01-06T00:00Z') * 60, 480)).toBe('2025-01-06T08:00:00+08:00');
  });
});

describe('service calendars', () => {
  it('finds the next weekly departure in local time, after any gap', () => {
    const cal = buildCalendar(weekly(['wed']), '2024-01-01', '2026-12-31', 'CN', 108);
    // Monday 08:00 in Xi'an → Wednesday 08:00 local = 00:00 UTC.
    expect(nextDepartureH(cal, utcH('2025-01-06T08:00+08:00'))).toBe(utcH('2025-01-08T00:00Z'));
    // Exactly at the departure still catches it; a minute later waits a week.
    expect(nextDepartureH(cal, utcH('2025-01-08T00:00Z'))).toBe(utcH('2025-01-08T00:00Z'));
    expect(nextDepartureH(cal, utcH('2025-01-08T00:01Z'))).toBe(utcH('2025-01-15T00:00Z'));
  });

  it('keeps local departure times across a summer-time change', () => {
    const cal = buildCalendar(weekly(['sat'], ['12:00']), '2025-01-01', '2025-12-31', 'NL', 4.5);
    expect(nextDepartureH(cal, utcH('2025-03-24T00:00Z'))).toBe(utcH('2025-03-29T11:00Z'));
    expect(nextDepartureH(cal, utcH('2025-03-31T00:00Z'))).toBe(utcH('2025-04-05T10:00Z'));
  });

  it('honours every-N-days anchors, exceptions and extra dates', () => {
    const t: Timetable = {
      everyDays: { value: 14, assumption: A },
      firstDate: '2025-01-03',
      departureTimes: ['06:00', '18:00'],
      except: ['2025-01-17'],
      extra: ['2025-01-20'],
      assumption: A,
    };
    const cal = buildCalendar(t, '2025-01-01', '2025-12-31', 'AZ', 49);
    expect(departsOn(cal, parseDay('2025-01-03')!)).toBe(true);
    expect(departsOn(cal, parseDay('2025-01-17')!)).toBe(false);
    expect(departsOn(cal, parseDay('2025-01-20')!)).toBe(true);
    expect(departsOn(cal, parseDay('2025-01-31')!)).toBe(true);
    // After the 18:00 run on the 3rd, the next is the extra date (the 17th is cancelled): 17 days on.
    expect(nextDepartureH(cal, utcH('2025-01-03T18:01+04:00'))).toBe(utcH('2025-01-20T06:00+04:00'));
  });

  it('has no departure after its validity', () => {
    const cal = buildCalendar(weekly(['mon']), '2025-01-01', '2025-01-31', 'KZ', 51);
    expect(nextDepartureH(cal, utcH('2025-01-28T00:00Z'))).toBe(NO_DEPARTURE);
    expect(nextDepartureH(cal, utcH('2024-06-01T00:00Z'))).toBe(utcH('2025-01-06T08:00+05:00'));
  });

  it('agrees with a day-by-day scan and never goes back in time (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' as const), {
          minLength: 1,
          maxLength: 7,
        }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 800 * 24 }),
        fc.integer({ min: 0, max: 1000 }),
        (days, hour, t0, dt) => {
          const cal = buildCalendar(
            weekly(days, [`${String(hour).padStart(2, '0')}:30`]),
            '2024-01-01',
            '2025-12-31',
            'TR',
            30,
          );
          const t = utcH('2024-01-01T00:00Z') + t0;
          const next = nextDepartureH(cal, t);
          let scan = NO_DEPARTURE;
          for (let d = parseDay('2024-01-01')!; d <= parseDay('2025-12-31')!; d++) {
            const dep = (d * 1440 + hour * 60 + 30 - 180) / 60;
            if (departsOn(cal, d) && dep >= t) {
              scan = dep;
              break;
            }
          }
          expect(next).toBe(scan);
          expect(nextDepartureH(cal, t + dt)).toBeGreaterThanOrEqual(next);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
