/**
 * `corridor calibrate` on the default dataset, and the ratchet: the cross-validated median error
 * must not rise above the figure recorded in docs/calibration.md (it only moves down).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';
import { cli, cliJson } from '../helpers/cli.js';

const recorded = (name: string): number => {
  const doc = readFileSync(new URL('../../docs/calibration.md', import.meta.url), 'utf8');
  const m = new RegExp(`<!-- ratchet ${name}: ([0-9.]+) -->`).exec(doc);
  if (!m?.[1]) throw new Error(`docs/calibration.md records no "ratchet ${name}" figure`);
  return Number(m[1]);
};

describe('corridor calibrate', async () => {
  const report = await cliJson('calibrate');
  const observations = loadDataset(DEFAULT_DATA).observations;

  it('answers every observation or counts it as a 100 % miss, none skipped', () => {
    expect(report.observations).toBe(observations.length);
    expect(report.results.map((r: { id: string }) => r.id)).toEqual(observations.map((o) => o.id));
    for (const r of report.results) {
      if (!r.answered) {
        expect(r.error, r.id).toBe(1);
        expect(r.note, r.id).not.toBe('');
      } else expect(r.model, r.id).not.toBeNull();
      if (r.inside) expect(r.error).toBe(0);
    }
    const total = Object.values(report.byKind).reduce((n: number, s: any) => n + s.count, 0);
    expect(total).toBe(observations.length);
  });

  it('reports the options it compared for times and prices', () => {
    const k1 = report.results.find((r: { id: string }) => r.id === 'price-shanghai-rotterdam-wci-2025-01-16');
    expect(k1.compared.length).toBeGreaterThan(0);
    expect(k1.compared.filter((c: { chosen: boolean }) => c.chosen)).toHaveLength(1);
  });

  it('measures a price that is also an index point with that point held out', () => {
    const k1 = report.results.find((r: { id: string }) => r.id === 'price-shanghai-rotterdam-wci-2025-01-16');
    expect(k1.note).toContain('wci-shanghai-rotterdam@2025-01-16 held out');
    expect(k1.model).not.toBe(k1.published.min);
    expect(k1.note).toContain('port-to-port');
  });

  it('summarises prices per segment', () => {
    const prices = Object.values(report.bySegment).reduce((n: number, s: any) => n + s.count, 0);
    expect(prices).toBe(report.byKind.price.count);
    expect(report.bySegment['sea port-to-port eastbound'].count).toBeGreaterThan(0);
  });

  it('ratchet: the cross-validated median error is not above the recorded figure', () => {
    expect(report.crossValidated.overall.medianError).toBeLessThanOrEqual(recorded('cv-median') + 1e-9);
  });

  it('prints a table with the summaries', async () => {
    const r = await cli('calibrate');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('time-xian-baku-2024-01');
    expect(r.stdout).toMatch(/transit-time\s+\d+/);
  });
});
