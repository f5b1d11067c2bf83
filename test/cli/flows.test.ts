/**
 * End-to-end runs of `corridor assign`, `corridor scenario …`, `corridor report bulletin` and
 * `route --scenario` on the default dataset, as a user would run them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentResult } from '../../src/flow/assign.js';
import type { RouteResult } from '../../src/routing/route.js';
import { cli } from '../helpers/cli.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const corridor = cli;
async function json<T>(...args: string[]): Promise<T> {
  const r = await corridor(...args, '--json');
  expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('corridor scenario', () => {
  it('lists the built-in scenarios', async () => {
    const r = await corridor('scenario', 'list');
    expect(r.status).toBe(0);
    for (const name of [
      'zangezur-open',
      'crossroads-for-peace',
      'northern-closed',
      'aras-via-iran',
      'baku-25mt',
      'btk-5mt',
      'demand-2029',
      'caspian-low-water',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s`, 'm'));
    }
  });

  it('shows what a scenario changes', async () => {
    const s = await json<{ name: string; changes: { kind: string; target: string }[]; demandSet: string | null }>(
      'scenario',
      'show',
      'northern-closed',
    );
    expect(s.changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'avoid-country', target: 'RU' })]),
    );
    expect((await json<{ demandSet: string }>('scenario', 'show', 'demand-2029')).demandSet).toBe('trains-2029');
  });

  it('diffs two scenarios per lane and in flows', async () => {
    const d = await json<{
      lanes: {
        from: string;
        to: string;
        a: { durationH: number } | null;
        b: { durationH: number; countries: string[] } | null;
        rerouted: boolean;
      }[];
      flows: { objective: { a: number; b: number } };
    }>('scenario', 'diff', 'base', 'zangezur-open', '--demand', 'trains-2029');
    expect(d.lanes.length).toBeGreaterThan(5);
    for (const l of d.lanes) expect(l.b!.durationH).toBeLessThanOrEqual(l.a!.durationH * 1.5 + 1);
    expect(d.flows.objective.b).toBeLessThanOrEqual(d.flows.objective.a + 1e-6);
  });

  it('names the unknown scenario and the valid ones, exit 2', async () => {
    const r = await corridor('scenario', 'show', 'atlantis');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown scenario "atlantis"; valid: .*zangezur-open/);
  });
});

describe('corridor route --scenario', () => {
  it('Baku → Kars is faster with Zangezur open and crosses Armenia', async () => {
    const base = await json<RouteResult>('route', 'Baku', 'Kars');
    const z = await json<RouteResult>('route', 'Baku', 'Kars', '--scenario', 'zangezur-open');
    const fastest = (r: RouteResult) => r.options.find((o) => o.labels.includes('fastest'))!;
    expect(fastest(z).totals.durationH).toBeLessThan(fastest(base).totals.durationH);
    expect(fastest(z).totals.countries).toContain('AM');
    expect(fastest(base).totals.countries).not.toContain('AM');
  });

  it('applies overlays: with the Northern route closed no option touches Russia', async () => {
    const r = await json<RouteResult>('route', "Xi'an", 'Duisburg', '--scenario', 'northern-closed');
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options) expect(o.totals.countries).not.toContain('RU');
  });
});

describe('corridor assign', () => {
  let run: AssignmentResult & { demandSet: string };
  beforeAll(async () => {
    run = await json<AssignmentResult & { demandSet: string }>('assign', '--scenario', 'demand-2029');
  });

  it('assigns the 2029 demand of the scenario and respects every capacity', async () => {
    expect(run.demandSet).toBe('trains-2029');
    expect(run.converged).toBe(true);
    expect(run.totals.demand).toBeCloseTo(2000 * 110, 0);
    for (const x of [...run.links, ...run.nodes]) {
      if (x.capacity !== null) expect(x.flow).toBeLessThanOrEqual(x.capacity * (1 + 1e-6) + 0.1);
      expect(x.shadowPrice).toBeGreaterThanOrEqual(0);
    }
  });

  it('conserves demand: served plus unmet is the demand of every OD, and routes add up to what is served', async () => {
    for (const od of run.ods) {
      expect(od.served + od.unmet).toBeCloseTo(od.demand, 0);
      expect(od.routes.reduce((s, r) => s + r.teu, 0)).toBeCloseTo(od.served, 0);
      for (const r of od.routes) {
        expect(r.via[0]).toBe(od.from);
        expect(r.via[r.via.length - 1]).toBe(od.to);
      }
    }
  });

  it('names bottlenecks with non-negative shadow prices, ranked, each at its capacity', async () => {
    expect(run.bottlenecks.length).toBeGreaterThan(0);
    for (let i = 0; i < run.bottlenecks.length; i++) {
      const b = run.bottlenecks[i]!;
      expect(b.shadowPrice).toBeGreaterThanOrEqual(0);
      expect(b.utilization).toBeGreaterThan(0.999);
      if (i > 0) expect(b.shadowPrice).toBeLessThanOrEqual(run.bottlenecks[i - 1]!.shadowPrice);
    }
    expect(run.bottlenecks.map((b) => b.name).join(' ')).toMatch(/Alat/);
  });

  it('prints a readable summary', async () => {
    const r = await corridor('assign', '--scenario', 'northern-closed,demand-2029');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Bottlenecks/);
    // With the Northern route closed, 2,000 trains fill every Caspian crossing: the readable table
    // lists the same bottlenecks, in the same order, as the JSON.
    const j = await json<AssignmentResult>('assign', '--scenario', 'northern-closed,demand-2029');
    expect(j.bottlenecks.map((b) => b.id)).toEqual(
      expect.arrayContaining(['aktau-alat', 'kuryk-alat', 'turkmenbashi-alat']),
    );
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+\S/.test(l));
    expect(rows.slice(0, j.bottlenecks.length).map((l) => l.trim().split(/\s+/)[1])).toEqual(
      j.bottlenecks.map((b) => b.id),
    );
  });

  it('reads a demand file, and rejects a bad one naming file, line and field (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-demand-'));
    const good = join(dir, 'mine.yaml');
    writeFileSync(
      good,
      'name: mine\ntitle: Mine\ndescription: one OD\nflows:\n  - from: CNXIA\n    to: AZBAK\n ' +
        '   commodity: containers\n    perYear: {value: 10, unit: trains, assumption: "ten trains a year for ' +
        'a test run"}\n',
    );
    const ok = await json<AssignmentResult>('assign', '--demand', good);
    expect(ok.totals.demand).toBe(1100);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'name: bad\ntitle: Bad\ndescription: bad\nflows:\n  - from: CNXIA\n    to: AZXXX\n    commodity: ' +
        'containers\n    perYear: {value: 10, unit: trains, assumption: "ten trains a year for a test run"}\n',
    );
    const r = await corridor('assign', '--demand', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:6 \(flows\[0\]\.to\): to `AZXXX` is not a location/);
  });

  it('explains usage errors with exit 2', async () => {
    expect(await corridor('assign')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--demand: is required.*trains-2029/),
    });
    expect(await corridor('assign', '--demand', 'nope')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/"nope" is neither a demand set nor a file/),
    });
    expect(await corridor('assign', '--demand', 'trains-600', '--co2-price', '-3')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--co2-price: "-3" is not a number from 0 to 10000/),
    });
  });
});

describe('corridor report bulletin', () => {
  it('writes one self-contained HTML page that answers the questions with numbers', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'corridor-bulletin-')), 'b.html');
    const r = await corridor('report', 'bulletin', '--out', out, '--draws', '4');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote .*b\.html/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toMatch(/<svg/);
    for (const h of ['Zangezur', '2,000 trains', 'BTK', 'Northern-route closure', 'low Caspian water'])
      expect(html).toContain(h);
    expect(html).toMatch(/scenarios\/zangezur-open\.yaml/);
    expect(html).toMatch(/demand\/trains-2029\.yaml/);
    // How sure: the sweep's section, with its command to reproduce it.
    expect(html).toContain('How sure: 4 draws of capacities, dwell, demand and prices');
    expect(html).toMatch(/binds in<\/th>.*<td class="n">\d+\.\d %<\/td>/s);
    expect(html).toContain('corridor sweep --scenario northern-closed --demand trains-2029 --draws 4 --seed 1');
    // How far to trust it: the model against the published record, with the out-of-sample figure.
    expect(html).toMatch(/How far to trust these numbers/);
    expect(html).toMatch(/Against \d+ published, dated observations.*median error is <b>\d+\.\d %<\/b>/s);
    expect(html).toMatch(/cross-validated \(out of sample\) <b>\d+\.\d %<\/b>/);
  }, 120_000);

  it('refuses a bad --draws, naming it', async () => {
    const r = await corridor('report', 'bulletin', '--draws', '-3');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--draws: "-3" is not an integer from 0 to 2000');
  });
});

describe('validation of scenarios and demand', () => {
  it('reports an unknown link in a scenario edit with file, line and a suggestion', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'scenarios/btk-1mt.yaml': [['ids: [marabda-akhalkalaki,', 'ids: [marabda-akhalkalaky,']],
    });
    const r = await corridor('validate', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/scenarios\/btk-1mt\.yaml:\d+ \(id btk-1mt, links\[0\]\.ids\): link `marabda-/);
    expect(r.stdout).toMatch(/`marabda-akhalkalaky` is not a link of the dataset .*did you mean marabda-akhalkalaki/);
  });
  it('reports a bare number in a scenario multiplier and a demand OD to an unknown place', async () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'scenarios/caspian-low-water.yaml': [
        [/capacityMultiplier:\n\s+value: 0\.846\n\s+assumption: .*\n\s+basis: .*\n/, 'capacityMultiplier: 0.846\n'],
      ],
      'demand/trains-600.yaml': [['to: AZBAK', 'to: AZBAQ']],
    });
    const out = JSON.parse((await corridor('validate', dir, '--json')).stdout) as {
      errors: { file: string; code: string; message: string }[];
      provenance: { unsourced: number };
    };
    expect(out.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'scenarios/caspian-low-water.yaml',
          code: 'schema',
          message: expect.stringMatching(/bare number/),
        }),
        expect.objectContaining({ file: 'demand/trains-600.yaml', code: 'unknown-location' }),
      ]),
    );
    expect(out.provenance.unsourced).toBe(1);
  });
});
