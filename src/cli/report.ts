/** `corridor report bulletin [--out FILE.html]`: the seed bulletin's questions answered with numbers. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { buildBulletin } from '../report/bulletin.js';
import { renderBulletin } from '../report/html.js';
import { createHighsSolver } from '../solver/highs.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';

export function registerReport(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('reports built from the dataset and its scenarios');
  report
    .command('bulletin')
    .description(
      "one self-contained HTML page answering the bulletin's questions (Zangezur, 2,000 trains, BTK, Baku, Northern closure, low water)",
    )
    .option('--out <file>', 'where to write the page', 'corridor-bulletin.html')
    .option('--json', 'print the figures as JSON instead of writing HTML')
    .action(async (opts: { out: string; json?: boolean }) => {
      if (!opts.json && !/\.html?$/i.test(opts.out)) throw new UsageError(`--out: "${opts.out}" should end in .html`);
      const load = ctx.load();
      const solver = await createHighsSolver();
      try {
        const b = await buildBulletin(load.dataset, load.dir, solver, (s) => ctx.err(`bulletin: ${s}\n`));
        if (opts.json) {
          ctx.out(`${JSON.stringify(b, null, 2)}\n`);
          return;
        }
        const file = resolve(opts.out);
        writeFileSync(
          file,
          renderBulletin(b, load.dataset, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC'),
        );
        const t = b.trains.base2029.result.totals;
        ctx.out(
          `wrote ${file}\n2,000 trains/yr: ${Math.round(t.served).toLocaleString('en-US')} of ${Math.round(t.demand).toLocaleString('en-US')} TEU/yr served; first to fill: ${b.trains.breakPoints[0]?.name ?? 'none'}\n`,
        );
      } finally {
        await solver.close();
      }
    });
}
