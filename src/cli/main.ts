/**
 * The `corridor` command line. Exit status: 0 success, 1 a failed check (invalid data, no route),
 * 2 a usage error (unknown place, bad argument). Never prints a stack trace for bad input.
 */
import { Command, CommanderError, Option } from 'commander';
import { loadDataset, defaultDataDir, type LoadResult } from '../data/load.js';
import { isCountryCode } from '../model/countries.js';
import { CorridorError, isCorridorError } from '../model/errors.js';
import { MODES, type Dataset, type Mode } from '../model/types.js';
import { resolvePlace } from '../model/places.js';
import { compileNetwork } from '../network/compile.js';
import { findRoutes, type RouteQuery } from '../routing/route.js';
import { EQUAL_WEIGHTS, PRESETS, type Preset } from '../routing/presets.js';
import { formatRoutes, formatValidation } from './format.js';
import { registerPlanCommand } from './plan.js';
import { findPricedRoutes } from '../tariff/priced-routes.js';
import { registerQuoteCommand } from './quote.js';
import { UsageError } from './errors.js';
import { scenarioDataset } from './scenario-option.js';
import { registerAssign } from './assign.js';
import { registerScenario } from './scenario.js';
import { registerReport } from './report.js';
import { registerKeysCommand } from './keys.js';
import { registerServeCommand } from './serve.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function parseCountries(value: string): string[] {
  const codes = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = codes.filter((c) => !isCountryCode(c));
  if (bad.length)
    throw new UsageError(
      `--avoid: ${bad.map((b) => `"${b}"`).join(', ')} is not an ISO 3166-1 alpha-2 country code (e.g. RU, IR, AM)`,
    );
  return codes;
}

function parseModes(value: string): Mode[] {
  const modes = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = modes.filter((m) => !(MODES as readonly string[]).includes(m));
  if (bad.length)
    throw new UsageError(`--modes: ${bad.map((b) => `"${b}"`).join(', ')} is not a mode; valid: ${MODES.join(', ')}`);
  return modes as Mode[];
}

