/**
 * `corridor plan <from> <to> --ready <date-time>`: timed itineraries with departures, waits and the
 * P10 / P50 / P90 arrival, as a table, JSON, or DCSA Commercial Schedules point-to-point routings.
 */
import { toDcsaPointToPoint } from '../schedule/dcsa.js';
import { PLAN_FIELDS } from '../service/fields.js';
import { addFields, type RegisterCommand, rawOptions } from './context.js';
import { formatPlan } from './format-plan.js';

export const registerPlanCommand: RegisterCommand = (program, cli) => {
  const cmd = program
    .command('plan')
    .description('timed itineraries from a ready time: departures, waits and the P10/P50/P90 arrival');
  addFields(cmd, PLAN_FIELDS)
    .option('--json', 'print JSON')
    .option('--dcsa', 'print DCSA Commercial Schedules v1.0.3 point-to-point routings (JSON)')
    .action(async (from: string, to: string, opts: { json?: boolean; dcsa?: boolean }) => {
      const service = cli.service();
      const p = await service.preparePlan(rawOptions(PLAN_FIELDS, [from, to], opts));
      const result = service.plan(p);
      const locations = p.scenario.dataset.locations;
      if (opts.dcsa)
        cli.out(
          `${JSON.stringify(
            result.itineraries.map((it) => toDcsaPointToPoint(it, locations)),
            null,
            2,
          )}\n`,
        );
      else if (opts.json) cli.out(`${JSON.stringify(result, null, 2)}\n`);
      else cli.out(`${formatPlan(result)}\n`);
      if (result.itineraries.length === 0) cli.setStatus(1);
    });
};
