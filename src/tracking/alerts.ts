/**
 * Alerts from one forecast revision to the next: the P90 arrival moved later by more than a
 * threshold, a planned connection became unreachable, or the current leg is overdue against the
 * P90 of its arrival. Pure: the caller stores and notifies.
 */
import type { LiveForecast } from './forecast.js';

export type AlertKind = 'eta-later' | 'connection-unreachable' | 'leg-overdue';

export interface Alert {
  kind: AlertKind;
  message: string;
  leg?: number;
  /** Hours the P90 moved (eta-later) or the leg is late (leg-overdue). */
  hours?: number;
}

export interface AlertRules {
  /** P90 later by more than this → eta-later. */
  p90LaterThanH: number;
  /**
   * A connection is unreachable when fewer draws than this share board it. An assumption: 5 %
   * is "practically lost" on the band the forecast reports (P10–P90).
   */
  unreachableBelowShare: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = { p90LaterThanH: 12, unreachableBelowShare: 0.05 };

const iso = (h: number) => `${new Date(h * 3_600_000).toISOString().slice(0, 16)}Z`;

export function alertsBetween(prev: LiveForecast | null, next: LiveForecast, rules: AlertRules): Alert[] {
  const out: Alert[] = [];
  if (prev?.p90H != null && next.p90H != null && next.p90H - prev.p90H > rules.p90LaterThanH) {
    const h = Math.round((next.p90H - prev.p90H) * 10) / 10;
    out.push({ kind: 'eta-later', hours: h, message: `P90 arrival moved ${h} h later, to ${iso(next.p90H)}` });
  }
  for (const c of next.connections) {
    if (c.reachableShare >= rules.unreachableBelowShare) continue;
    const before = prev?.connections.find((x) => x.leg === c.leg);
    if (prev && (!before || before.reachableShare < rules.unreachableBelowShare)) continue;
    out.push({
      kind: 'connection-unreachable',
      leg: c.leg,
      message:
        `the planned departure of ${c.service} at ${iso(c.plannedDepartureH)} (leg ${c.leg + 1}) can no longer ` +
        `be made (${Math.round(c.reachableShare * 100)} % of draws)`,
    });
  }
  if (next.currentLegP90H != null && next.position && next.asOfH > next.currentLegP90H) {
    const h = Math.round((next.asOfH - next.currentLegP90H) * 10) / 10;
    out.push({
      kind: 'leg-overdue',
      leg: next.position.leg,
      hours: h,
      message: `leg ${next.position.leg + 1} is ${h} h past the P90 of its arrival (${iso(next.currentLegP90H)})`,
    });
  }
  return out;
}
