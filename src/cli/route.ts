/** `corridor route <from> <to>`: the Pareto-optimal options over time, cost and CO2e. */
import { ROUTE_FIELDS } from '../service/fields.js';
import { addFields, type RegisterCommand, rawOptions } from './context.js';
import { formatRoutes } from './format.js';

export const registerRouteCommand: RegisterCommand = (program, cli) => {
  const cmd = program.command('route').description('Pareto-optimal routes over time, cost and CO2e between two places');
  addFields(cmd, ROUTE_FIELDS)
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, opts: { json?: boolean }) => {
      const service = cli.service();
      const result = service.route(await service.prepareRoute(rawOptions(ROUTE_FIELDS, [from, to], opts)));
      cli.out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRoutes(result)}\n`);
      if (result.options.length === 0) cli.setStatus(1);
    });
};