interface RouteOpts {
  avoid?: string;
  modes?: string;
  avoidPassages?: string;
  avoidOperators?: string;
  avoidPlaces?: string;
  maxTransshipments?: string;
  cargo?: string;
  criteria?: string;
  preset?: Preset;
  weights?: string;
  epsilon?: string;
  maxOptions?: string;
  scenario?: string;
  json?: boolean;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function parseNumber(flag: string, v: string, min: number, integer: boolean): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: "${v}" is not ${integer ? 'an integer' : 'a number'} ≥ ${min}`);
  }
  return n;
}

const CRITERION_FLAGS: Record<string, 'transshipments' | 'borderCrossings' | 'risk'> = {
  transshipments: 'transshipments',
  borders: 'borderCrossings',
  risk: 'risk',
};
const CARGO_FLAGS = { 'dangerous-goods': 'dangerousGoods', reefer: 'reefer', oversize: 'oversize' } as const;

function parseRouteOptions(opts: RouteOpts, dataset: Dataset): Omit<RouteQuery, 'from' | 'to'> {
  const q: Omit<RouteQuery, 'from' | 'to'> = {};
  if (opts.avoid !== undefined) q.avoidCountries = parseCountries(opts.avoid);
  if (opts.modes !== undefined) q.modes = parseModes(opts.modes);
  if (opts.avoidPassages !== undefined) {
    const ids = list(opts.avoidPassages);
    const bad = ids.filter((p) => !dataset.passages.some((x) => x.id === p));
    if (bad.length)
      throw new UsageError(
        `--avoid-passages: unknown passage ${bad.map((b) => `"${b}"`).join(', ')}; valid: ${dataset.passages.map((p) => p.id).join(', ')}`,
      );
    q.avoidPassages = ids;
  }
  if (opts.avoidOperators !== undefined) {
    const names = list(opts.avoidOperators);
    const known = [...new Set(dataset.links.map((l) => l.operator))];
    const bad = names.filter((n) => !known.some((k) => k.toLowerCase() === n.toLowerCase()));
    if (bad.length)
      throw new UsageError(
        `--avoid-operators: unknown operator ${bad.map((b) => `"${b}"`).join(', ')}; valid: ${known.sort().join(', ')}`,
      );
    q.avoidOperators = names;
  }
  if (opts.avoidPlaces !== undefined)
    q.avoidLocations = list(opts.avoidPlaces).map((p) => resolvePlace(dataset.locations, p, '--avoid-places place').id);
  if (opts.maxTransshipments !== undefined)
    q.maxTransshipments = parseNumber('--max-transshipments', opts.maxTransshipments, 0, true);
  if (opts.cargo !== undefined) {
    q.cargo = {};
    for (const f of list(opts.cargo)) {
      const key = CARGO_FLAGS[f as keyof typeof CARGO_FLAGS];
      if (!key)
        throw new UsageError(`--cargo: "${f}" is not a cargo flag; valid: ${Object.keys(CARGO_FLAGS).join(', ')}`);
      q.cargo[key] = true;
    }
  }
  if (opts.criteria !== undefined) {
    q.extraCriteria = list(opts.criteria).map((c) => {
      const k = CRITERION_FLAGS[c];
      if (!k)
        throw new UsageError(
          `--criteria: "${c}" is not a criterion; valid: ${Object.keys(CRITERION_FLAGS).join(', ')}`,
        );
      return k;
    });
  }
  if (opts.preset !== undefined) q.preset = opts.preset;
  if (opts.weights !== undefined) {
    const w = { ...EQUAL_WEIGHTS };
    const keys = { time: 'durationH', cost: 'costUsd', co2: 'co2eKg' } as const;
    for (const part of list(opts.weights)) {
      const [k, v] = part.split('=');
      const key = keys[(k ?? '').trim() as keyof typeof keys];
      if (!key || v === undefined)
        throw new UsageError(`--weights: "${part}" is not name=value with name time, cost or co2`);
      w[key] = parseNumber(`--weights ${k}`, v, 0, false);
    }
    q.weights = w;
  }
  if (opts.epsilon !== undefined) q.epsilon = parseNumber('--epsilon', opts.epsilon, 0, false);
  if (opts.maxOptions !== undefined) q.maxOptions = parseNumber('--max-options', opts.maxOptions, 1, true);
  return q;
}

function loadOrFail(dir: string | undefined): LoadResult {
  const result = loadDataset(dir ?? defaultDataDir());
  if (result.errors.length > 0) {
    throw new CorridorError(
      'invalid-dataset',
      `the dataset in ${result.dir} has ${result.errors.length} error(s); run \`corridor validate${dir ? ` ${dir}` : ''}\` to list them`,
    );
  }
  return result;
}

