/**
 * Cross-record checks of services.yaml and of scenario changes: unknown link and location ids,
 * links that do not follow on from each other, a change of transport class inside one service,
 * calls off the route, calendars without a departure, dates outside the validity period, and
 * scenario changes that name a service or location that does not exist.
 */
import type { Dataset, Link, Service } from '../model/types.js';
import { editDistance } from '../model/text.js';
import { parseDay } from '../model/iso-time.js';
import { weekdayOfDay } from '../model/timezones.js';
import { WEEKDAYS } from '../model/types.js';
import type { IssueReport } from './issues.js';

type At = (record: object, sub?: PropertyKey[]) => { file: string; line?: number | undefined; path: string };

/** The transport class a link runs on: mode, and the gauge for rail. */
export function linkClass(link: Link): string {
  return link.mode === 'rail' ? `rail ${link.gaugeMm} mm` : link.mode;
}

export function checkServices(
  ds: Dataset,
  at: At,
  report: IssueReport,
  linkIdsInFile: ReadonlySet<string> = new Set(),
): void {
  const services = ds.services ?? [];
  const links = new Map(ds.links.map((l) => [l.id, l]));
  const locations = new Set(ds.locations.map((l) => l.id));
  const seen = new Map<string, Service>();
  const seasons = new Set((ds.seasons ?? []).map((x) => x.id));
  for (const s of services) {
    const season = s.weatherDelay?.season;
    if (season !== undefined && !seasons.has(season))
      report.error({
        ...at(s, ['weatherDelay', 'season']),
        id: s.id,
        code: 'unknown-season',
        message:
          `weather holds follow season \`${season}\`, which seasons/*.yaml does not define` +
          ` (defined: ${[...seasons].join(', ') || 'none'})${suggest(season, seasons)}`,
      });
    const first = seen.get(s.id);
    if (first)
      report.error({
        ...at(s, ['id']),
        id: s.id,
        code: 'duplicate-id',
        message: `duplicate service id \`${s.id}\` (first defined at line ${at(first).line ?? '?'})`,
      });
    else seen.set(s.id, s);
    checkRoute(s, links, locations, at, report, linkIdsInFile);
    checkCalendar(s, at, report);
  }
  for (const sc of ds.scenarios) {
    (sc.changes ?? []).forEach((c, i) => {
      const where = (sub: PropertyKey[]) => at(sc, ['changes', i, ...sub]);
      c.services?.ids?.forEach((id, j) => {
        if (!seen.has(id))
          report.error({
            ...where(['services', 'ids', j]),
            id: sc.name,
            code: 'unknown-service',
            message: `service \`${id}\` is not a service of the dataset${suggest(id, seen.keys())}`,
          });
      });
      c.transfers?.locations?.forEach((id, j) => {
        if (!locations.has(id))
          report.error({
            ...where(['transfers', 'locations', j]),
            id: sc.name,
            code: 'unknown-location',
            message: `location \`${id}\` is not a location of the dataset${suggest(id, locations)}`,
          });
      });
      const selects = c.services;
      if (selects) {
        const { ids, modes } = selects;
        const hit = services.filter(
          (s) =>
            (!ids || ids.includes(s.id)) &&
            (!modes || s.links.some((l) => modes.includes(links.get(l)?.mode ?? 'rail'))),
        );
        const headway = c.set?.headwayH !== undefined || c.multiply?.headwayH !== undefined;
        for (const s of hit) {
          if (headway && s.timetable?.weekdays) {
            report.error({
              ...where([c.set?.headwayH ? 'set' : 'multiply', 'headwayH']),
              id: sc.name,
              code: 'headway-on-weekly',
              message:
                `service ${s.id} runs on a weekly pattern; a headway change applies to departs-when-full and ` +
                `every-N-days services only (select it out, or give it \`everyDays\`)`,
            });
          }
          if (c.set?.headwayH && s.timetable) {
            report.error({
              ...where(['set', 'headwayH']),
              id: sc.name,
              code: 'headway-on-scheduled',
              message:
                `service ${s.id} is scheduled; \`set: headwayH\` applies to departs-when-full services (use ` +
                `\`multiply: headwayH\` to stretch an every-N-days timetable)`,
            });
          }
        }
        if (hit.length === 0)
          report.warning({
            ...where(['services']),
            id: sc.name,
            code: 'change-without-effect',
            message: 'this change selects no service',
          });
      }
      if (c.transfers) {
        const { locations, kinds } = c.transfers;
        const hit = ds.transfers.filter(
          (t) => (!locations || locations.includes(t.location)) && (!kinds || kinds.includes(t.kind)),
        );
        if (hit.length === 0)
          report.warning({
            ...where(['transfers']),
            id: sc.name,
            code: 'change-without-effect',
            message: 'this change selects no transfer',
          });
      }
    });
  }
}

