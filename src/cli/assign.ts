/**
 * `corridor assign`: minimum generalised-cost assignment of a demand set to the network of a
 * scenario, with link and node utilisation, unmet demand and the binding capacities ranked by
 * shadow price. Long solves print progress on stderr.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readDemandFile } from '../data/demand-file.js';
import type { SolveProgress } from '../flow/problem.js';
import type { DemandSet } from '../model/types.js';
import { ASSIGN_FIELDS } from '../service/fields.js';
import { addFields, type CliContext, type RegisterCommand } from './context.js';
import { UsageError } from './errors.js';
import { formatAssignment } from './format-flows.js';

/**
 * `--demand`: a demand set's name, or a demand file (read here, at the edge). A name the dataset
 * has wins over a file of that name.
 */
export function demandArgument(cli: CliContext, arg: string | undefined): string | DemandSet | undefined {
  if (arg === undefined) return undefined;
  const { dataset } = cli.load();
  const sets = dataset.demand ?? [];
  if (sets.some((d) => d.name === arg)) return arg;
  if (!/\.ya?ml$/i.test(arg) && !existsSync(arg))
    throw new UsageError(
      `--demand: "${arg}" is neither a demand set nor ` +
        `a file; demand sets: ${sets.map((d) => d.name).join(', ') || '(none)'}`,
    );
  if (!existsSync(arg)) throw new UsageError(`--demand: no such file ${arg}`);
  const r = readDemandFile(arg, dataset);
  if (!r.demand) throw new UsageError(`--demand ${arg} is not a valid demand file:\n${r.problems.join('\n')}`);
  return r.demand;
}

/** Progress on stderr once a solve has run for a while (quick solves stay quiet). */
export function progressPrinter(err: (s: string) => void, afterMs = 1500): (p: SolveProgress) => void {
  return (p) => {
    if (p.elapsedMs < afterMs) return;
    const gap =
      p.objective > 0 && Number.isFinite(p.lowerBound)
        ? ` (gap ≤ ${(((p.objective - p.lowerBound) / p.objective) * 100).toFixed(3)} %)`
        : '';
    const usd = (x: number) => Math.round(x).toLocaleString('en-US');
    err(
      `assign: round ${p.iteration}, ${p.columns} routes, cost USD ${usd(p.objective)}/yr, ` +
        `bound USD ${usd(p.lowerBound)}${gap}, ${(p.elapsedMs / 1000).toFixed(1)} s\n`,
    );
  };
}

interface AssignOpts {
  scenario?: string;
  demand?: string;
  co2Price?: string;
  algorithm?: string;
  json?: boolean;
}

export const registerAssign: RegisterCommand = (program: Command, cli) => {
  const cmd = program
    .command('assign')
    .description('assign a demand matrix to the network at minimum generalised cost, within link and node capacities');
  addFields(cmd, ASSIGN_FIELDS, {
    demand: "demand set name (data/demand/<name>.yaml) or a demand file; default: the scenario's",
    scenario: 'the scenario whose network (and default demand) to use; several joined by commas compose',
  })
    .option('--json', 'print JSON: {scenario, demandSet, demandScale, objective, links, nodes, bottlenecks, …}')
    .action(async (opts: AssignOpts) => {
      const service = cli.service();
      const demand = demandArgument(cli, opts.demand);
      const p = await service.prepareAssign({
        ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
        ...(demand !== undefined ? { demand } : {}),
        ...(opts.co2Price !== undefined ? { co2Price: opts.co2Price } : {}),
        ...(opts.algorithm !== undefined ? { algorithm: opts.algorithm } : {}),
      });
      const run = await service.assign(p, progressPrinter(cli.err));
      cli.out(opts.json ? `${JSON.stringify(run, null, 2)}\n` : `${formatAssignment(run)}\n`);
      if (!run.converged) cli.setStatus(1);
    });
};