export function buildProgram(
  out: (s: string) => void,
  err: (s: string) => void,
  setStatus: (code: number) => void,
): Command {
  const program = new Command();
  program
    .name('corridor')
    .description('Plan container routes on the Middle Corridor and its alternatives')
    .option('--data <dir>', 'dataset directory (default: the built-in dataset)')
    .showHelpAfterError('(run corridor --help for usage)')
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride();

  program
    .command('route')
    .description('Pareto-optimal routes over time, cost and CO2e between two places')
    .argument('<from>', 'origin: name, alias or code (e.g. "Xi\'an", CNXIA)')
    .argument('<to>', 'destination: name, alias or code (e.g. Duisburg, DEDUI)')
    .option('--avoid <countries>', 'comma-separated ISO alpha-2 codes no leg, node or passage may touch (e.g. RU,IR)')
    .option('--modes <modes>', `comma-separated allowed modes (${MODES.join(', ')})`)
    .option('--avoid-passages <ids>', 'comma-separated sea passages to avoid (suez, bab-el-mandeb, bosporus, …)')
    .option('--avoid-operators <names>', 'comma-separated operators to avoid, as named in the data')
    .option('--avoid-places <places>', 'comma-separated places (names or codes) to avoid')
    .option('--max-transshipments <n>', 'at most this many changes of mode or gauge')
    .option('--cargo <flags>', 'cargo properties that links may refuse: dangerous-goods, reefer, oversize')
    .option('--criteria <extra>', 'extra Pareto criteria besides time, cost and CO2e: transshipments, borders, risk')
    .addOption(new Option('--preset <preset>', 'recommend one option').choices([...PRESETS]))
    .option('--weights <w>', 'weights for the balanced preset, e.g. time=2,cost=1,co2=1')
    .option('--epsilon <e>', 'relative ε-dominance (approximate, smaller set); default 0 = exact')
    .option('--max-options <n>', 'stop after this many options (approximate); default: the full set')
    .option(
      '--scenario <name>',
      'plan in the world of a scenario: its links, capacities, times and closures (corridor scenario list)',
    )
    .option('--json', 'print JSON')
    .action((from: string, to: string, opts: RouteOpts) => {
      const { dataset: base } = loadOrFail(program.opts<{ data?: string }>().data);
      const dataset = scenarioDataset(base, opts.scenario).dataset;
      const net = compileNetwork(dataset, opts.scenario !== undefined ? { scenario: opts.scenario } : {});
      const query = { from, to, ...parseRouteOptions(opts, dataset) };
      // With pricing files, every option carries its itemised quote and ISO 14083 footprint.
      const result = dataset.pricing ? findPricedRoutes(dataset, net, query) : findRoutes(net, query);
      out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRoutes(result)}\n`);
      if (result.options.length === 0) setStatus(EXIT_FAILED);
    });

  registerPlanCommand(program, out, setStatus);
  registerQuoteCommand(program, {
    loadDataset: loadOrFail,
    parseRouteOptions: (o, ds) => parseRouteOptions(o as RouteOpts, ds),
    usageError: (m) => new UsageError(m),
    dataDir: () => program.opts<{ data?: string }>().data,
    out,
    setStatus,
    now: () => new Date(),
  });

  program
    .command('validate')
    .description('check a dataset: schema, references, units, connectivity, plausibility, provenance')
    .argument('[dir]', 'dataset directory (default: the built-in dataset)')
    .option('--json', 'print {errors, warnings, provenance} as JSON')
    .action((dir: string | undefined, opts: { json?: boolean }) => {
      const r = loadDataset(dir ?? program.opts<{ data?: string }>().data ?? defaultDataDir());
      if (opts.json)
        out(
          `${JSON.stringify({ dir: r.dir, errors: r.errors, warnings: r.warnings, provenance: r.provenance }, null, 2)}\n`,
        );
      else out(`${formatValidation(r.dir, r.errors, r.warnings, r.provenance)}\n`);
      setStatus(r.errors.length > 0 ? EXIT_FAILED : EXIT_OK);
    });

  const ctx = { out, err, setStatus, load: () => loadOrFail(program.opts<{ data?: string }>().data) };
  registerAssign(program, ctx);
  registerScenario(program, ctx);
  registerReport(program, ctx);
  registerServeCommand(program, out, err, setStatus);
  registerKeysCommand(program, out, err, setStatus);
  return program;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(
  argv: string[],
  out = (s: string) => process.stdout.write(s),
  err = (s: string) => process.stderr.write(s),
): Promise<number> {
  let status = EXIT_OK;
  const program = buildProgram(out, err, (code) => (status = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      err(`corridor: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (isCorridorError(e)) {
      err(`corridor: ${e.message}\n`);
      return e.code === 'invalid-dataset' || e.code === 'no-route' ? EXIT_FAILED : EXIT_USAGE;
    }
    err(
      `corridor: internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug; please report it with the command you ran)\n`,
    );
    return 70;
  }
}
