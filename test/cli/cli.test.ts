/**
 * End-to-end runs of the built `corridor` binary on the default dataset, as a user would run it.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RouteResult } from '../../src/routing/route.js';
import { cli, cliJson } from '../helpers/cli.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const BIN = new URL('../../bin/corridor.js', import.meta.url).pathname;

/** The process itself, for what only a process shows (the exit status a shell sees). */
function spawned(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const corridor = cli;
const routeJson = (...args: string[]): Promise<RouteResult> => cliJson<RouteResult>('route', ...args);

describe('corridor validate', () => {
  it('finds the default dataset clean, with every figure sourced or labelled', async () => {
    const r = await corridor('validate', '--json');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      errors: unknown[];
      warnings: unknown[];
      provenance: { facts: number; unsourced: number; sourced: number };
    };
    expect(out.errors).toEqual([]);
    expect(out.provenance.unsourced).toBe(0);
    expect(out.provenance.facts).toBeGreaterThan(300);
    expect(out.provenance.sourced).toBeGreaterThan(100);
    expect(r.status).toBe(0);
  });

  it('exits 1 naming the file and id when a link points at a missing node', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, { 'links/core.yaml': [[/to: AZALA\b/, 'to: AZQQQ']] });
    const r = await corridor('validate', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /error: links\/core\.yaml:\d+ \(id [a-z0-9-]+, links\[\d+\]\.to\): to `AZQQQ` is not a location/,
    );
  });

  it('prints JSON errors with file, line, id and path', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, { 'links/core.yaml': [[/to: AZALA\b/, 'to: AZQQQ']] });
    const out = JSON.parse((await corridor('validate', dir, '--json')).stdout) as {
      errors: { file: string; line: number; id: string; code: string }[];
    };
    expect(out.errors).toEqual([
      expect.objectContaining({
        file: 'links/core.yaml',
        line: expect.any(Number),
        id: expect.any(String),
        code: 'unknown-location',
      }),
    ]);
  });
});

describe('corridor route on the default dataset', () => {
  let xianDuisburg: RouteResult;
  beforeAll(async () => {
    xianDuisburg = await routeJson("Xi'an", 'Duisburg');
  });

  it("offers a Middle Corridor option (KZ, AZ, GE) and a Northern option (RU) from Xi'an to Duisburg", async () => {
    const countries = xianDuisburg.options.map((o) => o.totals.countries);
    expect(countries.some((c) => ['KZ', 'AZ', 'GE'].every((x) => c.includes(x)) && !c.includes('RU'))).toBe(true);
    expect(countries.some((c) => c.includes('RU'))).toBe(true);
    expect(xianDuisburg.options.some((o) => o.corridors.includes('sea-suez'))).toBe(true);
    expect(xianDuisburg.options.length).toBeGreaterThanOrEqual(3);
  });

  it('labels the fastest, cheapest and greenest options and keeps them mutually non-dominated', async () => {
    const labels = xianDuisburg.options.flatMap((o) => o.labels);
    expect(labels).toEqual(expect.arrayContaining(['fastest', 'cheapest', 'greenest']));
    for (const a of xianDuisburg.options) {
      for (const b of xianDuisburg.options) {
        if (a === b) continue;
        const t = a.totals,
          u = b.totals;
        const dominated =
          t.durationH <= u.durationH &&
          t.costUsd <= u.costUsd &&
          t.co2eKg <= u.co2eKg &&
          (t.durationH < u.durationH || t.costUsd < u.costUsd || t.co2eKg < u.co2eKg);
        expect(dominated, `option ${a.option} dominates ${b.option}`).toBe(false);
      }
    }
  });

  it('gives every option continuous legs with the fields the format promises', async () => {
    for (const o of xianDuisburg.options) {
      expect(o.legs[0]!.from).toBe('CNXIA');
      expect(o.legs[o.legs.length - 1]!.to).toBe('DEDUI');
      o.legs.forEach((leg, i) => {
        if (i > 0) expect(leg.from).toBe(o.legs[i - 1]!.to);
        expect(leg).toEqual(
          expect.objectContaining({
            mode: expect.any(String),
            distanceKm: expect.any(Number),
            durationH: expect.any(Number),
            costUsd: expect.any(Number),
            co2eKg: expect.any(Number),
            countries: expect.any(Array),
          }),
        );
      });
      expect(o.totals).toEqual(
        expect.objectContaining({ borderCrossings: expect.any(Number), transshipments: expect.any(Number) }),
      );
      const legSum = o.legs.reduce((s, l) => s + l.durationH, 0) + o.stops.reduce((s, st) => s + st.durationH, 0);
      expect(Math.abs(legSum - o.totals.durationH)).toBeLessThan(0.1 * (o.legs.length + o.stops.length));
    }
  });

  it('with --avoid RU no option touches Russia', async () => {
    const r = await routeJson("Xi'an", 'Duisburg', '--avoid', 'RU');
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options) {
      expect(o.totals.countries).not.toContain('RU');
      for (const leg of o.legs) expect(leg.countries).not.toContain('RU');
    }
  });

  it('keeps to the allowed modes', async () => {
    const r = await routeJson('Shanghai', 'Rotterdam', '--modes', 'sea');
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options) for (const leg of o.legs) expect(leg.mode).toBe('sea');
  });

  it('prints a readable table with days and the trade-off labels', async () => {
    const r = await corridor('route', "Xi'an", 'Duisburg');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Xi'an \(CNXIA, CN\) → Duisburg \(DEDUI, DE\)/);
    expect(r.stdout).toMatch(/fastest/);
    expect(r.stdout).toMatch(/cheapest/);
  });

  it('resolves aliases and diacritics', async () => {
    expect((await routeJson('Xian', 'Constanța')).destination.id).toBe('ROCND');
    expect((await routeJson('xi an', 'constanta')).origin.id).toBe('CNXIA');
  });
});

