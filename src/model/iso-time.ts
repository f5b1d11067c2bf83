/**
 * ISO 8601 date-times as users type them and as Corridor prints them (RFC 3339, local time with
 * offset). Times inside the engines are hours since 1970-01-01T00:00Z (a Float64).
 */
import { CorridorError } from './errors.js';
import { civilFromDays, daysFromCivil, MINUTES_PER_DAY } from './timezones.js';

export interface ParsedDateTime {
  /** Minutes since the epoch of the wall-clock reading, as if it were UTC. */
  wallMin: number;
  /** The offset written in the text (minutes east of UTC), or undefined when there was none. */
  offsetMin: number | undefined;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses `2025-01-06`, `2025-01-06T08:00`, `2025-01-06T08:00:00+08:00` or `…Z`. Throws a
 * CorridorError naming the field that is wrong (an impossible date says which month is short).
 */
export function parseDateTime(text: string, what = 'date-time', field?: string): ParsedDateTime {
  // With a field the edge names it (`--ready: …`, `query.ready: …`), so the message does not.
  const subject = field === undefined ? `${what} ` : '';
  const fail = (message: string) => new CorridorError('invalid-argument', `${subject}${message}`, {}, field);
  const m = DATE_TIME.exec(text.trim());
  if (!m)
    throw fail(
      `"${text}" is not an ISO 8601 date-time; write e.g. 2025-01-06T08:00 ` +
        `(local time at the origin) or 2025-01-06T08:00+08:00`,
    );
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 0 : Number(m[i]))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12) throw fail(`"${text}": month ${mo} does not exist (01–12)`);
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim)
    throw fail(`"${text}": ${MONTH_NAMES[mo - 1]} ${y} has ${dim} days, so day ${d} does not exist`);
  if (h > 23 || mi > 59 || s > 59)
    throw fail(
      `"${text}": ${h}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')} is not a time of day (00:00–23:59)`,
    );
  let offsetMin: number | undefined;
  const z = m[7];
  if (z === 'Z') offsetMin = 0;
  else if (z !== undefined) {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 14 || om > 59) throw fail(`"${text}": offset ${z} is not a UTC offset (−12:00 … +14:00)`);
    offsetMin = sign * (oh * 60 + om);
  }
  return { wallMin: daysFromCivil(y, mo, d) * MINUTES_PER_DAY + h * 60 + mi + s / 60, offsetMin };
}

/** A YYYY-MM-DD date as a day number, or undefined when it is not a real date. */
/** The calendar day (YYYY-MM-DD) an ISO 8601 date-time starts with, as written (local to its offset). */
export function dayOf(dateTime: string): string | undefined {
  return /^(\d{4}-\d{2}-\d{2})/.exec(dateTime)?.[1];
}

export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

/** HH:MM as minutes after midnight, or undefined. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return h <= 23 && mi <= 59 ? h * 60 + mi : undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** RFC 3339 local time with offset, to the minute: 2025-01-06T08:00:00+08:00. */
export function formatDateTime(utcMin: number, offsetMin: number): string {
  const local = Math.round(utcMin + offsetMin);
  const day = Math.floor(local / MINUTES_PER_DAY);
  const mins = local - day * MINUTES_PER_DAY;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return (
    `${formatDay(day)}T${pad(Math.floor(mins / 60))}:` +
    `${pad(mins % 60)}:00${sign}` +
    `${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
