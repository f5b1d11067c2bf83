/**
 * Compares two worlds (scenario A and B): per-lane changes of the best route, and the changes of
 * an assignment — objective, unmet demand, flow shifts per link, utilisation and bottlenecks.
 */
import type { AssignmentResult } from './assign.js';
import type { DemandOd } from './demand.js';
import type { LaneRoute } from './lanes.js';

export interface LaneChange {
  from: string;
  to: string;
  commodity: string;
  a: LaneRoute | null;
  b: LaneRoute | null;
  delta: { durationH: number; costUsdPerTeu: number; co2eKgPerTeu: number; generalisedCostUsdPerTeu: number } | null;
  /** True when B's best route runs through different places than A's. */
  rerouted: boolean;
}

export interface FlowShift {
  id: string;
  from: string;
  to: string;
  corridor: string;
  a: number;
  b: number;
  delta: number;
  utilizationA: number | null;
  utilizationB: number | null;
}

export interface AssignmentComparison {
  objective: { a: number; b: number; delta: number };
  served: { a: number; b: number; delta: number };
  unmet: { a: number; b: number; delta: number };
  /** Per link direction: TEU/yr in A and B, largest changes first. */
  linkShifts: FlowShift[];
  bottlenecks: {
    a: { id: string; name: string; shadowPrice: number; utilization: number }[];
    b: { id: string; name: string; shadowPrice: number; utilization: number }[];
    /** Binding in B, not in A. */
    appeared: string[];
    /** Binding in A, not in B. */
    relieved: string[];
  };
}

const r = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export function compareLanes(
  ods: readonly DemandOd[],
  a: readonly (LaneRoute | null)[],
  b: readonly (LaneRoute | null)[],
): LaneChange[] {
  return ods.map((od, i) => {
    const ra = a[i] ?? null;
    const rb = b[i] ?? null;
    return {
      from: od.from,
      to: od.to,
      commodity: od.commodity,
      a: ra,
      b: rb,
      delta:
        ra && rb
          ? {
              durationH: r(rb.durationH - ra.durationH),
              costUsdPerTeu: r(rb.costUsdPerTeu - ra.costUsdPerTeu, 2),
              co2eKgPerTeu: r(rb.co2eKgPerTeu - ra.co2eKgPerTeu),
              generalisedCostUsdPerTeu: r(rb.generalisedCostUsdPerTeu - ra.generalisedCostUsdPerTeu, 2),
            }
          : null,
      rerouted: (ra?.via.join('>') ?? '') !== (rb?.via.join('>') ?? ''),
    };
  });
}

export function compareAssignments(a: AssignmentResult, b: AssignmentResult): AssignmentComparison {
  const key = (l: { id: string; from: string }) => `${l.id}|${l.from}`;
  const la = new Map(a.links.map((l) => [key(l), l]));
  const lb = new Map(b.links.map((l) => [key(l), l]));
  const shifts: FlowShift[] = [];
  for (const k of new Set([...la.keys(), ...lb.keys()])) {
    const x = la.get(k);
    const y = lb.get(k);
    const fa = x?.flow ?? 0;
    const fb = y?.flow ?? 0;
    if (Math.abs(fb - fa) < 0.5) continue;
    const l = (y ?? x)!;
    shifts.push({
      id: l.id,
      from: l.from,
      to: l.to,
      corridor: l.corridor,
      a: fa,
      b: fb,
      delta: r(fb - fa),
      utilizationA: x?.utilization ?? null,
      utilizationB: y?.utilization ?? null,
    });
  }
  shifts.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta));
  const bn = (res: AssignmentResult) =>
    res.bottlenecks
      .filter((x) => x.shadowPrice > 0)
      .map((x) => ({ id: x.id, name: x.name, shadowPrice: x.shadowPrice, utilization: x.utilization }));
  const ba = bn(a);
  const bb = bn(b);
  return {
    objective: { a: a.objective, b: b.objective, delta: r(b.objective - a.objective, 2) },
    served: { a: a.totals.served, b: b.totals.served, delta: r(b.totals.served - a.totals.served) },
    unmet: { a: a.totals.unmet, b: b.totals.unmet, delta: r(b.totals.unmet - a.totals.unmet) },
    linkShifts: shifts,
    bottlenecks: {
      a: ba,
      b: bb,
      appeared: bb.filter((x) => !ba.some((y) => y.name === x.name)).map((x) => x.name),
      relieved: ba.filter((x) => !bb.some((y) => y.name === x.name)).map((x) => x.name),
    },
  };
}
