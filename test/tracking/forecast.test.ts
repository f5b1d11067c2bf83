/**
 * The live forecast on the default dataset's Xi'an → Baku plan (rail to Dostyk and Aktau, the
 * departs-when-full Caspian feeder to Alat, rail to Baku): known legs are fixed, a late departure
 * moves the ETA, a missed scheduled connection moves to the next departure, and — on 500 journeys
 * simulated from the model itself — the P10–P90 band holds the actual arrival in 80 % ± 5 % of
 * cases at every stage and narrows as the shipment advances.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/schedule/rng.js';
import { alertsBetween, DEFAULT_ALERT_RULES } from '../../src/tracking/alerts.js';
import { drawJourney, type ForecastPlan, forecastStart, liveForecast } from '../../src/tracking/forecast.js';
import { trackingPlan } from '../helpers/tracking.js';

let plan: ForecastPlan;
beforeAll(() => {
  plan = trackingPlan("Xi'an", 'Baku', '2026-03-02T08:00');
});

const SAMPLES = 1000;

describe('live forecast', () => {
  it('with nothing known it is the plan’s own Monte Carlo band, and seeded', () => {
    const f = liveForecast(plan, null, plan.readyH, SAMPLES, 7);
    expect(f.p10H).not.toBeNull();
    expect(f.p10H!).toBeLessThanOrEqual(f.p50H!);
    expect(f.p50H!).toBeLessThanOrEqual(f.p90H!);
    const last = plan.steps[plan.steps.length - 1]!;
    expect(f.p10H!).toBeLessThanOrEqual(last.arrivalH + 48);
    expect(liveForecast(plan, null, plan.readyH, SAMPLES, 7)).toEqual(f);
  });

  it('a later actual departure of the ferry moves the whole band later by about the delay', () => {
    const ferryLeg = plan.legStep.findIndex(
      (k) => plan.tt.services[plan.sampling[k]!.service]?.id.includes('aktau') === true,
    );
    expect(ferryLeg).toBeGreaterThan(0);
    const planned = plan.steps[plan.legStep[ferryLeg]!]!.departureH;
    const onTime = liveForecast(plan, { leg: ferryLeg, phase: 'DEPA', atH: planned }, planned, SAMPLES, 1);
    const late = liveForecast(plan, { leg: ferryLeg, phase: 'DEPA', atH: planned + 48 }, planned + 48, SAMPLES, 1);
    expect(late.p50H! - onTime.p50H!).toBeGreaterThan(24);
    expect(late.p50H! - onTime.p50H!).toBeLessThan(72);
    const alerts = alertsBetween(onTime, late, DEFAULT_ALERT_RULES);
    expect(alerts.map((a) => a.kind)).toContain('eta-later');
  });

  it('a scheduled departure missed moves to the next one and raises connection-unreachable', () => {
    const first = plan.legStep.findIndex((k) => plan.steps[k]!.edge < 0);
    const dep = plan.steps[plan.legStep[first]!]!.departureH;
    const before = liveForecast(plan, null, plan.readyH, SAMPLES, 3);
    // Nothing reported by an hour after the planned departure: the train left without it.
    const after = liveForecast(plan, null, dep + 1, SAMPLES, 3);
    expect(before.connections.find((c) => c.leg === first)?.reachableShare).toBeGreaterThan(0.5);
    expect(after.connections.find((c) => c.leg === first)?.reachableShare).toBe(0);
    expect(after.p50H!).toBeGreaterThan(before.p50H!);
    expect(alertsBetween(before, after, DEFAULT_ALERT_RULES).map((a) => a.kind)).toContain('connection-unreachable');
  });

  it('in transit, the leg’s remaining time is conditioned on the elapsed time, and overdue raises an alert', () => {
    const leg = 0;
    const dep = plan.steps[plan.legStep[leg]!]!.departureH;
    const f0 = liveForecast(plan, { leg, phase: 'DEPA', atH: dep }, dep, SAMPLES, 5);
    expect(f0.currentLegP90H).not.toBeNull();
    const later = f0.currentLegP90H! + 24;
    const f1 = liveForecast(plan, { leg, phase: 'DEPA', atH: dep }, later, SAMPLES, 5);
    expect(f1.p10H!).toBeGreaterThan(later);
    expect(alertsBetween(f0, f1, DEFAULT_ALERT_RULES).map((a) => a.kind)).toContain('leg-overdue');
  });
});

describe('calibration on journeys simulated from the model', () => {
  it('the P10–P90 band holds the actual arrival in 80 % ± 5 % of 500 journeys at every stage, narrowing', () => {
    const legs = plan.legStep.length;
    const stages = 1 + 2 * legs;
    const inside = new Float64Array(stages);
    const width = new Float64Array(stages);
    const N = 500;
    const truthRng = new Rng(20261207);
    for (let n = 0; n < N; n++) {
      const times = new Float64Array(2 * legs);
      const arrival = drawJourney(plan, forecastStart(plan, null), plan.readyH, truthRng, times);
      for (let st = 0; st < stages; st++) {
        const pos =
          st === 0
            ? null
            : { leg: (st - 1) >> 1, phase: (st - 1) % 2 === 0 ? ('DEPA' as const) : ('ARRI' as const), atH: 0 };
        if (pos) pos.atH = times[2 * pos.leg + ((st - 1) % 2)]!;
        const f = liveForecast(plan, pos, pos ? pos.atH : plan.readyH, 400, 1000 + n * stages + st);
        if (arrival >= f.p10H! - 0.01 && arrival <= f.p90H! + 0.01) inside[st]!++;
        width[st]! += f.p90H! - f.p10H!;
      }
    }
    const coverage = [...inside].map((x) => x / N);
    const meanWidth = [...width].map((x) => x / N);
    console.log(JSON.stringify({ coverage, meanWidthH: meanWidth.map((w) => Math.round(w * 10) / 10) }));
    // Stages whose remainder is deterministic (the last leg is a continuous link of fixed time)
    // have a zero-width band that holds the arrival trivially.
    const uncertain = coverage.filter((_, st) => meanWidth[st]! > 0.5);
    expect(uncertain.length).toBeGreaterThanOrEqual(stages - 3);
    for (const c of uncertain) {
      expect(c).toBeGreaterThanOrEqual(0.75);
      expect(c).toBeLessThanOrEqual(0.85);
    }
    expect(meanWidth[stages - 2]!).toBeLessThan(meanWidth[0]!);
  });
});
