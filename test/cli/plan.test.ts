/**
 * `corridor plan` end to end on the default dataset: the calibration cases of issue 4 (V1, V5, V7,
 * V8, V11, V17), reproducibility, and clear errors for bad input.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { loadDataset } from '../../src/data/load.js';
import { compileNetwork } from '../../src/network/compile.js';
import type { PlanItinerary } from '../../src/schedule/itinerary.js';
import { planItineraries, type PlanQuery, type PlanResult } from '../../src/schedule/plan.js';
import { compileTimetable } from '../../src/schedule/timetable.js';

const BIN = new URL('../../bin/corridor.js', import.meta.url).pathname;
const READY = '2025-01-06T08:00';

/** The built binary, as a user runs it. */
function corridor(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** The same command line in-process (no Node start-up): for the many error cases. */
const inProcess = cli;

const { dataset } = loadDataset();
const timetables = new Map<string, ReturnType<typeof compileTimetable>>();
function plan(from: string, to: string, extra: Partial<PlanQuery> = {}, scenario?: string): PlanResult {
  const key = scenario ?? '';
  if (!timetables.has(key))
    timetables.set(key, compileTimetable(compileNetwork(dataset, scenario ? { scenario } : {}), dataset));
  return planItineraries(timetables.get(key)!, { from, to, ready: READY, ...extra });
}
const days = (h: number | null) => (h ?? Number.NaN) / 24;
const via = (it: PlanItinerary, place: string) => it.legs.some((l) => l.to === place || l.from === place);
const fastest = (r: PlanResult, pick: (it: PlanItinerary) => boolean = () => true) => r.itineraries.filter(pick)[0]!;

describe('the issue example: corridor plan "Xi\'an" Baku --ready 2025-01-06T08:00 --json', () => {
  const run = corridor('plan', "Xi'an", 'Baku', '--ready', READY, '--json');
  const out = JSON.parse(run.stdout) as PlanResult;

  it('returns timed itineraries with departures, arrivals, waits and services', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(out.query.ready).toBe('2025-01-06T08:00:00+08:00');
    for (const it of out.itineraries) {
      expect(it.legs[0]!.from).toBe('CNXIA');
      expect(it.legs[it.legs.length - 1]!.to).toBe('AZBAK');
      for (const leg of it.legs) {
        expect(leg.departure).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/);
        expect(Date.parse(leg.arrival)).toBeGreaterThan(Date.parse(leg.departure));
        expect(leg.waitH).toBeGreaterThanOrEqual(0);
      }
      expect(it.legs.some((l) => l.service !== null)).toBe(true);
    }
  });

  it('has P10, P50 and P90 inside the V1 band (9–13 days, 11 observed) for the fastest itinerary', () => {
    const a = out.itineraries[0]!.arrival;
    for (const p of [a.p10H, a.p50H, a.p90H]) {
      expect(days(p)).toBeGreaterThanOrEqual(9);
      expect(days(p)).toBeLessThanOrEqual(13);
    }
    expect(a.p10H!).toBeLessThan(a.p90H!);
  });

  it('gives identical output for the same query', async () => {
    expect((await inProcess('plan', "Xi'an", 'Baku', '--ready', READY, '--json')).stdout).toBe(run.stdout);
  });

  it('prints a readable table too', async () => {
    const t = await inProcess('plan', "Xi'an", 'Baku', '--ready', READY);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/P10\/P50\/P90 \d+\.\d \/ \d+\.\d \/ \d+\.\d d/);
    expect(t.stdout).toMatch(
      /Aktau → Alat by sea after [\d.]+ h wait · Aktau – Alat Caspian container feeder \(departs when full\)/,
    );
  });
});

