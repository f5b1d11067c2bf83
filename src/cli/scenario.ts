/**
 * `corridor scenario list | show NAME | diff A B`: the built-in what-ifs, what each changes, and
 * what changes between two of them (per-lane time, cost and CO2e; with a demand set, flow shifts,
 * utilisation and bottlenecks of the assignment). `base` names the dataset without any scenario.
 */
import type { RegisterCommand } from './context.js';
import { demandArgument, progressPrinter } from './assign.js';
import { UsageError } from './errors.js';
import { formatDiff, formatScenarioList, formatScenarioShow } from './format-flows.js';

export const registerScenario: RegisterCommand = (program, cli) => {
  const cmd = program.command('scenario').description('list, show and compare scenarios (project cards)');
  cmd
    .command('list')
    .description('the scenarios of the dataset and what each changes')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const all = cli.service().describeScenarios();
      if (opts.json) {
        const rows = all.map(({ scenario: s, applied: a }) => ({
          name: s.name,
          title: s.title,
          description: s.description,
          extends: s.extends ?? [],
          inEffect: s.inEffect ? { from: s.inEffect.from, to: s.inEffect.to ?? null } : null,
          changes: a.changes.length,
          demandSet: a.demandSet ?? null,
          demandScale: a.demandScale,
        }));
        cli.out(`${JSON.stringify(rows, null, 2)}\n`);
      } else
        cli.out(
          `${formatScenarioList(
            all.map((x) => x.scenario),
            new Map(all.map((x) => [x.scenario.name, x.applied])),
          )}\n`,
        );
    });
  cmd
    .command('show')
    .description('one scenario: description and every change it makes, in order')
    .argument('<name>', 'scenario name (corridor scenario list)')
    .option('--json', 'print JSON')
    .action((name: string, opts: { json?: boolean }) => {
      const all = cli.service().describeScenarios();
      const x = all.find((s) => s.scenario.name === name);
      if (!x)
        throw new UsageError(
          `unknown scenario "${name}"; valid: ${
            all
              .map((s) => s.scenario.name)
              .sort()
              .join(', ') || '(none)'
          }`,
        );
      const a = x.applied;
      if (opts.json)
        cli.out(
          `${JSON.stringify(
            {
              ...x.scenario,
              chain: a.chain,
              changes: a.changes,
              demandSet: a.demandSet ?? null,
              demandScale: a.demandScale,
            },
            null,
            2,
          )}\n`,
        );
      else cli.out(`${formatScenarioShow(x.scenario, a)}\n`);
    });
  cmd
    .command('diff')
    .description(
      'compare two scenarios (use "base" for none): per-lane time, cost and CO2e; with a demand set (named, or ' +
        'the one a scenario names) flow shifts, utilisation and bottlenecks',
    )
    .argument('<a>', 'scenario A, or base (several joined by commas compose)')
    .argument('<b>', 'scenario B, or base')
    .option(
      '--demand <set-or-file>',
      "demand to assign in both (default: B's scenario demand, else A's; none: lanes only)",
    )
    .option('--co2-price <usd>', 'CO2 price in USD per tonne CO2e (default 0)')
    .option('--json', 'print JSON')
    .action(async (a: string, b: string, opts: { demand?: string; co2Price?: string; json?: boolean }) => {
      const service = cli.service();
      const demand = demandArgument(cli, opts.demand);
      const p = await service.prepareCompare({
        a,
        b,
        ...(demand !== undefined ? { demand } : {}),
        ...(opts.co2Price !== undefined ? { co2Price: opts.co2Price } : {}),
      });
      const d = await service.compare(p, progressPrinter(cli.err));
      cli.out(opts.json ? `${JSON.stringify(d, null, 2)}\n` : `${formatDiff(d)}\n`);
    });
};
