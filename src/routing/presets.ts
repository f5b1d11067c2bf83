/**
 * Presets pick one option from the Pareto set: the fastest, the cheapest, the greenest, or the
 * balanced one (lowest weighted sum of each criterion relative to its best value in the set, so
 * days, dollars and tonnes weigh the same by default).
 */
import type { ParetoPath } from './pareto.js';
import { nth } from '../model/invariant.js';

export const PRESETS = ['fastest', 'cheapest', 'greenest', 'balanced'] as const;
export type Preset = (typeof PRESETS)[number];

export interface BalanceWeights {
  durationH: number;
  costUsd: number;
  co2eKg: number;
}

export const EQUAL_WEIGHTS: BalanceWeights = { durationH: 1, costUsd: 1, co2eKg: 1 };

/** Index of the chosen path in `paths`, or -1 if there is none. Ties go to the earlier path. */
export function pickPreset(
  paths: readonly ParetoPath[],
  preset: Preset,
  weights: BalanceWeights = EQUAL_WEIGHTS,
): number {
  if (paths.length === 0) return -1;
  const best = (k: keyof BalanceWeights) => Math.max(Math.min(...paths.map((q) => q[k])), Number.MIN_VALUE);
  const bestTime = best('durationH');
  const bestCost = best('costUsd');
  const bestCo2 = best('co2eKg');
  const score = (p: ParetoPath): number => {
    switch (preset) {
      case 'fastest':
        return p.durationH;
      case 'cheapest':
        return p.costUsd;
      case 'greenest':
        return p.co2eKg;
      case 'balanced':
        return (
          (weights.durationH * p.durationH) / bestTime +
          (weights.costUsd * p.costUsd) / bestCost +
          (weights.co2eKg * p.co2eKg) / bestCo2
        );
    }
  };
  let bestIndex = 0;
  let bestScore = score(nth(paths, 0));
  for (let i = 1; i < paths.length; i++) {
    const s = score(nth(paths, i));
    if (s < bestScore) {
      bestScore = s;
      bestIndex = i;
    }
  }
  return bestIndex;
}
