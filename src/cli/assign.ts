/**
 * `corridor assign`: minimum generalised-cost assignment of a demand set to the network of a
 * scenario, with link and node utilisation, unmet demand and the binding capacities ranked by
 * shadow price. Long solves print progress on stderr.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { readDemandFile } from '../data/demand-file.js';
import { CorridorError } from '../model/errors.js';
import type { Dataset, DemandSet } from '../model/types.js';
import { compileNetwork } from '../network/compile.js';
import { assign, type AssignmentResult } from '../flow/assign.js';
import { demandInTeu } from '../flow/demand.js';
import type { SolveProgress } from '../flow/problem.js';
import { createHighsSolver } from '../solver/highs.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { scenarioDataset } from './scenario-option.js';
import { formatAssignment } from './format-flows.js';

export interface AssignRun {
  scenario: string | null;
  demandSet: string;
  demandScale: number;
  result: AssignmentResult;
}

/** Picks the demand set: --demand (file or name), else the scenario's, else an error listing the sets. */
export function chooseDemand(
  dataset: Dataset,
  demandArg: string | undefined,
  scenarioDemand: string | undefined,
): DemandSet {
  const sets = dataset.demand ?? [];
  const names = sets.map((d) => d.name).join(', ') || '(none: add demand/<name>.yaml to the dataset)';
  if (demandArg !== undefined) {
    const byName = sets.find((d) => d.name === demandArg);
    if (byName) return byName;
    if (/\.ya?ml$/i.test(demandArg) || existsSync(demandArg)) {
      if (!existsSync(demandArg)) throw new UsageError(`--demand: no such file ${demandArg}`);
      const r = readDemandFile(demandArg, dataset);
      if (!r.demand)
        throw new UsageError(`--demand ${demandArg} is not a valid demand file:\n${r.problems.join('\n')}`);
      return r.demand;
    }
    throw new UsageError(`--demand: "${demandArg}" is neither a demand set nor a file; demand sets: ${names}`);
  }
  if (scenarioDemand !== undefined) {
    const s = sets.find((d) => d.name === scenarioDemand);
    if (s) return s;
  }
  throw new UsageError(
    `--demand is required${scenarioDemand === undefined ? ' (this scenario names no demand set)' : ''}; demand sets: ${names}`,
  );
}

export async function runAssign(
  base: Dataset,
  o: {
    scenario?: string;
    demand?: string;
    co2Price?: number;
    algorithm?: 'auto' | 'column-generation' | 'network-simplex';
    onProgress?: (p: SolveProgress) => void;
  },
): Promise<AssignRun> {
  const applied = scenarioDataset(base, o.scenario);
  const ds = applied.dataset;
  if (!ds.commodities)
    throw new CorridorError(
      'invalid-dataset',
      'the dataset has no commodities.yaml (commodities and unit conversions), which assignment needs',
    );
  const set = chooseDemand(ds, o.demand, applied.demandSet);
  const demand = demandInTeu(set, ds.commodities.conversions, applied.demandScale);
  const net = compileNetwork(ds, o.scenario !== undefined ? { scenario: o.scenario } : {});
  const solver = await createHighsSolver();
  try {
    const result = await assign(net, demand, ds.commodities, solver, {
      ...(o.co2Price !== undefined ? { co2PriceUsdPerTonne: o.co2Price } : {}),
      ...(o.algorithm !== undefined ? { algorithm: o.algorithm } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
    return { scenario: o.scenario ?? null, demandSet: set.name, demandScale: applied.demandScale, result };
  } finally {
    await solver.close();
  }
}

/** Progress on stderr once a solve has run for a while (quick solves stay quiet). */
export function progressPrinter(err: (s: string) => void, afterMs = 1500): (p: SolveProgress) => void {
  return (p) => {
    if (p.elapsedMs < afterMs) return;
    const gap =
      p.objective > 0 && Number.isFinite(p.lowerBound)
        ? ` (gap ≤ ${(((p.objective - p.lowerBound) / p.objective) * 100).toFixed(3)} %)`
        : '';
    err(
      `assign: round ${p.iteration}, ${p.columns} routes, cost USD ${Math.round(p.objective).toLocaleString('en-US')}/yr, bound USD ${Math.round(p.lowerBound).toLocaleString('en-US')}${gap}, ${(p.elapsedMs / 1000).toFixed(1)} s\n`,
    );
  };
}

export function parseCo2Price(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--co2-price: "${v}" is not a number ≥ 0 (USD per tonne CO2e)`);
  return n;
}

export function registerAssign(program: Command, ctx: CliContext): void {
  program
    .command('assign')
    .description('assign a demand matrix to the network at minimum generalised cost, within link and node capacities')
    .option(
      '--demand <set-or-file>',
      "demand set name (data/demand/<name>.yaml) or a demand file; default: the scenario's",
    )
    .option('--scenario <name>', 'the scenario whose network (and default demand) to use')
    .option('--co2-price <usd>', 'CO2 price in USD per tonne CO2e added to the generalised cost (default 0)')
    .addOption(
      new Option('--algorithm <a>', 'solver').choices(['auto', 'column-generation', 'network-simplex']).default('auto'),
    )
    .option('--json', 'print JSON: {objective, links, nodes, unmetDemand, bottlenecks, …}')
    .action(
      async (opts: {
        demand?: string;
        scenario?: string;
        co2Price?: string;
        algorithm: 'auto' | 'column-generation' | 'network-simplex';
        json?: boolean;
      }) => {
        const { dataset } = ctx.load();
        const co2Price = parseCo2Price(opts.co2Price);
        const run = await runAssign(dataset, {
          ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
          ...(opts.demand !== undefined ? { demand: opts.demand } : {}),
          ...(co2Price !== undefined ? { co2Price } : {}),
          algorithm: opts.algorithm,
          onProgress: progressPrinter(ctx.err),
        });
        ctx.out(
          opts.json
            ? `${JSON.stringify({ scenario: run.scenario, demandSet: run.demandSet, demandScale: run.demandScale, ...run.result }, null, 2)}\n`
            : `${formatAssignment(run)}\n`,
        );
        if (!run.result.converged) ctx.setStatus(1);
      },
    );
}
