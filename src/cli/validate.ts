/** `corridor validate [dir]`: schema, references, units, connectivity, plausibility, provenance. */
import { defaultDataDir, loadDataset } from '../data/load.js';
import type { RegisterCommand } from './context.js';
import { formatValidation } from './format.js';

export const registerValidateCommand: RegisterCommand = (program, cli) => {
  program
    .command('validate')
    .description('check a dataset: schema, references, units, connectivity, plausibility, provenance')
    .argument('[dir]', 'dataset directory (default: the built-in dataset)')
    .option('--json', 'print {errors, warnings, provenance} as JSON')
    .action((dir: string | undefined, opts: { json?: boolean }) => {
      const r = loadDataset(dir ?? program.opts<{ data?: string }>().data ?? defaultDataDir());
      if (opts.json)
        cli.out(
          `${JSON.stringify(
            { dir: r.dir, errors: r.errors, warnings: r.warnings, provenance: r.provenance },
            null,
            2,
          )}\n`,
        );
      else cli.out(`${formatValidation(r.dir, r.errors, r.warnings, r.provenance)}\n`);
      cli.setStatus(r.errors.length > 0 ? 1 : 0);
    });
};
