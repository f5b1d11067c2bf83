import { nth } from '../invariant';
/** Colours shared by the map, its legend and the charts. */
export const MODE_COLORS: Record<string, string> = {
  rail: '#1d4ed8',
  road: '#c2410c',
  sea: '#0f766e',
  ferry: '#7e22ce',
};

export const KIND_COLORS = {
  border: '#b91c1c',
  gaugeChange: '#d97706',
  seaport: '#0f766e',
  place: '#334155',
  passage: '#0369a1',
};

/** Sequential ramp (low → high) for CO2e and utilisation: light teal → deep purple-red. */
export const RAMP = ['#2a9d8f', '#8ab17d', '#e9c46a', '#f4a261', '#e76f51', '#9d0208'];

export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  return mix(nth(RAMP, i), nth(RAMP, i + 1), x - i);
}

function mix(a: string, b: string, t: number): string {
  const pa = [1, 3, 5].map((k) => parseInt(a.slice(k, k + 2), 16));
  const pb = [1, 3, 5].map((k) => parseInt(b.slice(k, k + 2), 16));
  return `#${pa
    .map((v, k) =>
      Math.round(v + (nth(pb, k) - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