function checkRoute(
  s: Service,
  links: Map<string, Link>,
  locations: Set<string>,
  at: At,
  report: IssueReport,
  linkIdsInFile: ReadonlySet<string>,
): void {
  if (!locations.has(s.from)) {
    report.error({
      ...at(s, ['from']),
      id: s.id,
      code: 'unknown-location',
      message: `from \`${s.from}\` is not a location of the dataset${suggest(s.from, locations)}`,
    });
    return;
  }
  let here = s.from;
  let cls: string | undefined;
  const route = [here];
  for (const [i, id] of s.links.entries()) {
    const link = links.get(id);
    if (!link) {
      // A link that is in the file but failed its schema has its own error already.
      if (linkIdsInFile.has(id)) return;
      report.error({
        ...at(s, ['links', i]),
        id: s.id,
        code: 'unknown-link',
        message: `link \`${id}\` is not a link of the dataset${suggest(id, links.keys())}`,
      });
      return;
    }
    // A link whose own ends are unknown has its error already; its services are not checked further.
    if (!locations.has(link.from) || !locations.has(link.to)) return;
    let next: string;
    if (link.from === here) next = link.to;
    else if (link.to === here && link.bidirectional) next = link.from;
    else {
      const why = link.to === here ? `it is one-way ${link.from} → ${link.to}` : `it runs ${link.from} – ${link.to}`;
      report.error({
        ...at(s, ['links', i]),
        id: s.id,
        code: 'links-not-consecutive',
        message: `link \`${id}\` does not continue from ${here}: ${why}; list the links in travel order from \`from\``,
      });
      return;
    }
    const c = linkClass(link);
    if (cls !== undefined && c !== cls) {
      report.error({
        ...at(s, ['links', i]),
        id: s.id,
        code: 'class-change',
        message:
          `link \`${id}\` is ${c} but the service so far runs on ${cls}; a service keeps one transport class, ` +
          `so split it at ${here} (where the gauge or mode changes)`,
      });
      return;
    }
    cls = c;
    here = next;
    if (route.includes(here)) {
      report.error({
        ...at(s, ['links', i]),
        id: s.id,
        code: 'route-loop',
        message: `the route comes back to ${here}; a service visits each location once`,
      });
      return;
    }
    route.push(here);
  }
  let last = -1;
  for (const [i, c] of (s.calls ?? []).entries()) {
    const k = route.indexOf(c);
    if (k < 0)
      report.error({
        ...at(s, ['calls', i]),
        id: s.id,
        code: 'call-off-route',
        message: `call \`${c}\` is not on the route ${route.join(' → ')}`,
      });
    else if (k <= last)
      report.error({
        ...at(s, ['calls', i]),
        id: s.id,
        code: 'calls-out-of-order',
        message: `calls must follow the route order ${route.join(' → ')}`,
      });
    else last = k;
  }
}

function checkCalendar(s: Service, at: At, report: IssueReport): void {
  const from = parseDay(s.validFrom);
  const to = parseDay(s.validTo);
  const t = s.timetable;
  if (from === undefined || to === undefined || !t) return;
  const inside = (d: string) => {
    const n = parseDay(d);
    return n !== undefined && n >= from && n <= to;
  };
  for (const key of ['except', 'extra'] as const) {
    (t[key] ?? []).forEach((d, i) => {
      if (!inside(d))
        report.warning({
          ...at(s, ['timetable', key, i]),
          id: s.id,
          code: 'date-outside-validity',
          message: `${d} is outside the validity ${s.validFrom} … ${s.validTo}; it has no effect`,
        });
    });
  }
  if (t.firstDate !== undefined && !inside(t.firstDate)) {
    report.error({
      ...at(s, ['timetable', 'firstDate']),
      id: s.id,
      code: 'date-outside-validity',
      message: `firstDate ${t.firstDate} is outside the validity ${s.validFrom} … ${s.validTo}`,
    });
  }
  // Does the calendar produce at least one departure day?
  const except = new Set((t.except ?? []).map(parseDay));
  let any = (t.extra ?? []).some(inside);
  const wd = new Set((t.weekdays ?? []).map((w) => WEEKDAYS.indexOf(w)));
  const start = t.firstDate !== undefined ? (parseDay(t.firstDate) ?? from) : from;
  const step = t.everyDays?.value ?? 1;
  for (let d = start; !any && d <= to && d - start < 3660; d += step) {
    if (except.has(d)) continue;
    if (!t.weekdays || wd.has(weekdayOfDay(d))) any = true;
  }
  if (!any)
    report.error({
      ...at(s, ['timetable']),
      id: s.id,
      code: 'empty-calendar',
      message: `the timetable has no departure between ${s.validFrom} and ${s.validTo}`,
    });
}

function suggest(value: string, candidates: Iterable<string>): string {
  const scored = [...candidates]
    .map((c) => ({ c, d: editDistance(value.toLowerCase(), c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(value.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3);
  return scored.length ? ` (did you mean ${scored.map((x) => x.c).join(', ')}?)` : '';
}
