/**
 * Small helpers shared by the bench entries: a seeded PRNG, medians/percentiles, a timing loop,
 * and the distance check every peer must pass before its time is reported.
 */
import { performance } from 'node:perf_hooks';

/**
 * mulberry32: a tiny seeded 32-bit PRNG, so generated graphs are identical run to run.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number[]} xs @param {number} q in [0, 1] — nearest-rank percentile. */
export function percentile(xs, q) {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

/** @param {number[]} xs median (mean of the two middle values for an even count). */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * @typedef {{warmup: number, minRuns: number, maxRuns: number, budgetMs: number}} Reps
 * How often to run one measurement: `warmup` untimed calls, then as many timed calls as fit in
 * `budgetMs` (estimated from the last warm-up call), but at least `minRuns` and at most `maxRuns`.
 */

/**
 * @param {number} estimateMs
 * @param {Reps} reps
 */
export function runsFor(estimateMs, reps) {
  const want = Math.ceil(reps.budgetMs / Math.max(estimateMs, 1e-3));
  return Math.min(reps.maxRuns, Math.max(reps.minRuns, want));
}

/**
 * Times `fn` one call at a time after warm-up.
 * @param {() => unknown} fn
 * @param {Reps} reps
 * @returns {{samplesMs: number[], medianMs: number, warmup: number, runs: number}}
 */
export function timeRuns(fn, reps) {
  let est = 0;
  const warmup = Math.max(1, reps.warmup);
  for (let i = 0; i < warmup; i++) {
    const t0 = performance.now();
    fn();
    est = performance.now() - t0;
  }
  const runs = runsFor(est, reps);
  const samplesMs = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samplesMs[i] = performance.now() - t0;
  }
  return { samplesMs, medianMs: median(samplesMs), warmup, runs };
}

export class MismatchError extends Error {}

/**
 * Checks two distance arrays are identical within `rel` relative tolerance (∞ must match ∞).
 * Throws MismatchError naming the first differing vertices.
 * @param {ArrayLike<number>} ours
 * @param {ArrayLike<number>} theirs
 * @param {string} what
 * @param {number} [rel]
 * @returns {{compared: number, maxRelDiff: number, reached: number}}
 */
export function checkDistances(ours, theirs, what, rel = 1e-9) {
  if (ours.length !== theirs.length) {
    throw new MismatchError(`${what}: ${ours.length} distances from ours, ${theirs.length} from the peer`);
  }
  let maxRelDiff = 0;
  let reached = 0;
  const bad = [];
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === b) {
      if (a !== Infinity) reached++;
      continue;
    }
    const d = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    if (!(d <= rel)) {
      if (bad.length < 5) bad.push(`vertex ${i}: ours ${a}, peer ${b}`);
      else bad.push(null);
      continue;
    }
    reached++;
    if (d > maxRelDiff) maxRelDiff = d;
  }
  if (bad.length > 0) {
    const shown = bad.filter((x) => x !== null);
    throw new MismatchError(
      `${what}: ${bad.length} of ${ours.length} distances differ by more than ${rel} relative (${shown.join('; ')})`,
    );
  }
  return { compared: ours.length, maxRelDiff, reached };
}

/** @param {number} ms */
export function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}
