/** The scenario view's "How sure?" block: what binds, named, and a distribution in one phrase. */
import { describe, expect, it } from 'vitest';
import { bindingRows, type SweepSummary, spread } from '../../web/src/compare/sweep-summary.js';

const summary = {
  levels: [
    {
      level: 1,
      draws: 40,
      objectiveUsd: { p10: 439_000_000, p50: 446_100_000, p90: 455_900_000 },
      unmetTeu: { p10: 0, p50: 0, p90: 1200 },
      binds: [
        { id: 'kuryk-alat', probability: 1 },
        { id: 'aktau-alat', probability: 0.675 },
        { id: 'AZBAK', probability: 0.05 },
      ],
    },
  ],
  tornado: [],
} as unknown as SweepSummary;

describe('sweep view', () => {
  it('names what binds, most often first, and caps the list', () => {
    const names: Record<string, string> = { 'kuryk-alat': 'Kuryk – Alat', AZBAK: 'Baku' };
    const rows = bindingRows(summary, (id) => names[id] ?? id);
    expect(rows).toEqual([
      { id: 'kuryk-alat', name: 'Kuryk – Alat', probability: 1 },
      { id: 'aktau-alat', name: 'aktau-alat', probability: 0.675 },
      { id: 'AZBAK', name: 'Baku', probability: 0.05 },
    ]);
    expect(bindingRows(summary, (id) => id, 2).map((r) => r.id)).toEqual(['kuryk-alat', 'aktau-alat']);
    expect(bindingRows({ levels: [], tornado: [] } as unknown as SweepSummary, (id) => id)).toEqual([]);
  });

  it('reads a distribution as P10 … P90 with the median', () => {
    expect(spread(summary.levels[0]!.objectiveUsd)).toBe('USD 439.0 M … USD 455.9 M (P50 USD 446.1 M)');
  });
});
