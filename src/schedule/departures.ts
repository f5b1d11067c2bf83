/**
 * When does a service take cargo that is ready at a stop? The one rule shared by the planner and
 * the Monte Carlo, so both read the timetable the same way.
 */
import { NO_DEPARTURE, nextDepartureH } from './calendar.js';
import { SERVICE_SCHEDULED, type CompiledTimetable } from './timetable.js';

/**
 * Departure (UTC hours) from absolute stop `stop` of service `s` for cargo ready there at `readyH`,
 * after the cut-off. A when-full service leaves `waitH` after the cut-off (the planner passes the
 * mean residual headway, the Monte Carlo a sample). NO_DEPARTURE outside the validity period.
 */
export function departureH(
  tt: CompiledTimetable,
  s: number,
  stop: number,
  readyH: number,
  waitH: number = tt.serviceMeanWaitH[s]!,
): number {
  const offset = tt.stopDepOffsetH[stop]!;
  const earliest = readyH + tt.serviceCutoffH[s]!;
  if (tt.serviceKind[s] === SERVICE_SCHEDULED) {
    const run = nextDepartureH(tt.calendars[s]!, earliest - offset);
    return run === NO_DEPARTURE ? NO_DEPARTURE : run + offset;
  }
  const dep = Math.max(earliest, tt.serviceValidFromH[s]! + offset) + waitH;
  return dep - offset < tt.serviceValidToH[s]! ? dep : NO_DEPARTURE;
}

/**
 * Month (0 = January) of a UTC hour count since 1970-01-01. The Monte Carlo asks this once per
 * sample and ride, so it is integer arithmetic (days to civil date) rather than a Date object.
 * @see H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days` (2013).
 */
export function monthOfH(h: number): number {
  const z = Math.floor(h / 24) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 2 : mp - 10;
}

/** The chance that a departure of service `s` at `depH` is held by weather (its month's chance). */
export function weatherChanceAt(tt: CompiledTimetable, s: number, depH: number): number {
  return tt.weatherMonthly[s * 12 + monthOfH(depH)] ?? 0;
}

/**
 * The planner's weather wait: the expected hold of a departure at `depH` (its month's chance times
 * the mean hold). Expected rather than sampled, as the headway wait is; the Monte Carlo samples both.
 */
export function expectedWeatherHoldH(tt: CompiledTimetable, s: number, depH: number): number {
  const p = weatherChanceAt(tt, s, depH);
  return p > 0 ? p * (tt.weatherMeanH[s] ?? 0) : 0;
}