describe('corridor usage errors', () => {
  it('names an unknown place and its closest matches, exit 2', async () => {
    const r = await corridor('route', 'Duisbrug', 'Baku');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown origin "Duisbrug"; closest matches: .*Duisburg \(DEDUI\)/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
  it('rejects a bad country code and a bad mode, exit 2', async () => {
    expect(await corridor('route', "Xi'an", 'Duisburg', '--avoid', 'RUS')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/"RUS" is not an ISO 3166-1 alpha-2/),
    });
    expect(await corridor('route', "Xi'an", 'Duisburg', '--modes', 'air')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/"air" is not a mode; valid: rail, road, sea, ferry/),
    });
  });
  it('rejects an unknown scenario listing the valid ones, exit 2', async () => {
    const r = await corridor('route', 'Baku', 'Kars', '--scenario', 'atlantis');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown scenario "atlantis"; valid: .*zangezur-open/);
  });
  it('exits 2 on a missing argument and on an unknown command', async () => {
    expect((await corridor('route', 'Baku')).status).toBe(2);
    expect((await corridor('teleport')).status).toBe(2);
  });
  it('refuses to route on a broken dataset and says how to see why, exit 1', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, { 'links/core.yaml': [[/to: AZALA\b/, 'to: AZQQQ']] });
    const r = await corridor('--data', dir, 'route', 'Baku', 'Poti');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has 1 error\(s\); run `corridor validate .*` to list them/);
  });
});

describe('corridor route explanations and compliance lists on the default dataset', () => {
  it('explains that the Northern route was excluded by --avoid RU', async () => {
    const r = await routeJson("Xi'an", 'Duisburg', '--avoid', 'RU');
    expect(r.alternatives).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'excluded', reason: expect.stringContaining('crosses RU') }),
      ]),
    );
  });
  it("never touches RU, IR or AM from Xi'an to Istanbul when they are avoided", async () => {
    const r = await routeJson("Xi'an", 'Istanbul', '--avoid', 'RU,IR,AM');
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options)
      for (const c of ['RU', 'IR', 'AM'])
        expect([...o.totals.countries, ...o.totals.passageCountries]).not.toContain(c);
  });
  it('lists the sea passages of Shanghai → Rotterdam by sea', async () => {
    const r = await routeJson('Shanghai', 'Rotterdam', '--modes', 'sea');
    const viaSuez = r.options.find((o) => o.totals.passages.includes('suez'));
    expect(viaSuez?.totals.passages).toEqual(expect.arrayContaining(['malacca', 'bab-el-mandeb', 'suez']));
    expect(viaSuez?.totals.passageCountries).toEqual(expect.arrayContaining(['EG', 'YE']));
  });
  it('switches on the Zangezur links only in their scenario', async () => {
    const base = await routeJson('Baku', 'Kars');
    const open = await routeJson('Baku', 'Kars', '--scenario', 'zangezur-open');
    const fastest = (r: RouteResult) => Math.min(...r.options.map((o) => o.totals.durationH));
    expect(base.options.every((o) => !o.totals.countries.includes('AM'))).toBe(true);
    expect(fastest(open)).toBeLessThan(fastest(base));
    expect(open.options.find((o) => o.labels.includes('fastest'))!.totals.countries).toContain('AM');
  });
});

describe('corridor route with the risk criterion', () => {
  it('adds the Red-Sea-free Cape route to the trade-off set when risk counts', async () => {
    const base = await routeJson("Xi'an", 'Duisburg');
    const risky = await routeJson("Xi'an", 'Duisburg', '--criteria', 'risk');
    const viaCape = (r: RouteResult) => r.options.some((o) => o.totals.passages.includes('cape-of-good-hope'));
    expect(viaCape(base)).toBe(false);
    expect(viaCape(risky)).toBe(true);
    expect(risky.query.criteria).toEqual(['durationH', 'costUsd', 'co2eKg', 'risk']);
    const cape = risky.options.find((o) => o.totals.passages.includes('cape-of-good-hope'))!;
    const suez = risky.options.find((o) => o.totals.passages.includes('suez'))!;
    expect(cape.totals.riskScore).toBeLessThan(suez.totals.riskScore);
  });
});

describe('the corridor process', () => {
  it('exits 0, 1 and 2 as documented, with no stack trace', () => {
    expect(spawned('validate').status).toBe(0);
    const dir = mutatedCopy(DEFAULT_DATA, { 'links/core.yaml': [[/to: AZALA\b/, 'to: AZQQQ']] });
    expect(spawned('validate', dir).status).toBe(1);
    const usage = spawned('route', 'Duisbrug', 'Baku');
    expect(usage.status).toBe(2);
    expect(usage.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
