/**
 * `corridor scenario list | show NAME | diff A B`: the built-in what-ifs, what each changes, and
 * what changes between two of them (per-lane time, cost and CO2e; flow shifts, utilisation and
 * bottlenecks of the assignment). `base` names the dataset without any scenario.
 */
import type { Command } from 'commander';
import { assign, type AssignmentResult } from '../flow/assign.js';
import { buildCorridorGraph } from '../flow/corridor-graph.js';
import { demandInTeu, type DemandOd } from '../flow/demand.js';
import { laneRoutes } from '../flow/lanes.js';
import type { LpSolver } from '../flow/lp.js';
import type { SolveProgress } from '../flow/problem.js';
import { CorridorError } from '../model/errors.js';
import type { Dataset } from '../model/types.js';
import { compileNetwork } from '../network/compile.js';
import { applyScenario, type AppliedScenario } from '../scenario/apply.js';
import { compareAssignments, compareLanes, type AssignmentComparison, type LaneChange } from '../scenario/compare.js';
import { createHighsSolver } from '../solver/highs.js';
import { chooseDemand, parseCo2Price, progressPrinter } from './assign.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { formatDiff, formatScenarioList, formatScenarioShow } from './format-flows.js';
import { scenarioDataset } from './scenario-option.js';

export const BASE = 'base';

export interface SideResult {
  scenario: string | null;
  demandSet: string;
  applied: AppliedScenario;
  ods: DemandOd[];
  assignment: AssignmentResult;
}

export interface DiffResult {
  a: { scenario: string | null; demandSet: string };
  b: { scenario: string | null; demandSet: string };
  changes: AppliedScenario['changes'];
  lanes: LaneChange[];
  flows: AssignmentComparison;
  assignments: { a: AssignmentResult; b: AssignmentResult };
}

const scenarioOf = (name: string) => (name === BASE ? undefined : name);

/** Assigns the demand of one side; `demandArg`/`fallbackDemand` as in `chooseDemand`. */
export async function runSide(
  base: Dataset,
  name: string,
  solver: LpSolver,
  demandArg: string | undefined,
  fallbackDemand: string | undefined,
  co2Price: number,
  onProgress?: (p: SolveProgress) => void,
): Promise<SideResult> {
  const scenario = scenarioOf(name);
  const applied = scenarioDataset(base, scenario);
  const ds = applied.dataset;
  if (!ds.commodities)
    throw new CorridorError('invalid-dataset', 'the dataset has no commodities.yaml, which flows need');
  const set = chooseDemand(ds, demandArg, applied.demandSet ?? fallbackDemand);
  const ods = demandInTeu(set, ds.commodities.conversions, applied.demandScale);
  const net = compileNetwork(ds, scenario !== undefined ? { scenario } : {});
  const assignment = await assign(net, ods, ds.commodities, solver, {
    co2PriceUsdPerTonne: co2Price,
    ...(onProgress ? { onProgress } : {}),
  });
  return { scenario: scenario ?? null, demandSet: set.name, applied, ods, assignment };
}

export async function runDiff(
  base: Dataset,
  aName: string,
  bName: string,
  demandArg: string | undefined,
  co2Price = 0,
  onProgress?: (p: SolveProgress) => void,
): Promise<DiffResult> {
  const appliedA = scenarioDataset(base, scenarioOf(aName));
  const appliedB = scenarioDataset(base, scenarioOf(bName));
  const solver = await createHighsSolver();
  try {
    const a = await runSide(base, aName, solver, demandArg, appliedB.demandSet, co2Price, onProgress);
    const b = await runSide(base, bName, solver, demandArg, appliedA.demandSet, co2Price, onProgress);
    // Lanes: B's ODs (the demand the comparison is about), priced in both networks.
    const lanesOf = (side: SideResult) => {
      const ds = side.applied.dataset;
      return laneRoutes(
        buildCorridorGraph(compileNetwork(ds, side.scenario !== null ? { scenario: side.scenario } : {})),
        b.ods,
        ds.commodities!,
        co2Price,
      );
    };
    return {
      a: { scenario: a.scenario, demandSet: a.demandSet },
      b: { scenario: b.scenario, demandSet: b.demandSet },
      changes: appliedB.changes,
      lanes: compareLanes(b.ods, lanesOf(a), lanesOf(b)),
      flows: compareAssignments(a.assignment, b.assignment),
      assignments: { a: a.assignment, b: b.assignment },
    };
  } finally {
    await solver.close();
  }
}

export function registerScenario(program: Command, ctx: CliContext): void {
  const cmd = program.command('scenario').description('list, show and compare scenarios (project cards)');
  cmd
    .command('list')
    .description('the scenarios of the dataset and what each changes')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const { dataset } = ctx.load();
      const applied = new Map(dataset.scenarios.map((s) => [s.name, applyScenario(dataset, s.name)]));
      if (opts.json) {
        ctx.out(
          `${JSON.stringify(
            dataset.scenarios.map((s) => ({
              name: s.name,
              title: s.title,
              description: s.description,
              extends: s.extends ?? [],
              changes: applied.get(s.name)!.changes.length,
              demandSet: applied.get(s.name)!.demandSet ?? null,
              demandScale: applied.get(s.name)!.demandScale,
            })),
            null,
            2,
          )}\n`,
        );
      } else ctx.out(`${formatScenarioList(dataset.scenarios, applied)}\n`);
    });
  cmd
    .command('show')
    .description('one scenario: description and every change it makes, in order')
    .argument('<name>', 'scenario name (corridor scenario list)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) => {
      const { dataset } = ctx.load();
      const s = dataset.scenarios.find((x) => x.name === name);
      if (!s)
        throw new UsageError(
          `unknown scenario "${name}"; valid: ${
            dataset.scenarios
              .map((x) => x.name)
              .sort()
              .join(', ') || '(none)'
          }`,
        );
      const a = scenarioDataset(dataset, name);
      if (opts.json)
        ctx.out(
          `${JSON.stringify({ ...s, chain: a.chain, changes: a.changes, demandSet: a.demandSet ?? null, demandScale: a.demandScale }, null, 2)}\n`,
        );
      else ctx.out(`${formatScenarioShow(s, a)}\n`);
    });
  cmd
    .command('diff')
    .description(
      'compare two scenarios (use "base" for none): per-lane time, cost and CO2e; flow shifts, utilisation, bottlenecks',
    )
    .argument('<a>', 'scenario A, or base')
    .argument('<b>', 'scenario B, or base')
    .option('--demand <set-or-file>', "demand to assign in both (default: B's scenario demand, else A's)")
    .option('--co2-price <usd>', 'CO2 price in USD per tonne CO2e (default 0)')
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, opts: { demand?: string; co2Price?: string; json?: boolean }) => {
      const { dataset } = ctx.load();
      const d = await runDiff(dataset, a, b, opts.demand, parseCo2Price(opts.co2Price) ?? 0, progressPrinter(ctx.err));
      if (opts.json) {
        const { assignments: _unused, ...rest } = d;
        void _unused;
        ctx.out(`${JSON.stringify(rest, null, 2)}\n`);
      } else ctx.out(`${formatDiff(d)}\n`);
    });
}
