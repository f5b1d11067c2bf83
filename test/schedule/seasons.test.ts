/**
 * Weather holds by month: a service naming a season is held in month m with chance storm days ÷
 * days in m; the planner waits the expected hold, so a January Caspian crossing waits longer than
 * a July one, and a season-less service waits the same all year.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { compileNetwork } from '../../src/network/compile.js';
import { expectedWeatherHoldH, monthOfH, weatherChanceAt } from '../../src/schedule/departures.js';
import { compileTimetable } from '../../src/schedule/timetable.js';
import { cliJson } from '../helpers/cli.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const hourOf = (iso: string) => Date.parse(iso) / 3_600_000;

describe('weather chance by month', () => {
  const { dataset } = loadDataset(DEFAULT_DATA);
  const tt = compileTimetable(compileNetwork(dataset), dataset);
  const s = tt.serviceIndex.get('aktau-alat-feeder');
  const season = dataset.seasons?.find((x) => x.id === 'caspian-middle');

  it('is the month\u2019s storm days over its days, and the expected hold follows it', () => {
    if (s === undefined || !season) throw new Error('default data lacks the Aktau–Alat feeder or its season');
    const jan = hourOf('2025-01-15T00:00:00Z');
    const jul = hourOf('2025-07-15T00:00:00Z');
    expect(monthOfH(jan)).toBe(0);
    expect(weatherChanceAt(tt, s, jan)).toBeCloseTo(season.stormDays.jan.value / 31, 10);
    expect(weatherChanceAt(tt, s, jul)).toBeCloseTo(season.stormDays.jul.value / 31, 10);
    expect(expectedWeatherHoldH(tt, s, jan)).toBeGreaterThan(expectedWeatherHoldH(tt, s, jul));
  });

  it('without a season the chance is the flat probability every month', () => {
    const dir = mutatedCopy(DEFAULT_DATA, { 'services/core.yaml': [[/\n {6}season: caspian-middle/g, '']] });
    const plain = loadDataset(dir).dataset;
    const t2 = compileTimetable(compileNetwork(plain), plain);
    const k = t2.serviceIndex.get('aktau-alat-feeder');
    const p = plain.services?.find((x) => x.id === 'aktau-alat-feeder')?.weatherDelay?.probability.value;
    if (k === undefined || p === undefined) throw new Error('feeder missing');
    for (const month of ['01', '04', '07', '10'])
      expect(weatherChanceAt(t2, k, hourOf(`2025-${month}-10T00:00:00Z`))).toBe(p);
  });

  it('a season that does not exist is an error naming the service and the seasons defined', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'services/core.yaml': [['season: caspian-middle', 'season: caspian-nowhere']],
    });
    const e = loadDataset(dir).errors.find((x) => x.code === 'unknown-season');
    expect(e?.file).toBe('services/core.yaml');
    expect(e?.id).toBe('aktau-alat-feeder');
    expect(e?.message).toContain('caspian-middle');
  });
});

describe('plan: a January Caspian crossing waits longer than a July one', () => {
  type Leg = { service: { id: string } | null; waitH: number };
  const feederWait = async (ready: string) => {
    const plan = await cliJson('plan', 'Aktau', 'Alat', '--ready', ready);
    const legs: Leg[] = plan.itineraries.flatMap((i: { legs: Leg[] }) => i.legs);
    const leg = legs.find((l) => l.service?.id === 'aktau-alat-feeder');
    if (!leg) throw new Error(`no itinerary uses the Aktau–Alat feeder on ${ready}`);
    return leg.waitH;
  };

  it('waits longer at Aktau for the feeder in January than in July', async () => {
    const jan = await feederWait('2025-01-15T08:00');
    const jul = await feederWait('2025-07-15T08:00');
    expect(jan).toBeGreaterThan(jul);
  });
});