describe('calibration (nominal regime, P50 of the Monte Carlo)', () => {
  it('V5: Altynkol → Baku about 9 days, → Poti about 12, → Constanța 20–22 via Poti', () => {
    expect(Math.abs(days(fastest(plan('Altynkol', 'Baku')).arrival.p50H) - 9)).toBeLessThanOrEqual(1);
    const poti = fastest(plan('Altynkol', 'Poti'));
    expect(Math.abs(days(poti.arrival.p50H) - 12)).toBeLessThanOrEqual(1);
    const constanta = fastest(plan('Altynkol', 'Constanța'), (it) => via(it, 'GEPTI'));
    expect(days(constanta.arrival.p50H)).toBeGreaterThanOrEqual(20);
    expect(days(constanta.arrival.p50H)).toBeLessThanOrEqual(22);
  });

  it('V17: the Kuryk → Alat crossing takes 20–22 h', () => {
    const ferry = plan('Kuryk', 'Alat')
      .itineraries.flatMap((it) => it.legs)
      .find((l) => l.service?.id === 'kuryk-alat-ropax')!;
    expect(ferry.durationH).toBeGreaterThanOrEqual(20);
    expect(ferry.durationH).toBeLessThanOrEqual(22);
    const crossing = dataset.services!.find((s) => s.id === 'kuryk-alat-ropax')!.durationH!;
    expect([crossing.min, crossing.max]).toEqual([20, 22]);
  });

  it("V8: the Northern route Xi'an → Duisburg takes about 13 days", () => {
    const northern = fastest(plan("Xi'an", 'Duisburg'), (it) => it.totals.countries.includes('RU'));
    expect(Math.abs(days(northern.arrival.p50H) - 13)).toBeLessThanOrEqual(1);
  });

  it(
    'V11: Shanghai → Rotterdam sails about 32 days via Suez and 45–48 via the Cape, after the wait for a ' +
      'weekly sailing',
    () => {
      const suez = fastest(plan('Shanghai', 'Rotterdam', { modes: ['sea'] }));
      expect(suez.totals.passages).toContain('suez');
      expect(Math.abs(suez.legs[0]!.durationH / 24 - 32)).toBeLessThanOrEqual(1);
      expect(days(suez.arrival.p50H) - suez.totals.waitingH / 24).toBeCloseTo(32, 0);
      expect(suez.totals.waitingH).toBeLessThanOrEqual(7 * 24 + 48);
      const cape = fastest(plan('Shanghai', 'Rotterdam', { modes: ['sea'], avoidPassages: ['suez'] }));
      const transit = days(cape.arrival.p50H) - cape.totals.waitingH / 24;
      expect(transit).toBeGreaterThanOrEqual(45);
      expect(transit).toBeLessThanOrEqual(48);
    },
  );

  it('V7: in the congested scenario the Middle Corridor takes 50–55 days China → Europe', () => {
    const r = plan("Xi'an", 'Duisburg', { avoidCountries: ['RU'], avoidLocations: ['CNSGH', 'CNLYG'] }, 'congested');
    const middle = fastest(r, (it) => it.corridors.includes('middle'));
    expect(r.regime).toBe('congested');
    expect(days(middle.arrival.p50H)).toBeGreaterThanOrEqual(50);
    expect(days(middle.arrival.p50H)).toBeLessThanOrEqual(55);
    // The same route in the nominal regime is less than half as long.
    const nominal = fastest(
      plan("Xi'an", 'Duisburg', { avoidCountries: ['RU'], avoidLocations: ['CNSGH', 'CNLYG'] }),
      (it) => it.corridors.includes('middle'),
    );
    expect(days(nominal.arrival.p50H)).toBeLessThan(27);
  });
});

describe('bad input', () => {
  it('names an impossible date', async () => {
    const r = await inProcess('plan', "Xi'an", 'Baku', '--ready', '2025-02-30T08:00');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'corridor: --ready: "2025-02-30T08:00": February 2025 has 28 days, so day 30 does not exist\n',
    );
  });

  it('refuses a ready time outside every service validity', async () => {
    const r = await inProcess('plan', "Xi'an", 'Baku', '--ready', '2031-01-01T08:00');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^corridor: --ready: /);
    expect(r.stderr).toContain(
      '--ready: 2031-01-01T08:00 is outside the validity of every service in the data (2024-01-01 … 2027-12-31)',
    );
  });

  it('asks for --ready, and rejects unknown scenarios and bad sample counts', async () => {
    expect((await inProcess('plan', "Xi'an", 'Baku')).stderr).toMatch(/--ready: is required/);
    const s = await inProcess('plan', "Xi'an", 'Baku', '--ready', READY, '--scenario', 'jammed');
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/unknown scenario "jammed"; valid: .*congested/);
    expect((await inProcess('plan', "Xi'an", 'Baku', '--ready', READY, '--samples', 'many')).stderr).toMatch(
      /--samples: "many" is not a whole number/,
    );
  });

  it('refuses to plan on a dataset whose services name an unknown link', async () => {
    const { mutatedCopy, DEFAULT_DATA } = await import('../helpers/tmp-dataset.js');
    const dir = mutatedCopy(DEFAULT_DATA, { 'services/core.yaml': [['links: [aktau-alat]', 'links: [aktau-alta]']] });
    const r = await inProcess('--data', dir, 'plan', "Xi'an", 'Baku', '--ready', READY);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has 1 error\(s\); run `corridor validate/);
    const v = await inProcess('validate', dir);
    expect(v.stdout).toMatch(/error: services\/core\.yaml:\d+ \(id aktau-alat-feeder, services\[2\]\.links\[0\]\): /);
    expect(v.stdout).toContain(
      'services[2].links[0]): link `aktau-alta` is not a link of the dataset (did you mean aktau-alat',
    );
  });
});
