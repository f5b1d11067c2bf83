/**
 * Service builders for timetable tests:
 *   weekly('CNXIA', ['xian-altynkol'], ['mon'], '08:00')   — a scheduled service
 *   whenFull('KZAAU', ['aktau-alat'], { min: 24, typical: 72, max: 168 })
 */
import type { Distribution, Service, Weekday } from '../../src/model/types.js';

const A = 'test fixture value, not a real figure';

export function dist(min: number, typical = min, max = typical): Distribution {
  return { min, typical, max, assumption: A };
}

type Extra = Partial<
  Pick<Service, 'calls' | 'validFrom' | 'validTo' | 'durationH' | 'weatherDelay' | 'notes' | 'replacesDwellWait'>
> & { id?: string; cutoffH?: number; name?: string };

function base(from: string, links: string[], o: Extra): Omit<Service, 'timetable' | 'headwayH'> {
  return {
    id: o.id ?? `${links.join('-')}-svc`,
    name: o.name ?? `Service over ${links.join(', ')}`,
    operator: 'Test',
    from,
    links,
    validFrom: o.validFrom ?? '2024-01-01',
    validTo: o.validTo ?? '2026-12-31',
    ...(o.calls ? { calls: o.calls } : {}),
    ...(o.durationH ? { durationH: o.durationH } : {}),
    ...(o.weatherDelay ? { weatherDelay: o.weatherDelay } : {}),
    ...(o.replacesDwellWait ? { replacesDwellWait: true } : {}),
    ...(o.cutoffH !== undefined ? { cutoffH: { value: o.cutoffH, assumption: A } } : {}),
  };
}

export function weekly(
  from: string,
  links: string[],
  weekdays: Weekday[],
  time = '08:00',
  o: Extra & { except?: string[]; extra?: string[] } = {},
): Service {
  return {
    ...base(from, links, o),
    timetable: { weekdays, departureTimes: [time], except: o.except ?? [], extra: o.extra ?? [], assumption: A },
  };
}

export function everyDays(
  from: string,
  links: string[],
  days: number,
  firstDate: string,
  time = '08:00',
  o: Extra = {},
): Service {
  return {
    ...base(from, links, o),
    timetable: {
      everyDays: { value: days, assumption: A },
      firstDate,
      departureTimes: [time],
      except: [],
      extra: [],
      assumption: A,
    },
  };
}

export function whenFull(from: string, links: string[], headway: Distribution, o: Extra = {}): Service {
  return { ...base(from, links, o), headwayH: headway };
}
