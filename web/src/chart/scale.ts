/** Linear scales and "nice" axis ticks (1, 2, 5 × 10^k steps). Pure. */

export interface Scale {
  (x: number): number;
  domain: [number, number];
  ticks: number[];
}

/** Tick values covering [min, max] with about `count` steps of 1, 2 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const out: number[] = [];
  for (let k = first; k <= Math.max(last, first + 1); k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Maps [d0, d1] (widened to nice ticks) onto [r0, r1]. */
export function linearScale(values: readonly number[], range: [number, number], count = 5): Scale {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const ticks = niceTicks(lo, hi, count);
  const d0 = ticks[0] ?? lo;
  const d1 = ticks[ticks.length - 1] ?? hi;
  const span = d1 - d0 || 1;
  const f = ((x: number) => range[0] + ((x - d0) / span) * (range[1] - range[0])) as Scale;
  f.domain = [d0, d1];
  f.ticks = ticks;
  return f;
}
