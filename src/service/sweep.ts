/**
 * Sweeps in the application layer: one draw of a Monte Carlo sensitivity sweep as an assignment
 * (the draw's overlay from src/scenario/sweep.ts, assigned like any scenario), and the plan of a
 * whole sweep as a list of small runs any worker can do in any order.
 */
import { InvalidRequestError, type FieldProblem } from '../model/errors.js';
import {
  aggregateSweep,
  type DrawOutcome,
  drawFactors,
  drawScenario,
  oneAtATime,
  type SweepRange,
  type SweepSummary,
  sweepRanges,
} from '../scenario/sweep.js';
import type { CorridorService } from './service.js';

export interface SweepRequest {
  /** Base scenario selection (comma-separated names), default none. */
  scenario?: string;
  /** Demand set; default the one the scenario names. */
  demand?: string;
  /** A scenario whose value is measured in every draw against the base (same draw, both worlds). */
  compare?: string;
  /** Multipliers of the demand set: the demand levels (default [1]). */
  levels?: number[];
  draws: number;
  seed: number;
  /** Also the tornado: every range at its low and its high end, the others at their mode. */
  tornado?: boolean;
}

export interface SweepRun {
  run: 'draw' | 'low' | 'high';
  index: number;
  range?: number;
  level: number;
}

/** Every run of a sweep: draws × levels, then the tornado's two runs per range at level 1 (or the first). */
export function sweepRuns(req: SweepRequest, ranges: readonly SweepRange[]): SweepRun[] {
  const levels = req.levels?.length ? req.levels : [1];
  const runs: SweepRun[] = [];
  for (const level of levels) for (let index = 0; index < req.draws; index++) runs.push({ run: 'draw', index, level });
  if (req.tornado) {
    const level = levels.includes(1) ? 1 : (levels[0] ?? 1);
    ranges.forEach((_, range) => {
      runs.push({ run: 'low', index: range, range, level });
      runs.push({ run: 'high', index: range, range, level });
    });
  }
  return runs;
}

const names = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Checks a sweep request against the service's world (scenarios, demand) before any job is queued. */
export async function checkSweep(service: CorridorService, req: SweepRequest): Promise<SweepRange[]> {
  const problems: FieldProblem[] = [];
  try {
    await service.prepareAssign({
      ...(req.scenario !== undefined ? { scenario: req.scenario } : {}),
      ...(req.demand !== undefined ? { demand: req.demand } : {}),
    });
  } catch (e) {
    if (!(e instanceof InvalidRequestError)) throw e;
    problems.push(...e.problems);
  }
  if (req.compare !== undefined) {
    const { problems: p } = await service.selection(service.world, names(req.compare), 'compare');
    problems.push(...p);
  }
  if (problems.length) throw new InvalidRequestError(problems);
  return sweepRanges(service.world.dataset);
}

/** The ranges a sweep draws from in the service's world (no request needed). */
export function worldSweepRanges(service: CorridorService): SweepRange[] {
  return sweepRanges(service.world.dataset);
}

/** One run of a sweep: the draw's assignment (and the compared scenario's under the same draw). */
export async function runSweepDraw(
  service: CorridorService,
  sweepId: string,
  req: SweepRequest,
  r: SweepRun,
): Promise<DrawOutcome> {
  const ranges = sweepRanges(service.world.dataset);
  const factors = r.run === 'draw' ? drawFactors(ranges, req.seed, r.index) : oneAtATime(ranges, r.range ?? 0, r.run);
  const base = names(req.scenario);
  const tag = `sweep-${sweepId}-${r.run}-${r.level}-${r.index}`;
  const demandSet = req.demand;
  const mk = (name: string, ext: string[]) =>
    drawScenario(name, ranges, factors, {
      extends: ext,
      ...(demandSet !== undefined ? { demandSet } : {}),
      demandLevel: r.level,
    });
  const draw = mk(tag, base);
  const withCompare = req.compare !== undefined ? mk(`${tag}-compare`, [...base, ...names(req.compare)]) : undefined;
  const view = service.withScenarios(withCompare ? [draw, withCompare] : [draw]);
  const one = async (name: string) => {
    const a = await view.assign(
      await view.prepareAssign({ scenario: name, ...(demandSet ? { demand: demandSet } : {}) }),
    );
    return {
      objective: a.objective,
      unmetTeu: a.totals.unmet,
      binding: a.bottlenecks.filter((b) => b.shadowPrice > 1e-6).map((b) => b.id),
    };
  };
  const a = await one(tag);
  const c = withCompare ? await one(withCompare.name) : undefined;
  return {
    index: r.index,
    run: r.run,
    ...(r.range !== undefined ? { range: r.range } : {}),
    level: r.level,
    ...a,
    ...(c ? { compareObjective: c.objective } : {}),
  };
}

/**
 * A whole sweep in this process, one run after another (the CLI, the bulletin); the API splits the
 * same runs into jobs instead, and `aggregateSweep` makes the same summary of either.
 */
export async function runSweepHere(
  service: CorridorService,
  req: SweepRequest,
  tag: string,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<{ ranges: SweepRange[]; summary: SweepSummary }> {
  const ranges = await checkSweep(service, req);
  const runs = sweepRuns(req, ranges);
  const outcomes: DrawOutcome[] = [];
  for (const [i, r] of runs.entries()) {
    outcomes.push(await runSweepDraw(service, tag, req, r));
    progress(i + 1, runs.length);
  }
  return { ranges, summary: aggregateSweep(ranges, outcomes) };
}

export { aggregateSweep };
export type { DrawOutcome, SweepRange, SweepSummary };
