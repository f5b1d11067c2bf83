/**
 * `corridor sweep`: a seeded Monte Carlo sensitivity of the assignment — capacities, dwell, demand
 * and prices drawn from their ranges (see `corridor sweep --ranges`), each draw assigned, and the
 * draws aggregated: how likely each link or node is to bind at each demand level, the
 * distribution of the generalised cost (and of a compared scenario's value), and a tornado of
 * what moves the answer most. Runs the draws in this process, one after another; the API
 * (POST /api/v1/sweeps) splits the same draws into jobs for any number of workers.
 */
import type { Command } from 'commander';
import { runSweepHere, type SweepRequest, type SweepSummary, worldSweepRanges } from '../service/sweep.js';
import type { RegisterCommand } from './context.js';
import { UsageError } from './errors.js';

interface SweepOpts {
  scenario?: string;
  demand?: string;
  compare?: string;
  levels?: string;
  draws?: string;
  seed?: string;
  tornado?: boolean;
  ranges?: boolean;
  json?: boolean;
}

const usd = (x: number) => `${(x / 1e6).toFixed(1)} M`;

export function formatSweep(req: SweepRequest, s: SweepSummary): string {
  const lines: string[] = [];
  for (const l of s.levels) {
    lines.push(
      `demand ×${l.level}: ${l.draws} draws (seed ${req.seed}); generalised cost USD/yr ` +
        `P10 ${usd(l.objectiveUsd.p10)}, ` +
        `P50 ${usd(l.objectiveUsd.p50)}, P90 ${usd(l.objectiveUsd.p90)}; unmet TEU/yr P50 ` +
        `${Math.round(l.unmetTeu.p50)}, P90 ${Math.round(l.unmetTeu.p90)}`,
    );
    if (l.valueUsd)
      lines.push(
        `  value of ${req.compare} (cost saved, USD/yr): P10 ${usd(l.valueUsd.p10)}, P50 ${usd(l.valueUsd.p50)}, ` +
          `P90 ${usd(l.valueUsd.p90)}`,
      );
    lines.push('  binds in     link or node');
    for (const b of l.binds.slice(0, 12))
      lines.push(`  ${`${Math.round(b.probability * 100)} %`.padStart(8)}     ${b.id}`);
    if (l.binds.length === 0) lines.push('  (nothing binds in any draw)');
  }
  if (s.tornado.length) {
    lines.push('tornado (generalised cost at the low and high end of each range, the others at their mode):');
    for (const t of s.tornado.slice(0, 10))
      lines.push(
        `  ${t.label.padEnd(36)} ${usd(t.lowUsd).padStart(10)} … ${usd(t.highUsd).padStart(10)}  swing ` +
          `${usd(t.swingUsd)}${t.basis === 'assumption' ? ' (assumed range)' : ''}`,
      );
  }
  return lines.join('\n');
}

export const registerSweep: RegisterCommand = (program: Command, cli) => {
  program
    .command('sweep')
    .description('Monte Carlo sensitivity of the assignment: what binds, with what probability, and what moves it')
    .option('--scenario <names>', 'base scenario(s), comma-separated (e.g. demand-2029)')
    .option('--demand <set>', "demand set; default the scenario's")
    .option('--compare <scenario>', 'also measure the value of this scenario in every draw (e.g. zangezur-open)')
    .option('--levels <list>', 'demand multipliers, comma-separated (default 1)')
    .option('--draws <n>', 'random draws per level (default 50)')
    .option('--seed <n>', 'random seed (default 1): the same seed gives the same answer')
    .option('--tornado', 'also run every range at its low and high end (two assignments per range)')
    .option('--ranges', 'list the ranges drawn from and where each comes from, and stop')
    .option('--json', 'print JSON: {request, ranges, summary}')
    .action(async (opts: SweepOpts) => {
      const service = cli.service();
      const int = (v: string | undefined, flag: string, def: number, max: number) => {
        if (v === undefined) return def;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > max)
          throw new UsageError(`${flag}: "${v}" is not an integer from 0 to ${max}`);
        return n;
      };
      const levels = opts.levels?.split(',').map((x) => {
        const n = Number(x.trim());
        if (!(n > 0 && n <= 10)) throw new UsageError(`--levels: "${x}" is not a multiplier above 0 and at most 10`);
        return n;
      });
      const req: SweepRequest = {
        ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
        ...(opts.demand !== undefined ? { demand: opts.demand } : {}),
        ...(opts.compare !== undefined ? { compare: opts.compare } : {}),
        ...(levels ? { levels } : {}),
        draws: Math.max(1, int(opts.draws, '--draws', 50, 2000)),
        seed: int(opts.seed, '--seed', 1, 2 ** 31 - 1),
        ...(opts.tornado ? { tornado: true } : {}),
      };
      if (opts.ranges) {
        const ranges = worldSweepRanges(service);
        if (opts.json) cli.out(`${JSON.stringify(ranges, null, 2)}\n`);
        else
          for (const r of ranges)
            cli.out(`${r.id.padEnd(34)} ×${r.low.toFixed(2)} … ×${r.high.toFixed(2)}  ${r.basis}: ${r.note}\n`);
        return;
      }
      const { ranges, summary } = await runSweepHere(service, req, 'cli', (done, total) => {
        if (done % 10 === 0) cli.err(`sweep: ${done} of ${total} runs\n`);
      });
      cli.out(
        opts.json
          ? `${JSON.stringify({ request: req, ranges, summary }, null, 2)}\n`
          : `${formatSweep(req, summary)}\n`,
      );
    });
};
