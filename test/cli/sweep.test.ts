/**
 * `corridor sweep`: a seeded Monte Carlo of the assignment answers "what binds at 2,000 trains a
 * year" as probabilities, the same for the same seed, with the tornado and the ranges it drew from.
 */
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

describe('corridor sweep', () => {
  it('gives binding probabilities per demand level, reproducible by seed', async () => {
    const args = ['sweep', '--scenario', 'demand-2029', '--draws', '6', '--seed', '3', '--levels', '0.5,1'];
    const a = await cliJson(...args);
    const b = await cliJson(...args);
    expect(b.summary).toEqual(a.summary);
    expect(a.summary.levels.map((l: any) => [l.level, l.draws])).toEqual([
      [0.5, 6],
      [1, 6],
    ]);
    for (const l of a.summary.levels) {
      expect(l.objectiveUsd.p10).toBeLessThanOrEqual(l.objectiveUsd.p50);
      expect(l.objectiveUsd.p50).toBeLessThanOrEqual(l.objectiveUsd.p90);
      for (const x of l.binds) {
        expect(x.probability).toBeGreaterThan(0);
        expect(x.probability).toBeLessThanOrEqual(1);
        // A probability over 6 draws is a whole number of sixths.
        expect(Math.abs(x.probability * 6 - Math.round(x.probability * 6))).toBeLessThan(1e-9);
      }
    }
    // Twice the demand binds at least as much as half of it, somewhere.
    const [half, full] = a.summary.levels;
    expect(full.objectiveUsd.p50).toBeGreaterThan(half.objectiveUsd.p50);
    expect(full.binds.length).toBeGreaterThan(0);
    const other = await cliJson('sweep', '--scenario', 'demand-2029', '--draws', '6', '--seed', '4');
    expect(other.summary.levels[0].objectiveUsd).not.toEqual(a.summary.levels[1].objectiveUsd);
  });

  // The tornado (two assignments per range, 51 ranges) is tested in test/scenario/sweep.test.ts.
  it('prints the table and the value of a compared scenario', async () => {
    const r = await cli('sweep', '--scenario', 'demand-2029', '--compare', 'baku-25mt', '--draws', '4', '--seed', '1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/demand ×1: 4 draws \(seed 1\); generalised cost USD\/yr P10 [\d.]+ M/);
    expect(r.stdout).toMatch(/value of baku-25mt \(cost saved, USD\/yr\): P10 -?[\d.]+ M/);
    expect(r.stdout).toMatch(/binds in\s+link or node/);
  });

  it('lists the ranges it draws from with their basis', async () => {
    const ranges = await cliJson('sweep', '--ranges');
    expect(ranges.map((x: any) => x.kind)).toEqual(expect.arrayContaining(['capacity', 'dwell', 'demand', 'price']));
    expect(ranges.length).toBeGreaterThan(3);
    for (const x of ranges) {
      expect(x.low).toBeLessThanOrEqual(x.high);
      expect(typeof x.note).toBe('string');
      expect(x.basis).toBeTruthy();
    }
  });

  it('names the flag and what is valid on bad input', async () => {
    const r = await cli('sweep', '--draws', 'many');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--draws: "many" is not an integer from 0 to 2000');
    const s = await cli('sweep', '--scenario', 'no-such-scenario', '--draws', '2');
    expect(s.status).not.toBe(0);
    expect(s.stderr).toMatch(/no-such-scenario/);
    expect(s.stderr).not.toMatch(/\n\s+at /);
  });
});
