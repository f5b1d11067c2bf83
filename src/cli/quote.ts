/**
 * `corridor quote <from> <to>`: the Pareto options for a real shipment (containers, weight, flags)
 * on a date, each with an itemised quote and an ISO 14083 footprint; `--format pact` exports the
 * footprints as PACT ProductFootprints with the iLEAP ShipmentFootprint extension.
 */
import { Option } from 'commander';
import { pactExport } from '../service/footprint.js';
import { QUOTE_FIELDS } from '../service/fields.js';
import { addFields, type RegisterCommand, rawOptions } from './context.js';
import { UsageError } from './errors.js';
import { formatQuote } from './format-quote.js';

interface QuoteOpts {
  format?: 'text' | 'json' | 'pact';
  json?: boolean;
  pact?: boolean;
  company: string;
}

export const registerQuoteCommand: RegisterCommand = (program, cli) => {
  const cmd = program
    .command('quote')
    .description('itemised quote and ISO 14083 footprint of every Pareto option for a shipment');
  addFields(cmd, QUOTE_FIELDS, { option: 'show (or export) only this option' })
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'pact']))
    .option('--json', 'same as --format json')
    .option('--pact', 'same as --format pact: PACT ProductFootprints with the iLEAP ShipmentFootprint extension')
    .option('--company <name>', 'company name written into PACT exports', 'Corridor planning estimate')
    .action(async (from: string, to: string, opts: QuoteOpts) => {
      if ([opts.pact, opts.json, opts.format !== undefined].filter(Boolean).length > 1)
        throw new UsageError('give one of --format, --json and --pact');
      const format = opts.pact ? 'pact' : opts.json ? 'json' : (opts.format ?? 'text');
      const service = cli.service();
      const p = await service.prepareQuote(rawOptions(QUOTE_FIELDS, [from, to], opts));
      const result = service.quote(p);
      if (format === 'pact')
        cli.out(`${JSON.stringify(pactExport(result, p.request.option, opts.company, cli.now()), null, 2)}\n`);
      else if (format === 'json') cli.out(`${JSON.stringify(result, null, 2)}\n`);
      else cli.out(`${formatQuote(result, p.request.option)}\n`);
      if (result.options.length === 0) cli.setStatus(1);
    });
};
