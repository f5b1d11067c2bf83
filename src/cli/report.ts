/** `corridor report bulletin [--out FILE.html]`: the seed bulletin's questions answered with numbers. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildBulletin } from '../report/bulletin.js';
import { renderBulletin } from '../report/html.js';
import type { RegisterCommand } from './context.js';
import { UsageError } from './errors.js';

export const registerReport: RegisterCommand = (program, cli) => {
  const report = program.command('report').description('reports built from the dataset and its scenarios');
  report
    .command('bulletin')
    .description(
      "one self-contained HTML page answering the bulletin's questions (Zangezur, 2,000 trains, BTK, Baku, " +
        'Northern closure, low water)',
    )
    .option('--out <file>', 'where to write the page', 'corridor-bulletin.html')
    .option('--json', 'print the figures as JSON instead of writing HTML')
    .option('--no-fidelity', 'leave out the model-against-the-record section (corridor calibrate)')
    .option('--draws <n>', 'draws of the uncertainty sweep at 2,000 trains a year (0 = none)', '40')
    .action(async (opts: { out: string; json?: boolean; draws: string; fidelity?: boolean }) => {
      if (!opts.json && !/\.html?$/i.test(opts.out)) throw new UsageError(`--out: "${opts.out}" should end in .html`);
      const sweepDraws = Number(opts.draws);
      if (!Number.isInteger(sweepDraws) || sweepDraws < 0 || sweepDraws > 2000)
        throw new UsageError(`--draws: "${opts.draws}" is not an integer from 0 to 2000`);
      const load = cli.load();
      const b = await buildBulletin(cli.service(), load.dir, (s) => cli.err(`bulletin: ${s}\n`), {
        sweepDraws,
        observations: opts.fidelity === false ? [] : load.observations,
      });
      if (opts.json) {
        cli.out(`${JSON.stringify(b, null, 2)}\n`);
        return;
      }
      const file = resolve(opts.out);
      const stamp = `${cli.now().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      writeFileSync(file, renderBulletin(b, load.dataset, stamp));
      const t = b.trains.base2029.result.totals;
      const n = (x: number) => Math.round(x).toLocaleString('en-US');
      cli.out(
        `wrote ${file}\n2,000 trains/yr: ${n(t.served)} of ${n(t.demand)} TEU/yr served; ` +
          `first to fill: ${b.trains.breakPoints[0]?.name ?? 'none'}\n`,
      );
    });
};
