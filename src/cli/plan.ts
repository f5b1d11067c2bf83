/**
 * `corridor plan <from> <to> --ready <date-time>`: timed itineraries with departures, waits and the
 * P10 / P50 / P90 arrival, as a table, JSON, or DCSA Commercial Schedules point-to-point routings.
 * Registered on the program by main.ts; bad flags raise a CorridorError('invalid-argument'), which
 * main maps to exit status 2.
 */
import type { Command } from 'commander';
import { defaultDataDir, loadDataset } from '../data/load.js';
import { isCountryCode } from '../model/countries.js';
import { CorridorError } from '../model/errors.js';
import { resolvePlace } from '../model/places.js';
import { MODES, type Mode } from '../model/types.js';
import { compileNetwork } from '../network/compile.js';
import { toDcsaPointToPoint } from '../schedule/dcsa.js';
import { DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES, planItineraries, type PlanQuery } from '../schedule/plan.js';
import { compileTimetable } from '../schedule/timetable.js';
import { formatPlan } from './format-plan.js';
import { pricedPlan } from '../tariff/priced-plan.js';
import { scenarioDataset } from './scenario-option.js';

interface PlanOpts {
  ready?: string;
  avoid?: string;
  modes?: string;
  avoidPlaces?: string;
  avoidPassages?: string;
  scenario?: string;
  samples?: string;
  seed?: string;
  horizonDays?: string;
  json?: boolean;
  dcsa?: boolean;
}

const usage = (message: string) => new CorridorError('invalid-argument', message);
const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function integer(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw usage(`${flag}: "${v}" is not a whole number from ${min} to ${max}`);
  return n;
}

export function registerPlanCommand(
  program: Command,
  out: (s: string) => void,
  setStatus: (code: number) => void,
): void {
  program
    .command('plan')
    .description('timed itineraries from a ready time: departures, waits and the P10/P50/P90 arrival')
    .argument('<from>', 'origin: name, alias or code (e.g. "Xi\'an", CNXIA)')
    .argument('<to>', 'destination: name, alias or code (e.g. Baku, AZBAK)')
    .option(
      '--ready <date-time>',
      'when the cargo is ready at the origin, ISO 8601 (local time at the origin unless an offset is given), e.g. 2025-01-06T08:00',
    )
    .option('--avoid <countries>', 'comma-separated ISO alpha-2 codes no leg, node or passage may touch (e.g. RU,IR)')
    .option('--modes <modes>', `comma-separated allowed modes (${MODES.join(', ')})`)
    .option('--avoid-places <places>', 'comma-separated places (names or codes) to avoid')
    .option('--avoid-passages <ids>', 'comma-separated sea passages to avoid (suez, bab-el-mandeb, …)')
    .option('--scenario <name>', 'a scenario: switches on planned links and applies its changes (e.g. congested)')
    .option('--samples <n>', `Monte Carlo samples per itinerary (default ${DEFAULT_SAMPLES})`)
    .option('--seed <n>', `Monte Carlo seed (default ${DEFAULT_SEED}); the same seed gives the same answer`)
    .option(
      '--horizon-days <n>',
      'drop itineraries arriving more than this many days after the ready time (default: no limit)',
    )
    .option('--json', 'print JSON')
    .option('--dcsa', 'print DCSA Commercial Schedules v1.0.3 point-to-point routings (JSON)')
    .action((from: string, to: string, opts: PlanOpts) => {
      if (opts.ready === undefined)
        throw usage('plan needs --ready <date-time>, e.g. --ready 2025-01-06T08:00 (local time at the origin)');
      const dir = program.opts<{ data?: string }>().data;
      const loaded = loadDataset(dir ?? defaultDataDir());
      if (loaded.errors.length > 0) {
        throw new CorridorError(
          'invalid-dataset',
          `the dataset in ${loaded.dir} has ${loaded.errors.length} error(s); run \`corridor validate${dir ? ` ${dir}` : ''}\` to list them`,
        );
      }
      const ds = loaded.dataset;
      const q: PlanQuery = { from, to, ready: opts.ready };
      if (opts.avoid !== undefined) {
        const codes = list(opts.avoid).map((c) => c.toUpperCase());
        const bad = codes.filter((c) => !isCountryCode(c));
        if (bad.length)
          throw usage(
            `--avoid: ${bad.map((b) => `"${b}"`).join(', ')} is not an ISO 3166-1 alpha-2 country code (e.g. RU, IR, AM)`,
          );
        q.avoidCountries = codes;
      }
      if (opts.modes !== undefined) {
        const modes = list(opts.modes).map((m) => m.toLowerCase());
        const bad = modes.filter((m) => !(MODES as readonly string[]).includes(m));
        if (bad.length)
          throw usage(`--modes: ${bad.map((b) => `"${b}"`).join(', ')} is not a mode; valid: ${MODES.join(', ')}`);
        q.modes = modes as Mode[];
      }
      if (opts.avoidPlaces !== undefined)
        q.avoidLocations = list(opts.avoidPlaces).map((p) => resolvePlace(ds.locations, p, '--avoid-places place').id);
      if (opts.avoidPassages !== undefined) {
        const ids = list(opts.avoidPassages);
        const bad = ids.filter((p) => !ds.passages.some((x) => x.id === p));
        if (bad.length)
          throw usage(
            `--avoid-passages: unknown passage ${bad.map((b) => `"${b}"`).join(', ')}; valid: ${ds.passages.map((p) => p.id).join(', ')}`,
          );
        q.avoidPassages = ids;
      }
      if (opts.samples !== undefined) q.samples = integer('--samples', opts.samples, 1, MAX_SAMPLES);
      if (opts.seed !== undefined) q.seed = integer('--seed', opts.seed, 0, 0xffffffff);
      if (opts.horizonDays !== undefined) q.maxDurationH = integer('--horizon-days', opts.horizonDays, 1, 3660) * 24;
      // The scenario's world (overlays, closures, dwell and service changes; pricing files travel along), then its network.
      const world = scenarioDataset(ds, opts.scenario).dataset as typeof ds;
      const net = compileNetwork(world, opts.scenario !== undefined ? { scenario: opts.scenario } : {});
      // With pricing files, itineraries are searched on the quoted cost and carry quote and emissions.
      const result = world.pricing ? pricedPlan(world, net, q) : planItineraries(compileTimetable(net, world), q);
      if (opts.dcsa)
        out(
          `${JSON.stringify(
            result.itineraries.map((it) => toDcsaPointToPoint(it, ds.locations)),
            null,
            2,
          )}\n`,
        );
      else if (opts.json) out(`${JSON.stringify(result, null, 2)}\n`);
      else out(`${formatPlan(result)}\n`);
      if (result.itineraries.length === 0) setStatus(1);
    });
}
